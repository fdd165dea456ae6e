package service_test

import (
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
)

// TestAssessReworkExtension scores 发回重办率 and 延期率 of 蓝田街道's departments in
// March 2027 (no demo case then), by hand:
//
//	LY-CGJ:  A resolved, sent back (reopen) and resolved again; B resolved; C extended
//	         by 3 working days, not resolved. 发回重办 1/2 = 0.5, 延期 1/3
//	LT-ZFDD: D resolved, sent back and not yet resolved again; E resolved.
//	         发回重办 0/1 (D is in neither until resolved again), 延期 0/2
//
// rework: linear from 1 (0) down to 0 (100), lower better; extension: pass at ≤ 0.2.
// LY-CGJ (30×50 + 10×0) / 40 = 37.5; LT-ZFDD (30×100 + 10×100) / 40 = 100.
// With A left out of 发回重办率 (不合理诉求) LY-CGJ's is 0/1 → 100: (3000 + 0) / 40 = 75.
func TestAssessReworkExtension(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := "demo.dispatcher"
	f.clock.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, domain.China))
	dispatch := func(org string) int64 {
		c := f.file(t, d)
		f.act(t, d, c.ID, domain.Command{Action: domain.ActAccept})
		f.act(t, d, c.ID, domain.Command{Action: domain.ActDispatch, Org: org})
		f.act(t, "officer."+org, c.ID, domain.Command{Action: domain.ActAcknowledge})
		return c.ID
	}
	resolve := func(org string, id int64) {
		f.act(t, "officer."+org, id, domain.Command{Action: domain.ActResolve, Result: "已办结"})
	}
	reopen := func(id int64) {
		f.act(t, d, id, domain.Command{Action: domain.ActReopen, Note: "现场查看仍未清运"})
	}
	a, b, c := dispatch("LY-CGJ"), dispatch("LY-CGJ"), dispatch("LY-CGJ")
	dd, e := dispatch("LT-ZFDD"), dispatch("LT-ZFDD")
	resolve("LY-CGJ", a)
	reopen(a)
	resolve("LY-CGJ", a)
	resolve("LY-CGJ", b)
	f.act(t, d, c, domain.Command{Action: domain.ActExtend, WorkingDays: 3})
	resolve("LT-ZFDD", dd)
	reopen(dd)
	resolve("LT-ZFDD", e)

	leader := f.user("demo.leader")
	sys, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "部门办件质量", Region: demo.Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessDepartments, Indicators: []domain.Indicator{
			{Code: "rework", Name: "发回重办率", Source: domain.SrcReworkRate, Weight: 30, Direction: domain.LowerBetter, Rule: domain.RuleLinear, Floor: 1, Target: 0, MinVolume: 1},
			{Code: "ext", Name: "延期率", Source: domain.SrcExtensionRate, Weight: 10, Direction: domain.LowerBetter, Rule: domain.RulePass, Target: 0.2, MinVolume: 1},
		}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2027, 4, 1, 9, 0, 0, 0, domain.China))
	v, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	wantScores(t, "rework and extension", v.Result, map[string]want{"LY-CGJ": {37.5, 2}, "LT-ZFDD": {100, 1}})
	cgj, _ := v.Result.Score("LY-CGJ")
	if got := cgj.Indicators[0].Value; got.Num != 1 || got.Volume != 2 {
		t.Errorf("LY-CGJ 发回重办 %v/%d, want 1/2", got.Num, got.Volume)
	}
	if got := cgj.Indicators[1].Value; got.Num != 1 || got.Volume != 3 {
		t.Errorf("LY-CGJ 延期 %v/%d, want 1/3", got.Num, got.Volume)
	}
	ex, err := f.svc.RequestExclusion(ctx, f.user(d), domain.Exclusion{CaseID: a, Kind: domain.Unreasonable,
		Sources: []domain.AssessSource{domain.SrcReworkRate}, Reason: "诉求人反复要求超出标准"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideExclusion(ctx, leader, ex.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	v, err = f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	wantScores(t, "without A", v.Result, map[string]want{"LY-CGJ": {75, 2}, "LT-ZFDD": {100, 1}})
}

// TestAssessHazardsEightOnes scores 民光社区 and 新桥社区 (communities of 蓝田街道) in
// March 2027 on 隐患按期整改率 and 八个一进度, by hand:
//
//	民光社区: hazards due 3-05 (resolved 3-02), 3-10 (resolved 3-12, late), 4-20 (due in
//	         April: not counted): 1/2 → 50; 八个一 3 of 8 items by March's end (a fourth
//	         recorded in April is not counted): 37.5
//	新桥社区: 八个一 1 of 8: 12.5; no hazard: the indicator is not scored
//
// Both indicators linear 0–1, weights 1 and 1: 民光 (50 + 37.5) / 2 = 43.75, 新桥 12.5.
// A grid-worker system may not name 八个一 (kept per community).
func TestAssessHazardsEightOnes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.clock.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, domain.China))
	grid, disp, officer, leader := f.user("demo.grid"), f.user("demo.dispatcher"), f.user("officer.LY-XFJY"), f.user("demo.leader")
	report := func(deadline string) int64 {
		h, err := f.svc.ReportHazard(ctx, grid, domain.HazardFinding{Matter: "AQ-001", Title: "消防通道堵塞", Region: "431382001001001", Deadline: deadline})
		if err != nil {
			t.Fatal(err)
		}
		return h.CaseID
	}
	act := func(u domain.User, id int64, cmd domain.Command) {
		c, err := f.svc.Case(ctx, u, id)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Version = c.Version
		if _, err := f.svc.Act(ctx, u, id, cmd); err != nil {
			t.Fatalf("%s %d: %v", cmd.Action, id, err)
		}
	}
	resolve := func(id int64) {
		act(disp, id, domain.Command{Action: domain.ActAccept})
		act(disp, id, domain.Command{Action: domain.ActDispatch, Org: "LY-XFJY"})
		act(officer, id, domain.Command{Action: domain.ActAcknowledge})
		act(officer, id, domain.Command{Action: domain.ActResolve, Result: "已整改"})
	}
	early, late := report("2027-03-05"), report("2027-03-10")
	report("2027-04-20")
	f.clock.Set(time.Date(2027, 3, 2, 10, 0, 0, 0, domain.China))
	resolve(early)
	f.clock.Set(time.Date(2027, 3, 12, 10, 0, 0, 0, domain.China))
	resolve(late)

	lists, err := f.svc.EnsureChecklists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var eight int64
	for _, l := range lists {
		if l.Code == domain.EightOnes.Code {
			eight = l.ID
		}
	}
	record := func(region, item string) {
		if _, err := f.svc.RecordChecklistItem(ctx, disp, domain.ChecklistEntry{Checklist: eight, Region: region, Year: 2027, Item: item, Evidence: "见附件"}); err != nil {
			t.Fatal(err)
		}
	}
	minguang, xinqiao := "431382001001", "431382001002"
	for _, it := range []string{"meeting", "duty", "log"} {
		record(minguang, it)
	}
	record(minguang, "meeting") // again: one item still
	record(xinqiao, "plan")
	f.clock.Set(time.Date(2027, 4, 2, 10, 0, 0, 0, domain.China))
	record(minguang, "drill") // in April

	ind := []domain.Indicator{
		{Code: "hazard", Name: "隐患按期整改率", Source: domain.SrcHazardRate, Weight: 1, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1},
		{Code: "eight", Name: "八个一进度", Source: domain.SrcEightOnes, Weight: 1, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1},
	}
	if _, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "网格", Region: demo.Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessGridWorkers, Indicators: ind}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a grid workers' system with 八个一: %v, want invalid", err)
	}
	sys, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "社区安全发展", Region: demo.Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessCommunities, Indicators: ind})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	mg, _ := v.Result.Score(minguang)
	if h := mg.Indicators[0].Value; h.Num != 1 || h.Volume != 2 {
		t.Errorf("民光 hazards %v/%d, want 1/2", h.Num, h.Volume)
	}
	if e := mg.Indicators[1].Value; e.Num != 3 || e.Volume != 8 {
		t.Errorf("民光 八个一 %v/%d, want 3/8", e.Num, e.Volume)
	}
	if xq, _ := v.Result.Score(xinqiao); xq.Indicators[0].Scored {
		t.Errorf("新桥 hazards scored without a hazard: %+v", xq.Indicators[0])
	}
	// every other community has 0 of 8 done: scored 0 and ranked last together
	other := map[string]want{minguang: {43.75, 1}, xinqiao: {12.5, 2}}
	for _, sc := range v.Result.Scores {
		if sc.Key != minguang && sc.Key != xinqiao {
			other[sc.Key] = want{0, 3}
		}
	}
	wantScores(t, "communities", v.Result, other)
}

