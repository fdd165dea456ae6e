package service_test

import (
	"strings"
	"testing"
	"time"

	"whistle/domain"
)

// TestLeaderSupervisesAndInstructs: the street's leader supervises a dispatched case
// with a deadline of two working days and instructs on it; the case row, its deadlines
// and the fold agree; the lead org's inbox shows the supervision and its officers are
// told; the statistics count it; the sweeper marks it overdue once, telling the org
// and the leader; a resolution in time under a new supervision counts as met.
func TestLeaderSupervisesAndInstructs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	leader, officer := f.user("demo.leader"), f.user("demo.officer")
	c := f.file(t, "demo.dispatcher")
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept})
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ"})

	got := f.act(t, "demo.leader", c.ID, domain.Command{Action: domain.ActSupervise, Note: "请两个工作日内办结", WorkingDays: 2})
	s := got.Supervision
	if s == nil || s.Text != "请两个工作日内办结" || s.ByID != leader.ID || s.Overdue || !s.Due.After(f.clock.Now()) {
		t.Fatalf("supervision %+v", s)
	}
	f.act(t, "demo.leader", c.ID, domain.Command{Action: domain.ActInstruct, Note: "请城管局牵头处理"})
	stored := f.check(t, c.ID)
	if last := stored.Events[len(stored.Events)-1]; last.Action != domain.ActInstruct || last.Note != "请城管局牵头处理" {
		t.Errorf("the timeline ends with %+v", last)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM deadlines WHERE case_id = ? AND kind = 'supervise'`, c.ID); n != 1 {
		t.Errorf("%d supervise deadlines, want 1", n)
	}

	// the lead org's inbox and notices
	inbox, err := f.svc.LeadCases(ctx, officer, "LY-CGJ", []domain.Status{domain.StatusDispatched}, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	var shown *domain.Case
	for _, x := range inbox {
		if x.ID == c.ID {
			shown = x
		}
	}
	if shown == nil || shown.Supervision == nil || !shown.Supervision.Due.Equal(s.Due) {
		t.Fatalf("the inbox shows %+v", shown)
	}
	notes, err := f.svc.Notifications(ctx, officer, true, 50)
	if err != nil {
		t.Fatal(err)
	}
	var supervised, instructed int
	for _, n := range notes {
		if n.CaseID == c.ID && strings.Contains(n.Message, "领导督办") {
			supervised++
		}
		if n.CaseID == c.ID && strings.Contains(n.Message, "领导批示") {
			instructed++
		}
	}
	if supervised != 1 || instructed != 1 {
		t.Errorf("the officer was told %d supervisions and %d instructions: %+v", supervised, instructed, notes)
	}

	// the statistics: one running
	stats := func() domain.SupervisionCount {
		t.Helper()
		rep, err := f.svc.SupervisionStats(ctx, leader, "", "", "")
		if err != nil {
			t.Fatal(err)
		}
		var org domain.SupervisionCount
		for _, r := range rep.ByOrg {
			if r.Group == "LY-CGJ" {
				org = r
			}
		}
		if org.Supervised != rep.All.Supervised || org.Name == "" || len(rep.ByRegion) != 1 || rep.ByRegion[0].Group != "431382001001" {
			t.Errorf("report %+v", rep)
		}
		return rep.All
	}
	if all := stats(); all.Supervised != 1 || all.Running != 1 || all.Met != 0 || all.Overdue != 0 {
		t.Errorf("before the deadline: %+v", all)
	}

	// past the deadline the sweeper marks it once
	f.clock.Set(s.Due.Add(time.Minute))
	if _, err := f.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	after := f.check(t, c.ID)
	if !after.Supervision.Overdue {
		t.Fatalf("not marked overdue: %+v", after.Supervision)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'overdue_supervise'`, c.ID); n != 1 {
		t.Errorf("%d overdue_supervise events, want 1", n)
	}
	if _, err := f.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'overdue_supervise'`, c.ID); n != 1 {
		t.Errorf("swept again: %d overdue_supervise events", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE case_id = ? AND kind = 'overdue_supervise' AND user_id = ?`, c.ID, leader.ID); n != 1 {
		t.Errorf("the leader was told %d times of the passed deadline", n)
	}
	if all := stats(); all.Supervised != 1 || all.Overdue != 1 || all.Running != 0 {
		t.Errorf("after the deadline: %+v", all)
	}

	// a new supervision, met by a resolution in time
	f.act(t, "demo.leader", c.ID, domain.Command{Action: domain.ActSupervise, Note: "再限三个工作日", WorkingDays: 3})
	f.act(t, "demo.officer", c.ID, domain.Command{Action: domain.ActAcknowledge})
	f.act(t, "demo.officer", c.ID, domain.Command{Action: domain.ActResolve, Result: "已清运"})
	f.check(t, c.ID)
	if all := stats(); all.Supervised != 1 || all.Met != 1 || all.MetRate == nil || *all.MetRate != 1 {
		t.Errorf("resolved in time: %+v", all)
	}
}

// TestLeaderActionRefusals: who may not supervise, through the service.
func TestLeaderActionRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.file(t, "demo.dispatcher")
	for _, tc := range []struct {
		login string
		want  string
	}{
		{"demo.admin", domain.EFORBIDDEN},
		{"demo.dispatcher", domain.EFORBIDDEN},
		{"demo.other", domain.ENOTFOUND}, // another street's dispatcher does not see it
	} {
		_, err := f.svc.Act(ctx, f.user(tc.login), c.ID, domain.Command{Action: domain.ActSupervise, Version: c.Version, Note: "x", WorkingDays: 1})
		if domain.ErrorCode(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.login, err, tc.want)
		}
	}
	if _, err := f.svc.SupervisionStats(ctx, f.user("demo.officer"), "", "", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an officer reads the supervision statistics: %v", err)
	}
}
