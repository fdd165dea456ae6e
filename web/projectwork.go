package web

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// A project's problems, documents, stage plans and timeline, the weekly bulletin, the
// phone page of one's own projects, and the forms that enter projects and keep the
// catalogue of approval items.

func init() {
	register(func(a *App) {
		readers := []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher}
		entry := []domain.Role{domain.RoleAdmin, domain.RoleLeader}
		phone := []domain.Role{domain.RoleLiaison, domain.RoleLeader, domain.RoleEnterprise}
		a.Nav(NavItem{Key: "nav.my_projects", Path: "/m/projects", Roles: []domain.Role{domain.RoleLiaison, domain.RoleEnterprise}, Order: 63})
		a.Page("GET /projects/bulletin", readers, a.projectBulletin)
		a.Page("GET /project-files/{id}", projectRoles, a.projectFile)
		a.Action("POST /projects/{id}/problems", projectRoles, a.projectProblem)
		a.Action("POST /projects/{id}/plan", projectRoles, a.projectPlan)
		a.Action("POST /projects/{id}/files", projectRoles, a.projectFiles)
		a.Page("GET /projects/new", entry, a.projectNew)
		a.Action("POST /projects/new", entry, a.projectCreate)
		a.Page("GET /projects/{id}/edit", projectRoles, a.projectEdit)
		a.Action("POST /projects/{id}/edit", projectRoles, a.projectSave)
		a.Page("GET /admin/approval-items", []domain.Role{domain.RoleAdmin}, a.approvalItems)
		a.Action("POST /admin/approval-items", []domain.Role{domain.RoleAdmin}, a.approvalItemSave)
		a.Page("GET /m/projects", phone, a.phoneProjects)
	})
}

// ganttRow is a stage's bar on the project's timeline, placed by CSS.
type ganttRow struct {
	domain.Bar
	Plan, Actual template.CSS
}

// gantt lays the project's stages out for its page: bars, the span and today's mark.
func gantt(stages []domain.StageRecord, today string) (rows []ganttRow, from, to string, now template.CSS) {
	bars, from, to, at := domain.Timeline(stages, today)
	place := func(left, width int) template.CSS {
		return template.CSS(fmt.Sprintf("left:%.1f%%;width:%.1f%%", float64(left)/10, float64(width)/10))
	}
	for _, b := range bars {
		rows = append(rows, ganttRow{Bar: b, Plan: place(b.PlanLeft, b.PlanWidth), Actual: place(b.ActualLeft, b.ActualWidth)})
	}
	return rows, from, to, template.CSS(fmt.Sprintf("left:%.1f%%", float64(at)/10))
}

func (a *App) projectProblem(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	c, err := a.svc.RaiseProjectProblem(r.Context(), q.User, id, domain.ProjectProblem{Category: domain.ProblemCategory(f("category")),
		Title: f("title"), Description: f("description"), Matter: f("matter")})
	if err == nil {
		return a.done(w, r, "/projects/"+strconv.FormatInt(id, 10), q.L.T("projects.problem_filed", c.Number))
	}
	return a.afterProject(w, r, q, id, err)
}

