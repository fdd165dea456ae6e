package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
)

// Patrols on the phone (巡查): the open tasks of the plans the user carries out, and a
// patrol form — the checklist item by item, a photo, the phone's position, and a hazard
// found, filed as a hazard case. The hazard ledger (隐患台账) and the liaison report
// (联企服务) for leaders, dispatchers and administrators.

var patrolRoles = []domain.Role{domain.RoleGridWorker, domain.RoleBuildingHead, domain.RoleVolunteer, domain.RoleOfficer, domain.RoleLeader}

var ledgerRoles = []domain.Role{domain.RoleLeader, domain.RoleDispatcher, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.patrol", Path: "/m/patrol", Roles: patrolRoles, Order: 32})
		a.Page("GET /m/patrol", patrolRoles, a.patrolForm)
		a.Action("POST /m/patrol", patrolRoles, a.patrolRecord)
		a.Nav(NavItem{Key: "nav.ledger", Path: "/ledgers/hazards", Roles: ledgerRoles, Order: 55})
		a.Page("GET /ledgers/hazards", ledgerRoles, a.ledgerPage)
		a.Page("GET /ledgers/hazards.xlsx", ledgerRoles, a.ledgerXLSX)
		a.Nav(NavItem{Key: "nav.liaison_report", Path: "/reports/liaison", Roles: append(ledgerRoles, domain.RoleLiaison), Order: 56})
		a.Page("GET /reports/liaison", append(ledgerRoles, domain.RoleLiaison), a.liaisonReportPage)
	})
}

type patrolData struct {
	Tasks     []domain.PatrolTask
	Plans     map[int64]string
	Checklist domain.Checklist
	Region    string
	Regions   map[string]string
	Matters   []domain.Matter
	Done      *domain.Patrol
}

// patrolRegion is where a patrol without a task is: the user's first region grant.
func patrolRegion(u domain.User) string {
	for _, g := range u.Grants {
		if g.Region != "" && g.Role != domain.RoleAdmin {
			return g.Region
		}
	}
	return ""
}

func (a *App) patrolForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	d := patrolData{Region: patrolRegion(q.User), Plans: map[int64]string{}}
	tasks, err := a.svc.MyTasks(ctx, q.User, q.Now.AddDate(0, 0, -1), q.Now.AddDate(0, 1, 0), true)
	if err != nil {
		return err
	}
	for _, t := range tasks { // the ones that can be done now
		if !q.Now.Before(t.Start) && q.Now.Before(t.Due) {
			d.Tasks = append(d.Tasks, t)
		}
	}
	lists, err := a.svc.EnsureChecklists(ctx)
	if err != nil {
		return err
	}
	checklist := int64(0)
	codes := []string{}
	for _, t := range d.Tasks {
		p, _, err := a.svc.Plan(ctx, q.User, t.PlanID, q.Now, q.Now) // the plan alone, no tasks
		if err != nil {
			return err
		}
		d.Plans[t.PlanID] = p.Name
		codes = append(codes, t.Region)
		if checklist == 0 {
			checklist = p.Checklist
		}
	}
	for _, c := range lists {
		if (checklist != 0 && c.ID == checklist) || (checklist == 0 && c.Code == domain.SafetyPatrol.Code) {
			d.Checklist = c
		}
	}
	if d.Regions, err = a.svc.RegionNames(ctx, append(codes, d.Region)); err != nil {
		return err
	}
	ms, err := a.svc.Matters(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Class == "安全隐患" {
			d.Matters = append(d.Matters, m)
		}
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("done"), 10, 64); id > 0 {
		if p, err := a.svc.Patrol(ctx, q.User, id); err == nil {
			d.Done = &p
		}
	}
	return a.Render(w, q, http.StatusOK, "patrol", d)
}

