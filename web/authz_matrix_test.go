package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestPageMatrix (issue 18) opens every page of the web application as the demo user of
// every role and without a session, and holds each status to the table below: a page a
// role may open answers 200, one it may not 403, and a visitor without a session is
// sent to the login page; an action refuses the roles it is not for (403, with the
// session's CSRF token) and a visitor without a session (401). A route registered
// without a row fails: the table is the one place that says who opens what.
func TestPageMatrix(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	things := pageThings(s)
	rows := map[string]bool{}
	for _, r := range pageRows {
		if rows[r.route] {
			t.Errorf("the page matrix has two rows for %s", r.route)
		}
		rows[r.route] = true
		if !slices.Contains(s.app.Routes, r.route) {
			t.Errorf("the page matrix has a row for %s, which is not registered", r.route)
		}
	}
	for _, route := range s.app.Routes {
		if !rows[route] {
			t.Errorf("add route %s to the page matrix (pageRows in authz_matrix_test.go): which roles open it", route)
		}
	}
	callers := map[domain.Role]*client{}
	for _, role := range domain.Roles {
		callers[role] = s.client()
		callers[role].login(pageLogins[role])
	}
	print := os.Getenv("WHISTLE_MATRIX_PRINT") != ""
	ordered := slices.Clone(pageRows)
	slices.SortStableFunc(ordered, func(a, b pageRow) int { // signing out ends the sessions: last
		return boolInt(a.route == "POST /logout") - boolInt(b.route == "POST /logout")
	})
	for _, r := range ordered {
		path := r.path
		for name, v := range things {
			path = strings.ReplaceAll(path, "{"+name+"}", v)
		}
		r.check(s, callers, path, print)
	}
}

