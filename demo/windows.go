package demo

import (
	"context"
	"slices"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
)

// The demo's 大综窗: 涟源市政务服务中心 with comprehensive, 办不成事 and specialised
// windows, 蓝田街道's 便民服务中心 and two of its communities', and 六亩塘街道's, whose
// windows take no case in the demo (its communities have no grids, so no history): the
// dashboard shows windows set up with zeros beside real figures. The catalogue
// (data/matters.csv) marks every matter for comprehensive acceptance (无差别综合受理, as
// 渌口's 736 matters are) but property registration and the enterprise matters, which
// the district's specialised windows take.

// demoHall is a hall with its windows; a window's set-up day is given in days before
// the demo's today.
type demoHall struct {
	hall    domain.Hall
	staff   string // the login who sits at its windows
	windows []demoWindow
}

type demoWindow struct {
	code, name string
	kind       domain.WindowKind
	daysAgo    int
	matters    []string // a specialised window's
}

var demoHalls = []demoHall{
	{domain.Hall{Code: "LY-ZWFW", Name: "涟源市政务服务中心", Region: "431382", Kind: domain.HallCentre}, "demo.county", []demoWindow{
		{"LY-ZW-01", "综合窗口1号", domain.WindowComprehensive, 800, nil}, {"LY-ZW-02", "综合窗口2号", domain.WindowComprehensive, 800, nil},
		{"LY-ZW-BC", "办不成事反映窗口", domain.WindowCannotDo, 800, nil},
		{"LY-ZW-BDC", "不动产登记专窗", domain.WindowSpecialised, 800, []string{"FW-003", "FW-004"}},
		{"LY-ZW-QY", "企业服务专窗", domain.WindowSpecialised, 500, []string{"QY-001", "QY-002", "QY-003", "QY-004", "QY-005", "QY-006", "QY-007"}}}},
	{domain.Hall{Code: "LT-BMFW", Name: "蓝田街道便民服务中心", Region: Street, Kind: domain.HallConvenience}, "demo.dispatcher", []demoWindow{
		{"LT-01", "综合窗口1号", domain.WindowComprehensive, 700, nil}, {"LT-02", "综合窗口2号", domain.WindowComprehensive, 60, nil},
		{"LT-BC", "办不成事反映窗口", domain.WindowCannotDo, 700, nil}}},
	{domain.Hall{Code: "LT-MG", Name: "民光社区便民服务中心", Region: Street + "001", Kind: domain.HallConvenience}, "demo.dispatcher", []demoWindow{
		{"LT-MG-01", "综合窗口", domain.WindowComprehensive, 400, nil}}},
	{domain.Hall{Code: "LT-LX", Name: "联兴村便民服务中心", Region: Street + "205", Kind: domain.HallConvenience}, "demo.dispatcher", []demoWindow{
		{"LT-LX-01", "综合窗口", domain.WindowComprehensive, 400, nil}}},
	{domain.Hall{Code: "LMT-BMFW", Name: "六亩塘街道便民服务中心", Region: "431382002", Kind: domain.HallConvenience}, "demo.other", []demoWindow{
		{"LMT-01", "综合窗口", domain.WindowComprehensive, 30, nil}, {"LMT-BC", "办不成事反映窗口", domain.WindowCannotDo, 30, nil}}},
}

// LoadWindows sets up the demo's halls and windows through the service, as the
// administrator, and has the generated window cases name the windows they came
// through.
func LoadWindows(ctx context.Context, db *store.DB, users Users) error {
	svc := service.New(db)
	admin := users["demo.admin"]
	today := db.Now().In(domain.China)
	var windows []domain.Window
	for _, dh := range demoHalls {
		h := dh.hall
		h.Active = true
		h, err := svc.PutHall(ctx, admin, h)
		if err != nil {
			return err
		}
		for _, dw := range dh.windows {
			w := domain.Window{HallID: h.ID, Code: dw.code, Name: dw.name, Kind: dw.kind, Active: true, Matters: dw.matters,
				SetUp: today.AddDate(0, 0, -dw.daysAgo).Format("2006-01-02"), Staff: []int64{users[dh.staff].ID}}
			if w, err = svc.PutWindow(ctx, admin, w); err != nil {
				return err
			}
			windows = append(windows, w)
		}
	}
	return windowCases(ctx, db, admin, windows)
}

// windowCases records, for each generated window case, the window it came through: one
// of those that were open on its day, serve its region and accept its matter by its
// channel, picked by its id. A case no window would take keeps none.
func windowCases(ctx context.Context, db *store.DB, admin domain.User, windows []domain.Window) error {
	ms, err := db.Matters(ctx)
	if err != nil {
		return err
	}
	matter := map[string]domain.Matter{}
	for _, m := range ms {
		matter[m.Code] = m
	}
	var cases []*domain.Case
	for _, ch := range []string{"window", string(domain.CannotDo)} {
		f := domain.CaseFilter{Channel: ch, Limit: 200}
		for {
			page, next, err := db.Cases(ctx, admin, f)
			if err != nil {
				return err
			}
			cases = append(cases, page...)
			if next == 0 {
				break
			}
			f.After = next
		}
	}
	return db.Update(ctx, func(tx *store.Tx) error {
		for _, c := range cases {
			day := domain.Today(c.CreatedAt)
			fit := slices.DeleteFunc(slices.Clone(windows), func(w domain.Window) bool {
				return w.Takes(c.Region, c.Channel, matter[c.Matter], day) != nil
			})
			if len(fit) == 0 {
				continue
			}
			w := fit[c.ID%int64(len(fit))]
			d := domain.IntakeDetails{CaseID: c.ID, Window: w.Code, WindowID: w.ID, Supervised: c.Channel == domain.CannotDo}
			if err := tx.PutIntake(d, "", c.CreatedAt); err != nil {
				return err
			}
		}
		return nil
	})
}
