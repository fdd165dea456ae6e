package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// pAnswers answers every item of the safety patrol checklist as fine.
func pAnswers(h *hEnv, checklist int64) []map[string]any {
	h.t.Helper()
	status, c := h.hAs("demo.grid", "GET", fmt.Sprintf("/api/v1/checklists/%d", checklist), nil)
	if status != http.StatusOK {
		h.t.Fatalf("checklist: %d %v", status, c)
	}
	var out []map[string]any
	for _, it := range c["items"].([]any) {
		out = append(out, map[string]any{"item": it.(map[string]any)["code"], "ok": true})
	}
	return out
}

// TestPatrolToRectifiedHazard walks the "done means": a grid worker patrols on
// a task of their daily plan, files a hazard, the responsible org rectifies it with
// evidence, the grid verifies it on site, and the ledger and compliance show it.
func TestPatrolToRectifiedHazard(t *testing.T) {
	h := hServer(t, 0)
	now := h.clock.Now()
	status, got := h.hAs("demo.grid", "GET", "/api/v1/patrol-tasks?open=true", nil)
	if status != http.StatusOK {
		t.Fatalf("tasks: %d %v", status, got)
	}
	var task map[string]any
	for _, x := range got["tasks"].([]any) {
		x := x.(map[string]any)
		if x["status"] == "open" && strings.HasPrefix(x["due"].(string), now.AddDate(0, 0, 1).Format("2006-01-02")) {
			task = x
		}
	}
	if task == nil {
		t.Fatalf("no open task due tomorrow among %v", got["tasks"])
	}
	_, plan := h.hAs("demo.grid", "GET", fmt.Sprintf("/api/v1/patrol-plans/%d", hNum(task, "plan_id")), nil)
	answers := pAnswers(h, hNum(plan["plan"].(map[string]any), "checklist"))
	started, ended := now.Add(-50*time.Minute).Format("2006-01-02T15:04:05+08:00"), now.Add(-5*time.Minute).Format("2006-01-02T15:04:05+08:00")
	patrol := map[string]any{"task_id": hNum(task, "id"), "started_at": started, "ended_at": ended,
		"route":   []map[string]any{{"lat": 27.7001, "lon": 111.6701}, {"lat": 27.7011, "lon": 111.6711}},
		"answers": answers, "photos": []string{"data:image/jpeg;base64,/9j/4AAQ"},
		"findings": []map[string]any{{"matter": "AQ-001", "title": "3栋楼道堆放杂物堵塞消防通道", "measures": "清理杂物，恢复通道畅通"}}}
	missing := map[string]any{"task_id": hNum(task, "id"), "started_at": started, "ended_at": ended, "answers": answers[:3]}
	h.hRun(0, []hStep{
		{"answers incomplete", "demo.grid", "POST", "/api/v1/patrols", missing, 400, `{"error":{"code":"invalid"}}`},
		{"not their plan", "demo.building", "POST", "/api/v1/patrols", patrol, 404, ""},
		{"patrol with a finding", "demo.grid", "POST", "/api/v1/patrols", patrol, 201, fmt.Sprintf(`{"task_id":%d,"late":false,"region":"431382001001001"}`, hNum(task, "id"))},
	})
	status, again := h.hAs("demo.grid", "POST", "/api/v1/patrols", patrol)
	if status != http.StatusConflict {
		t.Fatalf("second patrol on a done task: %d %v", status, again)
	}
	_, list := h.hAs("demo.grid", "GET", "/api/v1/patrols?limit=5", nil)
	first := list["patrols"].([]any)[0].(map[string]any)
	ids := first["hazard_case_ids"].([]any)
	if len(ids) != 1 {
		t.Fatalf("patrol hazards %v", first)
	}
	id := int64(ids[0].(float64))
	h.hRun(id, []hStep{
		{"hazard terms", "demo.grid", "GET", "/api/v1/hazards/{id}", nil, 200, `{"level":"general","category":"fire","org":"LY-XFJY","status":"reported","measures":"清理杂物，恢复通道畅通"}`},
		{"not the dispatcher", "demo.grid", "PUT", "/api/v1/hazards/{id}", map[string]any{"level": "major"}, 403, ""},
		{"outside scope", "demo.other", "GET", "/api/v1/hazards/{id}", nil, 404, ""},
		{"dispatcher raises it", "demo.dispatcher", "PUT", "/api/v1/hazards/{id}", map[string]any{"level": "major", "deadline": now.AddDate(0, 0, 20).Format("2006-01-02")}, 200, `{"level":"major"}`},
		{"not a case of kind hazard", "demo.grid", "GET", "/api/v1/hazards/999999", nil, 404, ""},
	})
	h.hAct("demo.dispatcher", id, "accept", nil)
	h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-XFJY"})
	h.hAct("officer.LY-XFJY", id, "acknowledge", nil)
	h.hRun(id, []hStep{
		{"evidence by a stranger", "officer.LY-CGJ", "POST", "/api/v1/hazards/{id}/evidence", map[string]any{"photos": []string{"data:image/png;base64,iVBOR"}}, 404, ""},
		{"evidence not a photo", "officer.LY-XFJY", "POST", "/api/v1/hazards/{id}/evidence", map[string]any{"photos": []string{"javascript:1"}}, 400, ""},
		{"rectification evidence", "officer.LY-XFJY", "POST", "/api/v1/hazards/{id}/evidence", map[string]any{"photos": []string{"data:image/png;base64,iVBOR"}}, 200, `{"evidence":["data:image/png;base64,iVBOR"]}`},
	})
	h.hAct("officer.LY-XFJY", id, "resolve", map[string]any{"result": "杂物已清理，通道畅通"})
	_, ledger := h.hAs("demo.leader", "GET", "/api/v1/ledgers/hazards?by=category", nil)
	h.hWant("resolved not yet rectified", ledger, `{"rows":[{"key":"fire","found":1,"major":1,"rectified":0,"rectifying":1,"overdue":0}]}`)
	h.hAct("demo.grid", id, "verify", map[string]any{"note": "现场核查已整改"})
	h.hRun(id, []hStep{
		{"verified", "demo.leader", "GET", "/api/v1/hazards/{id}", nil, 200, `{"status":"verified","verified_by":"网格员 黄小红"}`},
		{"ledger by category", "demo.leader", "GET", "/api/v1/ledgers/hazards?by=category", nil, 200, `{"rows":[{"key":"fire","name":"消防安全","found":1,"rectified":1,"rate":1}],"total":{"found":1,"rectified":1}}`},
		{"ledger by community", "demo.dispatcher", "GET", "/api/v1/ledgers/hazards", nil, 200, `{"by":"region","rows":[{"key":"431382001001","found":1,"rectified":1}]}`},
		{"ledger by level", "demo.leader", "GET", "/api/v1/ledgers/hazards?by=level", nil, 200, `{"rows":[{"key":"major","found":1}]}`},
		{"ledger not for grid workers", "demo.grid", "GET", "/api/v1/ledgers/hazards", nil, 403, ""},
		{"ledger outside scope", "demo.other", "GET", "/api/v1/ledgers/hazards?region=431382001", nil, 404, ""},
		{"ledger bad by", "demo.leader", "GET", "/api/v1/ledgers/hazards?by=color", nil, 400, ""},
		{"ledger bad period", "demo.leader", "GET", "/api/v1/ledgers/hazards?from=2026-03-01&to=2026-01-01", nil, 400, ""},
		{"compliance by user", "demo.leader", "GET", "/api/v1/patrols/compliance?by=user", nil, 200, `{"rows":[{"name":"网格员 黄小红"}]}`},
	})
	status, raw, hdr := h.hRaw("GET", "/api/v1/ledgers/hazards.xlsx", h.hLogin("demo.leader"), nil)
	if status != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %d %s", status, hdr.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "隐患整治汇总表" || sheets[1] != "隐患明细台账" {
		t.Fatalf("sheets %v", sheets)
	}
	title, _ := f.GetCellValue("隐患整治汇总表", "A1")
	detail, _ := f.GetRows("隐患明细台账")
	if title != "蓝田街道安全隐患排查整治台账（汇总表）" || len(detail) != 3 || detail[2][5] != "消防安全" || detail[2][6] != "重大" || detail[2][11] != "已整改销号" {
		t.Errorf("workbook: title %q detail %v", title, detail)
	}
}

