package web

import (
	"context"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"whistle/domain"
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

var staffStreetLink = regexp.MustCompile(`href="/staffing/units/(\d+)\?as_of=[^"]*">蓝田街道党工委（办事处）<`)

// TestStaffingRevealOnUnitPage: the office sees a named person's ID number in clear on
// the unit's page only saying why; the reveal is audited with its purpose and the
// answer is not cached; the leading group reads the page masked and may not reveal.
func TestStaffingRevealOnUnitPage(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("officer.ly-bb")
	_, body := c.get("/staffing?region=431382001")
	m := staffStreetLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to the street's unit")
	}
	path := "/staffing/units/" + m[1]
	_, body = c.get(path)
	pm := regexp.MustCompile(`id="staff-reveal-(\d+)"`).FindStringSubmatch(body)
	if pm == nil || strings.Contains(body, "431382197803120") {
		t.Fatalf("the page offers no reveal, or shows a number in clear")
	}
	if status, _, _ := c.post(path+"/reveal", url.Values{"person_id": {pm[1]}, "purpose": {""}}); status != 400 {
		t.Errorf("a reveal without a purpose: %d", status)
	}
	c.get(path)
	resp := url.Values{"person_id": {pm[1]}, "purpose": {"核对编制实名信息"}, "_csrf": {c.csrf}}
	res, err := c.http.PostForm(s.srv.URL+path+"/reveal", resp)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `id="staff-revealed-`+pm[1]+`">431382197803120`) || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the reveal: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	entries, _, err := s.svc.AuditLog(context.Background(), s.users["demo.admin"], domain.AuditFilter{Action: "staff_person.reveal", Object: "staff_person/" + pm[1]})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Change, "核对编制实名信息") || entries[0].Login != "officer.ly-bb" {
		t.Errorf("the reveal's audit: %v %+v", err, entries)
	}
	l := s.client()
	l.login("demo.leader")
	if _, body := l.get(path); strings.Contains(body, `id="staff-reveal-`) {
		t.Error("the leading group is offered a reveal")
	}
	if status, _, _ := l.post(path+"/reveal", url.Values{"person_id": {pm[1]}, "purpose": {"核对"}}); status != 403 {
		t.Errorf("the leading group revealed: %d", status)
	}
}
