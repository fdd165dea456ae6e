package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/whistletest"
)

const (
	hGrid      = "431382001001001" // demo.grid's grid, in 民光社区 of 蓝田街道
	hStreet    = "431382001"       // 蓝田街道
	hCommunity = "431382001001"    // 民光社区
)

// TestDoneMeansWalk is the whole life of a case over HTTP: filed by the grid worker,
// accepted, dispatched, whistled to two more orgs, reported in, acknowledged, started,
// resolved, verified on site, visited and closed; its events tell the story in order,
// and the dispatcher of another street never sees it at any point.
func TestDoneMeansWalk(t *testing.T) {
	t.Parallel()
	h := hServer(t, 50)
	status, filed := h.hAs("demo.grid", "POST", "/api/v1/cases", map[string]any{
		"matter": "SR-001", "title": "民光社区垃圾堆积", "description": "小区门口暴露垃圾两天未清运",
		"region": hGrid, "address": "民光社区3栋门口", "channel": "grid_patrol", "kind": "request",
		"lat": 27.7015, "lon": 111.6515})
	if status != http.StatusCreated {
		t.Fatalf("file: %d %v", status, filed)
	}
	h.hWant("file", filed, `{"status":"reported","version":1,"matter":"SR-001","region":"431382001001001","channel":"grid_patrol","lead_org":""}`)
	if !strings.HasPrefix(hStr(filed, "number"), "20260302-") {
		t.Fatalf("number %q is not of the filing day 20260302", hStr(filed, "number"))
	}
	id := hNum(filed, "id")
	if id <= 0 {
		t.Fatalf("no id in %v", filed)
	}
	// the other street's dispatcher: nothing to see, nothing to do
	hOutsider(h, id, 1)

	done := h.hRun(id, []hStep{
		{"accept", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":1}`, 200, `{"status":"accepted","version":2}`},
		{"dispatch", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":2,"org":"LY-CGJ"}`, 200,
			`{"status":"dispatched","version":3,"lead_org":"LY-CGJ","ack_due":"2026-03-02T11:00:00+08:00","resolve_due":"2026-03-03T09:00:00+08:00"}`},
		{"whistle", "demo.dispatcher", "POST", "/api/v1/cases/{id}/whistle", `{"version":3,"orgs":["LY-YJJ","LY-HBJ"]}`, 200,
			`{"status":"dispatched","version":4,"summons":[{"org":"LY-YJJ","overdue":false},{"org":"LY-HBJ","overdue":false}]}`},
		{"officer2 sees it once summoned", "demo.officer2", "GET", "/api/v1/cases/{id}", nil, 200, `{"version":4,"actions":["report-in","comment"]}`},
		{"report-in", "demo.officer2", "POST", "/api/v1/cases/{id}/report-in", `{"version":4}`, 200, `{"status":"dispatched","version":5}`},
		{"acknowledge", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":5}`, 200, `{"status":"acknowledged","version":6}`},
		{"start", "demo.officer", "POST", "/api/v1/cases/{id}/start", `{"version":6}`, 200, `{"status":"in_progress","version":7}`},
		{"resolve", "demo.officer", "POST", "/api/v1/cases/{id}/resolve", `{"version":7,"result":"已组织环卫清运完毕"}`, 200,
			`{"status":"resolved","version":8,"result":"已组织环卫清运完毕"}`},
		{"verify", "demo.grid", "POST", "/api/v1/cases/{id}/verify", `{"version":8,"note":"现场已清理干净"}`, 200, `{"status":"verified","version":9}`},
		{"visit", "demo.dispatcher", "POST", "/api/v1/cases/{id}/visit", `{"version":9,"satisfaction":"satisfied"}`, 200,
			`{"status":"verified","version":10,"satisfaction":"satisfied"}`},
		{"close", "demo.dispatcher", "POST", "/api/v1/cases/{id}/close", `{"version":10}`, 200, `{"status":"closed","version":11}`},
	})
	if done["closed_at"] == nil || done["resolved_at"] == nil || done["acked_at"] == nil || done["dispatched_at"] == nil {
		t.Fatalf("closed case lacks its times: %v", done)
	}
	h.hRun(id, []hStep{
		{"nothing left to do", "demo.dispatcher", "POST", "/api/v1/cases/{id}/close", `{"version":11}`, 409, `{"error":{"code":"conflict"}}`},
		{"no reopening by the outsider", "demo.other", "POST", "/api/v1/cases/{id}/reopen", `{"version":11,"note":"x"}`, 404, `{"error":{"code":"not_found"}}`},
	})
	got := h.hCase("demo.dispatcher", id)
	var summonYJJ map[string]any
	for _, s := range got["summons"].([]any) {
		if s.(map[string]any)["org"] == "LY-YJJ" {
			summonYJJ = s.(map[string]any)
		}
	}
	if summonYJJ == nil || summonYJJ["reported_at"] == nil {
		t.Fatalf("LY-YJJ's report-in not recorded: %v", got["summons"])
	}
	name := func(login string) string { return h.users[login].Name }
	disp, off, grid := name("demo.dispatcher"), name("demo.officer"), name("demo.grid")
	want := [][4]string{
		{grid, "report", "", "reported"},
		{disp, "accept", "reported", "accepted"},
		{disp, "dispatch", "accepted", "dispatched"},
		{disp, "whistle", "dispatched", "dispatched"},
		{name("demo.officer2"), "report-in", "dispatched", "dispatched"},
		{off, "acknowledge", "dispatched", "acknowledged"},
		{off, "start", "acknowledged", "in_progress"},
		{off, "resolve", "in_progress", "resolved"},
		{grid, "verify", "resolved", "verified"},
		{disp, "visit", "verified", "verified"},
		{disp, "close", "verified", "closed"},
	}
	if ev := hEvents(got); !slices.Equal(ev, want) {
		t.Fatalf("events:\n got %q\nwant %q", ev, want)
	}
	for i, e := range got["events"].([]any) {
		if seq := hNum(e.(map[string]any), "seq"); seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, seq)
		}
	}
	hOutsider(h, id, 11)
	// the other street's list never shows it, however asked
	for _, q := range []string{"", "q=" + hStr(filed, "number"), "region=" + hGrid, "status=closed", "org=LY-CGJ"} {
		for _, c := range h.hWalk("demo.other", q, 200) {
			if hNum(c, "id") == id {
				t.Fatalf("demo.other lists case %d under %q", id, q)
			}
		}
	}
	// the rest of the street sees it: leader and county yes, an uninvolved officer no
	h.hCase("demo.leader", id)
	h.hCase("demo.county", id)
	if status, _ := h.hAs("officer.LY-ZJJ", "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil); status != 404 {
		t.Fatalf("uninvolved officer GET: %d, want 404", status)
	}
}

