package api_test

// The matrix's requests that are made anew for each call: writes that succeed once on
// what they act on (each call gets its own case, visit, risk or inspection), new
// resources whose codes must be new, and bodies that are not JSON.

import (
	"encoding/json"
	"fmt"
	"net/http"

	"whistle/demo"
	"whistle/domain"
)

// jsonBody encodes a request body.
func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func signIn(e *mxEnv, w *mxWho) mxCall {
	login := w.login
	if login == "" {
		login = in(domain.RoleCitizen)
	}
	return mxCall{path: "/api/v1/auth/token", body: jsonBody(map[string]string{"login": login, "password": demo.Password})}
}

// signOut ends a token of its own, so the caller's stays good for the other rows.
func signOut(e *mxEnv, w *mxWho) mxCall {
	c := mxCall{path: "/api/v1/auth/token"}
	if w.login != "" {
		c.token = e.login(w.login)
	}
	return c
}

func importMatters(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/matters.csv", contentType: "text/csv", body: []byte(e.things["matters.csv"])}
}

// acceptNewCase accepts a case just reported.
func acceptNewCase(e *mxEnv, _ *mxWho) mxCall {
	c := e.once("case", func() any { return e.newCase() }).(map[string]any)
	return mxCall{path: "/api/v1/cases/" + id(c, "id") + "/accept", body: jsonBody(map[string]any{"version": c["version"]})}
}

// superviseNewCase and instructNewCase: a leader's actions on a case just reported.
func superviseNewCase(e *mxEnv, _ *mxWho) mxCall {
	c := e.once("case", func() any { return e.newCase() }).(map[string]any)
	return mxCall{path: "/api/v1/cases/" + id(c, "id") + "/supervise", body: jsonBody(map[string]any{"version": c["version"], "note": "请尽快受理", "working_days": 2})}
}

func instructNewCase(e *mxEnv, _ *mxWho) mxCall {
	c := e.once("case", func() any { return e.newCase() }).(map[string]any)
	return mxCall{path: "/api/v1/cases/" + id(c, "id") + "/instruct", body: jsonBody(map[string]any{"version": c["version"], "note": "请重视"})}
}

func newUser(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/users", body: jsonBody(map[string]any{"login": fmt.Sprintf("mx.new%d", e.num()), "name": "新用户",
		"password": demo.Password, "grants": []domain.Grant{{Role: domain.RoleCitizen}}})}
}

func addPhoto(e *mxEnv, _ *mxWho) mxCall {
	ct, body := mxPhotoForm()
	return mxCall{path: "/api/v1/cases/" + e.things["case"] + "/attachments", contentType: ct, body: body}
}

// mergeNewCase merges a case just reported into another one.
func mergeNewCase(e *mxEnv, _ *mxWho) mxCall {
	into := e.once("into", func() any { return e.newCase() }).(map[string]any)
	c := e.once("case", func() any { return e.newCase() }).(map[string]any)
	return mxCall{path: "/api/v1/cases/" + id(c, "id") + "/duplicates/merge", body: jsonBody(map[string]any{"into": into["id"], "version": c["version"]})}
}

func newGroup(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/groups", body: jsonBody(map[string]any{"code": fmt.Sprintf("mx-%d", e.num()), "name": "矩阵测试人群",
		"kind": "person", "region": "431382001", "fields": []any{}})}
}

// previewRegister checks the village's register as exported, without writing it.
func previewRegister(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/groups/" + e.things["group"] + "/register?preview=true", contentType: "text/csv", body: []byte(e.things["register.csv"])}
}

// nextSubject is a household of the village no call has used yet.
func (e *mxEnv) nextSubject() string {
	if len(e.spare) == 0 {
		e.t.Fatal("the matrix ran out of the village's households")
	}
	s := e.spare[0]
	e.spare = e.spare[1:]
	return s
}

func leaveGroup(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/subjects/" + e.once("subject", func() any { return e.nextSubject() }).(string) + "/leave", body: jsonBody(map[string]string{"day": "2026-03-02"})}
}

