package service_test

import (
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// A case list's count is the statistics' figure for the same region and months, in the
// reader's scope, and says "at least" where it stops.
func TestCountCasesAgreesWithStatistics(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 300)
	leader := users["demo.leader"]
	from, _ := domain.ParseBound("2025-04", false)
	to, _ := domain.ParseBound("2026-03", true)
	for _, region := range []string{"431382001", "431382001001", "431382001001001"} {
		rep, err := svc.Stats(t.Context(), leader, domain.StatsQuery{Region: region, From: "2025-04", To: "2026-03"})
		if err != nil || len(rep.Rows) != 1 {
			t.Fatalf("%s: %+v %v", region, rep, err)
		}
		n, err := svc.CountCases(t.Context(), leader, domain.CaseFilter{Region: region, From: from, To: to}, 0)
		if err != nil || n.More || !n.Rollup || int64(n.N) != rep.Rows[0].Received {
			t.Errorf("%s: count %+v %v, statistics %d", region, n, err, rep.Rows[0].Received)
		}
	}
	no := false
	n, err := svc.CountCases(t.Context(), leader, domain.CaseFilter{Region: "431382001", Overdue: &no}, 50)
	if err != nil || !n.More || n.N != 50 || n.Rollup {
		t.Errorf("a count stopped at 50: %+v %v", n, err)
	}
	// another street's cases are none of the leader's
	n, err = svc.CountCases(t.Context(), leader, domain.CaseFilter{Region: "431382002", From: from, To: to}, 0)
	if err != nil || n.N != 0 || n.More {
		t.Errorf("another street: %+v %v", n, err)
	}
}

// The dashboard asks Stats: the same scope, the same figures, the same refusals.
func TestDashboardIsTheStatistics(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 300)
	leader := users["demo.leader"]
	d, err := svc.Dashboard(t.Context(), leader, "", "", "")
	if err != nil || d.Region.Code != "431382001" || len(d.Months) != 12 || len(d.Trend) != 12 || len(d.ByRegion) != 15 {
		t.Fatalf("dashboard %+v %v", d.Region, err)
	}
	rep, err := svc.Stats(t.Context(), leader, domain.StatsQuery{})
	if err != nil || d.Total.Received != rep.Rows[0].Received {
		t.Errorf("total %d, statistics %+v %v", d.Total.Received, rep.Rows, err)
	}
	var sum int64
	for _, m := range d.Trend {
		sum += m.Received
	}
	if sum != d.Total.Received {
		t.Errorf("the months add up to %d, the total is %d", sum, d.Total.Received)
	}
	for _, a := range d.Ancestors {
		t.Errorf("the leader is offered %s above their street", a.Code)
	}
	for _, c := range []struct {
		region, from, to string
		code             string
	}{
		{"431382002", "", "", domain.ENOTFOUND},
		{"", "2026-13", "", domain.EINVALID},
		{"", "2026-03", "2025-01", domain.EINVALID},
		{"", "2020-01", "2026-03", domain.EINVALID}, // longer than a dashboard covers
	} {
		if _, err := svc.Dashboard(t.Context(), leader, c.region, c.from, c.to); domain.ErrorCode(err) != c.code {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := svc.Dashboard(t.Context(), users["demo.grid"], "", "", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a grid worker's dashboard: %v", err)
	}
}
