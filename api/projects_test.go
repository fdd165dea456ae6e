package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
)

// A project through the API: amounts round-trip exactly as decimal strings, the agent
// files an item, the department accepts it with 容缺 and approves it, the agent
// advances the stage; the leader's figures and the XLSX export follow.
func TestProjectsThroughTheAPI(t *testing.T) {
	h := hServer(t, 0)
	body := map[string]any{"name": "渌口测试项目", "investor": demo.InvestorUSCC(7), "industry": "manufacturing", "kind": "industry",
		"total": "12345.67", "year_plan": "2000.1", "land": "88.88", "region": "430212100", "tier": "gold",
		"leader_id": h.users["lk.chief1"].ID, "agent_id": h.users["lk.agent2"].ID, "park": "渌口经济开发区"}
	s, p := h.hAs("lk.admin", "POST", "/api/v1/projects", body)
	if s != http.StatusCreated || p["total"] != "12345.67" || p["year_plan"] != "2000.10" || p["land"] != "88.88" {
		t.Fatalf("create: %d %v", s, p)
	}
	id := hNum(p, "id")
	path := "/api/v1/projects/" + strconv.FormatInt(id, 10)
	if s, got := h.hAs("lk.admin", "POST", "/api/v1/projects", map[string]any{"name": "x", "investor": demo.InvestorUSCC(7), "industry": "manufacturing",
		"kind": "industry", "region": "430212100", "total": 1.005}); s != http.StatusBadRequest {
		t.Errorf("three decimals: %d %v", s, got)
	}
	s, it := h.hAs("lk.agent2", "POST", path+"/items", map[string]any{"code": "ZS-01"})
	if s != http.StatusCreated || it["limit_days"] != float64(3) {
		t.Fatalf("apply: %d %v", s, it)
	}
	act := "/api/v1/projects/items/" + strconv.FormatInt(hNum(it, "id"), 10) + "/actions"
	if s, got := h.hAs("lk.agent2", "POST", act, map[string]any{"action": "accept"}); s != http.StatusForbidden {
		t.Errorf("the agent accepts: %d %v", s, got)
	}
	if s, got := h.hAs("officer.LK-ZSJ", "POST", act, map[string]any{"action": "accept_with_gaps", "gaps": []string{"法人授权委托书"}, "gaps_due": "2026-03-10"}); s != http.StatusOK || got["state"] != "accepted" {
		t.Fatalf("accept with gaps: %d %v", s, got)
	}
	if s, got := h.hAs("officer.LK-ZSJ", "POST", act, map[string]any{"action": "approve", "permit": "渌招备〔2026〕9号"}); s != http.StatusOK || got["state"] != "approved" {
		t.Fatalf("approve: %d %v", s, got)
	}
	if s, got := h.hAs("lk.agent2", "POST", path+"/advance", map[string]any{"stage": "signed", "facts": map[string]string{"合同编号": "渌招合〔2026〕99号"}}); s != http.StatusOK || got["stage"] != "signed" {
		t.Fatalf("advance: %d %v", s, got)
	}
	if s, _ := h.hAs("lk.investor", "GET", path, nil); s != http.StatusNotFound {
		t.Errorf("another investor reads the project: %d", s)
	}
	s, page := h.hAs("lk.agent2", "GET", path, nil)
	if s != http.StatusOK || len(page["items"].([]any)) != 1 || len(page["missing"].([]any)) == 0 {
		t.Fatalf("page: %d %v", s, page)
	}
	s, f := h.hAs("lk.leader", "GET", "/api/v1/projects/figures?region=430212", nil)
	if s != http.StatusOK || f["signed"].(float64) < 1 {
		t.Fatalf("figures: %d %v", s, f)
	}
	status, raw, hdr := h.hRaw("GET", "/api/v1/projects?region=430212&park="+"渌口经济开发区"+"&format=xlsx", h.hLogin("lk.leader"), nil)
	if status != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") || len(raw) < 1000 {
		t.Errorf("export: %d %s %d bytes", status, hdr.Get("Content-Type"), len(raw))
	}
}