// newRisk has the in-scope helper find an illness in a household of theirs on a visit
// of a new round, and gives the illness's open risk: a new one, unless the household's
// last is still open.
func (e *mxEnv) newRisk(subject string) string {
	helper := e.who[in(domain.RoleHelper)]
	visit := e.visit(e.round(), subject)
	e.must(helper.token, "POST", "/api/v1/visits/"+visit, map[string]any{"day": "2026-03-02", "risks": []string{"illness"}}, http.StatusOK)
	for _, r := range e.must(helper.token, "GET", "/api/v1/subjects/"+subject+"/risks", nil, http.StatusOK)["risks"].([]any) {
		if r := r.(map[string]any); r["kind"] == "illness" && r["cleared"] == nil && r["case_id"] == nil {
			return id(r, "id")
		}
	}
	e.t.Fatalf("setting up: no open risk on subject %s", subject)
	return ""
}

// clearNewRisk clears an open risk of the second household: once cleared, the next
// visit raises a new one.
func clearNewRisk(e *mxEnv, _ *mxWho) mxCall {
	subject := e.things["subject2"]
	risk := e.once("risk", func() any { return e.newRisk(subject) }).(string)
	return mxCall{path: "/api/v1/subjects/" + subject + "/risks/" + risk + "/clear", body: jsonBody(map[string]string{"day": "2026-03-02"})}
}

// caseOfNewRisk raises a case of a risk found in a household of the in-scope helper's
// that has none open: a risk that raised its case stays open.
func caseOfNewRisk(e *mxEnv, _ *mxWho) mxCall {
	r := e.once("risk", func() any {
		subject := e.nextSubject()
		e.must(e.admin, "POST", "/api/v1/subjects/"+subject+"/helper", map[string]any{"user_id": e.who[in(domain.RoleHelper)].id, "from": "2026-03-01"}, http.StatusCreated)
		return [2]string{subject, e.newRisk(subject)}
	}).([2]string)
	return mxCall{path: "/api/v1/subjects/" + r[0] + "/risks/" + r[1] + "/case", body: []byte(`{}`)}
}
func newRound(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/rounds", body: jsonBody(map[string]any{"group_id": json.Number(e.things["group"]),
		"name": fmt.Sprintf("矩阵轮次%d", e.num()), "region": mxVillage, "starts": "2026-03-01", "due": "2026-06-30"})}
}

// recordNewVisit records the in-scope helper's visit of a new round.
func recordNewVisit(e *mxEnv, _ *mxWho) mxCall {
	visit := e.once("visit", func() any { return e.visit(e.round(), e.things["subject"]) }).(string)
	return mxCall{path: "/api/v1/visits/" + visit, body: jsonBody(map[string]string{"day": "2026-03-02"})}
}

func visitPhoto(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/visits/" + e.things["visit"] + "/photos", contentType: "image/png", body: mxPNG()}
}

func newChecklist(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/checklists", body: jsonBody(map[string]any{"code": fmt.Sprintf("MX-%d", e.num()), "name": "矩阵清单",
		"kind": "community", "items": []map[string]string{{"code": "A1", "title": "开展一次消防演练"}}})}
}

// mxUSCC is a valid unified social credit code no other call uses.
func (e *mxEnv) mxUSCC() string { return eUSCC(fmt.Sprintf("MA4M%05d", e.num())) }

// enterpriseBody is an enterprise of the village whose account is the in-scope
// enterprise user.
func (e *mxEnv) enterpriseBody(uscc string) map[string]any {
	return map[string]any{"uscc": uscc, "name": "涟源市联兴矩阵农业有限公司" + uscc[10:14], "address": "联兴村1组", "region": mxVillage,
		"industry": "agriculture", "size": "small", "account_id": e.who[in(domain.RoleEnterprise)].id}
}

func newEnterprise(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/enterprises", body: jsonBody(e.enterpriseBody(e.mxUSCC()))}
}

func importEnterprise(e *mxEnv, _ *mxWho) mxCall {
	csv := "uscc,name,region,industry\n" + e.mxUSCC() + ",涟源市联兴导入有限公司,431382001205,agriculture\n"
	return mxCall{path: "/api/v1/enterprises/import", contentType: "text/csv", body: []byte(csv)}
}

