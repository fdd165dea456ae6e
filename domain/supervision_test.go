package domain

import (
	"testing"
	"time"
)

// TestSuperviseRefusals: who may supervise and instruct, and the fields they need.
func TestSuperviseRefusals(t *testing.T) {
	// a leader of another street who reported the case sees it, but leads elsewhere
	reporterLeader := mkUser(14, "reporter_leader", Grant{Role: RoleCitizen}, Grant{Role: RoleLeader, Region: tOtherStreet})
	otherLeader := mkUser(30, "leader_other_street", Grant{Role: RoleLeader, Region: tOtherStreet})
	until := cst("2026-03-03 09:00")
	past := cst("2026-03-02 08:00")
	cases := []struct {
		name string
		u    User
		cmd  Command
		want string
	}{
		{"the street's leader, days", uLeader, Command{Action: ActSupervise, Note: "请尽快办结", WorkingDays: 2}, "ok"},
		{"the street's leader, a date", uLeader, Command{Action: ActSupervise, Note: "请尽快办结", Until: &until}, "ok"},
		{"a leader who sees it but leads elsewhere", reporterLeader, Command{Action: ActSupervise, Note: "请尽快办结", WorkingDays: 2}, EOUTOFSCOPE},
		{"instruct, the same", reporterLeader, Command{Action: ActInstruct, Note: "请重视"}, EOUTOFSCOPE},
		{"a leader who does not see it", otherLeader, Command{Action: ActSupervise, Note: "请尽快办结", WorkingDays: 2}, ENOTFOUND},
		{"an administrator", uAdmin, Command{Action: ActSupervise, Note: "请尽快办结", WorkingDays: 2}, EFORBIDDEN},
		{"the dispatcher", uDispatcher, Command{Action: ActInstruct, Note: "请重视"}, EFORBIDDEN},
		{"no text", uLeader, Command{Action: ActSupervise, WorkingDays: 2}, EINVALID},
		{"no deadline", uLeader, Command{Action: ActSupervise, Note: "请尽快办结"}, EINVALID},
		{"both deadlines", uLeader, Command{Action: ActSupervise, Note: "请尽快办结", WorkingDays: 2, Until: &until}, EINVALID},
		{"61 days", uLeader, Command{Action: ActSupervise, Note: "请尽快办结", WorkingDays: 61}, EINVALID},
		{"a date passed", uLeader, Command{Action: ActSupervise, Note: "请尽快办结", Until: &past}, EINVALID},
		{"instruct without text", uLeader, Command{Action: ActInstruct, Note: "  "}, EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := reach(t, StatusDispatched)
			if _, err := w.try(tc.u, tc.cmd); outcome(err) != tc.want {
				t.Errorf("got %s (%v), want %s", outcome(err), err, tc.want)
			}
		})
	}
}

// TestSupervisionDeadline: the deadline on the calendar, the case showing it, the
// sweeper marking it once when it passes unresolved, and a resolution in time meeting it.
func TestSupervisionDeadline(t *testing.T) {
	w := reach(t, StatusDispatched) // dispatched Monday 2026-03-02
	e := w.do(uLeader, Command{Action: ActSupervise, Note: "请两个工作日内办结", WorkingDays: 2})
	if e.Data.SuperviseDue == nil || e.Note != "请两个工作日内办结" {
		t.Fatalf("event %+v", e)
	}
	due := *e.Data.SuperviseDue
	if want := w.cal.Due(w.now, Deadline{2, UnitDay}); !due.Equal(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	s := w.c.Supervision
	if s == nil || s.By != "leader" || s.Text != "请两个工作日内办结" || !s.Due.Equal(due) || s.Overdue {
		t.Fatalf("supervision %+v", s)
	}
	pending := func() bool {
		for _, p := range w.c.Pending() {
			if p.Kind == DueSupervise && p.Due.Equal(w.c.Supervision.Due) {
				return true
			}
		}
		return false
	}
	if !pending() {
		t.Fatalf("the supervision is not a running deadline: %+v", w.c.Pending())
	}
	clone := w.c.Clone()
	w.now = due.Add(time.Minute)
	evs := w.sweep("")
	var marked int
	for _, e := range evs {
		if e.Action == ActOverdueSupervise {
			marked++
		}
	}
	if marked != 1 || !w.c.Supervision.Overdue || pending() {
		t.Fatalf("sweep %v: supervision %+v, still pending %v", evs, w.c.Supervision, pending())
	}
	if clone.Supervision.Overdue {
		t.Errorf("the clone shares the supervision")
	}
	for _, e := range w.sweep("") {
		if e.Action == ActOverdueSupervise {
			t.Errorf("swept twice")
		}
	}
	if w.c.SupervisionMet() {
		t.Errorf("an unresolved case met its supervision")
	}

	// a new supervision replaces it; resolving in time meets it and ends the deadline
	w.do(uLeader, Command{Action: ActSupervise, Note: "再给三天", WorkingDays: 3})
	if w.c.Supervision.Overdue || w.c.Supervision.Text != "再给三天" || !pending() {
		t.Fatalf("the new supervision %+v", w.c.Supervision)
	}
	w.do(uLead, Command{Action: ActAcknowledge})
	w.do(uLead, Command{Action: ActResolve, Result: "已修复"})
	if !w.c.SupervisionMet() || pending() {
		t.Errorf("resolved in time: met %v, pending %v", w.c.SupervisionMet(), pending())
	}
	if got := Fold(w.c.ID, w.events); got.Supervision == nil || *got.Supervision != *w.c.Supervision {
		t.Errorf("the fold lost the supervision: %+v", got.Supervision)
	}
	w.do(uLeader, Command{Action: ActInstruct, Note: "办得好"})
	if _, err := w.try(uLeader, Command{Action: ActSupervise, Note: "x", WorkingDays: 1}); outcome(err) != ECONFLICT {
		t.Errorf("supervising a resolved case: %v", err)
	}
}

// TestTallySupervisions counts by the region one level down and by lead org.
func TestTallySupervisions(t *testing.T) {
	rows := []SupervisionRow{
		{Region: "431382001001001", Org: "A", Met: true, Resolved: true},
		{Region: "431382001002", Org: "A", Overdue: true},
		{Region: "431382001001", Org: "B"},
		{Region: "431382001001", Org: "B", Resolved: true}, // resolved late, not yet marked
	}
	all, byRegion, byOrg := TallySupervisions("431382001", rows)
	if all.Supervised != 4 || all.Met != 1 || all.Overdue != 2 || all.Running != 1 || all.MetRate == nil || *all.MetRate != 0.25 {
		t.Errorf("all %+v", all)
	}
	if len(byRegion) != 2 || byRegion[0].Group != "431382001001" || byRegion[0].Supervised != 3 || byRegion[1].Overdue != 1 {
		t.Errorf("by region %+v", byRegion)
	}
	if len(byOrg) != 2 || byOrg[0].Group != "A" || byOrg[0].Met != 1 || byOrg[1].Running != 1 {
		t.Errorf("by org %+v", byOrg)
	}
}
