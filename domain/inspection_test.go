package domain

import (
	"slices"
	"testing"
	"time"
)

func TestInspectionFlags(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, China)
	e := &Enterprise{ID: 1, Region: "431382001001", Industry: "manufacturing"} // 30 days
	two := []Inspector{{Name: "甲", Certificate: "A1"}, {Name: "乙", Certificate: "B2"}}
	plans := []InspectionPlan{
		{ID: 10, Org: "LY-YJJ", Year: 2026, Kind: "安全生产检查", Region: "431382001", Industry: "manufacturing", Times: 2},
		{ID: 11, Org: "LY-YJJ", Year: 2026, Kind: "消防安全检查", Region: "431382001", EnterpriseID: 2, Times: 1},
	}
	ago := func(d int) *time.Time { t := now.AddDate(0, 0, -d); return &t }
	for _, tc := range []struct {
		name  string
		kind  string
		ins   []Inspector
		done  map[int64]int
		last  *time.Time
		flags []string
		plan  int64
	}{
		{"planned, first, two certified", "安全生产检查", two, nil, nil, []string{}, 10},
		{"plan used up", "安全生产检查", two, map[int64]int{10: 2}, nil, []string{FlagUnplanned}, 0},
		{"kind not planned", "食品安全检查", two, nil, nil, []string{FlagUnplanned}, 0},
		{"plan for another enterprise", "消防安全检查", two, nil, nil, []string{FlagUnplanned}, 0},
		{"too soon (29 days)", "安全生产检查", two, nil, ago(29), []string{FlagTooSoon}, 10},
		{"long enough (31 days)", "安全生产检查", two, nil, ago(31), []string{}, 10},
		{"one inspector", "安全生产检查", two[:1], nil, nil, []string{FlagInspectors}, 10},
		{"two without certificates", "安全生产检查", []Inspector{{Name: "甲"}, {Name: "乙", Certificate: "B2"}}, nil, nil, []string{FlagInspectors}, 10},
		{"same certificate twice", "安全生产检查", []Inspector{{Name: "甲", Certificate: "A1"}, {Name: "乙", Certificate: "A1"}}, nil, nil, []string{FlagInspectors}, 10},
		{"everything wrong", "食品安全检查", two[:1], nil, ago(1), []string{FlagUnplanned, FlagTooSoon, FlagInspectors}, 0},
	} {
		flags, plan := InspectionFlags(e, ScanIn{Kind: tc.kind, Inspectors: tc.ins}, now, plans, tc.done, tc.last)
		if !slices.Equal(flags, tc.flags) || plan != tc.plan {
			t.Errorf("%s: flags %v plan %d, want %v %d", tc.name, flags, plan, tc.flags, tc.plan)
		}
	}
	hc := &Enterprise{ID: 3, Region: "431382001001", Industry: "hazardous_chemical"} // 15 days
	if flags, _ := InspectionFlags(hc, ScanIn{Kind: "安全生产检查", Inspectors: two}, now, nil, nil, ago(20)); slices.Contains(flags, FlagTooSoon) {
		t.Errorf("hazardous chemicals may be inspected every 15 days: %v", flags)
	}
}

func TestScanInValidate(t *testing.T) {
	good := ScanIn{Token: "x", Kind: " 安全生产检查 ", LegalBasis: "《安全生产法》第六十五条", Items: []string{" 台账 ", ""}, Inspectors: []Inspector{{Name: "甲", Certificate: "A"}}}
	if err := good.Validate(); err != nil || good.Kind != "安全生产检查" || len(good.Items) != 1 {
		t.Fatalf("Validate = %v %+v", err, good)
	}
	lat := 91.0
	for name, mod := range map[string]func(*ScanIn){
		"no kind":       func(s *ScanIn) { s.Kind = "" },
		"no basis":      func(s *ScanIn) { s.LegalBasis = " " },
		"no items":      func(s *ScanIn) { s.Items = []string{" "} },
		"no inspectors": func(s *ScanIn) { s.Inspectors = nil },
		"nameless":      func(s *ScanIn) { s.Inspectors = []Inspector{{Certificate: "A"}} },
		"lat only":      func(s *ScanIn) { s.Lat = &lat },
	} {
		s := good
		s.Items = []string{"台账"}
		mod(&s)
		if ErrorCode(s.Validate()) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}

func TestInspectionAccess(t *testing.T) {
	in := &Inspection{Region: "431382001001", Org: "LY-SJJ"}
	e := &Enterprise{AccountID: 9}
	for _, tc := range []struct {
		u            User
		see, approve bool
	}{
		{User{ID: 9, Grants: []Grant{{Role: RoleEnterprise}}}, true, false},
		{User{ID: 8, Grants: []Grant{{Role: RoleEnterprise}}}, false, false},
		{User{ID: 2, Grants: []Grant{{Role: RoleInspector, Org: "LY-SJJ"}}}, true, false},
		{User{ID: 3, Grants: []Grant{{Role: RoleInspector, Org: "LY-YJJ"}}}, false, false},
		{User{ID: 4, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}, true, true},
		{User{ID: 5, Grants: []Grant{{Role: RoleLeader, Region: "431382002"}}}, false, false},
		{User{ID: 6, Grants: []Grant{{Role: RoleDispatcher, Region: "431382001"}}}, true, false},
	} {
		if got := InspectionVisible(tc.u, in, e); got != tc.see {
			t.Errorf("InspectionVisible(%v) = %v", tc.u.Grants, got)
		}
		if got := CanApproveInspection(tc.u, in); got != tc.approve {
			t.Errorf("CanApproveInspection(%v) = %v", tc.u.Grants, got)
		}
	}
	for _, tc := range []struct {
		score int
		ok    bool
	}{{0, false}, {1, true}, {5, true}, {6, false}} {
		if (ValidRating(tc.score, "") == nil) != tc.ok {
			t.Errorf("ValidRating(%d)", tc.score)
		}
	}
}
