package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// eUSCC makes a valid unified social credit code from 9 characters of the alphabet.
func eUSCC(body string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	w := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	code := "91431382" + body
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(chars, code[i]) * w[i]
	}
	return code + string(chars[(31-sum%31)%31])
}

// TestEnterpriseRegistry: scope of the registry, validation, CSV and XLSX import.
func TestEnterpriseRegistry(t *testing.T) {
	h := hServer(t, 0)
	count := func(who, q string) int {
		status, got := h.hAs(who, "GET", "/api/v1/enterprises"+q, nil)
		if status != http.StatusOK {
			t.Fatalf("list as %s: %d %v", who, status, got)
		}
		return len(got["enterprises"].([]any))
	}
	// the inspector of 涟源市's bureau sees the county's registry, not 渌口区's forty investors
	for who, want := range map[string]int{"demo.admin": 30, "demo.leader": 30, "demo.inspector": 30, "demo.liaison": 4, "demo.enterprise": 1, "demo.other": 0} {
		if n := count(who, ""); n != want {
			t.Errorf("%s sees %d enterprises, want %d", who, n, want)
		}
	}
	if n := count("demo.admin", "?industry=catering"); n != 3 {
		t.Errorf("%d catering enterprises", n)
	}
	code := eUSCC("MA4TE7T01")
	ent := map[string]any{"uscc": code, "name": "涟源市测试机械有限公司", "region": "431382001002", "industry": "manufacturing", "contact": "王五", "phone": "13912345678"}
	bad := map[string]any{"uscc": code[:17] + "0", "name": "x", "region": "431382001002", "industry": "manufacturing"}
	if code[17] == '0' {
		bad["uscc"] = code[:17] + "1"
	}
	created := h.hRun(0, []hStep{
		{"citizens do not see it", "demo.citizen", "GET", "/api/v1/enterprises", nil, 403, ""},
		{"bad check character", "demo.admin", "POST", "/api/v1/enterprises", bad, 400, ""},
		{"other street's dispatcher", "demo.other", "POST", "/api/v1/enterprises", ent, 403, ""},
		{"leader may not register", "demo.leader", "POST", "/api/v1/enterprises", ent, 403, ""},
		{"dispatcher registers", "demo.dispatcher", "POST", "/api/v1/enterprises", ent, 201, `{"uscc":"` + code + `","code_version":1,"size":"small"}`},
	})
	h.hRun(0, []hStep{{"twice", "demo.dispatcher", "POST", "/api/v1/enterprises", ent, 409, ""}})
	id := hNum(created, "id")
	h.hRun(id, []hStep{
		{"inspector sees the contact masked", "demo.inspector", "GET", "/api/v1/enterprises/{id}", nil, 200, `{"phone":"139****5678","contact":"王*"}`},
		{"outside scope", "demo.other", "GET", "/api/v1/enterprises/{id}", nil, 404, ""},
		{"unlinked cadre", "demo.liaison", "GET", "/api/v1/enterprises/{id}", nil, 404, ""},
		{"unknown", "demo.admin", "GET", "/api/v1/enterprises/99999", nil, 404, ""},
	})
	csv := "统一社会信用代码,企业名称,区划代码,行业,规模,联企干部\n" +
		eUSCC("MA4C5W001") + ",涟源市甲公司,431382001003,制造业,小型,demo.liaison\n" +
		"91431382MA4CSV0020,涟源市乙公司,431382001003,制造业,小型,\n" +
		eUSCC("MA4C5W003") + ",涟源市丙公司,431382001003,mining,small,demo.grid\n"
	status, raw, _ := h.hRaw("POST", "/api/v1/enterprises/import", h.hLogin("demo.admin"), csv)
	if status != http.StatusBadRequest || !bytes.Contains(raw, []byte(`row 3: `)) || !bytes.Contains(raw, []byte(`row 4: `)) || bytes.Contains(raw, []byte(`row 2: `)) {
		t.Fatalf("bad import: %d %s", status, raw)
	}
	if n := count("demo.admin", ""); n != 31 {
		t.Fatalf("a bad import wrote: %d enterprises", n)
	}
	good := "uscc,name,region,industry,liaison\n" + eUSCC("MA4C5W001") + ",涟源市甲公司,431382001003,manufacturing,demo.liaison\n" +
		eUSCC("MA4C5W002") + ",涟源市乙公司,431382001003,catering,\n"
	h.hRun(0, []hStep{
		{"import", "demo.admin", "POST", "/api/v1/enterprises/import", good, 200, `{"created":2,"updated":0,"linked":1}`},
		{"again", "demo.admin", "POST", "/api/v1/enterprises/import", good, 200, `{"created":0,"updated":2,"linked":0}`},
		{"other street may not import", "demo.other", "POST", "/api/v1/enterprises/import", good, 403, ""},
	})
	if n := count("demo.liaison", ""); n != 5 {
		t.Errorf("the imported linkage: cadre sees %d", n)
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"uscc", "name", "region", "industry"})
	f.SetSheetRow("Sheet1", "A2", &[]any{eUSCC("MA4XL5001"), "涟源市丁公司", "431382001004", "retail"})
	var buf bytes.Buffer
	f.Write(&buf)
	status, raw, _ = h.hRaw("POST", "/api/v1/enterprises/import", h.hLogin("demo.admin"), buf.Bytes())
	if status != http.StatusOK || !bytes.Contains(raw, []byte(`"created":1`)) {
		t.Fatalf("xlsx import: %d %s", status, raw)
	}
}