// TestPatrolPlansAndCompliance: who makes plans, tasks generated, a late patrol, a
// patrol matched to today's task, an extra patrol with no task, compliance per person.
func TestPatrolPlansAndCompliance(t *testing.T) {
	h := hServer(t, 0)
	vol := h.users["demo.volunteer"].ID
	plan := map[string]any{"name": "志愿者巡查", "kind": "grid", "user_id": vol, "region": "431382001001", "times": 1, "period": "day",
		"from": "2026-02-23", "to": "2026-03-08"}
	h.hRun(0, []hStep{
		{"grid worker may not plan", "demo.grid", "POST", "/api/v1/patrol-plans", plan, 403, ""},
		{"other street", "demo.other", "POST", "/api/v1/patrol-plans", plan, 403, ""},
		{"bad period", "demo.dispatcher", "POST", "/api/v1/patrol-plans", map[string]any{"name": "x", "kind": "grid", "user_id": vol, "region": "431382001001", "times": 1, "period": "year", "from": "2026-01-01", "to": "2026-02-01"}, 400, ""},
		{"unknown org", "demo.dispatcher", "POST", "/api/v1/patrol-plans", map[string]any{"name": "x", "kind": "department", "org": "NOPE", "region": "431382001001", "times": 1, "period": "month", "from": "2026-01-01", "to": "2026-02-01"}, 400, ""},
		{"unknown field", "demo.dispatcher", "POST", "/api/v1/patrol-plans", map[string]any{"name": "x", "colour": 1}, 400, ""},
		{"dispatcher plans", "demo.dispatcher", "POST", "/api/v1/patrol-plans", plan, 201, `{"tasks":14}`},
		{"linkages all planned", "demo.dispatcher", "POST", "/api/v1/patrol-plans/from-linkages", map[string]any{"region": "431382001", "from": "2026-01-01", "to": "2026-12-31"}, 201, `{"plans":[]}`},
	})
	_, tasks := h.hAs("demo.volunteer", "GET", "/api/v1/patrol-tasks?from=2026-02-23&to=2026-03-08", nil)
	var feb26 map[string]any
	for _, x := range tasks["tasks"].([]any) {
		if x := x.(map[string]any); strings.HasPrefix(x["start"].(string), "2026-02-26") {
			feb26 = x
		}
	}
	if feb26 == nil || feb26["status"] != "missed" {
		t.Fatalf("the task of 26 February: %v", feb26)
	}
	now := h.clock.Now()
	at := func(mins int) string {
		return now.Add(-time.Duration(mins) * time.Minute).Format("2006-01-02T15:04:05+08:00")
	}
	h.hRun(0, []hStep{
		{"late patrol on a past task", "demo.volunteer", "POST", "/api/v1/patrols", map[string]any{"task_id": hNum(feb26, "id"), "started_at": at(40), "ended_at": at(20)}, 201, `{"late":true}`},
		{"today's task by time", "demo.volunteer", "POST", "/api/v1/patrols", map[string]any{"region": "431382001001", "started_at": at(19), "ended_at": at(10)}, 201, `{"late":false,"plan_id":` + fmt.Sprint(hNumOf(h, "demo.volunteer")) + `}`},
		{"extra patrol, no task left", "demo.volunteer", "POST", "/api/v1/patrols", map[string]any{"region": "431382001001", "started_at": at(9), "ended_at": at(1)}, 201, ""},
		{"outside their region", "demo.volunteer", "POST", "/api/v1/patrols", map[string]any{"region": "431382001002", "started_at": at(9), "ended_at": at(1)}, 403, ""},
		{"in the future", "demo.volunteer", "POST", "/api/v1/patrols", map[string]any{"region": "431382001001", "started_at": now.Add(time.Hour).Format("2006-01-02T15:04:05+08:00"), "ended_at": now.Add(2 * time.Hour).Format("2006-01-02T15:04:05+08:00")}, 400, ""},
		{"compliance not for volunteers", "demo.volunteer", "GET", "/api/v1/patrols/compliance?region=431382001", nil, 404, ""},
		{"compliance bad by", "demo.leader", "GET", "/api/v1/patrols/compliance?by=weather", nil, 400, ""},
	})
	_, comp := h.hAs("demo.leader", "GET", "/api/v1/patrols/compliance?by=user&from=2026-02-23&to=2026-03-08", nil)
	h.hWant("volunteer compliance", comp, `{"rows":[{"name":"志愿者 郑晓","planned":14,"late":1,"on_time":1,"open":6,"missed":6}]}`)
	_, comp = h.hAs("demo.leader", "GET", "/api/v1/patrols/compliance?by=org", nil)
	h.hWant("departments patrol", comp, `{"rows":[{"key":"LY-YJJ"}]}`)
	if tot := comp["total"].(map[string]any); hNum(tot, "planned") < 100 || !(tot["rate"].(float64) >= 0.8) {
		t.Errorf("demo compliance total %v", tot)
	}
	_, ps := h.hAs("demo.volunteer", "GET", "/api/v1/patrols", nil)
	if n := len(ps["patrols"].([]any)); n != 3 {
		t.Errorf("volunteer sees %d patrols, want their 3", n)
	}
	_, ps = h.hAs("officer.LY-CGJ", "GET", "/api/v1/patrols?limit=500", nil)
	for _, p := range ps["patrols"].([]any) {
		if o := p.(map[string]any)["org"]; o != "LY-CGJ" {
			t.Fatalf("an officer of LY-CGJ sees a patrol of %v", o)
		}
	}
}

