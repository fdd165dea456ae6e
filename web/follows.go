package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/transport"
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

// Following a region or a matter (issue 21): the dashboard loads the region's follow
// button (GET /follows/area?region=, a fragment: nothing for a user who may not follow
// it); the message settings page lists what the user follows, stops a follow and adds
// one (a region, or a matter in it). POST /follows/area follows (on=1) or stops, then
// goes back to the page it came from.

func init() {
	register(func(a *App) {
		a.Page("GET /follows/area", nil, a.areaFollowButton)
		a.Action("POST /follows/area", nil, a.followArea)
	})
}

func (a *App) areaFollowButton(w http.ResponseWriter, r *http.Request, q *Req) error {
	region := r.URL.Query().Get("region")
	on, may, err := a.svc.AreaFollowState(r.Context(), q.User, region)
	if err != nil {
		return err
	}
	next := "/dashboard?region=" + url.QueryEscape(region)
	return a.Fragment(w, q, http.StatusOK, "dashboard", "area-follow-button", map[string]any{"Region": region, "Following": on, "May": may, "Next": next})
}

func (a *App) followArea(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "form")
	}
	on := r.PostFormValue("on") != "0"
	f := domain.AreaFollow{Region: r.PostFormValue("region"), Matter: r.PostFormValue("matter")}
	if err := a.svc.FollowArea(r.Context(), q.User, f, on); err != nil {
		status, _ := transport.Status(err)
		return a.refused(w, r, q, err, func() error { // said on the settings page's form of follows
			p, perr := a.svc.MessagePrefs(r.Context(), q.User)
			if perr != nil {
				return perr
			}
			return a.showMessagePrefs(w, r, q, status, p, formOf(r))
		})
	}
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/notices/settings"
	}
	msg := q.L.T("follow.area_started")
	if !on {
		msg = q.L.T("follow.area_stopped")
	}
	return a.done(w, r, next, msg)
}
