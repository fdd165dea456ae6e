package web

import (
	"strings"
	"testing"
)

// TestStaffingNavOnlyForReaders: the staffing entry is offered to the staffing office's
// officer and the leading group, not to an officer of another department (whose role
// opens the pages but who reads no establishment); the figures' XLSX downloads.
func TestStaffingNavOnlyForReaders(t *testing.T) {
	s := newSite(t, 0)
	for login, want := range map[string]bool{"officer.ly-bb": true, "demo.leader": true, "demo.officer": false} {
		c := s.client()
		c.login(login)
		_, body := c.get("/me")
		if got := strings.Contains(body, `href="/staffing"`); got != want {
			t.Errorf("%s offered the staffing pages: %v", login, got)
		}
	}
	c := s.client()
	c.login("officer.ly-bb")
	if status, body := c.get("/staffing/figures.xlsx?region=431382"); status != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("the workbook: %d %.20q", status, body)
	}
	if status, body := c.get("/staffing?region=431382&as_of=2025-02-01&from=2025-01-01"); status != 200 || !strings.Contains(body, `id="staff-change"`) {
		t.Errorf("a past day with its change: %d", status)
	}
}
