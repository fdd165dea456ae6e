package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"whistle/domain"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
)

// cadres are the demo's liaison cadres (联企干部) besides demo.liaison, with their orgs.
var cadres = []struct{ login, name, org string }{
	{"liaison.01", "联企干部 曾志刚", "LT-JDB"}, {"liaison.02", "联企干部 谭丽", "LY-GXJ"}, {"liaison.03", "联企干部 彭亮", "LT-JDB"},
	{"liaison.04", "联企干部 肖红", "LY-SJJ"}, {"liaison.05", "联企干部 曹军", "LT-JDB"}, {"liaison.06", "联企干部 龚敏", "LY-GXJ"},
	{"liaison.07", "联企干部 贺伟", "LY-NYJ"}, {"liaison.08", "联企干部 邹静", "LT-JDB"},
}

// inspectionKinds are the demo's annual plan entries per org: kind, industries, times.
var inspectionKinds = []struct {
	org, kind, basis string
	industries       []string
	times            int
	items            []string
}{
	{"LY-SJJ", "食品安全检查", "《中华人民共和国食品安全法》第一百一十条", []string{"catering", "retail"}, 2, []string{"食品经营许可", "从业人员健康证明", "进货查验记录", "食品贮存条件"}},
	{"LY-SJJ", "特种设备安全检查", "《中华人民共和国特种设备安全法》第五十七条", []string{"manufacturing", "logistics"}, 1, []string{"特种设备使用登记", "定期检验", "作业人员持证"}},
	{"LY-YJJ", "安全生产检查", "《中华人民共和国安全生产法》第六十五条", []string{"manufacturing", "hazardous_chemical", "construction"}, 2, []string{"安全生产责任制", "隐患排查治理台账", "应急预案及演练", "特种作业人员持证"}},
	{"LY-XFJY", "消防安全检查", "《中华人民共和国消防法》第五十三条", nil, 1, []string{"消防设施器材", "疏散通道和安全出口", "消防安全制度", "员工消防培训"}},
	{"LY-HBJ", "生态环境执法检查", "《中华人民共和国环境保护法》第二十四条", []string{"manufacturing"}, 1, []string{"排污许可", "污染防治设施运行", "危险废物管理"}},
}

// enterprises loads the registry from data/enterprises.csv with its cadres, a year of
// visits (the history's liaison problems become their problems), the annual inspection
// plans and two years of inspections (fewer this year: the drop the scheme reports).
func enterprises(ctx context.Context, db *store.DB, svc *service.Service, rng *rand.Rand, users Users, now time.Time) error {
	hash, err := passhash.Hash(Password)
	if err != nil {
		return err
	}
	for i, c := range cadres {
		u, err := db.PutUser(ctx, domain.User{Login: c.login, Name: c.name, Phone: fmt.Sprintf("1367381%04d", 3000+i),
			Grants: []domain.Grant{{Role: domain.RoleLiaison, Org: c.org}}}, hash)
		if err != nil {
			return err
		}
		users[c.login] = u
	}
	rows, err := readCSV("enterprises.csv")
	if err != nil {
		return err
	}
	linkedFrom := now.AddDate(-1, -1, 0).Format("2006-01-02")
	var ents []*domain.Enterprise
	cadreOf := map[int64]int64{}
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i, rec := range rows {
			e := &domain.Enterprise{USCC: rec[0], Name: rec[1], Address: rec[2], Region: rec[3], Industry: rec[4], Size: rec[5], Contact: rec[6], Phone: rec[7]}
			if i == 0 {
				e.AccountID = users["demo.enterprise"].ID
			}
			if err := e.Validate(); err != nil {
				return fmt.Errorf("demo enterprise %s: %w", e.Name, err)
			}
			if err := tx.PutEnterprise(e); err != nil {
				return err
			}
			cadre := users[rec[8]]
			if err := tx.LinkCadre(cadre.ID, e.USCC, linkedFrom, e.Name); err != nil {
				return err
			}
			cadreOf[e.ID] = cadre.ID
			ents = append(ents, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := visits(ctx, db, rng, users, ents, cadreOf, now); err != nil {
		return err
	}
	return inspections(ctx, db, rng, users, ents, now)
}

// visits records the cadres' visits: one for each liaison problem of the history (the
// problem is linked to the enterprise and cadre), and routine monthly visits.
func visits(ctx context.Context, db *store.DB, rng *rand.Rand, users Users, ents []*domain.Enterprise, cadreOf map[int64]int64, now time.Time) error {
	admin := users["demo.admin"]
	var problems []*domain.Case
	for after := int64(0); ; {
		page, next, err := db.Cases(ctx, admin, domain.CaseFilter{Region: Street, Kind: "enterprise_problem", Channel: "liaison", After: after, Limit: 500})
		if err != nil {
			return err
		}
		problems = append(problems, page...)
		if next == 0 {
			break
		}
		after = next
	}
	var links [][]any
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, c := range problems {
			e := ents[rng.IntN(len(ents))]
			v := store.Visit{EnterpriseID: e.ID, UserID: cadreOf[e.ID], At: c.CreatedAt.Add(-time.Duration(30+rng.IntN(90)) * time.Minute).Unix(),
				Note: "走访企业，收集问题：" + c.Title, Problems: []int64{c.ID}}
			if err := tx.InsertVisit(&v); err != nil {
				return err
			}
			links = append(links, []any{c.ID, e.ID, "liaison", cadreOf[e.ID], v.ID, nil})
		}
		for _, e := range ents {
			for m := 12; m >= 1; m-- {
				at := now.AddDate(0, -m, rng.IntN(28))
				v := store.Visit{EnterpriseID: e.ID, UserID: cadreOf[e.ID], At: time.Date(at.Year(), at.Month(), at.Day(), 9+rng.IntN(8), rng.IntN(60), 0, 0, domain.China).Unix(),
					Note: "例行走访，了解企业生产经营情况，宣传惠企政策"}
				if err := tx.InsertVisit(&v); err != nil {
					return err
				}
			}
		}
		return tx.LinkEnterpriseCases(links)
	})
	return err
}

