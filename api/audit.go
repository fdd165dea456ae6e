package api

import (
	"net/http"

	"whistle/domain"
	"whistle/transport"
)

// The audit log, for auditors and administrators: a page of entries (newest first, a
// cursor to the next) and the same filters exported to CSV or XLSX.

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request, u domain.User) error {
	f, err := transport.AuditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	entries, next, err := s.svc.AuditLog(r.Context(), u, f)
	body := map[string]any{"entries": entries}
	if next != 0 {
		body["next_cursor"] = next
	}
	return reply(w, http.StatusOK, body, err)
}

func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request, u domain.User) error {
	f, err := transport.AuditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is csv or xlsx")
	}
	rows, err := s.svc.AuditTable(r.Context(), u, f)
	if err != nil {
		return err
	}
	transport.WriteTable(w, "audit", "审计日志", format, rows)
	return nil // the answer has begun: an error can no longer be sent
}

// auditRoutes registers the audit log's routes.
func (s *Server) auditRoutes() {
	s.authed("GET /api/v1/audit", s.listAudit)
	s.authed("GET /api/v1/audit/export", s.exportAudit)
}