// hOutsider checks that demo.other (dispatcher of another street) gets 404 for the case
// on GET and on every action, even with the right version, and that nothing changed.
func hOutsider(h *hEnv, id int64, version int64) {
	h.t.Helper()
	if status, body := h.hAs("demo.other", "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil); status != 404 || hErrCode(body) != "not_found" {
		h.t.Fatalf("demo.other GET case %d: %d %v, want 404", id, status, body)
	}
	fields := map[domain.Action]string{
		domain.ActReject: `,"reason":"x"`, domain.ActDispatch: `,"org":"LY-CGJ"`, domain.ActWhistle: `,"orgs":["LY-YJJ"]`,
		domain.ActResolve: `,"result":"x"`, domain.ActVisit: `,"satisfaction":"satisfied"`, domain.ActSuspend: `,"reason":"x"`,
		domain.ActComment: `,"note":"x"`, domain.ActReopen: `,"note":"x"`, domain.ActReturn: `,"reason":"x"`,
		domain.ActExtend: `,"working_days":2,"reason":"x"`, domain.ActMerge: `,"into":1`,
	}
	for _, a := range domain.CaseActions {
		body := fmt.Sprintf(`{"version":%d%s}`, version, fields[a])
		status, got := h.hAs("demo.other", "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, a), body)
		if status != 404 || hErrCode(got) != "not_found" {
			h.t.Fatalf("demo.other %s case %d: %d %v, want 404", a, id, status, got)
		}
		hCheckError(h.t, string(a), got)
	}
	if c := h.hCase("demo.dispatcher", id); hNum(c, "version") != version {
		h.t.Fatalf("case %d changed by refused actions: version %d, want %d", id, hNum(c, "version"), version)
	}
}

// TestCaseErrors: every refusal has its status and code, and leaves the case as it was.
func TestCaseErrors(t *testing.T) {
	t.Parallel()
	h := hServer(t, 20)
	id := h.hFile("demo.citizen", hGrid, "SR-001", "13811111111")
	big := `{"version":1,"note":"` + strings.Repeat("x", 1<<20+10) + `"}`
	steps := []hStep{
		{"stale version", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":7}`, 409, `{"error":{"code":"stale_version"}}`},
		{"version zero is stale", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{}`, 409, `{"error":{"code":"stale_version"}}`},
		{"unchanged after stale", "demo.dispatcher", "GET", "/api/v1/cases/{id}", nil, 200, `{"version":1,"status":"reported"}`},
		{"wrong state: close a reported case", "demo.dispatcher", "POST", "/api/v1/cases/{id}/close", `{"version":1}`, 409, `{"error":{"code":"conflict"}}`},
		{"wrong state: acknowledge before dispatch (dispatcher)", "demo.dispatcher", "POST", "/api/v1/cases/{id}/resume", `{"version":1}`, 409, `{"error":{"code":"conflict"}}`},
		{"citizen dispatches own case", "demo.citizen", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1,"org":"LY-CGJ"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"citizen accepts own case", "demo.citizen", "POST", "/api/v1/cases/{id}/accept", `{"version":1}`, 403, `{"error":{"code":"forbidden"}}`},
		{"leader may not accept", "demo.leader", "POST", "/api/v1/cases/{id}/accept", `{"version":1}`, 403, `{"error":{"code":"forbidden"}}`},
		{"grid worker may not dispatch", "demo.grid", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1}`, 403, `{"error":{"code":"forbidden"}}`},
		{"uninvolved officer cannot see it", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":1}`, 404, `{"error":{"code":"not_found"}}`},
		{"reject needs a reason", "demo.dispatcher", "POST", "/api/v1/cases/{id}/reject", `{"version":1}`, 400, `{"error":{"code":"invalid"}}`},
		{"dispatch to an unknown org", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1,"org":"NO-SUCH-ORG"}`, 400, `{"error":{"code":"invalid"}}`},
		{"dispatch with an unknown co-org", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1,"org":"LY-CGJ","co_orgs":["NOPE"]}`, 400, `{"error":{"code":"invalid"}}`},
		{"merge into itself", "demo.dispatcher", "POST", "/api/v1/cases/{id}/merge", `{"version":1,"into":{id}}`, 400, `{"error":{"code":"invalid"}}`},
		{"merge into nothing", "demo.dispatcher", "POST", "/api/v1/cases/{id}/merge", `{"version":1,"into":987654321}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad JSON", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":1`, 400, `{"error":{"code":"invalid"}}`},
		{"not JSON", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `version=1`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown field", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":1,"force":true}`, 400, `{"error":{"code":"invalid"}}`},
		{"empty body", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", ``, 400, `{"error":{"code":"invalid"}}`},
		{"two objects", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":1}{"version":1}`, 400, `{"error":{"code":"invalid"}}`},
		{"oversize body", "demo.dispatcher", "POST", "/api/v1/cases/{id}/comment", big, 413, `{"error":{"code":"too_large"}}`},
		{"version as a string", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":"1"}`, 400, `{"error":{"code":"invalid"}}`},
		{"org as a number", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1,"org":5}`, 400, `{"error":{"code":"invalid"}}`},
		{"orgs as a string", "demo.dispatcher", "POST", "/api/v1/cases/{id}/whistle", `{"version":1,"orgs":"LY-YJJ"}`, 400, `{"error":{"code":"invalid"}}`},
		{"version too big", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":1e400}`, 400, `{"error":{"code":"invalid"}}`},
		{"until not a time", "demo.dispatcher", "POST", "/api/v1/cases/{id}/extend", `{"version":1,"until":"next week"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown action", "demo.dispatcher", "POST", "/api/v1/cases/{id}/fly", `{"version":1}`, 404, `{"error":{"code":"not_found"}}`},
		{"sweeper's action is not the API's", "demo.dispatcher", "POST", "/api/v1/cases/{id}/escalate", `{"version":1}`, 404, `{"error":{"code":"not_found"}}`},
		{"intake is not an action", "demo.dispatcher", "POST", "/api/v1/cases/{id}/report", `{"version":1}`, 404, `{"error":{"code":"not_found"}}`},
		{"non-numeric id", "demo.dispatcher", "GET", "/api/v1/cases/abc", nil, 404, `{"error":{"code":"not_found"}}`},
		{"non-numeric id, action", "demo.dispatcher", "POST", "/api/v1/cases/abc/accept", `{"version":1}`, 404, `{"error":{"code":"not_found"}}`},
		{"zero id", "demo.dispatcher", "GET", "/api/v1/cases/0", nil, 404, `{"error":{"code":"not_found"}}`},
		{"negative id", "demo.dispatcher", "GET", "/api/v1/cases/-3", nil, 404, `{"error":{"code":"not_found"}}`},
		{"absent id", "demo.dispatcher", "GET", "/api/v1/cases/987654321", nil, 404, `{"error":{"code":"not_found"}}`},
		{"absent id, action", "demo.dispatcher", "POST", "/api/v1/cases/987654321/accept", `{"version":1}`, 404, `{"error":{"code":"not_found"}}`},
		{"no token", "", "GET", "/api/v1/cases/{id}", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"no token, action", "", "POST", "/api/v1/cases/{id}/accept", `{"version":1}`, 401, `{"error":{"code":"unauthorized"}}`},
		{"bad token", "!garbage", "POST", "/api/v1/cases/{id}/accept", `{"version":1}`, 401, `{"error":{"code":"unauthorized"}}`},
		{"still untouched", "demo.dispatcher", "GET", "/api/v1/cases/{id}", nil, 200, `{"version":1,"status":"reported","lead_org":""}`},
		// now dispatched and whistled: an involved officer who is not the lead may not acknowledge
		{"dispatch", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1,"org":"LY-CGJ"}`, 200, `{"version":2,"status":"dispatched"}`},
		{"whistle an unknown org", "demo.dispatcher", "POST", "/api/v1/cases/{id}/whistle", `{"version":2,"orgs":["LY-YJJ","NOPE"]}`, 400, `{"error":{"code":"invalid"}}`},
		{"whistle nobody", "demo.dispatcher", "POST", "/api/v1/cases/{id}/whistle", `{"version":2,"orgs":[]}`, 400, `{"error":{"code":"invalid"}}`},
		{"whistle", "demo.dispatcher", "POST", "/api/v1/cases/{id}/whistle", `{"version":2,"orgs":["LY-YJJ"]}`, 200, `{"version":3}`},
		{"whistle the same org again", "demo.dispatcher", "POST", "/api/v1/cases/{id}/whistle", `{"version":3,"orgs":["LY-YJJ"]}`, 409, `{"error":{"code":"conflict"}}`},
		{"summoned officer acknowledges", "demo.officer2", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":3}`, 403, `{"error":{"code":"forbidden"}}`},
		{"summoned officer resolves", "demo.officer2", "POST", "/api/v1/cases/{id}/resolve", `{"version":3,"result":"x"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"uninvolved officer acknowledges", "officer.LY-ZJJ", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":3}`, 404, `{"error":{"code":"not_found"}}`},
		{"lead officer, stale", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":2}`, 409, `{"error":{"code":"stale_version"}}`},
		{"lead officer starts before acknowledging", "demo.officer", "POST", "/api/v1/cases/{id}/start", `{"version":3}`, 409, `{"error":{"code":"conflict"}}`},
		{"return without a reason", "demo.officer", "POST", "/api/v1/cases/{id}/return", `{"version":3}`, 400, `{"error":{"code":"invalid"}}`},
		{"extend with days and until", "demo.dispatcher", "POST", "/api/v1/cases/{id}/extend", `{"version":3,"working_days":2,"until":"2026-04-01T00:00:00+08:00"}`, 400, `{"error":{"code":"invalid"}}`},
		{"citizen verifies an unresolved case", "demo.citizen", "POST", "/api/v1/cases/{id}/verify", `{"version":3}`, 409, `{"error":{"code":"conflict"}}`},
		{"still at version 3", "demo.dispatcher", "GET", "/api/v1/cases/{id}", nil, 200, `{"version":3,"status":"dispatched","lead_org":"LY-CGJ"}`},
		{"lead officer acknowledges", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":3}`, 200, `{"version":4,"status":"acknowledged"}`},
		{"resolve without a result", "demo.officer", "POST", "/api/v1/cases/{id}/resolve", `{"version":4,"result":"  "}`, 400, `{"error":{"code":"invalid"}}`},
		{"acknowledge twice", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":4}`, 409, `{"error":{"code":"conflict"}}`},
	}
	h.hRun(id, steps)
	// the events hold only the successful actions
	got := h.hCase("demo.dispatcher", id)
	var actions []string
	for _, e := range hEvents(got) {
		actions = append(actions, e[1])
	}
	if want := []string{"report", "dispatch", "whistle", "acknowledge"}; !slices.Equal(actions, want) {
		t.Fatalf("events %v, want %v", actions, want)
	}
}

// TestFileErrors: a new case with bad fields or unknown codes is refused with 400 and
// nothing is filed.
func TestFileErrors(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	ok := `{"matter":"SR-001","title":"t","region":"431382001001001"}`
	steps := []hStep{
		{"unknown matter", "demo.grid", "POST", "/api/v1/cases", `{"matter":"XX-999","title":"t","region":"431382001001001"}`, 400, `{"error":{"code":"invalid"}}`},
		{"no matter", "demo.grid", "POST", "/api/v1/cases", `{"title":"t","region":"431382001001001"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown region", "demo.citizen", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001999"}`, 400, `{"error":{"code":"invalid"}}`},
		{"region not a code", "demo.citizen", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"蓝田"}`, 400, `{"error":{"code":"invalid"}}`},
		{"no region", "demo.citizen", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t"}`, 400, `{"error":{"code":"invalid"}}`},
		{"no title", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"  ","region":"431382001001001"}`, 400, `{"error":{"code":"invalid"}}`},
		{"title too long", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"` + strings.Repeat("长", 201) + `","region":"431382001001001"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown channel", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","channel":"pigeon"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown kind", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","kind":"rumour"}`, 400, `{"error":{"code":"invalid"}}`},
		{"lat without lon", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","lat":27.7}`, 400, `{"error":{"code":"invalid"}}`},
		{"lat out of range", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","lat":97,"lon":111}`, 400, `{"error":{"code":"invalid"}}`},
		{"lat as a string", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","lat":"27.7","lon":111}`, 400, `{"error":{"code":"invalid"}}`},
		{"reporter as a string", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","reporter":"me"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown field", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","status":"closed"}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad JSON", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001",`, 400, `{"error":{"code":"invalid"}}`},
		{"empty body", "demo.grid", "POST", "/api/v1/cases", ``, 400, `{"error":{"code":"invalid"}}`},
		{"array body", "demo.grid", "POST", "/api/v1/cases", `[` + ok + `]`, 400, `{"error":{"code":"invalid"}}`},
		{"oversize body", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001001001","description":"` + strings.Repeat("y", 1<<20) + `"}`, 413, `{"error":{"code":"too_large"}}`},
		{"grid worker outside their grid", "demo.grid", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"t","region":"431382001002"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"dispatcher in another street", "demo.other", "POST", "/api/v1/cases", ok, 403, `{"error":{"code":"forbidden"}}`},
		{"no token", "", "POST", "/api/v1/cases", ok, 401, `{"error":{"code":"unauthorized"}}`},
		{"nothing was filed", "demo.dispatcher", "GET", "/api/v1/cases", nil, 200, `{"cases":[],"next_cursor":null}`},
		{"a good one is", "demo.grid", "POST", "/api/v1/cases", ok, 201, `{"status":"reported","version":1,"channel":"online","kind":"request"}`},
	}
	h.hRun(0, steps)
	if n := len(h.hWalk("demo.dispatcher", "", 50)); n != 1 {
		t.Fatalf("%d cases filed, want 1", n)
	}
}

// TestNever500: junk in every place a client can put it gets a 4xx, never a 500.
func TestNever500(t *testing.T) {
	t.Parallel()
	h := hServer(t, 10)
	id := h.hFile("demo.grid", hGrid, "SR-001", "")
	c := fmt.Sprintf("/api/v1/cases/%d", id)
	var js junks
	js.cases(c)
	js.catalog()
	js.admin(c)

	for _, j := range js {
		status, raw, _ := h.hRaw(j.method, j.url, h.hTok(j.as), j.body)
		if status >= 500 {
			b := fmt.Sprint(j.body)
			t.Errorf("%s %s as %s with %.120q: %d %.300s", j.method, j.url, j.as, b, status, raw)
		}
	}
	t.Logf("%d junk requests", len(js))
	// and after all that junk the case is still the same case
	h.hRun(id, []hStep{{"case survives junk", "demo.dispatcher", "GET", "/api/v1/cases/{id}", nil, 200, ""}})
}

// junk is a malformed request; junks are the ones TestNever500 sends.
type junk struct {
	as, method, url string
	body            any
}

type junks []junk

// add queues a request as a login to url with each of bodies (none: no body).
func (js *junks) add(as, method, url string, bodies ...any) {
	if len(bodies) == 0 {
		bodies = []any{nil}
	}
	for _, b := range bodies {
		*js = append(*js, junk{as, method, url, b})
	}
}

// cases queues junk for the case routes, c being a case's path.
func (js *junks) cases(c string) {
	badBodies := []any{``, `null`, `[]`, `"x"`, `42`, `{`, `{"version":-1}`, `{"version":1e400}`, `{"version":1.5}`,
		`{"version":1,"into":-5}`, `{"version":1,"into":99999999999999999999}`, `{"version":1,"hours":-3}`, `{"version":1,"hours":1e12}`,
		`{"version":1,"working_days":-1}`, `{"version":1,"working_days":100000}`, `{"version":1,"until":"2026-02-30T00:00:00Z"}`,
		`{"version":1,"until":"0001-01-01T00:00:00Z"}`, `{"version":1,"until":"9999-12-31T23:59:59Z"}`,
		`{"version":1,"satisfaction":"ecstatic"}`, `{"version":1,"org":"` + strings.Repeat("O", 5000) + `"}`,
		`{"version":1,"orgs":["","",""]}`, `{"version":1,"co_orgs":[null]}`, `{"version":1,"note":"\u0000\ud800"}`,
		"{\"version\":1,\"note\":\"\xff\xfe\"}", `{"version":1,"reason":"` + strings.Repeat("理由", 3000) + `"}`,
		`{"version":1,"result":"` + strings.Repeat("r", 20000) + `"}`, `{"version":1}`}
	for _, a := range append(domain.CaseActions, "fly", "", "%2e%2e", "accept/x") {
		for _, who := range []string{"demo.dispatcher", "demo.officer", "demo.citizen"} {
			js.add(who, "POST", c+"/"+string(a), badBodies...)
		}
	}
	for _, p := range []string{"0", "-1", "1.5", "1e3", "99999999999999999999", "%00", "abc", "%27%20OR%201=1"} {
		js.add("demo.dispatcher", "GET", "/api/v1/cases/"+p)
		js.add("demo.dispatcher", "POST", "/api/v1/cases/"+p+"/accept", `{"version":1}`)
	}
	for _, q := range []string{"status=bogus", "status=,,,", "status=closed,bogus", "limit=0", "limit=-1", "limit=abc", "limit=201",
		"limit=99999999999999999999", "cursor=abc", "cursor=-5", "cursor=0", "cursor=99999999999999999999", "from=2026-13-45",
		"from=yesterday", "to=2026-02-30", "from=2026-03-02&to=2025-01-01", "to=9999-12-31", "from=0001-01-01",
		"overdue=maybe", "overdue=", "q=%25", "q=_", "q=%5C", "q=%27%20OR%201%3D1%20--", "q=" + strings.Repeat("q", 3000),
		"region=%27", "region=" + strings.Repeat("4", 500), "org=%00", "matter=%27", "channel=%22", "kind=%5C",
		"from=2026-03-02T25:00:00Z", "from=2026-03-02T09:00:00%2B08:00"} {
		for _, who := range []string{"demo.dispatcher", "demo.citizen", "demo.officer", "demo.admin"} {
			js.add(who, "GET", "/api/v1/cases?"+q)
		}
	}
	newCase := []any{`{"matter":"SR-001","title":"t","region":"431382001001001","lat":null,"lon":111}`,
		`{"matter":"SR-001","title":"\u0000","region":"431382001001001"}`, "{\"matter\":\"SR-001\",\"title\":\"\xff\",\"region\":\"431382001001001\"}",
		`{"matter":"SR-001","title":"t","region":"` + strings.Repeat("4", 300) + `"}`, `{"matter":"` + strings.Repeat("M", 500) + `","title":"t","region":"431382001"}`,
		`{"matter":"SR-001","title":"t","region":"431382001","reporter":{"user_id":-1}}`, `{"matter":"SR-001","title":"t","region":"431382001","reporter":{"user_id":99999}}`,
		`{"matter":"SR-001","title":"t","region":"431382001","reporter":{"phone":"` + strings.Repeat("1", 100) + `"}}`,
		`{"matter":"SR-001","title":"t","region":"431382001","lat":1e400,"lon":0}`, `{"matter":null,"title":null,"region":null}`}
	for _, who := range []string{"demo.grid", "demo.citizen", "demo.dispatcher", "demo.leader", "demo.admin", "demo.officer"} {
		js.add(who, "POST", "/api/v1/cases", newCase...)
	}
	for _, q := range []string{"", "by=bogus", "by=region", "by=org", "by=matter", "by=channel", "region=43", "region=abc",
		"region=431382001001001001&by=region", "region=431382001001001&by=region", "from=bad", "to=2026-02-30",
		"from=2026-03-02&to=2025-03-02", "from=0001-01-01&to=9999-12-31", "region=" + strings.Repeat("4", 400), "region=%00"} {
		for _, who := range []string{"demo.dispatcher", "demo.leader", "demo.admin", "demo.citizen", "demo.other", "demo.county"} {
			js.add(who, "GET", "/api/v1/stats/cases?"+q)
		}
	}
}

// catalog queues junk for the catalogue routes and notifications.
func (js *junks) catalog() {
	for _, q := range []string{"", "lat=NaN&lon=NaN", "lat=nan&lon=111", "lat=Inf&lon=0", "lat=-Inf&lon=0", "lat=abc&lon=1", "lat=1e999&lon=1",
		"lat=27.7", "lat=0x1p-2&lon=0", "lat=27.70&lon=111.65", "lat=-90&lon=-180", "lat=90&lon=180"} {
		js.add("demo.grid", "GET", "/api/v1/locate?"+q)
	}
	for _, p := range []string{"/api/v1/regions/zzz", "/api/v1/regions/%00", "/api/v1/regions?parent=%27", "/api/v1/regions?parent=" + strings.Repeat("9", 300),
		"/api/v1/regions/" + strings.Repeat("4", 300), "/api/v1/matters/%27", "/api/v1/matters/" + strings.Repeat("M", 300),
		"/api/v1/calendar/abc", "/api/v1/calendar/1999", "/api/v1/calendar/99999999999999999999", "/api/v1/calendar/-1",
		"/api/v1/notifications?unread=maybe", "/api/v1/linkages?kind=%27&target=%00", "/api/v1/users/abc", "/api/v1/users/-1",
		"/api/v1/users/99999999999999999999", "/api/v1/nope", "/api/v1/", "/api/", "/api/v1/cases/1/2/3"} {
		js.add("demo.admin", "GET", p)
		js.add("demo.citizen", "GET", p)
	}
	js.add("demo.dispatcher", "POST", "/api/v1/notifications/read", ``, `{}`, `{"up_to":0}`, `{"up_to":-1}`, `{"up_to":"x"}`, `{"up_to":1e30}`, `[1]`)
	js.add("demo.admin", "PUT", "/api/v1/calendar/2026", ``, `{}`, `{"year":2027}`, `{"days":null}`, `{"days":[{"date":"2026-02-30","kind":"holiday"}]}`,
		`{"days":[{"date":"2027-01-01","kind":"holiday"}]}`, `{"days":[{"date":"2026-05-01","kind":"fiesta"}]}`,
		`{"days":[{"date":"2026-05-01","kind":"holiday"},{"date":"2026-05-01","kind":"holiday"}]}`,
		`{"office_hours":"25:00-26:00"}`, `{"office_hours":"12:00-08:00"}`, `{"office_hours":"x"}`, `{"office_hours":"08:00-12:00junk"}`)
	js.add("demo.admin", "PUT", "/api/v1/calendar/abc", `{}`)
	for _, code := range []string{"abc", "4313820010010991", "431382001999001", "99", strings.Repeat("1", 300)} {
		js.add("demo.admin", "PUT", "/api/v1/regions/"+code, `{"name":"x"}`)
	}
	js.add("demo.admin", "PUT", "/api/v1/regions/431382001001098", ``, `{}`, `{"name":""}`, `{"name":"g","polygon":"garbage"}`,
		`{"name":"g","polygon":"{\"type\":\"Polygon\",\"coordinates\":[]}"}`, `{"name":"g","polygon":"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1]]]}"}`,
		`{"name":"g","polygon":"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,5]]]}"}`,
		`{"name":"g","polygon":"{\"type\":\"Point\",\"coordinates\":[0,0]}"}`, `{"name":"g","polygon":"{\"type\":\"MultiPolygon\",\"coordinates\":[[]]}"}`,
		`{"name":"g","polygon":"{\"type\":\"Polygon\",\"coordinates\":[[[500,0],[1,0],[1,1],[500,0]]]}"}`, `{"name":"g","lat":1e400}`)
	js.add("demo.admin", "PUT", "/api/v1/orgs/X", ``, `{}`, `{"name":""}`, `{"name":"x","region":"nowhere"}`, `{"name":5}`)
	js.add("demo.admin", "PUT", "/api/v1/orgs/"+strings.Repeat("O", 100), `{"name":"x"}`)
	js.add("demo.admin", "PUT", "/api/v1/matters/ZZ-1", ``, `{}`, `{"name":"x","class":"c","category":"event","lead_org":"NOPE","ack_deadline":{"n":1,"unit":"hour"},"resolve_deadline":{"n":1,"unit":"day"},"priority":2}`,
		`{"name":"x","class":"c","category":"event","lead_org":"LY-CGJ","ack_deadline":{"n":-1,"unit":"hour"},"resolve_deadline":{"n":1,"unit":"day"},"priority":2}`,
		`{"name":"x","class":"c","category":"event","lead_org":"LY-CGJ","ack_deadline":{"n":1,"unit":"week"},"resolve_deadline":{"n":1,"unit":"day"},"priority":9}`,
		`{"name":"x","class":"c","category":"event","lead_org":"LY-CGJ","ack_deadline":{"n":1,"unit":"hour"},"resolve_deadline":{"n":1,"unit":"day"},"priority":2,"routes":[{"region":"431382001","org":"NOPE"}]}`)
	js.add("demo.admin", "POST", "/api/v1/matters.csv", ``, "\xff\xfe\x00junk", "code\n", "a,b\n\"unterminated", strings.Repeat("x,", 100000))
}

// admin queues junk for users, linkages, tokens and unknown methods, c being a case's path.
func (js *junks) admin(c string) {
	js.add("demo.admin", "POST", "/api/v1/users", ``, `{}`, `{"login":"a b","password":"longenough","grants":[{"role":"citizen"}]}`,
		`{"login":"x1","password":"short","grants":[{"role":"citizen"}]}`, `{"login":"x2","password":"longenough","grants":[]}`,
		`{"login":"x3","password":"longenough","grants":[{"role":"king"}]}`, `{"login":"x4","password":"longenough","grants":[{"role":"dispatcher"}]}`,
		`{"login":"x5","password":"longenough","grants":[{"role":"officer"}]}`, `{"login":"x6","password":"longenough","grants":[{"role":"dispatcher","region":"abc"}]}`,
		`{"login":"x7","password":"longenough","grants":[{"role":"dispatcher","region":"431382001999"}]}`, `{"login":"x8","password":"longenough","grants":[{"role":"officer","org":"NOPE"}]}`,
		`{"login":"`+strings.Repeat("l", 100)+`","password":"longenough","grants":[{"role":"citizen"}]}`, `{"login":"x9","password":"`+strings.Repeat("p", 300)+`","grants":[{"role":"citizen"}]}`,
		`{"login":"x10","password":"longenough","grants":[null]}`, `{"login":"x11","password":"longenough","grants":"all"}`)
	js.add("demo.admin", "PUT", "/api/v1/users/abc", `{"name":"x","grants":[{"role":"citizen"}]}`)
	js.add("demo.admin", "PUT", "/api/v1/users/99999999", `{"name":"x","grants":[{"role":"citizen"}]}`)
	js.add("demo.admin", "PUT", "/api/v1/users/-1", `{"name":"x","grants":[{"role":"citizen"}]}`)
	js.add("demo.admin", "POST", "/api/v1/linkages", ``, `{}`, `{"kind":"x","org":"LY-CGJ","target":"t","from":"2026-01-01"}`,
		`{"kind":"community","org":"LY-CGJ","target":"nowhere","from":"2026-01-01"}`, `{"kind":"community","user_id":99999,"target":"431382001001","from":"2026-01-01"}`,
		`{"kind":"community","user_id":-1,"target":"431382001001","from":"2026-01-01"}`, `{"kind":"enterprise","org":"LY-CGJ","target":"E","from":"2026-02-30"}`,
		`{"kind":"enterprise","org":"LY-CGJ","target":"E","from":"2026-03-01","to":"2026-01-01"}`, `{"kind":"enterprise","org":"NOPE","target":"E","from":"2026-03-01"}`)
	js.add("demo.admin", "PUT", "/api/v1/linkages/abc", `{}`)
	js.add("demo.admin", "PUT", "/api/v1/linkages/99999", `{"kind":"enterprise","org":"LY-CGJ","target":"E","from":"2026-03-01"}`)
	js.add("demo.admin", "PUT", "/api/v1/linkages/0", `{"kind":"enterprise","org":"LY-CGJ","target":"E","from":"2026-03-01"}`)
	js.add("demo.admin", "POST", "/api/v1/auth/token", ``, `{}`, `{"login":1}`, `{"login":"`+strings.Repeat("a", 100)+`","password":"x"}`,
		`{"login":"demo.admin","password":"`+strings.Repeat("p", 1000)+`"}`, `{"login":"%","password":"x"}`)
	for _, m := range []string{"DELETE", "PATCH", "PUT"} {
		js.add("demo.admin", m, "/api/v1/cases", `{}`)
		js.add("demo.admin", m, c, `{}`)
	}
	js.add("", "GET", "/api/v1/cases")
	js.add("!"+strings.Repeat("t", 5000), "GET", "/api/v1/cases")
	js.add("! ", "GET", "/api/v1/me")
}

// TestCaseLists: every filter of GET /cases selects exactly the cases it names, pages
// walk without gaps or repeats, and each role sees only its scope.
func TestCaseLists(t *testing.T) {
	t.Parallel()
	const n = 300
	h := hServer(t, n)
	all := h.hWalk("demo.dispatcher", "", 50)
	if len(all) != n {
		t.Fatalf("dispatcher sees %d cases, want the %d of the demo history", len(all), n)
	}
	if big := h.hWalk("demo.dispatcher", "", 200); !slices.Equal(hIDs(big), hIDs(all)) {
		t.Fatalf("limit=200 walk differs from limit=50 walk")
	}
	status, first := h.hAs("demo.dispatcher", "GET", "/api/v1/cases", nil)
	if status != 200 || len(first["cases"].([]any)) != 50 || first["next_cursor"] == nil {
		t.Fatalf("default page: %d, %d cases, next %v", status, len(first["cases"].([]any)), first["next_cursor"])
	}

	// pick filter values that occur in the history
	sample := all[len(all)/3]
	number, title := hStr(sample, "number"), hStr(sample, "title")
	day := func(c map[string]any) string {
		ts, err := time.Parse(time.RFC3339, hStr(c, "created_at"))
		if err != nil {
			t.Fatalf("created_at %q: %v", hStr(c, "created_at"), err)
		}
		return ts.In(domain.China).Format("2006-01-02")
	}
	summoned := ""
	for _, c := range all {
		if s := c["summons"].([]any); len(s) > 0 && summoned == "" {
			summoned = hStr(s[0].(map[string]any), "org")
		}
	}
	filters := []struct {
		q    string
		keep func(c map[string]any) bool
	}{
		{"status=closed", func(c map[string]any) bool { return c["status"] == "closed" }},
		{"status=resolved,verified", func(c map[string]any) bool { return c["status"] == "resolved" || c["status"] == "verified" }},
		{"status=dispatched,acknowledged,in_progress", func(c map[string]any) bool {
			return slices.Contains([]any{"dispatched", "acknowledged", "in_progress"}, c["status"])
		}},
		{"region=" + hCommunity, func(c map[string]any) bool { return strings.HasPrefix(hStr(c, "region"), hCommunity) }},
		{"region=431382001205", func(c map[string]any) bool { return strings.HasPrefix(hStr(c, "region"), "431382001205") }},
		{"org=LY-CGJ", func(c map[string]any) bool { return hInvolves(c, "LY-CGJ") }},
		{"org=" + summoned, func(c map[string]any) bool { return hInvolves(c, summoned) }},
		{"matter=" + hStr(sample, "matter"), func(c map[string]any) bool { return c["matter"] == sample["matter"] }},
		{"channel=hotline", func(c map[string]any) bool { return c["channel"] == "hotline" }},
		{"channel=grid_patrol", func(c map[string]any) bool { return c["channel"] == "grid_patrol" }},
		{"kind=hazard", func(c map[string]any) bool { return c["kind"] == "hazard" }},
		{"kind=complaint", func(c map[string]any) bool { return c["kind"] == "complaint" }},
		{"overdue=true", hOverdue},
		{"overdue=false", func(c map[string]any) bool { return !hOverdue(c) }},
		{"q=" + number, func(c map[string]any) bool { return c["number"] == number }},
		{"q=" + title, func(c map[string]any) bool {
			return strings.Contains(hStr(c, "title"), title) || strings.Contains(hStr(c, "description"), title) || strings.Contains(hStr(c, "address"), title)
		}},
		{"from=2025-09-01&to=2025-12-31", func(c map[string]any) bool { return day(c) >= "2025-09-01" && day(c) <= "2025-12-31" }},
		{"from=2026-01-01", func(c map[string]any) bool { return day(c) >= "2026-01-01" }},
		{"to=2025-06-30", func(c map[string]any) bool { return day(c) <= "2025-06-30" }},
		{"from=2025-09&to=2025-12", func(c map[string]any) bool { return day(c) >= "2025-09-01" && day(c) <= "2025-12-31" }}, // whole months
		{"status=closed&org=LY-CGJ&from=2025-06-01", func(c map[string]any) bool {
			return c["status"] == "closed" && hInvolves(c, "LY-CGJ") && day(c) >= "2025-06-01"
		}},
		{"q=%25", func(c map[string]any) bool { return false }}, // % is a literal, not a wildcard
		// the rollup's own questions: its total is read from the rollup
		{"region=" + hStreet + "&from=2025-09&to=2025-12&status=closed", func(c map[string]any) bool {
			return c["status"] == "closed" && day(c) >= "2025-09-01" && day(c) <= "2025-12-31"
		}},
		{"region=" + hStreet + "&kind=hazard", func(c map[string]any) bool { return c["kind"] == "hazard" }},
	}
	for _, f := range filters {
		var want []int64
		for _, c := range all {
			if f.keep(c) {
				want = append(want, hNum(c, "id"))
			}
		}
		got := hIDs(h.hWalk("demo.dispatcher", f.q, 50))
		if !slices.Equal(got, want) {
			t.Errorf("filter %s: %d cases, want %d", f.q, len(got), len(want))
		}
		// the first page says how many the walk finds, exactly
		if status, page := h.hAs("demo.dispatcher", "GET", "/api/v1/cases?"+f.q, nil); status != 200 || page["total"] != float64(len(want)) || page["total_exact"] != true {
			t.Errorf("filter %s: total %v (exact %v), the walk finds %d", f.q, page["total"], page["total_exact"], len(want))
		}
		if len(want) == 0 && f.q != "q=%25" {
			t.Errorf("filter %s selects nothing in the demo history; pick another value", f.q)
		}
	}
	if got := h.hWalk("demo.dispatcher", "q="+number, 50); len(got) != 1 {
		t.Errorf("q=number finds %d cases", len(got))
	}
	for _, q := range []string{"status=bogus", "overdue=maybe", "limit=0", "limit=201", "cursor=abc", "from=2025-02-30", "to=tomorrow", "from=2025-13"} {
		if status, body := h.hAs("demo.dispatcher", "GET", "/api/v1/cases?"+q, nil); status != 400 || hErrCode(body) != "invalid" {
			t.Errorf("GET /cases?%s: %d %v, want 400", q, status, body)
		}
	}
	hCheckScopes(t, h, all)
}

// hInvolves tells whether org leads, co-handles or was summoned to case c.
func hInvolves(c map[string]any, org string) bool {
	if hStr(c, "lead_org") == org {
		return true
	}
	for _, o := range c["co_orgs"].([]any) {
		if o == org {
			return true
		}
	}
	for _, s := range c["summons"].([]any) {
		if s.(map[string]any)["org"] == org {
			return true
		}
	}
	return false
}

// hOverdue tells whether case c missed any deadline.
func hOverdue(c map[string]any) bool {
	if c["overdue_ack"] == true || c["overdue_resolve"] == true {
		return true
	}
	for _, s := range c["summons"].([]any) {
		if s.(map[string]any)["overdue"] == true {
			return true
		}
	}
	return false
}

// hCheckScopes checks that each role's list shows exactly its part of all, the
// dispatcher's street, and personal data masked as the role requires.
func hCheckScopes(t *testing.T, h *hEnv, all []map[string]any) {
	citizen, grid := h.users["demo.citizen"].ID, h.users["demo.grid"].ID
	reporter := func(c map[string]any) int64 { return hNum(c["reporter"].(map[string]any), "user_id") }
	scopes := []struct {
		login string
		keep  func(c map[string]any) bool
	}{
		{"demo.officer", func(c map[string]any) bool { return hInvolves(c, "LY-CGJ") }},
		{"demo.officer2", func(c map[string]any) bool { return hInvolves(c, "LY-YJJ") }},
		{"demo.inspector", func(c map[string]any) bool {
			return hInvolves(c, "LY-SJJ") || reporter(c) == h.users["demo.inspector"].ID
		}},
		{"demo.citizen", func(c map[string]any) bool { return reporter(c) == citizen }},
		{"demo.grid", func(c map[string]any) bool { return strings.HasPrefix(hStr(c, "region"), hGrid) || reporter(c) == grid }},
		{"demo.leader", func(c map[string]any) bool { return true }},
		{"demo.county", func(c map[string]any) bool { return true }},
		{"demo.admin", func(c map[string]any) bool { return true }},
		{"demo.other", func(c map[string]any) bool { return false }},
		{"demo.volunteer", func(c map[string]any) bool { return false }},
		{"demo.enterprise", func(c map[string]any) bool { return false }},
	}
	for _, s := range scopes {
		var want []int64
		for _, c := range all {
			if s.keep(c) {
				want = append(want, hNum(c, "id"))
			}
		}
		got := h.hWalk(s.login, "", 50)
		if !slices.Equal(hIDs(got), want) {
			t.Errorf("%s sees %d cases, want %d", s.login, len(got), len(want))
		}
		if s.login == "demo.citizen" || s.login == "demo.officer" {
			if len(want) == 0 {
				t.Errorf("%s sees nothing in the demo history", s.login)
			}
		}
		// a filter cannot widen the scope
		if s.login == "demo.officer" {
			if wide := h.hWalk(s.login, "org=LY-YJJ", 50); len(wide) > 0 {
				for _, c := range wide {
					if !hInvolves(c, "LY-CGJ") {
						t.Errorf("officer's org=LY-YJJ list shows case %d not involving LY-CGJ", hNum(c, "id"))
					}
				}
			}
		}
	}
	// personal data in lists: masked for the leader, plain for the dispatcher
	for _, c := range h.hWalk("demo.leader", "", 200) {
		if p := hStr(c["reporter"].(map[string]any), "phone"); p != "" && !strings.Contains(p, "****") {
			t.Fatalf("leader's list shows phone %q of case %d", p, hNum(c, "id"))
		}
	}
	for _, c := range all {
		if p := hStr(c["reporter"].(map[string]any), "phone"); strings.Contains(p, "*") {
			t.Fatalf("dispatcher's list masks phone %q", p)
		}
	}
}

// TestPersonalData: the reporter's phone and name are masked for roles that do not call
// reporters back (leader, grid worker), in the case, in lists and in its events, and
// plain for the dispatcher, the lead officer and the reporter.
func TestPersonalData(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	const phone = "13811111111"
	id := h.hFile("demo.citizen", hGrid, "SR-001", phone)
	h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-CGJ"})
	for _, tc := range []struct {
		login, phone, name string
	}{
		{"demo.leader", "138****1111", "张**"},
		{"demo.grid", "138****1111", "张**"},
		{"demo.county", "13811111111", "张三丰"},
		{"demo.dispatcher", "13811111111", "张三丰"},
		{"demo.officer", "13811111111", "张三丰"},
		{"demo.citizen", "13811111111", "张三丰"},
	} {
		c := h.hCase(tc.login, id)
		r := c["reporter"].(map[string]any)
		if r["phone"] != tc.phone || r["name"] != tc.name {
			t.Errorf("%s sees reporter %v, want %s %s", tc.login, r, tc.name, tc.phone)
		}
		status, raw, _ := h.hRaw("GET", fmt.Sprintf("/api/v1/cases/%d", id), h.hLogin(tc.login), nil)
		if status == 200 && tc.phone != phone && strings.Contains(string(raw), phone) {
			t.Errorf("%s: the full phone %s shows somewhere in GET /cases/%d (events?): %.600s", tc.login, phone, id, raw)
		}
		if status == 200 && tc.name != "张三丰" && strings.Contains(string(raw), "张三丰") {
			t.Errorf("%s: the reporter's full name shows somewhere in GET /cases/%d", tc.login, id)
		}
		list := h.hWalk(tc.login, "", 50)
		if len(list) != 1 {
			t.Fatalf("%s lists %d cases, want 1", tc.login, len(list))
		}
		if r := list[0]["reporter"].(map[string]any); r["phone"] != tc.phone {
			t.Errorf("%s's list shows phone %v, want %s", tc.login, r["phone"], tc.phone)
		}
	}
}

// TestStatsMatchList: the statistics read from the rollup count exactly the cases the
// list shows for the same region and period, grouped any way.
func TestStatsMatchList(t *testing.T) {
	t.Parallel()
	h := hServer(t, 400)
	// a case filed now and moved along counts too
	id := h.hFile("demo.grid", hGrid, "SR-001", "")
	h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-CGJ"})
	const period = "from=2025-03-01&to=2026-03-31" // statistics are kept per whole month
	all := h.hWalk("demo.dispatcher", period, 50)
	if len(all) != 401 {
		t.Fatalf("list shows %d cases for the year, want 401", len(all))
	}
	key := map[string]func(c map[string]any) string{
		"region":  func(c map[string]any) string { return hStr(c, "region")[:12] },
		"org":     func(c map[string]any) string { return hStr(c, "lead_org") },
		"matter":  func(c map[string]any) string { return hStr(c, "matter") },
		"channel": func(c map[string]any) string { return hStr(c, "channel") },
		"":        func(c map[string]any) string { return "" },
	}
	for by, k := range key {
		want := map[string]int64{}
		for _, c := range all {
			want[k(c)]++
		}
		status, body := h.hAs("demo.dispatcher", "GET", "/api/v1/stats/cases?region="+hStreet+"&by="+by+"&"+period, nil)
		if status != 200 {
			t.Fatalf("stats by %s: %d %v", by, status, body)
		}
		h.hWant("stats by "+by, body, `{"region":"431382001","from":"2025-03-01","to":"2026-03-31"}`)
		got := map[string]int64{}
		var sum int64
		for _, r := range body["rows"].([]any) {
			row := r.(map[string]any)
			got[hStr(row, "group")] += hNum(row, "received")
			sum += hNum(row, "received")
			if by == "region" || by == "org" || by == "matter" {
				if g := hStr(row, "group"); g != "" && hStr(row, "name") == "" {
					t.Errorf("stats by %s: group %s has no name", by, g)
				}
			}
		}
		if sum != int64(len(all)) {
			t.Errorf("stats by %s: received sums to %d, the list shows %d", by, sum, len(all))
		}
		for g, n := range want {
			if got[g] != n {
				t.Errorf("stats by %s: group %q received %d, the list shows %d", by, g, got[g], n)
			}
		}
	}
	// the same as the county and the admin, for the street
	for _, who := range []string{"demo.county", "demo.admin", "demo.leader"} {
		status, body := h.hAs(who, "GET", "/api/v1/stats/cases?region="+hStreet+"&"+period, nil)
		if status != 200 || len(body["rows"].([]any)) != 1 || hNum(body["rows"].([]any)[0].(map[string]any), "received") != int64(len(all)) {
			t.Errorf("stats as %s: %d %v", who, status, body)
		}
	}
	// a period given in days or months answers for the whole months it touches
	for _, p := range []string{"from=2025-03-02&to=2026-03-02", "from=2025-03&to=2026-03"} {
		_, body := h.hAs("demo.dispatcher", "GET", "/api/v1/stats/cases?region="+hStreet+"&"+p, nil)
		h.hWant(p, body, `{"from":"2025-03-01","to":"2026-03-31"}`)
	}
	// a narrower period and region agree with the list too
	q := "region=" + hCommunity + "&from=2025-10-01&to=2025-12-31"
	status, body := h.hAs("demo.dispatcher", "GET", "/api/v1/stats/cases?"+q, nil)
	if status != 200 {
		t.Fatalf("stats %s: %d %v", q, status, body)
	}
	var sum int64
	for _, r := range body["rows"].([]any) {
		sum += hNum(r.(map[string]any), "received")
	}
	if n := len(h.hWalk("demo.dispatcher", q, 50)); sum != int64(n) {
		t.Errorf("stats %s received %d, list %d", q, sum, n)
	}
	// without from and to: the twelve months up to the server's month (the clock, 2026-03-02)
	status, body = h.hAs("demo.dispatcher", "GET", "/api/v1/stats/cases?region="+hStreet, nil)
	if status != 200 {
		t.Fatalf("stats without a period: %d %v", status, body)
	}
	if body["to"] != "2026-03-31" || body["from"] != "2025-04-01" {
		t.Errorf("default stats period %v..%v, want 2025-04-01..2026-03-31 from the server's clock", body["from"], body["to"])
	}

	h.hRun(0, []hStep{
		{"citizen", "demo.citizen", "GET", "/api/v1/stats/cases?region=" + hStreet, nil, 403, `{"error":{"code":"forbidden"}}`},
		{"officer", "demo.officer", "GET", "/api/v1/stats/cases", nil, 403, `{"error":{"code":"forbidden"}}`},
		{"grid worker", "demo.grid", "GET", "/api/v1/stats/cases", nil, 403, `{"error":{"code":"forbidden"}}`},
		{"other street", "demo.other", "GET", "/api/v1/stats/cases?region=" + hStreet, nil, 404, `{"error":{"code":"not_found"}}`},
		{"other street, a community of ours", "demo.other", "GET", "/api/v1/stats/cases?region=" + hCommunity, nil, 404, `{"error":{"code":"not_found"}}`},
		{"dispatcher asks for the county", "demo.dispatcher", "GET", "/api/v1/stats/cases?region=431382", nil, 404, `{"error":{"code":"not_found"}}`},
		{"other street, its own", "demo.other", "GET", "/api/v1/stats/cases?region=431382002&" + period, nil, 200, `{"region":"431382002","rows":[]}`},
		{"bad by", "demo.dispatcher", "GET", "/api/v1/stats/cases?by=weather", nil, 400, `{"error":{"code":"invalid"}}`},
		{"bad from", "demo.dispatcher", "GET", "/api/v1/stats/cases?from=2026-02-30", nil, 400, `{"error":{"code":"invalid"}}`},
		{"no token", "", "GET", "/api/v1/stats/cases", nil, 401, `{"error":{"code":"unauthorized"}}`},
	})
}

// TestSweepAndNotify: past a deadline the sweeper marks the case, notifies the org and
// the dispatcher, escalates a missed resolution to the county, and marks each deadline
// once however often it runs.
func TestSweepAndNotify(t *testing.T) {
	t.Parallel()
	h := hServer(t, 30)
	ctx := context.Background()
	id := h.hFile("demo.grid", hGrid, "SR-001", "")
	number := hStr(h.hCase("demo.grid", id), "number")
	if k := hKinds(h.hNotes("demo.dispatcher", id)); !slices.Equal(k, []string{"new_case"}) {
		t.Fatalf("dispatcher's notices after filing: %v", k)
	}
	c := h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-CGJ"})
	h.hWant("dispatch", c, `{"ack_due":"2026-03-02T11:00:00+08:00","resolve_due":"2026-03-03T09:00:00+08:00","overdue_ack":false}`)
	h.hAct("demo.dispatcher", id, "whistle", map[string]any{"orgs": []string{"LY-YJJ"}, "hours": 1})
	if k := hKinds(h.hNotes("demo.officer", id)); !slices.Equal(k, []string{"dispatch"}) {
		t.Fatalf("officer's notices after dispatch: %v", k)
	}
	if k := hKinds(h.hNotes("demo.officer2", id)); !slices.Equal(k, []string{"whistle"}) {
		t.Fatalf("officer2's notices after whistle: %v", k)
	}

	// nothing is due yet
	if n, err := h.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before any deadline: %d %v", n, err)
	}
	// 11:30: the acknowledgement (11:00) and the report-in (10:00) are late
	h.clock.Set(time.Date(2026, 3, 2, 11, 30, 0, 0, domain.China))
	n, err := h.svc.Sweep(ctx)
	if err != nil || n < 2 {
		t.Fatalf("sweep past ack_due: %d events, %v", n, err)
	}
	c = h.hCase("demo.officer", id)
	h.hWant("after sweep", c, `{"status":"dispatched","overdue_ack":true,"overdue_resolve":false,"summons":[{"org":"LY-YJJ","overdue":true}]}`)
	evs := hEvents(c)
	if !slices.Contains(evs, [4]string{"system", "overdue_ack", "dispatched", "dispatched"}) ||
		!slices.Contains(evs, [4]string{"system", "overdue_report_in", "dispatched", "dispatched"}) {
		t.Fatalf("events after sweep: %q", evs)
	}
	version := hNum(c, "version")
	if k := hKinds(h.hNotes("demo.officer", id)); !slices.Equal(k, []string{"dispatch", "overdue_ack"}) {
		t.Fatalf("officer's notices after sweep: %v", k)
	}
	if k := hKinds(h.hNotes("demo.officer2", id)); !slices.Equal(k, []string{"overdue_report_in", "whistle"}) {
		t.Fatalf("officer2's notices after sweep: %v", k)
	}
	dk := hKinds(h.hNotes("demo.dispatcher", id))
	if !slices.Contains(dk, "overdue_ack") || !slices.Contains(dk, "overdue_report_in") {
		t.Fatalf("dispatcher's notices after sweep: %v", dk)
	}
	for _, nt := range h.hNotes("demo.officer", id) {
		if hStr(nt, "kind") == "overdue_ack" && !strings.Contains(hStr(nt, "message"), number) {
			t.Fatalf("overdue notice does not name the case %s: %v", number, nt)
		}
	}
	if ns := h.hNotes("demo.other", id); len(ns) != 0 {
		t.Fatalf("the other street's dispatcher is notified: %v", ns)
	}
	// sweeping again at the same time adds nothing
	if n, err := h.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep: %d events, %v", n, err)
	}
	if c := h.hCase("demo.officer", id); hNum(c, "version") != version {
		t.Fatalf("second sweep changed the case: version %d, want %d", hNum(c, "version"), version)
	}
	if k := hKinds(h.hNotes("demo.officer", id)); len(k) != 2 {
		t.Fatalf("second sweep notified again: %v", k)
	}
	// overdue cases are listed as such
	found := false
	for _, c := range h.hWalk("demo.dispatcher", "overdue=true", 200) {
		found = found || hNum(c, "id") == id
	}
	if !found {
		t.Fatalf("overdue=true list lacks the case")
	}
	hSweepPastResolve(t, h, id)
	hMarkAllRead(t, h)
}

// hNotes lists login's notices about case id.
func (h *hEnv) hNotes(login string, id int64) []map[string]any {
	h.t.Helper()
	status, body := h.hAs(login, "GET", "/api/v1/notifications", nil)
	if status != 200 {
		h.t.Fatalf("notifications of %s: %d %v", login, status, body)
	}
	var out []map[string]any
	for _, n := range body["notifications"].([]any) {
		if hNum(n.(map[string]any), "case_id") == id {
			out = append(out, n.(map[string]any))
		}
	}
	return out
}

// hKinds are the kinds of notices ns, sorted.
func hKinds(ns []map[string]any) []string {
	var out []string
	for _, n := range ns {
		out = append(out, hStr(n, "kind"))
	}
	slices.Sort(out)
	return out
}

// hSweepPastResolve moves TestSweepAndNotify's case past its resolve deadline (Tuesday
// 09:00): it is marked overdue_resolve and escalated to the county, once.
func hSweepPastResolve(t *testing.T, h *hEnv, id int64) {
	ctx := context.Background()
	h.clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, domain.China))
	if _, err := h.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	c := h.hCase("demo.county", id)
	h.hWant("after resolve deadline", c, `{"overdue_resolve":true,"escalated_to":"431382","events":[{"action":"escalate","actor":"system","data":{"region":"431382"}},{"action":"overdue_resolve"}]}`)
	if k := hKinds(h.hNotes("demo.county", id)); !slices.Contains(k, "escalate") {
		t.Fatalf("county's notices after escalation: %v", k)
	}
	if k := hKinds(h.hNotes("demo.officer", id)); !slices.Contains(k, "overdue_resolve") {
		t.Fatalf("officer's notices after the resolve deadline: %v", k)
	}
	if ns := h.hNotes("demo.other", id); len(ns) != 0 {
		t.Fatalf("the other street's dispatcher is notified: %v", ns)
	}
	before := len(hEvents(c))
	if n, err := h.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep again after escalation: %d %v", n, err)
	}
	if after := len(hEvents(h.hCase("demo.county", id))); after != before {
		t.Fatalf("sweeping again added events: %d → %d", before, after)
	}
	// a late acknowledgement still works and clears nothing it should not
	h.hAct("demo.officer", id, "acknowledge", nil)
	h.hWant("late ack", h.hCase("demo.officer", id), `{"status":"acknowledged","overdue_ack":true,"overdue_resolve":true}`)
}

// hMarkAllRead marks all the officer's notices read: then none is unread, and the
// dispatcher's are unread still.
func hMarkAllRead(t *testing.T, h *hEnv) {
	status, body := h.hAs("demo.officer", "GET", "/api/v1/notifications", nil)
	if status != 200 {
		t.Fatal(status)
	}
	var top int64
	for _, x := range body["notifications"].([]any) {
		top = max(top, hNum(x.(map[string]any), "id"))
	}
	h.hRun(0, []hStep{
		{"unread before", "demo.officer", "GET", "/api/v1/notifications?unread=true", nil, 200, `{"notifications":[{"read":false}]}`},
		{"mark read", "demo.officer", "POST", "/api/v1/notifications/read", fmt.Sprintf(`{"up_to":%d}`, top), 204, ""},
		{"none unread", "demo.officer", "GET", "/api/v1/notifications?unread=true", nil, 200, `{"notifications":[]}`},
		{"all read", "demo.officer", "GET", "/api/v1/notifications", nil, 200, `{"notifications":[{"read":true}]}`},
		{"bad up_to", "demo.officer", "POST", "/api/v1/notifications/read", `{"up_to":0}`, 400, `{"error":{"code":"invalid"}}`},
		{"no token", "", "GET", "/api/v1/notifications", nil, 401, `{"error":{"code":"unauthorized"}}`},
	})
	status, body = h.hAs("demo.officer", "GET", "/api/v1/notifications?unread=true", nil)
	if status != 200 || len(body["notifications"].([]any)) != 0 {
		t.Fatalf("unread after marking all read: %v", body)
	}
	// marking read is per user: the dispatcher's are still unread
	status, body = h.hAs("demo.dispatcher", "GET", "/api/v1/notifications?unread=true", nil)
	if status != 200 || len(body["notifications"].([]any)) == 0 {
		t.Fatalf("dispatcher's unread notices vanished: %v", body)
	}
}

// TestSweepHistoryIsSettled: with a history on the books, a sweep at a moment when
// nothing falls due writes nothing, and the history's own deadlines are already marked.
func TestSweepHistoryIsSettled(t *testing.T) {
	t.Parallel()
	svc, _, _ := whistletest.Demo(t, 200)
	if n, err := svc.Sweep(context.Background()); err != nil || n != 0 {
		t.Fatalf("sweep right after loading the history: %d events, %v; the history should be swept up to now", n, err)
	}
}

// TestOtherPaths: the branches off the main road — return and re-dispatch, suspend and
// resume (the clock stops), extension asked and granted, reopen, merge and reject.
func TestOtherPaths(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	ctx := context.Background()
	at := func(day, hour, min int) time.Time { return time.Date(2026, 3, day, hour, min, 0, 0, domain.China) }

	// return: the lead org sends it back, the dispatcher sends it elsewhere, and the
	// first org no longer sees it
	a := h.hFile("demo.grid", hGrid, "SR-001", "")
	h.hRun(a, []hStep{
		{"dispatch", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1,"org":"LY-CGJ"}`, 200, `{"status":"dispatched"}`},
		{"return", "demo.officer", "POST", "/api/v1/cases/{id}/return", `{"version":2,"reason":"不属于本单位职责"}`, 200,
			`{"status":"returned","returns":1,"ack_due":null,"resolve_due":null}`},
		{"officer cannot acknowledge a returned case", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":3}`, 409, `{"error":{"code":"conflict"}}`},
		{"re-dispatch", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":3,"org":"LY-HBJ","co_orgs":["LY-YJJ"]}`, 200,
			`{"status":"dispatched","lead_org":"LY-HBJ","co_orgs":["LY-YJJ"],"returns":1}`},
		{"first org gone", "demo.officer", "GET", "/api/v1/cases/{id}", nil, 404, `{"error":{"code":"not_found"}}`},
		{"co-org sees it", "demo.officer2", "GET", "/api/v1/cases/{id}", nil, 200, `{"lead_org":"LY-HBJ"}`},
		{"co-org may not acknowledge", "demo.officer2", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":4}`, 403, `{"error":{"code":"forbidden"}}`},
		{"new lead acknowledges", "officer.LY-HBJ", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":4}`, 200, `{"status":"acknowledged"}`},
	})

	// suspend and resume: deadlines move by the working time stopped; nothing falls due
	// while suspended
	b := h.hFile("demo.grid", hGrid, "SR-001", "")
	h.hRun(b, []hStep{
		{"dispatch", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":1}`, 200,
			`{"lead_org":"LY-CGJ","ack_due":"2026-03-02T11:00:00+08:00","resolve_due":"2026-03-03T09:00:00+08:00"}`},
	})
	h.clock.Set(at(2, 9, 30))
	h.hRun(b, []hStep{
		{"suspend without reason", "demo.dispatcher", "POST", "/api/v1/cases/{id}/suspend", `{"version":2}`, 400, `{"error":{"code":"invalid"}}`},
		{"suspend", "demo.dispatcher", "POST", "/api/v1/cases/{id}/suspend", `{"version":2,"reason":"等待产权单位确认"}`, 200,
			`{"status":"suspended","resume_status":"dispatched"}`},
		{"officer cannot acknowledge while suspended", "demo.officer", "POST", "/api/v1/cases/{id}/acknowledge", `{"version":3}`, 409, `{"error":{"code":"conflict"}}`},
		{"officer may not resume", "demo.officer", "POST", "/api/v1/cases/{id}/resume", `{"version":3}`, 403, `{"error":{"code":"forbidden"}}`},
	})
	h.clock.Set(at(2, 11, 30))
	if _, err := h.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	h.hRun(b, []hStep{
		{"not overdue while suspended", "demo.dispatcher", "GET", "/api/v1/cases/{id}", nil, 200, `{"version":3,"overdue_ack":false}`},
		// 09:30 → 11:30 is 120 working minutes: 11:00 + 120 → 15:00 (lunch 12:00–14:00)
		{"resume", "demo.dispatcher", "POST", "/api/v1/cases/{id}/resume", `{"version":3}`, 200,
			`{"status":"dispatched","ack_due":"2026-03-02T15:00:00+08:00","resolve_due":"2026-03-03T11:00:00+08:00"}`},
	})

	// extension: the lead org asks, the dispatcher grants
	h.hAct("demo.officer", b, "acknowledge", nil)
	h.hAct("demo.officer", b, "start", nil)
	h.hRun(b, []hStep{
		{"ask without reason", "demo.officer", "POST", "/api/v1/cases/{id}/extend", `{"version":6,"working_days":2}`, 400, `{"error":{"code":"invalid"}}`},
		{"ask", "demo.officer", "POST", "/api/v1/cases/{id}/extend", `{"version":6,"working_days":2,"reason":"需协调产权单位"}`, 200,
			`{"extended":false,"resolve_due":"2026-03-03T11:00:00+08:00","extension_request":{"working_days":2,"reason":"需协调产权单位"}}`},
		{"grid worker may not extend", "demo.grid", "POST", "/api/v1/cases/{id}/extend", `{"version":7}`, 403, `{"error":{"code":"forbidden"}}`},
		{"grant", "demo.dispatcher", "POST", "/api/v1/cases/{id}/extend", `{"version":7}`, 200,
			`{"extended":true,"resolve_due":"2026-03-05T11:00:00+08:00"}`},
		{"resolve", "demo.officer", "POST", "/api/v1/cases/{id}/resolve", `{"version":8,"result":"已处理"}`, 200, `{"status":"resolved"}`},
		{"reopen without note", "demo.grid", "POST", "/api/v1/cases/{id}/reopen", `{"version":9}`, 400, `{"error":{"code":"invalid"}}`},
		{"officer may not reopen", "demo.officer", "POST", "/api/v1/cases/{id}/reopen", `{"version":9,"note":"x"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"reopen", "demo.grid", "POST", "/api/v1/cases/{id}/reopen", `{"version":9,"note":"现场仍有垃圾"}`, 200, `{"status":"in_progress"}`},
		{"comment", "demo.leader", "POST", "/api/v1/cases/{id}/comment", `{"version":10,"note":"请尽快处理"}`, 200, `{"status":"in_progress","version":11}`},
		{"empty comment", "demo.leader", "POST", "/api/v1/cases/{id}/comment", `{"version":11,"note":" "}`, 400, `{"error":{"code":"invalid"}}`},
	})
	if ev := hEvents(h.hCase("demo.dispatcher", b)); ev[6][1] != "extend_request" || ev[7][1] != "extend" {
		t.Fatalf("extension events: %q", ev)
	}

	// merge and reject end a case; nothing more happens to it
	c := h.hFile("demo.citizen", hGrid, "SR-002", "13900000000")
	d := h.hFile("demo.citizen", hGrid, "SR-002", "13900000000")
	h.hRun(d, []hStep{
		{"merge", "demo.dispatcher", "POST", "/api/v1/cases/{id}/merge", fmt.Sprintf(`{"version":1,"into":%d,"note":"重复"}`, c), 200,
			fmt.Sprintf(`{"status":"merged","merged_into":%d}`, c)},
		{"nothing after merge", "demo.dispatcher", "POST", "/api/v1/cases/{id}/accept", `{"version":2}`, 409, `{"error":{"code":"conflict"}}`},
		{"the citizen still sees it", "demo.citizen", "GET", "/api/v1/cases/{id}", nil, 200, `{"status":"merged"}`},
	})
	h.hRun(c, []hStep{
		{"reject", "demo.dispatcher", "POST", "/api/v1/cases/{id}/reject", `{"version":1,"reason":"不属于受理范围"}`, 200, `{"status":"rejected"}`},
		{"nothing after reject", "demo.dispatcher", "POST", "/api/v1/cases/{id}/dispatch", `{"version":2}`, 409, `{"error":{"code":"conflict"}}`},
	})
	e := h.hFile("demo.citizen", hGrid, "SR-002", "")
	h.hRun(e, []hStep{
		{"merge into a rejected case", "demo.dispatcher", "POST", "/api/v1/cases/{id}/merge", fmt.Sprintf(`{"version":1,"into":%d}`, c), 409, `{"error":{"code":"conflict"}}`},
	})
	// merging into a case of another street is as if it did not exist
	other := h.hFile("demo.other", "431382002001", "SR-002", "")
	h.hRun(e, []hStep{
		{"merge into another street's case", "demo.dispatcher", "POST", "/api/v1/cases/{id}/merge", fmt.Sprintf(`{"version":1,"into":%d}`, other), 400, `{"error":{"code":"invalid"}}`},
		{"untouched", "demo.dispatcher", "GET", "/api/v1/cases/{id}", nil, 200, `{"version":1,"status":"reported"}`},
	})
}

// TestSweepTakesEverythingDue: one sweep marks every deadline due, however many, even
// when cases have several deadlines each (a batch is of deadline rows, not of cases: 110
// cases with two due deadlines fill a batch of 200 rows with 110 cases, and the cases
// falling due after them must still be swept).
func TestSweepTakesEverythingDue(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	ctx := context.Background()
	file := func(n int) {
		for i := 0; i < n; i++ {
			id := h.hFile("demo.grid", hGrid, "SR-001", "")
			h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-CGJ"})
		}
	}
	// Monday 09:00: ack due 11:00, resolve due Tuesday 09:00
	file(110)
	// Tuesday 09:30: ack due 11:30, resolve due Wednesday 09:30
	h.clock.Set(time.Date(2026, 3, 3, 9, 30, 0, 0, domain.China))
	file(20)
	h.clock.Set(time.Date(2026, 3, 3, 12, 0, 0, 0, domain.China))
	first, err := h.svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second != 0 {
		t.Errorf("the first sweep left work: it wrote %d events, the second %d more", first, second)
	}
	// overdue_ack, overdue_resolve and escalate for the first 110; overdue_ack for the 20
	if first+second != 3*110+20 {
		t.Errorf("sweeps wrote %d events, want %d", first+second, 3*110+20)
	}
	if got := len(h.hWalk("demo.dispatcher", "overdue=true", 200)); got != 130 {
		t.Errorf("%d overdue cases, want 130", got)
	}
}
