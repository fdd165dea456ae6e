package api

import (
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// Projects imported from a table: the template to fill, and the import with a preview.

// projectImportTemplate answers the template, XLSX (default) or CSV.
func (s *Server) projectImportTemplate(w http.ResponseWriter, r *http.Request, _ domain.User) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if format != "xlsx" && format != "csv" {
		return domain.Errorf(domain.EINVALID, "format is xlsx or csv")
	}
	return transport.WriteTable(w, "projects-template", "项目", format, service.ProjectImportTemplate())
}

// importProjects reads a CSV or XLSX table of projects. With preview=true it only
// reports; else it enters all rows or, when any row has a mistake, none (400 with the
// report).
func (s *Server) importProjects(w http.ResponseWriter, r *http.Request, u domain.User) error {
	preview, err := queryBool(r, "preview")
	if err != nil {
		return err
	}
	body, err := readBody(w, r, service.MaxRegister, "table")
	if err != nil {
		return err
	}
	table, err := service.ReadTable(body)
	if err != nil {
		return err
	}
	res, err := s.svc.ImportProjects(r.Context(), u, table, preview)
	if domain.ErrorCode(err) == domain.EINVALID && len(res.Errors) > 0 {
		out := errorBody(domain.EINVALID, domain.ErrorMessage(err))
		out["report"] = res
		return reply(w, http.StatusBadRequest, out, nil)
	}
	return reply(w, http.StatusOK, res, err)
}

// projectImportRoutes registers the import of projects.
func (s *Server) projectImportRoutes() {
	s.authed("GET /api/v1/projects/import/template", s.projectImportTemplate)
	s.authed("POST /api/v1/projects/import", s.importProjects)
}
