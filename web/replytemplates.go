package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/transport"
)

// 常用语: the reply templates page, where dispatchers keep the shared answers and an
// org's officers its own results (domain.MayKeepReplyTemplate); the seat and the case
// page offer them beside the text they fill.

var replyRoles = []domain.Role{domain.RoleDispatcher, domain.RoleOfficer, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.templates", Path: "/templates", Roles: replyRoles, Order: 15})
		a.Page("GET /templates", replyRoles, a.templatesPage)
		a.Action("POST /templates", replyRoles, a.templateSave)
		a.Action("POST /templates/{id}/delete", replyRoles, a.templateDelete)
	})
}

type templatesData struct {
	Templates    []domain.ReplyTemplate
	Edit         domain.ReplyTemplate // the template in the form
	Orgs         []domain.Org         // whose templates the user may keep ("" shared aside)
	Shared       bool                 // the user may keep the shared ones
	Placeholders []string
	OrgNames     map[string]string
}

func (a *App) templatesPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showTemplates(w, r, q, domain.ReplyTemplate{Use: domain.ReplyAnswer}, http.StatusOK)
}

func (a *App) showTemplates(w http.ResponseWriter, r *http.Request, q *Req, edit domain.ReplyTemplate, status int) error {
	ts, err := a.svc.ReplyTemplates(r.Context(), q.User, "")
	if err != nil {
		return err
	}
	orgs, err := a.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	d := templatesData{Templates: ts, Edit: edit, Shared: domain.MayKeepReplyTemplate(q.User, ""), Placeholders: domain.ReplyPlaceholders,
		OrgNames: map[string]string{}}
	for _, o := range orgs {
		d.OrgNames[o.Code] = o.Name
		if domain.MayKeepReplyTemplate(q.User, o.Code) {
			d.Orgs = append(d.Orgs, o)
		}
	}
	if id := r.URL.Query().Get("id"); id != "" && edit.ID == 0 {
		for _, t := range ts {
			if strconv.FormatInt(t.ID, 10) == id {
				d.Edit = t
			}
		}
	}
	if !d.Shared && d.Edit.ID == 0 && d.Edit.Org == "" && len(d.Orgs) > 0 { // an officer's form starts on his org's results
		d.Edit.Org, d.Edit.Use = d.Orgs[0].Code, domain.ReplyResult
	}
	return a.Render(w, q, status, "templates", d)
}

func (a *App) templateSave(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	t := domain.ReplyTemplate{Org: f("org"), Use: f("use"), Title: f("title"), Body: f("body")}
	t.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	t.Version, _ = strconv.Atoi(f("version"))
	saved, err := a.svc.PutReplyTemplate(r.Context(), q.User, t)
	if err == nil {
		return a.done(w, r, "/templates", q.L.T("templates.saved", saved.Title))
	}
	if _, ok := transport.Status(err); !ok || domain.ErrorCode(err) == domain.ENOTFOUND || domain.ErrorCode(err) == domain.EFORBIDDEN {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.showTemplates(w, r, q, t, statusOf(err))
}

func (a *App) templateDelete(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "reply template")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if err := a.svc.DeleteReplyTemplate(r.Context(), q.User, id, version); err != nil {
		return err
	}
	return a.done(w, r, "/templates", q.L.T("templates.deleted"))
}
