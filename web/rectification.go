package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 督查整改 in the browser: the lists, a list with its items' progress, an item with its
// milestones, evidence and 销号 (apply, approve, return), and the figures with their
// XLSX download; the same service methods as /api/v1/rectification.

// rectRoles open the rectification pages: the service decides what each reads.
var rectRoles = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleOfficer}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.rectification", Path: "/rectification", Roles: rectRoles, Order: 56})
		a.Page("GET /rectification", rectRoles, a.rectLists)
		a.Action("POST /rectification", rectRoles, a.rectCreateList)
		a.Page("GET /rectification/lists/{id}", rectRoles, a.rectList)
		a.Page("GET /rectification/lists/{id}/items.xlsx", rectRoles, a.rectItemsXLSX)
		a.Action("POST /rectification/lists/{id}/items", rectRoles, a.rectAddItem)
		a.Page("GET /rectification/items/{id}", rectRoles, a.rectItem)
		a.Action("POST /rectification/items/{id}/report", rectRoles, a.rectReport)
		a.Action("POST /rectification/items/{id}/decide", rectRoles, a.rectDecide)
		a.Action("POST /rectification/items/{id}/case", rectRoles, a.rectRaiseCase)
		a.Action("POST /rectification/items/{id}/edit", rectRoles, a.rectEdit)
		a.Page("GET /rectification/evidence/{id}", rectRoles, a.rectEvidence)
		a.Page("GET /rectification/figures", rectRoles, a.rectFigures)
		a.Page("GET /rectification/figures.xlsx", rectRoles, a.rectFiguresXLSX)
	})
}

type rectListsData struct {
	Lists   []domain.RectList
	Manages bool
	Sources []domain.RectSource
	Region  string
}

func (a *App) rectLists(w http.ResponseWriter, r *http.Request, q *Req) error {
	ls, err := a.svc.RectLists(r.Context(), q.User)
	if err != nil {
		return err
	}
	d := rectListsData{Lists: ls, Sources: []domain.RectSource{domain.RectWalkthrough, domain.RectInspection, domain.RectPatrolFeed, domain.RectInstruction, domain.RectOther}}
	for _, g := range q.User.Grants {
		if g.Role == domain.RoleLeader || g.Role == domain.RoleAdmin {
			d.Manages, d.Region = true, g.Region
			break
		}
	}
	return a.Render(w, q, http.StatusOK, "rectlists", d)
}

func (a *App) rectCreateList(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	l, err := a.svc.CreateRectList(r.Context(), q.User, domain.RectList{Title: f("title"), Source: domain.RectSource(f("source")), SourceRef: f("source_ref"), Region: f("region")})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/rectification/lists/"+strconv.FormatInt(l.ID, 10), http.StatusSeeOther)
	return nil
}

type rectListData struct {
	service.RectListView
	Orgs    map[string]string
	Manages bool
}

func (a *App) rectList(w http.ResponseWriter, r *http.Request, q *Req) error {
	v, orgs, err := rectRead(a, r, q, "list", a.svc.RectList)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "rectlist", rectListData{RectListView: v, Orgs: orgs, Manages: domain.RectManages(q.User, v.List.Region)})
}

func (a *App) rectAddItem(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "list")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	it := domain.RectItem{Problem: f("problem"), Measures: f("measures"), Org: f("org"), Person: f("person"), Deadline: f("deadline")}
	for i := range 3 {
		if n, due := f("m"+strconv.Itoa(i)), f("m"+strconv.Itoa(i)+"_due"); n != "" || due != "" {
			it.Milestones = append(it.Milestones, domain.RectMilestone{Name: n, Due: due})
		}
	}
	if _, err := a.svc.AddRectItem(r.Context(), q.User, id, it); err != nil {
		return err
	}
	http.Redirect(w, r, "/rectification/lists/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

type rectItemData struct {
	service.RectItemView
	Orgs map[string]string
}

func (a *App) rectItem(w http.ResponseWriter, r *http.Request, q *Req) error {
	v, orgs, err := rectRead(a, r, q, "item", a.svc.RectItem)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "rectitem", rectItemData{RectItemView: v, Orgs: orgs})
}

