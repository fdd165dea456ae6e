package service_test

import (
	"context"
	"testing"
	"time"

	"whistle/domain"
	"whistle/whistletest"
)

// TestLedgerStates holds the ledger's states to the hazards' deadlines: a hazard
// resolved before its deadline but not yet verified is still being rectified, one
// resolved after it is overdue, one never touched past it is overdue, verified ones are
// rectified, rejected ones do not count; a hazard case filed without terms counts under
// its matter's category with the case's own deadline.
func TestLedgerStates(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	user := func(login string) domain.User {
		u, err := whistletest.StoreOf(svc).UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	grid, disp, officer, leader := user("demo.grid"), user("demo.dispatcher"), user("officer.LY-XFJY"), user("demo.leader")
	start := clock.Now()
	report := func(level, deadline string) int64 {
		t.Helper()
		h, err := svc.ReportHazard(ctx, grid, domain.HazardFinding{Matter: "AQ-001", Title: "消防通道堵塞", Region: "431382001001001", Level: level, Deadline: deadline})
		if err != nil {
			t.Fatal(err)
		}
		return h.CaseID
	}
	act := func(u domain.User, id int64, cmd domain.Command) {
		t.Helper()
		c, err := svc.Case(ctx, u, id)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Version = c.Version
		if _, err := svc.Act(ctx, u, id, cmd); err != nil {
			t.Fatalf("%s %d: %v", cmd.Action, id, err)
		}
	}
	toResolved := func(id int64) {
		act(disp, id, domain.Command{Action: domain.ActAccept})
		act(disp, id, domain.Command{Action: domain.ActDispatch, Org: "LY-XFJY"})
		act(officer, id, domain.Command{Action: domain.ActAcknowledge})
		act(officer, id, domain.Command{Action: domain.ActResolve, Result: "已整改"})
	}
	day := func(d int) string { return start.AddDate(0, 0, d).Format("2006-01-02") }
	early := report("general", day(3))   // resolved in time, waiting for verification
	late := report("general", day(1))    // resolved after its deadline
	verified := report("major", day(10)) // rectified
	report("general", day(2))            // nobody acts: overdue after two days
	void := report("general", day(5))    // rejected
	plain, err := svc.File(ctx, grid, domain.NewCase{Matter: "AQ-005", Title: "燃气软管老化", Region: "431382001001001", Kind: "hazard", Channel: "grid_patrol"})
	if err != nil {
		t.Fatal(err)
	}
	act(disp, void, domain.Command{Action: domain.ActReject, Reason: "重复上报"})
	toResolved(early)
	toResolved(verified)
	act(grid, verified, domain.Command{Action: domain.ActVerify, Note: "现场核查"})
	clock.Set(start.AddDate(0, 0, 4))
	toResolved(late)
	act(disp, plain.ID, domain.Command{Action: domain.ActAccept})
	act(disp, plain.ID, domain.Command{Action: domain.ActDispatch, Org: "LY-RQGS"})
	l, err := svc.HazardLedger(ctx, leader, "431382001", "category", start.AddDate(0, 0, -1), clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]domain.LedgerRow{}
	for _, r := range l.Rows {
		rows[r.Key] = r
	}
	fire, gas := rows["fire"], rows["gas"]
	if fire.Found != 4 || fire.Rectified != 1 || fire.Rectifying != 1 || fire.Overdue != 2 || fire.Major != 1 {
		t.Errorf("fire row %+v: want 4 found (the rejected one left out), 1 rectified, 1 rectifying, 2 overdue, 1 major", fire)
	}
	if gas.Found != 1 || gas.Rectifying != 1 {
		t.Errorf("gas row %+v: the hazard case without terms counts under its matter", gas)
	}
	if l.Total.Found != 5 || *l.Total.Rate != 0.2 {
		t.Errorf("total %+v", l.Total)
	}
	clock.Set(start.AddDate(0, 0, 20))
	l, _ = svc.HazardLedger(ctx, leader, "431382001", "category", start.AddDate(0, 0, -1), clock.Now())
	for _, r := range l.Rows {
		if r.Key == "gas" && r.Overdue != 1 {
			t.Errorf("gas past the case's resolve deadline: %+v", r)
		}
		if r.Key == "fire" && (r.Rectifying != 1 || r.Overdue != 2) {
			t.Errorf("fire later: %+v (resolved in time stays rectifying until verified)", r)
		}
	}
}
