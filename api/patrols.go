package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// patrolRoutes registers patrols, checklists, hazards and the hazard ledger, and the
// enterprise registry, inspections and the liaison report (enterprises.go).
func (s *Server) patrolRoutes() {
	s.authed("GET /api/v1/patrol-plans", s.listPlans)
	s.authed("POST /api/v1/patrol-plans", s.createPlan)
	s.authed("POST /api/v1/patrol-plans/from-linkages", s.plansFromLinkages)
	s.authed("GET /api/v1/patrol-plans/{id}", s.getPlan)
	s.authed("GET /api/v1/patrol-tasks", s.myTasks)
	s.authed("GET /api/v1/patrols", s.listPatrols)
	s.authed("POST /api/v1/patrols", s.recordPatrol)
	s.authed("GET /api/v1/patrols/compliance", s.compliance)
	s.authed("GET /api/v1/patrols/{id}", s.getPatrol)
	s.authed("GET /api/v1/checklists", s.listChecklists)
	s.authed("POST /api/v1/checklists", s.createChecklist)
	s.authed("GET /api/v1/checklists/{id}", s.getChecklist)
	s.authed("PUT /api/v1/checklists/{id}", s.updateChecklist)
	s.authed("GET /api/v1/checklists/{id}/progress", s.checklistProgress)
	s.authed("POST /api/v1/checklists/{id}/entries", s.checklistEntry)
	s.authed("POST /api/v1/hazards", s.reportHazard)
	s.authed("GET /api/v1/hazards/{id}", s.getHazard)
	s.authed("PUT /api/v1/hazards/{id}", s.setHazardTerms)
	s.authed("POST /api/v1/hazards/{id}/evidence", s.hazardEvidence)
	s.authed("GET /api/v1/ledgers/hazards", s.hazardLedger)
	s.authed("GET /api/v1/ledgers/hazards.xlsx", s.hazardLedgerXLSX)
	s.enterpriseRoutes()
}

// idOf reads the {id} path value of a resource named what.
func idOf(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "no %s %q", what, r.PathValue("id"))
	}
	return id, nil
}

// period reads from and to (dates, to inclusive) with defaults: the twelve months
// before now.
func (s *Server) period(r *http.Request) (time.Time, time.Time, error) {
	q := r.URL.Query()
	to, err := queryTime(q.Get("to"), true)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	from, err := queryTime(q.Get("from"), false)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	now := s.svc.Store().Now().In(domain.China)
	if to == nil {
		y, m, d := now.Date()
		t := time.Date(y, m, d, 0, 0, 0, 0, domain.China).AddDate(0, 0, 1)
		to = &t
	}
	if from == nil {
		f := to.AddDate(-1, 0, 0)
		from = &f
	}
	if !from.Before(*to) || to.Sub(*from) > 5*366*24*time.Hour {
		return time.Time{}, time.Time{}, domain.Errorf(domain.EINVALID, "from must be before to, at most five years apart")
	}
	return *from, *to, nil
}

func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, domain.Errorf(domain.EINVALID, "%s must be a whole number", name)
	}
	return n, nil
}

func (s *Server) listPlans(w http.ResponseWriter, r *http.Request, u domain.User) {
	user, err := queryInt(r, "user")
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	plans, err := s.svc.Plans(r.Context(), u, domain.PlanFilter{Region: q.Get("region"), Org: q.Get("org"), UserID: user})
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"plans": plans})
}

