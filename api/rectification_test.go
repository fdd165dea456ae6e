package api_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"whistle/api"
	"whistle/domain"
	"whistle/whistletest"
)

// The matrix's rectification things: a list of 蓝田街道 made by the demo administrator
// with an item of LY-CGJ (the in-scope officer's org), made anew for each call that may
// change it.

// rectItem makes a list and an item; with evidence, the in-scope officer adds a photo;
// applied, it applies for 销号 too. It gives the list's and the item's ids.
func (e *mxEnv) rectItem(evidence, applied bool) (string, string) {
	l := e.must(e.admin, "POST", "/api/v1/rectification/lists", map[string]any{"title": "矩阵整改清单", "source": "inspection", "region": "431382001"}, http.StatusCreated)
	listID := id(l, "id")
	it := e.must(e.admin, "POST", "/api/v1/rectification/lists/"+listID+"/items", map[string]any{"problem": "路灯不亮", "measures": "更换灯具",
		"org": "LY-CGJ", "deadline": "2026-12-31", "milestones": []map[string]string{{"name": "方案", "due": "2026-11-30"}}}, http.StatusCreated)
	itemID := id(it, "id")
	officer := e.token(in(domain.RoleOfficer))
	if evidence || applied {
		ct, body := mxPhotoForm()
		if status, got := e.do(mxCall{method: "POST", path: "/api/v1/rectification/items/" + itemID + "/evidence", token: officer, contentType: ct, body: body}); status != http.StatusCreated {
			e.t.Fatalf("setting up: evidence: %d %s", status, got)
		}
	}
	if applied {
		e.must(officer, "POST", "/api/v1/rectification/items/"+itemID+"/apply", map[string]any{"progress": "已完成"}, http.StatusOK)
	}
	return listID, itemID
}

// rectOnce gives the ids rectItem made, made again after a call succeeded on them.
func (e *mxEnv) rectOnce(evidence, applied bool) (string, string) {
	v := e.once(fmt.Sprint("rect", evidence, applied), func() any {
		l, i := e.rectItem(evidence, applied)
		return [2]string{l, i}
	}).([2]string)
	return v[0], v[1]
}

// rectOnList and rectOnItem are calls on the list or item rectOnce made: path holds %s
// for its id.
func rectOnList(path, body string) func(e *mxEnv, w *mxWho) mxCall {
	return func(e *mxEnv, w *mxWho) mxCall {
		l, _ := e.rectOnce(false, false)
		return mxCall{path: fmt.Sprintf(path, l), body: []byte(body)}
	}
}

func rectOnItem(path, body string, evidence, applied bool) func(e *mxEnv, w *mxWho) mxCall {
	return func(e *mxEnv, w *mxWho) mxCall {
		_, i := e.rectOnce(evidence, applied)
		c := mxCall{path: fmt.Sprintf(path, i)}
		if body != "" {
			c.body = []byte(body)
		}
		return c
	}
}

// newScenarioEnv is the demo district behind the API, for a scenario acting as demo users.
func newScenarioEnv(t *testing.T) *mxEnv {
	svc, _, _ := whistletest.Demo(t, 0)
	return &mxEnv{t: t, srv: api.New(svc, slog.New(slog.DiscardHandler)), who: map[string]*mxWho{}, things: map[string]string{}, made: map[string]any{}}
}

func rectEvidence(e *mxEnv, w *mxWho) mxCall {
	_, i := e.rectOnce(false, false)
	ct, body := mxPhotoForm()
	return mxCall{path: "/api/v1/rectification/items/" + i + "/evidence", contentType: ct, body: body}
}

func rectEvidenceFile(e *mxEnv, w *mxWho) mxCall {
	_, i := e.rectOnce(true, false)
	status, raw := e.do(mxCall{method: "GET", path: "/api/v1/rectification/items/" + i, token: e.admin})
	var v struct {
		Item struct{ Evidence []struct{ ID int64 } }
	}
	if err := json.Unmarshal(raw, &v); status != 200 || err != nil || len(v.Item.Evidence) == 0 {
		e.t.Fatalf("setting up: item %s: %d %s", i, status, raw)
	}
	return mxCall{path: fmt.Sprintf("/api/v1/rectification/evidence/%d", v.Item.Evidence[0].ID)}
}

// TestRectificationScenario: the leader makes a list and an item, the officer reports
// progress with a milestone and a photo and applies for 销号, the leader returns it and,
// on the second application, approves it; the figures as of today move from 0 to 1 of 1.
func TestRectificationScenario(t *testing.T) {
	e := newScenarioEnv(t)
	leader, officer := e.login("demo.leader"), e.login("officer.LY-CGJ")
	l := e.must(leader, "POST", "/api/v1/rectification/lists", map[string]any{"title": "督查反馈问题整改", "source": "inspection", "source_ref": "娄督〔2026〕5号", "region": "431382001205"}, http.StatusCreated)
	it := e.must(leader, "POST", "/api/v1/rectification/lists/"+id(l, "id")+"/items", map[string]any{"problem": "联兴村路灯不亮", "org": "LY-CGJ",
		"deadline": "2026-12-31", "milestones": []map[string]string{{"name": "排查", "due": "2026-12-01"}}}, http.StatusCreated)
	item := "/api/v1/rectification/items/" + id(it, "id")
	figures := func() map[string]any {
		out := e.must(leader, "GET", "/api/v1/stats/rectification?region=431382001205", nil, http.StatusOK)
		return out["total"].(map[string]any)
	}
	if f := figures(); f["items"] != 1.0 || f["closed"] != 0.0 || f["closed_rate"] != 0.0 {
		t.Fatalf("before: %v", f)
	}
	if status, body := e.do(mxCall{method: "POST", path: item + "/apply", token: officer, body: []byte(`{"progress":"完成"}`)}); status != http.StatusBadRequest {
		t.Fatalf("applied without evidence: %d %s", status, body)
	}
	ms := it["milestones"].([]any)[0].(map[string]any)
	e.must(officer, "POST", item+"/progress", map[string]any{"progress": "已排查", "milestones": []any{ms["id"]}}, http.StatusOK)
	ct, photo := mxPhotoForm()
	if status, body := e.do(mxCall{method: "POST", path: item + "/evidence", token: officer, contentType: ct, body: photo}); status != http.StatusCreated {
		t.Fatalf("evidence: %d %s", status, body)
	}
	e.must(officer, "POST", item+"/apply", map[string]any{"progress": "已更换灯具"}, http.StatusOK)
	e.must(officer, "POST", item+"/approve", map[string]any{}, http.StatusForbidden)
	e.must(leader, "POST", item+"/return", map[string]any{}, http.StatusBadRequest)
	e.must(leader, "POST", item+"/return", map[string]any{"reason": "缺少夜间照片"}, http.StatusOK)
	e.must(officer, "POST", item+"/apply", map[string]any{"progress": "补充夜间照片"}, http.StatusOK)
	v := e.must(leader, "POST", item+"/approve", map[string]any{}, http.StatusOK)
	if v["item"].(map[string]any)["status"] != "closed" || len(v["events"].([]any)) != 7 {
		t.Errorf("after approval: %v", v)
	}
	if f := figures(); f["items"] != 1.0 || f["closed"] != 1.0 || f["closed_rate"] != 1.0 || f["milestone_rate"] != nil && f["milestones_due"] != 0.0 {
		t.Errorf("after: %v", f)
	}
	if status, _ := e.do(mxCall{method: "GET", path: "/api/v1/stats/rectification?format=xlsx&region=431382001205", token: leader}); status != http.StatusOK {
		t.Errorf("xlsx: %d", status)
	}
}
