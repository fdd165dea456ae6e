package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
)

// The citizen's home (群众): "我要反映" first, to the report form every resident uses,
// then the reports this citizen made, newest first, a page at a time.

var citizenRoles = []domain.Role{domain.RoleCitizen}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.me", Path: "/me", Roles: citizenRoles, Order: 5})
		a.Page("GET /me", citizenRoles, a.citizenHome)
	})
}

func (a *App) citizenHome(w http.ResponseWriter, r *http.Request, q *Req) error {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	cases, err := a.svc.MyReports(r.Context(), q.User, after, pageSize+1)
	if err != nil {
		return err
	}
	d := phoneListData{Cases: cases}
	if len(cases) > pageSize {
		d.Cases, d.Next = cases[:pageSize], cases[pageSize-1].ID
	}
	if d.Names, err = a.names(r.Context(), d.Cases); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "me", d)
}