func (s *Server) createPlan(w http.ResponseWriter, r *http.Request, u domain.User) {
	var p domain.PatrolPlan
	if err := transport.Decode(w, r, &p); err != nil {
		s.error(w, r, err)
		return
	}
	p.ID, p.Linkage = 0, 0
	p, n, err := s.svc.CreatePlan(r.Context(), u, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/patrol-plans/"+strconv.FormatInt(p.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, map[string]any{"plan": p, "tasks": n})
}

func (s *Server) plansFromLinkages(w http.ResponseWriter, r *http.Request, u domain.User) {
	var b struct {
		Region    string `json:"region"`
		From      string `json:"from"`
		To        string `json:"to"`
		Times     int64  `json:"times"`
		Checklist int64  `json:"checklist"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	if b.Times < 0 || b.Times > 31 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "times must be between 1 and 31"))
		return
	}
	plans, err := s.svc.PlansFromLinkages(r.Context(), u, b.Region, b.From, b.To, b.Times, b.Checklist)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, map[string]any{"plans": plans})
}

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "patrol plan")
	if err != nil {
		s.error(w, r, err)
		return
	}
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, tasks, err := s.svc.Plan(r.Context(), u, id, from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"plan": p, "tasks": taskViews(tasks, s.svc.Store().Now())})
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

func (s *Server) myTasks(w http.ResponseWriter, r *http.Request, u domain.User) {
	now := s.svc.Store().Now()
	from, to := now.AddDate(0, 0, -1), now.AddDate(0, 1, 0) // due from yesterday to a month ahead
	if r.URL.Query().Has("from") || r.URL.Query().Has("to") {
		var err error
		if from, to, err = s.period(r); err != nil {
			s.error(w, r, err)
			return
		}
	}
	tasks, err := s.svc.MyTasks(r.Context(), u, from, to, r.URL.Query().Get("open") == "true")
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"tasks": taskViews(tasks, now)})
}

func (s *Server) recordPatrol(w http.ResponseWriter, r *http.Request, u domain.User) {
	var in service.PatrolInput
	if err := transport.Decode(w, r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.svc.RecordPatrol(r.Context(), u, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/patrols/"+strconv.FormatInt(p.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, p)
}

func (s *Server) listPatrols(w http.ResponseWriter, r *http.Request, u domain.User) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	user, err1 := queryInt(r, "user")
	after, err2 := queryInt(r, "after")
	limit, err3 := queryInt(r, "limit")
	for _, e := range []error{err1, err2, err3} {
		if e != nil {
			s.error(w, r, e)
			return
		}
	}
	q := r.URL.Query()
	ps, err := s.svc.Patrols(r.Context(), u, domain.PatrolFilter{Region: q.Get("region"), Org: q.Get("org"), UserID: user, From: from, To: to, After: after, Limit: int(limit)})
	if err != nil {
		s.error(w, r, err)
		return
	}
	next := int64(0)
	if len(ps) > 0 && (limit == 0 && len(ps) == 100 || limit > 0 && len(ps) == int(limit)) {
		next = ps[len(ps)-1].ID
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"patrols": ps, "next": next})
}

func (s *Server) getPatrol(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "patrol")
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.svc.Patrol(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, p)
}

func (s *Server) compliance(w http.ResponseWriter, r *http.Request, u domain.User) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	by := q.Get("by")
	if by == "" {
		by = "org"
	}
	region := q.Get("region")
	if region == "" {
		if region, err = service.LedgerRegion(u, ""); err != nil {
			s.error(w, r, err)
			return
		}
	}
	rows, total, err := s.svc.Compliance(r.Context(), u, region, by, from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"region": region, "by": by, "from": from.Format("2006-01-02"),
		"to": to.Add(-time.Second).Format("2006-01-02"), "rows": rows, "total": total})
}

func (s *Server) listChecklists(w http.ResponseWriter, r *http.Request, _ domain.User) {
	cs, err := s.svc.Checklists(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"checklists": cs})
}

func (s *Server) getChecklist(w http.ResponseWriter, r *http.Request, _ domain.User) {
	id, err := idOf(r, "checklist")
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.svc.Checklist(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, c)
}

func (s *Server) createChecklist(w http.ResponseWriter, r *http.Request, u domain.User) {
	s.saveChecklist(w, r, u, 0, http.StatusCreated)
}

func (s *Server) updateChecklist(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "checklist")
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveChecklist(w, r, u, id, http.StatusOK)
}

func (s *Server) saveChecklist(w http.ResponseWriter, r *http.Request, u domain.User, id int64, status int) {
	var c domain.Checklist
	if err := transport.Decode(w, r, &c); err != nil {
		s.error(w, r, err)
		return
	}
	c.ID = id
	c, err := s.svc.PutChecklist(r.Context(), u, c)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, status, c)
}

func (s *Server) checklistProgress(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "checklist")
	if err != nil {
		s.error(w, r, err)
		return
	}
	year, err := queryInt(r, "year")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if year == 0 {
		year = int64(s.svc.Store().Now().In(domain.China).Year())
	}
	region := r.URL.Query().Get("region")
	if region == "" {
		if region, err = service.LedgerRegion(u, ""); err != nil {
			s.error(w, r, err)
			return
		}
	}
	ps, err := s.svc.ChecklistProgress(r.Context(), u, id, region, int(year))
	if err != nil {
		s.error(w, r, err)
		return
	}
	done, total := 0, 0
	for _, p := range ps {
		done, total = done+p.Done, total+p.Total
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"region": region, "year": year, "communities": ps, "done": done, "total": total})
}

func (s *Server) checklistEntry(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "checklist")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var e domain.ChecklistEntry
	if err := transport.Decode(w, r, &e); err != nil {
		s.error(w, r, err)
		return
	}
	e.ID, e.Checklist = 0, id
	e, err = s.svc.RecordChecklistItem(r.Context(), u, e)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, e)
}

func (s *Server) reportHazard(w http.ResponseWriter, r *http.Request, u domain.User) {
	var f domain.HazardFinding
	if err := transport.Decode(w, r, &f); err != nil {
		s.error(w, r, err)
		return
	}
	h, err := s.svc.ReportHazard(r.Context(), u, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/hazards/"+strconv.FormatInt(h.CaseID, 10))
	transport.WriteJSON(w, http.StatusCreated, h)
}

func (s *Server) getHazard(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "hazard")
	if err != nil {
		s.error(w, r, err)
		return
	}
	h, err := s.svc.Hazard(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, h)
}

func (s *Server) setHazardTerms(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "hazard")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var t service.HazardTerms
	if err := transport.Decode(w, r, &t); err != nil {
		s.error(w, r, err)
		return
	}
	h, err := s.svc.SetHazardTerms(r.Context(), u, id, t)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, h)
}

func (s *Server) hazardEvidence(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "hazard")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var b struct {
		Photos []string `json:"photos"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	h, err := s.svc.AddHazardEvidence(r.Context(), u, id, b.Photos)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, h)
}

func (s *Server) ledger(r *http.Request, u domain.User) (service.Ledger, error) {
	from, to, err := s.period(r)
	if err != nil {
		return service.Ledger{}, err
	}
	q := r.URL.Query()
	return s.svc.HazardLedger(r.Context(), u, q.Get("region"), q.Get("by"), from, to)
}

func (s *Server) hazardLedger(w http.ResponseWriter, r *http.Request, u domain.User) {
	l, err := s.ledger(r, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, l)
}

// hazardLedgerXLSX exports the hazard ledger as an XLSX workbook.
func (s *Server) hazardLedgerXLSX(w http.ResponseWriter, r *http.Request, u domain.User) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	name, body, err := s.svc.HazardLedgerWorkbook(r.Context(), u, r.URL.Query().Get("region"), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="hazard-ledger.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}
