package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// groupsAPI serves the key-group resources (重点人群): groups, subjects, rounds, visits,
// assistance and their statistics. The key-group service is opened on first use, since
// it reads the personal-data key.
type groupsAPI struct{ s *Server }

// svc opens the key-group service on first use; a failure (a wrong key, a database
// that is down) is answered and tried again on the next request.
func (g *groupsAPI) svc(ctx context.Context) (*service.Groups, error) {
	return g.s.svc.KeyGroups(ctx)
}

// groupHandler is a handler that needs the key-group service.
type groupHandler func(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error

// with makes a groupHandler a handler.
func (g *groupsAPI) with(h groupHandler) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		gs, err := g.svc(r.Context())
		if err != nil {
			return err
		}
		return h(w, r, u, gs)
	}
}

// on fits a function of the key-group service (a method expression, or a function
// taking the service first) to the shapes in respond.go.
func on[A, T any](g *groupsAPI, f func(*service.Groups, context.Context, domain.User, A) (T, error)) func(context.Context, domain.User, A) (T, error) {
	return func(ctx context.Context, u domain.User, a A) (T, error) {
		gs, err := g.svc(ctx)
		if err != nil {
			var none T
			return none, err
		}
		return f(gs, ctx, u, a)
	}
}

// on2 is on for a function of two things.
func on2[A, B, T any](g *groupsAPI, f func(*service.Groups, context.Context, domain.User, A, B) (T, error)) func(context.Context, domain.User, A, B) (T, error) {
	return func(ctx context.Context, u domain.User, a A, b B) (T, error) {
		return on(g, func(gs *service.Groups, ctx context.Context, u domain.User, a A) (T, error) {
			return f(gs, ctx, u, a, b)
		})(ctx, u, a)
	}
}

// idAsOf reads the path's {id}, of a what, and the day as_of the query asks.
func idAsOf(r *http.Request, what string) (int64, string, error) {
	id, err1 := transport.PathID(r, "id", what)
	day, err2 := queryDay(r, "as_of")
	return id, day, firstErr(err1, err2)
}

func listGroups(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	out, err := gs.Groups(r.Context(), u)
	return reply(w, http.StatusOK, map[string]any{"groups": out}, err)
}

// importRegister reads a CSV or XLSX register. With preview=true it only reports; else
// it writes all rows or, when any row has a mistake, none (400 with the report).
func importRegister(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, day, err1 := idAsOf(r, "group")
	preview, err2 := queryBool(r, "preview")
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	body, err := readBody(w, r, service.MaxRegister, "register")
	if err != nil {
		return err
	}
	table, err := service.ReadTable(body)
	if err != nil {
		return err
	}
	reg, err := gs.ImportRegister(r.Context(), u, id, table, day, preview)
	if domain.ErrorCode(err) == domain.EINVALID && len(reg.Errors) > 0 {
		body := errorBody(domain.EINVALID, domain.ErrorMessage(err))
		body["report"] = reg
		return reply(w, http.StatusBadRequest, body, nil)
	}
	return reply(w, http.StatusOK, map[string]any{"written": !preview, "report": reg}, err)
}

func exportRegister(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, day, err1 := idAsOf(r, "group")
	reveal, err2 := queryBool(r, "reveal")
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is csv or xlsx")
	}
	rows, err := gs.ExportRegister(r.Context(), u, id, r.URL.Query().Get("region"), day, reveal)
	if err != nil {
		return err
	}
	transport.WriteTable(w, "register-"+strconv.FormatInt(id, 10), "名册", format, rows)
	return nil // the answer has begun: an error can no longer be sent
}

// handoverBody moves one helper's subjects to another from a day.
type handoverBody struct {
	From int64  `json:"from_user"`
	To   int64  `json:"to_user"`
	Day  string `json:"day"`
	Note string `json:"note"`
}

func handover(gs *service.Groups, ctx context.Context, u domain.User, id int64, in handoverBody) (map[string]int, error) {
	n, err := gs.Handover(ctx, u, id, in.From, in.To, in.Day, in.Note)
	return map[string]int{"moved": n}, err
}

func coverage(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, day, err := idAsOf(r, "group")
	if err != nil {
		return err
	}
	un, total, err := gs.Coverage(r.Context(), u, id, r.URL.Query().Get("region"), day)
	return reply(w, http.StatusOK, map[string]any{"subjects": total, "unhelped": len(un), "without_helper": un,
		"rate": domain.Ratio(total-len(un), total)}, err)
}