func (a *App) projectPlan(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	pg, err := a.svc.Project(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	for _, rec := range pg.Stages {
		day, ok := r.PostForm["planned_"+string(rec.Stage)]
		if !ok || rec.Planned == strings.TrimSpace(day[0]) {
			continue
		}
		rec.Planned = strings.TrimSpace(day[0])
		if err := a.svc.PlanStage(r.Context(), q.User, id, rec); err != nil {
			return a.afterProject(w, r, q, id, err)
		}
	}
	return a.done(w, r, "/projects/"+strconv.FormatInt(id, 10), q.L.T("projects.planned_saved"))
}

// projectFiles keeps the files of a stage's document form (stage) or a month's photos
// (month).
func (a *App) projectFiles(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
		return a.afterProject(w, r, q, id, domain.Invalidf("file", "the upload does not parse or is too large"))
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	files, err := photoUploads(r, "files")
	if err == nil {
		_, err = a.svc.AddProjectFiles(r.Context(), q.User, id, domain.Stage(r.FormValue("stage")), r.FormValue("month"), files)
	}
	if err == nil && r.FormValue("back") == "phone" {
		return a.done(w, r, "/m/projects", q.L.T("projects.files_kept", len(files)))
	}
	return a.afterProject(w, r, q, id, err)
}

func (a *App) projectFile(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "file")
	if err != nil {
		return err
	}
	thumb := r.URL.Query().Get("thumb") == "1"
	att, f, err := a.svc.OpenProjectFile(r.Context(), q.User, id, thumb)
	return serveStored(w, att, f, thumb, err)
}

type bulletinData struct {
	service.ProjectBulletin
	Names      map[string]string
	Prev, Next string // the weeks before and after, as days
}

func (a *App) projectBulletin(w http.ResponseWriter, r *http.Request, q *Req) error {
	qs := r.URL.Query()
	b, err := a.svc.ProjectBulletin(r.Context(), q.User, qs.Get("region"), qs.Get("week"))
	if err != nil {
		return err
	}
	d := bulletinData{ProjectBulletin: b, Names: map[string]string{}}
	monday, _ := time.Parse(time.DateOnly, b.From)
	d.Prev, d.Next = monday.AddDate(0, 0, -7).Format(time.DateOnly), monday.AddDate(0, 0, 7).Format(time.DateOnly)
	if err := a.orgAndRegionNames(r, d.Names, b.Region); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "projectbulletin", d)
}

// orgAndRegionNames adds the departments' names and the regions' to names (their
// codes never meet: letters against digits).
func (a *App) orgAndRegionNames(r *http.Request, names map[string]string, regions ...string) error {
	orgs, err := a.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	for _, o := range orgs {
		names[o.Code] = o.Name
	}
	if len(regions) == 0 {
		return nil
	}
	rs, err := a.svc.RegionNames(r.Context(), regions)
	maps.Copy(names, rs)
	return err
}

// phoneCard is one of the agent's projects on the phone: what is open and this month's
// report.
type phoneCard struct {
	Project  *domain.Project
	Open     []itemRow
	Reported *domain.ProjectProgress // this month's, when sent
}

type phoneProjectsData struct {
	Cards []phoneCard
	Month string
}

func (a *App) phoneProjects(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.phoneProjectsStatus(w, r, q, http.StatusOK)
}

func (a *App) phoneProjectsStatus(w http.ResponseWriter, r *http.Request, q *Req, status int) error {
	ps, err := a.svc.MyProjects(r.Context(), q.User)
	if err != nil {
		return err
	}
	d := phoneProjectsData{Month: a.svc.Now().In(domain.China).Format("2006-01")}
	for _, p := range ps {
		pg, err := a.svc.Project(r.Context(), q.User, p.ID)
		if err != nil {
			return err
		}
		c := phoneCard{Project: pg.Project}
		for _, it := range itemRows(pg.Items) {
			if it.Decided == nil && it.State != domain.ItemRefused {
				c.Open = append(c.Open, it)
			}
		}
		for i := range pg.Progress {
			if pg.Progress[i].Month == d.Month {
				c.Reported = &pg.Progress[i]
			}
		}
		d.Cards = append(d.Cards, c)
	}
	return a.Render(w, q, status, "projectphone", d)
}

// projectFormData is the form that enters or changes a project.
type projectFormData struct {
	Project    domain.Project
	Industries []string
	Regions    []domain.Region
	Leaders    []domain.User
	Agents     []domain.User
}

