package demo_test

import (
	"context"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

func TestDemoLoadsOnceWithEveryRole(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 2000)
	for _, r := range domain.Roles {
		found := false
		for _, u := range users {
			found = found || u.Has(r)
		}
		if !found {
			t.Errorf("no demo user has role %s", r)
		}
	}
	kids, err := whistletest.StoreOf(svc).Children(ctx, demo.Street)
	if err != nil || len(kids) != 15 {
		t.Fatalf("蓝田街道 has %d communities (err %v), want the 15 real ones", len(kids), err)
	}
	for _, k := range kids {
		grids, err := whistletest.StoreOf(svc).Children(ctx, k.Code)
		if err != nil || len(grids) < 3 || len(grids) > 8 {
			t.Errorf("%s %s has %d grids, want 3 to 8", k.Code, k.Name, len(grids))
		}
	}
	ms, err := whistletest.StoreOf(svc).Matters(ctx)
	classes := map[string]bool{}
	for _, m := range ms {
		classes[m.Class] = true
	}
	if err != nil || len(ms) < 60 || len(classes) < 8 {
		t.Fatalf("catalog has %d matters in %d classes (err %v), want at least 60 in 8", len(ms), len(classes), err)
	}
	stats, err := whistletest.StoreOf(svc).Stats(ctx, storeQuery())
	if err != nil || len(stats) != 1 || stats[0].Received != 2000 {
		t.Fatalf("stats over the demo year: %+v, %v; want 2000 received", stats, err)
	}
	s := stats[0]
	if s.Returned == 0 || s.Dissatisfied == 0 || s.Overdue == 0 || s.Closed == 0 {
		t.Errorf("demo history lacks returned, dissatisfied, overdue or closed cases: %+v", s)
	}
	// a second load changes nothing
	if _, err := demo.Load(ctx, whistletest.StoreOf(svc), 2000); err != nil {
		t.Fatal(err)
	}
	again, _ := whistletest.StoreOf(svc).Stats(ctx, storeQuery())
	if again[0].Received != 2000 {
		t.Fatalf("second load added cases: %d", again[0].Received)
	}
}