// rectReport is the responsible org's form: progress, milestones met, files, and
// apply=1 for 销号.
func (a *App) rectReport(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "item")
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
		return domain.Errorf(domain.EINVALID, "the upload does not parse")
	}
	rep := service.RectReport{Progress: strings.TrimSpace(r.FormValue("progress"))}
	for _, m := range r.Form["milestone"] {
		n, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "milestone must be an id")
		}
		rep.Milestones = append(rep.Milestones, n)
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
		for _, fh := range r.MultipartForm.File["files"] {
			f, err := fh.Open()
			if err != nil {
				return domain.Errorf(domain.EINVALID, "could not read %s", fh.Filename)
			}
			defer f.Close()
			rep.Files = append(rep.Files, service.Upload{Name: fh.Filename, Body: f})
		}
	}
	if r.FormValue("apply") == "1" {
		_, err = a.svc.ApplyRect(r.Context(), q.User, id, rep)
	} else {
		_, err = a.svc.ReportRectProgress(r.Context(), q.User, id, rep)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/rectification/items/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// rectDecide is the owner's: approve=1 closes the item, else it is returned with the reason.
func (a *App) rectDecide(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "item")
	if err != nil {
		return err
	}
	if _, err := a.svc.DecideRect(r.Context(), q.User, id, r.PostFormValue("approve") == "1", strings.TrimSpace(r.PostFormValue("reason"))); err != nil {
		return err
	}
	http.Redirect(w, r, "/rectification/items/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// rectEdit is the owner's form of an item's terms.
func (a *App) rectEdit(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "item")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	v, err := a.svc.EditRectItem(r.Context(), q.User, id, domain.RectItem{Problem: f("problem"), Measures: f("measures"), Org: f("org"),
		Person: f("person"), Deadline: f("deadline")})
	if err != nil {
		return err
	}
	return a.done(w, r, "/rectification/items/"+strconv.FormatInt(id, 10), q.L.T("rect.edited", v.Item.Seq))
}

// rectRaiseCase files a case from the item (matter and title from the form; the
// region the list's) and opens it.
func (a *App) rectRaiseCase(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "item")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	v, err := a.svc.RaiseRectCase(r.Context(), q.User, id, domain.NewCase{Matter: f("matter"), Title: f("title"), Kind: "request"})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(v.Item.CaseID, 10), http.StatusSeeOther)
	return nil
}

func (a *App) rectEvidence(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "evidence")
	if err != nil {
		return err
	}
	thumb := r.URL.Query().Get("thumb") == "1"
	att, f, err := a.svc.OpenRectEvidence(r.Context(), q.User, id, thumb)
	return serveStored(w, att, f, thumb, err)
}

type rectFiguresData struct {
	Report service.RectFiguresReport
	XLSX   string
}

func (a *App) rectFigures(w http.ResponseWriter, r *http.Request, q *Req) error {
	p := r.URL.Query()
	rep, err := a.svc.RectFigures(r.Context(), q.User, p.Get("region"), p.Get("by"), p.Get("as_of"))
	if err != nil {
		return err
	}
	xlsx := withQuery("/rectification/figures.xlsx", url.Values{"region": {rep.Region}, "by": {rep.By}, "as_of": {rep.Day}})
	return a.Render(w, q, http.StatusOK, "rectfigures", rectFiguresData{Report: rep, XLSX: xlsx})
}

func (a *App) rectFiguresXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	p := r.URL.Query()
	rep, err := a.svc.RectFigures(r.Context(), q.User, p.Get("region"), p.Get("by"), p.Get("as_of"))
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "rectification_"+rep.Day, "督查整改", "xlsx", service.RectTable(rep))
}

func (a *App) rectItemsXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	v, orgs, err := rectRead(a, r, q, "list", a.svc.RectList)
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "rectification_list_"+strconv.FormatInt(v.List.ID, 10), "整改清单", "xlsx", service.RectItemsTable(v, orgs))
}

// rectRead reads the list or item (what) the path's id names with read, and the orgs'
// names for its items' responsible orgs.
func rectRead[T any](a *App, r *http.Request, q *Req, what string, read func(context.Context, domain.User, int64) (T, error)) (T, map[string]string, error) {
	var v T
	id, err := transport.PathID(r, "id", what)
	if err != nil {
		return v, nil, err
	}
	if v, err = read(r.Context(), q.User, id); err != nil {
		return v, nil, err
	}
	os, err := a.svc.Orgs(r.Context())
	names := map[string]string{}
	for _, o := range os {
		names[o.Code] = o.Name
	}
	return v, names, err
}
