package api_test

// The world the authorisation matrix (authz_matrix_test.go) is played in: the demo
// district with, for every role, one user whose scope holds the matrix's things and
// one of the same role whose scope does not, all made through the API; and the things
// themselves (a case, an enterprise and its inspection, a subject and its visit, a
// patrol, a hazard, a hall, …), made through the API by the users who would make them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"whistle/api"
	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

// The place the matrix's things are in, and the place the out-of-scope users hold.
const (
	mxVillage  = "431382001205"       // 联兴村, where the demo's retired fishermen live
	mxGrid     = "431382001205001"    // 联兴村第1网格
	mxBuilding = "431382001205001001" // 联兴1组居民点, a micro-grid of that grid
	mxAway     = "431382002001"       // 牛角石社区, in another street
	mxAwayHigh = "431382002"          // 六亩塘街道, that street
)

// mxGrants are the grant of each role's in-scope user and of its out-of-scope one: the
// same role over another street or community, for another org, or (roles without a
// scope) simply another person of that role.
var mxGrants = map[domain.Role][2]domain.Grant{
	domain.RoleAdmin:        {{Region: "431382001"}, {Region: mxAwayHigh}},
	domain.RoleLeader:       {{Region: "431382001"}, {Region: mxAwayHigh}},
	domain.RoleDispatcher:   {{Region: "431382001"}, {Region: mxAwayHigh}},
	domain.RoleOfficer:      {{Org: "LY-CGJ"}, {Org: "LY-HBJ"}}, // the demo links 城管局 to 联兴村, not 环保局
	domain.RoleGridWorker:   {{Region: mxVillage}, {Region: mxAway}},
	domain.RoleBuildingHead: {{Region: mxBuilding}, {Region: mxAway}},
	domain.RoleVolunteer:    {{Region: mxVillage}, {Region: mxAway}},
	domain.RoleLiaison:      {{Org: "LT-JDB"}, {Org: "LT-JDB"}},
	domain.RoleHelper:       {{Region: mxVillage}, {Region: mxAway}},
	domain.RoleInspector:    {{Org: "LY-SJJ"}, {Org: "LY-HBJ"}},
	domain.RoleEnterprise:   {{}, {}},
	domain.RoleCitizen:      {{}, {}},
	domain.RoleAuditor:      {{}, {}},
}

// mxWho is one caller of the matrix: a role in or out of scope, or nobody.
type mxWho struct {
	role  domain.Role // "" for a caller without a token
	away  bool
	login string
	id    int64
	token string
}

func (w *mxWho) String() string {
	switch {
	case w.role == "":
		return "no token"
	case w.away:
		return string(w.role) + " out of scope"
	}
	return string(w.role) + " in scope"
}

// mxEnv is the matrix's server, its callers and its things.
type mxEnv struct {
	t      *testing.T
	srv    *api.Server
	who    map[string]*mxWho // by login
	admin  string            // the demo administrator's token, who sets things up
	things map[string]string // {name} → what it stands for in a path or body
	spare  []string          // households of the village no call has used yet
	made   map[string]any    // what fresh requests made, kept until a call succeeds on it
	keep   map[string]any    // what is made once for the environment (the land office)
	n      int64             // counts calls and new codes
}

// mxCall is one request.
type mxCall struct {
	method, path string
	token        string
	contentType  string
	body         []byte
}

// do sends a request straight to the handler (no socket: the matrix makes thousands).
// Each call comes from an address of its own, so no per-address limit of the public
// routes is met.
func (e *mxEnv) do(c mxCall) (int, []byte) {
	e.t.Helper()
	req := httptest.NewRequest(c.method, c.path, bytes.NewReader(c.body))
	req.RemoteAddr = fmt.Sprintf("192.0.2.%d:4000", 1+e.num()%250)
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// must sends a JSON request that has to answer want and decodes the answer.
func (e *mxEnv) must(token, method, path string, body any, want int) map[string]any {
	e.t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			e.t.Fatal(err)
		}
	}
	status, got := e.do(mxCall{method: method, path: path, token: token, body: raw})
	if status != want {
		e.t.Fatalf("setting up: %s %s: %d %s, want %d", method, path, status, got, want)
	}
	var out map[string]any
	if len(got) > 0 {
		if err := json.Unmarshal(got, &out); err != nil {
			e.t.Fatalf("setting up: %s %s: %v", method, path, err)
		}
	}
	return out
}

