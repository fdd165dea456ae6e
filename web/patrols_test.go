package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestPatrolPagesRender: the ledger, liaison report, patrol, scan-in and inspections
// pages render for the roles they are for and refuse the others.
func TestPatrolPagesRender(t *testing.T) {
	s := newSite(t, 300)
	for _, tc := range []struct {
		who, path string
		status    int
		want      string
	}{
		{"demo.leader", "/ledgers/hazards", 200, `id="ledger-found"`},
		{"demo.leader", "/ledgers/hazards?by=category", 200, "消防安全"},
		{"demo.dispatcher", "/reports/liaison", 200, `id="liaison-summary"`},
		{"demo.liaison", "/reports/liaison", 200, "联企干部 冯涛"},
		{"demo.grid", "/m/patrol", 200, `id="patrol-form"`},
		{"demo.inspector", "/inspect/scan?code=x", 200, `id="scan-form"`},
		{"demo.enterprise", "/inspections", 200, "涟源市蓝田机械制造有限公司"},
		{"demo.leader", "/inspections", 200, "inspection-"},
		{"demo.grid", "/ledgers/hazards", 403, ""},
		{"demo.citizen", "/inspect/scan", 403, ""},
	} {
		c := s.client()
		c.login(tc.who)
		status, body := c.get(tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: %d, want %d with %q", tc.who, tc.path, status, tc.status, tc.want)
		}
	}
	c := s.client()
	c.login("demo.leader")
	if status, body := c.get("/ledgers/hazards.xlsx"); status != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Errorf("xlsx download: %d %.20q", status, body)
	}
}
