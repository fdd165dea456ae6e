package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/transport"
)

func (s *Server) fileCase(w http.ResponseWriter, r *http.Request, u domain.User) {
	var n domain.NewCase
	if err := transport.Decode(w, r, &n); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.svc.File(r.Context(), u, n)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, caseView{c, domain.AllowedActions(u, c)})
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "no case %q", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.svc.Case(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, caseView{c, domain.AllowedActions(u, c)})
}

// caseView is a case as one user sees it, with the actions open to them.
type caseView struct {
	*domain.Case
	Actions []domain.Action `json:"actions"`
}

func (s *Server) act(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	action := domain.Action(r.PathValue("action"))
	known := false
	for _, a := range domain.CaseActions {
		known = known || a == action
	}
	if !known {
		s.error(w, r, domain.Errorf(domain.ENOTFOUND, "unknown action %q", action))
		return
	}
	var cmd domain.Command
	if err := transport.Decode(w, r, &cmd); err != nil {
		s.error(w, r, err)
		return
	}
	cmd.Action = action
	c, err := s.svc.Act(r.Context(), u, id, cmd)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, caseView{c, domain.AllowedActions(u, c)})
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request, u domain.User) {
	f, err := caseFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	cases, next, err := s.svc.Cases(r.Context(), u, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	body := map[string]any{"cases": cases, "next_cursor": nil}
	if next != 0 {
		body["next_cursor"] = strconv.FormatInt(next, 10)
	}
	if cases == nil {
		body["cases"] = []any{}
	}
	transport.WriteJSON(w, http.StatusOK, body)
}

// caseFilter reads the list filters of GET /cases.
func caseFilter(r *http.Request) (domain.CaseFilter, error) {
	q := r.URL.Query()
	f := domain.CaseFilter{Region: q.Get("region"), Org: q.Get("org"), Matter: q.Get("matter"), Channel: q.Get("channel"),
		Kind: q.Get("kind"), Q: q.Get("q")}
	for _, st := range strings.Split(q.Get("status"), ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		known := false
		for _, x := range domain.Statuses {
			known = known || string(x) == st
		}
		if !known {
			return f, domain.Errorf(domain.EINVALID, "unknown status %q", st)
		}
		f.Status = append(f.Status, domain.Status(st))
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, domain.Errorf(domain.EINVALID, "overdue must be true or false")
		}
		f.Overdue = &b
	}
	var err error
	if f.From, err = queryTime(q.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = queryTime(q.Get("to"), true); err != nil {
		return f, err
	}
	if v := q.Get("cursor"); v != "" {
		if f.After, err = strconv.ParseInt(v, 10, 64); err != nil || f.After <= 0 {
			return f, domain.Errorf(domain.EINVALID, "bad cursor")
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 200 {
			return f, domain.Errorf(domain.EINVALID, "limit must be 1 to 200")
		}
	}
	return f, nil
}

// queryTime reads a date (YYYY-MM-DD, China time; an end date includes its whole day)
// or an RFC 3339 time.
func queryTime(v string, end bool) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, domain.China); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return &t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "time %q must be YYYY-MM-DD or RFC 3339", v)
	}
	return &t, nil
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request, u domain.User) {
	unread := r.URL.Query().Get("unread") == "true"
	ns, err := s.svc.Store().Notifications(r.Context(), u.ID, unread, 100)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"notifications": ns})
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request, u domain.User) {
	var body struct {
		UpTo int64 `json:"up_to"`
	}
	if err := transport.Decode(w, r, &body); err != nil {
		s.error(w, r, err)
		return
	}
	if body.UpTo <= 0 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "up_to must be a notification id"))
		return
	}
	if err := s.svc.Store().MarkRead(r.Context(), u.ID, body.UpTo); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
