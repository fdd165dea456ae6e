package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// listed pages through the whole list of f as u sees it and counts its cases.
func listed(t *testing.T, svc *service.Service, u domain.User, f domain.CaseFilter) int {
	t.Helper()
	n := 0
	for f.Limit = 200; ; {
		cases, next, err := svc.Cases(context.Background(), u, f)
		if err != nil {
			t.Fatalf("listing %+v: %v", f, err)
		}
		n += len(cases)
		if next == 0 {
			return n
		}
		f.After = next
	}
}

// A list's total is the number of cases the list lists: read from the rollup when every
// filter is a rollup dimension and the reader sees the whole region, else counted in the
// list's own scope and conditions.
func TestListTotalsFromTheRollupOrCounted(t *testing.T) {
	svc, users, clock := whistletest.Demo(t, 400)
	ctx := t.Context()
	leader, officer := users["demo.leader"], users["demo.officer"]
	now := clock.Now().In(domain.China)
	month := func(m int) *time.Time {
		t := time.Date(now.Year(), now.Month()+time.Month(m), 1, 0, 0, 0, 0, domain.China)
		return &t
	}
	day := func(d int) *time.Time { t := now.AddDate(0, 0, d); return &t }
	yes, no := true, false
	cases, _, err := svc.Cases(ctx, leader, domain.CaseFilter{Region: "431382001", Limit: 200})
	if err != nil || len(cases) < 100 {
		t.Fatalf("the demo's cases: %d %v", len(cases), err)
	}
	var lead, matter string
	channel := string(cases[0].Channel)
	for _, c := range cases {
		if c.LeadOrg != "" && lead == "" {
			lead = c.LeadOrg
		}
		if matter == "" {
			matter = c.Matter
		}
	}
	street, village := "431382001", cases[0].Region[:12]
	for _, tc := range []struct {
		name   string
		u      domain.User
		f      domain.CaseFilter
		rollup bool
	}{
		{"street, all time", leader, domain.CaseFilter{Region: street}, true},
		{"street, a year", leader, domain.CaseFilter{Region: street, From: month(-11), To: month(1)}, true},
		{"street, closed", leader, domain.CaseFilter{Region: street, Status: []domain.Status{domain.StatusClosed}, From: month(-11), To: month(1)}, true},
		{"street, hazards", leader, domain.CaseFilter{Region: street, Kind: "hazard"}, true},
		{"street, a lead org", leader, domain.CaseFilter{Region: street, Lead: lead, From: month(-5), To: month(1)}, true},
		{"street, a matter", leader, domain.CaseFilter{Region: street, Matter: matter}, true},
		{"street, a channel", leader, domain.CaseFilter{Region: street, Channel: channel}, true},
		{"a village, this month", leader, domain.CaseFilter{Region: village, From: month(0), To: month(1)}, true},
		// not rollup dimensions: counted
		{"a village's matter", leader, domain.CaseFilter{Region: village, Matter: matter}, false},
		{"street, overdue", leader, domain.CaseFilter{Region: street, Overdue: &yes}, true},
		{"the leader's whole scope, overdue", leader, domain.CaseFilter{Overdue: &yes}, true},
		{"street, not overdue", leader, domain.CaseFilter{Region: street, Overdue: &no}, false},
		{"street, accepted", leader, domain.CaseFilter{Region: street, Status: []domain.Status{domain.StatusAccepted}}, true},
		{"the leader's whole scope, to visit", leader, domain.CaseFilter{Status: []domain.Status{domain.StatusResolved, domain.StatusVerified}}, true},
		{"the leader's whole scope, in progress", leader, domain.CaseFilter{Status: []domain.Status{domain.StatusDispatched, domain.StatusAcknowledged, domain.StatusInProgress}}, true},
		{"street, accepted in a year", leader, domain.CaseFilter{Region: street, Status: []domain.Status{domain.StatusAccepted}, From: month(-11), To: month(1)}, true},
		{"street, overdue and in progress", leader, domain.CaseFilter{Region: street, Overdue: &yes, Status: []domain.Status{domain.StatusInProgress}}, false},
		{"street, days", leader, domain.CaseFilter{Region: street, From: day(-40), To: day(1)}, false},
		{"street, words", leader, domain.CaseFilter{Region: street, Q: "的"}, false},
		{"street, any org", leader, domain.CaseFilter{Region: street, Org: lead}, false},
		// a list without a region: the leader's street from the rollup
		{"the leader's whole scope", leader, domain.CaseFilter{}, true},
		{"the leader's whole scope, closed this year", leader, domain.CaseFilter{Status: []domain.Status{domain.StatusClosed}, From: month(-11), To: month(1)}, true},
		{"the leader's whole scope, a matter", leader, domain.CaseFilter{Matter: matter}, true},
		{"the leader's whole scope, words", leader, domain.CaseFilter{Q: "的"}, false},
		{"a county holding the leader's street", leader, domain.CaseFilter{Region: "431382"}, true},
		{"a street the leader does not see", leader, domain.CaseFilter{Region: "431382002"}, false},
		// an officer sees only their org's cases: never the rollup's region figure
		{"an officer's street", officer, domain.CaseFilter{Region: street}, false},
	} {
		n, err := svc.CountCases(ctx, tc.u, tc.f, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if want := listed(t, svc, tc.u, tc.f); n.N != want || n.More || n.Rollup != tc.rollup {
			t.Errorf("%s: total %+v, the list lists %d (rollup wanted: %v)", tc.name, n, want, tc.rollup)
		}
		if tc.rollup && n.N == 0 {
			t.Errorf("%s: no case counted, the test checks little", tc.name)
		}
	}
}

// A list over a user's whole scope takes its total from the rollup of the regions the
// user sees whole, plus the user's own reports outside them: a street's dispatcher who
// also reports as a citizen sees the cases reported elsewhere in the list, and in its
// total.
func TestScopeTotalCountsOwnReportsOutside(t *testing.T) {
	svc, _, clock := whistletest.Demo(t, 200)
	ctx := t.Context()
	u, err := whistletest.StoreOf(svc).PutUser(ctx, domain.User{Login: "disp.citizen", Name: "调度员兼群众", Grants: []domain.Grant{
		{Role: domain.RoleDispatcher, Region: "431382001"}, {Role: domain.RoleCitizen}}}, "x")
	if err != nil {
		t.Fatal(err)
	}
	for i, region := range []string{"431382002001", "431382002001", "431382001001001", "431382002001"} {
		if _, err := svc.File(ctx, u, domain.NewCase{Matter: "SR-001", Title: fmt.Sprintf("路灯不亮 %d", i), Region: region}); err != nil {
			t.Fatalf("filing in %s: %v", region, err)
		}
	}
	now := clock.Now().In(domain.China)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.China)
	next := month.AddDate(0, 1, 0)
	for _, tc := range []struct {
		name string
		f    domain.CaseFilter
	}{
		{"whole scope", domain.CaseFilter{}},
		{"a matter", domain.CaseFilter{Matter: "SR-001"}},
		{"this month", domain.CaseFilter{From: &month, To: &next}},
		{"the county", domain.CaseFilter{Region: "431382"}},
		{"another street", domain.CaseFilter{Region: "431382002"}},
		{"new cases", domain.CaseFilter{Status: []domain.Status{domain.StatusReported}}},
	} {
		n, err := svc.CountCases(ctx, u, tc.f, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := listed(t, svc, u, tc.f)
		if n.N != want || n.More {
			t.Errorf("%s: total %+v, the list lists %d", tc.name, n, want)
		}
		if tc.f.Region != "431382002" && !n.Rollup {
			t.Errorf("%s: counted, not from the rollup", tc.name)
		}
	}
	outside, err := svc.CountCases(ctx, u, domain.CaseFilter{Region: "431382002"}, 0)
	if err != nil || outside.N != 3 {
		t.Errorf("the three reports in another street: %+v %v", outside, err)
	}
}

// Past its bound a count says "at least": a list of more than domain.TotalCap cases that
// the rollup cannot answer reads 10,000 and not exact; the rollup answers past it.
func TestListTotalStopsAtTheCap(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, domain.TotalCap+300)
	ctx := t.Context()
	leader := users["demo.leader"]
	n, err := svc.CountCases(ctx, leader, domain.CaseFilter{Region: "431382001"}, 0)
	if err != nil || !n.Rollup || n.More || n.N <= domain.TotalCap {
		t.Errorf("the street from the rollup: %+v %v", n, err)
	}
	n, err = svc.CountCases(ctx, leader, domain.CaseFilter{}, 0)
	if err != nil || !n.Rollup || n.More || n.N <= domain.TotalCap {
		t.Errorf("the leader's whole scope from the rollup: %+v %v", n, err)
	}
	since := time.Date(2000, 1, 2, 0, 0, 0, 0, domain.China) // a day, not a month: counted
	n, err = svc.CountCases(ctx, leader, domain.CaseFilter{From: &since}, 0)
	if err != nil || n.Rollup || !n.More || n.N != domain.TotalCap {
		t.Errorf("the leader's whole scope since a day, counted: %+v %v", n, err)
	}
	no := false
	n, err = svc.CountCases(ctx, leader, domain.CaseFilter{Region: "431382001", Overdue: &no}, 50)
	if err != nil || n.Rollup || !n.More || n.N != 50 {
		t.Errorf("a count asked to stop at 50: %+v %v", n, err)
	}
}

