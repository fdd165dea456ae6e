package api_test

// A small HTTP harness for the API tests: a real server over a fresh demo database with
// a settable clock, tokens per demo login, and helpers that send a request and decode
// the JSON answer. Every name here starts with h so it never collides with the helpers
// of package api's own tests.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"whistle/api"
	"whistle/demo"
	"whistle/service"
	"whistle/whistletest"
)

// hEnv is one test's server, database, clock and cached tokens.
type hEnv struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *service.Service
	users  demo.Users
	clock  *whistletest.Clock
	tokens map[string]string
}

// hServer starts the API over a fresh demo database with cases history cases. Tokens
// live 60 days here, idle or not, so a test may move the clock across days without
// logging in again.
func hServer(t *testing.T, cases int) *hEnv {
	t.Helper()
	svc, users, clock := whistletest.Demo(t, cases)
	svc.TokenTTL, svc.SessionIdle = 60*24*time.Hour, 60*24*time.Hour
	srv := httptest.NewServer(api.New(svc, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return &hEnv{t: t, srv: srv, svc: svc, users: users, clock: clock, tokens: map[string]string{}}
}

// hLogin gives a bearer token for a demo login (demo.Password), logging in once.
func (h *hEnv) hLogin(login string) string {
	h.t.Helper()
	return h.hLoginWith(login, demo.Password)
}

// hLoginWith gives a bearer token for a login with its password, logging in once.
func (h *hEnv) hLoginWith(login, password string) string {
	h.t.Helper()
	if tok, ok := h.tokens[login]; ok {
		return tok
	}
	status, body := h.hDo("POST", "/api/v1/auth/token", "", map[string]string{"login": login, "password": password})
	if status != http.StatusOK {
		h.t.Fatalf("login %s: %d %v", login, status, body)
	}
	tok, _ := body["token"].(string)
	if tok == "" {
		h.t.Fatalf("login %s: no token in %v", login, body)
	}
	h.tokens[login] = tok
	return tok
}

// hTok is hLogin for a login, "" for no token, and a token itself when it starts with "!".
func (h *hEnv) hTok(who string) string {
	switch {
	case who == "":
		return ""
	case strings.HasPrefix(who, "!"):
		return who[1:]
	}
	return h.hLogin(who)
}

// hRaw sends a request and answers status, body and headers. body may be nil, a
// string or []byte (sent as is) or any other value (sent as JSON).
func (h *hEnv) hRaw(method, path, token string, body any) (int, []byte, http.Header) {
	h.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, r)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp.StatusCode, raw, resp.Header
}

// hDo sends a request and decodes a JSON object answer (nil for an empty body). A body
// that is not a JSON object fails the test, except for 204.
func (h *hEnv) hDo(method, path, token string, body any) (int, map[string]any) {
	h.t.Helper()
	status, raw, _ := h.hRaw(method, path, token, body)
	if len(bytes.TrimSpace(raw)) == 0 {
		return status, nil
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("%s %s: %d answer is not a JSON object: %v: %.300s", method, path, status, err, raw)
	}
	return status, out
}

// hAs is hDo with a login (or "" / "!token", see hTok) instead of a token.
func (h *hEnv) hAs(who, method, path string, body any) (int, map[string]any) {
	h.t.Helper()
	return h.hDo(method, path, h.hTok(who), body)
}

// hStep is one row of a scenario table: who sends what, and what must come back.
// In url and a string body, {id} is replaced by the case under test. want is a JSON
// fragment the answer must contain (see hContains).
type hStep struct {
	name   string
	as     string // demo login; "" for no token; "!tok" for a literal token
	method string
	url    string
	body   any
	status int
	want   string
}

// hRun plays a table in order against the case id, failing on the first wrong step
// (later steps depend on it), and answers the last body.
func (h *hEnv) hRun(id int64, steps []hStep) map[string]any {
	h.t.Helper()
	var last map[string]any
	for _, s := range steps {
		sub := func(v string) string { return strings.ReplaceAll(v, "{id}", fmt.Sprint(id)) }
		body := s.body
		if b, ok := body.(string); ok {
			body = sub(b)
		}
		status, got := h.hAs(s.as, s.method, sub(s.url), body)
		if status != s.status {
			h.t.Fatalf("%s: %s %s as %s: status %d, want %d: %v", s.name, s.method, sub(s.url), s.as, status, s.status, got)
		}
		if s.want != "" {
			h.hWant(s.name, got, s.want)
		}
		if status >= 400 {
			hCheckError(h.t, s.name, got)
		}
		last = got
	}
	return last
}

// hWant fails unless got contains the JSON fragment want.
func (h *hEnv) hWant(name string, got map[string]any, want string) {
	h.t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		h.t.Fatalf("%s: bad fragment %s: %v", name, want, err)
	}
	if !hContains(hNormal(h.t, got), w) {
		j, _ := json.Marshal(got)
		h.t.Fatalf("%s: answer lacks %s:\n%.2000s", name, want, j)
	}
}

