package web

import (
	"net/http"
	"net/url"
	"strconv"

	"whistle/domain"
	"whistle/transport"
)

// The audit log page (审计日志) for auditors and administrators: the entries the
// filters select, newest first, a page at a time, and the same entries as CSV or XLSX.
// It reads the filters as the API does (transport.AuditFilter) and asks the same
// service method, so the page and GET /api/v1/audit agree.

var auditRoles = []domain.Role{domain.RoleAuditor, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.audit", Path: "/audit", Roles: auditRoles, Order: 85})
		a.Page("GET /audit", auditRoles, a.auditLog)
		a.Page("GET /audit/export", auditRoles, a.auditExport)
	})
}

type auditData struct {
	Filter  url.Values // the filters as asked, for the form and the links
	Actions []string
	Entries []domain.AuditEntry
	Query   string // the filters without the cursor, for the export and the next page
	Next    int64
}

func (a *App) auditLog(w http.ResponseWriter, r *http.Request, q *Req) error {
	v := r.URL.Query()
	f, err := transport.AuditFilter(v)
	if err != nil {
		return err
	}
	entries, next, err := a.svc.AuditLog(r.Context(), q.User, f)
	if err != nil {
		return err
	}
	v.Del("cursor")
	return a.Render(w, q, http.StatusOK, "audit", auditData{Filter: v, Actions: domain.AuditActions, Entries: entries, Query: v.Encode(), Next: next})
}

func (a *App) auditExport(w http.ResponseWriter, r *http.Request, q *Req) error {
	f, err := transport.AuditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	rows, err := a.svc.AuditTable(r.Context(), q.User, f)
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "audit-"+strconv.FormatInt(q.Now.Unix(), 10), q.L.T("audit.title"), r.URL.Query().Get("format"), rows)
}
