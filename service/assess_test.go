package service_test

import (
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
)

// assessScene files, in March 2027 (a month the demo holds no case in), the cases a
// hand-computed department assessment of 蓝田街道 reads:
//
//	LY-CGJ:  3 dispatched; A acknowledged on time and resolved, B on time, C late
//	LT-ZFDD: 2 dispatched, both acknowledged on time and resolved; on the second a
//	         whistle to LY-YJJ (reports in within the hour) and LT-PCS (three hours late)
//	LY-YJJ:  1 dispatched, acknowledged on time (below the minimum volume of 2)
//
// It returns the ids of C (to exclude) and of the whistled case.
func assessScene(t *testing.T, f *fixture) (late, whistled int64) {
	t.Helper()
	d := "demo.dispatcher"
	f.clock.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, domain.China)) // a Monday
	dispatch := func(org string) int64 {
		c := f.file(t, d)
		f.act(t, d, c.ID, domain.Command{Action: domain.ActAccept})
		f.act(t, d, c.ID, domain.Command{Action: domain.ActDispatch, Org: org})
		return c.ID
	}
	ack := func(org string, id int64) {
		f.act(t, "officer."+org, id, domain.Command{Action: domain.ActAcknowledge})
	}
	resolve := func(org string, id int64) {
		f.act(t, "officer."+org, id, domain.Command{Action: domain.ActStart})
		f.act(t, "officer."+org, id, domain.Command{Action: domain.ActResolve, Result: "已办结"})
	}
	a, b, c := dispatch("LY-CGJ"), dispatch("LY-CGJ"), dispatch("LY-CGJ")
	z1, z2, y := dispatch("LT-ZFDD"), dispatch("LT-ZFDD"), dispatch("LY-YJJ")
	f.clock.Add(10 * time.Minute)
	for _, id := range []int64{a, b} {
		ack("LY-CGJ", id)
	}
	ack("LT-ZFDD", z1)
	ack("LT-ZFDD", z2)
	ack("LY-YJJ", y)
	resolve("LY-CGJ", a)
	resolve("LT-ZFDD", z1)
	f.act(t, d, z2, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-YJJ", "LT-PCS"}, Hours: 2})
	f.clock.Add(30 * time.Minute)
	f.act(t, "officer.LY-YJJ", z2, domain.Command{Action: domain.ActReportIn})
	resolve("LT-ZFDD", z2)
	f.clock.Add(5 * time.Hour)
	f.act(t, "officer.LT-PCS", z2, domain.Command{Action: domain.ActReportIn})
	f.clock.Add(24 * time.Hour)
	ack("LY-CGJ", c) // a day late
	return c, z2
}

// assessSystem is the departments' monthly system the test scores:
//
//	resp   响应率      weight 40, linear from 0.5 (0) to 1.0 (100), at least 2 dispatched
//	res    解决率      weight 30, pass at 0.5, at least 2 dispatched
//	rating 报到评价    weight 20, linear from 0 to 1, at least 1 rating
//	lead   领导评分    weight 10, manual
func assessSystem() domain.AssessSystem {
	return domain.AssessSystem{Name: "部门月度考核", Region: demo.Street, PeriodKind: domain.PeriodMonth, AssesseeKind: domain.AssessDepartments, AppealDays: 3,
		Indicators: []domain.Indicator{
			{Code: "resp", Name: "响应率", Source: domain.SrcResponseRate, Weight: 40, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.5, Target: 1, MinVolume: 2},
			{Code: "res", Name: "解决率", Source: domain.SrcResolution, Weight: 30, Direction: domain.HigherBetter, Rule: domain.RulePass, Target: 0.5, MinVolume: 2},
			{Code: "rating", Name: "吹哨报到评价", Source: domain.SrcRating, Weight: 20, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1},
			{Code: "lead", Name: "领导评分", Source: domain.SrcManual, Weight: 10, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 100},
		}}
}

type want struct {
	total float64
	rank  int
}

func wantScores(t *testing.T, what string, r domain.AssessResult, ws map[string]want) {
	t.Helper()
	scored := 0
	for _, sc := range r.Scores {
		if sc.Scored {
			scored++
		}
	}
	if scored != len(ws) {
		t.Errorf("%s: %d scored, want %d: %+v", what, scored, len(ws), r.Scores)
	}
	for key, w := range ws {
		sc, ok := r.Score(key)
		if !ok || !sc.Scored || sc.Total != w.total || sc.Rank != w.rank {
			t.Errorf("%s: %s scored %.2f rank %d (scored %v), want %.2f rank %d", what, key, sc.Total, sc.Rank, sc.Scored, w.total, w.rank)
		}
	}
}

