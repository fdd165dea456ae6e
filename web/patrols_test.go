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
		{"demo.admin", "/enterprises", 200, "涟源市蓝田机械制造有限公司"},
		{"demo.liaison", "/enterprises", 200, "poster-"},
		{"demo.grid", "/ledgers/hazards", 403, ""},
		{"demo.grid", "/enterprises", 403, ""},
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
	c = s.client()
	c.login("demo.enterprise")
	_, page := c.get("/enterprises")
	id := strings.TrimSuffix(strings.Split(strings.Split(page, `id="poster-`)[1], `"`)[0], "")
	if status, body := c.get("/enterprises/" + id + "/code.png"); status != http.StatusOK || !strings.HasPrefix(body, "\x89PNG") {
		t.Errorf("code.png: %d", status)
	}
	if !haveFont(t) {
		t.Log("no Chinese font: the PDF poster answers 404")
	} else if status, body := c.get("/enterprises/" + id + "/poster.pdf"); status != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("poster.pdf: %d %.40q", status, body)
	}
	c = s.client()
	c.login("demo.inspector")
	if status, _ := c.get("/enterprises/" + id + "/poster.pdf"); status != http.StatusForbidden {
		t.Errorf("an inspector prints a poster: %d", status)
	}
	c = s.client()
	c.login("demo.leader")
	if status, body := c.get("/ledgers/hazards.xlsx"); status != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Errorf("xlsx download: %d %.20q", status, body)
	}
}
