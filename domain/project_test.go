package domain

import (
	"testing"
)

func TestLimitForTier(t *testing.T) {
	a := ApprovalItem{Code: "X", Name: "x", Stage: "approval", Org: "O", Statutory: 20, Promised: 10}
	for _, c := range []struct {
		tier Tier
		vip  int
		want int
	}{{TierNormal, 0, 10}, {TierChief, 0, 10}, {TierGold, 3, 10}, {TierVIP, 0, 5}, {TierVIP, 3, 3}} {
		a.VIP = c.vip
		if got := a.LimitFor(c.tier); got != c.want {
			t.Errorf("%s vip=%d: limit %d, want %d", c.tier, c.vip, got, c.want)
		}
	}
	a.Promised, a.VIP = 7, 0
	if got := a.LimitFor(TierVIP); got != 4 {
		t.Errorf("half of 7 rounds up to 4, got %d", got)
	}
	bad := []ApprovalItem{{Code: "X", Name: "x", Stage: "approval", Org: "O", Statutory: 5, Promised: 10},
		{Code: "X", Name: "x", Stage: "approval", Org: "O", Statutory: 10, Promised: 5, VIP: 6},
		{Code: "X", Name: "x", Stage: "nowhere", Org: "O", Statutory: 10, Promised: 5}}
	for _, b := range bad {
		if err := b.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: %v", b, err)
		}
	}
}

// The clock of an item with a two-day limit accepted on Friday 2026-01-09 10:00, on a
// calendar where Sunday 01-11 is a make-up working day (调休): office 08:30–12:00 and
// 14:00–17:30, 420 minutes a day.
func TestItemClockAcrossWeekendWorkdayAndPause(t *testing.T) {
	cal := NewCalendar([]CalendarDay{{Date: "2026-01-11", Kind: Workday}}, nil)
	item := func() *ProjectItem {
		it := NewProjectItem(1, ApprovalItem{Code: "X", Name: "x", Stage: "approval", Org: "O", Statutory: 5, Promised: 2}, TierGold, cst("2026-01-09 09:00"))
		if err := it.Act(ItemAccept, ItemInput{}, cst("2026-01-09 10:00"), cal); err != nil {
			t.Fatal(err)
		}
		return &it
	}
	// Fri 330 minutes, Sat off, Sun (调休) 420, Mon 90: due Mon 10:00
	it := item()
	if want := cst("2026-01-12 10:00"); !it.Due.Equal(want) {
		t.Fatalf("due %v, want %v", it.Due, want)
	}
	// 补正 from Sunday 11:15 to Monday 09:05: 45 + 210 + 35 = 290 minutes stopped
	it = item()
	if err := it.Act(ItemSupplement, ItemInput{Note: "补充环评批复"}, cst("2026-01-11 11:15"), cal); err != nil {
		t.Fatal(err)
	}
	if it.Due != nil || it.Running() || it.Taken(cst("2026-01-12 09:00"), cal) != 495 {
		t.Fatalf("paused: due %v, taken %d, want none and 495", it.Due, it.Taken(cst("2026-01-12 09:00"), cal))
	}
	if err := it.Act(ItemResubmit, ItemInput{}, cst("2026-01-12 09:05"), cal); err != nil {
		t.Fatal(err)
	}
	if want := cst("2026-01-12 16:50"); it.Paused != 290 || !it.Due.Equal(want) {
		t.Fatalf("resumed: paused %d, due %v; want 290 and %v", it.Paused, it.Due, want)
	}
	for _, c := range []struct {
		at    string
		taken int
		late  bool
	}{{"2026-01-12 16:00", 790, false}, {"2026-01-12 16:50", 840, false}, {"2026-01-12 16:51", 841, true}, {"2026-01-12 17:00", 850, true}} {
		if got := it.Taken(cst(c.at), cal); got != c.taken || it.Late(cst(c.at), cal) != c.late {
			t.Errorf("at %s: taken %d late %v, want %d %v", c.at, got, it.Late(cst(c.at), cal), c.taken, c.late)
		}
	}
	if err := it.Act(ItemApprove, ItemInput{Permit: "渌发改备〔2026〕1号"}, cst("2026-01-12 16:00"), cal); err != nil {
		t.Fatal(err)
	}
	if it.Taken(cst("2026-02-01 10:00"), cal) != 790 || it.Late(cst("2026-02-01 10:00"), cal) || it.Due != nil {
		t.Errorf("decided: taken %d, due %v", it.Taken(cst("2026-02-01 10:00"), cal), it.Due)
	}
}

