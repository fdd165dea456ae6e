package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// openapiMethods are the operation keys of an OpenAPI path item.
var openapiMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// TestOpenAPICoversRoutes holds openapi.json to Server.Routes: every registered route is
// documented, every documented operation is registered, every $ref resolves and every
// operation has a unique operationId.
func TestOpenAPICoversRoutes(t *testing.T) {
	db, _ := whistletest.DB(t)
	s := New(service.New(db), slog.New(slog.DiscardHandler))

	var doc openapiDocument
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if doc.Info["title"] != "Whistle API" {
		t.Errorf("info.title = %v, want Whistle API", doc.Info["title"])
	}

	registered := checkRoutesDocumented(t, s.Routes, doc)
	checkOperations(t, doc, registered)

	// Every $ref anywhere in the document resolves to an existing component.
	var whole any
	if err := json.Unmarshal(openapiDoc, &whole); err != nil {
		t.Fatal(err)
	}
	var refs []string
	collectRefs(whole, &refs)
	if len(refs) == 0 {
		t.Error("openapi.json has no $ref at all")
	}
	for _, ref := range refs {
		if !resolves(whole, ref) {
			t.Errorf("$ref %q does not resolve", ref)
		}
	}

	// Every path parameter in a path template is declared, and vice versa.
	for path, item := range doc.Paths {
		checkPathParams(t, whole, path, item)
	}

	// The action enum is exactly domain.CaseActions.
	var actionEnum []string
	if raw, ok := doc.Components["schemas"]["CaseAction"]; !ok {
		t.Error("components.schemas.CaseAction missing")
	} else {
		var sch struct {
			Enum []string `json:"enum"`
		}
		if err := json.Unmarshal(raw, &sch); err != nil {
			t.Fatal(err)
		}
		actionEnum = sch.Enum
	}
	var want []string
	for _, a := range domain.CaseActions {
		want = append(want, string(a))
	}
	if !slices.Equal(sortedCopy(actionEnum), sortedCopy(want)) {
		t.Errorf("CaseAction enum = %v, want domain.CaseActions %v", actionEnum, want)
	}

	// The document is what GET /api/v1/openapi.json serves.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != string(openapiDoc) {
		t.Errorf("GET /api/v1/openapi.json = %d, %d bytes; want 200 and the embedded document", rec.Code, rec.Body.Len())
	}
}

// openapiDocument is the part of openapi.json the test reads by structure.
type openapiDocument struct {
	OpenAPI    string                                `json:"openapi"`
	Info       map[string]any                        `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components map[string]map[string]json.RawMessage `json:"components"`
}

// checkRoutesDocumented checks that every registered route is a documented operation,
// and answers the registered ones as "method path".
func checkRoutesDocumented(t *testing.T, routes []string, doc openapiDocument) map[string]bool {
	registered := map[string]bool{}
	for _, route := range routes {
		method, path, ok := strings.Cut(route, " ")
		if !ok {
			continue // the catch-all "/api/" has no method
		}
		path = strings.TrimSpace(path)
		if strings.HasSuffix(path, "...}") || strings.HasSuffix(path, "{$}") {
			t.Errorf("route %q uses a pattern OpenAPI cannot express", route)
			continue
		}
		key := strings.ToLower(method) + " " + path
		if registered[key] {
			t.Errorf("route %q registered twice", route)
		}
		registered[key] = true
		item, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %q: openapi.json has no path %q", route, path)
			continue
		}
		if _, ok := item[strings.ToLower(method)]; !ok {
			t.Errorf("route %q: openapi.json path %q has no %s operation", route, path, strings.ToLower(method))
		}
	}
	if len(registered) == 0 {
		t.Fatal("the server registered no routes")
	}
	return registered
}

// checkOperations checks that every documented operation is a registered route, with an
// operationId of its own, a summary and responses.
func checkOperations(t *testing.T, doc openapiDocument, registered map[string]bool) {
	opIDs := map[string]string{}
	for path, item := range doc.Paths {
		for key, raw := range item {
			if !slices.Contains(openapiMethods, key) {
				if key != "parameters" && key != "summary" && key != "description" && key != "servers" && !strings.HasPrefix(key, "x-") {
					t.Errorf("path %q has unknown key %q", path, key)
				}
				continue
			}
			where := key + " " + path
			if !registered[where] {
				t.Errorf("openapi.json documents %s %s, which no route registers", strings.ToUpper(key), path)
			}
			var operation struct {
				OperationID string                     `json:"operationId"`
				Summary     string                     `json:"summary"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &operation); err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if operation.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if prev, dup := opIDs[operation.OperationID]; dup {
				t.Errorf("operationId %q used by both %s and %s", operation.OperationID, prev, where)
			} else {
				opIDs[operation.OperationID] = where
			}
			if operation.Summary == "" {
				t.Errorf("%s has no summary", where)
			}
			if len(operation.Responses) == 0 {
				t.Errorf("%s has no responses", where)
			}
		}
	}
}

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return out
}

// collectRefs gathers the value of every "$ref" key in v.
func collectRefs(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "$ref" {
				if s, ok := val.(string); ok {
					*out = append(*out, s)
					continue
				}
			}
			collectRefs(val, out)
		}
	case []any:
		for _, val := range x {
			collectRefs(val, out)
		}
	}
}

// resolves tells whether ref is a local reference to an existing component.
func resolves(doc any, ref string) bool {
	ptr, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return false
	}
	node := deref(doc, "components")
	for _, part := range strings.Split(ptr, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		if node = deref(node, part); node == nil {
			return false
		}
	}
	_, isObject := node.(map[string]any)
	return isObject
}

func deref(node any, key string) any {
	m, ok := node.(map[string]any)
	if !ok {
		return nil
	}
	return m[key]
}

// checkPathParams holds a path's {name} segments to its declared path parameters.
func checkPathParams(t *testing.T, doc any, path string, item map[string]json.RawMessage) {
	t.Helper()
	var inTemplate []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			inTemplate = append(inTemplate, strings.Trim(seg, "{}"))
		}
	}
	declared := func(raw json.RawMessage) map[string]bool {
		var ps []map[string]any
		json.Unmarshal(raw, &ps)
		out := map[string]bool{}
		for _, p := range ps {
			if r, ok := p["$ref"].(string); ok {
				name, _ := strings.CutPrefix(r, "#/components/parameters/")
				p, _ = deref(deref(deref(doc, "components"), "parameters"), name).(map[string]any)
			}
			if p["in"] == "path" {
				if n, ok := p["name"].(string); ok {
					out[n] = true
				}
			}
		}
		return out
	}
	common := declared(item["parameters"])
	for key, raw := range item {
		if !slices.Contains(openapiMethods, key) {
			continue
		}
		var operation struct {
			Parameters json.RawMessage `json:"parameters"`
		}
		json.Unmarshal(raw, &operation)
		got := declared(operation.Parameters)
		for n := range common {
			got[n] = true
		}
		for _, n := range inTemplate {
			if !got[n] {
				t.Errorf("%s %s: path parameter %q is not declared", key, path, n)
			}
		}
		for n := range got {
			if !slices.Contains(inTemplate, n) {
				t.Errorf("%s %s: declares path parameter %q absent from the path", key, path, n)
			}
		}
	}
}
