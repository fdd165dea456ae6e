package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/service"
	"whistle/sheets"
)

// TestAuditLogOverHTTP: an administrator's change through the API is read back by the
// auditor with who, the client's address and what changed; the filters, the pages and
// the exports answer the same entries; everyone else is refused.
func TestAuditLogOverHTTP(t *testing.T) {
	h := hServer(t, 0)
	status, _ := h.hAs("demo.admin", "POST", "/api/v1/users", map[string]any{"login": "ana.li", "name": "李安", "phone": "13911112222",
		"password": "a-long-password", "grants": []map[string]string{{"role": "auditor"}}})
	if status != http.StatusCreated {
		t.Fatalf("create user: %d", status)
	}
	status, body := h.hAs("demo.auditor", "GET", "/api/v1/audit?object=user/ana.li&actor=demo.admin&action=user", nil)
	entries, _ := body["entries"].([]any)
	if status != http.StatusOK || len(entries) != 1 || body["next_cursor"] != nil {
		t.Fatalf("the auditor reads the user's entry: %d %v", status, body)
	}
	e := entries[0].(map[string]any)
	change := e["change"].(string)
	if e["action"] != "user.create" || e["login"] != "demo.admin" || e["addr"] != "127.0.0.1" || !strings.Contains(change, `"phone":"139****2222"`) ||
		!strings.Contains(change, `"password":"******"`) || strings.Contains(change, "a-long-password") || len(e["hash"].(string)) != 64 {
		t.Errorf("entry: %v", e)
	}
	// pages of two, newest first, through next_cursor, to the end
	var ids []int64
	for path := "/api/v1/audit?limit=2"; path != ""; {
		_, page := h.hAs("demo.admin", "GET", path, nil)
		for _, e := range page["entries"].([]any) {
			ids = append(ids, hNum(e.(map[string]any), "id"))
		}
		path = ""
		if next, ok := page["next_cursor"].(float64); ok {
			path = fmt.Sprintf("/api/v1/audit?limit=2&cursor=%d", int64(next))
		}
	}
	for i, id := range ids {
		if id != int64(len(ids)-i) {
			t.Fatalf("paged ids %v are not the chain newest first", ids)
		}
	}
	// the export holds the same entries
	status, raw, hd := h.hRaw("GET", "/api/v1/audit/export?object=user/ana.li", h.hLogin("demo.auditor"), nil)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if status != http.StatusOK || err != nil || len(rows) != 2 || rows[0][5] != "action" || rows[1][5] != "user.create" || rows[1][7] != change ||
		!strings.HasPrefix(hd.Get("Content-Type"), "text/csv") {
		t.Errorf("csv export: %d %v %v", status, rows, err)
	}
	status, raw, _ = h.hRaw("GET", "/api/v1/audit/export?format=xlsx&action=user.create", h.hLogin("demo.admin"), nil)
	book, err := sheets.ReadFirst(bytes.NewReader(raw), false)
	if status != http.StatusOK || err != nil || len(book) < 2 || book[0][0] != "id" {
		t.Errorf("xlsx export: %d %d rows %v", status, len(book), err)
	}
	for _, c := range []struct {
		who, path string
		status    int
	}{
		{"demo.dispatcher", "/api/v1/audit", 403},
		{"demo.leader", "/api/v1/audit/export", 403},
		{"demo.helper", "/api/v1/audit", 403},
		{"", "/api/v1/audit", 401},
		{"demo.auditor", "/api/v1/audit?from=yesterday", 400},
		{"demo.auditor", "/api/v1/audit?limit=0", 400},
		{"demo.auditor", "/api/v1/audit?cursor=-3", 400},
		{"demo.auditor", "/api/v1/audit/export?format=pdf", 400},
		{"demo.auditor", "/api/v1/cases", 200}, // an auditor sees no case: an empty list
	} {
		status, body := h.hDo("GET", c.path, h.hTok(c.who), nil)
		if status != c.status {
			t.Errorf("%s %s: %d %v, want %d", c.who, c.path, status, body, c.status)
		}
		if c.status == 200 {
			if cases, ok := body["cases"].([]any); !ok || len(cases) != 0 {
				t.Errorf("the auditor sees %d cases: %v", len(cases), body)
			}
		}
	}
}

// TestPersonalSearchOverHTTP: the attack of issue 18 — a dispatcher refused a reveal
// loops GET /api/v1/subjects?phone= through the digits the mask hides — is refused at
// the first try (403); who may reveal searches 30 times in 10 minutes (429 beyond).
func TestPersonalSearchOverHTTP(t *testing.T) {
	h := hServer(t, 0)
	_, groups := h.hAs("demo.admin", "GET", "/api/v1/groups", nil)
	group := hNum(groups["groups"].([]any)[0].(map[string]any), "id")
	path := func(phone string) string { return fmt.Sprintf("/api/v1/subjects?group=%d&phone=%s", group, phone) }
	_, list := h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/subjects?group=%d", group), nil)
	if subs, _ := list["subjects"].([]any); len(subs) == 0 {
		t.Fatalf("the dispatcher sees no register: %v", list)
	}
	for i := range 3 {
		status, body := h.hAs("demo.dispatcher", "GET", path(fmt.Sprintf("135%04d0001", i)), nil)
		if status != http.StatusForbidden || hErrCode(body) != "forbidden" {
			t.Fatalf("dispatcher search %d: %d %v", i, status, body)
		}
	}
	for i := range service.PersonalSearches {
		if status, body := h.hAs("demo.admin", "GET", path(fmt.Sprintf("135%04d0001", i)), nil); status != http.StatusOK {
			t.Fatalf("admin search %d: %d %v", i, status, body)
		}
	}
	if status, body := h.hAs("demo.admin", "GET", path("13500990001"), nil); status != http.StatusTooManyRequests {
		t.Fatalf("search past the limit: %d %v", status, body)
	}
	_, body := h.hAs("demo.auditor", "GET", fmt.Sprintf("/api/v1/audit?action=subject.search&object=group/%d&limit=1000", group), nil)
	searches, _ := body["entries"].([]any)
	_, body = h.hAs("demo.auditor", "GET", "/api/v1/audit?action=subject.search_refused&actor=demo.dispatcher", nil)
	refused, _ := body["entries"].([]any)
	if len(searches) != service.PersonalSearches || len(refused) != 3 ||
		refused[0].(map[string]any)["change"] != `{"field":"phone","value":"135****0001"}` {
		t.Errorf("%d searches and %d refusals logged: %v", len(searches), len(refused), refused)
	}
}