// TestAssessPatrols scores 巡查计划完成率 in March 2027, by hand: 民光社区's first
// grid's worker has a plan of 2 patrols that month and makes 1 (1/2 → 50); 城管局
// has a plan of 1 in 民光社区 and makes none (0/1 → 0). Both plans' tasks fall due at
// the month's end, so in March. Grid workers are scored by their grid, departments by
// the plan's org.
func TestAssessPatrols(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.clock.Set(time.Date(2027, 2, 20, 9, 0, 0, 0, domain.China))
	disp, grid, leader := f.user("demo.dispatcher"), f.user("demo.grid"), f.user("demo.leader")
	gridPlan, _, err := f.svc.CreatePlan(ctx, disp, domain.PatrolPlan{Name: "网格巡查", Kind: "grid", UserID: grid.ID, Region: "431382001001001",
		Times: 2, Period: "month", From: "2027-03-01", To: "2027-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.CreatePlan(ctx, disp, domain.PatrolPlan{Name: "城管巡查", Kind: "department", Org: "LY-CGJ", Region: "431382001001",
		Times: 1, Period: "month", From: "2027-03-01", To: "2027-03-31"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2027, 3, 5, 10, 0, 0, 0, domain.China))
	start := f.clock.Now().Add(-time.Hour)
	if _, err := f.svc.RecordPatrol(ctx, grid, service.PatrolInput{Patrol: domain.Patrol{PlanID: gridPlan.ID, StartedAt: start, EndedAt: start.Add(40 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2027, 4, 1, 9, 0, 0, 0, domain.China))
	patrol := []domain.Indicator{{Code: "patrol", Name: "巡查计划完成率", Source: domain.SrcPatrolRate, Weight: 1, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1}}
	for _, c := range []struct {
		kind domain.AssesseeKind
		want map[string]want
	}{
		{domain.AssessGridWorkers, map[string]want{"431382001001001": {50, 1}}},
		{domain.AssessDepartments, map[string]want{"LY-CGJ": {0, 1}}},
	} {
		sys, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "巡查", Region: demo.Street, PeriodKind: domain.PeriodMonth,
			AssesseeKind: c.kind, Indicators: patrol})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
		if err != nil {
			t.Fatal(err)
		}
		wantScores(t, string(c.kind), v.Result, c.want)
	}
}