func reveals(gs *service.Groups, ctx context.Context, u domain.User, id int64) ([]domain.Reveal, error) {
	return gs.Reveals(ctx, u, id, 500)
}

func listSubjects(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	q := r.URL.Query()
	group, err1 := transport.QueryID(r, "group")
	after, err2 := transport.QueryID(r, "after")
	mine, err3 := queryBool(r, "mine")
	day, err4 := queryDay(r, "as_of")
	limit, err5 := queryLimit(r)
	if err := firstErr(err1, err2, err3, err4, err5); err != nil {
		return err
	}
	if group == 0 {
		return domain.Errorf(domain.EINVALID, "group is required")
	}
	out, err := gs.Subjects(r.Context(), u, service.SubjectQuery{Group: group, Region: q.Get("region"), Query: q.Get("q"),
		IDNumber: q.Get("id_number"), Phone: q.Get("phone"), Mine: mine, AsOf: day, After: after, Limit: limit})
	next := subjectPages.next(limit, len(out), func() int64 { return out[len(out)-1].ID })
	return reply(w, http.StatusOK, map[string]any{"subjects": out, "next": next}, err)
}

func getSubject(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, day, err := idAsOf(r, "subject")
	if err != nil {
		return err
	}
	out, err := gs.Subject(r.Context(), u, id, day, nil, "")
	return reply(w, http.StatusOK, out, err)
}

// revealBody names the personal-data fields to show in clear, and why.
type revealBody struct {
	Fields  []string `json:"fields"`
	Purpose string   `json:"purpose"`
	AsOf    string   `json:"as_of"`
}

// revealSubject answers a subject with the named personal-data fields in clear, for a
// stated purpose; each reveal is written to the audit.
func revealSubject(gs *service.Groups, ctx context.Context, u domain.User, id int64, in revealBody) (domain.Subject, error) {
	if len(in.Fields) == 0 {
		return domain.Subject{}, domain.Errorf(domain.EINVALID, "name the fields to reveal")
	}
	return gs.Subject(ctx, u, id, in.AsOf, in.Fields, strings.TrimSpace(in.Purpose))
}

// valuesBody changes a subject's values from a day.
type valuesBody struct {
	From   string            `json:"from"`
	Values map[string]string `json:"values"`
}

func setValues(gs *service.Groups, ctx context.Context, u domain.User, id int64, in valuesBody) (domain.Subject, error) {
	if err := gs.SetValues(ctx, u, id, in.From, in.Values); err != nil {
		return domain.Subject{}, err
	}
	return gs.Subject(ctx, u, id, "", nil, "")
}

// helperBody assigns a helper to a subject from a day.
type helperBody struct {
	UserID int64  `json:"user_id"`
	From   string `json:"from"`
	Note   string `json:"note"`
}

func assignHelper(gs *service.Groups, ctx context.Context, u domain.User, id int64, in helperBody) (domain.Assignment, error) {
	return gs.AssignHelper(ctx, u, id, in.UserID, in.From, in.Note)
}

// dayBody names the day something happened.
type dayBody struct {
	Day string `json:"day"`
}

// leave ends a subject's membership of its group on a day.
func leave(gs *service.Groups, ctx context.Context, u domain.User, id int64, in dayBody) (domain.Subject, error) {
	if err := gs.EndSubject(ctx, u, id, in.Day); err != nil {
		return domain.Subject{}, err
	}
	return gs.Subject(ctx, u, id, "", nil, "")
}

// riskKey names a subject's risk flag: the path's {id} and {risk}.
type riskKey struct{ subject, risk int64 }

func subjectRisk(r *http.Request) (riskKey, error) {
	subject, err1 := transport.PathID(r, "id", "subject")
	risk, err2 := transport.PathID(r, "risk", "risk")
	return riskKey{subject, risk}, firstErr(err1, err2)
}

func clearRisk(gs *service.Groups, ctx context.Context, u domain.User, k riskKey, in dayBody) (domain.RiskFlag, error) {
	return gs.ClearRisk(ctx, u, k.subject, k.risk, in.Day)
}

// raiseCase files a case about a subject's risk.
func raiseCase(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	k, err := subjectRisk(r)
	if err != nil {
		return err
	}
	var in struct {
		Matter      string `json:"matter"`
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		return err
	}
	c, err := gs.RaiseCase(r.Context(), u, k.subject, k.risk, in.Matter, in.Title, in.Description)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/cases/", c.ID, caseView{c, domain.AllowedActions(u, c)})
}

