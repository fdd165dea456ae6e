package api

import (
	"encoding/json"
	"testing"
)

// TestOpenAPIBusyAndTooLarge: every operation that takes a body documents 413, and the
// routes that hash a password or decode photos document 503.
func TestOpenAPIBusyAndTooLarge(t *testing.T) {
	type operation struct {
		RequestBody any            `json:"requestBody"`
		Responses   map[string]any `json:"responses"`
	}
	var raw struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &raw); err != nil {
		t.Fatal(err)
	}
	doc := map[string]map[string]operation{}
	for path, item := range raw.Paths {
		doc[path] = map[string]operation{}
		for method, v := range item {
			var op operation
			if method != "parameters" && json.Unmarshal(v, &op) == nil {
				doc[path][method] = op
			}
		}
	}
	bodies := 0
	for path, ops := range doc {
		for method, op := range ops {
			if op.RequestBody != nil {
				bodies++
				if op.Responses["413"] == nil {
					t.Errorf("%s %s takes a body and does not document 413", method, path)
				}
			}
		}
	}
	if bodies < 20 {
		t.Fatalf("only %d operations take a body", bodies)
	}
	for _, path := range []string{"/api/v1/auth/token", "/api/v1/intake", "/api/v1/cases/{id}/attachments", "/api/v1/public/reports"} {
		if doc[path]["post"].Responses["503"] == nil {
			t.Errorf("POST %s does not document 503", path)
		}
	}
	for _, path := range []string{"/api/v1/auth/token", "/api/v1/public/reports", "/api/v1/public/follow"} {
		if doc[path]["post"].Responses["429"] == nil {
			t.Errorf("POST %s does not document 429", path)
		}
	}
}