// TestAssessLiaison scores 联企问题办结率 of 蓝田街道's communities in March 2027: the
// demo liaison cadre collects three problems at one enterprise and two are closed: 2/3
// → 66.67 for the enterprise's community, the only one scored.
func TestAssessLiaison(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.clock.Set(time.Date(2027, 3, 3, 9, 0, 0, 0, domain.China))
	cadre, disp, leader := f.user("demo.liaison"), "demo.dispatcher", f.user("demo.leader")
	all, err := f.svc.Enterprises(ctx, cadre, domain.EnterpriseFilter{Liaison: cadre.ID})
	if err != nil || len(all) == 0 {
		t.Fatalf("enterprises: %v %v", all, err)
	}
	ent := all[0]
	v, err := f.svc.RecordVisit(ctx, cadre, ent.ID, service.VisitInput{Problems: []service.InspectionFinding{
		{Matter: "QY-005", Title: "企业缺技工"}, {Matter: "QY-005", Title: "企业缺普工"}, {Matter: "QY-005", Title: "企业缺电工"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range v.Problems {
		f.act(t, disp, id, domain.Command{Action: domain.ActAccept})
		f.act(t, disp, id, domain.Command{Action: domain.ActDispatch, Org: "LY-RSJ"})
		f.act(t, "officer.LY-RSJ", id, domain.Command{Action: domain.ActAcknowledge})
		f.act(t, "officer.LY-RSJ", id, domain.Command{Action: domain.ActResolve, Result: "已对接招聘会"})
		if i > 0 {
			f.act(t, disp, id, domain.Command{Action: domain.ActClose})
		}
	}
	f.clock.Set(time.Date(2027, 4, 1, 9, 0, 0, 0, domain.China))
	liaison := []domain.Indicator{{Code: "liaison", Name: "联企问题办结率", Source: domain.SrcLiaisonRate, Weight: 1, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1}}
	if _, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "部门", Region: demo.Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessDepartments, Indicators: liaison}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a departments' system with 联企问题办结率: %v, want invalid", err)
	}
	sys, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "社区联企", Region: demo.Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessCommunities, Indicators: liaison})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	if len(ent.Region) < 12 {
		t.Fatalf("enterprise %s lies in %s, above the communities", ent.Name, ent.Region)
	}
	wantScores(t, "liaison", p.Result, map[string]want{ent.Region[:12]: {66.67, 1}})
}
