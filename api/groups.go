package api

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
	"whistle/transport"
)

// groupsAPI serves the key-group resources (重点人群): groups, subjects, rounds, visits,
// assistance and their statistics. The key-group service is opened on first use, since
// it reads the personal-data key.
type groupsAPI struct {
	s  *Server
	mu sync.Mutex
	gs *service.Groups
}

// svc opens the key-group service on first use; a failure (a wrong key, a database
// that is down) is answered and tried again on the next request.
func (g *groupsAPI) svc(ctx context.Context) (*service.Groups, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gs == nil {
		gs, err := service.OpenGroups(ctx, g.s.svc)
		if err != nil {
			return nil, err
		}
		g.gs = gs
	}
	return g.gs, nil
}

// with wraps a handler that needs the key-group service.
func (g *groupsAPI) with(h func(http.ResponseWriter, *http.Request, domain.User, *service.Groups)) func(http.ResponseWriter, *http.Request, domain.User) {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) {
		gs, err := g.svc(r.Context())
		if err != nil {
			g.s.error(w, r, err)
			return
		}
		h(w, r, u, gs)
	}
}

// groupRoutes registers the key-group resources.
func (s *Server) groupRoutes() {
	g := &groupsAPI{s: s}
	s.authed("GET /api/v1/groups", g.with(g.listGroups))
	s.authed("POST /api/v1/groups", g.with(g.createGroup))
	s.authed("GET /api/v1/groups/{id}", g.with(g.getGroup))
	s.authed("PUT /api/v1/groups/{id}", g.with(g.updateGroup))
	s.authed("POST /api/v1/groups/{id}/register", g.with(g.importRegister))
	s.authed("GET /api/v1/groups/{id}/register", g.with(g.exportRegister))
	s.authed("POST /api/v1/groups/{id}/handover", g.with(g.handover))
	s.authed("GET /api/v1/groups/{id}/coverage", g.with(g.coverage))
	s.authed("GET /api/v1/groups/{id}/reveals", g.with(g.reveals))
	s.authed("GET /api/v1/subjects", g.with(g.listSubjects))
	s.authed("GET /api/v1/subjects/{id}", g.with(g.getSubject))
	s.authed("POST /api/v1/subjects/{id}/reveal", g.with(g.revealSubject))
	s.authed("POST /api/v1/subjects/{id}/values", g.with(g.setValues))
	s.authed("POST /api/v1/subjects/{id}/helper", g.with(g.assignHelper))
	s.authed("POST /api/v1/subjects/{id}/leave", g.with(g.leave))
	s.authed("GET /api/v1/subjects/{id}/risks", g.with(g.listRisks))
	s.authed("POST /api/v1/subjects/{id}/risks/{risk}/clear", g.with(g.clearRisk))
	s.authed("POST /api/v1/subjects/{id}/risks/{risk}/case", g.with(g.raiseCase))
	s.authed("GET /api/v1/rounds", g.with(g.listRounds))
	s.authed("POST /api/v1/rounds", g.with(g.startRound))
	s.authed("GET /api/v1/rounds/{id}", g.with(g.getRound))
	s.authed("GET /api/v1/rounds/{id}/progress", g.with(g.roundProgress))
	s.authed("GET /api/v1/visits", g.with(g.listVisits))
	s.authed("GET /api/v1/visits/{id}", g.with(g.getVisit))
	s.authed("POST /api/v1/visits/{id}", g.with(g.recordVisit))
	s.authed("POST /api/v1/visits/{id}/photos", g.with(g.addPhoto))
	s.authed("GET /api/v1/visits/{id}/photos/{photo}", g.with(g.getPhoto))
	s.authed("GET /api/v1/assistance", g.with(g.listAid))
	s.authed("POST /api/v1/assistance", g.with(g.addAid))
	s.authed("GET /api/v1/stats/groups/{id}", g.with(g.stats))
}