func listRounds(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	group, err := transport.QueryID(r, "group")
	if err != nil {
		return err
	}
	if group == 0 {
		return domain.Errorf(domain.EINVALID, "group is required")
	}
	out, err := gs.Rounds(r.Context(), u, group)
	return reply(w, http.StatusOK, map[string]any{"rounds": out}, err)
}

// roundBody starts a monitoring round.
type roundBody struct {
	GroupID int64  `json:"group_id"`
	Name    string `json:"name"`
	Region  string `json:"region"`
	Starts  string `json:"starts"`
	Due     string `json:"due"`
}

func startRound(gs *service.Groups, ctx context.Context, u domain.User, in roundBody) (domain.Round, error) {
	return gs.StartRound(ctx, u, domain.Round{GroupID: in.GroupID, Name: in.Name, Region: in.Region, Starts: in.Starts, Due: in.Due})
}

func round(gs *service.Groups, ctx context.Context, u domain.User, id int64) (domain.Round, error) {
	out, _, err := gs.Round(ctx, u, id)
	return out, err
}

func roundProgress(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, day, err := idAsOf(r, "round")
	if err != nil {
		return err
	}
	out, err := gs.RoundProgress(r.Context(), u, id, r.URL.Query().Get("by"), day)
	return reply(w, http.StatusOK, map[string]any{"progress": out}, err)
}

func listVisits(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	round, err1 := transport.QueryID(r, "round")
	mine, err2 := queryBool(r, "mine")
	limit, err3 := queryLimit(r)
	if err := firstErr(err1, err2, err3); err != nil {
		return err
	}
	q := r.URL.Query()
	out, err := gs.Visits(r.Context(), u, service.VisitQuery{Round: round, Mine: mine, Region: q.Get("region"),
		Status: domain.VisitStatus(q.Get("status")), Limit: limit})
	return reply(w, http.StatusOK, map[string]any{"visits": out}, err)
}

// addPhoto takes one photo of a visit as the raw body.
func addPhoto(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, err := transport.PathID(r, "id", "visit")
	if err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, service.MaxPhoto))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "a photo is at most %d bytes", service.MaxPhoto)
	}
	pid, err := gs.AddVisitPhoto(r.Context(), u, id, body)
	if err != nil {
		return err
	}
	path := "/api/v1/visits/" + strconv.FormatInt(id, 10) + "/photos/"
	return created(w, path, pid, map[string]any{"id": pid, "url": path + strconv.FormatInt(pid, 10)})
}

func getPhoto(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, err1 := transport.PathID(r, "id", "visit")
	pid, err2 := transport.PathID(r, "photo", "photo")
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	p, err := gs.VisitPhoto(r.Context(), u, id, pid)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(p.Data)
	return nil
}

func listAid(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	group, err1 := transport.QueryID(r, "group")
	subject, err2 := transport.QueryID(r, "subject")
	from, err3 := queryDay(r, "from")
	to, err4 := queryDay(r, "to")
	after, err5 := transport.QueryID(r, "after")
	limit, err6 := queryLimit(r)
	if err := firstErr(err1, err2, err3, err4, err5, err6); err != nil {
		return err
	}
	if group == 0 && subject == 0 {
		return domain.Errorf(domain.EINVALID, "group or subject is required")
	}
	q := r.URL.Query()
	out, err := gs.Aid(r.Context(), u, service.AidQuery{Group: group, Subject: subject, Region: q.Get("region"), Kind: domain.AidKind(q.Get("kind")),
		From: from, To: to, After: after, Limit: limit})
	_, total := domain.SumAid(out)
	return reply(w, http.StatusOK, map[string]any{"entries": out, "total": total}, err)
}

// aidBody is an entry of the assistance ledger: cash with its amount, or in kind with
// its item and, where known, its value in amount.
type aidBody struct {
	Subject int64          `json:"subject"`
	Kind    domain.AidKind `json:"kind"`
	Form    domain.AidForm `json:"form"`
	Item    string         `json:"item"`
	Amount  string         `json:"amount"`
	Day     string         `json:"day"`
	Org     string         `json:"org"`
	Note    string         `json:"note"`
}

func addAid(gs *service.Groups, ctx context.Context, u domain.User, in aidBody) (domain.Aid, error) {
	return gs.AddAid(ctx, u, domain.Aid{Subject: in.Subject, Kind: in.Kind, Form: in.Form, Item: in.Item, Amount: in.Amount, Day: in.Day, Org: in.Org, Note: in.Note})
}