// TestAssessHandComputed scores the scene by hand, before and after an exclusion, with
// the street's ratings and a leader's manual score, publishes it, takes an appeal and
// checks the frozen table against later events:
//
//	LY-CGJ  resp 2/3 → 33.33, res 1/3 → fail 0: (40×33.33 + 30×0) / 70 = 19.05
//	        with C left out of 响应率 (免责): resp 2/2 → 100: 4000 / 70 = 57.14
//	LT-ZFDD resp 2/2 → 100, res 2/2 → 100: 100
//	LY-YJJ  resp and res below 2 dispatched: not scored, their weight spread;
//	        rating 基本满意 on time 0.5 → 50, lead 80: (20×50 + 10×80) / 30 = 60
//	LT-PCS  rating 满意 but late 0.5 → 50: 50
//
// An accepted appeal of LY-CGJ's 解决率 corrected to 2/3 (pass, 100) makes it
// (4000 + 3000) / 70 = 100, tied first with LT-ZFDD; nothing else of the table moves.
func TestAssessHandComputed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	late, whistled := assessScene(t, f)
	leader, disp, admin := f.user("demo.leader"), f.user("demo.dispatcher"), f.user("demo.admin")
	cgj, yjj := f.user("officer.LY-CGJ"), f.user("officer.LY-YJJ")

	if _, err := f.svc.CreateAssessSystem(ctx, disp, assessSystem()); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a dispatcher defined a system: %v", err)
	}
	bad := assessSystem()
	bad.Indicators[0].Target = 0.4
	if _, err := f.svc.CreateAssessSystem(ctx, admin, bad); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a backwards floor and target: %v", err)
	}
	sys, err := f.svc.CreateAssessSystem(ctx, admin, assessSystem())
	if err != nil {
		t.Fatal(err)
	}

	// ratings: the street rates the two report-ins; a second rating is a conflict, an
	// org that never reported in cannot be rated
	for _, r := range []domain.ReportInRating{
		{CaseID: whistled, Org: "LY-YJJ", Grade: domain.RatingBasically, Timely: true},
		{CaseID: whistled, Org: "LT-PCS", Grade: domain.RatingSatisfied, Timely: false, Note: "迟到三小时"},
	} {
		if _, err := f.svc.RateReportIn(ctx, disp, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.RateReportIn(ctx, leader, domain.ReportInRating{CaseID: whistled, Org: "LY-YJJ", Grade: domain.RatingNot, Timely: true}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("rated twice: %v", err)
	}
	if _, err := f.svc.RateReportIn(ctx, disp, domain.ReportInRating{CaseID: whistled, Org: "LY-CGJ", Grade: domain.RatingNot}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("rated an org never summoned: %v", err)
	}
	if _, err := f.svc.RateReportIn(ctx, yjj, domain.ReportInRating{CaseID: whistled, Org: "LT-PCS", Grade: domain.RatingNot}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a department rated another: %v", err)
	}

	// the period is not over in March
	if _, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("an open period scored: %v", err)
	}
	f.clock.Set(time.Date(2027, 4, 1, 9, 0, 0, 0, domain.China)) // a Thursday
	if err := f.svc.SetManualScore(ctx, leader, sys.ID, "2027-03", "LY-YJJ", "lead", 80, "防汛工作突出"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetManualScore(ctx, leader, sys.ID, "2027-03", "LY-YJJ", "resp", 80, "x"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a manual score of a rollup indicator: %v", err)
	}
	v, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	wantScores(t, "draft", v.Result, map[string]want{"LT-ZFDD": {100, 1}, "LY-YJJ": {60, 2}, "LT-PCS": {50, 3}, "LY-CGJ": {19.05, 4}})
	if _, err := f.svc.AssessPeriod(ctx, cgj, sys.ID, "2027-03"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a department read the draft: %v", err)
	}

	// exclusions: LY-CGJ applies for 免责 of C from 响应率; a dispatcher marks another
	// case 不合理诉求 and the leader rejects it
	if _, err := f.svc.RequestExclusion(ctx, disp, domain.Exclusion{CaseID: late, Kind: domain.Exempt, Sources: []domain.AssessSource{domain.SrcResponseRate}, Reason: "x"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a dispatcher applied for 免责: %v", err)
	}
	if _, err := f.svc.RequestExclusion(ctx, cgj, domain.Exclusion{CaseID: late, Kind: domain.Exempt, Sources: []domain.AssessSource{domain.SrcRating}, Reason: "x"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("excluded from a source no case counts in: %v", err)
	}
	ex, err := f.svc.RequestExclusion(ctx, cgj, domain.Exclusion{CaseID: late, Kind: domain.Exempt, Sources: []domain.AssessSource{domain.SrcResponseRate}, Reason: "停电，系统无法签收"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideExclusion(ctx, disp, ex.ID, true, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a dispatcher approved: %v", err)
	}
	if _, err := f.svc.DecideExclusion(ctx, leader, ex.ID, true, "情况属实"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideExclusion(ctx, leader, ex.ID, false, ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("decided twice: %v", err)
	}
	ex2, err := f.svc.RequestExclusion(ctx, disp, domain.Exclusion{CaseID: whistled, Kind: domain.Unreasonable, Sources: []domain.AssessSource{domain.SrcResolution}, Reason: "反复诉求"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideExclusion(ctx, leader, ex2.ID, false, "诉求合理"); err != nil {
		t.Fatal(err)
	}
	xs, err := f.svc.Exclusions(ctx, leader, "", "2027-03", "2027-03", "")
	if err != nil || len(xs) != 2 || xs[0].Decider != leader.Name || xs[0].Requester != cgj.Name || xs[1].Status != domain.ExclusionRejected {
		t.Fatalf("exclusions listed: %+v %v", xs, err)
	}

	v, err = f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	wantScores(t, "with the exclusion", v.Result, map[string]want{"LT-ZFDD": {100, 1}, "LY-YJJ": {60, 2}, "LY-CGJ": {57.14, 3}, "LT-PCS": {50, 4}})
	if len(v.Exclusions) != 1 || v.Exclusions[0].ID != ex.ID {
		t.Errorf("the table's exclusions: %+v", v.Exclusions)
	}

	// publication: a leader only, once
	if _, err := f.svc.PublishAssess(ctx, admin, sys.ID, "2027-03"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("an administrator published: %v", err)
	}
	pub, err := f.svc.PublishAssess(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	// published Thursday 1 April: the last day to appeal is three working days on, by the calendar
	if pub.Result.Status != domain.PeriodPublished || pub.Result.Version != 1 || pub.Result.AppealUntil <= "2027-04-01" {
		t.Fatalf("published: %+v", pub.Result)
	}
	if _, err := f.svc.PublishAssess(ctx, leader, sys.ID, "2027-03"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("published twice: %v", err)
	}
	frozen := jsonText(t, pub.Result)

	// new events after publication: LY-CGJ resolves B, another exclusion is approved,
	// a manual score is refused; the rollup moves, the published table does not
	f.act(t, "officer.LY-CGJ", late, domain.Command{Action: domain.ActStart})
	f.act(t, "officer.LY-CGJ", late, domain.Command{Action: domain.ActResolve, Result: "已办结"})
	ex3, err := f.svc.RequestExclusion(ctx, f.user("officer.LT-ZFDD"), domain.Exclusion{CaseID: whistled, Kind: domain.Exempt, Sources: []domain.AssessSource{domain.SrcResolution}, Reason: "越权事项"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideExclusion(ctx, leader, ex3.ID, true, "同意"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetManualScore(ctx, leader, sys.ID, "2027-03", "LY-YJJ", "lead", 10, "改分"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a manual score changed a published period: %v", err)
	}
	st, err := f.svc.Stats(ctx, leader, domain.StatsQuery{Region: demo.Street, From: "2027-03", To: "2027-03", By: "org"})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range st.Rows {
		if row.Group == "LY-CGJ" && row.Resolved != 2 {
			t.Fatalf("the rollup did not move: %+v", row)
		}
	}
	again, err := f.svc.AssessPeriod(ctx, cgj, sys.ID, "2027-03") // the department reads it now
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonText(t, again.Result); got != frozen {
		t.Errorf("the frozen period changed after new events:\n%s\n%s", frozen, got)
	}

	// appeals: the assessee only, of an indicator of the table; the leader accepts
	if _, err := f.svc.FileAppeal(ctx, yjj, domain.Appeal{SystemID: sys.ID, Period: "2027-03", Assessee: "LY-CGJ", Indicator: "res", Reason: "x"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("another department appealed: %v", err)
	}
	ap, err := f.svc.FileAppeal(ctx, cgj, domain.Appeal{SystemID: sys.ID, Period: "2027-03", Assessee: "LY-CGJ", Indicator: "res", Reason: "B 已于月末办结，系统延迟"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideAppeal(ctx, cgj, ap.ID, service.AppealDecision{Accept: true, Decision: "x", Num: 3, Volume: 3}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the appellant decided: %v", err)
	}
	got, err := f.svc.DecideAppeal(ctx, leader, ap.ID, service.AppealDecision{Accept: true, Decision: "核实属实，更正为 2/3", Num: 2, Volume: 3})
	if err != nil || got.Status != domain.AppealAccepted {
		t.Fatalf("accept: %+v %v", got, err)
	}
	after, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-03")
	if err != nil {
		t.Fatal(err)
	}
	wantScores(t, "after the appeal", after.Result, map[string]want{"LT-ZFDD": {100, 1}, "LY-CGJ": {100, 1}, "LY-YJJ": {60, 3}, "LT-PCS": {50, 4}})
	if after.Result.Version != 2 || after.Result.AppealUntil != pub.Result.AppealUntil || len(after.Appeals) != 1 {
		t.Errorf("republished: version %d, until %s, appeals %d", after.Result.Version, after.Result.AppealUntil, len(after.Appeals))
	}
	// only LY-CGJ's 解决率 value changed; every other value is the frozen one
	for _, sc := range pub.Result.Scores {
		now, _ := after.Result.Score(sc.Key)
		for i, is := range sc.Indicators {
			changed := jsonText(t, is.Value) != jsonText(t, now.Indicators[i].Value)
			if changed != (sc.Key == "LY-CGJ" && is.Code == "res") {
				t.Errorf("%s %s: value changed %v", sc.Key, is.Code, changed)
			}
		}
		if sc.Key != "LY-CGJ" && sc.Total != now.Total {
			t.Errorf("%s: total %.2f → %.2f", sc.Key, sc.Total, now.Total)
		}
	}
	if _, err := f.svc.DecideAppeal(ctx, leader, ap.ID, service.AppealDecision{Decision: "x"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("decided twice: %v", err)
	}
	log, _, err := f.svc.AuditLog(ctx, admin, domain.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range log {
		actions[e.Action] = true
	}
	for _, a := range []string{"assess.system", "assess.manual", "assess.exclusion", "assess.publish", "assess.appeal.accepted"} {
		if !actions[a] {
			t.Errorf("no %s in the audit log", a)
		}
	}

	// the ranking: the 红黑榜 of one
	rk, err := f.svc.AssessRanking(ctx, cgj, sys.ID, "2027-03", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rk.Red) != 2 || len(rk.Black) != 1 || rk.Black[0].Key != "LT-PCS" || len(rk.Trend["LY-CGJ"]) != 1 || rk.Trend["LY-CGJ"][0].Rank != 1 {
		t.Errorf("ranking: red %+v black %+v trend %+v", rk.Red, rk.Black, rk.Trend)
	}

	// appeals close after the working days
	f.clock.Set(time.Date(2027, 4, 30, 9, 0, 0, 0, domain.China))
	if _, err := f.svc.FileAppeal(ctx, cgj, domain.Appeal{SystemID: sys.ID, Period: "2027-03", Assessee: "LY-CGJ", Indicator: "resp", Reason: "迟到的申诉"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("appealed after the deadline: %v", err)
	}
}

// A system's scoring reads the rollup of its assessees' regions: communities of the
// street each get their own row, and the exclusion of a case leaves its community's
// figure without it.
func TestAssessCommunities(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	late, _ := assessScene(t, f) // all six cases in 民光社区
	leader := f.user("demo.leader")
	sys, err := f.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "社区季度考核", Region: demo.Street, PeriodKind: domain.PeriodQuarter,
		AssesseeKind: domain.AssessCommunities, AppealDays: 5, Indicators: []domain.Indicator{
			{Code: "resp", Name: "响应率", Source: domain.SrcResponseRate, Weight: 1, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1},
		}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2027, 4, 1, 9, 0, 0, 0, domain.China))
	v, err := f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-Q1")
	if err != nil {
		t.Fatal(err)
	}
	// 5 of 6 acknowledged on time: 83.33
	wantScores(t, "communities", v.Result, map[string]want{"431382001001": {83.33, 1}})
	if len(v.Result.Scores) != 15 {
		t.Errorf("%d communities listed, want the street's 15", len(v.Result.Scores))
	}
	ex, err := f.svc.RequestExclusion(ctx, f.user("demo.dispatcher"), domain.Exclusion{CaseID: late, Kind: domain.Unreasonable, Sources: []domain.AssessSource{domain.SrcResponseRate}, Reason: "重复诉求"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideExclusion(ctx, leader, ex.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	v, err = f.svc.AssessPeriod(ctx, leader, sys.ID, "2027-Q1")
	if err != nil {
		t.Fatal(err)
	}
	wantScores(t, "communities without C", v.Result, map[string]want{"431382001001": {100, 1}})
}
