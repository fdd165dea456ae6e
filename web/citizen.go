package web

import (
	"net/http"

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
	return a.myReports(w, r, q, "me")
}