// scanIn scans in to the matrix's enterprise with its code as it is now.
func scanIn(e *mxEnv, _ *mxWho) mxCall {
	code := e.must(e.admin, "GET", "/api/v1/enterprises/"+e.things["enterprise"]+"/code", nil, http.StatusOK)
	return mxCall{path: "/api/v1/inspections/scan", body: jsonBody(e.scanBody(code["token"].(string)))}
}

// freshInspection is an inspection by the in-scope inspector of a new enterprise of the
// village, with one inspector only when pending (which a leader must then decide).
func (e *mxEnv) freshInspection(pending bool) string {
	ent := e.must(e.admin, "POST", "/api/v1/enterprises", e.enterpriseBody(e.mxUSCC()), http.StatusCreated)
	code := e.must(e.admin, "GET", "/api/v1/enterprises/"+id(ent, "id")+"/code", nil, http.StatusOK)
	scan := e.scanBody(code["token"].(string))
	if pending {
		scan["inspectors"] = scan["inspectors"].([]map[string]any)[:1]
	}
	got := e.must(e.token(in(domain.RoleInspector)), "POST", "/api/v1/inspections/scan", scan, http.StatusCreated)
	if want := map[bool]string{true: "pending", false: "open"}[pending]; got["status"] != want {
		e.t.Fatalf("setting up: a new inspection is %v, want %s", got["status"], want)
	}
	return id(got, "id")
}

func decidePending(action string) func(e *mxEnv, _ *mxWho) mxCall {
	return func(e *mxEnv, _ *mxWho) mxCall {
		ins := e.once("inspection", func() any { return e.freshInspection(true) }).(string)
		return mxCall{path: "/api/v1/inspections/" + ins + "/" + action, body: []byte(`{"note":"已核实"}`)}
	}
}

var finishBody = []byte(`{"result":"未发现问题"}`)

func finishNewInspection(e *mxEnv, _ *mxWho) mxCall {
	ins := e.once("inspection", func() any { return e.freshInspection(false) }).(string)
	return mxCall{path: "/api/v1/inspections/" + ins + "/finish", body: finishBody}
}

// rateNewInspection rates an inspection just finished.
func rateNewInspection(e *mxEnv, _ *mxWho) mxCall {
	ins := e.once("inspection", func() any {
		ins := e.freshInspection(false)
		e.must(e.token(in(domain.RoleInspector)), "POST", "/api/v1/inspections/"+ins+"/finish", json.RawMessage(finishBody), http.StatusOK)
		return ins
	}).(string)
	return mxCall{path: "/api/v1/inspections/" + ins + "/rate", body: []byte(`{"rating":5,"comment":"规范"}`)}
}

func newHall(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/halls", body: jsonBody(map[string]any{"code": fmt.Sprintf("MX-H%d", e.num()), "name": "联兴村便民服务点",
		"region": mxVillage, "kind": "convenience_centre"})}
}

func newWindow(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/windows", body: jsonBody(map[string]any{"hall_id": json.Number(e.things["hall"]),
		"code": fmt.Sprintf("MX-W%d", e.num()), "name": "综合窗口", "kind": "comprehensive"})}
}

// assignHelper makes the in-scope helper the helper of a household they do not help yet.
func assignHelper(e *mxEnv, _ *mxWho) mxCall {
	subject := e.once("subject", func() any { return e.nextSubject() }).(string)
	return mxCall{path: "/api/v1/subjects/" + subject + "/helper", body: jsonBody(map[string]any{"user_id": e.who[in(domain.RoleHelper)].id, "from": "2026-03-01"})}
}

// patrol is a patrol of the village this morning; a department's answers its checklist.
func patrol(e *mxEnv, w *mxWho) mxCall {
	answers := "[]"
	if w.role == domain.RoleOfficer {
		answers = e.things["officerAnswers"]
	}
	return mxCall{path: "/api/v1/patrols", body: []byte(`{"region":"` + mxVillage + `","started_at":"2026-03-02T07:00:00+08:00",` +
		`"ended_at":"2026-03-02T07:30:00+08:00","answers":` + answers + `}`)}
}
