package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
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
		"role": {"grid_worker", "volunteer", ""}, "region": {"431382001001002", "431382001001", ""}, "org": {"", "", ""}})
	if status != http.StatusSeeOther {
		t.Fatalf("create user: %d %s", status, body)
	}
	u, err := s.svc.UserByLogin(t.Context(), s.users["demo.admin"], "new.grid")
	if err != nil || len(u.Grants) != 2 || u.Name != "新网格员" {
		t.Fatalf("created %+v %v", u, err)
	}
	c.get(loc)
	if status, _, _ := c.post("/admin/users", url.Values{"id": {"999999"}, "role": {"grid_worker"}, "region": {"431382001001002"}, "org": {""}}); status != http.StatusNotFound {
		t.Errorf("unknown user id: %d", status)
	}
	// bad grants are refused with the form kept
	status, _, body = c.post("/admin/users", url.Values{"login": {"bad.one"}, "password": {"long-enough-1"}, "role": {"officer"}, "region": {""}, "org": {""}})
	if status != http.StatusBadRequest || !strings.Contains(body, "bad.one") || !strings.Contains(body, "第1个角色：该角色需要选择单位") {
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
	if status, _, body := c.post("/admin/calendar", url.Values{"year": {"2027"}, "month": {"1"}, "office": {"08:30-12:00,14:30-17:30"}, "kind.2027-01-01": {"holiday"}, "name.2027-01-01": {"元旦"}}); status != http.StatusSeeOther {
		t.Errorf("save calendar: %d %s", status, body)
	}
	if status, _, body := c.post("/admin/calendar", url.Values{"year": {"2027"}, "month": {"2"}, "office": {"08:30-12:00,14:30-17:30"}, "kind.2027-02-07": {"workday"}}); status != http.StatusSeeOther {
		t.Errorf("save calendar: %d %s", status, body)
	}
	if y, _ := s.svc.CalendarYear(t.Context(), 2027); len(y.Days) != 2 || y.Days[0].Name != "元旦" {
		t.Errorf("calendar days (one month's save keeps the others): %+v", y.Days)
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

// TestAdminErrorsNameTheirField: a refused admin form says which field was wrong and
// why, in Chinese, and keeps what was typed.
func TestAdminErrorsNameTheirField(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.admin")
	u, err := s.svc.UserByLogin(t.Context(), s.users["demo.admin"], "demo.grid")
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/users/" + strconv.FormatInt(u.ID, 10)
	two := func(role2, region2, org2 string) url.Values {
		return url.Values{"id": {strconv.FormatInt(u.ID, 10)}, "name": {u.Name}, "role": {"grid_worker", role2},
			"region": {"431382001001001", region2}, "org": {"", org2}}
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"unknown region", two("volunteer", "4313820", ""), "第2个角色：区域代码 4313820 格式不对"},
		{"region that does not exist", two("volunteer", "431382001999", ""), "第2个角色：区域 431382001999 不存在"},
		{"no region", two("dispatcher", "", ""), "第2个角色：该角色需要选择区域"},
		{"unknown org", two("officer", "", "NO-SUCH"), "第2个角色：单位 NO-SUCH 不存在"},
		{"no role", two("", "431382001", ""), "第2个角色：请从列表中选择角色"},
		{"auditor with a scope", two("auditor", "431382001", ""), "第2个角色：审计员"},
		{"rows torn apart", url.Values{"id": {strconv.FormatInt(u.ID, 10)}, "role": {"grid_worker", "volunteer"}, "region": {"431382001001001"}, "org": {""}}, "角色：第2行不完整"},
		{"no role at all", url.Values{"id": {strconv.FormatInt(u.ID, 10)}, "role": {""}, "region": {""}, "org": {""}}, "角色：至少需要一个角色"},
	} {
		c.get(path)
		status, _, body := c.post("/admin/users", tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 400 with %q; got %s", tc.name, status, tc.want, flash(body))
		}
	}
	if after, _ := s.svc.User(t.Context(), s.users["demo.admin"], u.ID); len(after.Grants) != 1 {
		t.Errorf("a refused form changed the grants: %+v", after.Grants)
	}
	c.get("/admin/users")
	if status, _, body := c.post("/admin/users", url.Values{"login": {"x y"}, "password": {"long-enough-1"}, "role": {"citizen"}, "region": {""}, "org": {""}}); status != http.StatusBadRequest || !strings.Contains(body, "账号：") {
		t.Errorf("bad login: %d %s", status, flash(body))
	}
	if status, _, body := c.post("/admin/users", url.Values{"login": {"short.pw"}, "password": {"short"}, "role": {"citizen"}, "region": {""}, "org": {""}}); status != http.StatusBadRequest || !strings.Contains(body, "密码：至少 8 个字符") {
		t.Errorf("short password: %d %s", status, flash(body))
	}
	c.get("/admin/orgs")
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"code": {"X-1"}, "name": {"某单位"}, "kind": {"bakery"}}, "单位类型：请从列表中选择"},
		{url.Values{"code": {"X-1"}, "name": {"某单位"}, "kind": {"department"}, "region": {"431382001999"}}, "辖区：区域 431382001999 不存在"},
		{url.Values{"code": {""}, "name": {"某单位"}}, "单位代码：必填"},
		{url.Values{"code": {"X-1"}, "name": {""}}, "单位名称：必填"},
	} {
		status, _, body := c.post("/admin/orgs", tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("org %v: %d, want %q; got %s", tc.form, status, tc.want, flash(body))
		}
	}
	c.get("/admin/calendar?year=2027&month=3")
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"year": {"2027"}, "month": {"3"}, "office": {"08:30-12:00"}, "kind.2027-03-03": {"workday"}}, "2027-03-03：不是周六或周日，不能设为调休上班"},
		{url.Values{"year": {"2027"}, "month": {"3"}, "office": {"08:30-12:00"}, "kind.2027-03-06": {"party"}}, "2027-03-06：只能设为节假日或调休上班"},
		{url.Values{"year": {"2027"}, "month": {"3"}, "office": {"half past eight"}}, "办公时间：应写成"},
	} {
		status, _, body := c.post("/admin/calendar", tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("calendar %v: %d, want %q; got %s", tc.form, status, tc.want, flash(body))
		}
	}
}

