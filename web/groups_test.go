package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
)

// demoGroup is the demo's 退捕渔民 group.
func demoGroup(t *testing.T, s *site) *domain.Group {
	t.Helper()
	gs, err := s.app.keyGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	groups, err := gs.Groups(context.Background(), s.users["demo.admin"])
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if g.Code == demo.FishermenGroup {
			return g
		}
	}
	t.Fatal("the demo has no key group")
	return nil
}

func TestGroupPagesForAdminsAndLeaders(t *testing.T) {
	s := newSite(t, 0)
	g := demoGroup(t, s)
	admin := s.client()
	admin.login("demo.admin")
	// define a group from the form
	status, loc, body := admin.post("/groups", url.Values{"code": {"laoren"}, "name": {"独居老人"}, "kind": {"person"}, "region": {"431382001"},
		"f0_key": {"id_number"}, "f0_label": {"身份证号"}, "f0_type": {"id_number"}, "f0_required": {"1"},
		"f1_key": {"care"}, "f1_label": {"照护情况"}, "f1_type": {"choice"}, "f1_options": {"自理、半自理、失能"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/groups/") {
		t.Fatalf("create group: %d %s %.400s", status, loc, body)
	}
	status, page := admin.get(loc)
	if status != 200 || !strings.Contains(page, "独居老人") || !strings.Contains(page, "照护情况") || !strings.Contains(page, `id="register"`) {
		t.Fatalf("group page: %d %.500s", status, page)
	}
	// a bad schema is refused with the reason, nothing created
	status, _, body = admin.post("/groups", url.Values{"code": {"bad"}, "name": {"x"}, "kind": {"person"}, "region": {"431382001"},
		"f0_key": {"care"}, "f0_label": {"照护"}, "f0_type": {"choice"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "option") {
		t.Errorf("bad schema: %d %.300s", status, body)
	}
	// the leader reads statistics and the briefing, not the import form
	leader := s.client()
	leader.login("demo.leader")
	status, page = leader.get(fmt.Sprintf("/groups/%d", g.ID))
	if status != 200 || strings.Contains(page, `id="register"`) {
		t.Errorf("leader's group page: %d", status)
	}
	st, err := func() (domain.GroupStats, error) {
		gs, err := service.OpenGroups(context.Background(), s.svc)
		if err != nil {
			return domain.GroupStats{}, err
		}
		return gs.Stats(context.Background(), s.users["demo.leader"], service.StatsQuery{Group: g.ID, AsOf: "2026-01-01"})
	}()
	if err != nil {
		t.Fatal(err)
	}
	status, page = leader.get(fmt.Sprintf("/groups/%d/stats?as_of=2026-01-01", g.ID))
	if status != 200 || !strings.Contains(page, fmt.Sprintf(`id="kpi-persons">%d<`, st.Persons)) || !strings.Contains(page, st.AidTotal.Amount) || !strings.Contains(page, `id="grp-data"`) {
		t.Errorf("stats page: %d %.300s", status, page)
	}
	status, page = leader.get(fmt.Sprintf("/groups/%d/briefing?as_of=2026-01-01", g.ID))
	if status != 200 || !strings.Contains(page, fmt.Sprintf("%d户%d人", st.Households, st.Persons)) || !strings.Contains(page, st.AidTotal.Amount+"元") {
		t.Errorf("briefing: %d %.800s", status, page)
	}
	status, csv := leader.get(fmt.Sprintf("/groups/%d/export", g.ID))
	if status != 200 || !strings.Contains(csv, "户编号,姓名,与户主关系,区划,身份证号") || !strings.Contains(csv, "4313**********") {
		t.Errorf("export: %d %.200s", status, csv)
	}
	// the dispatcher raises a case from an open risk listed on the statistics page
	gs, _ := service.OpenGroups(context.Background(), s.svc)
	risks, err := gs.OpenRisks(context.Background(), s.users["demo.dispatcher"], g.ID, "", "")
	if err != nil || len(risks) == 0 {
		t.Fatalf("open risks: %v %v", risks, err)
	}
	disp := s.client()
	disp.login("demo.dispatcher")
	status, page = disp.get(fmt.Sprintf("/groups/%d/stats", g.ID))
	if status != 200 || !strings.Contains(page, fmt.Sprintf(`id="raise-%d"`, risks[0].ID)) {
		t.Fatalf("stats page lacks the risk's button: %d", status)
	}
	status, loc, _ = disp.post(fmt.Sprintf("/groups/%d/risks/%d/case", g.ID, risks[0].ID), url.Values{"subject": {fmt.Sprint(risks[0].Subject)}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("raise a case: %d %s", status, loc)
	}
	if status, page = disp.get(loc); status != 200 || !strings.Contains(page, "退捕渔民监测发现风险") {
		t.Errorf("the raised case: %d", status)
	}
	// outside: the other street's dispatcher, a citizen
	other := s.client()
	other.login("demo.other")
	if status, _ := other.get(fmt.Sprintf("/groups/%d/stats", g.ID)); status != http.StatusNotFound {
		t.Errorf("another street's statistics: %d", status)
	}
}

func TestHelperVisitPage(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.helper")
	status, home := c.get("/h")
	if status != 200 || !strings.Contains(home, `id="open-visits"`) {
		t.Fatalf("helper home: %d %.400s", status, home)
	}
	gs, err := service.OpenGroups(context.Background(), s.svc)
	if err != nil {
		t.Fatal(err)
	}
	open, err := gs.Visits(context.Background(), s.users["demo.helper"], service.VisitQuery{Mine: true, Status: domain.VisitOpen})
	if err != nil || len(open) == 0 {
		t.Fatalf("no open visits: %v", err)
	}
	v := open[0]
	status, form := c.get(fmt.Sprintf("/h/visits/%d", v.ID))
	if status != 200 || !strings.Contains(form, `id="visit-form"`) || !strings.Contains(form, "4313**********") {
		t.Fatalf("visit form: %d %.400s", status, form)
	}
	sub, _ := gs.Subject(context.Background(), s.users["demo.helper"], v.Subject, "", nil, "")
	member := sub.Members[0]
	field := fmt.Sprintf("v_%d_employment", member.ID)
	want := "公益岗位"
	if member.Values["employment"] == want {
		want = "企业务工"
	}
	status, loc, body := c.post(fmt.Sprintf("/h/visits/%d", v.ID), url.Values{"day": {"2026-03-01"}, field: {want}, "risk": {"housing"}, "note": {"房屋漏雨"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/h?saved=") {
		i := strings.Index(body, "flash error")
		t.Fatalf("record: %d %s %.400s", status, loc, body[max(i, 0):])
	}
	after, _ := gs.Subject(context.Background(), s.users["demo.helper"], v.Subject, "", nil, "")
	if after.Members[0].Values["employment"] != want || len(after.Flags) == 0 {
		t.Errorf("after the visit: %v flags %v", after.Members[0].Values, after.Flags)
	}
	// a second record of the same task is refused
	status, _, _ = c.post(fmt.Sprintf("/h/visits/%d", v.ID), url.Values{"day": {"2026-03-01"}})
	if status != http.StatusOK && status != http.StatusBadRequest {
		t.Errorf("second record: %d", status)
	}
	// another village's helper does not see the task
	o := s.client()
	o.login("helper.rs1")
	if status, _ := o.get(fmt.Sprintf("/h/visits/%d", v.ID)); status != http.StatusNotFound {
		t.Errorf("another helper opens the visit: %d", status)
	}
}
