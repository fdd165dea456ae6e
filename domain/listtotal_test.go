package domain

import (
	"testing"
	"time"
)

// Which list totals the rollup holds, and in which cells.
func TestRollupTotal(t *testing.T) {
	month := func(y int, m time.Month) *time.Time { t := time.Date(y, m, 1, 0, 0, 0, 0, China); return &t }
	day := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, China); return &t }
	yes := true
	for _, tc := range []struct {
		name string
		f    CaseFilter
		want RollupTotal
		ok   bool
	}{
		{"a street", CaseFilter{Region: "431382001"}, RollupTotal{Region: "431382001", Counter: "received"}, true},
		{"the country", CaseFilter{}, RollupTotal{Counter: "received"}, true},
		{"whole months", CaseFilter{Region: "431382001", From: month(2025, 4), To: month(2026, 4)},
			RollupTotal{Region: "431382001", From: "2025-04", To: "2026-03", Counter: "received"}, true},
		{"closed", CaseFilter{Region: "431382001001", Status: []Status{StatusClosed}}, RollupTotal{Region: "431382001001", Counter: "closed"}, true},
		{"hazards", CaseFilter{Region: "431382001", Kind: "hazard"}, RollupTotal{Region: "431382001", Counter: "hazards"}, true},
		{"a lead org", CaseFilter{Region: "431382001", Lead: "LY-CGJ"}, RollupTotal{Region: "431382001", Dim: "org", Value: "LY-CGJ", Counter: "received"}, true},
		{"a matter", CaseFilter{Region: "431382", Matter: "SR-001"}, RollupTotal{Region: "431382", Dim: "matter", Value: "SR-001", Counter: "received"}, true},
		{"a grid", CaseFilter{Region: "431382001001001"}, RollupTotal{Region: "431382001001001", Counter: "received"}, true},
		{"a village's matter", CaseFilter{Region: "431382001001", Matter: "SR-001"}, RollupTotal{}, false},
		{"two dimensions", CaseFilter{Region: "431382001", Matter: "SR-001", Channel: "hotline"}, RollupTotal{}, false},
		{"a day", CaseFilter{Region: "431382001", From: day(2026, 3, 2)}, RollupTotal{}, false},
		{"an open status", CaseFilter{Region: "431382001", Status: []Status{StatusAccepted}}, RollupTotal{}, false},
		{"two statuses", CaseFilter{Region: "431382001", Status: []Status{StatusClosed, StatusRejected}}, RollupTotal{}, false},
		{"closed hazards", CaseFilter{Region: "431382001", Kind: "hazard", Status: []Status{StatusClosed}}, RollupTotal{}, false},
		{"overdue", CaseFilter{Region: "431382001", Overdue: &yes}, RollupTotal{}, false},
		{"any org", CaseFilter{Region: "431382001", Org: "LY-CGJ"}, RollupTotal{}, false},
		{"words", CaseFilter{Region: "431382001", Q: "路灯"}, RollupTotal{}, false},
		{"a window", CaseFilter{Region: "431382001", Window: []int64{1}}, RollupTotal{}, false},
		{"a region code of no level", CaseFilter{Region: "4313820"}, RollupTotal{}, false},
	} {
		got, ok := tc.f.RollupTotal()
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("%s: %+v %v, want %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	leader := User{Grants: []Grant{{Role: RoleLeader, Region: "431382001"}, {Role: RoleOfficer, Region: "431382", Org: "LY-CGJ"}}}
	for region, want := range map[string]bool{"431382001": true, "431382001001": true, "431382": false, "431382002": false, "": false} {
		if SeesAll(leader, region) != want {
			t.Errorf("SeesAll(leader, %q) = %v", region, !want)
		}
	}
}
