package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"whistle/domain"
)

// TestAuditPage: the auditor's home is the audit log; an administrator's change made
// on a page is there with who, from where and what changed; the filters, the next page
// and the CSV export work as the API's; other roles are refused.
func TestAuditPage(t *testing.T) {
	s := newSite(t, 0)
	admin := s.client()
	admin.login("demo.admin")
	if status, loc, _ := admin.post("/admin/orgs", url.Values{"code": {"AUD-1"}, "name": {"审计测试单位"}, "kind": {"department"}}); status != http.StatusSeeOther {
		t.Fatalf("save org: %d %s", status, loc)
	}
	auditor := s.client()
	auditor.login("demo.auditor")
	resp, err := auditor.http.Get(s.srv.URL + "/")
	if err != nil || resp.Header.Get("Location") != "/audit" {
		t.Fatalf("the auditor's home: %v %v", resp.Header.Get("Location"), err)
	}
	resp.Body.Close()
	status, body := auditor.get("/audit?actor=demo.admin&action=org.put")
	if status != http.StatusOK || strings.Count(body, `<tr id="audit-`) != 1 || !strings.Contains(body, "保存单位") ||
		!strings.Contains(body, ">org/AUD-1</a>") || !strings.Contains(body, "<td>127.0.0.1</td>") || !strings.Contains(body, "审计测试单位") {
		t.Fatalf("the admin's org entry: %d %s", status, body)
	}
	status, body = auditor.get("/audit?limit=2")
	if status != http.StatusOK || strings.Count(body, `<tr id="audit-`) != 2 || !strings.Contains(body, `id="audit-more"`) {
		t.Errorf("a page of two: %d", status)
	}
	status, body = auditor.get("/audit/export?format=csv&object=org/AUD-1")
	if status != http.StatusOK || !strings.Contains(body, "id,at,user_id,login,addr,action,object,change,hash") || !strings.Contains(body, ",org.put,org/AUD-1,") {
		t.Errorf("csv export: %d %q", status, body)
	}
	if status, _ := auditor.get("/audit?from=someday"); status != http.StatusBadRequest {
		t.Errorf("a bad date: %d", status)
	}
	if status, _ := auditor.get("/dispatch"); status != http.StatusForbidden {
		t.Errorf("the auditor on the dispatch queue: %d", status)
	}
	for _, who := range []string{"demo.dispatcher", "demo.leader", "demo.helper"} {
		c := s.client()
		c.login(who)
		for _, path := range []string{"/audit", "/audit/export"} {
			if status, _ := c.get(path); status != http.StatusForbidden {
				t.Errorf("%s %s: %d", who, path, status)
			}
		}
	}
}

// TestAuditActionsAreNamed: every action the log records has a name on the page in
// every language.
func TestAuditActionsAreNamed(t *testing.T) {
	cat, err := LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		l := cat.Locale(lang)
		for _, a := range domain.AuditActions {
			if l.Label("auditaction", a) == a {
				t.Errorf("%s: no name for action %s", lang, a)
			}
		}
		if l.Label("role", domain.RoleAuditor) == string(domain.RoleAuditor) {
			t.Errorf("%s: no name for the auditor role", lang)
		}
	}
}
