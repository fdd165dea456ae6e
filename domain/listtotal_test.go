package domain

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// Which list totals the rollup holds, and in which cells.
func TestRollupTotal(t *testing.T) {
	month := func(y int, m time.Month) *time.Time { t := time.Date(y, m, 1, 0, 0, 0, 0, China); return &t }
	day := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, China); return &t }
	yes, no := true, false
	for _, tc := range []struct {
		name string
		f    CaseFilter
		want RollupTotal
		ok   bool
	}{
		{"a street", CaseFilter{Region: "431382001"}, RollupTotal{Region: "431382001", Counters: []string{"received"}}, true},
		{"the country", CaseFilter{}, RollupTotal{Counters: []string{"received"}}, true},
		{"whole months", CaseFilter{Region: "431382001", From: month(2025, 4), To: month(2026, 4)},
			RollupTotal{Region: "431382001", From: "2025-04", To: "2026-03", Counters: []string{"received"}}, true},
		{"closed", CaseFilter{Region: "431382001001", Status: []Status{StatusClosed}}, RollupTotal{Region: "431382001001", Counters: []string{"closed"}}, true},
		{"hazards", CaseFilter{Region: "431382001", Kind: "hazard"}, RollupTotal{Region: "431382001", Counters: []string{"hazards"}}, true},
		{"a lead org", CaseFilter{Region: "431382001", Lead: "LY-CGJ"}, RollupTotal{Region: "431382001", Dim: "org", Value: "LY-CGJ", Counters: []string{"received"}}, true},
		{"a matter", CaseFilter{Region: "431382", Matter: "SR-001"}, RollupTotal{Region: "431382", Dim: "matter", Value: "SR-001", Counters: []string{"received"}}, true},
		{"a grid", CaseFilter{Region: "431382001001001"}, RollupTotal{Region: "431382001001001", Counters: []string{"received"}}, true},
		{"a village's matter", CaseFilter{Region: "431382001001", Matter: "SR-001"}, RollupTotal{}, false},
		{"two dimensions", CaseFilter{Region: "431382001", Matter: "SR-001", Channel: "hotline"}, RollupTotal{}, false},
		{"a day", CaseFilter{Region: "431382001", From: day(2026, 3, 2)}, RollupTotal{}, false},
		{"an open status", CaseFilter{Region: "431382001", Status: []Status{StatusAccepted}}, RollupTotal{Region: "431382001", Counters: []string{"st_accepted"}}, true},
		{"two statuses", CaseFilter{Region: "431382001", Status: []Status{StatusClosed, StatusRejected, StatusClosed}}, RollupTotal{Region: "431382001", Counters: []string{"closed", "rejected"}}, true},
		{"a status of no counter", CaseFilter{Region: "431382001", Status: []Status{StatusClosed, "lost"}}, RollupTotal{}, false},
		{"closed hazards", CaseFilter{Region: "431382001", Kind: "hazard", Status: []Status{StatusClosed}}, RollupTotal{}, false},
		{"overdue", CaseFilter{Region: "431382001", Overdue: &yes}, RollupTotal{Region: "431382001", Counters: []string{"overdue_now"}}, true},
		{"not overdue", CaseFilter{Region: "431382001", Overdue: &no}, RollupTotal{}, false},
		{"overdue and accepted", CaseFilter{Region: "431382001", Overdue: &yes, Status: []Status{StatusAccepted}}, RollupTotal{}, false},
		{"overdue hazards", CaseFilter{Region: "431382001", Overdue: &yes, Kind: "hazard"}, RollupTotal{}, false},
		{"any org", CaseFilter{Region: "431382001", Org: "LY-CGJ"}, RollupTotal{}, false},
		{"words", CaseFilter{Region: "431382001", Q: "路灯"}, RollupTotal{}, false},
		{"a window", CaseFilter{Region: "431382001", Window: []int64{1}}, RollupTotal{}, false},
		{"a region code of no level", CaseFilter{Region: "4313820"}, RollupTotal{}, false},
	} {
		got, ok := tc.f.RollupTotal()
		if ok != tc.ok || ok && !reflect.DeepEqual(got, tc.want) {
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

// Which regions a user sees whole, when those and the user's own reports are all the
// user's list holds.
func TestWholeRegions(t *testing.T) {
	g := func(r Role, region, org string) Grant { return Grant{Role: r, Region: region, Org: org} }
	for _, tc := range []struct {
		name   string
		grants []Grant
		want   []string
		ok     bool
	}{
		{"a street's dispatcher", []Grant{g(RoleDispatcher, "431382001", "")}, []string{"431382001"}, true},
		{"nested grants: the outermost", []Grant{g(RoleGridWorker, "431382001001001", ""), g(RoleLeader, "431382001", "")}, []string{"431382001"}, true},
		{"two streets", []Grant{g(RoleDispatcher, "431382001", ""), g(RoleLeader, "431382002", "")}, []string{"431382001", "431382002"}, true},
		{"an officer inside a leader's street", []Grant{g(RoleLeader, "431382", ""), g(RoleOfficer, "431382001", "LY-CGJ")}, []string{"431382"}, true},
		{"an officer outside it", []Grant{g(RoleLeader, "431382001", ""), g(RoleOfficer, "431382", "LY-CGJ")}, nil, false},
		{"an inspector alone", []Grant{g(RoleInspector, "431382", "LY-SJJ")}, nil, false},
		{"everywhere", []Grant{g(RoleAdmin, "", "")}, nil, false},
		{"a citizen: own reports only", []Grant{g(RoleCitizen, "", "")}, nil, true},
		{"a volunteer and a dispatcher", []Grant{g(RoleVolunteer, "431382001001", ""), g(RoleDispatcher, "431382002", "")}, []string{"431382002"}, true},
	} {
		got, ok := WholeRegions(User{Grants: tc.grants})
		if ok != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v %v, want %v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// Every case counts in exactly one status's counter: the counters of a list's statuses
// sum to the cases in them.
func TestStatusCountersCoverEveryStatus(t *testing.T) {
	all := []Status{StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved,
		StatusVerified, StatusClosed, StatusRejected, StatusMerged, StatusReturned, StatusSuspended}
	for _, st := range all {
		c := &Case{Status: st, CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, China)}
		_, tally := c.Rollup()
		var in int64
		for i, n := range tally.Counters() {
			if name := CounterNames[i]; name == statusCounters[st] && *n != 1 {
				t.Errorf("%s: counter %s is %d", st, name, *n)
			}
		}
		for _, n := range tally.InStatus {
			in += n
		}
		if in+tally.Closed+tally.Rejected+tally.Merged != 1 {
			t.Errorf("%s counts in %d status counters", st, in+tally.Closed+tally.Rejected+tally.Merged)
		}
		if total, ok := (CaseFilter{Status: []Status{st}}).RollupTotal(); !ok || len(total.Counters) != 1 {
			t.Errorf("%s: no rollup total %+v", st, total)
		}
	}
}