// fill puts the things' values in place of their {names}.
func (e *mxEnv) fill(s string) string {
	for name, v := range e.things {
		s = strings.ReplaceAll(s, "{"+name+"}", v)
	}
	return s
}

// token of a login made by the matrix.
func (e *mxEnv) token(login string) string { return e.who[login].token }

// once gives what make made for a fresh request, making it when no call has yet
// succeeded on it: refused calls leave it as it was, so the next caller may use it too.
func (e *mxEnv) once(what string, make func() any) any {
	if v, ok := e.made[what]; ok {
		return v
	}
	v := make()
	e.made[what] = v
	return v
}

// used forgets what fresh requests made, after a call that may have changed it.
func (e *mxEnv) used() { clear(e.made) }

// num is a number no other call of the matrix uses, for codes that must be new.
func (e *mxEnv) num() int64 {
	e.n++
	return e.n
}

// newMatrixEnv loads the demo district, makes the callers and the things.
func newMatrixEnv(t *testing.T) *mxEnv {
	svc, _, _ := whistletest.Demo(t, 0)
	e := &mxEnv{t: t, srv: api.New(svc, slog.New(slog.DiscardHandler)), who: map[string]*mxWho{}, things: map[string]string{},
		made: map[string]any{}}
	e.admin = e.login("demo.admin")
	for _, role := range domain.Roles {
		for i, g := range mxGrants[role] {
			w := &mxWho{role: role, away: i == 1, login: fmt.Sprintf("mx.%s.%s", role, [2]string{"in", "away"}[i])}
			g.Role = role
			u := e.must(e.admin, "POST", "/api/v1/users", map[string]any{"login": w.login, "name": w.login, "password": demo.Password,
				"grants": []domain.Grant{g}}, http.StatusCreated)
			w.id = int64(u["id"].(float64))
			w.token = e.login(w.login)
			e.who[w.login] = w
		}
	}
	e.makeThings()
	return e
}

// login signs a login in with the demo password and gives its token.
func (e *mxEnv) login(login string) string {
	e.t.Helper()
	out := e.must("", "POST", "/api/v1/auth/token", map[string]string{"login": login, "password": demo.Password}, http.StatusOK)
	return out["token"].(string)
}

// in and away name the matrix's users of a role.
func in(role domain.Role) string   { return "mx." + string(role) + ".in" }
func away(role domain.Role) string { return "mx." + string(role) + ".away" }

// id reads an answer's id as text.
func id(v map[string]any, key string) string { return fmt.Sprint(int64(v[key].(float64))) }

// makeThings makes what the routes read and change, each by who would make it.
func (e *mxEnv) makeThings() {
	th := e.things
	th["user"] = fmt.Sprint(e.who[away(domain.RoleCitizen)].id)
	th["case"] = e.dispatchedCase()
	th["attachment"] = id(e.attach(th["case"]), "id")
	e.enterprise()
	e.keyGroup()
	e.patrolling()
	hall := e.must(e.admin, "POST", "/api/v1/halls", map[string]any{"code": "MX-HALL", "name": "联兴村第二便民服务点", "region": mxVillage,
		"kind": "convenience_centre"}, http.StatusCreated)
	th["hall"] = id(hall, "id")
	window := e.must(e.admin, "POST", "/api/v1/windows", map[string]any{"hall_id": hall["id"], "code": "MX-WIN", "name": "综合窗口",
		"kind": "comprehensive"}, http.StatusCreated)
	th["window"] = id(window, "id")
	e.projects()
	e.trainingClass()
	linkage := e.must(e.admin, "POST", "/api/v1/linkages", map[string]any{"kind": "community", "org": "LY-CGJ", "target": mxVillage,
		"from": "2026-01-01"}, http.StatusCreated)
	th["linkage"] = id(linkage, "id")
	client := e.must(e.admin, "POST", "/api/v1/open311/clients", map[string]any{"name": "矩阵测试应用"}, http.StatusCreated)
	th["client"] = id(client["client"].(map[string]any), "id")
	receipt := e.must("", "POST", "/api/v1/public/reports", map[string]any{"matter": "SR-001", "description": "联兴1组路灯不亮",
		"region": mxBuilding}, http.StatusCreated)
	th["number"], th["secret"] = receipt["number"].(string), receipt["secret"].(string)
	e.settings()
}