// check opens the row's path as every role and without a session; print shows what
// each gets instead, to write a row from (WHISTLE_MATRIX_PRINT=1).
func (r pageRow) check(s *site, callers map[domain.Role]*client, path string, print bool) {
	t := s.t
	method, _, _ := strings.Cut(r.route, " ")
	var line strings.Builder
	for _, role := range domain.Roles {
		got := pageCall(callers[role], method, path)
		fmt.Fprintf(&line, " %s=%d", role, got)
		want, err := r.roles.Of(role)
		if err != nil {
			t.Fatalf("the page matrix's row for %s: %v", r.route, err)
		}
		if got != want && !print {
			t.Errorf("%s as %s (%s): %d, want %d", r.route, role, pageLogins[role], got, want)
		}
	}
	got, want := pageCall(s.client(), method, path), r.anon
	if want == 0 {
		want = map[string]int{"GET": http.StatusSeeOther, "POST": http.StatusUnauthorized}[method]
	}
	if print {
		fmt.Printf("%-45s%s anon=%d\n", r.route, line.String(), got)
	} else if got != want {
		t.Errorf("%s without a session: %d, want %d", r.route, got, want)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pageLogins are the demo users the matrix opens the pages as, one of each role.
var pageLogins = map[domain.Role]string{domain.RoleAdmin: "demo.admin", domain.RoleLeader: "demo.leader",
	domain.RoleDispatcher: "demo.dispatcher", domain.RoleOfficer: "demo.officer", domain.RoleGridWorker: "demo.grid",
	domain.RoleBuildingHead: "demo.building", domain.RoleVolunteer: "demo.volunteer", domain.RoleLiaison: "demo.liaison",
	domain.RoleHelper: "demo.helper", domain.RoleInspector: "demo.inspector", domain.RoleEnterprise: "demo.enterprise",
	domain.RoleCitizen: "demo.citizen", domain.RoleAuditor: "demo.auditor"}

// pageCall opens a page (GET) or sends an action with an empty form and the session's
// CSRF token (POST), and gives the status. A visitor without a session is sent to the
// login page with the page to come back to.
func pageCall(c *client, method, path string) int {
	c.s.t.Helper()
	if method == "POST" {
		status, _, _ := c.post(path, url.Values{})
		return status
	}
	resp, err := c.http.Get(c.s.srv.URL + path)
	if err != nil {
		c.s.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body) // a download cut short would fail its handler's write
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/login") &&
		loc != "/login?next="+url.QueryEscape(path) {
		c.s.t.Errorf("GET %s sends to %s, not back to the page after the login", path, loc)
	}
	return resp.StatusCode
}

// pageThings makes and finds what the pages with an id open, and gives their ids: a
// case the demo's street reported and dispatched to 城管局 with 市场监督管理局 beside,
// with a photo; the demo enterprise of the enterprise account; the key group and an
// open visit of the demo helper.
func pageThings(s *site) map[string]string {
	t, ctx := s.t, context.Background()
	citizen, dispatcher := s.users["demo.citizen"], s.users["demo.dispatcher"]
	c, err := s.svc.File(ctx, citizen, domain.NewCase{Matter: "SR-001", Title: "民光社区路灯不亮", Region: "431382001001001001",
		Channel: "online", Kind: "request"})
	if err != nil {
		t.Fatal(err)
	}
	s.act(dispatcher, c.ID, domain.Command{Action: domain.ActAccept})
	s.act(dispatcher, c.ID, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ", CoOrgs: []string{"LY-SJJ"}})
	var photo bytes.Buffer
	png.Encode(&photo, image.NewGray(image.Rect(0, 0, 16, 16)))
	file, err := s.svc.Attach(ctx, citizen, c.ID, 0, "路灯.png", &photo)
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.svc.Enterprises(ctx, s.users["demo.admin"], domain.EnterpriseFilter{Limit: 500})
	enterprise := slices.IndexFunc(es, func(e *domain.Enterprise) bool { return e.AccountID == s.users["demo.enterprise"].ID })
	if err != nil || enterprise < 0 {
		t.Fatalf("the demo enterprise of demo.enterprise: %v", err)
	}
	gs, err := service.OpenGroups(ctx, s.svc)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := gs.Groups(ctx, s.users["demo.admin"])
	if err != nil || len(groups) == 0 {
		t.Fatalf("the demo's key group: %v", err)
	}
	visits, err := gs.Visits(ctx, s.users["demo.helper"], service.VisitQuery{Mine: true, Status: domain.VisitOpen})
	if err != nil || len(visits) == 0 {
		t.Fatalf("an open visit of demo.helper: %v", err)
	}
	id := func(n int64) string { return fmt.Sprint(n) }
	training, session := trainingThing(s)
	return map[string]string{"case": id(c.ID), "file": id(file.ID), "enterprise": id(es[enterprise].ID), "group": id(groups[0].ID),
		"visit": id(visits[0].ID), "user": id(citizen.ID), "training": training, "session": session}
}

// pageRow is a row of the page matrix: a route, the path opened, and the status each
// role gets.
type pageRow struct {
	route string // as registered: "METHOD /pattern"
	path  string // with {names} of pageThings
	roles statuses
	anon  int // without a session; 0: sent to the login page (GET), 401 (POST)
}

// statuses gives a status to roles: status → the roles; "*" is every role not named.
type statuses = whistletest.Statuses

// pageRows are the web application's routes, in the order the features register them.
// An action is sent with an empty form: the roles it is for get past the role check to
// the form's refusal (400), or to the sample thing's 404 or 409.
var pageRows = []pageRow{
	{route: "GET /admin", path: "/admin", roles: statuses{200: "admin", 403: "*"}},
	{route: "GET /admin/users", path: "/admin/users", roles: statuses{200: "admin", 403: "*"}},
	{route: "GET /admin/users/{id}", path: "/admin/users/{user}", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/users", path: "/admin/users", roles: statuses{400: "admin", 403: "*"}},
	// an empty name: refused as invalid to the installation's administrator
	{route: "POST /admin/government", path: "/admin/government", roles: statuses{400: "admin", 403: "*"}},
	{route: "POST /admin/map-tiles", path: "/admin/map-tiles", roles: statuses{303: "admin", 403: "*"}},
	{route: "GET /admin/orgs", path: "/admin/orgs", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/orgs", path: "/admin/orgs", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /admin/matters", path: "/admin/matters", roles: statuses{200: "admin", 403: "*"}},
	{route: "GET /admin/matters/{code}", path: "/admin/matters/SR-001", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/matters/{code}", path: "/admin/matters/SR-001", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /admin/calendar", path: "/admin/calendar", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/calendar", path: "/admin/calendar", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /admin/regions", path: "/admin/regions", roles: statuses{200: "admin", 403: "*"}},
	{route: "GET /admin/regions/children", path: "/admin/regions/children?parent=431382001", roles: statuses{200: "admin", 403: "*"}},
	{route: "GET /admin/regions/search", path: "/admin/regions/search?q=%E6%B0%91%E5%85%89", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/regions", path: "/admin/regions", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /admin/linkages", path: "/admin/linkages", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/linkages", path: "/admin/linkages", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /audit", path: "/audit", roles: statuses{200: "admin auditor", 403: "*"}},
	{route: "GET /audit/export", path: "/audit/export", roles: statuses{200: "admin auditor", 403: "*"}},
	{route: "GET /cases/{id}", path: "/cases/{case}", roles: statuses{200: whistletest.SeesCase, 404: "*"}},
	{route: "GET /cases/{id}/follow", path: "/cases/{case}/follow", roles: statuses{200: whistletest.SeesCase, 404: "*"}},
	{route: "POST /cases/{id}/follow", path: "/cases/{case}/follow", roles: statuses{303: whistletest.SeesCase, 404: "*"}},
	// a region's follow button: a fragment for everyone, a button for those who may follow it
	{route: "GET /follows/area", path: "/follows/area?region=431382001", roles: statuses{200: "*"}},
	// an empty form names no region: said on the settings page
	{route: "POST /follows/area", path: "/follows/area", roles: statuses{400: "*"}},
	{route: "GET /cases/{id}/sheet", path: "/cases/{case}/sheet", roles: statuses{200: whistletest.SeesCase, 404: "*"}},
	// accept a case already dispatched: its dispatcher is refused by its state
	{route: "POST /cases/{id}/act/{action}", path: "/cases/{case}/act/accept", roles: statuses{409: "dispatcher", 403: "admin leader officer grid_worker building_head inspector citizen", 404: "*"}},
	{route: "GET /cases", path: "/cases", roles: statuses{200: "*"}},
	{route: "GET /dashboard", path: "/dashboard", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "GET /dispatch", path: "/dispatch", roles: statuses{200: "dispatcher", 403: "*"}},
	{route: "POST /dispatch/bulk", path: "/dispatch/bulk", roles: statuses{400: "dispatcher", 403: "*"}},
	{route: "GET /enterprises", path: "/enterprises", roles: statuses{200: whistletest.SeesEnterprise, 403: "*"}},
	{route: "GET /enterprises/{id}/code.png", path: "/enterprises/{enterprise}/code.png", roles: statuses{200: "admin dispatcher enterprise liaison", 403: "*"}},
	{route: "GET /enterprises/{id}/poster.pdf", path: "/enterprises/{enterprise}/poster.pdf", roles: statuses{200: "admin dispatcher enterprise liaison", 403: "*"}},
	{route: "GET /groups", path: "/groups", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "POST /groups", path: "/groups", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /groups/{id}", path: "/groups/{group}", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "POST /groups/{id}/import", path: "/groups/{group}/import", roles: statuses{400: "admin", 403: "*"}},
	{route: "POST /groups/{id}/rounds", path: "/groups/{group}/rounds", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /groups/{id}/export", path: "/groups/{group}/export", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "POST /groups/{id}/assign", path: "/groups/{group}/assign", roles: statuses{400: "admin", 403: "*"}},
	{route: "POST /groups/{id}/handover", path: "/groups/{group}/handover", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /h", path: "/h", roles: statuses{200: "grid_worker helper", 403: "*"}},
	// demo.helper's visit in 联兴村; the grid worker's grid is in 民光社区
	{route: "GET /h/visits/{id}", path: "/h/visits/{visit}", roles: statuses{200: "helper", 403: "*", 404: "grid_worker"}},
	// an empty form records the visit: nothing found
	{route: "POST /h/visits/{id}", path: "/h/visits/{visit}", roles: statuses{303: "helper", 403: "*", 404: "grid_worker"}},
	{route: "GET /groups/{id}/stats", path: "/groups/{group}/stats", roles: statuses{200: "admin leader dispatcher grid_worker helper", 403: "*"}},
	{route: "GET /groups/{id}/briefing", path: "/groups/{group}/briefing", roles: statuses{200: "admin leader dispatcher grid_worker helper", 403: "*"}},
	// no risk 1 on the group
	{route: "POST /groups/{id}/risks/{risk}/case", path: "/groups/{group}/risks/1/case", roles: statuses{403: "*", 404: "admin dispatcher grid_worker helper"}},
	{route: "GET /inbox", path: "/inbox", roles: statuses{200: "officer", 403: "*"}},
	{route: "GET /inspect/scan", path: "/inspect/scan", roles: statuses{200: "inspector", 403: "*"}},
	{route: "POST /inspect/scan", path: "/inspect/scan", roles: statuses{400: "inspector", 403: "*"}},
	{route: "GET /inspections", path: "/inspections", roles: statuses{200: whistletest.SeesInspection, 403: "*"}},
	{route: "POST /inspections/{id}/rate", path: "/inspections/1/rate", roles: statuses{400: "enterprise", 403: "*"}},
	{route: "POST /inspections/{id}/decide", path: "/inspections/1/decide", roles: statuses{403: "*", 409: "admin leader"}},
	{route: "POST /inspections/{id}/finish", path: "/inspections/1/finish", roles: statuses{400: "inspector", 403: "*"}},
	{route: "GET /intake/hotline", path: "/intake/hotline", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "GET /intake/window", path: "/intake/window", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "GET /intake/matters", path: "/intake/matters", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "POST /intake/caller", path: "/intake/caller", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "POST /intake/suggest", path: "/intake/suggest", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "POST /intake/knowledge", path: "/intake/knowledge", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "GET /knowledge", path: "/knowledge", roles: statuses{200: "admin dispatcher", 403: "*"}},
	{route: "POST /knowledge", path: "/knowledge", roles: statuses{400: "admin dispatcher", 403: "*"}},
	{route: "GET /templates", path: "/templates", roles: statuses{200: "admin dispatcher officer", 403: "*"}},
	{route: "POST /templates", path: "/templates", roles: statuses{400: "admin dispatcher officer", 403: "*"}},
	{route: "POST /templates/{id}/delete", path: "/templates/999999/delete", roles: statuses{404: "admin dispatcher officer", 403: "*"}},
	{route: "POST /intake/hotline", path: "/intake/hotline", roles: statuses{400: "admin dispatcher", 403: "*"}},
	{route: "POST /intake/window", path: "/intake/window", roles: statuses{400: "admin dispatcher", 403: "*"}},
	{route: "GET /public/report", path: "/public/report", roles: statuses{200: "*"}, anon: 200},
	// a public form without its CSRF cookie is refused
	{route: "POST /public/report", path: "/public/report", roles: statuses{403: "*"}, anon: 403},
	{route: "GET /public/track", path: "/public/track", roles: statuses{200: "*"}, anon: 200},
	{route: "POST /public/track", path: "/public/track", roles: statuses{403: "*"}, anon: 403},
	// a receipt's progress messages: the forms need the public pages' CSRF cookie; a
	// link without its token names no subscription
	{route: "POST /public/track/subscribe", path: "/public/track/subscribe", roles: statuses{403: "*"}, anon: 403},
	{route: "GET /public/subscription", path: "/public/subscription?t=c1.00", roles: statuses{404: "*"}, anon: 404},
	{route: "POST /public/subscription", path: "/public/subscription", roles: statuses{403: "*"}, anon: 403},
	{route: "GET /admin/open311", path: "/admin/open311", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/open311/clients", path: "/admin/open311/clients", roles: statuses{400: "admin", 403: "*"}},
	{route: "POST /admin/open311/clients/{id}", path: "/admin/open311/clients/1", roles: statuses{403: "*", 404: "admin"}},
	{route: "GET /intake/liaison", path: "/intake/liaison", roles: statuses{200: "liaison", 403: "*"}},
	{route: "POST /intake/liaison", path: "/intake/liaison", roles: statuses{400: "liaison", 403: "*"}},
	{route: "GET /{$}", path: "/", roles: statuses{303: "*"}},
	{route: "GET /notices", path: "/notices", roles: statuses{200: "*"}},
	{route: "GET /notices/count", path: "/notices/count", roles: statuses{200: "*"}},
	{route: "GET /notices/stream", path: "/notices/stream", roles: statuses{200: "*"}},
	{route: "GET /notices/settings", path: "/notices/settings", roles: statuses{200: "*"}},
	{route: "POST /notices/settings", path: "/notices/settings", roles: statuses{303: "*"}},
	{route: "GET /me", path: "/me", roles: statuses{200: "citizen", 403: "*"}},
	{route: "POST /notices/read", path: "/notices/read", roles: statuses{400: "*"}},
	{route: "GET /m/patrol", path: "/m/patrol", roles: statuses{200: "leader officer grid_worker building_head volunteer", 403: "*"}},
	{route: "POST /m/patrol", path: "/m/patrol", roles: statuses{400: "leader officer grid_worker building_head volunteer", 403: "*"}},
	{route: "GET /ledgers/hazards", path: "/ledgers/hazards", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "GET /ledgers/hazards.xlsx", path: "/ledgers/hazards.xlsx", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "GET /reports/liaison", path: "/reports/liaison", roles: statuses{200: "admin leader dispatcher liaison", 403: "*"}},
	{route: "GET /m", path: "/m", roles: statuses{200: "grid_worker building_head volunteer", 403: "*"}},
	{route: "GET /m/report", path: "/m/report", roles: statuses{200: "grid_worker building_head volunteer", 403: "*"}},
	{route: "POST /m/report", path: "/m/report", roles: statuses{400: "grid_worker building_head volunteer", 403: "*"}},
	{route: "GET /m/reports", path: "/m/reports", roles: statuses{200: "grid_worker building_head volunteer", 403: "*"}},
	{route: "GET /m/verify", path: "/m/verify", roles: statuses{200: "grid_worker building_head volunteer", 403: "*"}},
	// a point of 民光社区第1网格, outside the building head's building
	{route: "GET /m/locate", path: "/m/locate?lat=27.7015&lon=111.6515", roles: statuses{200: "grid_worker volunteer", 403: "*", 404: "building_head"}},
	{route: "GET /files/{id}", path: "/files/{file}", roles: statuses{200: whistletest.SeesCase, 404: "*"}},
	{route: "POST /receipt.pdf", path: "/receipt.pdf", roles: statuses{400: "*"}, anon: 403},
	// a signed-in user goes home
	{route: "GET /login", path: "/login", roles: statuses{303: "*"}, anon: 200},
	{route: "POST /login", path: "/login", roles: statuses{403: "*"}, anon: 403},
	{route: "POST /lang", path: "/lang", roles: statuses{400: "*"}, anon: 400},
	// checked last: it ends the callers' sessions
	{route: "POST /logout", path: "/logout", roles: statuses{303: "*"}},
	{route: "GET /admin/windows", path: "/admin/windows", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/halls", path: "/admin/halls", roles: statuses{400: "admin", 403: "*"}},
	{route: "POST /admin/windows", path: "/admin/windows", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /admin/channels", path: "/admin/channels", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/channels/test", path: "/admin/channels/test", roles: statuses{400: "admin", 403: "*"}},
	// an empty form turns the channels off (the demo has none on)
	{route: "POST /admin/channels", path: "/admin/channels", roles: statuses{303: "admin", 403: "*"}},
	{route: "GET /dashboard/windows.xlsx", path: "/dashboard/windows.xlsx", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	// investment projects: the demo's lie in 渌口区, where none of these users has a part
	{route: "GET /projects", path: "/projects", roles: statuses{200: projectPages, 403: "*"}},
	{route: "GET /projects.xlsx", path: "/projects.xlsx", roles: statuses{200: projectPages, 403: "*"}},
	{route: "GET /projects/{id}", path: "/projects/1", roles: statuses{404: projectPages, 403: "*"}},
	{route: "GET /projects/inbox", path: "/projects/inbox", roles: statuses{200: "officer", 403: "*"}},
	{route: "GET /projects/dashboard", path: "/projects/dashboard", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "POST /projects/{id}/items", path: "/projects/1/items", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/{id}/advance", path: "/projects/1/advance", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/{id}/progress", path: "/projects/1/progress", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/items/{id}/act", path: "/projects/items/1/act", roles: statuses{400: projectPages, 403: "*"}},
	{route: "POST /rectification/items/{id}/edit", path: "/rectification/items/999999/edit", roles: statuses{404: "admin leader dispatcher officer", 403: "*"}},
	{route: "GET /projects/bulletin", path: "/projects/bulletin", roles: statuses{200: whistletest.ReadsPlace, 403: "*"}},
	{route: "GET /project-files/{id}", path: "/project-files/1", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/{id}/problems", path: "/projects/1/problems", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/{id}/plan", path: "/projects/1/plan", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/{id}/files", path: "/projects/1/files", roles: statuses{404: projectPages, 403: "*"}},
	{route: "GET /projects/new", path: "/projects/new", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "POST /projects/new", path: "/projects/new", roles: statuses{400: "admin leader", 403: "*"}},
	{route: "GET /projects/{id}/edit", path: "/projects/1/edit", roles: statuses{404: projectPages, 403: "*"}},
	{route: "POST /projects/{id}/edit", path: "/projects/1/edit", roles: statuses{404: projectPages, 403: "*"}},
	{route: "GET /admin/approval-items", path: "/admin/approval-items", roles: statuses{200: "admin", 403: "*"}},
	{route: "POST /admin/approval-items", path: "/admin/approval-items", roles: statuses{400: "admin", 403: "*"}},
	{route: "GET /m/projects", path: "/m/projects", roles: statuses{200: "liaison leader enterprise", 403: "*"}},
	{route: "GET /projects/import", path: "/projects/import", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "GET /projects/import/template.xlsx", path: "/projects/import/template.xlsx", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "POST /projects/import", path: "/projects/import", roles: statuses{400: "admin leader", 403: "*"}},
	// 督查整改: the demo's list (1) and its item 4, of demo.officer's org (closed)
	{route: "GET /rectification", path: "/rectification", roles: statuses{200: rectReaders, 403: "*"}},
	{route: "POST /rectification", path: "/rectification", roles: statuses{400: rectReaders, 403: "*"}},
	{route: "GET /rectification/lists/{id}", path: "/rectification/lists/1", roles: statuses{200: rectReaders, 403: "*"}},
	{route: "GET /rectification/lists/{id}/items.xlsx", path: "/rectification/lists/1/items.xlsx", roles: statuses{200: rectReaders, 403: "*"}},
	{route: "POST /rectification/lists/{id}/items", path: "/rectification/lists/1/items", roles: statuses{400: rectReaders, 403: "*"}},
	{route: "GET /rectification/items/{id}", path: "/rectification/items/4", roles: statuses{200: rectReaders, 403: "*"}},
	{route: "POST /rectification/items/{id}/report", path: "/rectification/items/4/report", roles: statuses{409: "officer", 403: "*"}},
	{route: "POST /rectification/items/{id}/decide", path: "/rectification/items/4/decide", roles: statuses{400: rectReaders, 403: "*"}},
	// a closed item raises a case still: the matter is missing (400); dispatchers may not
	{route: "POST /rectification/items/{id}/case", path: "/rectification/items/4/case", roles: statuses{400: "admin leader officer", 403: "*"}},
	{route: "GET /rectification/evidence/{id}", path: "/rectification/evidence/999999", roles: statuses{404: rectReaders, 403: "*"}},
	{route: "GET /rectification/figures", path: "/rectification/figures", roles: statuses{200: "admin leader dispatcher", 403: "*"}},
	{route: "GET /rectification/figures.xlsx", path: "/rectification/figures.xlsx", roles: statuses{200: "admin leader dispatcher", 403: "*"}},
	// 机构编制: unit 1 is the demo's 蓝田街道党工委; the demo's administrator is the city's
	// staffing office, its leader the street's leading group; the demo's officer (of
	// 城管局, not of an org of kind staffing_office) reads nothing of it
	{route: "GET /staffing", path: "/staffing", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "GET /staffing/figures.xlsx", path: "/staffing/figures.xlsx", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "POST /staffing/units", path: "/staffing/units", roles: statuses{400: "admin leader officer", 403: "*"}},
	{route: "GET /staffing/units/{id}", path: "/staffing/units/1", roles: statuses{200: "admin leader", 404: "officer", 403: "*"}},
	{route: "POST /staffing/units/{id}/quotas", path: "/staffing/units/1/quotas", roles: statuses{400: "admin", 404: "officer", 403: "*"}},
	{route: "POST /staffing/units/{id}/moves", path: "/staffing/units/1/moves", roles: statuses{400: "admin", 404: "officer", 403: "*"}},
	{route: "POST /staffing/units/{id}/reveal", path: "/staffing/units/1/reveal", roles: statuses{404: "admin officer", 403: "*"}},
	{route: "POST /staffing/units/{id}/plans", path: "/staffing/units/1/plans", roles: statuses{400: "admin", 404: "officer", 403: "*"}},
	{route: "POST /staffing/units/{id}/exceptions", path: "/staffing/units/1/exceptions", roles: statuses{400: "admin", 404: "officer", 403: "*"}},
	{route: "POST /staffing/exceptions/{id}/decide", path: "/staffing/exceptions/999999/decide", roles: statuses{404: "admin leader officer", 403: "*"}},
	// survey 1 is the demo's round over three of the city's units: the street's leader
	// does not read it (404)
	{route: "GET /staffing/surveys", path: "/staffing/surveys", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "POST /staffing/surveys", path: "/staffing/surveys", roles: statuses{400: "admin leader officer", 403: "*"}},
	{route: "GET /staffing/surveys/{id}", path: "/staffing/surveys/1", roles: statuses{200: "admin", 404: "leader officer", 403: "*"}},
	{route: "POST /staffing/surveys/{id}/findings", path: "/staffing/surveys/1/findings", roles: statuses{400: "admin", 404: "leader officer", 403: "*"}},
	// 土地承包经营权登记: the demo district has no land register (the served demo loads
	// 洪江区's); the desk opens for its staff roles (an officer of no registration office
	// sees an empty desk), missing things are 404 to who may open them
	{route: "GET /land", path: "/land", roles: statuses{200: landDesk, 403: "*"}},
	{route: "POST /land/applications", path: "/land/applications", roles: statuses{400: landDesk, 403: "*"}},
	{route: "GET /land/applications/{id}", path: "/land/applications/999999", roles: statuses{404: landDesk + " citizen", 403: "*"}},
	{route: "POST /land/applications/{id}/step", path: "/land/applications/999999/step", roles: statuses{404: landDesk, 403: "*"}},
	{route: "GET /land/register/{unit}", path: "/land/register/431382001205JC00001W00000000", roles: statuses{200: "admin leader dispatcher", 404: "officer citizen", 403: "*"}},
	{route: "GET /land/certificates/{id}/pdf", path: "/land/certificates/999999/pdf", roles: statuses{404: landDesk + " citizen", 403: "*"}},
	{route: "GET /land/figures.xlsx", path: "/land/figures.xlsx", roles: statuses{200: "admin leader dispatcher", 403: "*"}},
	{route: "GET /land/mine", path: "/land/mine", roles: statuses{200: "citizen", 403: "*"}},
	{route: "POST /land/certificates/{id}/consent", path: "/land/certificates/999999/consent", roles: statuses{404: "citizen", 403: "*"}},
	{route: "GET /land/village/{code}", path: "/land/village/431382001205", roles: statuses{200: "admin leader dispatcher", 403: "*"}},
	// empty forms: refused as they are, before who may act is asked
	{route: "POST /land/village/{code}/collectives", path: "/land/village/431382001205/collectives", roles: statuses{400: landDesk, 403: "*"}},
	{route: "POST /land/village/{code}/households", path: "/land/village/431382001205/households", roles: statuses{400: landDesk, 403: "*"}},
	{route: "POST /land/village/{code}/parcels", path: "/land/village/431382001205/parcels", roles: statuses{400: landDesk, 403: "*"}},
	{route: "POST /land/village/{code}/contracts", path: "/land/village/431382001205/contracts", roles: statuses{400: landDesk, 403: "*"}},
	{route: "GET /land/check", path: "/land/check", roles: statuses{200: "enterprise", 403: "*"}},
	{route: "POST /land/check", path: "/land/check", roles: statuses{400: "enterprise", 403: "*"}},
	// 考核: the demo's departments' system (2), its February published and appealed
	// (appeal 1, accepted); empty forms are refused as they are
	{route: "GET /assessments", path: "/assessments", roles: statuses{200: assessPages, 403: "*"}},
	{route: "GET /assessments/{id}", path: "/assessments/2", roles: statuses{200: assessPages, 403: "*"}},
	{route: "GET /assessments/new", path: "/assessments/new", roles: statuses{200: "admin leader", 403: "*"}},
	{route: "POST /assessments", path: "/assessments", roles: statuses{400: "admin leader", 403: "*"}},
	{route: "GET /assessments/{id}/periods/{period}", path: "/assessments/2/periods/2026-02", roles: statuses{200: assessPages, 403: "*"}},
	{route: "GET /assessments/{id}/periods/{period}/table.xlsx", path: "/assessments/2/periods/2026-02/table.xlsx", roles: statuses{200: assessPages, 403: "*"}},
	{route: "GET /assessments/{id}/periods/{period}/ranking", path: "/assessments/2/periods/2026-02/ranking", roles: statuses{200: assessPages, 403: "*"}},
	{route: "GET /assessments/{id}/periods/{period}/circular", path: "/assessments/2/periods/2026-02/circular", roles: statuses{200: assessPages, 403: "*"}},
	{route: "POST /assessments/{id}/periods/{period}/publish", path: "/assessments/2/periods/2026-02/publish", roles: statuses{409: "leader", 403: "*"}},
	{route: "POST /assessments/{id}/periods/{period}/appeals", path: "/assessments/2/periods/2026-02/appeals", roles: statuses{403: "*"}},
	{route: "POST /assessments/appeals/{id}/decide", path: "/assessments/appeals/1/decide", roles: statuses{400: assessPages, 403: "*"}},
	{route: "GET /assessments/exclusions", path: "/assessments/exclusions", roles: statuses{200: assessPages, 403: "*"}},
	{route: "POST /assessments/exclusions", path: "/assessments/exclusions", roles: statuses{400: assessPages, 403: "*"}},
	{route: "POST /assessments/exclusions/{id}/decide", path: "/assessments/exclusions/999999/decide", roles: statuses{404: assessPages, 403: "*"}},
	{route: "POST /assessments/{id}/periods/{period}/manual", path: "/assessments/2/periods/2026-02/manual", roles: statuses{400: assessPages, 403: "*"}},
	{route: "GET /assessments/ratings", path: "/assessments/ratings", roles: statuses{200: assessPages, 403: "*"}},
	{route: "POST /assessments/ratings", path: "/assessments/ratings", roles: statuses{400: assessPages, 403: "*"}},
	// 混编培训: the sample class is 城管局's (demo.officer), held in 蓝田街道 (demo.leader's), mixed
	{route: "GET /training", path: "/training", roles: statuses{200: "admin leader officer", 403: "*"}},
	{route: "POST /training", path: "/training", roles: statuses{400: "admin officer", 403: "*"}},
	{route: "GET /training/template.xlsx", path: "/training/template.xlsx", roles: statuses{200: "admin leader officer", 403: "*"}},
	{route: "GET /training/{id}", path: "/training/{training}", roles: statuses{200: "admin leader officer", 403: "*"}},
	{route: "GET /training/{id}/print/{sheet}", path: "/training/{training}/print/rooms", roles: statuses{200: "admin leader officer", 403: "*"}},
	{route: "POST /training/{id}/roster", path: "/training/{training}/roster", roles: statuses{400: "admin leader officer", 403: "*"}},
	{route: "POST /training/{id}/rules", path: "/training/{training}/rules", roles: statuses{400: "admin officer", 403: "*"}},
	{route: "POST /training/{id}/mix", path: "/training/{training}/mix", roles: statuses{303: "admin officer", 403: "*"}},
	{route: "POST /training/{id}/move", path: "/training/{training}/move", roles: statuses{400: "admin officer", 403: "*"}},
	{route: "POST /training/{id}/sessions", path: "/training/{training}/sessions", roles: statuses{400: "admin officer", 403: "*"}},
	{route: "GET /training/{id}/sessions/{session}", path: "/training/{training}/sessions/{session}", roles: statuses{200: "admin leader officer", 403: "*"}},
	{route: "GET /training/{id}/sessions/{session}/print", path: "/training/{training}/sessions/{session}/print", roles: statuses{200: "admin leader officer", 403: "*"}},
	{route: "POST /training/{id}/sessions/{session}/attendance", path: "/training/{training}/sessions/{session}/attendance", roles: statuses{400: "admin officer", 403: "*"}},
	{route: "POST /training/{id}/sessions/{session}/feedback", path: "/training/{training}/sessions/{session}/feedback", roles: statuses{400: "admin officer", 403: "*"}},
}

// assessPages are the roles that open the assessment pages (web/assess.go's assessRoles).
const assessPages = "admin leader dispatcher officer"

// projectPages are the roles that open the project pages.
const projectPages = "admin leader dispatcher officer liaison enterprise"

// landDesk open the contracted-land desk (web/land.go's landStaff).
const landDesk = "admin leader dispatcher officer"

// rectReaders open the rectification pages (web/rectification.go's rectRoles).
const rectReaders = "admin leader dispatcher officer"
