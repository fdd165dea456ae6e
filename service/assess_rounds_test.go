package service_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"whistle/domain"
	"whistle/service"
)

// TestAssessRoundCompletion scores 动态监测完成率 of 蓝田街道's communities in June 2025
// from the scenario's first round (due 2025-06-30), by hand: H1 (431382001205) visited
// 06-10: 1/1 → 100; H2 (…209) visited 07-05, after the month, and H3 (…209) not at
// all: 0/2 → 0; H4 (…211) not visited: 0/1 → 0.
func TestAssessRoundCompletion(t *testing.T) {
	gctx := context.Background()
	f := newGroupsFixture(t)
	admin, leader := f.users["demo.admin"], f.users["demo.leader"]
	g, err := f.svc.CreateGroup(gctx, admin, scenarioGroup())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportRegister(gctx, admin, g.ID, table(t, goodRegister), "2025-01-01", false); err != nil {
		t.Fatal(err)
	}
	top, err := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	ref := map[int64]string{}
	for _, s := range top {
		ref[s.ID] = s.Ref
	}
	for _, h := range []struct{ ref, helper string }{{"H1", "helper"}, {"H2", "other"}} {
		for id, r := range ref {
			if r == h.ref {
				u := map[string]domain.User{"helper": f.helper, "other": f.other}[h.helper]
				if _, err := f.svc.AssignHelper(gctx, admin, id, u.ID, "2025-01-01", ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	r, err := f.svc.StartRound(gctx, admin, domain.Round{GroupID: g.ID, Name: "2025年上半年", Starts: "2025-06-01", Due: "2025-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	visits, err := f.svc.Visits(gctx, admin, service.VisitQuery{Round: r.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range visits {
		switch ref[v.Subject] {
		case "H1":
			_, err = f.svc.RecordVisit(gctx, f.helper, v.ID, domain.VisitRecord{Day: "2025-06-10"})
		case "H2":
			_, err = f.svc.RecordVisit(gctx, f.other, v.ID, domain.VisitRecord{Day: "2025-07-05"})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	sys, err := f.svc.CreateAssessSystem(gctx, leader, domain.AssessSystem{Name: "动态监测", Region: "431382001", PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessCommunities, Indicators: []domain.Indicator{{Code: "round", Name: "动态监测完成率", Source: domain.SrcRoundRate,
			Weight: 1, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.AssessPeriod(gctx, leader, sys.ID, "2025-06")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, sc := range p.Result.Scores {
		if sc.Scored {
			got[sc.Key] = fmt.Sprintf("%.2f %g/%d #%d", sc.Total, sc.Indicators[0].Value.Num, sc.Indicators[0].Value.Volume, sc.Rank)
		}
	}
	want := map[string]string{"431382001205": "100.00 1/1 #1", "431382001209": "0.00 0/2 #2", "431382001211": "0.00 0/1 #2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round completion %v, want %v", got, want)
	}
}
