package api_test

import (
	"net/http"
	"testing"
)

// TestLeaderActionsOverHTTP: the street's leader supervises a dispatched case (督办)
// and instructs on it (批示); the case shows the supervision, the lead org's officer is
// told of both, the statistics count it by org and by community; the fields are checked,
// other roles are refused, and a leader who sees the case only as its reporter but
// leads another street is told it lies out of their scope.
func TestLeaderActionsOverHTTP(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	status, filed := h.hAs("demo.grid", "POST", "/api/v1/cases", map[string]any{"matter": "SR-001", "title": "民光社区垃圾堆积",
		"region": hGrid, "channel": "grid_patrol", "kind": "request"})
	if status != http.StatusCreated {
		t.Fatalf("file: %d %v", status, filed)
	}
	id := hNum(filed, "id")
	h.hRun(id, []hStep{
		{"accept", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":1}`, 200, ""},
		{"dispatch", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":2,"org":"LY-CGJ"}`, 200, ""},
		{"the leader may", "demo.leader", "GET", "/api/v1/cases/{id}", nil, 200, `{"actions":["comment","supervise","instruct"]}`},
		{"no text", "demo.leader", "POST", "/api/v1/cases/{id}/supervise", `{"version":3,"working_days":2}`, 400, `{"error":{"code":"invalid"}}`},
		{"no deadline", "demo.leader", "POST", "/api/v1/cases/{id}/supervise", `{"version":3,"note":"请办结"}`, 400, `{"error":{"code":"invalid"}}`},
		{"the dispatcher may not", "demo.dispatcher", "POST", "/api/v1/cases/{id}/supervise", `{"version":3,"note":"请办结","working_days":2}`, 403, `{"error":{"code":"forbidden"}}`},
		{"nor the administrator", "demo.admin", "POST", "/api/v1/cases/{id}/instruct", `{"version":3,"note":"请办结"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"another street does not see it", "demo.other", "POST", "/api/v1/cases/{id}/instruct", `{"version":3,"note":"请办结"}`, 404, ""},
		{"supervise", "demo.leader", "POST", "/api/v1/cases/{id}/supervise", `{"version":3,"note":"请两个工作日内办结","working_days":2}`, 200,
			`{"version":4,"supervision":{"by":"街道党工委书记 李建国","text":"请两个工作日内办结","overdue":false}}`},
		{"instruct", "demo.leader", "POST", "/api/v1/cases/{id}/instruct", `{"version":4,"note":"请城管局牵头处理"}`, 200, `{"version":5}`},
		{"the officer sees it", "demo.officer", "GET", "/api/v1/cases/{id}", nil, 200, `{"supervision":{"text":"请两个工作日内办结"}}`},
		{"the statistics", "demo.leader", "GET", "/api/v1/stats/supervision", nil, 200,
			`{"region":"431382001","all":{"supervised":1,"met":0,"overdue":0,"running":1},"by_org":[{"group":"LY-CGJ","name":"涟源市城市管理和综合执法局","supervised":1}],"by_region":[{"group":"431382001001","supervised":1}]}`},
		{"an officer reads none", "demo.officer", "GET", "/api/v1/stats/supervision", nil, 403, ""},
	})
	_, notes := h.hAs("demo.officer", "GET", "/api/v1/notifications?unread=true", nil)
	var told int
	for _, n := range notes["notifications"].([]any) {
		if k := hStr(n.(map[string]any), "kind"); k == "supervise" || k == "instruct" {
			told++
		}
	}
	if told != 2 {
		t.Errorf("the officer was told %d leader actions, want 2: %v", told, notes)
	}

	// a leader of another street who reported a case sees it, and is out of scope
	h.hRun(0, []hStep{{"a citizen who leads elsewhere", "demo.admin", "POST", "/api/v1/users", `{"login":"mixed.leader","name":"外街道领导",
		"password":"secret-pass-1","grants":[{"role":"citizen"},{"role":"leader","region":"431382002"}]}`, 201, ""}})
	h.tokens["mixed.leader"] = h.hLoginWith("mixed.leader", "secret-pass-1")
	status, own := h.hAs("mixed.leader", "POST", "/api/v1/cases", map[string]any{"matter": "SR-001", "title": "路灯不亮", "region": hGrid})
	if status != http.StatusCreated {
		t.Fatalf("file: %d %v", status, own)
	}
	h.hRun(hNum(own, "id"), []hStep{
		{"out of scope", "mixed.leader", "POST", "/api/v1/cases/{id}/supervise", `{"version":1,"note":"请办结","working_days":1}`, 403, `{"error":{"code":"out_of_scope"}}`},
	})
}