// hNormal passes a value through JSON so it compares with a decoded fragment.
func hNormal(t *testing.T, v any) any {
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(j, &out)
	return out
}

// hContains tells whether got holds want: objects hold every key of want with a value
// holding want's; arrays hold each element of want in some element, in any order;
// other values are equal.
func hContains(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !hContains(gv, wv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok {
			return false
		}
		for _, wv := range w {
			found := false
			for _, gv := range g {
				if hContains(gv, wv) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(got, want)
	}
}

// hCheckError fails unless body is {"error":{"code":"…","message":"…"}} with both set.
func hCheckError(t *testing.T, name string, body map[string]any) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok {
		t.Fatalf("%s: error answer without an error object: %v", name, body)
	}
	if c, _ := e["code"].(string); c == "" {
		t.Fatalf("%s: error without a code: %v", name, body)
	}
	if m, _ := e["message"].(string); m == "" {
		t.Fatalf("%s: error without a message: %v", name, body)
	}
	if len(body) != 1 || len(e) != 2 {
		t.Fatalf("%s: error answer has more than error.code and error.message: %v", name, body)
	}
}

// hErrCode gives the error code of an error answer.
func hErrCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// hNum reads a JSON number field as int64.
func hNum(m map[string]any, key string) int64 {
	f, _ := m[key].(float64)
	return int64(f)
}

// hStr reads a string field.
func hStr(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// hFile files a case as who in region with matter, answering its id; the phone, when
// set, is the reporter's.
func (h *hEnv) hFile(who, region, matter, phone string) int64 {
	h.t.Helper()
	body := map[string]any{"matter": matter, "title": "测试工单 " + matter, "description": "HTTP 测试", "region": region,
		"address": "测试地址", "channel": "grid_patrol", "kind": "request"}
	if phone != "" {
		body["reporter"] = map[string]any{"name": "张三丰", "phone": phone}
	}
	if phone != "" || who == "demo.citizen" { // a citizen files online, never as a patrol
		body["channel"] = "online"
	}
	status, got := h.hAs(who, "POST", "/api/v1/cases", body)
	if status != http.StatusCreated {
		h.t.Fatalf("file case as %s: %d %v", who, status, got)
	}
	return hNum(got, "id")
}

// hCase reads a case as who; it fails unless the answer is 200.
func (h *hEnv) hCase(who string, id int64) map[string]any {
	h.t.Helper()
	status, got := h.hAs(who, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
	if status != http.StatusOK {
		h.t.Fatalf("GET case %d as %s: %d %v", id, who, status, got)
	}
	return got
}

// hAct takes an action as who at the case's current version and wants 200.
func (h *hEnv) hAct(who string, id int64, action string, fields map[string]any) map[string]any {
	h.t.Helper()
	c := h.hCase(who, id)
	body := map[string]any{"version": hNum(c, "version")}
	for k, v := range fields {
		body[k] = v
	}
	status, got := h.hAs(who, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, action), body)
	if status != http.StatusOK {
		h.t.Fatalf("%s case %d as %s: %d %v", action, id, who, status, got)
	}
	return got
}

// hWalk lists every case who sees under the query q (without cursor), page by page
// with limit, checking the pages on the way: ids strictly decreasing, none twice, a
// next_cursor exactly when a page is full and more follow.
func (h *hEnv) hWalk(who, q string, limit int) []map[string]any {
	h.t.Helper()
	var all []map[string]any
	seen := map[int64]bool{}
	cursor := ""
	sep := "?"
	if q != "" {
		q, sep = "?"+q, "&"
	}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			h.t.Fatalf("walk %s: endless pages", q)
		}
		url := fmt.Sprintf("/api/v1/cases%s%slimit=%d", q, sep, limit)
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		status, body := h.hAs(who, "GET", url, nil)
		if status != http.StatusOK {
			h.t.Fatalf("GET %s as %s: %d %v", url, who, status, body)
		}
		list, ok := body["cases"].([]any)
		if !ok {
			h.t.Fatalf("GET %s: no cases array: %v", url, body)
		}
		if len(list) > limit {
			h.t.Fatalf("GET %s: %d cases on a page of %d", url, len(list), limit)
		}
		for _, x := range list {
			c := x.(map[string]any)
			id := hNum(c, "id")
			if seen[id] {
				h.t.Fatalf("walk %s: case %d listed twice", q, id)
			}
			if len(all) > 0 && id >= hNum(all[len(all)-1], "id") {
				h.t.Fatalf("walk %s: ids not strictly decreasing: %d after %d", q, id, hNum(all[len(all)-1], "id"))
			}
			seen[id] = true
			all = append(all, c)
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			if body["next_cursor"] != nil {
				h.t.Fatalf("GET %s: next_cursor %v is neither a string nor null", url, body["next_cursor"])
			}
			return all
		}
		if len(list) < limit {
			h.t.Fatalf("GET %s: short page of %d with a next cursor", url, len(list))
		}
		cursor = next
	}
}