// inspections writes the annual plans of this year and last, and the inspections of
// both years, each checked with the domain's own rules as it would have been at the
// time: planned ones mostly, some flagged (unplanned, too soon, one certificate) and
// then approved or refused; the enterprise rates most finished ones.
func inspections(ctx context.Context, db *store.DB, rng *rand.Rand, users Users, ents []*domain.Enterprise, now time.Time) error {
	type visit struct {
		at   time.Time
		e    *domain.Enterprise
		kind int
	}
	var plan []visit
	for _, e := range ents {
		for k, ik := range inspectionKinds {
			if ik.industries != nil && !slices.Contains(ik.industries, e.Industry) {
				continue
			}
			for back := 2; back >= 1; back-- { // last year's (more) and this year's
				n := ik.times + rng.IntN(2)
				if back == 1 {
					n = rng.IntN(ik.times + 1)
				}
				for range n {
					at := now.AddDate(-back+1, 0, -rng.IntN(365))
					plan = append(plan, visit{time.Date(at.Year(), at.Month(), at.Day(), 9+rng.IntN(7), rng.IntN(60), 0, 0, domain.China), e, k})
				}
			}
		}
	}
	slices.SortFunc(plan, func(a, b visit) int { return a.at.Compare(b.at) })
	inspectors := []string{"许强", "周建平", "谭红", "李卫东", "刘芳", "陈刚"}
	return db.Update(ctx, func(tx *store.Tx) error {
		for y := now.Year() - 2; y <= now.Year(); y++ {
			for _, ik := range inspectionKinds {
				inds := ik.industries
				if inds == nil {
					inds = []string{""}
				}
				for _, ind := range inds {
					p := domain.InspectionPlan{Org: ik.org, Year: y, Kind: ik.kind, Region: Street, Industry: ind, Times: ik.times, Note: "年度涉企行政检查计划"}
					if err := tx.PutInspectionPlan(&p); err != nil {
						return err
					}
				}
			}
		}
		for _, v := range plan {
			ik := inspectionKinds[v.kind]
			opener := users["officer."+ik.org]
			if ik.org == "LY-SJJ" {
				opener = users["demo.inspector"]
			}
			a, b := rng.IntN(len(inspectors)), rng.IntN(len(inspectors)-1)
			if b >= a {
				b++
			}
			in := domain.ScanIn{Org: ik.org, Kind: ik.kind, LegalBasis: ik.basis, Items: ik.items,
				Inspectors: []domain.Inspector{{Name: inspectors[a], Certificate: fmt.Sprintf("43138%06d", 100+a)}, {Name: inspectors[b], Certificate: fmt.Sprintf("43138%06d", 100+b)}}}
			if rng.IntN(20) == 0 {
				in.Inspectors[1].Certificate = ""
			}
			ys := time.Date(v.at.Year(), 1, 1, 0, 0, 0, 0, domain.China)
			plans, err := tx.InspectionPlans(ik.org, v.at.Year())
			if err != nil {
				return err
			}
			done, err := tx.InspectionsByPlan(ik.org, v.e.ID, ys)
			if err != nil {
				return err
			}
			last, err := tx.LastInspection(v.e.ID, ik.kind)
			if err != nil {
				return err
			}
			flags, planID := domain.InspectionFlags(v.e, in, v.at, plans, done, last)
			lat, lon := 27.69+rng.Float64()*0.02, 111.66+rng.Float64()*0.02
			got := domain.Inspection{EnterpriseID: v.e.ID, Region: v.e.Region, Org: ik.org, Kind: ik.kind, LegalBasis: ik.basis, Items: ik.items,
				Inspectors: in.Inspectors, OpenedBy: opener.ID, OpenedAt: v.at, Lat: &lat, Lon: &lon, PlanID: planID, Flags: flags,
				Status: domain.InspectionOpen, CaseIDs: []int64{}}
			if len(flags) > 0 {
				got.Status = domain.InspectionHeld
			}
			if err := tx.InsertInspection(&got); err != nil {
				return err
			}
			if len(flags) > 0 {
				got.ApprovedBy = users["demo.leader"].ID
				if rng.IntN(5) < 2 {
					got.Status, got.ApprovalNote = domain.InspectionNo, "无事不扰：同类检查间隔过短，不予批准"
				} else {
					got.Status, got.ApprovalNote = domain.InspectionOpen, "有投诉举报线索，同意检查"
				}
			}
			if got.Status == domain.InspectionOpen && v.at.Add(3*time.Hour).Before(now) {
				fin := v.at.Add(time.Duration(60+rng.IntN(120)) * time.Minute)
				got.Status, got.FinishedAt, got.Result = domain.InspectionDone, &fin, "检查未发现违法违规问题"
				if rng.IntN(6) == 0 {
					got.Result = "发现问题已当场责令整改"
				}
				if rng.IntN(10) < 8 {
					rated := fin.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
					if rated.Before(now) {
						got.Rating, got.RatedAt = 5-rng.IntN(3)/2-rng.IntN(10)/9, &rated
						got.RatingComment = map[int]string{5: "检查规范，亮证执法，指导到位", 4: "总体满意，希望减少重复检查", 3: "检查时间较长，影响生产"}[got.Rating]
					}
				}
			}
			if err := tx.UpdateInspection(&got); err != nil {
				return err
			}
		}
		return nil
	})
}