func (a *App) projectForm(w http.ResponseWriter, r *http.Request, q *Req, p domain.Project, status int) error {
	d := projectFormData{}
	for k := range domain.Industries {
		d.Industries = append(d.Industries, k)
	}
	slices.Sort(d.Industries)
	root := p.Region
	if root == "" && len(q.User.Grants) > 0 {
		root = q.User.Grants[0].Region
	}
	fam, err := a.svc.Family(r.Context(), root)
	if err != nil {
		return err
	}
	d.Regions = append([]domain.Region{fam.Region}, fam.Children...)
	p.Region = root
	d.Project = p
	if d.Leaders, d.Agents, err = a.svc.ProjectStaff(r.Context(), q.User, &p); err != nil {
		return err
	}
	return a.Render(w, q, status, "projectform", d)
}

func (a *App) projectNew(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.projectForm(w, r, q, domain.Project{Kind: "industry", Tier: domain.TierNormal}, http.StatusOK)
}

func (a *App) projectEdit(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	pg, err := a.svc.Project(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	if !pg.Role.Manages() {
		return domain.Errorf(domain.EFORBIDDEN, "only who manages the project changes it")
	}
	return a.projectForm(w, r, q, *pg.Project, http.StatusOK)
}

// projectFromForm reads the project form; amounts that do not parse are named.
func projectFromForm(r *http.Request) (domain.Project, error) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	p := domain.Project{Name: f("name"), Investor: f("investor"), Industry: f("industry"), Kind: domain.ProjectKind(f("kind")),
		Parcel: f("parcel"), Park: f("park"), Region: f("region"), Priority: f("priority"), Tier: domain.Tier(f("tier")),
		Status: domain.ProjectStatus(f("status"))}
	p.Version, _ = strconv.Atoi(f("version"))
	p.LeaderID, _ = strconv.ParseInt(f("leader_id"), 10, 64)
	p.AgentID, _ = strconv.ParseInt(f("agent_id"), 10, 64)
	for _, x := range []struct {
		key string
		to  *domain.Amount
	}{{"total", &p.Total}, {"year_plan", &p.YearPlan}, {"land", &p.Land}} {
		v := f(x.key)
		if v == "" {
			v = "0"
		}
		n, err := domain.ParseAmount(v)
		if err != nil {
			return p, domain.Invalidf("project."+x.key, "%s: %s", x.key, domain.ErrorMessage(err))
		}
		*x.to = n
	}
	return p, nil
}

