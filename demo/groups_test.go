package demo_test

import (
	"context"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// TestDemoFishermen checks the demo's key group is a working register: everyone in it
// in 蓝田街道's villages, helpers on almost all, two rounds (the last done apart from a
// few misses, the current one under way), an aid ledger, and statistics that add up.
func TestDemoFishermen(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	svc, users, _ := whistletest.Demo(t, 0)
	t.Logf("demo without history, key group included, loads in %v", time.Since(start))
	gs, err := service.OpenGroups(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := gs.Groups(ctx, users["demo.leader"])
	if err != nil || len(groups) != 1 || groups[0].Code != demo.FishermenGroup {
		t.Fatalf("leader's groups: %v %v", groups, err)
	}
	g := groups[0]
	began := time.Now()
	st, err := gs.Stats(ctx, users["demo.leader"], service.StatsQuery{Group: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("statistics of the whole register computed in %v", time.Since(began))
	t.Logf("demo register: %d households, %d persons, %d helped by %d helpers, %d unhelped, aid %s yuan to %d households / %d persons, %d open risks",
		st.Households, st.Persons, st.Helped, st.Helpers, st.Unhelped, st.AidTotal.Amount, st.AidTotal.Households, st.AidTotal.Persons, st.OpenRisks)
	if st.Households != 72 || st.Persons < 100 || st.Unhelped == 0 || st.Helped+st.Unhelped != 72 || st.Helpers != 5 {
		t.Errorf("register figures: %+v", st)
	}
	if st.AidTotal.Records == 0 || st.AidTotal.Households == 0 || st.AidTotal.Persons == 0 || len(st.Aid) < 4 {
		t.Errorf("aid ledger: %+v", st.Aid)
	}
	// the figures add up: each counted field's values and unset make its total
	for _, f := range st.Fields {
		n := f.Unset
		for _, c := range f.Counts {
			n += c.N
		}
		if f.Key != "skills" && f.Sum == "" && n != f.Total {
			t.Errorf("field %s: counts %d, total %d", f.Key, n, f.Total)
		}
	}
	rounds, err := gs.Rounds(ctx, users["demo.leader"], g.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("rounds: %v %v", rounds, err)
	}
	last, current := rounds[1], rounds[0]
	var done, late, missing, pending int
	prog, err := gs.RoundProgress(ctx, users["demo.leader"], last.ID, "helper", "")
	for _, p := range prog {
		done, late, missing = done+p.Done, late+p.Late, missing+p.Missing
	}
	if err != nil || done+missing != 72 || late == 0 || missing == 0 {
		t.Errorf("last round: done %d late %d missing %d (%v)", done, late, missing, err)
	}
	done = 0
	prog, _ = gs.RoundProgress(ctx, users["demo.leader"], current.ID, "region", "")
	for _, p := range prog {
		done, pending = done+p.Done, pending+p.Pending
		if len(p.Key) != 12 || !domain.Within(p.Key, demo.Street) {
			t.Errorf("progress by region keys a village: %+v", p)
		}
	}
	if done == 0 || pending == 0 {
		t.Errorf("current round: done %d pending %d", done, pending)
	}
	// demo.helper's phone list
	mine, err := gs.Visits(ctx, users["demo.helper"], service.VisitQuery{Mine: true, Status: domain.VisitOpen})
	if err != nil || len(mine) == 0 {
		t.Errorf("demo.helper has no open visits: %v", err)
	}
	// loading again adds nothing
	if err := demo.LoadGroups(ctx, whistletest.StoreOf(svc), users); err != nil {
		t.Fatal(err)
	}
	subs, _ := whistletest.StoreOf(svc).Subjects(ctx, store.SubjectFilter{Group: g.ID, Top: true})
	if len(subs) != 72 {
		t.Errorf("a second load left %d households", len(subs))
	}
}
