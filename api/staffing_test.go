package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/domain"
)

// The matrix's staffing things: a unit of 蓝田街道 registered by the demo administrator
// (the staffing office over the whole county), made anew for each call that may change
// it: with 10 行政编制 approved, over it (12 on staff after a cut to 10, for a plan), with
// a 编外 total of 5 (for an exception), with a pending exception, or with a named person.

const staffDay = "2026-03-02" // the test clock's day

func (e *mxEnv) staffThing(kind string) string {
	return e.once("staff"+kind, func() any {
		u := e.must(e.admin, "POST", "/api/v1/staffing/units", map[string]any{"region": "431382001", "name": "矩阵服务中心", "kind": "public1",
			"doc_no": "涟编发〔2025〕1号", "doc_date": "2025-01-01"}, http.StatusCreated)
		unit := id(u, "id")
		quota := func(item string, v int, extra map[string]any) {
			b := map[string]any{"item": item, "value": v, "day": staffDay, "doc_no": "涟编办〔2026〕1号"}
			for k, x := range extra {
				b[k] = x
			}
			e.must(e.admin, "POST", "/api/v1/staffing/units/"+unit+"/quotas", b, http.StatusCreated)
		}
		switch kind {
		case "unit", "over":
			quota("administrative", 12, nil)
			if kind == "over" {
				e.must(e.admin, "POST", "/api/v1/staffing/units/"+unit+"/moves", map[string]any{"item": "administrative", "day": staffDay, "delta": 12, "doc_no": "d"}, http.StatusCreated)
				quota("administrative", 10, nil)
			}
		case "extra", "exception":
			quota("extra", 5, map[string]any{"method": "ratio", "inputs": map[string]float64{"establishment": 50, "ratio": 0.2}})
			if kind == "exception" {
				x := e.must(e.admin, "POST", "/api/v1/staffing/units/"+unit+"/exceptions", map[string]any{"value": 6, "reason": "新增站点"}, http.StatusCreated)
				return id(x, "id")
			}
		case "survey":
			v := e.must(e.admin, "POST", "/api/v1/staffing/surveys", map[string]any{"region": "431382001", "title": "矩阵调研", "unit_ids": []any{json64(unit)}}, http.StatusCreated)
			return id(v, "id") + "/" + unit
		case "person":
			quota("administrative", 12, nil)
			m := e.must(e.admin, "POST", "/api/v1/staffing/units/"+unit+"/moves", map[string]any{"item": "administrative", "day": staffDay, "delta": 1, "doc_no": "d",
				"person": map[string]string{"name": "矩阵人员", "id_number": staffID(e.num())}}, http.StatusCreated)
			return id(m, "person_id")
		}
		return unit
	}).(string)
}

// staffOn is a call on the thing staffThing(kind) made: path holds %s for its id.
func staffOn(kind, path, body string) func(e *mxEnv, w *mxWho) mxCall {
	return func(e *mxEnv, w *mxWho) mxCall {
		c := mxCall{path: fmt.Sprintf(path, e.staffThing(kind))}
		if body != "" {
			c.body = []byte(body)
		}
		return c
	}
}

