package domain

import (
	"testing"
	"time"
)

func TestRectMay(t *testing.T) {
	leader := User{ID: 1, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}
	awayLeader := User{ID: 2, Grants: []Grant{{Role: RoleLeader, Region: "431382002"}}}
	officer := User{ID: 3, Grants: []Grant{{Role: RoleOfficer, Org: "LY-CGJ"}}}
	otherOfficer := User{ID: 4, Grants: []Grant{{Role: RoleOfficer, Org: "LY-HBJ"}}}
	dispatcher := User{ID: 5, Grants: []Grant{{Role: RoleDispatcher, Region: "431382001"}}}
	item := func(s RectStatus) RectItem { return RectItem{Seq: 1, Org: "LY-CGJ", Status: s} }
	for _, c := range []struct {
		name string
		u    User
		it   RectItem
		act  RectAction
		want string
	}{
		{"the org reports progress", officer, item(RectOpen), RectProgress, ""},
		{"the org applies", officer, item(RectOpen), RectApply, ""},
		{"the org applies again after a return", officer, item(RectReturned), RectApply, ""},
		{"not twice", officer, item(RectApplied), RectApply, ECONFLICT},
		{"not after 销号", officer, item(RectClosed), RectProgress, ECONFLICT},
		{"another org may not", otherOfficer, item(RectOpen), RectApply, EFORBIDDEN},
		{"the leader does not apply", leader, item(RectOpen), RectApply, EFORBIDDEN},
		{"the leader approves", leader, item(RectApplied), RectApprove, ""},
		{"the leader returns", leader, item(RectApplied), RectReturn, ""},
		{"nothing to approve", leader, item(RectOpen), RectApprove, ECONFLICT},
		{"another street's leader may not", awayLeader, item(RectApplied), RectApprove, EFORBIDDEN},
		{"the officer may not approve", officer, item(RectApplied), RectApprove, EFORBIDDEN},
		{"the dispatcher may not approve", dispatcher, item(RectApplied), RectApprove, EFORBIDDEN},
		{"the leader edits", leader, item(RectOpen), RectEdit, ""},
		{"not a closed item", leader, item(RectClosed), RectEdit, ECONFLICT},
		{"the org raises a case", officer, item(RectOpen), RectRaiseCase, ""},
		{"once", leader, RectItem{Org: "LY-CGJ", CaseID: 9}, RectRaiseCase, ECONFLICT},
		{"the dispatcher may not raise", dispatcher, item(RectOpen), RectRaiseCase, EFORBIDDEN},
	} {
		err := RectMay(c.u, "431382001205", c.it, c.act)
		if ErrorCode(err) != c.want && !(c.want == "" && err == nil) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if !RectReads(dispatcher, "431382001205", nil) || RectReads(awayLeader, "431382001205", nil) ||
		!RectReads(officer, "431382001205", []string{"LY-CGJ"}) || RectReads(otherOfficer, "431382001205", []string{"LY-CGJ"}) {
		t.Error("RectReads: the region's readers and the responsible orgs read, no one else")
	}
}

func TestRectNext(t *testing.T) {
	for act, want := range map[RectAction]RectStatus{RectApply: RectApplied, RectApprove: RectClosed, RectReturn: RectReturned, RectProgress: RectOpen} {
		if got := act.Next(RectOpen); got != want {
			t.Errorf("%s: %s, want %s", act, got, want)
		}
	}
}

// Figures as of two days: an item counts from the day it was made; closed items from
// the day of their 销号; a milestone once its due day has come, met when done by it.
func TestRectFigures(t *testing.T) {
	at := func(day string) *time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", China)
		return &d
	}
	items := []RectItem{
		{CreatedAt: *at("2026-03-01"), Deadline: "2026-03-31", ClosedAt: at("2026-03-20"),
			Milestones: []RectMilestone{{Due: "2026-03-10", Done: "2026-03-09"}, {Due: "2026-03-25", Done: "2026-03-20"}}},
		{CreatedAt: *at("2026-03-01"), Deadline: "2026-03-15",
			Milestones: []RectMilestone{{Due: "2026-03-10", Done: "2026-03-12"}, {Due: "2026-04-10"}}},
		{CreatedAt: *at("2026-03-01"), Deadline: "2026-04-30", ClosedAt: at("2026-04-02")},
		{CreatedAt: *at("2026-04-01"), Deadline: "2026-04-20", Milestones: []RectMilestone{{Due: "2026-03-31"}}},
	}
	for _, c := range []struct {
		day                              string
		items, closed, overdue, due, met int
		closedRate, milestoneRate        string
	}{
		// 3 items, 1 closed, item 2 past its deadline; milestones due: 2 (3-10 ×2), met 1
		{"2026-03-20", 3, 1, 1, 2, 1, "33.3%", "50.0%"},
		// 4 items, 2 closed, items 2 and 4 overdue; due: 3-10 ×2, 3-25, 4-10, 3-31 = 5, met 2
		{"2026-04-25", 4, 2, 2, 5, 2, "50.0%", "40.0%"},
		{"2026-02-01", 0, 0, 0, 0, 0, "—", "—"},
	} {
		var f RectFigures
		for _, it := range items {
			f.Count(it, c.day)
		}
		if f.Items != c.items || f.Closed != c.closed || f.Overdue != c.overdue || f.MilestonesDue != c.due || f.MilestonesMet != c.met ||
			PercentText(f.ClosedRate) != c.closedRate || PercentText(f.MilestoneRate) != c.milestoneRate {
			t.Errorf("as of %s: %+v (%s, %s)", c.day, f, PercentText(f.ClosedRate), PercentText(f.MilestoneRate))
		}
	}
}

func TestRectValidate(t *testing.T) {
	for _, it := range []RectItem{
		{Problem: "", Org: "X", Deadline: "2026-03-01"},
		{Problem: "p", Org: "", Deadline: "2026-03-01"},
		{Problem: "p", Org: "X", Deadline: "2026-3-1"},
		{Problem: "p", Org: "X", Deadline: "2026-03-01", Milestones: []RectMilestone{{Name: "a", Due: "x"}}},
	} {
		if ErrorCode(it.Validate()) != EINVALID {
			t.Errorf("%+v: accepted", it)
		}
	}
	l := RectList{Title: "走流程", Source: "nope", Region: "431382001"}
	if ErrorCode(l.Validate()) != EINVALID {
		t.Error("an unknown source was accepted")
	}
}

func TestRectChanges(t *testing.T) {
	a := RectItem{Problem: "路灯不亮", Org: "LY-CGJ", Person: "周峰", Deadline: "2026-03-22"}
	b := a
	b.Person, b.Deadline = "周峰、李娟", "2026-03-27"
	if got := RectChanges(a, b); got != "责任人 周峰 → 周峰、李娟；整改时限 2026-03-22 → 2026-03-27" {
		t.Errorf("%q", got)
	}
	if got := RectChanges(a, a); got != "无变化" {
		t.Errorf("%q", got)
	}
	b = a
	b.Measures = "更换灯具"
	if got := RectChanges(a, b); got != "整改措施 （空） → 更换灯具" {
		t.Errorf("%q", got)
	}
}