func groupStats(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) error {
	id, day, err1 := idAsOf(r, "group")
	from, err2 := queryDay(r, "aid_from")
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	q := r.URL.Query()
	out, err := gs.Stats(r.Context(), u, service.StatsQuery{Group: id, Region: q.Get("region"), AsOf: day, Among: q.Get("among"), AidFrom: from, AidKinds: q["aid_kinds"]})
	return reply(w, http.StatusOK, out, err)
}

// groupRoutes registers the key-group resources.
func (s *Server) groupRoutes() {
	g := &groupsAPI{s: s}
	s.authed("GET /api/v1/groups", g.with(listGroups))
	s.authed("POST /api/v1/groups", create("/api/v1/groups/", func(grp *domain.Group) int64 { return grp.ID }, on(g, (*service.Groups).CreateGroup)))
	s.authed("GET /api/v1/groups/{id}", byID("group", on(g, (*service.Groups).Group)))
	s.authed("PUT /api/v1/groups/{id}", writeID("group", http.StatusOK, on2(g, (*service.Groups).UpdateGroup)))
	s.authed("POST /api/v1/groups/{id}/register", g.with(importRegister))
	s.authed("GET /api/v1/groups/{id}/register", g.with(exportRegister))
	s.authed("POST /api/v1/groups/{id}/handover", writeID("group", http.StatusOK, on2(g, handover)))
	s.authed("GET /api/v1/groups/{id}/coverage", g.with(coverage))
	s.authed("GET /api/v1/groups/{id}/reveals", byID("group", keyed("reveals", on(g, reveals))))
	s.authed("GET /api/v1/subjects", g.with(listSubjects))
	s.authed("GET /api/v1/subjects/{id}", g.with(getSubject))
	s.authed("POST /api/v1/subjects/{id}/reveal", writeID("subject", http.StatusOK, on2(g, revealSubject)))
	s.authed("POST /api/v1/subjects/{id}/values", writeID("subject", http.StatusOK, on2(g, setValues)))
	s.authed("POST /api/v1/subjects/{id}/helper", writeID("subject", http.StatusCreated, on2(g, assignHelper)))
	s.authed("POST /api/v1/subjects/{id}/leave", writeID("subject", http.StatusOK, on2(g, leave)))
	s.authed("GET /api/v1/subjects/{id}/risks", byID("subject", keyed("risks", on(g, (*service.Groups).Risks))))
	s.authed("POST /api/v1/subjects/{id}/risks/{risk}/clear", writeAt(subjectRisk, http.StatusOK, on2(g, clearRisk)))
	s.authed("POST /api/v1/subjects/{id}/risks/{risk}/case", g.with(raiseCase))
	s.admin("GET /api/v1/settings/risk-matters", get(s.riskMatters))
	s.admin("PUT /api/v1/settings/risk-matters", write(http.StatusOK, s.putRiskMatters))
	s.authed("GET /api/v1/rounds", g.with(listRounds))
	s.authed("POST /api/v1/rounds", create("/api/v1/rounds/", func(r domain.Round) int64 { return r.ID }, on(g, startRound)))
	s.authed("GET /api/v1/rounds/{id}", byID("round", on(g, round)))
	s.authed("GET /api/v1/rounds/{id}/progress", g.with(roundProgress))
	s.authed("GET /api/v1/visits", g.with(listVisits))
	s.authed("GET /api/v1/visits/{id}", byID("visit", on(g, (*service.Groups).Visit)))
	s.authed("POST /api/v1/visits/{id}", writeID("visit", http.StatusOK, on2(g, (*service.Groups).RecordVisit)))
	s.authed("POST /api/v1/visits/{id}/photos", g.with(addPhoto))
	s.authed("GET /api/v1/visits/{id}/photos/{photo}", g.with(getPhoto))
	s.authed("GET /api/v1/assistance", g.with(listAid))
	s.authed("POST /api/v1/assistance", write(http.StatusCreated, on(g, addAid)))
	s.authed("GET /api/v1/stats/groups/{id}", g.with(groupStats))
}

// riskMatters answers the matter a risk of each kind raises a case under by default.
func (s *Server) riskMatters(ctx context.Context, _ domain.User) (map[domain.RiskKind]string, error) {
	return s.svc.RiskMatters(ctx)
}

func (s *Server) putRiskMatters(ctx context.Context, u domain.User, m map[domain.RiskKind]string) (map[domain.RiskKind]string, error) {
	if err := s.svc.SetRiskMatters(ctx, u, m); err != nil {
		return nil, err
	}
	return s.svc.RiskMatters(ctx)
}
