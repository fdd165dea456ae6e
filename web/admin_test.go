package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminPages(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.admin")
	for _, p := range []string{"/admin", "/admin/users", "/admin/orgs", "/admin/matters", "/admin/calendar", "/admin/regions?code=431382001", "/admin/linkages"} {
		status, body := c.get(p)
		if status != http.StatusOK || strings.Contains(body, missingMark) {
			t.Errorf("%s: %d", p, status)
		}
	}
	// a new user with two grants, then disabled
	c.get("/admin/users")
	status, loc, body := c.post("/admin/users", url.Values{"login": {"new.grid"}, "name": {"新网格员"}, "password": {"long-enough-1"},
		"grants": {"grid_worker 431382001001002 -\nvolunteer 431382001001 -"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create user: %d %s", status, body)
	}
	u, err := s.svc.UserByLogin(t.Context(), s.users["demo.admin"], "new.grid")
	if err != nil || len(u.Grants) != 2 || u.Name != "新网格员" {
		t.Fatalf("created %+v %v", u, err)
	}
	c.get(loc)
	if status, _, _ := c.post("/admin/users", url.Values{"id": {"999999"}, "grants": {"grid_worker 431382001001002"}}); status != http.StatusNotFound {
		t.Errorf("unknown user id: %d", status)
	}
	// bad grants are refused with the form kept
	status, _, body = c.post("/admin/users", url.Values{"login": {"bad.one"}, "password": {"long-enough-1"}, "grants": {"officer"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "bad.one") {
		t.Errorf("grant without org: %d", status)
	}
	// a matter's deadlines
	c.get("/admin/matters/AQ-001")
	if status, _, body := c.post("/admin/matters/AQ-001", url.Values{"name": {"消防通道堵塞占用"}, "lead_org": {"LY-XFJY"}, "ack": {"3h"}, "resolve": {"2d"}, "priority": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("save matter: %d %s", status, body)
	}
	m, _ := s.svc.Matter(t.Context(), "AQ-001")
	if m.AckDeadline.String() != "3h" || m.Deadline.String() != "2d" {
		t.Errorf("matter after save: %+v", m)
	}
	if status, _, _ := c.post("/admin/matters/AQ-001", url.Values{"name": {"x"}, "lead_org": {"LY-XFJY"}, "ack": {"soon"}, "resolve": {"2d"}, "priority": {"1"}}); status != http.StatusBadRequest {
		t.Errorf("bad deadline: %d", status)
	}
	// an org, a grid, a calendar year, a linkage
	if status, _, body := c.post("/admin/orgs", url.Values{"code": {"LT-TEST"}, "name": {"测试办"}, "kind": {"department"}, "region": {"431382001"}}); status != http.StatusSeeOther {
		t.Errorf("save org: %d %s", status, body)
	}
	if status, _, body := c.post("/admin/regions", url.Values{"code": {"431382001001099"}, "name": {"测试网格"}, "lat": {"27.7"}, "lon": {"111.65"}}); status != http.StatusSeeOther {
		t.Errorf("save region: %d %s", status, body)
	}
	if r, err := s.svc.Region(t.Context(), "431382001001099"); err != nil || r.Level != "grid" {
		t.Errorf("region %+v %v", r, err)
	}
	if status, _, body := c.post("/admin/calendar", url.Values{"year": {"2027"}, "office": {"08:30-12:00,14:30-17:30"}, "days": {"2027-01-01 holiday 元旦\n2027-02-07 workday 春节调休"}}); status != http.StatusSeeOther {
		t.Errorf("save calendar: %d %s", status, body)
	}
	if y, _ := s.svc.CalendarYear(t.Context(), 2027); len(y.Days) != 2 {
		t.Errorf("calendar days: %+v", y.Days)
	}
	if status, _, body := c.post("/admin/linkages", url.Values{"kind": {"community"}, "user": {"demo.leader"}, "target": {"431382001001"}, "from": {"2026-01-01"}}); status != http.StatusSeeOther {
		t.Errorf("save linkage: %d %s", status, body)
	}
	// only administrators
	d := s.client()
	d.login("demo.dispatcher")
	if status, _ := d.get("/admin/users"); status != http.StatusForbidden {
		t.Errorf("dispatcher on admin: %d", status)
	}
	if status, _, _ := d.post("/admin/orgs", url.Values{"code": {"X"}, "name": {"y"}}); status != http.StatusForbidden {
		t.Errorf("dispatcher saving an org: %d", status)
	}
}