// flash is a page's error message, for a failing test to show.
func flash(body string) string {
	i := strings.Index(body, `class="flash error"`)
	if i < 0 {
		return "(no error shown)"
	}
	return body[i:min(len(body), i+300)]
}

// TestGovernmentNameFromTheAdminPage: the installation's administrator sets the name
// that heads the public pages on the admin home; an empty one is refused with the form
// kept, and the public report page is headed with the new name.
func TestGovernmentNameFromTheAdminPage(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.admin")
	if status, body := c.get("/admin"); status != http.StatusOK || !strings.Contains(body, `value="涟源市人民政府"`) {
		t.Fatalf("admin home: %d, the demo's name not in the form", status)
	}
	if status, _, body := c.post("/admin/government", url.Values{"government": {"  "}}); status != http.StatusBadRequest || !strings.Contains(body, "government-form") {
		t.Errorf("an empty name: %d", status)
	}
	if status, loc, body := c.post("/admin/government", url.Values{"government": {"涟源市人民政府办公室"}}); status != http.StatusSeeOther || loc != "/admin?saved=1" {
		t.Fatalf("save: %d %s %.300s", status, loc, body)
	}
	if got, _ := s.svc.Government(t.Context()); got != "涟源市人民政府办公室" {
		t.Errorf("saved %q", got)
	}
	public := s.client()
	if status, body := public.get("/public/report"); status != http.StatusOK || !strings.Contains(body, "涟源市人民政府办公室") {
		t.Errorf("the public page's heading: %d", status)
	}
}

// TestStreetAdministratorIsRefused403: an administrator of one street who posts the
// installation's catalogue or name is told 403, not shown the form as if it were wrong.
func TestStreetAdministratorIsRefused403(t *testing.T) {
	s := newSite(t, 0)
	street := domain.User{Login: "street.admin", Name: "街道管理员", Grants: []domain.Grant{{Role: domain.RoleAdmin, Region: "431382001"}}}
	if _, err := s.svc.SaveUser(t.Context(), s.users["demo.admin"], 0, street, demo.Password); err != nil {
		t.Fatal(err)
	}
	c := s.client()
	c.login("street.admin")
	for path, form := range map[string]url.Values{
		"/admin/government": {"government": {"蓝田街道办事处"}},
		"/admin/orgs":       {"code": {"LT-TEST"}, "name": {"测试办"}, "kind": {"department"}, "region": {"431382001"}},
	} {
		c.get("/admin")
		if status, _, _ := c.post(path, form); status != http.StatusForbidden {
			t.Errorf("%s by a street's administrator: %d, want 403", path, status)
		}
	}
}
