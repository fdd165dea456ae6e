package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"whistle/domain"
	"whistle/transport"
)

// caseView is a case as one user sees it, with the actions open to them.
type caseView struct {
	*domain.Case
	Actions []domain.Action `json:"actions"`
}

func caseID(c caseView) int64 { return c.ID }

// viewing makes a service call that gives a case give it as its user sees it, with
// the actions open to them.
func viewing[A any](do func(context.Context, domain.User, A) (*domain.Case, error)) func(context.Context, domain.User, A) (caseView, error) {
	return func(ctx context.Context, u domain.User, a A) (caseView, error) {
		c, err := do(ctx, u, a)
		return view(u, c, err)
	}
}

// view is c as u sees it, with the actions open to them, unless err.
func view(u domain.User, c *domain.Case, err error) (caseView, error) {
	if err != nil {
		return caseView{}, err
	}
	return caseView{c, domain.AllowedActions(u, c)}, nil
}

// act carries out the action named in the path on a case.
func (s *Server) act(w http.ResponseWriter, r *http.Request, u domain.User) error {
	action := domain.Action(r.PathValue("action"))
	if !slices.Contains(domain.CaseActions, action) {
		return domain.Errorf(domain.ENOTFOUND, "unknown action %q", action)
	}
	return s.caseAction(action)(w, r, u)
}

// caseAction takes one action on the case of the path: POST /cases/{id}/{action}, and
// the leader's actions, which have routes of their own.
func (s *Server) caseAction(action domain.Action) handler {
	return writeID("case", http.StatusOK, func(ctx context.Context, u domain.User, id int64, cmd domain.Command) (caseView, error) {
		cmd.Action = action
		c, err := s.svc.Act(ctx, u, id, cmd)
		return view(u, c, err)
	})
}

// supervisionStats: how the leaders' supervisions of a region's cases stand.
func (s *Server) supervisionStats(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	rep, err := s.svc.SupervisionStats(r.Context(), u, q.Get("region"), q.Get("from"), q.Get("to"))
	return reply(w, http.StatusOK, rep, err)
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request, u domain.User) error {
	f, err := transport.CaseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	cases, next, err := s.svc.Cases(r.Context(), u, f)
	if err != nil {
		return err
	}
	body := map[string]any{"cases": cases, "next_cursor": nil}
	if f.After == 0 { // the first page says how many cases match: from the rollup, or counted to a bound
		n, err := s.svc.CountCases(r.Context(), u, f, domain.TotalCap)
		if err != nil {
			return err
		}
		body["total"], body["total_exact"] = n.N, !n.More
	}
	if next != 0 {
		body["next_cursor"] = strconv.FormatInt(next, 10)
	}
	if cases == nil {
		body["cases"] = []any{}
	}
	return reply(w, http.StatusOK, body, nil)
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request, u domain.User) error {
	ns, err := s.svc.Notifications(r.Context(), u, r.URL.Query().Get("unread") == "true", 100)
	return reply(w, http.StatusOK, map[string]any{"notifications": ns}, err)
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request, u domain.User) error {
	var body struct {
		UpTo int64 `json:"up_to"`
	}
	if err := transport.Decode(w, r, &body); err != nil {
		return err
	}
	if body.UpTo <= 0 {
		return domain.Errorf(domain.EINVALID, "up_to must be a notification id")
	}
	return noContent(w, s.svc.MarkRead(r.Context(), u, body.UpTo))
}

// caseRoutes registers cases, their actions, statistics and notifications.
func (s *Server) caseRoutes() {
	s.authed("POST /api/v1/cases", create("/api/v1/cases/", caseID, viewing(s.svc.File)))
	s.authed("GET /api/v1/cases", s.listCases)
	s.authed("GET /api/v1/cases/{id}", byID("case", viewing(s.svc.Case)))
	s.authed("POST /api/v1/cases/{id}/{action}", s.act)
	s.authed("POST /api/v1/cases/{id}/supervise", s.caseAction(domain.ActSupervise))
	s.authed("POST /api/v1/cases/{id}/instruct", s.caseAction(domain.ActInstruct))
	s.authed("GET /api/v1/stats/cases", s.stats)
	s.authed("GET /api/v1/stats/supervision", s.supervisionStats)
	s.authed("GET /api/v1/notifications", s.notifications)
	s.authed("POST /api/v1/notifications/read", s.markRead)
}
