package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/service"
	"whistle/whistletest"
)

// hLiaisonSetup builds, through the API, an org, a matter, a liaison cadre and an
// officer of the org, and an enterprise the cadre is linked to, none of them the
// demo's; it answers the enterprise's id.
func hLiaisonSetup(h *hEnv) int64 {
	h.t.Helper()
	user := func(login string, grant map[string]any) map[string]any {
		return map[string]any{"login": login, "name": login, "password": demo.Password, "grants": []map[string]any{grant}}
	}
	h.hRun(0, []hStep{
		{"org", "demo.admin", "PUT", "/api/v1/orgs/ZZ-SVC", map[string]any{"name": "企业服务中心", "kind": "department"}, 200, ""},
		{"matter", "demo.admin", "PUT", "/api/v1/matters/ZZ-901", map[string]any{"name": "企业诉求", "class": "企业服务", "category": "event",
			"lead_org": "ZZ-SVC", "ack_deadline": map[string]any{"n": 1, "unit": "day"}, "resolve_deadline": map[string]any{"n": 5, "unit": "day"}, "priority": 3}, 200, ""},
		{"cadre", "demo.admin", "POST", "/api/v1/users", user("zz.cadre", map[string]any{"role": "liaison", "region": "431382001"}), 201, ""},
		{"officer", "demo.admin", "POST", "/api/v1/users", user("zz.officer", map[string]any{"role": "officer", "org": "ZZ-SVC"}), 201, ""},
		{"enterprise", "demo.admin", "POST", "/api/v1/enterprises/import",
			"uscc,name,region,industry,liaison\n" + eUSCC("MA4QX0001") + ",涟源市试测公司,431382001003,manufacturing,zz.cadre\n", 200, `{"created":1,"linked":1}`},
	})
	_, mine := h.hAs("zz.cadre", "GET", "/api/v1/enterprises?linked=me", nil)
	list := mine["enterprises"].([]any)
	if len(list) != 1 {
		h.t.Fatalf("zz.cadre has %d enterprises", len(list))
	}
	return hNum(list[0].(map[string]any), "id")
}

// TestLiaisonProblemMatter: a problem without a matter goes under the matter the
// installation chose; without one the visit is refused with what to set, and only an
// administrator may choose a matter of the catalogue.
func TestLiaisonProblemMatter(t *testing.T) {
	h := hServer(t, 0)
	eid := hLiaisonSetup(h)
	if err := whistletest.StoreOf(h.svc).PutSetting(context.Background(), service.ProblemMatterSetting, ""); err != nil {
		t.Fatal(err) // an installation that has chosen none, as one without the demo
	}
	visit := map[string]any{"problems": []map[string]any{{"title": "厂区道路路灯损坏"}}}
	status, got := h.hAs("zz.cadre", "POST", fmt.Sprintf("/api/v1/enterprises/%d/visits", eid), visit)
	if msg := fmt.Sprint(got); status != http.StatusBadRequest || !strings.Contains(msg, "problem_matter") || !strings.Contains(msg, "/api/v1/settings/liaison") {
		t.Fatalf("a problem without a matter and no default: %d %v", status, got)
	}
	h.hRun(eid, []hStep{
		{"unset", "demo.admin", "GET", "/api/v1/settings/liaison", nil, 200, `{"problem_matter":""}`},
		{"unknown matter", "demo.admin", "PUT", "/api/v1/settings/liaison", map[string]any{"problem_matter": "NOPE"}, 400, ""},
		{"empty", "demo.admin", "PUT", "/api/v1/settings/liaison", map[string]any{"problem_matter": ""}, 400, ""},
		{"not an administrator", "demo.dispatcher", "PUT", "/api/v1/settings/liaison", map[string]any{"problem_matter": "ZZ-901"}, 403, ""},
		{"choose", "demo.admin", "PUT", "/api/v1/settings/liaison", map[string]any{"problem_matter": "ZZ-901"}, 200, `{"problem_matter":"ZZ-901"}`},
		{"read back", "demo.admin", "GET", "/api/v1/settings/liaison", nil, 200, `{"problem_matter":"ZZ-901"}`},
	})
	got = h.hRun(eid, []hStep{{"visit", "zz.cadre", "POST", "/api/v1/enterprises/{id}/visits", visit, 201, ""}})
	ids := got["problem_case_ids"].([]any)
	if len(ids) != 1 {
		t.Fatalf("problems %v", got)
	}
	h.hWant("problem case", h.hCase("demo.dispatcher", int64(ids[0].(float64))), `{"kind":"enterprise_problem","channel":"liaison","matter":"ZZ-901"}`)
}

// TestLiaisonRates: of four problems collected, one resolved, one verified, one
// closed and one open, three count as resolved and one as closed: resolved_rate 0.75,
// closed_rate 0.25, on the cadre's line and the total.
func TestLiaisonRates(t *testing.T) {
	h := hServer(t, 0)
	eid := hLiaisonSetup(h)
	h.hRun(0, []hStep{{"choose", "demo.admin", "PUT", "/api/v1/settings/liaison", map[string]any{"problem_matter": "ZZ-901"}, 200, ""}})
	var problems []map[string]any
	for _, title := range []string{"缺技工", "路灯损坏", "用电报装慢", "排水不畅"} {
		problems = append(problems, map[string]any{"title": title})
	}
	got := h.hRun(eid, []hStep{{"visit", "zz.cadre", "POST", "/api/v1/enterprises/{id}/visits", map[string]any{"problems": problems}, 201, ""}})
	ids := got["problem_case_ids"].([]any)
	if len(ids) != 4 {
		t.Fatalf("problems %v", got)
	}
	for i, raw := range ids[:3] {
		id := int64(raw.(float64))
		h.hAct("demo.dispatcher", id, "accept", nil)
		h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "ZZ-SVC"})
		h.hAct("zz.officer", id, "acknowledge", nil)
		h.hAct("zz.officer", id, "resolve", map[string]any{"result": "已办理"})
		switch i {
		case 1:
			h.hAct("zz.cadre", id, "verify", map[string]any{"note": "企业确认"})
		case 2:
			h.hAct("demo.dispatcher", id, "close", nil)
		}
	}
	for _, who := range []string{"zz.cadre", "demo.leader"} {
		_, rep := h.hAs(who, "GET", "/api/v1/reports/liaison", nil)
		var row map[string]any
		for _, r := range rep["rows"].([]any) {
			if r := r.(map[string]any); hStr(r, "name") == "zz.cadre" {
				row = r
			}
		}
		want := `{"visits":1,"problems_collected":4,"problems_resolved":3,"problems_closed":1,"resolved_rate":0.75,"closed_rate":0.25}`
		h.hWant(who+": the cadre's line", row, want)
		if who == "zz.cadre" {
			h.hWant("the cadre's total", rep["total"].(map[string]any), want)
		}
		if _, ok := row["closure_rate"]; ok {
			t.Errorf("closure_rate still answered: %v", row)
		}
	}
}
