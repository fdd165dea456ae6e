package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

// queryOp is one documented operation with the query parameters it declares and its
// one-of rules (x-one-of: sets of parameters of which at least one must be sent).
type queryOp struct {
	method, path, id string
	params           []queryParam
	oneOf            [][]string
}

// queryParam is a documented query parameter.
type queryParam struct {
	Name     string         `json:"name"`
	In       string         `json:"in"`
	Required bool           `json:"required"`
	Schema   map[string]any `json:"schema"`
}

// queryCaller is the demo login that calls an operation when the admin is not one it
// answers with every optional parameter left out: checklist progress is by community,
// so its region defaults only for a caller scoped to a street or a community.
var queryCaller = map[string]string{"checklistProgress": "demo.leader"}

// querySample is the value a test sends for a parameter by name, or by
// "operationId.name" where one operation wants another.
var querySample = map[string]string{
	"region": demo.Street, "org": "LY-CGJ", "lead": "LY-CGJ", "matter": "x", "channel": "hotline",
	"q": "a", "industry": "x", "linked": "me", "target": "x", "lat": "27.7", "lon": "111.7",
	"parent": "431382", "among": "gender=男", "id_number": "43138219800101004X", "phone": "13800000000",
	"cursor": "1", "listCases.status": "dispatched", "listCases.kind": "request",
	"aid_kinds": "temporary_relief,subsistence,medical",
	"actor":     "demo.admin", "action": "user", "object": "user/demo.admin",
	"window": "1", "hall": "1",
	"park": "x", "late_org": "LK-FGJ", "week": "2026-06-01", "text": "噪音",
	"day": "2026-03-02", "purpose": "核对身份",
}

// TestOpenAPIQueryRules holds the document's required and optional query parameters
// and its one-of rules to what the handlers do: a parameter marked optional may be left
// out, alone or with every other optional one, without a 400 asking for it; one marked
// required, or every member of a one-of set, may not.
func TestOpenAPIQueryRules(t *testing.T) {
	svc, _, _ := whistletest.Demo(t, 5)
	s := New(svc, slog.New(slog.DiscardHandler))
	tokens := map[string]string{}
	token := func(login string) string {
		if tok, ok := tokens[login]; ok {
			return tok
		}
		tokens[login] = loginToken(t, s, login)
		return tokens[login]
	}
	now := svc.Now().In(domain.China)
	year := strconv.Itoa(now.Year())
	for _, op := range documentedQueries(t) {
		if op.method != "GET" && len(op.params) == 0 {
			continue // writes without query parameters: their needs are in the body
		}
		login := queryCaller[op.id]
		if login == "" {
			login = "demo.admin"
		}
		values := url.Values{}
		for _, p := range op.params {
			values.Set(p.Name, sampleValue(t, op, p, now.Format("2006-01-02"), now.AddDate(0, 0, -30).Format("2006-01-02"), year))
		}
		path := strings.NewReplacer("{year}", year, "{action}", "comment", "{code}", "431382", "{period}", now.Format("2006-01")).Replace(op.path)
		path = regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(path, "1")
		call := func(without ...string) (int, string) {
			v := url.Values{}
			for k, vs := range values {
				if !slices.Contains(without, k) {
					v[k] = vs
				}
			}
			target := path
			if len(v) > 0 {
				target += "?" + v.Encode()
			}
			return serveQuery(s, op.method, target, token(login), "")
		}
		checkQueryOp(t, op, call)
	}
}

