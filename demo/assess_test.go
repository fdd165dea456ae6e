package demo_test

import (
	"context"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

// The demo's 考核: the communities' and the departments' systems with the twelve months
// before today published, 城管局's accepted appeal of the last month (version 2, its
// leader's score 88) and the two approved exclusions, with who decided them.
func TestDemoAssessments(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 2000)
	leader := users["demo.leader"]
	systems, err := svc.AssessSystems(ctx, leader)
	if err != nil || len(systems) != 2 {
		t.Fatalf("systems: %d, %v", len(systems), err)
	}
	now := svc.Now().In(domain.China)
	last := now.AddDate(0, -1, 0).Format("2006-01")
	first := now.AddDate(0, -12, 0).Format("2006-01")
	for _, sys := range systems {
		rk, err := svc.AssessRanking(ctx, leader, sys.ID, last, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(rk.Periods) != 12 || rk.Periods[0] != first || len(rk.Red) < 3 || len(rk.Black) < 3 {
			t.Errorf("%s: periods %v, red %d, black %d", sys.Name, rk.Periods, len(rk.Red), len(rk.Black))
		}
		v, err := svc.AssessPeriod(ctx, leader, sys.ID, last)
		if err != nil {
			t.Fatal(err)
		}
		if sys.AssesseeKind != domain.AssessDepartments {
			if len(v.Result.Scores) != 15 || v.Result.Version != 1 {
				t.Errorf("communities: %d scores, version %d", len(v.Result.Scores), v.Result.Version)
			}
			// 发回重办率 and 八个一 are read: some community resolved cases, some sent
			// back; every community's 八个一 is out of its 8 items
			var resolved, reworked, eightDone int64
			for _, sc := range v.Result.Scores {
				for i, in := range sys.Indicators {
					switch val := sc.Indicators[i].Value; in.Source {
					case domain.SrcReworkRate:
						resolved, reworked = resolved+val.Volume, reworked+int64(val.Num)
					case domain.SrcEightOnes:
						if val.Volume != 8 {
							t.Errorf("%s: 八个一 out of %d items", sc.Name, val.Volume)
						}
						eightDone += int64(val.Num)
					}
				}
			}
			if resolved == 0 || reworked == 0 || eightDone == 0 {
				t.Errorf("communities' last month: %d resolved, %d sent back, %d 八个一 items done", resolved, reworked, eightDone)
			}
			t.Logf("communities' last month: %d of %d resolved sent back before, %d 八个一 items done", reworked, resolved, eightDone)
			continue
		}
		sc, ok := v.Result.Score(demo.AppealOrg)
		lead := sc.Indicators[len(sc.Indicators)-1]
		if !ok || v.Result.Version != 2 || len(v.Appeals) != 1 || v.Appeals[0].Status != domain.AppealAccepted || *lead.Value.Value != 88 {
			t.Errorf("the appeal: version %d, appeals %+v, %s's lead %+v", v.Result.Version, v.Appeals, demo.AppealOrg, lead.Value)
		}
	}
	xs, err := svc.Exclusions(ctx, leader, "", first, last, domain.ExclusionApproved)
	if err != nil || len(xs) != 2 || xs[0].Decider == "" || xs[0].Kind == xs[1].Kind {
		t.Errorf("exclusions: %+v %v", xs, err)
	}
	rs, err := svc.Ratings(ctx, leader, "", first, last)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Error("the demo rated no report-in")
	}
	t.Logf("demo: %d exclusions, %d ratings", len(xs), len(rs))
}
