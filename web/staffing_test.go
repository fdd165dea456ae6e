package web

import (
	"net/url"
	"regexp"
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

var staffUnitLink = regexp.MustCompile(`href="/staffing/units/(\d+)\?as_of=[^"]*">蓝田街道便民服务中心<`)

// TestStaffingExtraByKindOnPages: the dashboard gives the 编外 actual by kind (the demo's
// street: 劳务派遣 10, 合同制 6, 临聘 3, 公益性岗位 4); the office records 编外 staff by
// kind on a unit's form, is refused one without a kind, and the unit's page counts the kind;
// likewise leadership posts by level.
func TestStaffingExtraByKindOnPages(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("officer.ly-bb")
	status, body := c.get("/staffing?region=431382001")
	if status != 200 || !strings.Contains(body, `id="staff-extra-kinds"`) {
		t.Fatalf("the dashboard: %d", status)
	}
	for _, want := range []string{"劳务派遣 10", "合同制 6", "临聘 3", "公益性岗位 4"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	m := staffUnitLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to 蓝田街道便民服务中心")
	}
	path := "/staffing/units/" + m[1]
	c.get(path)
	form := url.Values{"item": {"extra"}, "delta": {"1"}, "day": {"2026-03-02"}, "doc_no": {"涟人社〔2026〕7号"}}
	if status, _, body := c.post(path+"/moves", form); status != 400 || !strings.Contains(body, "须选择类别") {
		t.Errorf("a 编外 move without a kind: %d %s", status, body[strings.Index(body, "<main"):])
	}
	c.get(path)
	form.Set("kind", "welfare")
	if status, loc, body := c.post(path+"/moves", form); status != 303 || loc != path {
		i := strings.Index(body, "<main")
		t.Fatalf("a 编外 move by kind: %d %s %.600s", status, loc, body[max(i, 0):])
	}
	_, body = c.get(path)
	if !strings.Contains(body, `id="staff-kind-welfare"`) || !strings.Contains(body, "公益性岗位") || !strings.Contains(body, `id="staff-move-kind"`) {
		t.Errorf("the unit's page does not count the kind")
	}
	// leadership posts by level: the demo's 正职 at 正科级; a 副职 post approved at 副科级 on the form
	if !strings.Contains(body, `id="staff-level-lead_chief-ke"`) || !strings.Contains(body, `id="staff-quota-level"`) {
		t.Errorf("the unit's page shows no levels")
	}
	lead := url.Values{"item": {"lead_deputy"}, "value": {"1"}, "day": {"2026-03-02"}, "doc_no": {"涟编发〔2026〕7号"}}
	if status, _, body := c.post(path+"/quotas", lead); status != 400 || !strings.Contains(body, "须按级别") {
		t.Errorf("a leadership quota without a level: %d", status)
	}
	c.get(path)
	lead.Set("level", "fuke")
	if status, _, _ := c.post(path+"/quotas", lead); status != 303 {
		t.Fatalf("a leadership quota by level: %d", status)
	}
	if _, body = c.get(path); !strings.Contains(body, `id="staff-level-lead_deputy-fuke"`) {
		t.Errorf("the new level is not on the page")
	}
}