func TestItemStates(t *testing.T) {
	cal := NewCalendar(nil, nil)
	now := cst("2026-03-02 09:00")
	a := ApprovalItem{Code: "X", Name: "x", Stage: "approval", Org: "O", Statutory: 5, Promised: 4, VIP: 2, Commitment: true}
	it := NewProjectItem(1, a, TierVIP, now)
	if it.Limit != 2 || !it.VIP {
		t.Fatalf("VIP item: limit %d", it.Limit)
	}
	for _, c := range []struct {
		a    ItemAction
		in   ItemInput
		code string
	}{
		{ItemApprove, ItemInput{Permit: "1"}, ECONFLICT}, // not accepted yet
		{ItemAcceptGaps, ItemInput{GapsDue: "2026-03-10"}, EINVALID},
		{ItemAcceptGaps, ItemInput{Gaps: []string{"土地证"}, GapsDue: "2026-03-01"}, EINVALID}, // past
		{ItemAcceptGaps, ItemInput{Gaps: []string{"土地证"}, GapsDue: "2026-03-10"}, ""},
		{ItemSupplement, ItemInput{}, EINVALID},
		{ItemSupplyGaps, ItemInput{}, ""},
		{ItemSupplyGaps, ItemInput{}, ECONFLICT},
		{ItemApprove, ItemInput{}, EINVALID},
		{ItemApprove, ItemInput{Permit: "P-1", Version: 9}, ESTALE},
		{ItemApprove, ItemInput{Permit: "P-1"}, ""},
		{ItemCheck, ItemInput{}, ECONFLICT}, // no commitment
	} {
		if err := it.Act(c.a, c.in, now, cal); ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("%s: %v, want %q", c.a, err, c.code)
		}
	}
	c := NewProjectItem(1, a, TierNormal, now)
	if err := c.Act(ItemCommit, ItemInput{Permit: "承诺-1"}, now, cal); err != nil || !c.Commitment || c.State != ItemApproved {
		t.Fatalf("commitment: %v %+v", err, c)
	}
	if err := c.Act(ItemCheck, ItemInput{}, now, cal); err != nil || c.CheckedAt == nil {
		t.Fatalf("check: %v", err)
	}
}

func TestProjectRolesAndStages(t *testing.T) {
	p := &Project{ID: 1, Region: "430212001", Stage: "signed", Status: "active", InvestorAccount: 5, AgentID: 6, LeaderID: 7, Orgs: []string{"FGJ"}}
	for _, c := range []struct {
		u        User
		sees     bool
		act      ItemAction
		mayOnFGJ bool
	}{
		{User{ID: 5, Grants: []Grant{{Role: RoleEnterprise}}}, true, ItemApply, true},
		{User{ID: 6, Grants: []Grant{{Role: RoleLiaison}}}, true, ItemResubmit, true},
		{User{ID: 6, Grants: []Grant{{Role: RoleLiaison}}}, true, ItemApprove, false},
		{User{ID: 8, Grants: []Grant{{Role: RoleOfficer, Org: "FGJ"}}}, true, ItemApprove, true},
		{User{ID: 8, Grants: []Grant{{Role: RoleOfficer, Org: "FGJ"}}}, true, ItemApply, false},
		{User{ID: 9, Grants: []Grant{{Role: RoleOfficer, Org: "ZJJ"}}}, false, ItemApprove, false},
		{User{ID: 10, Grants: []Grant{{Role: RoleLeader, Region: "430212"}}}, true, ItemApprove, false},
		{User{ID: 11, Grants: []Grant{{Role: RoleLeader, Region: "431382"}}}, false, ItemApprove, false},
		{User{ID: 5, Grants: []Grant{{Role: RoleCitizen}}}, false, ItemApply, false},
	} {
		r := RoleIn(c.u, p)
		err := r.MayAct(c.act, &ProjectItem{Org: "FGJ"})
		if r.Sees() != c.sees || (err == nil) != c.mayOnFGJ || (err != nil && ErrorCode(err) != EFORBIDDEN) {
			t.Errorf("user %d %v: sees %v, %s: %v", c.u.ID, c.u.Grants, r.Sees(), c.act, err)
		}
	}
	cat := []ApprovalItem{{Code: "LAND", Stage: "land", Required: true}, {Code: "EXTRA", Stage: "land"}}
	items := []ProjectItem{{Code: "LAND", Stage: "land", State: ItemAccepted}}
	if err := CanEnter(p, "approval", items, cat); ErrorCode(err) != ECONFLICT {
		t.Errorf("skipping a stage: %v", err)
	}
	if err := CanEnter(p, "land", items, cat); ErrorCode(err) != ECONFLICT {
		t.Errorf("an item still open: %v", err)
	}
	if err := CanEnter(p, "land", nil, cat); ErrorCode(err) != ECONFLICT {
		t.Errorf("a required item missing: %v", err)
	}
	items[0].State = ItemApproved
	if err := CanEnter(p, "land", items, cat); err != nil {
		t.Errorf("land: %v", err)
	}
}