// checkQueryOp calls one operation with its parameters left out as the document allows
// and as it does not.
func checkQueryOp(t *testing.T, op queryOp, call func(without ...string) (int, string)) {
	t.Helper()
	where := op.method + " " + op.path
	base, baseMsg := call()
	if base == http.StatusBadRequest && op.method == "GET" { // a write may refuse its empty body
		t.Errorf("%s with every parameter: 400 %s (fix its sample values)", where, baseMsg)
	}
	inOneOf := map[string]bool{}
	for _, set := range op.oneOf {
		for _, name := range set {
			inOneOf[name] = true
		}
		if status, msg := call(set...); status != http.StatusBadRequest {
			t.Errorf("%s without any of one-of %v: %d %s, want 400", where, set, status, msg)
		}
	}
	var optional []string
	for _, p := range op.params {
		status, msg := call(p.Name)
		switch {
		case p.Required && status != http.StatusBadRequest:
			t.Errorf("%s without required %s: %d, want 400", where, p.Name, status)
		case !p.Required && status == http.StatusBadRequest && (base != http.StatusBadRequest || asksFor(msg, p.Name)):
			t.Errorf("%s without optional %s: 400 %s", where, p.Name, msg)
		}
		if !p.Required && !inOneOf[p.Name] {
			optional = append(optional, p.Name)
		}
	}
	// Every optional parameter out at once, the members of one-of sets kept.
	if status, msg := call(optional...); status == http.StatusBadRequest && (base != http.StatusBadRequest || asksForAny(msg, optional)) {
		t.Errorf("%s without %v: 400 %s", where, optional, msg)
	}
	if len(op.params) == 0 {
		if status, msg := call(); status == http.StatusBadRequest && asksForAny(msg, []string{""}) {
			t.Errorf("%s declares no query parameter but answers 400 %s", where, msg)
		}
	}
}

var asksWords = regexp.MustCompile(`(?i)\b(required|missing|needs?|give)\b`)

// asksFor tells whether an error message asks for the named parameter ("" for any).
func asksFor(msg, name string) bool {
	if !asksWords.MatchString(msg) {
		return false
	}
	return name == "" || regexp.MustCompile(`\b`+regexp.QuoteMeta(name)+`\b`).MatchString(msg)
}

func asksForAny(msg string, names []string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return asksFor(msg, n) })
}

// serveQuery answers a request to s with its status and error message (or whole body).
func serveQuery(s *Server, method, target, token, body string) (int, string) {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var e struct {
		Error struct{ Message string } `json:"error"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &e) == nil && e.Error.Message != "" {
		return rec.Code, e.Error.Message
	}
	return rec.Code, rec.Body.String()
}

// sampleValue is a value of p the handler accepts: from querySample, else the first of
// its enum, else one of its type.
func sampleValue(t *testing.T, op queryOp, p queryParam, today, monthAgo, year string) string {
	t.Helper()
	if v, ok := querySample[op.id+"."+p.Name]; ok {
		return v
	}
	if v, ok := querySample[p.Name]; ok {
		return v
	}
	switch p.Name {
	case "from":
		return monthAgo
	case "to", "as_of", "aid_from":
		return today
	case "year":
		return year
	}
	if enum, _ := p.Schema["enum"].([]any); len(enum) > 0 {
		return fmt.Sprint(enum[0])
	}
	switch p.Schema["type"] {
	case "boolean":
		return "false"
	case "integer":
		return "1"
	}
	t.Fatalf("%s: no sample value for query parameter %s: add one to querySample", op.id, p.Name)
	return ""
}

// documentedQueries reads every operation of the document with its query parameters
// (path-level ones included, $refs resolved) and its x-one-of rules, checking that each
// rule names optional query parameters of its operation.
func documentedQueries(t *testing.T) []queryOp {
	t.Helper()
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]queryParam `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	type rawParam struct {
		queryParam
		Ref string `json:"$ref"`
	}
	resolve := func(ps []rawParam) []queryParam {
		var out []queryParam
		for _, p := range ps {
			if p.Ref != "" {
				p.queryParam = doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			}
			if p.In == "query" {
				out = append(out, p.queryParam)
			}
		}
		return out
	}
	var ops []queryOp
	for path, item := range doc.Paths {
		var common []rawParam
		json.Unmarshal(item["parameters"], &common)
		for key, raw := range item {
			if !slices.Contains(openapiMethods, key) {
				continue
			}
			var operation struct {
				OperationID string     `json:"operationId"`
				Parameters  []rawParam `json:"parameters"`
				OneOf       [][]string `json:"x-one-of"`
			}
			if err := json.Unmarshal(raw, &operation); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			op := queryOp{method: strings.ToUpper(key), path: path, id: operation.OperationID,
				params: resolve(append(common, operation.Parameters...)), oneOf: operation.OneOf}
			for _, set := range op.oneOf {
				for _, name := range set {
					if i := slices.IndexFunc(op.params, func(p queryParam) bool { return p.Name == name }); i < 0 || op.params[i].Required {
						t.Errorf("%s: x-one-of names %q, which is not an optional query parameter", op.id, name)
					}
				}
			}
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops
}