// settings keeps, for the rows that write them back, what some things are now: a PUT
// of a thing as it is is a real write that changes nothing the other rows read.
func (e *mxEnv) settings() {
	th := e.things
	th["matters.csv"] = string(e.raw("/api/v1/matters.csv"))
	th["register.csv"] = string(e.raw("/api/v1/groups/" + th["group"] + "/register?region=" + mxVillage))
	th["groupJSON"] = string(e.raw("/api/v1/groups/" + th["group"]))
	th["checklistJSON"] = string(e.raw("/api/v1/checklists/" + th["checklist"]))
	th["riskMatters"] = string(e.raw("/api/v1/settings/risk-matters"))
	th["enterpriseJSON"] = string(jsonBody(e.enterpriseBody(th["uscc"])))
	rule := e.must(e.admin, "GET", "/api/v1/settings/duplicates", nil, http.StatusOK)
	th["distance"], th["windowHours"] = fmt.Sprint(rule["distance_m"]), fmt.Sprint(rule["window_hours"])
	th["problemMatter"] = e.must(e.admin, "GET", "/api/v1/settings/liaison", nil, http.StatusOK)["problem_matter"].(string)
	var checklist struct{ Items []struct{ Code string } }
	if err := json.Unmarshal([]byte(th["checklistJSON"]), &checklist); err != nil || len(checklist.Items) == 0 {
		e.t.Fatalf("setting up: checklist %s: %v", th["checklistJSON"], err)
	}
	th["checklistItem"] = checklist.Items[0].Code
	th["officerAnswers"] = e.officerAnswers()
	th["volunteerIn"] = fmt.Sprint(e.who[in(domain.RoleVolunteer)].id)
	for _, u := range e.must(e.admin, "GET", "/api/v1/users", nil, http.StatusOK)["users"].([]any) {
		switch u := u.(map[string]any); u["login"] {
		case "helper.rs1":
			th["helperRS1"] = id(u, "id")
		case "helper.rs2":
			th["helperRS2"] = id(u, "id")
		}
	}
}

// officerAnswers answers, all fine, the checklist of the in-scope officer's org's patrol
// plan of the village (the demo plans the patrols of each community's linked
// departments): a department's patrol answers it.
func (e *mxEnv) officerAnswers() string {
	plans := e.must(e.admin, "GET", "/api/v1/patrol-plans?org=LY-CGJ&region="+mxVillage, nil, http.StatusOK)["plans"].([]any)
	if len(plans) == 0 {
		e.t.Fatal("setting up: the demo plans no patrol of 城管局 in the village")
	}
	checklist := e.must(e.admin, "GET", "/api/v1/checklists/"+id(plans[0].(map[string]any), "checklist"), nil, http.StatusOK)
	var answers []map[string]any
	for _, it := range checklist["items"].([]any) {
		answers = append(answers, map[string]any{"item": it.(map[string]any)["code"], "ok": true})
	}
	return string(jsonBody(answers))
}

// raw reads what the demo administrator gets at path, which must answer 200.
func (e *mxEnv) raw(path string) []byte {
	e.t.Helper()
	status, body := e.do(mxCall{method: "GET", path: path, token: e.admin})
	if status != http.StatusOK {
		e.t.Fatalf("setting up: GET %s: %d %s", path, status, body)
	}
	return body
}

// newCase has the in-scope citizen report a case in the matrix's micro-grid.
func (e *mxEnv) newCase() map[string]any {
	return e.must(e.token(in(domain.RoleCitizen)), "POST", "/api/v1/cases", map[string]any{"matter": "SR-001",
		"title": "联兴1组路灯不亮", "region": mxBuilding, "channel": "online", "kind": "request"}, http.StatusCreated)
}