// queryBool reads an optional true/false query parameter.
func queryBool(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, domain.Errorf(domain.EINVALID, "%s must be true or false", name)
}

// queryDay reads an optional day from the query string.
func queryDay(r *http.Request, name string) (string, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return "", nil
	}
	d, err := domain.ParseDay(v)
	if err != nil {
		return "", domain.Errorf(domain.EINVALID, "%s must be a day YYYY-MM-DD", name)
	}
	return d, nil
}

// queryLimit reads an optional limit.
func queryLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return 0, domain.Errorf(domain.EINVALID, "limit must be 1 to 1000")
	}
	return n, nil
}

// firstErr gives the first error of several parses.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (g *groupsAPI) listGroups(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	out, err := gs.Groups(r.Context(), u)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"groups": out})
}

func (g *groupsAPI) createGroup(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	var in domain.Group
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.CreateGroup(r.Context(), u, in)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/groups/"+strconv.FormatInt(out.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, out)
}

func (g *groupsAPI) getGroup(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Group(r.Context(), u, id)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) updateGroup(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in domain.Group
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.UpdateGroup(r.Context(), u, id, in)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

// importRegister reads a CSV or XLSX register. With preview=true it only reports; else
// it writes all rows or, when any row has a mistake, none (400 with the report).
func (g *groupsAPI) importRegister(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	preview, err1 := queryBool(r, "preview")
	day, err2 := queryDay(r, "as_of")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, service.MaxRegister))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "register larger than %d bytes", service.MaxRegister))
		return
	} else if err != nil {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "could not read the register: %v", err))
		return
	}
	table, err := service.ReadTable(body)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	reg, err := gs.ImportRegister(r.Context(), u, id, table, day, preview)
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID && len(reg.Errors) > 0 {
			transport.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": domain.EINVALID, "message": domain.ErrorMessage(err)}, "report": reg})
			return
		}
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"written": !preview, "report": reg})
}

func (g *groupsAPI) exportRegister(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	reveal, err1 := queryBool(r, "reveal")
	day, err2 := queryDay(r, "as_of")
	format := r.URL.Query().Get("format")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	if format != "" && format != "csv" && format != "xlsx" {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "format is csv or xlsx"))
		return
	}
	rows, err := gs.ExportRegister(r.Context(), u, id, r.URL.Query().Get("region"), day, reveal)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	name := "register-" + strconv.FormatInt(id, 10)
	if format == "xlsx" {
		book, err := sheets.Write("名册", rows)
		if err != nil {
			g.s.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		w.Write(book)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	io.WriteString(w, "\ufeff") // so spreadsheet programs read UTF-8
	cw := csv.NewWriter(w)
	cw.WriteAll(rows)
}

func (g *groupsAPI) handover(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		From int64  `json:"from_user"`
		To   int64  `json:"to_user"`
		Day  string `json:"day"`
		Note string `json:"note"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	n, err := gs.Handover(r.Context(), u, id, in.From, in.To, in.Day, in.Note)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]int{"moved": n})
}

func (g *groupsAPI) coverage(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	day, err := queryDay(r, "as_of")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	un, total, err := gs.Coverage(r.Context(), u, id, r.URL.Query().Get("region"), day)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"subjects": total, "unhelped": len(un), "without_helper": un,
		"rate": domain.Rate(total-len(un), total)})
}

func (g *groupsAPI) reveals(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	grp, err := gs.Group(r.Context(), u, id)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	if !domain.CanManageGroups(u, grp.Region) {
		g.s.error(w, r, domain.Errorf(domain.EFORBIDDEN, "administrators of the group's region only"))
		return
	}
	out, err := gs.Store().Reveals(r.Context(), id, 500)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"reveals": out})
}

func (g *groupsAPI) listSubjects(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	q := r.URL.Query()
	group, err1 := transport.QueryID(r, "group")
	after, err2 := transport.QueryID(r, "after")
	mine, err3 := queryBool(r, "mine")
	day, err4 := queryDay(r, "as_of")
	limit, err5 := queryLimit(r)
	if err := firstErr(err1, err2, err3, err4, err5); err != nil {
		g.s.error(w, r, err)
		return
	}
	if group == 0 {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "group is required"))
		return
	}
	out, err := gs.Subjects(r.Context(), u, service.SubjectQuery{Group: group, Region: q.Get("region"), Query: q.Get("q"),
		IDNumber: q.Get("id_number"), Phone: q.Get("phone"), Mine: mine, AsOf: day, After: after, Limit: limit})
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var next int64
	if len(out) > 0 && limit > 0 && len(out) == limit {
		next = out[len(out)-1].ID
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"subjects": out, "next": next})
}

func (g *groupsAPI) getSubject(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err1 := transport.PathID(r, "id", "subject")
	day, err2 := queryDay(r, "as_of")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Subject(r.Context(), u, id, day, nil, "")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

// revealSubject answers a subject with the named personal-data fields in clear, for a
// stated purpose; each reveal is written to the audit.
func (g *groupsAPI) revealSubject(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "subject")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		Fields  []string `json:"fields"`
		Purpose string   `json:"purpose"`
		AsOf    string   `json:"as_of"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	if len(in.Fields) == 0 {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "name the fields to reveal"))
		return
	}
	out, err := gs.Subject(r.Context(), u, id, in.AsOf, in.Fields, strings.TrimSpace(in.Purpose))
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) setValues(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "subject")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		From   string            `json:"from"`
		Values map[string]string `json:"values"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	if err := gs.SetValues(r.Context(), u, id, in.From, in.Values); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Subject(r.Context(), u, id, "", nil, "")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) assignHelper(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "subject")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		UserID int64  `json:"user_id"`
		From   string `json:"from"`
		Note   string `json:"note"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	a, err := gs.AssignHelper(r.Context(), u, id, in.UserID, in.From, in.Note)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, a)
}

