package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStaffMethodCap(t *testing.T) {
	for _, c := range []struct {
		m    StaffMethod
		in   map[string]float64
		want int
		ok   bool
	}{
		{MethodWorkload, map[string]float64{"hours": 17600, "hours_per_person": 1760}, 10, true},
		{MethodWorkload, map[string]float64{"hours": 100, "hours_per_person": 0}, 0, false},
		{MethodPopulation, map[string]float64{"population": 52000, "per_10000": 2}, 10, true},
		{MethodRatio, map[string]float64{"establishment": 47, "ratio": 0.2}, 9, true},
		{MethodRatio, map[string]float64{"establishment": 47, "ratio": 2}, 0, false},
		{MethodHistory, map[string]float64{"average": 30, "cut": 0.1}, 27, true},
		{MethodHistory, map[string]float64{"average": 30}, 0, false},
		{MethodRatio, map[string]float64{"establishment": 47, "ratio": 0.2, "x": 1}, 0, false},
		{"guess", nil, 0, false},
	} {
		got, err := c.m.Cap(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%s %v: %d %v, want %d ok=%v", c.m, c.in, got, err, c.want, c.ok)
		}
	}
}

func TestDecideQuotaOnlyLower(t *testing.T) {
	in := map[string]float64{"establishment": 100, "ratio": 0.2}
	approved := &StaffException{ID: 7, UnitID: 1, Value: 15, Status: ExceptionApproved}
	for _, c := range []struct {
		name  string
		value int
		st    StaffQuotaState
		exc   int64
		code  string
	}{
		{"first total", 12, StaffQuotaState{Today: "2026-03-10"}, 0, ""},
		{"lower", 10, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10"}, 0, ""},
		{"same", 12, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10"}, 0, ""},
		{"raise", 13, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10"}, 0, ECONFLICT},
		{"raise by exception", 15, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10", Exception: approved}, 7, ""},
		{"past the exception", 16, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10", Exception: approved}, 7, ECONFLICT},
		{"exception pending", 13, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10", Exception: &StaffException{ID: 7, UnitID: 1, Value: 15, Status: ExceptionPending}}, 7, ECONFLICT},
		{"another unit's", 13, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10", Exception: &StaffException{ID: 7, UnitID: 2, Value: 15, Status: ExceptionApproved}}, 7, ECONFLICT},
		{"past the method", 21, StaffQuotaState{Today: "2026-03-10"}, 0, EINVALID},
		{"future day", 10, StaffQuotaState{Today: "2026-03-09"}, 0, EINVALID},
		{"before the last", 10, StaffQuotaState{Today: "2026-03-10", LastDay: "2026-03-11"}, 0, ECONFLICT},
	} {
		q := StaffQuota{UnitID: 1, Item: StaffExtra, Value: c.value, Day: "2026-03-10", DocNo: "文", Method: MethodRatio, Inputs: in, ExceptionID: c.exc}
		if err := DecideQuota(&q, c.st); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
	}
	q := StaffQuota{UnitID: 1, Item: StaffAdmin, Value: 30, Day: "2026-03-10", DocNo: "文"}
	if err := DecideQuota(&q, StaffQuotaState{Has: true, Current: 12, Today: "2026-03-10"}); err != nil {
		t.Errorf("an establishment may rise by its document: %v", err)
	}
}

func TestDecideMoveTwoOutOneIn(t *testing.T) {
	plan := StaffPlan{UnitID: 1, Item: StaffAdmin, Out: 2, In: 1, From: "2026-03-01", BaseOver: 3}
	moves := func(ds ...int) []StaffMove {
		var out []StaffMove
		for _, d := range ds {
			out = append(out, StaffMove{UnitID: 1, Item: StaffAdmin, Day: "2026-03-02", Delta: d})
		}
		return out
	}
	for _, c := range []struct {
		name  string
		f     StaffFigure
		moves []StaffMove
		plan  bool
		delta int
		code  string
	}{
		{"within", StaffFigure{Approved: 10, Actual: 9}, nil, false, 1, ""},
		{"past", StaffFigure{Approved: 10, Actual: 10}, nil, false, 1, ECONFLICT},
		{"over, no plan", StaffFigure{Approved: 10, Actual: 13, Over: 3}, nil, false, 1, ECONFLICT},
		{"one out", StaffFigure{Approved: 10, Actual: 12, Over: 2}, moves(-1), true, 1, ECONFLICT},
		{"two out", StaffFigure{Approved: 10, Actual: 11, Over: 1}, moves(-1, -1), true, 1, ""},
		{"two out, two in", StaffFigure{Approved: 10, Actual: 11, Over: 1}, moves(-1, -1), true, 2, ECONFLICT},
		{"two out, one in already", StaffFigure{Approved: 10, Actual: 12, Over: 2}, moves(-1, -1, 1), true, 1, ECONFLICT},
		{"four out, one in", StaffFigure{Approved: 10, Actual: 10}, moves(-2, -2, 1), true, 1, ECONFLICT},
		{"leave", StaffFigure{Approved: 10, Actual: 1}, nil, false, -1, ""},
		{"leave more than there are", StaffFigure{Approved: 10, Actual: 1}, nil, false, -2, ECONFLICT},
	} {
		st := StaffMoveState{Figure: c.f, Today: "2026-03-10"}
		if c.plan {
			p := plan
			pr := p.ProgressOn("2026-03-10", c.f, c.moves)
			p.Progress = &pr
			st.Plan = &p
		}
		m := StaffMove{UnitID: 1, Item: StaffAdmin, Day: "2026-03-10", Delta: c.delta, DocNo: "文"}
		if err := DecideMove(&m, st); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
	}
	if got := plan.RuleName(); got != "出二进一" {
		t.Errorf("rule name %s", got)
	}
}

func TestStaffFoldAsOf(t *testing.T) {
	qs := []StaffQuota{{ID: 1, UnitID: 1, Item: StaffAdmin, Value: 20, Day: "2026-01-01"},
		{ID: 3, UnitID: 1, Item: StaffAdmin, Value: 15, Day: "2026-02-01"},
		{ID: 2, UnitID: 1, Item: StaffAdmin, Value: 18, Day: "2026-02-01"}}
	ms := []StaffMove{{UnitID: 1, Item: StaffAdmin, Day: "2026-01-01", Delta: 17}, {UnitID: 1, Item: StaffAdmin, Day: "2026-03-01", Delta: -1}}
	for day, want := range map[string]StaffFigure{
		"2025-12-31": {},
		"2026-01-15": {Approved: 20, Actual: 17, Vacant: 3, Set: true},
		"2026-02-01": {Approved: 15, Actual: 17, Over: 2, Set: true}, // the later recorded of one day wins
		"2026-03-01": {Approved: 15, Actual: 16, Over: 1, Set: true},
	} {
		if got := StaffFold(day, qs, ms)[1][StaffAdmin]; got != want {
			t.Errorf("%s: %+v, want %+v", day, got, want)
		}
	}
}

func TestStaffOffice(t *testing.T) {
	orgs := map[string]Org{"BB": {Code: "BB", Kind: StaffOfficeKind, Region: "431382"}, "CGJ": {Code: "CGJ", Kind: "department", Region: "431382"}}
	orgOf := func(c string) (Org, bool) { o, ok := orgs[c]; return o, ok }
	for _, c := range []struct {
		g                    Grant
		region               string
		office, group, reads bool
	}{
		{Grant{Role: RoleOfficer, Org: "BB"}, "431382001", true, false, true},
		{Grant{Role: RoleOfficer, Org: "BB"}, "431381", false, false, false},
		{Grant{Role: RoleOfficer, Org: "CGJ"}, "431382", false, false, false},
		{Grant{Role: RoleAdmin, Region: "431382"}, "431382001", true, false, true},
		{Grant{Role: RoleLeader, Region: "431382001"}, "431382001", false, true, true},
		{Grant{Role: RoleLeader, Region: "431382001"}, "431382", false, false, false},
		{Grant{Role: RoleDispatcher, Region: "431382"}, "431382", false, false, false},
	} {
		u := User{Grants: []Grant{c.g}}
		if StaffOffice(u, c.region, orgOf) != c.office || StaffLeadingGroup(u, c.region) != c.group || StaffReads(u, c.region, orgOf) != c.reads {
			t.Errorf("%+v over %s", c.g, c.region)
		}
	}
}

// TestExtraKinds: 编外 movements carry a kind (none on 编制); a kind loses no more than it
// has; staff recorded before kinds may leave unclassified; the fold counts per kind and
// the JSON is an object by kind, zeros left out, read back the same.
func TestExtraKinds(t *testing.T) {
	f := StaffFigure{Approved: 10, Actual: 5, ByKind: ExtraByKind{3, 0, 0, 0, 0, 2}}
	for _, c := range []struct {
		name  string
		item  StaffItem
		kind  ExtraKind
		delta int
		code  string
	}{
		{"in by kind", StaffExtra, ExtraContract, 2, ""},
		{"in without kind", StaffExtra, "", 1, EINVALID},
		{"unknown kind", StaffExtra, "intern", 1, EINVALID},
		{"kind on 编制", StaffAdmin, ExtraDispatch, 1, EINVALID},
		{"out of a kind", StaffExtra, ExtraDispatch, -3, ""},
		{"out past a kind", StaffExtra, ExtraContract, -1, ECONFLICT},
		{"out unclassified", StaffExtra, "", -2, ""},
		{"past the total, any kind", StaffExtra, ExtraWelfare, 6, ECONFLICT},
	} {
		m := StaffMove{UnitID: 1, Item: c.item, Kind: c.kind, Day: "2026-03-10", Delta: c.delta, DocNo: "文"}
		fig := f
		if c.item != StaffExtra {
			fig = StaffFigure{Approved: 10}
		}
		if err := DecideMove(&m, StaffMoveState{Figure: fig, Today: "2026-03-10"}); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
	}
	figs := StaffFold("2026-03-02", nil, []StaffMove{{UnitID: 1, Item: StaffExtra, Day: "2026-03-01", Delta: 4, Kind: ExtraDispatch},
		{UnitID: 1, Item: StaffExtra, Day: "2026-03-01", Delta: 2}, {UnitID: 1, Item: StaffExtra, Day: "2026-03-02", Delta: -1, Kind: ExtraDispatch},
		{UnitID: 1, Item: StaffExtra, Day: "2026-03-03", Delta: 5, Kind: ExtraWelfare}})
	got := figs[1][StaffExtra]
	if got.ByKind != (ExtraByKind{3, 0, 0, 0, 0, 2}) || got.Actual != 5 {
		t.Errorf("the fold: %+v", got)
	}
	b, err := json.Marshal(got)
	if err != nil || !strings.Contains(string(b), `"by_kind":{"dispatch":3,"unclassified":2}`) {
		t.Errorf("JSON: %s %v", b, err)
	}
	var back StaffFigure
	if err := json.Unmarshal(b, &back); err != nil || back != got {
		t.Errorf("read back: %+v %v", back, err)
	}
	if b, _ := json.Marshal(StaffFigure{Approved: 1}); strings.Contains(string(b), "by_kind") {
		t.Errorf("an item with no kinds: %s", b)
	}
}

// TestLeadLevels: a leadership-post item's approved figure is the sum of its levels'
// last figures; a level is required (unset only to retire the line recorded before
// levels, at 0) and refused on other items; a level is not filled past its posts.
func TestLeadLevels(t *testing.T) {
	q := func(level LeadLevel, v int, day string, id int64) StaffQuota {
		return StaffQuota{ID: id, UnitID: 1, Item: StaffLeadDep, Level: level, Value: v, Day: day}
	}
	figs := StaffFold("2026-03-05", []StaffQuota{q("", 3, "2025-01-01", 1), q(LevelFuke, 2, "2026-03-01", 2), q(LevelGu, 1, "2026-03-01", 3),
		q("", 0, "2026-03-02", 4), q(LevelFuke, 3, "2026-03-04", 5), q(LevelGu, 9, "2026-03-06", 6)},
		[]StaffMove{{UnitID: 1, Item: StaffLeadDep, Level: LevelFuke, Day: "2026-03-01", Delta: 2}, {UnitID: 1, Item: StaffLeadDep, Day: "2025-01-01", Delta: 1}})
	f := figs[1][StaffLeadDep]
	if f.Approved != 4 || f.Actual != 3 || f.ByLevel.Of(LevelFuke) != (LevelFigure{Approved: 3, Set: true, Actual: 2, Vacant: 1}) ||
		f.ByLevel.Of(LevelUnset) != (LevelFigure{Set: true, Actual: 1, Over: 1}) {
		t.Errorf("the fold: %+v", f)
	}
	b, _ := json.Marshal(f)
	if !strings.Contains(string(b), `"fuke":{"approved":3,"set":true,"actual":2,"vacant":1,"over":0}`) || strings.Contains(string(b), `"ting"`) {
		t.Errorf("JSON: %s", b)
	}
	for _, c := range []struct {
		name  string
		q     StaffQuota
		valid bool
	}{
		{"by level", StaffQuota{Item: StaffLeadChief, Level: LevelChu, Value: 1}, true},
		{"no level", StaffQuota{Item: StaffLeadChief, Value: 1}, false},
		{"retire the unset line", StaffQuota{Item: StaffLeadChief, Value: 0}, true},
		{"unknown level", StaffQuota{Item: StaffLeadChief, Level: "bu", Value: 1}, false},
		{"level on 编制", StaffQuota{Item: StaffAdmin, Level: LevelKe, Value: 1}, false},
	} {
		c.q.Day, c.q.DocNo = "2026-03-01", "文"
		if err := DecideQuota(&c.q, StaffQuotaState{Today: "2026-03-10"}); (err == nil) != c.valid {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	st := StaffMoveState{Figure: f, Today: "2026-03-10"}
	for _, c := range []struct {
		name  string
		level LeadLevel
		delta int
		code  string
	}{{"within the level", LevelFuke, 1, ""}, {"past the level", LevelGu, 2, ECONFLICT}, {"no level", "", 1, EINVALID},
		{"unset leaves", "", -1, ""}, {"a level leaves more than it has", LevelFuke, -3, ECONFLICT}} {
		m := StaffMove{UnitID: 1, Item: StaffLeadDep, Level: c.level, Day: "2026-03-10", Delta: c.delta, DocNo: "文"}
		if err := DecideMove(&m, st); ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
	}
}
