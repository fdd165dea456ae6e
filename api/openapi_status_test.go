package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/whistletest"
)

// TestOpenAPIListsEveryAnswer (issue 18 item 11) holds the document to what each route
// of the route table answers. It finds the answers by calling every route as a client
// that gets things wrong would: with no token, with a body that is not JSON, with a
// query that is not UTF-8, with ids that do not exist, as a citizen. Every 4xx it gets
// back must be listed, and, whatever the calls happened to meet first, an authenticated
// route lists 401 and 403, a route with {id} 404, and every route 400 (the query of any
// route is decoded, and a body's decoder refuses what it cannot read). No call may
// answer a 5xx.
func TestOpenAPIListsEveryAnswer(t *testing.T) {
	svc, _, _ := whistletest.Demo(t, 0)
	s := New(svc, slog.New(slog.DiscardHandler))
	as := map[string]string{"an administrator": loginToken(t, s, "demo.admin"), "a citizen": loginToken(t, s, "demo.citizen")}
	listed := documentedStatuses(t)
	routes := slices.Clone(s.Routes)
	// signing out ends the token the other calls use: call it last
	slices.SortStableFunc(routes, func(a, b string) int {
		return boolInt(a == "DELETE /api/v1/auth/token") - boolInt(b == "DELETE /api/v1/auth/token")
	})
	missing := 0
	for _, route := range routes {
		method, path, ok := strings.Cut(route, " ")
		if !ok {
			continue // the catch-all "/api/" answers 404 for what is no route
		}
		for status, why := range answersOf(t, s, method, path, as) {
			if !listed[route][strconv.Itoa(status)] {
				missing++
				t.Errorf("%s answers %d (%s); the document does not list it", route, status, why)
			}
		}
	}
	if missing > 0 {
		t.Logf("%d answers missing from the document", missing)
	}
}

// loginToken signs a demo login in (demo.Password) and gives its token.
func loginToken(t *testing.T, s *Server, login string) string {
	t.Helper()
	status, raw := serveQuery(s, "POST", "/api/v1/auth/token", "", fmt.Sprintf(`{"login":%q,"password":%q}`, login, demo.Password))
	var out struct{ Token string }
	if err := json.Unmarshal([]byte(raw), &out); status != http.StatusOK || err != nil || out.Token == "" {
		t.Fatalf("login %s: %d %s", login, status, raw)
	}
	return out.Token
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pathParam is a {name} segment of a route's path.
var pathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// answersOf calls a route as a client that gets things wrong would and gives the
// 4xx statuses it answers, with why, and those every route of its kind may answer.
func answersOf(t *testing.T, s *Server, method, path string, as map[string]string) map[int]string {
	t.Helper()
	out := map[int]string{400: "a query that is not UTF-8, refused before the handler runs"}
	target := pathParam.ReplaceAllString(path, "987654321") // nothing has that id, code or year
	body := ""
	if method == "POST" || method == "PUT" || method == "PATCH" {
		body = "{"
	}
	call := func(why, target, token, body string) int {
		status, msg := serveQuery(s, method, target, token, body)
		switch {
		case status >= 500:
			t.Errorf("%s %s (%s): %d %s", method, path, why, status, msg)
		case status >= 400 && out[status] == "":
			out[status] = why
		}
		return status
	}
	if call("no token", target, "", body) == http.StatusUnauthorized {
		out[http.StatusUnauthorized] = "authenticated: no token, or a dead one"
		out[http.StatusForbidden] = "authenticated: a role or a region may be refused"
	}
	for _, who := range slices.Sorted(maps.Keys(as)) {
		call(who+" with ids that do not exist and a body that is not JSON", target, as[who], body)
		call(who+" with a query that is not UTF-8", target+"?q=%ff", as[who], "")
	}
	if strings.Contains(path, "{id}") {
		out[http.StatusNotFound] = "an {id} that does not exist or lies outside the caller's scope"
	}
	return out
}

// documentedStatuses reads the statuses the document lists for each operation, keyed
// "METHOD /path".
func documentedStatuses(t *testing.T) map[string]map[string]bool {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for path, item := range doc.Paths {
		for key, raw := range item {
			if !slices.Contains(openapiMethods, key) {
				continue
			}
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			statuses := map[string]bool{}
			for status := range op.Responses {
				statuses[status] = true
			}
			out[strings.ToUpper(key)+" "+path] = statuses
		}
	}
	return out
}
