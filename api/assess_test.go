package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"whistle/domain"
)

// The matrix's assessment things: a monthly system of 蓝田街道's departments with a
// manual item, February 2026 (closed at the matrix's clock) published by the street's
// leader, made anew for each call that may change them.

// assessSystemBody is a departments' system over the demo street.
func assessSystemBody() map[string]any {
	return map[string]any{"name": "矩阵部门考核", "region": "431382001", "period_kind": "month", "assessee_kind": "department", "appeal_days": 5,
		"indicators": []map[string]any{
			{"code": "resp", "name": "响应率", "source": "response_rate", "weight": 60, "direction": "higher", "rule": "linear", "floor": 0.5, "target": 1, "min_volume": 1},
			{"code": "lead", "name": "领导评分", "source": "manual", "weight": 40, "direction": "higher", "rule": "linear", "floor": 0, "target": 100},
		}}
}

// assessSystem makes a system as the demo administrator; published, the street's
// leader publishes its February.
func (e *mxEnv) assessSystem(published bool) string {
	sys := id(e.must(e.admin, "POST", "/api/v1/assessments/systems", assessSystemBody(), http.StatusCreated), "id")
	if published {
		e.must(e.login("demo.leader"), "POST", "/api/v1/assessments/systems/"+sys+"/periods/2026-02/publish", nil, http.StatusOK)
	}
	return sys
}

// assessOnce gives a system assessSystem made, made again after a call succeeded on it.
func (e *mxEnv) assessOnce(published bool) string {
	return e.once(fmt.Sprint("assess", published), func() any { return e.assessSystem(published) }).(string)
}

// onAssess is a call on the period 2026-02 of a system: path holds %s for its id.
func onAssess(path, body string, published bool) func(e *mxEnv, w *mxWho) mxCall {
	return func(e *mxEnv, w *mxWho) mxCall {
		c := mxCall{path: fmt.Sprintf(path, e.assessOnce(published))}
		if body != "" {
			c.body = []byte(body)
		}
		return c
	}
}

// onAppeal is a decision on a pending appeal of LY-CGJ (the in-scope officer's org).
func onAppeal(e *mxEnv, w *mxWho) mxCall {
	a := e.once("appeal", func() any {
		sys := e.assessSystem(true)
		a := e.must(e.token(in(domain.RoleOfficer)), "POST", "/api/v1/assessments/systems/"+sys+"/periods/2026-02/appeals",
			map[string]any{"assessee": "LY-CGJ", "indicator": "resp", "reason": "数据有误"}, http.StatusCreated)
		return id(a, "id")
	}).(string)
	return mxCall{path: "/api/v1/assessments/appeals/" + a + "/decision", body: []byte(`{"accept":false,"decision":"经核实，不予采纳"}`)}
}

// onExclusionCase asks, as the caller, for 免责 of a new case dispatched to LY-CGJ.
func onExclusionCase(e *mxEnv, w *mxWho) mxCall {
	c := e.once("exclusionCase", func() any { return e.dispatchedCase() }).(string)
	return mxCall{path: "/api/v1/assessments/exclusions", body: []byte(`{"case_id":` + c + `,"kind":"exempt","sources":["response_rate"],"reason":"超出职权"}`)}
}

// onExclusion is a decision on a pending 免责 of a new case.
func onExclusion(e *mxEnv, w *mxWho) mxCall {
	x := e.once("exclusion", func() any {
		c := e.dispatchedCase()
		x := e.must(e.token(in(domain.RoleOfficer)), "POST", "/api/v1/assessments/exclusions",
			map[string]any{"case_id": json64(c), "kind": "exempt", "sources": []string{"response_rate"}, "reason": "超出职权"}, http.StatusCreated)
		return id(x, "id")
	}).(string)
	return mxCall{path: "/api/v1/assessments/exclusions/" + x + "/decision", body: []byte(`{"approve":true,"note":"同意"}`)}
}