// TestStaffingOverTheAPI: the office lowers a unit's 编外 total and is refused a raise
// (409 naming 只减不增); the leading group approves an exception and the raise passes;
// the figures download as XLSX.
func TestStaffingOverTheAPI(t *testing.T) {
	e := newScenarioEnv(t)
	admin := e.login("demo.admin")
	leader := e.login("demo.leader")
	u := e.must(admin, "POST", "/api/v1/staffing/units", map[string]any{"region": "431382001", "name": "蓝田街道社会事务服务中心", "kind": "public1",
		"doc_no": "涟编发〔2025〕2号", "doc_date": "2025-01-01"}, http.StatusCreated)
	unit := id(u, "id")
	total := func(v int, exc string) map[string]any {
		b := map[string]any{"item": "extra", "value": v, "day": staffDay, "doc_no": "涟编办〔2026〕2号", "method": "workload",
			"inputs": map[string]float64{"hours": 17600, "hours_per_person": 1760}}
		if exc != "" {
			b["exception_id"] = json64(exc)
		}
		return b
	}
	e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/quotas", total(8, ""), http.StatusCreated)
	e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/quotas", total(7, ""), http.StatusCreated)
	status, body := e.do(mxCall{method: "POST", path: "/api/v1/staffing/units/" + unit + "/quotas", token: admin, body: jsonBody(total(9, ""))})
	if status != http.StatusConflict || !strings.Contains(string(body), "只减不增") {
		t.Fatalf("a raise: %d %s", status, body)
	}
	x := e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/exceptions", map[string]any{"value": 9, "reason": "承接新职能"}, http.StatusCreated)
	e.must(leader, "POST", "/api/v1/staffing/exceptions/"+id(x, "id")+"/decision", map[string]any{"approve": true, "doc_no": "涟编委〔2026〕2号"}, http.StatusOK)
	e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/quotas", total(9, id(x, "id")), http.StatusCreated)
	v := e.must(leader, "GET", "/api/v1/staffing/units/"+unit, nil, http.StatusOK)
	if f := v["figures"].(map[string]any)["extra"].(map[string]any); f["approved"].(float64) != 9 {
		t.Errorf("the total: %v", f)
	}
	// 编外 staff come in by kind; one without a kind is refused naming the field
	status, body = e.do(mxCall{method: "POST", path: "/api/v1/staffing/units/" + unit + "/moves", token: admin,
		body: jsonBody(map[string]any{"item": "extra", "day": staffDay, "delta": 2, "doc_no": "涟人社〔2026〕5号"})})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "kind") {
		t.Errorf("a 编外 movement without a kind: %d %s", status, body)
	}
	for kind, n := range map[string]int{"dispatch": 5, "welfare": 2} {
		e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/moves", map[string]any{"item": "extra", "kind": kind, "day": staffDay, "delta": n,
			"doc_no": "涟人社〔2026〕5号"}, http.StatusCreated)
	}
	status, body = e.do(mxCall{method: "POST", path: "/api/v1/staffing/units/" + unit + "/moves", token: admin,
		body: jsonBody(map[string]any{"item": "extra", "kind": "temporary", "day": staffDay, "delta": 3, "doc_no": "涟人社〔2026〕5号"})})
	if status != http.StatusConflict {
		t.Errorf("hiring a kind past the total: %d %s", status, body)
	}
	rep := e.must(leader, "GET", "/api/v1/staffing/figures?region=431382001", nil, http.StatusOK)
	found := false
	for _, row := range rep["units"].([]any) {
		r := row.(map[string]any)
		if int64(r["unit"].(map[string]any)["id"].(float64)) != json64(unit) {
			continue
		}
		found = true
		f := r["figures"].(map[string]any)["extra"].(map[string]any)
		if k := f["by_kind"].(map[string]any); f["actual"].(float64) != 7 || k["dispatch"].(float64) != 5 || k["welfare"].(float64) != 2 || len(k) != 2 {
			t.Errorf("the unit's 编外 by kind: %v", f)
		}
	}
	if !found {
		t.Error("the unit is not in the street's figures")
	}
	// leadership posts by level: a quota without a level is refused; the unit's figures give each level
	status, body = e.do(mxCall{method: "POST", path: "/api/v1/staffing/units/" + unit + "/quotas", token: admin,
		body: jsonBody(map[string]any{"item": "lead_deputy", "value": 2, "day": staffDay, "doc_no": "涟编发〔2026〕6号"})})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "level") {
		t.Errorf("a leadership quota without a level: %d %s", status, body)
	}
	e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/quotas", map[string]any{"item": "lead_deputy", "level": "fuke", "value": 2, "day": staffDay,
		"doc_no": "涟编发〔2026〕6号"}, http.StatusCreated)
	e.must(admin, "POST", "/api/v1/staffing/units/"+unit+"/moves", map[string]any{"item": "lead_deputy", "level": "fuke", "day": staffDay, "delta": 1,
		"doc_no": "涟组〔2026〕6号"}, http.StatusCreated)
	lv := e.must(leader, "GET", "/api/v1/staffing/units/"+unit, nil, http.StatusOK)
	if f := lv["figures"].(map[string]any)["lead_deputy"].(map[string]any)["by_level"].(map[string]any)["fuke"].(map[string]any); f["approved"].(float64) != 2 || f["actual"].(float64) != 1 || f["vacant"].(float64) != 1 {
		t.Errorf("副职 at 副科级: %v", f)
	}
	status, body = e.do(mxCall{method: "GET", path: "/api/v1/staffing/figures?region=431382001&format=xlsx", token: leader})
	if status != http.StatusOK || !strings.HasPrefix(string(body), "PK") {
		t.Errorf("the workbook: %d %.40q", status, body)
	}
	status, body = e.do(mxCall{method: "GET", path: "/api/v1/staffing/figures?as_of=2026-02-31", token: leader})
	if status != http.StatusBadRequest {
		t.Errorf("a bad day: %d %s", status, body)
	}
}

// staffID is a valid ID number of its own for the n-th call.
func staffID(n int64) string {
	first := fmt.Sprintf("4313821990010%04d", n%10000)
	return first + string(domain.IDCheckDigit(first))
}

// staffSurveyNew opens a round over a new unit; staffSurveyGet reads one; staffFinding
// records a finding at its unit that raises an item for LY-CGJ.
func staffSurveyNew(e *mxEnv, w *mxWho) mxCall {
	return mxCall{path: "/api/v1/staffing/surveys", body: []byte(`{"region":"431382001","title":"矩阵调研","unit_ids":[` + e.staffThing("unit") + `]}`)}
}

func staffSurveyGet(e *mxEnv, w *mxWho) mxCall {
	survey, _, _ := strings.Cut(e.staffThing("survey"), "/")
	return mxCall{path: "/api/v1/staffing/surveys/" + survey}
}

func staffFinding(e *mxEnv, w *mxWho) mxCall {
	survey, unit, _ := strings.Cut(e.staffThing("survey"), "/")
	return mxCall{path: "/api/v1/staffing/surveys/" + survey + "/findings",
		body: []byte(`{"unit_id":` + unit + `,"finding":"编外人员超员额","rectify":{"org":"LY-CGJ","deadline":"2026-12-31"}}`)}
}
