package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The projects' import in the browser: the form (on the project list and on its own
// page) for who enters projects, the template to download, and the report of every
// row's mistakes; it calls service.ImportProjects, as POST /api/v1/projects/import.

// projectEntrants enter projects (service.PutProject: administrators and leaders).
var projectEntrants = []domain.Role{domain.RoleAdmin, domain.RoleLeader}

func init() {
	register(func(a *App) {
		a.Page("GET /projects/import", projectEntrants, a.projectImportPage)
		a.Page("GET /projects/import/template.xlsx", projectEntrants, a.projectImportTemplate)
		a.Action("POST /projects/import", projectEntrants, a.projectImport)
	})
}

type projectImportData struct {
	Report   *service.ProjectImport
	Preview  bool
	Imported int
}

func (a *App) projectImportPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	d := projectImportData{}
	if n, err := strconv.Atoi(r.URL.Query().Get("imported")); err == nil && n > 0 {
		d.Imported = n
	}
	return a.Render(w, q, http.StatusOK, "projectimport", d)
}

func (a *App) projectImportTemplate(w http.ResponseWriter, _ *http.Request, _ *Req) error {
	return transport.WriteTable(w, "projects-template", "项目", "xlsx", service.ProjectImportTemplate())
}

// projectImport previews or imports the uploaded table: the report on the page (400
// when a row has a mistake), or after an import the page saying how many were entered.
func (a *App) projectImport(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	d := projectImportData{Preview: r.PostFormValue("mode") != "import"}
	refuse := func(msg string) error {
		q.Error = msg
		return a.Render(w, q, http.StatusBadRequest, "projectimport", d)
	}
	body, err := uploadedSheet(r, "table")
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return refuse(q.L.T("pimport.nofile"))
	}
	table, err := service.ReadTable(body)
	if err != nil {
		return refuse(q.L.T("pimport.refused", domain.ErrorMessage(err)))
	}
	res, err := a.svc.ImportProjects(r.Context(), q.User, table, d.Preview)
	d.Report = &res
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		if len(res.Errors) > 0 {
			return refuse(q.L.T("pimport.rejected", len(res.Errors)))
		}
		return refuse(q.L.T("pimport.refused", domain.ErrorMessage(err)))
	}
	if d.Preview {
		return a.Render(w, q, http.StatusOK, "projectimport", d)
	}
	http.Redirect(w, r, "/projects/import?imported="+strconv.Itoa(len(res.Projects)), http.StatusSeeOther)
	return nil
}
