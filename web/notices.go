package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
)

// The notices page: what the service told the user (new cases for dispatchers, cases
// dispatched or whistled to an officer's org, returns and extension requests), newest
// first, each linking to its case.

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.notices", Path: "/notices", Order: 95})
		a.Page("GET /notices", nil, a.notices)
		a.Action("POST /notices/read", nil, a.noticesRead)
	})
}

func (a *App) notices(w http.ResponseWriter, r *http.Request, q *Req) error {
	ns, err := a.svc.Notifications(r.Context(), q.User, r.URL.Query().Get("unread") == "1", pageSize)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "notices", map[string]any{"Notices": ns, "Unread": r.URL.Query().Get("unread") == "1"})
}

// noticesRead marks the user's notices read up to the newest one shown.
func (a *App) noticesRead(w http.ResponseWriter, r *http.Request, q *Req) error {
	upTo, err := strconv.ParseInt(r.PostFormValue("up_to"), 10, 64)
	if err != nil || upTo <= 0 {
		return domain.Errorf(domain.EINVALID, "up_to")
	}
	if err := a.svc.MarkRead(r.Context(), q.User, upTo); err != nil {
		return err
	}
	return a.done(w, r, "/notices", q.L.T("flash.read"))
}