// dispatchedCase is a new case the street dispatched to the in-scope officer's org with
// the in-scope inspector's org beside it.
func (e *mxEnv) dispatchedCase() string {
	c := e.newCase()
	path := "/api/v1/cases/" + id(c, "id")
	disp := e.token(in(domain.RoleDispatcher))
	c = e.must(disp, "POST", path+"/accept", map[string]any{"version": c["version"]}, http.StatusOK)
	e.must(disp, "POST", path+"/dispatch", map[string]any{"version": c["version"], "org": "LY-CGJ", "co_orgs": []string{"LY-SJJ"}}, http.StatusOK)
	return id(c, "id")
}

// attach has the reporter add a photo to a case.
func (e *mxEnv) attach(caseID string) map[string]any {
	ct, body := mxPhotoForm()
	status, got := e.do(mxCall{method: "POST", path: "/api/v1/cases/" + caseID + "/attachments", token: e.token(in(domain.RoleCitizen)),
		contentType: ct, body: body})
	var out map[string]any
	if err := json.Unmarshal(got, &out); status != http.StatusCreated || err != nil {
		e.t.Fatalf("setting up: attachment: %d %s", status, got)
	}
	return out
}

// mxPNG is a small photo.
func mxPNG() []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)))
	return b.Bytes()
}