// hNumOf finds the id of the one plan a user carries out.
func hNumOf(h *hEnv, login string) int64 {
	h.t.Helper()
	_, got := h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/patrol-plans?user=%d", h.users[login].ID), nil)
	plans := got["plans"].([]any)
	if len(plans) != 1 {
		h.t.Fatalf("%s has %d plans", login, len(plans))
	}
	return int64(hNum(plans[0].(map[string]any), "id"))
}

// TestChecklists: templates, who edits them, 八个一 progress, who records an item.
func TestChecklists(t *testing.T) {
	h := hServer(t, 0)
	_, list := h.hAs("demo.grid", "GET", "/api/v1/checklists", nil)
	h.hWant("built-in templates", list, `{"checklists":[{"code":"8x1","kind":"community"},{"code":"patrol-safety","kind":"patrol"}]}`)
	var eight int64
	for _, c := range list["checklists"].([]any) {
		if c.(map[string]any)["code"] == "8x1" {
			eight = int64(hNum(c.(map[string]any), "id"))
		}
	}
	tpl := map[string]any{"code": "flood", "name": "防汛巡查", "kind": "patrol", "items": []map[string]any{{"code": "drain", "title": "排水沟畅通"}}}
	entry := func(region, item string) map[string]any {
		return map[string]any{"region": region, "item": item, "evidence": "开展消防疏散演练，居民80人参加"}
	}
	url := fmt.Sprintf("/api/v1/checklists/%d", eight)
	h.hRun(0, []hStep{
		{"dispatcher may not", "demo.dispatcher", "POST", "/api/v1/checklists", tpl, 403, ""},
		{"admin makes one", "demo.admin", "POST", "/api/v1/checklists", tpl, 201, `{"code":"flood"}`},
		{"same code", "demo.admin", "POST", "/api/v1/checklists", tpl, 409, ""},
		{"bad template", "demo.admin", "POST", "/api/v1/checklists", map[string]any{"code": "x", "name": "x", "kind": "patrol", "items": []any{}}, 400, ""},
		{"grid worker records", "demo.grid", "POST", url + "/entries", entry("431382001001", "drill"), 201, `{"item":"drill","year":2026}`},
		{"other community", "demo.grid", "POST", url + "/entries", entry("431382001002", "drill"), 403, ""},
		{"linked department", "officer.LY-YJJ", "POST", url + "/entries", entry("431382001001", "board"), 201, ""},
		{"unlinked department", "officer.LY-WJJ", "POST", url + "/entries", entry("431382001001", "board"), 403, ""},
		{"unknown item", "demo.grid", "POST", url + "/entries", entry("431382001001", "party"), 400, ""},
		{"no evidence", "demo.grid", "POST", url + "/entries", map[string]any{"region": "431382001001", "item": "drill"}, 400, ""},
		{"progress of the street", "demo.leader", "GET", url + "/progress", nil, 200, `{"communities":[{"region":"431382001001","total":8,"items":[{"code":"drill","done":true,"evidence":"开展消防疏散演练，居民80人参加"}]}]}`},
		{"progress outside scope", "demo.other", "GET", url + "/progress?region=431382001", nil, 404, ""},
		{"progress of a county", "demo.county", "GET", url + "/progress?region=431382", nil, 400, ""},
	})
	_, p := h.hAs("demo.leader", "GET", url+"/progress", nil)
	if n := len(p["communities"].([]any)); n != 15 || hNum(p, "done") == 0 || hNum(p, "total") != 120 {
		t.Errorf("progress: %d communities, %v of %v", n, p["done"], p["total"])
	}
}