func (a *App) projectCreate(w http.ResponseWriter, r *http.Request, q *Req) error {
	p, err := projectFromForm(r)
	if err == nil {
		var out *domain.Project
		if out, err = a.svc.PutProject(r.Context(), q.User, p); err == nil {
			return a.done(w, r, "/projects/"+strconv.FormatInt(out.ID, 10), q.L.T("projects.created", out.Name))
		}
	}
	if _, ok := transport.Status(err); !ok {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.projectForm(w, r, q, p, statusOf(err))
}

func (a *App) projectSave(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	if _, err := a.svc.Project(r.Context(), q.User, id); err != nil {
		return err
	}
	p, err := projectFromForm(r)
	p.ID = id
	if err == nil {
		if _, err = a.svc.PutProject(r.Context(), q.User, p); err == nil {
			http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return nil
		}
	}
	if _, ok := transport.Status(err); !ok || domain.ErrorCode(err) == domain.ENOTFOUND {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.projectForm(w, r, q, p, statusOf(err))
}

type approvalItemsData struct {
	Items []domain.ApprovalItem
	Orgs  []domain.Org
	Names map[string]string
	Edit  domain.ApprovalItem // the entry in the form
}

func (a *App) approvalItems(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showApprovalItems(w, r, q, domain.ApprovalItem{}, http.StatusOK)
}

func (a *App) showApprovalItems(w http.ResponseWriter, r *http.Request, q *Req, edit domain.ApprovalItem, status int) error {
	items, err := a.svc.ApprovalCatalogue(r.Context())
	if err != nil {
		return err
	}
	orgs, err := a.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	d := approvalItemsData{Items: items, Orgs: orgs, Names: map[string]string{}, Edit: edit}
	for _, o := range orgs {
		d.Names[o.Code] = o.Name
	}
	if code := r.URL.Query().Get("code"); code != "" && edit.Code == "" {
		for _, it := range items {
			if it.Code == code {
				d.Edit = it
			}
		}
	}
	return a.Render(w, q, status, "approvalitems", d)
}

func (a *App) approvalItemSave(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	n := func(k string) int { v, _ := strconv.Atoi(f(k)); return v }
	it := domain.ApprovalItem{Code: f("code"), Name: f("name"), Stage: domain.Stage(f("stage")), Org: f("org"),
		Statutory: n("statutory_days"), Promised: n("promised_days"), VIP: n("vip_days"),
		Commitment: f("commitment") == "1", Required: f("required") == "1"}
	saved, err := a.svc.PutApprovalItem(r.Context(), q.User, it)
	if err == nil {
		return a.done(w, r, "/admin/approval-items", q.L.T("projects.item_saved", saved.Code, saved.Name))
	}
	if _, ok := transport.Status(err); !ok {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.showApprovalItems(w, r, q, it, statusOf(err))
}

// projectExtras are the parts of a project's page beyond its stages and items: the
// timeline, the problems' categories and the files by stage and by month.
type projectExtras struct {
	Gantt            []ganttRow
	SpanFrom, SpanTo string
	Today            template.CSS
	Categories       []domain.ProblemCategory
	StageFiles       map[domain.Stage][]domain.ProjectFile
	MonthFiles       map[string][]domain.ProjectFile
}

func extrasOf(pg service.ProjectPage, now time.Time) projectExtras {
	x := projectExtras{Categories: domain.ProblemCategories, StageFiles: map[domain.Stage][]domain.ProjectFile{}, MonthFiles: map[string][]domain.ProjectFile{}}
	x.Gantt, x.SpanFrom, x.SpanTo, x.Today = gantt(pg.Stages, now.In(domain.China).Format(time.DateOnly))
	for _, f := range pg.Files {
		if f.Stage != "" {
			x.StageFiles[f.Stage] = append(x.StageFiles[f.Stage], f)
		} else {
			x.MonthFiles[f.Month] = append(x.MonthFiles[f.Month], f)
		}
	}
	return x
}

// progressPhotos keeps the site photos sent with a month's report.
func (a *App) progressPhotos(r *http.Request, q *Req, id int64) error {
	if r.MultipartForm == nil {
		return nil
	}
	defer r.MultipartForm.RemoveAll()
	files, err := photoUploads(r, "photos")
	if err != nil || len(files) == 0 {
		return err
	}
	_, err = a.svc.AddProjectFiles(r.Context(), q.User, id, "", r.PostFormValue("month"), files)
	return err
}

// afterProgress answers a month's report: back to the phone's list when it came from
// there, else as every action on the project.
func (a *App) afterProgress(w http.ResponseWriter, r *http.Request, q *Req, id int64, err error) error {
	if r.PostFormValue("back") != "phone" {
		return a.afterProject(w, r, q, id, err)
	}
	if err == nil {
		return a.done(w, r, "/m/projects", q.L.T("projects.progress_sent"))
	}
	if _, ok := transport.Status(err); !ok {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.phoneProjectsStatus(w, r, q, statusOf(err))
}

// reportPlaces are the regions a report of region may move to: those above it that u reads,
// the region itself, and those directly under it.
func (a *App) reportPlaces(r *http.Request, u domain.User, region string) ([]domain.Region, error) {
	fam, err := a.svc.Family(r.Context(), region)
	if err != nil {
		return nil, err
	}
	var out []domain.Region
	for _, anc := range fam.Ancestors {
		if domain.ReadsPlace(u, anc.Code) {
			out = append(out, anc)
		}
	}
	return append(append(out, fam.Region), fam.Children...), nil
}
