package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 项目全生命周期与极速审批 in the browser: the project list (every figure of the
// dashboard links to it with its filter) and its XLSX download, a project's page with
// its stages and items and the forms of who may act on them, the departments' inbox of
// approval items with countdowns, and the leaders' projects dashboard. Each calls the
// service method the /api/v1/projects routes call.

// projectRoles open the project pages; the service shows each only what is theirs.
var projectRoles = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleOfficer,
	domain.RoleLiaison, domain.RoleEnterprise}

func init() {
	register(func(a *App) {
		readers := []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher}
		officers := []domain.Role{domain.RoleOfficer}
		a.Nav(NavItem{Key: "nav.projects", Path: "/projects", Roles: projectRoles, Order: 62})
		a.Page("GET /projects", projectRoles, a.projectList)
		a.Page("GET /projects.xlsx", projectRoles, a.projectsXLSX)
		a.Page("GET /projects/{id}", projectRoles, a.projectPage)
		a.Page("GET /projects/inbox", officers, a.projectInbox)
		a.Page("GET /projects/dashboard", readers, a.projectDashboard)
		a.Action("POST /projects/{id}/items", projectRoles, a.projectApply)
		a.Action("POST /projects/{id}/advance", projectRoles, a.projectAdvance)
		a.Action("POST /projects/{id}/progress", projectRoles, a.projectProgress)
		a.Action("POST /projects/items/{id}/act", projectRoles, a.projectItemAct)
	})
}

type projectListData struct {
	Projects []*domain.Project
	XLSX     template.URL
	Filter   domain.ProjectFilter
}

// projectsAsked lists the projects the query's filter chooses among those q's user sees.
func (a *App) projectsAsked(r *http.Request, q *Req) ([]*domain.Project, domain.ProjectFilter, error) {
	f, err := transport.ProjectFilter(r.URL.Query())
	if err != nil {
		return nil, f, err
	}
	ps, err := a.svc.Projects(r.Context(), q.User, f)
	return ps, f, err
}

func (a *App) projectList(w http.ResponseWriter, r *http.Request, q *Req) error {
	ps, f, err := a.projectsAsked(r, q)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "projects", projectListData{Projects: ps, XLSX: template.URL("/projects.xlsx?" + r.URL.Query().Encode()), Filter: f})
}

func (a *App) projectsXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	ps, _, err := a.projectsAsked(r, q)
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "projects", "项目", "xlsx", service.ProjectTable(ps))
}

// projectPageData is a project's page with what the reader may do on it.
type projectPageData struct {
	service.ProjectPage
	StageRows []stageRow
	Next      domain.Stage          // the stage it may advance into
	Fileable  []domain.ApprovalItem // catalogue items of the stages ahead not yet filed
	MyOrgs    []string              // the reader's departments with items of it
	Names     map[string]string     // department names by code
	projectExtras
}

func (a *App) projectPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showProject(w, r, q, http.StatusOK)
}

func (a *App) showProject(w http.ResponseWriter, r *http.Request, q *Req, status int) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	ctx := r.Context()
	pg, err := a.svc.Project(ctx, q.User, id)
	if err != nil {
		return err
	}
	d := projectPageData{ProjectPage: pg, MyOrgs: pg.Role.Orgs, Names: map[string]string{}}
	rows := itemRows(pg.Items)
	for _, st := range pg.Stages {
		sr := stageRow{StageRecord: st, Reached: st.Stage.Index() <= pg.Project.Stage.Index(), Current: st.Stage == pg.Project.Stage}
		for _, it := range rows {
			if it.Stage == st.Stage {
				sr.Items = append(sr.Items, it)
			}
		}
		d.StageRows = append(d.StageRows, sr)
	}
	if i := pg.Project.Stage.Index() + 1; i < len(domain.Stages) {
		d.Next = domain.Stages[i]
	}
	cat, err := a.svc.ApprovalCatalogue(ctx)
	if err != nil {
		return err
	}
	for _, c := range cat {
		filed := slices.ContainsFunc(pg.Items, func(it service.ItemView) bool { return it.Code == c.Code && it.State != domain.ItemRefused })
		if !filed && c.Stage.Index() > pg.Project.Stage.Index() {
			d.Fileable = append(d.Fileable, c)
		}
	}
	if err := a.orgAndRegionNames(r, d.Names, pg.Project.Region); err != nil {
		return err
	}
	d.projectExtras = extrasOf(pg, a.svc.Now())
	return a.Render(w, q, status, "project", d)
}

