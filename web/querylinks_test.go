package web

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"whistle/sheets"
)

// hrefOf reads the address of the link with id on a page, as a browser would follow it.
func hrefOf(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="([^"]*)" id="` + id + `"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no link #%s", id)
	}
	return html.UnescapeString(m[1])
}

// TestLinksKeepTheirFilters: the links a filtered page builds from its query string —
// the audit log's CSV and XLSX exports and next page, the hazard ledger's workbook —
// carry every filter as its own parameter (a query spliced into a template after "?"
// came out as one escaped value, ?from%3d…, and the filters were lost).
func TestLinksKeepTheirFilters(t *testing.T) {
	s := newSite(t, 0)
	admin := s.client()
	admin.login("demo.admin")
	for _, code := range []string{"LNK-1", "LNK-2"} {
		if status, _, _ := admin.post("/admin/orgs", url.Values{"code": {code}, "name": {"链接测试单位"}, "kind": {"department"}}); status != http.StatusSeeOther {
			t.Fatalf("save org %s: %d", code, status)
		}
	}
	auditor := s.client()
	auditor.login("demo.auditor")
	_, page := auditor.get("/audit?actor=demo.admin&action=org.put&object=org/LNK-1")
	status, csv := auditor.get(hrefOf(t, page, "audit-csv"))
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); status != http.StatusOK || len(lines) != 2 || !strings.Contains(lines[1], ",org.put,org/LNK-1,") {
		t.Errorf("the CSV of one entry: %d %.300q", status, csv)
	}
	status, xlsx := auditor.get(hrefOf(t, page, "audit-xlsx"))
	rows, err := sheets.ReadFirst(bytes.NewReader([]byte(xlsx)), false)
	if status != http.StatusOK || err != nil || len(rows) != 2 || !strings.Contains(strings.Join(rows[1], ","), "org/LNK-1") {
		t.Errorf("the XLSX of one entry: %d %v, %d rows", status, err, len(rows))
	}
	_, page = auditor.get("/audit?actor=demo.admin&action=org.put&limit=1")
	first := regexp.MustCompile(`org/LNK-\d`).FindString(page)
	more, err := url.Parse(hrefOf(t, page, "audit-more"))
	if err != nil || more.Path != "/audit" || more.Query().Get("actor") != "demo.admin" || more.Query().Get("action") != "org.put" || more.Query().Get("limit") != "1" || more.Query().Get("cursor") == "" {
		t.Fatalf("the next page's link: %v %v", more, err)
	}
	_, next := auditor.get(more.String())
	if second := regexp.MustCompile(`org/LNK-\d`).FindString(next); strings.Count(next, `<tr id="audit-`) != 1 || second == "" || second == first {
		t.Errorf("the next page: %q after %q", second, first)
	}
	leader := s.client()
	leader.login("demo.leader")
	_, page = leader.get("/ledgers/hazards?from=2025-11-01&to=2025-11-30&region=431382001")
	x, err := url.Parse(hrefOf(t, page, "ledger-xlsx"))
	if err != nil || x.Path != "/ledgers/hazards.xlsx" || x.Query().Encode() != "from=2025-11-01&region=431382001&to=2025-11-30" {
		t.Errorf("the ledger's workbook link: %v %v", x, err)
	}
}
