package demo_test

import (
	"context"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestDemoPatrols loads the demo and checks the patrol side is there and adds up: plans
// from every community linkage, a year of patrols closing most tasks, hazard terms for
// every hazard case, enterprises with valid codes, and inspections of two years.
func TestDemoPatrols(t *testing.T) {
	ctx := context.Background()
	db, _ := whistletest.DB(t)
	svc := service.New(db)
	began := time.Now()
	if _, err := demo.Load(ctx, db, 2000); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo with 2000 cases loaded in %v", time.Since(began))
	admin, err := db.UserByLogin(ctx, "demo.admin")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := svc.Plans(ctx, admin, domain.PlanFilter{Region: demo.Street})
	if err != nil {
		t.Fatal(err)
	}
	links, _ := db.Linkages(ctx, "community", "")
	if len(plans) != len(links)+2 {
		t.Errorf("%d plans, want one per community linkage (%d) and two grid plans", len(plans), len(links))
	}
	rows, total, err := svc.Compliance(ctx, admin, demo.Street, "org", db.Now().AddDate(-1, 0, 0), db.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || total.Planned < 500 || total.Rate == nil || *total.Rate < 0.8 || *total.Rate > 0.97 || total.Late == 0 || total.Missed == 0 {
		t.Errorf("compliance %+v over %d orgs: want hundreds of tasks, most done, some late and missed", total, len(rows))
	}
	missing, err := db.HazardCasesWithout(ctx, demo.Street)
	if err != nil || len(missing) != 0 {
		t.Errorf("%d hazard cases without terms (%v)", len(missing), err)
	}
	l, err := svc.HazardLedger(ctx, admin, demo.Street, "category", db.Now().AddDate(-1, 0, 0), db.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if l.Total.Found == 0 || l.Total.Rectified == 0 || l.Total.Found != l.Total.Rectified+l.Total.Rectifying+l.Total.Overdue {
		t.Errorf("ledger total %+v does not add up", l.Total)
	}
	ents, err := svc.Enterprises(ctx, admin, domain.EnterpriseFilter{})
	if err != nil || len(ents) != 30 {
		t.Fatalf("%d enterprises (%v), want 30", len(ents), err)
	}
	rep, err := svc.Liaison(ctx, admin, demo.Street, db.Now().AddDate(-1, 0, 0), db.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cadres != 9 || rep.Enterprises != 30 || rep.Total.Collected == 0 || rep.Total.Resolved > rep.Total.Collected {
		t.Errorf("liaison report %+v", rep)
	}
	stats, st, err := svc.InspectionStats(ctx, admin, demo.Street, "org", db.Now().AddDate(-1, 0, 0), db.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) == 0 || st.Count == 0 || st.LastYear <= st.Count || st.Flagged == 0 || st.Rated == 0 {
		t.Errorf("inspection stats %+v: want inspections, fewer than last year, some flagged and rated", st)
	}
}
