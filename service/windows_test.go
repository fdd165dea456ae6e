package service_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
)

// windowScene is a county the demo knows nothing of (冷水江市, 431381): its regions,
// its people, and halls and windows set up from nothing through the service.
type windowScene struct {
	*fixture
	halls   map[string]domain.Hall
	windows map[string]domain.Window
}

func newWindowScene(t *testing.T) *windowScene {
	t.Helper()
	f := newFixture(t)
	s := &windowScene{fixture: f, halls: map[string]domain.Hall{}, windows: map[string]domain.Window{}}
	// the installation grows a second county: its catalogue is then kept by an
	// administrator of all of it, no longer by the demo county's
	admin, err := f.db.PutUser(ctx, domain.User{Login: "root", Name: "root", Grants: []domain.Grant{{Role: domain.RoleAdmin}}}, cheapHash("password-1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []domain.Region{{Code: "431381", Name: "冷水江市"}, {Code: "431381001", Name: "锑都街道"},
		{Code: "431381001001", Name: "锑都社区"}, {Code: "431381002", Name: "沙塘湾街道"}, {Code: "431381002001", Name: "沙塘湾社区"}} {
		if _, err := f.svc.PutRegion(ctx, admin, r); err != nil {
			t.Fatal(err)
		}
	}
	for login, g := range map[string]domain.Grant{"lsj.admin": {Role: domain.RoleAdmin, Region: "431381"},
		"lsj.leader": {Role: domain.RoleLeader, Region: "431381"}, "lsj.a.leader": {Role: domain.RoleLeader, Region: "431381001"},
		"lsj.a": {Role: domain.RoleDispatcher, Region: "431381001"}, "lsj.b": {Role: domain.RoleDispatcher, Region: "431381002"}} {
		u, err := f.db.PutUser(ctx, domain.User{Login: login, Name: login, Grants: []domain.Grant{g}}, cheapHash("password-1"))
		if err != nil {
			t.Fatal(err)
		}
		f.users[login] = u
	}
	// 无差别综合受理 is the matter's own flag, set through the catalogue
	ms := []domain.Matter{}
	for _, code := range []string{"SR-001", "FW-004"} {
		m, err := f.svc.Matter(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		m.Comprehensive = code == "SR-001"
		ms = append(ms, m)
	}
	if err := f.svc.PutMatters(ctx, admin, ms); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *windowScene) hall(t *testing.T, h domain.Hall) {
	t.Helper()
	h.Active = true
	got, err := s.svc.PutHall(ctx, s.user("lsj.admin"), h)
	if err != nil {
		t.Fatalf("hall %s: %v", h.Code, err)
	}
	s.halls[h.Code] = got
}

func (s *windowScene) window(t *testing.T, hall string, w domain.Window) {
	t.Helper()
	w.HallID, w.Active = s.halls[hall].ID, true
	got, err := s.svc.PutWindow(ctx, s.user("lsj.admin"), w)
	if err != nil {
		t.Fatalf("window %s: %v", w.Code, err)
	}
	s.windows[w.Code] = got
}

// fileAtWindow files a case in 锑都社区 through a window by reference, as lsj.a.
func (s *windowScene) fileAtWindow(ch domain.Channel, matter, ref string) (*service.Receipt, error) {
	return s.svc.FileIntake(ctx, s.user("lsj.a"), service.Intake{Receipt: true, Details: domain.IntakeDetails{Window: ref},
		Case: domain.NewCase{Matter: matter, Title: "窗口受理", Region: "431381001001", Channel: ch, Kind: "request",
			Reporter: domain.Reporter{Name: "李四", Phone: "13800002222"}}})
}

// walk takes a case to resolution (after advancing the clock by late) and a visit.
func (s *windowScene) walk(t *testing.T, id int64, org string, late time.Duration, sat domain.Satisfaction) {
	t.Helper()
	s.act(t, "lsj.a", id, domain.Command{Action: domain.ActAccept})
	s.act(t, "lsj.a", id, domain.Command{Action: domain.ActDispatch, Org: org})
	officer := "officer." + strings.ToLower(org)
	s.act(t, officer, id, domain.Command{Action: domain.ActAcknowledge})
	s.act(t, officer, id, domain.Command{Action: domain.ActStart})
	s.clock.Add(late)
	s.act(t, officer, id, domain.Command{Action: domain.ActResolve, Result: "已办结"})
	s.act(t, "lsj.a", id, domain.Command{Action: domain.ActVerify})
	s.act(t, "lsj.a", id, domain.Command{Action: domain.ActVisit, Satisfaction: sat})
}

func TestWindowsFromNothing(t *testing.T) {
	t.Parallel()
	s := newWindowScene(t)
	today := domain.Today(s.clock.Now())
	s.hall(t, domain.Hall{Code: "LSJ-ZWFW", Name: "冷水江市政务服务中心", Region: "431381", Kind: domain.HallCentre})
	s.hall(t, domain.Hall{Code: "LSJ-TD", Name: "锑都街道便民服务中心", Region: "431381001", Kind: domain.HallConvenience})
	s.hall(t, domain.Hall{Code: "LSJ-ST", Name: "沙塘湾街道便民服务中心", Region: "431381002", Kind: domain.HallConvenience})
	s.window(t, "LSJ-ZWFW", domain.Window{Code: "ZW-01", Name: "综合窗口", Kind: domain.WindowComprehensive, SetUp: "2025-01-01"})
	s.window(t, "LSJ-ZWFW", domain.Window{Code: "ZW-BC", Name: "办不成事反映窗口", Kind: domain.WindowCannotDo, SetUp: "2025-01-01"})
	s.window(t, "LSJ-ZWFW", domain.Window{Code: "ZW-BDC", Name: "不动产专窗", Kind: domain.WindowSpecialised, SetUp: "2025-01-01", Matters: []string{"FW-004"}})
	s.window(t, "LSJ-TD", domain.Window{Code: "TD-01", Name: "综合窗口1号", Kind: domain.WindowComprehensive, SetUp: "2025-01-01",
		Staff: []int64{s.user("lsj.a").ID}})
	s.window(t, "LSJ-TD", domain.Window{Code: "TD-02", Name: "综合窗口2号", Kind: domain.WindowComprehensive}) // set up today, takes nothing
	s.window(t, "LSJ-ST", domain.Window{Code: "ST-01", Name: "综合窗口", Kind: domain.WindowComprehensive, SetUp: "2025-01-01"})
	if got := s.windows["TD-02"]; got.SetUp != today || got.Region != "431381001" {
		t.Errorf("TD-02 completed to %+v, want set up today in its hall's region", got)
	}
	checkWindowRefusals(t, s)

	// c1, c2 at TD-01 (c2 resolved late and dissatisfied), c3 at the district's
	// comprehensive window, c4 a 办不成事 case at ZW-BC named by id, c5 at the specialised one
	var ids []int64
	for _, f := range []struct {
		ch                domain.Channel
		matter, ref, code string
	}{{"window", "SR-001", "TD-01", "TD-01"}, {"window", "SR-001", "TD-01", "TD-01"}, {"window", "SR-001", "ZW-01", "ZW-01"},
		{domain.CannotDo, "FW-004", strconv.FormatInt(s.windows["ZW-BC"].ID, 10), "ZW-BC"}, {"window", "FW-004", "ZW-BDC", "ZW-BDC"}} {
		rc, err := s.fileAtWindow(f.ch, f.matter, f.ref)
		if err != nil {
			t.Fatalf("filing at %s: %v", f.ref, err)
		}
		if rc.Window == nil || rc.Window.Code != f.code {
			t.Errorf("receipt window %+v for %s, want %s", rc.Window, f.ref, f.code)
		}
		ids = append(ids, rc.Case.ID)
	}
	d, err := s.svc.Intake(ctx, s.user("lsj.a"), ids[3])
	if err != nil || d.WindowID != s.windows["ZW-BC"].ID || d.Window != "ZW-BC" || !d.Supervised {
		t.Errorf("intake of the 办不成事 case: %+v %v", d, err)
	}
	s.walk(t, ids[0], "LY-CGJ", 0, domain.Satisfied)
	s.walk(t, ids[3], "LY-ZRJ", 0, domain.BasicallySatisfied)
	s.walk(t, ids[1], "LY-CGJ", 3*24*time.Hour, domain.Dissatisfied) // SR-001 is resolved in one working day

	from, to := s.clock.Now().AddDate(0, 0, -10), s.clock.Now().AddDate(0, 0, 10)
	rep, err := s.svc.WindowStats(ctx, s.user("lsj.leader"), "", from, to)
	if err != nil {
		t.Fatal(err)
	}
	checkWindowReport(t, s, rep)
	checkWindowFold(t, s, rep, ids)
	checkWindowCaseList(t, s, ids)
	checkWindowScope(t, s, from, to)

	// a period before the cases: the same windows set up (TD-02 only from today), zeros
	before, err := s.svc.WindowStats(ctx, s.user("lsj.leader"), "", from, s.clock.Now().AddDate(0, 0, -5))
	if err != nil {
		t.Fatal(err)
	}
	if want := (domain.WindowsSetUp{Total: 5, Comprehensive: 3, CannotDo: 1, Specialised: 1}); before.Total.Windows != want || before.Total.Received != 0 || len(before.Windows) != 5 {
		t.Errorf("before the cases: set up %+v, received %d, %d windows listed; want %+v, 0, 5", before.Total.Windows, before.Total.Received, len(before.Windows), want)
	}
}

// checkWindowRefusals files what the windows must refuse, and checks nothing was written.
func checkWindowRefusals(t *testing.T, s *windowScene) {
	t.Helper()
	before := s.snapshot(t)
	for _, c := range []struct {
		name        string
		ch          domain.Channel
		matter, ref string
		want        string
	}{
		{"a matter the comprehensive window does not accept", "window", "FW-004", "TD-01", "does not accept matter FW-004"},
		{"a matter the specialised window does not list", "window", "SR-001", "ZW-BDC", "not one of the matters"},
		{"办不成事 at a comprehensive window", domain.CannotDo, "SR-001", "TD-01", "comes through a cannot_do window"},
		{"an ordinary case at the 办不成事 window", "window", "SR-001", "ZW-BC", "takes only 办不成事 cases"},
		{"another street's window", "window", "SR-001", "ST-01", "serves region 431381002"},
		{"an unknown window", "window", "SR-001", "NOPE", `unknown window "NOPE"`},
		{"no window where windows serve", "window", "FW-004", "", "windows that accept it: ZW-BDC（不动产专窗）"},
		{"a window on an online report", "online", "SR-001", "TD-01", "window is for the window and cannot_do_window channels only"},
	} {
		_, err := s.fileAtWindow(c.ch, c.matter, c.ref)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want a refusal saying %q", c.name, err, c.want)
		}
	}
	if after := s.snapshot(t); after != before {
		t.Errorf("refused filings wrote: %s → %s", before, after)
	}
}

// checkWindowReport checks each figure of the period holding the five cases.
func checkWindowReport(t *testing.T, s *windowScene, rep domain.WindowReport) {
	t.Helper()
	text := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	byCode := map[string]domain.WindowRow{}
	for _, w := range rep.Windows {
		byCode[w.Code] = w
	}
	// the rates as every statistic finishes them (their values are checked below)
	figs := func(received, cannotDo, resolved, onTime, visited, satisfied, basically int64) string {
		f := domain.WindowFigures{Received: received, CannotDo: cannotDo, Resolved: resolved, ResolvedOnTime: onTime, Visited: visited,
			Satisfied: satisfied, BasicallySatisfied: basically}
		f.Finish()
		return text(f)
	}
	for code, want := range map[string]string{
		"TD-01":  figs(2, 0, 2, 1, 2, 1, 0),
		"TD-02":  figs(0, 0, 0, 0, 0, 0, 0),
		"ZW-01":  figs(1, 0, 0, 0, 0, 0, 0),
		"ZW-BC":  figs(1, 1, 1, 1, 1, 0, 1),
		"ZW-BDC": figs(1, 0, 0, 0, 0, 0, 0),
		"ST-01":  figs(0, 0, 0, 0, 0, 0, 0),
	} {
		if got := text(byCode[code].WindowFigures); got != want {
			t.Errorf("window %s: %s, want %s", code, got, want)
		}
		if !byCode[code].Open {
			t.Errorf("window %s not counted as set up", code)
		}
	}
	halls := map[string]domain.HallRow{}
	for _, h := range rep.Halls {
		halls[h.Code] = h
	}
	for code, want := range map[string]struct {
		set  domain.WindowsSetUp
		figs string
	}{
		"LSJ-ZWFW": {domain.WindowsSetUp{Total: 3, Comprehensive: 1, CannotDo: 1, Specialised: 1}, figs(3, 1, 1, 1, 1, 0, 1)},
		"LSJ-TD":   {domain.WindowsSetUp{Total: 2, Comprehensive: 2}, figs(2, 0, 2, 1, 2, 1, 0)},
		"LSJ-ST":   {domain.WindowsSetUp{Total: 1, Comprehensive: 1}, figs(0, 0, 0, 0, 0, 0, 0)},
	} {
		if h := halls[code]; h.Windows != want.set || text(h.WindowFigures) != want.figs {
			t.Errorf("hall %s: %+v %s, want %+v %s", code, h.Windows, text(h.WindowFigures), want.set, want.figs)
		}
	}
	near := func(p *float64, want float64) bool { return p != nil && *p > want-0.0005 && *p < want+0.0005 }
	td, bc := byCode["TD-01"], byCode["ZW-BC"]
	if !near(td.OnTimeRate, 0.5) || !near(td.SatisfactionRate, 0.5) || !near(bc.OnTimeRate, 1) || !near(bc.SatisfactionRate, 1) ||
		byCode["TD-02"].OnTimeRate != nil || byCode["TD-02"].SatisfactionRate != nil || !near(rep.Total.SatisfactionRate, 2.0/3) || !near(rep.Total.OnTimeRate, 2.0/3) {
		t.Errorf("rates: TD-01 %s, ZW-BC %s, TD-02 %s, total %s", text(td.WindowFigures), text(bc.WindowFigures), text(byCode["TD-02"].WindowFigures), text(rep.Total.WindowFigures))
	}
	total := rep.Total
	if total.Windows != (domain.WindowsSetUp{Total: 6, Comprehensive: 4, CannotDo: 1, Specialised: 1}) ||
		text(total.WindowFigures) != figs(5, 1, 3, 2, 3, 1, 1) {
		t.Errorf("total %+v %s", total.Windows, text(total.WindowFigures))
	}
	if rep.From != domain.Today(s.clock.Now().AddDate(0, 0, -10)) || len(rep.Halls) != 3 || len(rep.Windows) != 6 {
		t.Errorf("report of %s to %s, %d halls, %d windows", rep.From, rep.To, len(rep.Halls), len(rep.Windows))
	}
}

// checkWindowFold holds the store's grouped count to the domain's rule applied to the
// cases themselves.
func checkWindowFold(t *testing.T, s *windowScene, rep domain.WindowReport, ids []int64) {
	t.Helper()
	fold := map[int64]domain.WindowFigures{}
	for _, id := range ids {
		c, err := s.db.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.db.Intake(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f := fold[d.WindowID]
		f.Add(domain.WindowTally(c))
		fold[d.WindowID] = f
	}
	for _, w := range rep.Windows {
		want := fold[w.ID]
		want.Finish()
		if got, _ := json.Marshal(w.WindowFigures); string(got) != jsonText(t, want) {
			t.Errorf("window %s: store %s, fold of its cases %s", w.Code, got, jsonText(t, want))
		}
	}
}

// checkWindowCaseList checks the case list's window filter against the figures.
func checkWindowCaseList(t *testing.T, s *windowScene, ids []int64) {
	t.Helper()
	for _, c := range []struct {
		windows []string
		status  []domain.Status
		want    []int64
	}{
		{[]string{"TD-01"}, nil, []int64{ids[1], ids[0]}},
		{[]string{"ZW-01", "ZW-BC", "ZW-BDC"}, nil, []int64{ids[4], ids[3], ids[2]}},
		{[]string{"TD-01", "ZW-BC"}, []domain.Status{domain.StatusResolved, domain.StatusVerified, domain.StatusClosed}, []int64{ids[3], ids[1], ids[0]}},
		{[]string{"TD-02"}, nil, nil},
	} {
		f := domain.CaseFilter{Status: c.status}
		for _, code := range c.windows {
			f.Window = append(f.Window, s.windows[code].ID)
		}
		cases, _, err := s.svc.Cases(ctx, s.user("lsj.leader"), f)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, cs := range cases {
			got = append(got, cs.ID)
		}
		n, err := s.svc.CountCases(ctx, s.user("lsj.leader"), f, service.CountLimit)
		if jsonText(t, got) != jsonText(t, c.want) || err != nil || n.N != len(c.want) {
			t.Errorf("cases at %v %v: %v (count %d, %v), want %v", c.windows, c.status, got, n.N, err, c.want)
		}
	}
}

// checkWindowScope checks who may read and change what.
func checkWindowScope(t *testing.T, s *windowScene, from, to time.Time) {
	t.Helper()
	rep, err := s.svc.WindowStats(ctx, s.user("lsj.a.leader"), "", from, to)
	if err != nil || len(rep.Halls) != 1 || rep.Halls[0].Code != "LSJ-TD" || rep.Total.Received != 2 {
		t.Errorf("the street leader's report: %+v %v, want its hall only", rep.Halls, err)
	}
	_, err = s.svc.WindowStats(ctx, s.user("lsj.b"), "431381001", from, to)
	wantCode(t, err, domain.ENOTFOUND)
	_, err = s.svc.WindowStats(ctx, s.user("officer.ly-cgj"), "", from, to)
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = s.svc.Windows(ctx, s.user("lsj.b"), "431381001", 0)
	wantCode(t, err, domain.ENOTFOUND)
	_, err = s.svc.Window(ctx, s.user("lsj.b"), s.windows["TD-01"].ID)
	wantCode(t, err, domain.ENOTFOUND)
	if ws, err := s.svc.Windows(ctx, s.user("lsj.b"), "", 0); err != nil || len(ws) != 1 || ws[0].Code != "ST-01" {
		t.Errorf("lsj.b's windows: %v %v, want ST-01 only", ws, err)
	}
	_, err = s.svc.PutWindow(ctx, s.user("lsj.a"), domain.Window{HallID: s.halls["LSJ-TD"].ID, Code: "TD-09", Name: "x", Kind: domain.WindowComprehensive})
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = s.svc.PutHall(ctx, s.user("lsj.admin"), domain.Hall{Code: "LY-X", Name: "x", Region: "431382001", Kind: domain.HallConvenience, Active: true})
	wantCode(t, err, domain.EFORBIDDEN)
	demoWindow, err := s.svc.Windows(ctx, s.user("demo.admin"), "431382", 0)
	if err != nil || len(demoWindow) == 0 {
		t.Fatalf("the demo's windows: %v", err)
	}
	w := demoWindow[0]
	w.Name = "改名"
	_, err = s.svc.PutWindow(ctx, s.user("lsj.admin"), w)
	wantCode(t, err, domain.ENOTFOUND)
	_, err = s.svc.PutWindow(ctx, s.user("lsj.admin"), domain.Window{HallID: s.halls["LSJ-TD"].ID, Code: "TD-01", Name: "x", Kind: domain.WindowComprehensive})
	wantCode(t, err, domain.ECONFLICT)
	hall := s.halls["LSJ-TD"]
	hall.Active = false
	_, err = s.svc.PutHall(ctx, s.user("lsj.admin"), hall)
	wantCode(t, err, domain.EINVALID)
}