// hIDs lists the ids of cases.
func hIDs(cases []map[string]any) []int64 {
	out := make([]int64, len(cases))
	for i, c := range cases {
		out[i] = hNum(c, "id")
	}
	return out
}

// hEvents gives the (actor, action, from, to) of a case's events, in order.
func hEvents(c map[string]any) [][4]string {
	var out [][4]string
	list, _ := c["events"].([]any)
	for _, x := range list {
		e := x.(map[string]any)
		out = append(out, [4]string{hStr(e, "actor"), hStr(e, "action"), hStr(e, "from"), hStr(e, "to")})
	}
	return out
}

func TestHealthzAndOpenAPI(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	status, body := h.hDo("GET", "/healthz", "", nil)
	if status != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("healthz: %d %v", status, body)
	}
	status, raw, hdr := h.hRaw("GET", "/api/v1/openapi.json", "", nil)
	if status != http.StatusOK {
		t.Fatalf("openapi.json: %d", status)
	}
	if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("openapi.json content type %q", ct)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Fatalf("openapi.json: openapi = %v, want 3.x", doc["openapi"])
	}
	if _, ok := doc["paths"].(map[string]any); !ok {
		t.Fatalf("openapi.json has no paths")
	}
	// /metrics is not public: without a token set it is no route (TestMetricsBehindToken)
	if status, body := h.hDo("GET", "/metrics", "", nil); status != http.StatusNotFound {
		t.Fatalf("metrics without a token set: %d %v", status, body)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	tok := h.hLogin("demo.dispatcher")
	h.hRun(0, []hStep{
		{"me", "!" + tok, "GET", "/api/v1/me", nil, 200, `{"login":"demo.dispatcher","grants":[{"role":"dispatcher","region":"431382001"}]}`},
		{"no token", "", "GET", "/api/v1/cases", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"bad token", "!not-a-token", "GET", "/api/v1/cases", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"wrong password", "", "POST", "/api/v1/auth/token", `{"login":"demo.grid","password":"nope-nope"}`, 401, `{"error":{"code":"unauthorized"}}`},
		{"unknown login", "", "POST", "/api/v1/auth/token", `{"login":"nobody.here","password":"whatever1"}`, 401, `{"error":{"code":"unauthorized"}}`},
		{"empty login", "", "POST", "/api/v1/auth/token", `{"login":"","password":"x"}`, 400, `{"error":{"code":"invalid"}}`},
		{"login unknown field", "", "POST", "/api/v1/auth/token", `{"login":"demo.grid","password":"x","otp":1}`, 400, `{"error":{"code":"invalid"}}`},
		{"logout", "!" + tok, "DELETE", "/api/v1/auth/token", nil, 204, ""},
		{"revoked token", "!" + tok, "GET", "/api/v1/cases", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"revoked token, me", "!" + tok, "GET", "/api/v1/me", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"revoked token, logout again", "!" + tok, "DELETE", "/api/v1/auth/token", nil, 401, `{"error":{"code":"unauthorized"}}`},
	})
	// a fresh login still works after a logout
	delete(h.tokens, "demo.dispatcher")
	if status, _ := h.hAs("demo.dispatcher", "GET", "/api/v1/me", nil); status != 200 {
		t.Fatalf("me after logging in again: %d", status)
	}
}

// TestLoginThrottle: five wrong passwords lock the login, so even the right one is
// refused with 429 until the lock ends; other logins are untouched.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	for i := 0; i < 5; i++ {
		status, body := h.hDo("POST", "/api/v1/auth/token", "", map[string]string{"login": "demo.grid", "password": fmt.Sprintf("wrong-%d-pass", i)})
		if status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d %v", i+1, status, body)
		}
	}
	status, body := h.hDo("POST", "/api/v1/auth/token", "", map[string]string{"login": "demo.grid", "password": demo.Password})
	if status != http.StatusTooManyRequests || hErrCode(body) != "too_many_requests" {
		t.Fatalf("right password after 5 failures: %d %v, want 429", status, body)
	}
	hCheckError(t, "throttled", body)
	// the lock is per login, and case-insensitive in the login
	status, body = h.hDo("POST", "/api/v1/auth/token", "", map[string]string{"login": "DEMO.GRID", "password": demo.Password})
	if status != http.StatusTooManyRequests && status != http.StatusUnauthorized {
		t.Fatalf("upper-case login during the lock: %d %v", status, body)
	}
	if tok := h.hLogin("demo.citizen"); tok == "" {
		t.Fatal("another login is locked too")
	}
	// after the lock (a minute, doubled per further failure) the right password works
	h.clock.Add(10 * time.Minute)
	status, body = h.hDo("POST", "/api/v1/auth/token", "", map[string]string{"login": "demo.grid", "password": demo.Password})
	if status != http.StatusOK {
		t.Fatalf("right password after the lock ended: %d %v", status, body)
	}
}