// onRating rates LY-YJJ's report-in on a new case whistled to it.
func onRating(e *mxEnv, w *mxWho) mxCall {
	c := e.once("ratedCase", func() any {
		c := e.dispatchedCase()
		path := "/api/v1/cases/" + c
		disp := e.token(in(domain.RoleDispatcher))
		got := e.must(disp, "GET", path, nil, http.StatusOK)
		got = e.must(disp, "POST", path+"/whistle", map[string]any{"version": got["version"], "orgs": []string{"LY-YJJ"}, "hours": 2}, http.StatusOK)
		e.must(e.login("officer.LY-YJJ"), "POST", path+"/report-in", map[string]any{"version": got["version"]}, http.StatusOK)
		return c
	}).(string)
	return mxCall{path: "/api/v1/assessments/ratings", body: []byte(`{"case_id":` + c + `,"org":"LY-YJJ","grade":"satisfied","timely":true}`)}
}

// json64 reads an id given as text as a number for a JSON body.
func json64(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// TestAssessmentScenario: the leader publishes February, the department appeals its
// manual item, the leader accepts with the corrected score and the ranking moves; the
// table downloads as a spreadsheet.
func TestAssessmentScenario(t *testing.T) {
	e := newScenarioEnv(t)
	admin, leader, officer := e.login("demo.admin"), e.login("demo.leader"), e.login("officer.LY-CGJ")
	sys := id(e.must(admin, "POST", "/api/v1/assessments/systems", assessSystemBody(), http.StatusCreated), "id")
	period := "/api/v1/assessments/systems/" + sys + "/periods/2026-02"
	e.must(admin, "PUT", period+"/manual", map[string]any{"assessee": "LY-CGJ", "indicator": "lead", "points": 60, "reason": "工作一般"}, http.StatusNoContent)
	e.must(admin, "PUT", period+"/manual", map[string]any{"assessee": "LY-YJJ", "indicator": "lead", "points": 70, "reason": "工作较好"}, http.StatusNoContent)
	e.must(admin, "PUT", period+"/manual", map[string]any{"assessee": "LY-YJJ", "indicator": "lead", "points": 170, "reason": "x"}, http.StatusBadRequest)
	e.must(officer, "POST", period+"/publish", nil, http.StatusForbidden)
	e.must(leader, "POST", period+"/publish", nil, http.StatusOK)
	rank := func(key string) float64 {
		rk := e.must(officer, "GET", period+"/ranking?n=1", nil, http.StatusOK)
		for _, s := range rk["scores"].([]any) {
			if s := s.(map[string]any); s["key"] == key {
				return s["rank"].(float64)
			}
		}
		t.Fatalf("%s not ranked", key)
		return 0
	}
	if rank("LY-CGJ") != 2 || rank("LY-YJJ") != 1 {
		t.Fatalf("before the appeal: LY-CGJ %v, LY-YJJ %v", rank("LY-CGJ"), rank("LY-YJJ"))
	}
	e.must(e.login("officer.LY-YJJ"), "POST", period+"/appeals", map[string]any{"assessee": "LY-CGJ", "indicator": "lead", "reason": "x"}, http.StatusForbidden)
	a := e.must(officer, "POST", period+"/appeals", map[string]any{"assessee": "LY-CGJ", "indicator": "lead", "reason": "漏计防汛工作"}, http.StatusCreated)
	e.must(leader, "POST", "/api/v1/assessments/appeals/"+id(a, "id")+"/decision", map[string]any{"accept": true, "decision": "补计防汛工作", "num": 90}, http.StatusOK)
	if rank("LY-CGJ") != 1 || rank("LY-YJJ") != 2 {
		t.Fatalf("after the appeal: LY-CGJ %v, LY-YJJ %v", rank("LY-CGJ"), rank("LY-YJJ"))
	}
	status, body := e.do(mxCall{method: "GET", path: period + "?format=xlsx", token: officer})
	if status != http.StatusOK || len(body) < 100 || string(body[:2]) != "PK" {
		t.Fatalf("xlsx: %d, %d bytes", status, len(body))
	}
}
