package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// A liaison cadre (联企干部) files an enterprise's problem for one of the enterprises
// they are linked to; the service checks the link again on the day of filing.

func init() {
	register(func(a *App) {
		liaison := []domain.Role{domain.RoleLiaison}
		a.Nav(NavItem{Key: "nav.intake_liaison", Path: "/intake/liaison", Roles: liaison, Order: 35})
		a.Page("GET /intake/liaison", liaison, a.liaisonForm)
		a.Action("POST /intake/liaison", liaison, a.liaisonFile)
	})
}

type liaisonData struct {
	Enterprises []domain.Linkage
	Matters     []domain.Matter
	Regions     []domain.Region
	Form        map[string]string
}

func (a *App) renderLiaison(w http.ResponseWriter, r *http.Request, q *Req, status int, form map[string]string) error {
	ents, err := a.svc.LinkedEnterprises(r.Context(), q.User)
	if err != nil {
		return err
	}
	ms, err := a.svc.SearchMatters(r.Context(), "", 500)
	if err != nil {
		return err
	}
	regions, _, err := a.publicPlaces(r)
	if err != nil {
		return err
	}
	return a.Render(w, q, status, "liaison", liaisonData{Enterprises: ents, Matters: ms, Regions: regions, Form: form})
}

func (a *App) liaisonForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.renderLiaison(w, r, q, http.StatusOK, map[string]string{})
}

func (a *App) liaisonFile(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	form := formOf(r)
	f := func(k string) string { return strings.TrimSpace(form[k]) }
	n := domain.NewCase{Matter: f("matter"), Title: f("title"), Description: f("description"), Region: f("region"),
		Address: f("address"), Channel: "liaison", Kind: "enterprise_problem"}
	if n.Title == "" {
		n.Title = n.Description
		if rs := []rune(n.Title); len(rs) > 60 {
			n.Title = string(rs[:60])
		}
	}
	files, err := photoUploads(r, "photos")
	if err == nil {
		var rc *service.Receipt
		rc, err = a.svc.FileIntake(r.Context(), q.User, service.Intake{Case: n, Files: files,
			Details: domain.IntakeDetails{Enterprise: f("enterprise")}})
		if err == nil {
			return a.done(w, r, "/cases/"+strconv.FormatInt(rc.Case.ID, 10), q.L.T("flash.filed", rc.Number))
		}
	}
	if _, ok := transport.Status(err); !ok {
		return err
	}
	q.Error = q.L.T("intake.failed", q.ErrorMessage(err))
	return a.renderLiaison(w, r, q, statusOf(err), form)
}