// TestScanIn walks 扫码入企: code issued, planned scan-in, an unplanned second one the
// same week flagged and approved, forged and revoked codes refused, findings become
// cases, only the enterprise inspected rates, once, and the statistics show it.
func TestScanIn(t *testing.T) {
	h := hServer(t, 0)
	code := eUSCC("MA4QCAN01")
	created := h.hRun(0, []hStep{{"register", "demo.admin", "POST", "/api/v1/enterprises", map[string]any{"uscc": code, "name": "涟源市扫码测试有限公司",
		"region": "431382001002", "industry": "services", "account_id": h.users["demo.enterprise"].ID}, 201, ""}})
	id := hNum(created, "id")
	plan := map[string]any{"org": "LY-SJJ", "year": 2026, "kind": "食品安全检查", "region": "431382001", "enterprise_id": id, "times": 2}
	h.hRun(id, []hStep{
		{"inspectors do not print codes", "demo.inspector", "GET", "/api/v1/enterprises/{id}/code", nil, 403, ""},
		{"other org's officer may not plan", "officer.LY-CGJ", "POST", "/api/v1/inspection-plans", plan, 403, ""},
		{"plan entry", "officer.LY-SJJ", "POST", "/api/v1/inspection-plans", plan, 201, `{"times":2}`},
		{"bad plan", "officer.LY-SJJ", "POST", "/api/v1/inspection-plans", map[string]any{"org": "LY-SJJ", "year": 2026, "kind": "x", "region": "431382001", "times": 0}, 400, ""},
	})
	_, c := h.hAs("demo.enterprise", "GET", fmt.Sprintf("/api/v1/enterprises/%d/code", id), nil)
	token := c["token"].(string)
	if !strings.Contains(c["url"].(string), "/inspect/scan?code="+token) {
		t.Errorf("code url %v", c["url"])
	}
	status, png, hdr := h.hRaw("GET", fmt.Sprintf("/api/v1/enterprises/%d/code.png", id), h.hLogin("demo.admin"), nil)
	if status != 200 || hdr.Get("Content-Type") != "image/png" || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("png: %d %s", status, hdr.Get("Content-Type"))
	}
	status, svg, _ := h.hRaw("GET", fmt.Sprintf("/api/v1/enterprises/%d/code.svg", id), h.hLogin("demo.admin"), nil)
	if status != 200 || !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Errorf("svg: %d %.80s", status, svg)
	}
	status, poster, _ := h.hRaw("GET", fmt.Sprintf("/api/v1/enterprises/%d/poster", id), h.hLogin("demo.enterprise"), nil)
	if status != 200 || !bytes.Contains(poster, []byte("涟源市扫码测试有限公司")) || !bytes.Contains(poster, []byte("<svg")) {
		t.Errorf("poster: %d", status)
	}
	two := []map[string]any{{"name": "许强", "certificate": "43138000101"}, {"name": "周建平", "certificate": "43138000102"}}
	scan := func(tok, kind string, ins []map[string]any) map[string]any {
		return map[string]any{"token": tok, "kind": kind, "legal_basis": "《中华人民共和国食品安全法》第一百一十条", "items": []string{"食品经营许可", "进货查验记录"},
			"inspectors": ins, "lat": 27.7, "lon": 111.66}
	}
	first := h.hRun(0, []hStep{
		{"not an inspector", "demo.officer", "POST", "/api/v1/inspections/scan", scan(token, "食品安全检查", two), 403, ""},
		{"forged token", "demo.inspector", "POST", "/api/v1/inspections/scan", scan(strings.Replace(token, fmt.Sprintf("e%dv", id), fmt.Sprintf("e%dv", id+1), 1), "食品安全检查", two), 400, ""},
		{"no legal basis", "demo.inspector", "POST", "/api/v1/inspections/scan", map[string]any{"token": token, "kind": "食品安全检查", "items": []string{"x"}, "inspectors": two}, 400, ""},
		{"planned scan-in", "demo.inspector", "POST", "/api/v1/inspections/scan", scan(token, "食品安全检查", two), 201, fmt.Sprintf(`{"status":"open","flags":[],"org":"LY-SJJ","enterprise_id":%d}`, id)},
	})
	firstID := hNum(first, "id")
	h.clock.Add(48 * 3600e9)
	second := h.hRun(0, []hStep{
		{"same kind two days later", "demo.inspector", "POST", "/api/v1/inspections/scan", scan(token, "食品安全检查", two), 201, `{"status":"pending","flags":["too_soon"]}`},
	})
	third := h.hRun(0, []hStep{
		{"unplanned, one inspector", "demo.inspector", "POST", "/api/v1/inspections/scan", scan(token, "价格检查", two[:1]), 201, `{"status":"pending","flags":["unplanned","inspectors"]}`},
	})
	sid, tid := hNum(second, "id"), hNum(third, "id")
	h.hRun(sid, []hStep{
		{"finish while pending", "demo.inspector", "POST", "/api/v1/inspections/{id}/finish", map[string]any{"result": "x"}, 409, ""},
		{"inspector may not approve", "demo.inspector", "POST", "/api/v1/inspections/{id}/approve", map[string]any{"note": "ok"}, 403, ""},
		{"other street's leader", "demo.other", "POST", "/api/v1/inspections/{id}/approve", map[string]any{"note": "ok"}, 404, ""},
		{"approval needs a note", "demo.leader", "POST", "/api/v1/inspections/{id}/approve", map[string]any{"note": " "}, 400, ""},
		{"leader approves", "demo.leader", "POST", "/api/v1/inspections/{id}/approve", map[string]any{"note": "有举报线索，同意"}, 200, `{"status":"open"}`},
		{"approve twice", "demo.leader", "POST", "/api/v1/inspections/{id}/approve", map[string]any{"note": "again"}, 409, ""},
	})
	h.hRun(tid, []hStep{{"leader refuses", "demo.leader", "POST", "/api/v1/inspections/{id}/refuse", map[string]any{"note": "无事不扰"}, 200, `{"status":"refused"}`}})
	finished := h.hRun(firstID, []hStep{
		{"other org's inspector", "officer.LY-CGJ", "POST", "/api/v1/inspections/{id}/finish", map[string]any{"result": "x"}, 404, ""},
		{"rate before finish", "demo.enterprise", "POST", "/api/v1/inspections/{id}/rate", map[string]any{"rating": 5}, 409, ""},
		{"finish with a finding", "demo.inspector", "POST", "/api/v1/inspections/{id}/finish", map[string]any{"result": "发现过期食品，责令整改",
			"findings": []map[string]any{{"matter": "AQ-013", "title": "仓库消防器材过期"}}}, 200, `{"status":"finished"}`},
	})
	caseID := int64(finished["case_ids"].([]any)[0].(float64))
	h.hWant("finding case", h.hCase("demo.inspector", caseID), `{"channel":"inspection","kind":"hazard","region":"431382001002"}`)
	h.hRun(firstID, []hStep{
		{"citizen cannot see it", "demo.citizen", "POST", "/api/v1/inspections/{id}/rate", map[string]any{"rating": 1}, 404, ""},
		{"inspector may not rate", "demo.inspector", "POST", "/api/v1/inspections/{id}/rate", map[string]any{"rating": 5}, 403, ""},
		{"rating out of range", "demo.enterprise", "POST", "/api/v1/inspections/{id}/rate", map[string]any{"rating": 6}, 400, ""},
		{"the enterprise rates", "demo.enterprise", "POST", "/api/v1/inspections/{id}/rate", map[string]any{"rating": 4, "comment": "亮证执法，规范"}, 200, `{"rating":4,"rating_comment":"亮证执法，规范"}`},
		{"rates once", "demo.enterprise", "POST", "/api/v1/inspections/{id}/rate", map[string]any{"rating": 5}, 409, ""},
		{"enterprise sees it", "demo.enterprise", "GET", "/api/v1/inspections/{id}", nil, 200, ""},
	})
	_, mine := h.hAs("demo.enterprise", "GET", fmt.Sprintf("/api/v1/inspections?enterprise=%d", id), nil)
	if n := len(mine["inspections"].([]any)); n != 3 {
		t.Errorf("enterprise sees %d of its inspections, want 3", n)
	}
	_, flagged := h.hAs("demo.leader", "GET", "/api/v1/inspections?flagged=true&limit=500", nil)
	for _, in := range flagged["inspections"].([]any) {
		if len(in.(map[string]any)["flags"].([]any)) == 0 {
			t.Fatalf("unflagged in the flagged list: %v", in)
		}
	}
	_, stats := h.hAs("demo.leader", "GET", "/api/v1/inspections/stats?by=enterprise", nil)
	h.hWant("stats", stats, fmt.Sprintf(`{"rows":[{"key":"%d","inspections":3,"flagged":2,"refused":1,"rated":1,"average_rating":4}]}`, id))
	if tot := stats["total"].(map[string]any); hNum(tot, "last_year") <= hNum(tot, "inspections") {
		t.Errorf("demo inspections do not drop year on year: %v", tot)
	}
	h.hRun(id, []hStep{
		{"other dispatcher may not revoke", "demo.other", "POST", "/api/v1/enterprises/{id}/code/revoke", nil, 404, ""},
		{"enterprise may not revoke", "demo.enterprise", "POST", "/api/v1/enterprises/{id}/code/revoke", nil, 403, ""},
		{"revoke", "demo.admin", "POST", "/api/v1/enterprises/{id}/code/revoke", nil, 200, `{"code_version":2}`},
		{"old code refused", "demo.inspector", "POST", "/api/v1/inspections/scan", scan(token, "食品安全检查", two), 400, ""},
	})
	_, c = h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/enterprises/%d/code", id), nil)
	h.hRun(0, []hStep{{"new code works", "demo.inspector", "POST", "/api/v1/inspections/scan", scan(c["token"].(string), "消防安全检查", two), 201, ""}})
}