// patrolRecord records the patrol from the form: the task chosen (or none: the
// user's region), the checklist answers, the photo and position, one hazard found.
func (a *App) patrolRecord(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	mins, _ := strconv.Atoi(f("minutes"))
	if mins <= 0 || mins > 600 {
		mins = 30
	}
	in := service.PatrolInput{}
	p := &in.Patrol
	p.EndedAt = q.Now
	p.StartedAt = q.Now.Add(-time.Duration(mins) * time.Minute)
	p.TaskID, _ = strconv.ParseInt(f("task"), 10, 64)
	if p.TaskID == 0 {
		p.Region = f("region")
	}
	p.Note = f("note")
	if lat, err := strconv.ParseFloat(f("lat"), 64); err == nil {
		if lon, err := strconv.ParseFloat(f("lon"), 64); err == nil {
			p.Lat, p.Lon = &lat, &lon
		}
	}
	if ph := f("photo"); ph != "" {
		p.Photos = []string{ph}
	}
	if c, err := strconv.ParseInt(f("checklist"), 10, 64); err == nil && c > 0 {
		list, err := a.svc.Checklist(r.Context(), c)
		if err != nil {
			return err
		}
		p.Checklist = c
		for _, it := range list.Items {
			p.Answers = append(p.Answers, domain.ChecklistAnswer{Item: it.Code, OK: r.PostFormValue("ok_"+it.Code) == "1", Note: f("note_" + it.Code)})
		}
	}
	if m := f("hazard_matter"); m != "" {
		in.Findings = []domain.HazardFinding{{Matter: m, Title: f("hazard_title"), Level: f("hazard_level"), Measures: f("hazard_measures"),
			Lat: p.Lat, Lon: p.Lon, Photos: p.Photos}}
	}
	got, err := a.svc.RecordPatrol(r.Context(), q.User, in)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/m/patrol?done="+strconv.FormatInt(got.ID, 10), http.StatusSeeOther)
	return nil
}

type ledgerData struct {
	From, To, By string
	Ledger       service.Ledger
	XLSX         string        // the workbook of the same region and period
	Map          template.HTML // the hazards over the grids (hazardMap)
	Counted      bool          // the map counts hazards per grid (too many to draw one by one)
}

// ledgerPeriod reads from/to (dates, to inclusive); default the last twelve months.
func ledgerPeriod(r *http.Request, now time.Time) (time.Time, time.Time, string, string) {
	to, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("to"), domain.China)
	if err != nil {
		to = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.China)
	}
	from, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("from"), domain.China)
	if err != nil || !from.Before(to.AddDate(0, 0, 1)) {
		from = to.AddDate(-1, 0, 1)
	}
	return from, to.AddDate(0, 0, 1), from.Format("2006-01-02"), to.Format("2006-01-02")
}

func (a *App) ledgerPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	from, to, f, t := ledgerPeriod(r, q.Now)
	by := r.URL.Query().Get("by")
	if by != "category" && by != "level" {
		by = "region"
	}
	l, err := a.svc.HazardLedger(r.Context(), q.User, r.URL.Query().Get("region"), by, from, to)
	if err != nil {
		return err
	}
	xlsx := withQuery("/ledgers/hazards.xlsx", url.Values{"region": {l.Region}, "from": {f}, "to": {t}})
	d := ledgerData{From: f, To: t, By: by, Ledger: l, XLSX: xlsx}
	m, err := a.svc.HazardMap(r.Context(), q.User, l.Region, from, to)
	if err != nil {
		return err
	}
	d.Counted = m.PerGrid != nil
	if d.Map, err = a.tiled(r.Context(), q, hazardMap(m, q.L, f, t)); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "ledger", d)
}

func (a *App) ledgerXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	from, to, _, _ := ledgerPeriod(r, q.Now)
	name, body, err := a.svc.HazardLedgerWorkbook(r.Context(), q.User, r.URL.Query().Get("region"), from, to)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="hazard-ledger.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
	_, err = w.Write(body)
	return err
}

type liaisonReportData struct {
	From, To string
	Report   service.LiaisonReport
}

func (a *App) liaisonReportPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	from, to, f, t := ledgerPeriod(r, q.Now)
	rep, err := a.svc.Liaison(r.Context(), q.User, r.URL.Query().Get("region"), from, to)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "liaisonreport", liaisonReportData{From: f, To: t, Report: rep})
}
