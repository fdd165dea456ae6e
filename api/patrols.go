package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"whistle/domain"
	"whistle/transport"
)

func (s *Server) listPlans(w http.ResponseWriter, r *http.Request, u domain.User) error {
	user, err := queryInt(r, "user")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	plans, err := s.svc.Plans(r.Context(), u, domain.PlanFilter{Region: q.Get("region"), Org: q.Get("org"), UserID: user})
	return reply(w, http.StatusOK, map[string]any{"plans": plans}, err)
}

func (s *Server) createPlan(w http.ResponseWriter, r *http.Request, u domain.User) error {
	var p domain.PatrolPlan
	if err := transport.Decode(w, r, &p); err != nil {
		return err
	}
	p.ID, p.Linkage = 0, 0
	p, n, err := s.svc.CreatePlan(r.Context(), u, p)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/patrol-plans/", p.ID, map[string]any{"plan": p, "tasks": n})
}

// linkagePlans asks for the patrol plans the community linkages call for.
type linkagePlans struct {
	Region    string `json:"region"`
	From      string `json:"from"`
	To        string `json:"to"`
	Times     int64  `json:"times"`
	Checklist int64  `json:"checklist"`
}

func (s *Server) plansFromLinkages(ctx context.Context, u domain.User, b linkagePlans) (map[string]any, error) {
	if b.Times < 0 || b.Times > 31 {
		return nil, domain.Errorf(domain.EINVALID, "times must be between 1 and 31")
	}
	plans, err := s.svc.PlansFromLinkages(ctx, u, b.Region, b.From, b.To, b.Times, b.Checklist)
	return map[string]any{"plans": plans}, err
}

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "patrol plan")
	if err != nil {
		return err
	}
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	p, tasks, err := s.svc.Plan(r.Context(), u, id, from, to)
	return reply(w, http.StatusOK, map[string]any{"plan": p, "tasks": taskViews(tasks, s.svc.Now())}, err)
}

// taskView is a task with its status now.
type taskView struct {
	domain.PatrolTask
	Status string `json:"status"`
}

func taskViews(tasks []domain.PatrolTask, now time.Time) []taskView {
	out := make([]taskView, len(tasks))
	for i, t := range tasks {
		out[i] = taskView{t, t.Status(now)}
	}
	return out
}

// myTasks lists the user's patrol tasks, by default those due from yesterday to a
// month ahead.
func (s *Server) myTasks(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, asked, err := s.periodIf(r)
	if err != nil {
		return err
	}
	now := s.svc.Now()
	if !asked {
		from, to = now.AddDate(0, 0, -1), now.AddDate(0, 1, 0)
	}
	tasks, err := s.svc.MyTasks(r.Context(), u, from, to, r.URL.Query().Get("open") == "true")
	return reply(w, http.StatusOK, map[string]any{"tasks": taskViews(tasks, now)}, err)
}

func (s *Server) listPatrols(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	user, err := queryInt(r, "user")
	after, limit, err2 := queryPage(r)
	if err := firstErr(err, err2); err != nil {
		return err
	}
	q := r.URL.Query()
	ps, err := s.svc.Patrols(r.Context(), u, domain.PatrolFilter{Region: q.Get("region"), Org: q.Get("org"), UserID: user, From: from, To: to, After: after, Limit: limit})
	next := patrolPages.next(limit, len(ps), func() int64 { return ps[len(ps)-1].ID })
	return reply(w, http.StatusOK, map[string]any{"patrols": ps, "next": next}, err)
}

func (s *Server) compliance(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "org"
	}
	region, err := reportRegion(r, u)
	if err != nil {
		return err
	}
	rows, total, err := s.svc.Compliance(r.Context(), u, region, by, from, to)
	return reply(w, http.StatusOK, map[string]any{"region": region, "by": by, "from": from.Format("2006-01-02"), "to": lastDay(to),
		"rows": rows, "total": total}, err)
}

func (s *Server) saveChecklist(ctx context.Context, u domain.User, id int64, c domain.Checklist) (domain.Checklist, error) {
	c.ID = id
	return s.svc.PutChecklist(ctx, u, c)
}