// mxPhotoForm is a multipart body with the photo in a part named file.
func mxPhotoForm() (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	part, _ := mw.CreateFormFile("file", "路灯.png")
	part.Write(mxPNG())
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// enterprise registers an enterprise of the village whose account is the in-scope
// enterprise user, links the in-scope liaison cadre to it, and has the in-scope
// inspector scan in to it.
func (e *mxEnv) enterprise() {
	th := e.things
	th["uscc"] = e.mxUSCC()
	ent := e.must(e.admin, "POST", "/api/v1/enterprises", map[string]any{"uscc": th["uscc"], "name": "涟源市联兴矩阵农业有限公司",
		"address": "联兴村1组", "region": mxVillage, "industry": "agriculture", "size": "small", "account_id": e.who[in(domain.RoleEnterprise)].id},
		http.StatusCreated)
	th["enterprise"] = id(ent, "id")
	e.must(e.admin, "POST", "/api/v1/inspection-plans", map[string]any{"org": "LY-SJJ", "year": 2026, "kind": "食品安全检查",
		"region": mxVillage, "times": 2}, http.StatusCreated)
	e.must(e.admin, "POST", "/api/v1/linkages", map[string]any{"kind": "enterprise", "user_id": e.who[in(domain.RoleLiaison)].id,
		"target": th["uscc"], "from": "2026-01-01"}, http.StatusCreated)
	th["inspection"] = e.inspection()
}

// inspection has the in-scope inspector scan in to the enterprise: a new inspection.
func (e *mxEnv) inspection() string {
	code := e.must(e.admin, "GET", "/api/v1/enterprises/"+e.things["enterprise"]+"/code", nil, http.StatusOK)
	in := e.must(e.token(in(domain.RoleInspector)), "POST", "/api/v1/inspections/scan", e.scanBody(code["token"].(string)), http.StatusCreated)
	return id(in, "id")
}

// scanBody is a scan-in with the enterprise's code token.
func (e *mxEnv) scanBody(token string) map[string]any {
	return map[string]any{"token": token, "kind": "食品安全检查", "legal_basis": "《中华人民共和国食品安全法》第一百一十条", "items": []string{"进货查验记录"},
		"inspectors": []map[string]any{{"name": "许强", "certificate": "43138000101"}, {"name": "周建平", "certificate": "43138000102"}}}
}

// keyGroup takes a retired fisherman's household of the village from the demo's key
// group, makes the in-scope helper its helper, starts a monitoring round of the village
// (a visit for the helper), records the visit of another household with a risk found,
// and adds a photo to the open visit.
func (e *mxEnv) keyGroup() {
	th := e.things
	groups := e.must(e.admin, "GET", "/api/v1/groups", nil, http.StatusOK)["groups"].([]any)
	th["group"] = id(groups[0].(map[string]any), "id")
	subjects := e.must(e.admin, "GET", "/api/v1/subjects?limit=1000&group="+th["group"]+"&region="+mxVillage, nil, http.StatusOK)["subjects"].([]any)
	if len(subjects) < 2 {
		e.t.Fatalf("setting up: %d subjects in %s", len(subjects), mxVillage)
	}
	th["subject"] = id(subjects[0].(map[string]any), "id")
	th["subject2"] = id(subjects[1].(map[string]any), "id")
	for _, s := range subjects[2:] {
		e.spare = append(e.spare, id(s.(map[string]any), "id"))
	}
	helper := e.who[in(domain.RoleHelper)]
	for _, s := range []string{th["subject"], th["subject2"]} {
		e.must(e.admin, "POST", "/api/v1/subjects/"+s+"/helper", map[string]any{"user_id": helper.id, "from": "2026-03-01"}, http.StatusCreated)
	}
	th["round"] = e.round()
	th["visit"] = e.visit(th["round"], th["subject"])
	done := e.visit(th["round"], th["subject2"])
	e.must(helper.token, "POST", "/api/v1/visits/"+done, map[string]any{"day": "2026-03-01", "risks": []string{"illness"}, "note": "住院"}, http.StatusOK)
	risks := e.must(helper.token, "GET", "/api/v1/subjects/"+th["subject2"]+"/risks", nil, http.StatusOK)["risks"].([]any)
	th["risk"] = id(risks[0].(map[string]any), "id")
	status, got := e.do(mxCall{method: "POST", path: "/api/v1/visits/" + th["visit"] + "/photos", token: helper.token, contentType: "image/png", body: mxPNG()})
	var photo map[string]any
	if err := json.Unmarshal(got, &photo); status != http.StatusCreated || err != nil {
		e.t.Fatalf("setting up: visit photo: %d %s", status, got)
	}
	th["photo"] = id(photo, "id")
}

// round starts a monitoring round of the village: a visit to each household.
func (e *mxEnv) round() string {
	r := e.must(e.admin, "POST", "/api/v1/rounds", map[string]any{"group_id": json.Number(e.things["group"]), "name": fmt.Sprintf("矩阵轮次%d", e.num()),
		"region": mxVillage, "starts": "2026-03-01", "due": "2026-06-30"}, http.StatusCreated)
	return id(r, "id")
}

// visit finds the round's visit to a subject.
func (e *mxEnv) visit(round, subject string) string {
	visits := e.must(e.admin, "GET", "/api/v1/visits?round="+round+"&limit=500", nil, http.StatusOK)["visits"].([]any)
	for _, v := range visits {
		if v := v.(map[string]any); id(v, "subject") == subject {
			return id(v, "id")
		}
	}
	e.t.Fatalf("setting up: round %s has no visit to subject %s", round, subject)
	return ""
}

// patrolling plans the in-scope grid worker's patrols of the village, has them patrol
// once and report a hazard.
func (e *mxEnv) patrolling() {
	th := e.things
	checklists := e.must(e.admin, "GET", "/api/v1/checklists", nil, http.StatusOK)["checklists"].([]any)
	th["checklist"] = id(checklists[0].(map[string]any), "id")
	grid := e.who[in(domain.RoleGridWorker)]
	plan := e.must(e.token(in(domain.RoleDispatcher)), "POST", "/api/v1/patrol-plans", map[string]any{"name": "联兴村网格巡查", "kind": "grid",
		"user_id": grid.id, "region": mxVillage, "times": 1, "period": "day", "from": "2026-03-01", "to": "2026-03-31"}, http.StatusCreated)
	th["plan"] = id(plan["plan"].(map[string]any), "id")
	th["patrol"] = id(e.must(grid.token, "POST", "/api/v1/patrols", e.patrolBody(), http.StatusCreated), "id")
	th["hazard"] = e.hazard()
}

// patrolBody is a patrol of the village an hour ago.
func (e *mxEnv) patrolBody() map[string]any {
	return map[string]any{"region": mxVillage, "started_at": "2026-03-02T08:00:00+08:00", "ended_at": "2026-03-02T08:40:00+08:00"}
}

// hazard has the in-scope grid worker report a hazard in the village.
func (e *mxEnv) hazard() string {
	h := e.must(e.token(in(domain.RoleGridWorker)), "POST", "/api/v1/hazards", map[string]any{"matter": "AQ-001", "title": "联兴1组柴堆靠近电线",
		"region": mxBuilding}, http.StatusCreated)
	return id(h, "case_id")
}