func (g *groupsAPI) leave(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "subject")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		Day string `json:"day"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	if err := gs.EndSubject(r.Context(), u, id, in.Day); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Subject(r.Context(), u, id, "", nil, "")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) listRisks(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "subject")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Risks(r.Context(), u, id)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"risks": out})
}

func (g *groupsAPI) clearRisk(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err1 := transport.PathID(r, "id", "subject")
	risk, err2 := transport.PathID(r, "risk", "risk")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		Day string `json:"day"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.ClearRisk(r.Context(), u, id, risk, in.Day)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) raiseCase(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err1 := transport.PathID(r, "id", "subject")
	risk, err2 := transport.PathID(r, "risk", "risk")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	var in struct {
		Matter      string `json:"matter"`
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	c, err := gs.RaiseCase(r.Context(), u, id, risk, in.Matter, in.Title, in.Description)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, caseView{c, domain.AllowedActions(u, c)})
}

func (g *groupsAPI) listRounds(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	group, err := transport.QueryID(r, "group")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	if group == 0 {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "group is required"))
		return
	}
	out, err := gs.Rounds(r.Context(), u, group)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"rounds": out})
}

func (g *groupsAPI) startRound(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	var in struct {
		GroupID int64  `json:"group_id"`
		Name    string `json:"name"`
		Region  string `json:"region"`
		Starts  string `json:"starts"`
		Due     string `json:"due"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.StartRound(r.Context(), u, domain.Round{GroupID: in.GroupID, Name: in.Name, Region: in.Region, Starts: in.Starts, Due: in.Due})
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/rounds/"+strconv.FormatInt(out.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, out)
}

func (g *groupsAPI) getRound(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "round")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	out, _, err := gs.Round(r.Context(), u, id)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) roundProgress(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err1 := transport.PathID(r, "id", "round")
	day, err2 := queryDay(r, "as_of")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.RoundProgress(r.Context(), u, id, r.URL.Query().Get("by"), day)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"progress": out})
}

func (g *groupsAPI) listVisits(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	round, err1 := transport.QueryID(r, "round")
	mine, err2 := queryBool(r, "mine")
	limit, err3 := queryLimit(r)
	if err := firstErr(err1, err2, err3); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Visits(r.Context(), u, service.VisitQuery{Round: round, Mine: mine, Region: r.URL.Query().Get("region"),
		Status: domain.VisitStatus(r.URL.Query().Get("status")), Limit: limit})
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"visits": out})
}

func (g *groupsAPI) getVisit(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "visit")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Visit(r.Context(), u, id)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) recordVisit(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "visit")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	var in domain.VisitRecord
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.RecordVisit(r.Context(), u, id, in)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}

func (g *groupsAPI) addPhoto(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err := transport.PathID(r, "id", "visit")
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, service.MaxPhoto))
	if err != nil {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "a photo is at most %d bytes", service.MaxPhoto))
		return
	}
	pid, err := gs.AddVisitPhoto(r.Context(), u, id, body)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	loc := "/api/v1/visits/" + strconv.FormatInt(id, 10) + "/photos/" + strconv.FormatInt(pid, 10)
	w.Header().Set("Location", loc)
	transport.WriteJSON(w, http.StatusCreated, map[string]any{"id": pid, "url": loc})
}

func (g *groupsAPI) getPhoto(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err1 := transport.PathID(r, "id", "visit")
	pid, err2 := transport.PathID(r, "photo", "photo")
	if err := firstErr(err1, err2); err != nil {
		g.s.error(w, r, err)
		return
	}
	p, err := gs.VisitPhoto(r.Context(), u, id, pid)
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(p.Data)
}

func (g *groupsAPI) listAid(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	q := r.URL.Query()
	group, err1 := transport.QueryID(r, "group")
	subject, err2 := transport.QueryID(r, "subject")
	from, err3 := queryDay(r, "from")
	to, err4 := queryDay(r, "to")
	after, err5 := transport.QueryID(r, "after")
	limit, err6 := queryLimit(r)
	if err := firstErr(err1, err2, err3, err4, err5, err6); err != nil {
		g.s.error(w, r, err)
		return
	}
	if group == 0 && subject == 0 {
		g.s.error(w, r, domain.Errorf(domain.EINVALID, "group or subject is required"))
		return
	}
	out, err := gs.Aid(r.Context(), u, service.AidQuery{Group: group, Subject: subject, Region: q.Get("region"), Kind: domain.AidKind(q.Get("kind")),
		From: from, To: to, After: after, Limit: limit})
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	_, total := domain.SumAid(out)
	transport.WriteJSON(w, http.StatusOK, map[string]any{"entries": out, "total": total})
}

func (g *groupsAPI) addAid(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	var in struct {
		Subject int64          `json:"subject"`
		Kind    domain.AidKind `json:"kind"`
		Amount  string         `json:"amount"`
		Day     string         `json:"day"`
		Org     string         `json:"org"`
		Note    string         `json:"note"`
	}
	if err := transport.Decode(w, r, &in); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.AddAid(r.Context(), u, domain.Aid{Subject: in.Subject, Kind: in.Kind, Amount: in.Amount, Day: in.Day, Org: in.Org, Note: in.Note})
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, out)
}

func (g *groupsAPI) stats(w http.ResponseWriter, r *http.Request, u domain.User, gs *service.Groups) {
	id, err1 := transport.PathID(r, "id", "group")
	day, err2 := queryDay(r, "as_of")
	from, err3 := queryDay(r, "aid_from")
	if err := firstErr(err1, err2, err3); err != nil {
		g.s.error(w, r, err)
		return
	}
	out, err := gs.Stats(r.Context(), u, service.StatsQuery{Group: id, Region: r.URL.Query().Get("region"), AsOf: day, Among: r.URL.Query().Get("among"), AidFrom: from})
	if err != nil {
		g.s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, out)
}