// TestLiaison: cadres see their enterprises, record visits whose problems become
// enterprise_problem cases, and the report counts them per cadre.
func TestLiaison(t *testing.T) {
	h := hServer(t, 0)
	_, mine := h.hAs("demo.liaison", "GET", "/api/v1/enterprises?linked=me", nil)
	list := mine["enterprises"].([]any)
	if len(list) != 4 {
		t.Fatalf("demo.liaison has %d enterprises", len(list))
	}
	eid := hNum(list[0].(map[string]any), "id")
	_, all := h.hAs("demo.admin", "GET", "/api/v1/enterprises?q=光明山建材", nil)
	other := hNum(all["enterprises"].([]any)[0].(map[string]any), "id")
	_, before := h.hAs("demo.liaison", "GET", "/api/v1/reports/liaison", nil)
	visit := map[string]any{"note": "走访了解用工情况", "problems": []map[string]any{{"title": "企业缺技工20人", "matter": "QY-005"}, {"title": "厂区道路路灯损坏"}}}
	got := h.hRun(eid, []hStep{
		{"not their enterprise", "demo.liaison", "POST", fmt.Sprintf("/api/v1/enterprises/%d/visits", other), visit, 404, ""},
		{"not a cadre", "demo.admin", "POST", "/api/v1/enterprises/{id}/visits", visit, 403, ""},
		{"bad matter", "demo.liaison", "POST", "/api/v1/enterprises/{id}/visits", map[string]any{"problems": []map[string]any{{"title": "x", "matter": "NOPE"}}}, 400, ""},
		{"visit with problems", "demo.liaison", "POST", "/api/v1/enterprises/{id}/visits", visit, 201, `{"note":"走访了解用工情况"}`},
	})
	ids := got["problem_case_ids"].([]any)
	if len(ids) != 2 {
		t.Fatalf("problems %v", got)
	}
	pid := int64(ids[0].(float64))
	h.hWant("problem case", h.hCase("demo.dispatcher", pid), `{"kind":"enterprise_problem","channel":"liaison","matter":"QY-005"}`)
	h.hAct("demo.dispatcher", pid, "accept", nil)
	h.hAct("demo.dispatcher", pid, "dispatch", map[string]any{"org": "LY-RSJ"})
	h.hAct("officer.LY-RSJ", pid, "acknowledge", nil)
	h.hAct("officer.LY-RSJ", pid, "resolve", map[string]any{"result": "已对接人社局招聘会"})
	_, after := h.hAs("demo.liaison", "GET", "/api/v1/reports/liaison", nil)
	b, a := before["total"].(map[string]any), after["total"].(map[string]any)
	if hNum(a, "problems_collected") != hNum(b, "problems_collected")+2 || hNum(a, "problems_resolved") != hNum(b, "problems_resolved")+1 || hNum(a, "visits") != hNum(b, "visits")+1 {
		t.Errorf("report before %v after %v", b, a)
	}
	if rows := after["rows"].([]any); len(rows) != 1 || hNum(rows[0].(map[string]any), "user_id") != h.users["demo.liaison"].ID {
		t.Errorf("a cadre sees other cadres: %v", rows)
	}
	_, full := h.hAs("demo.leader", "GET", "/api/v1/reports/liaison", nil)
	h.hWant("overall", full, `{"cadres":9,"enterprises":30}`)
	h.hRun(eid, []hStep{
		{"visits listed", "demo.liaison", "GET", "/api/v1/enterprises/{id}/visits", nil, 200, `{"visits":[{"note":"走访了解用工情况"}]}`},
		{"report not for citizens", "demo.citizen", "GET", "/api/v1/reports/liaison", nil, 403, ""},
		{"report outside scope", "demo.other", "GET", "/api/v1/reports/liaison?region=431382001", nil, 404, ""},
	})
}
