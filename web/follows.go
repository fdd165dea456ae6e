package web

import (
	"net/http"
	"strconv"
)

// Following a case from its page (issue 21): the case page loads the button
// (GET /cases/{id}/follow, a fragment); pressing it follows or stops following, and
// the follower is given a progress notice at each step others take.

func init() {
	register(func(a *App) {
		a.Page("GET /cases/{id}/follow", nil, a.followButton)
		a.Action("POST /cases/{id}/follow", nil, a.followCase)
	})
}

func (a *App) followButton(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	on, err := a.svc.FollowingCase(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	return a.Fragment(w, q, http.StatusOK, "case", "follow-button", map[string]any{"ID": id, "Following": on})
}

func (a *App) followCase(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	on := r.PostFormValue("on") != "0"
	if err := a.svc.FollowCase(r.Context(), q.User, id, on); err != nil {
		return err
	}
	msg := q.L.T("follow.started")
	if !on {
		msg = q.L.T("follow.stopped")
	}
	return a.done(w, r, "/cases/"+strconv.FormatInt(id, 10), msg)
}