func (s *Server) checklistProgress(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "checklist")
	if err != nil {
		return err
	}
	year, err := s.queryYear(r)
	if err != nil {
		return err
	}
	region, err := reportRegion(r, u)
	if err != nil {
		return err
	}
	ps, err := s.svc.ChecklistProgress(r.Context(), u, id, region, year)
	done, total := 0, 0
	for _, p := range ps {
		done, total = done+p.Done, total+p.Total
	}
	return reply(w, http.StatusOK, map[string]any{"region": region, "year": year, "communities": ps, "done": done, "total": total}, err)
}

func (s *Server) checklistEntry(ctx context.Context, u domain.User, id int64, e domain.ChecklistEntry) (domain.ChecklistEntry, error) {
	e.ID, e.Checklist = 0, id
	return s.svc.RecordChecklistItem(ctx, u, e)
}

// evidenceBody adds photos to a hazard's evidence.
type evidenceBody struct {
	Photos []string `json:"photos"`
}

func (s *Server) hazardEvidence(ctx context.Context, u domain.User, id int64, b evidenceBody) (domain.Hazard, error) {
	return s.svc.AddHazardEvidence(ctx, u, id, b.Photos)
}

func (s *Server) hazardLedger(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	l, err := s.svc.HazardLedger(r.Context(), u, q.Get("region"), q.Get("by"), from, to)
	return reply(w, http.StatusOK, l, err)
}

// hazardLedgerXLSX exports the hazard ledger as an XLSX workbook.
func (s *Server) hazardLedgerXLSX(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	name, body, err := s.svc.HazardLedgerWorkbook(r.Context(), u, r.URL.Query().Get("region"), from, to)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="hazard-ledger.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
	return nil
}

// patrolRoutes registers patrols, checklists, hazards and the hazard ledger, and the
// enterprise registry, inspections and the liaison report (enterprises.go).
func (s *Server) patrolRoutes() {
	s.authed("GET /api/v1/patrol-plans", s.listPlans)
	s.authed("POST /api/v1/patrol-plans", s.createPlan)
	s.authed("POST /api/v1/patrol-plans/from-linkages", write(http.StatusCreated, s.plansFromLinkages))
	s.authed("GET /api/v1/patrol-plans/{id}", s.getPlan)
	s.authed("GET /api/v1/patrol-tasks", s.myTasks)
	s.authed("GET /api/v1/patrols", s.listPatrols)
	s.authed("POST /api/v1/patrols", create("/api/v1/patrols/", func(p domain.Patrol) int64 { return p.ID }, s.svc.RecordPatrol))
	s.authed("GET /api/v1/patrols/compliance", s.compliance)
	s.authed("GET /api/v1/patrols/{id}", byID("patrol", s.svc.Patrol))
	s.authed("GET /api/v1/checklists", list("checklists", everyone(s.svc.Checklists)))
	s.authed("POST /api/v1/checklists", writeAt(newID, http.StatusCreated, s.saveChecklist))
	s.authed("GET /api/v1/checklists/{id}", byID("checklist", anyone(s.svc.Checklist)))
	s.authed("PUT /api/v1/checklists/{id}", writeID("checklist", http.StatusOK, s.saveChecklist))
	s.authed("GET /api/v1/checklists/{id}/progress", s.checklistProgress)
	s.authed("POST /api/v1/checklists/{id}/entries", writeID("checklist", http.StatusCreated, s.checklistEntry))
	s.authed("POST /api/v1/hazards", create("/api/v1/hazards/", func(h domain.Hazard) int64 { return h.CaseID }, s.svc.ReportHazard))
	s.authed("GET /api/v1/hazards/{id}", byID("hazard", s.svc.Hazard))
	s.authed("PUT /api/v1/hazards/{id}", writeID("hazard", http.StatusOK, s.svc.SetHazardTerms))
	s.authed("POST /api/v1/hazards/{id}/evidence", writeID("hazard", http.StatusOK, s.hazardEvidence))
	s.authed("GET /api/v1/ledgers/hazards", s.hazardLedger)
	s.authed("GET /api/v1/ledgers/hazards.xlsx", s.hazardLedgerXLSX)
	s.enterpriseRoutes()
}