// A bulk dispatch acts on each case on its own: the cases it may act on are dispatched,
// a case changed since its row was shown and a case outside the dispatcher's street are
// refused with their reasons, and neither stops the others.
func TestBulkDispatchMixed(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	ctx := t.Context()
	grid, dispatcher := users["demo.grid"], users["demo.dispatcher"]
	var targets []service.ActTarget
	for i := range 4 {
		c, err := svc.File(ctx, grid, domain.NewCase{Matter: "SR-001", Title: "批量派遣", Region: "431382001001001"})
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, service.ActTarget{ID: c.ID, Version: c.Version})
		if i == 1 { // accepted by someone else meanwhile: the row's version is stale
			if _, err := svc.Act(ctx, dispatcher, c.ID, domain.Command{Action: domain.ActAccept, Version: c.Version}); err != nil {
				t.Fatal(err)
			}
		}
	}
	targets = append(targets, service.ActTarget{ID: 999999, Version: 1}) // no such case (or not the dispatcher's)
	results, err := svc.ActOnMany(ctx, dispatcher, targets, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ"})
	if err != nil || len(results) != len(targets) {
		t.Fatalf("%d results, %v", len(results), err)
	}
	for i, r := range results {
		refused := i == 1 || i == 4
		if (r.Err != nil) != refused || r.ID != targets[i].ID {
			t.Errorf("case %d: %+v (refusal expected: %v)", i, r, refused)
		}
		if !refused && (r.Case == nil || r.Case.Status != domain.StatusDispatched || r.Case.LeadOrg != "LY-CGJ") {
			t.Errorf("case %d was not dispatched: %+v", i, r.Case)
		}
	}
	if code := domain.ErrorCode(results[1].Err); code != domain.ESTALE || results[1].Case == nil || results[1].Case.Status != domain.StatusAccepted {
		t.Errorf("the stale row: %v %+v", results[1].Err, results[1].Case)
	}
	if code := domain.ErrorCode(results[4].Err); code != domain.ENOTFOUND || results[4].Case != nil {
		t.Errorf("the missing case: %v", results[4].Err)
	}
	if _, err := svc.ActOnMany(ctx, dispatcher, targets, domain.Command{Action: domain.ActClose}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("closing in bulk: %v", err)
	}
	if r, err := svc.ActOnMany(ctx, grid, targets[:1], domain.Command{Action: domain.ActAccept}); err != nil || len(r) != 1 || domain.ErrorCode(r[0].Err) != domain.EFORBIDDEN {
		t.Errorf("a grid worker's bulk accept is refused case by case: %+v %v", r, err)
	}
}