// afterProject shows the project again after an action: back to its page when it
// went through, the page with the refusal above it when the service refused.
func (a *App) afterProject(w http.ResponseWriter, r *http.Request, q *Req, id int64, err error) error {
	if err == nil {
		http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	if _, ok := transport.Status(err); !ok || domain.ErrorCode(err) == domain.ENOTFOUND {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.showProject(w, r, q, statusOf(err))
}

func (a *App) projectApply(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	_, err = a.svc.ApplyItem(r.Context(), q.User, id, r.PostFormValue("code"))
	return a.afterProject(w, r, q, id, err)
}

func (a *App) projectAdvance(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	rec := domain.StageRecord{Stage: domain.Stage(r.PostFormValue("stage")), Actual: r.PostFormValue("actual")}
	if k, v := strings.TrimSpace(r.PostFormValue("fact_name")), strings.TrimSpace(r.PostFormValue("fact_value")); k != "" {
		rec.Facts = map[string]string{k: v}
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err = a.svc.AdvanceStage(r.Context(), q.User, id, rec, version)
	return a.afterProject(w, r, q, id, err)
}

func (a *App) projectProgress(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	amount, err := domain.ParseAmount(r.PostFormValue("amount"))
	if err != nil {
		return a.afterProject(w, r, q, id, domain.Errorf(domain.EINVALID, "amount: %s", domain.ErrorMessage(err)))
	}
	physical, _ := strconv.Atoi(r.PostFormValue("physical"))
	err = a.svc.ReportProgress(r.Context(), q.User, domain.ProjectProgress{ProjectID: id, Month: r.PostFormValue("month"),
		Amount: amount, Physical: physical, Note: strings.TrimSpace(r.PostFormValue("note"))})
	if err == nil {
		err = a.progressPhotos(r, q, id)
	}
	return a.afterProgress(w, r, q, id, err)
}

// projectItemAct does an action on an item, from the project's page or the inbox
// (back=inbox returns there).
func (a *App) projectItemAct(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "item")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := domain.ItemInput{GapsDue: f("gaps_due"), Note: f("note"), Permit: f("permit")}
	in.Version, _ = strconv.Atoi(f("version"))
	for _, g := range strings.Split(f("gaps"), "，") {
		for _, g := range strings.Split(g, ",") {
			if g = strings.TrimSpace(g); g != "" {
				in.Gaps = append(in.Gaps, g)
			}
		}
	}
	project, _ := strconv.ParseInt(f("project"), 10, 64)
	it, err := a.svc.ActItem(r.Context(), q.User, id, domain.ItemAction(f("action")), in)
	if err == nil && f("back") == "inbox" {
		http.Redirect(w, r, "/projects/inbox", http.StatusSeeOther)
		return nil
	}
	if err == nil {
		project = it.ProjectID
	}
	if project == 0 {
		return err
	}
	return a.afterProject(w, r, q, project, err)
}

type projectInboxData struct {
	Items []itemRow
}

func (a *App) projectInbox(w http.ResponseWriter, r *http.Request, q *Req) error {
	items, err := a.svc.ItemInbox(r.Context(), q.User)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "projectinbox", projectInboxData{Items: itemRows(items)})
}

type projectDashData struct {
	service.ProjectFigures
	Places []domain.Region // the regions the reader may choose: those above in scope, this one, those under
	Tiers  []domain.Tier
	Names  map[string]string
	Href   map[string]template.URL // each figure's project list, by figure
}

// hrefs makes the figures' links: a project list with each figure's filter.
func (d *projectDashData) hrefs() {
	list := func(q string) template.URL {
		v, _ := url.ParseQuery(q)
		return template.URL("/projects?" + v.Encode())
	}
	d.Href = map[string]template.URL{"xlsx": template.URL("/projects.xlsx?region=" + url.QueryEscape(d.Region))}
	for k, q := range d.Links {
		d.Href[k] = list(q)
	}
	for _, s := range d.Stages {
		d.Href["stage:"+string(s.Stage)] = list(s.Link)
		for _, t := range d.Tiers {
			d.Href["stage:"+string(s.Stage)+":"+string(t)] = list(s.Link + "&tier=" + string(t))
		}
	}
	for _, o := range d.Orgs {
		d.Href["org:"+o.Org] = list(o.Link)
	}
	for _, p := range d.Parks {
		d.Href["park:"+p.Park] = list(p.Link)
	}
}

func (a *App) projectDashboard(w http.ResponseWriter, r *http.Request, q *Req) error {
	qs := r.URL.Query()
	f, err := a.svc.ProjectFigures(r.Context(), q.User, qs.Get("region"), qs.Get("year"))
	if err != nil {
		return err
	}
	d := projectDashData{ProjectFigures: f, Tiers: domain.Tiers, Names: map[string]string{}}
	if d.Places, err = a.reportPlaces(r, q.User, f.Region); err != nil {
		return err
	}
	if err := a.orgAndRegionNames(r, d.Names); err != nil {
		return err
	}
	d.hrefs()
	return a.Render(w, q, http.StatusOK, "projectdash", d)
}

// itemRow is an item as the pages show it: its clock in working days.
type itemRow struct {
	service.ItemView
	TakenDays, LeftDays string
}

func itemRows(items []service.ItemView) []itemRow {
	out := make([]itemRow, len(items))
	for i, it := range items {
		out[i] = itemRow{ItemView: it, TakenDays: workDays(it.Taken, it.DayMinutes)}
		if it.Left != nil {
			out[i].LeftDays = workDays(*it.Left, it.DayMinutes)
		}
	}
	return out
}

// workDays writes working minutes as working days with one decimal, "2.5".
func workDays(minutes, dayMinutes int) string {
	if dayMinutes <= 0 {
		return "—"
	}
	sign := ""
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	tenths := (minutes*10 + dayMinutes/2) / dayMinutes
	return sign + strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
}

// stageRow is a stage of a project's page: reached or not, and its items.
type stageRow struct {
	domain.StageRecord
	Reached, Current bool
	Items            []itemRow
}
