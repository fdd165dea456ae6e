package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/transport"
)

// Administration pages: users and their roles, orgs, the matter catalog, the working-day
// calendar, regions and grids, linkages. They call the same service methods as the API's
// admin routes (api/admin.go, api/catalog.go), which check the role and the input once
// for both; a page only reads its form.

var adminRoles = []domain.Role{domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.admin", Path: "/admin", Roles: adminRoles, Order: 80})
		a.Page("GET /admin", adminRoles, a.adminHome)
		a.Action("POST /admin/government", adminRoles, a.adminSaveGovernment)
		a.Action("POST /admin/map-tiles", adminRoles, a.adminSaveTiles)
		a.Page("GET /admin/users", adminRoles, a.adminUsers)
		a.Page("GET /admin/users/{id}", adminRoles, a.adminUser)
		a.Action("POST /admin/users", adminRoles, a.adminSaveUser)
		a.Page("GET /admin/orgs", adminRoles, a.adminOrgs)
		a.Action("POST /admin/orgs", adminRoles, a.adminSaveOrg)
		a.Page("GET /admin/matters", adminRoles, a.adminMatters)
		a.Page("GET /admin/matters/{code}", adminRoles, a.adminMatter)
		a.Action("POST /admin/matters/{code}", adminRoles, a.adminSaveMatter)
		a.Page("GET /admin/calendar", adminRoles, a.adminCalendar)
		a.Action("POST /admin/calendar", adminRoles, a.adminSaveCalendar)
		a.Page("GET /admin/regions", adminRoles, a.adminRegions)
		a.Page("GET /admin/regions/children", adminRoles, a.adminRegionChildren)
		a.Page("GET /admin/regions/search", adminRoles, a.adminRegionSearch)
		a.Action("POST /admin/regions", adminRoles, a.adminSaveRegion)
		a.Page("GET /admin/linkages", adminRoles, a.adminLinkages)
		a.Action("POST /admin/linkages", adminRoles, a.adminSaveLinkage)
	})
}

// adminPage is what every admin page gets: its section, data, and a saved notice.
type adminPage struct {
	Section string
	Saved   bool
	Data    any
	Form    map[string]string
}

func (a *App) admin(w http.ResponseWriter, r *http.Request, q *Req, status int, section string, data any, form map[string]string) error {
	return a.Render(w, q, status, "admin", adminPage{Section: section, Saved: r.URL.Query().Get("saved") == "1", Data: data, Form: form})
}

// refused shows an admin form again with the reason it was refused; a refusal of
// permission is no mistake in the form: it is answered 403, as every refusal is.
func (a *App) refused(w http.ResponseWriter, r *http.Request, q *Req, err error, again func() error) error {
	if _, ok := transport.Status(err); !ok || domain.ErrorCode(err) == domain.EFORBIDDEN {
		return err
	}
	q.Error = q.ErrorMessage(err)
	if domain.ErrorCode(err) == domain.EINVALID || domain.ErrorCode(err) == domain.ECONFLICT {
		q.Error = q.L.T("admin.refused", q.ErrorMessage(err))
	}
	return again()
}

func (a *App) adminHome(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showHome(w, r, q, http.StatusOK, nil)
}

// showHome is the admin home: the sections, and the government's name that heads the
// public pages and receipts (form: the name as posted, when it was refused).
func (a *App) showHome(w http.ResponseWriter, r *http.Request, q *Req, status int, form map[string]string) error {
	name, err := a.svc.Government(r.Context())
	if err != nil {
		return err
	}
	tiles, _, err := a.svc.MapTiles(r.Context())
	if err != nil {
		return err
	}
	return a.admin(w, r, q, status, "home", map[string]string{"Government": name, "Tiles": tiles}, form)
}

// adminSaveTiles names the tile server beneath the maps, or none (the installation's
// administrator).
func (a *App) adminSaveTiles(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := a.svc.SetMapTiles(r.Context(), q.User, r.PostFormValue("tiles")); err != nil {
		status, _ := transport.Status(err)
		return a.refused(w, r, q, err, func() error { return a.showHome(w, r, q, status, formOf(r)) })
	}
	http.Redirect(w, r, "/admin?saved=1", http.StatusSeeOther)
	return nil
}

// adminSaveGovernment sets the government's name (the installation's administrator).
func (a *App) adminSaveGovernment(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := a.svc.SetGovernment(r.Context(), q.User, r.PostFormValue("government")); err != nil {
		status, _ := transport.Status(err)
		return a.refused(w, r, q, err, func() error { return a.showHome(w, r, q, status, formOf(r)) })
	}
	http.Redirect(w, r, "/admin?saved=1", http.StatusSeeOther)
	return nil
}

func (a *App) adminUsers(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showUsers(w, r, q, http.StatusOK, nil, nil)
}

// showUsers lists the users with the new-user form (its role rows as posted, when it was
// refused).
func (a *App) showUsers(w http.ResponseWriter, r *http.Request, q *Req, status int, rows []grantRow, form map[string]string) error {
	us, err := a.svc.Users(r.Context(), q.User)
	if err != nil {
		return err
	}
	var codes []string
	for _, u := range us {
		for _, g := range u.Grants {
			codes = append(codes, g.Region)
		}
	}
	d, err := a.grantEditor(r, rows, codes)
	if err != nil {
		return err
	}
	d["Users"] = us
	return a.admin(w, r, q, status, "users", d, form)
}

func (a *App) adminUser(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "user")
	if err != nil {
		return err
	}
	u, err := a.svc.User(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	return a.showUser(w, r, q, http.StatusOK, u, nil, nil)
}

func (a *App) showUser(w http.ResponseWriter, r *http.Request, q *Req, status int, u domain.User, rows []grantRow, form map[string]string) error {
	if form == nil {
		rows = nil
		for _, g := range u.Grants {
			rows = append(rows, grantRow{Role: string(g.Role), Region: g.Region, Org: g.Org})
		}
		form = map[string]string{"name": u.Name, "phone": u.Phone, "login": u.Login}
		if u.Disabled {
			form["disabled"] = "1"
		}
	}
	d, err := a.grantEditor(r, rows, nil)
	if err != nil {
		return err
	}
	d["User"] = u
	return a.admin(w, r, q, status, "user", d, form)
}

// grantRow is one row of the role editor: a role picked from a list, a region from the
// tree, an org from a list. The values are codes; the page shows their names.
type grantRow struct {
	Role, Region, Org string
}

// grantView is one row of the role editor as the page draws it.
type grantView struct {
	grantRow
	RegionName string
	Roles      []domain.Role
	Orgs       []domain.Org
}

// grantEditor is what the role editor needs: its rows with their regions named (at least
// one row, blank for a new user), a blank row for the "add" button, and the names of the
// orgs and of any extra region codes the page lists.
func (a *App) grantEditor(r *http.Request, rows []grantRow, regions []string) (map[string]any, error) {
	orgs, _, err := a.catalog(r.Context())
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		rows = []grantRow{{}}
	}
	for _, g := range rows {
		regions = append(regions, g.Region)
	}
	names, err := a.names(r.Context(), nil, regions...)
	if err != nil {
		return nil, err
	}
	views := make([]grantView, len(rows))
	for i, g := range rows {
		views[i] = grantView{grantRow: g, RegionName: names.Regions[g.Region], Roles: domain.Roles, Orgs: orgs}
	}
	return map[string]any{"Rows": views, "Blank": grantView{Roles: domain.Roles, Orgs: orgs}, "RegionNames": names.Regions, "OrgNames": names.Orgs}, nil
}

// grantRows reads the role editor's rows: the fields role, region and org repeat once
// per row, in order. A row left wholly empty is dropped.
func grantRows(r *http.Request) ([]grantRow, error) {
	roles, regions, orgs := r.PostForm["role"], r.PostForm["region"], r.PostForm["org"]
	if len(regions) != len(roles) || len(orgs) != len(roles) {
		return nil, domain.Invalidf("grant.form", "grant %d: role, region and org must come once per row", min(len(roles), len(regions), len(orgs))+1)
	}
	var rows []grantRow
	for i := range roles {
		g := grantRow{Role: strings.TrimSpace(roles[i]), Region: strings.TrimSpace(regions[i]), Org: strings.TrimSpace(orgs[i])}
		if g != (grantRow{}) {
			rows = append(rows, g)
		}
	}
	return rows, nil
}

func grantsOf(rows []grantRow) []domain.Grant {
	gs := make([]domain.Grant, len(rows))
	for i, g := range rows {
		gs[i] = domain.Grant{Role: domain.Role(g.Role), Region: g.Region, Org: g.Org}
	}
	return gs
}

// adminSaveUser creates a user (no id) or updates one; a password given replaces theirs.
// The service checks the grants and names the row that is wrong.
func (a *App) adminSaveUser(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	form := formOf(r)
	u := domain.User{Login: f("login"), Name: f("name"), Phone: f("phone"), Disabled: f("disabled") == "1"}
	id, _ := strconv.ParseInt(f("id"), 10, 64)
	rows, err := grantRows(r)
	again := func() error {
		if id > 0 {
			old, err := a.svc.User(r.Context(), q.User, id)
			if err != nil {
				return err
			}
			return a.showUser(w, r, q, http.StatusBadRequest, old, rows, form)
		}
		return a.showUsers(w, r, q, http.StatusBadRequest, rows, form)
	}
	if err != nil {
		return a.refused(w, r, q, err, again)
	}
	u.Grants = grantsOf(rows)
	saved, err := a.svc.SaveUser(r.Context(), q.User, id, u, r.PostFormValue("password"))
	if err != nil {
		return a.refused(w, r, q, err, again)
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(saved.ID, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (a *App) adminOrgs(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showOrgs(w, r, q, http.StatusOK, map[string]string{"code": r.URL.Query().Get("code")})
}

// showOrgs lists the orgs with their kinds and regions named, and the org form.
func (a *App) showOrgs(w http.ResponseWriter, r *http.Request, q *Req, status int, form map[string]string) error {
	orgs, err := a.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	codes := []string{form["region"]}
	for _, o := range orgs {
		codes = append(codes, o.Region)
	}
	names, err := a.svc.RegionNames(r.Context(), codes)
	if err != nil {
		return err
	}
	return a.admin(w, r, q, status, "orgs", map[string]any{"Orgs": orgs, "Kinds": domain.OrgKinds, "RegionNames": names}, form)
}

func (a *App) adminSaveOrg(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	o := domain.Org{Code: f("code"), Name: f("name"), Kind: f("kind"), Region: f("region")}
	if err := a.svc.PutOrg(r.Context(), q.User, o); err != nil {
		return a.refused(w, r, q, err, func() error { return a.showOrgs(w, r, q, http.StatusBadRequest, formOf(r)) })
	}
	http.Redirect(w, r, "/admin/orgs?saved=1", http.StatusSeeOther)
	return nil
}

// regionNode is one region of the picker's tree: a child to show, or a search hit with
// the names above it.
type regionNode struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
	Leaf  bool   `json:"leaf"`
	Path  string `json:"path,omitempty"`
}

func nodeOf(r domain.Region, path string) regionNode {
	return regionNode{Code: r.Code, Name: r.Name, Level: string(r.Level), Leaf: len(r.Code) >= 18, Path: path}
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(v)
}

// adminRegionChildren answers the region picker's tree one level at a time: the regions
// directly under ?parent= ("" for the top), so the whole tree is never sent.
func (a *App) adminRegionChildren(w http.ResponseWriter, r *http.Request, q *Req) error {
	parent := r.URL.Query().Get("parent")
	if parent != "" {
		if _, err := a.svc.Region(r.Context(), parent); err != nil {
			return err
		}
	}
	rs, err := a.svc.Children(r.Context(), parent)
	if err != nil {
		return err
	}
	out := make([]regionNode, len(rs))
	for i, x := range rs {
		out[i] = nodeOf(x, "")
	}
	return writeJSON(w, out)
}

// adminRegionSearch answers the region picker's search box: up to 20 regions by name
// or code prefix, each with the names above it.
func (a *App) adminRegionSearch(w http.ResponseWriter, r *http.Request, q *Req) error {
	hits, err := a.svc.SearchRegions(r.Context(), q.User, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	out := make([]regionNode, len(hits))
	for i, h := range hits {
		out[i] = nodeOf(h.Region, h.Path)
	}
	return writeJSON(w, out)
}

func (a *App) adminMatters(w http.ResponseWriter, r *http.Request, q *Req) error {
	orgs, ms, err := a.catalog(r.Context())
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, o := range orgs {
		names[o.Code] = o.Name
	}
	return a.admin(w, r, q, http.StatusOK, "matters", map[string]any{"Matters": ms, "Orgs": names}, nil)
}

func (a *App) adminMatter(w http.ResponseWriter, r *http.Request, q *Req) error {
	m, err := a.svc.Matter(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return a.showMatter(w, r, q, http.StatusOK, m, nil)
}

func (a *App) showMatter(w http.ResponseWriter, r *http.Request, q *Req, status int, m domain.Matter, form map[string]string) error {
	orgs, _, err := a.catalog(r.Context())
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"name": m.Name, "lead_org": m.LeadOrg, "ack": m.AckDeadline.String(), "resolve": m.Deadline.String(),
			"priority": strconv.Itoa(m.Priority), "keywords": m.Keywords}
		if m.Public {
			form["public"] = "1"
		}
		if m.Comprehensive {
			form["comprehensive"] = "1"
		}
	}
	return a.admin(w, r, q, status, "matter", map[string]any{"Matter": m, "Orgs": orgs}, form)
}

func (a *App) adminSaveMatter(w http.ResponseWriter, r *http.Request, q *Req) error {
	m, err := a.svc.Matter(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	m.Name, m.LeadOrg, m.Keywords, m.Public, m.Comprehensive = f("name"), f("lead_org"), f("keywords"), f("public") == "1", f("comprehensive") == "1"
	m.Priority, _ = strconv.Atoi(f("priority"))
	if m.AckDeadline, err = domain.ParseDeadline(f("ack")); err == nil {
		m.Deadline, err = domain.ParseDeadline(f("resolve"))
	}
	if err == nil {
		err = a.svc.PutMatters(r.Context(), q.User, []domain.Matter{m})
	}
	if err != nil {
		return a.refused(w, r, q, err, func() error { return a.showMatter(w, r, q, http.StatusBadRequest, m, formOf(r)) })
	}
	http.Redirect(w, r, "/admin/matters/"+m.Code+"?saved=1", http.StatusSeeOther)
	return nil
}

func (a *App) adminRegions(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showRegions(w, r, q, http.StatusOK, r.URL.Query().Get("code"), nil)
}

func (a *App) showRegions(w http.ResponseWriter, r *http.Request, q *Req, status int, code string, form map[string]string) error {
	fam, err := a.svc.Family(r.Context(), code)
	if err != nil {
		return err
	}
	kids := fam.Children
	d := map[string]any{"Children": kids, "Code": code}
	if code != "" {
		d["Region"], d["Ancestors"] = fam.Region, fam.Ancestors
		// the outline editor of this region, drawn among its parent's other children, and
		// the new child's, among this one's children
		if parent := domain.ParentCode(code); parent != "" {
			up, err := a.svc.Family(r.Context(), parent)
			if err != nil {
				return err
			}
			d["Editor"] = editMap(up.Region, up.Children, &fam.Region)
		}
		d["AddMap"] = editMap(fam.Region, kids, nil)
	}
	if n := domain.ChildCodeLength(code); n > 0 && n <= 18 && len(kids) < 999 {
		next, err := domain.NewChildCode(code, len(kids)+1)
		if err == nil {
			d["NextCode"] = next
		}
	}
	return a.admin(w, r, q, status, "regions", d, form)
}

// adminSaveRegion adds or renames a region under an existing parent, with its centroid
// and optional polygon (GeoJSON), as PUT /api/v1/regions/{code} does.
func (a *App) adminSaveRegion(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	reg := domain.Region{Code: f("code"), Name: f("name"), Kind: f("kind"), Polygon: f("polygon")}
	var err error
	if lat, lon := f("lat"), f("lon"); lat != "" || lon != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil {
			err = domain.Errorf(domain.EINVALID, "lat and lon must be numbers")
		} else {
			reg.Lat, reg.Lon = &la, &lo
		}
	}
	if err == nil {
		_, err = a.svc.PutRegion(r.Context(), q.User, reg)
	}
	back := domain.ParentCode(reg.Code)
	if f("back") == "self" { // saved from the region's own outline editor
		back = reg.Code
	}
	if err != nil {
		return a.refused(w, r, q, err, func() error {
			return a.showRegions(w, r, q, http.StatusBadRequest, back, formOf(r))
		})
	}
	http.Redirect(w, r, "/admin/regions?saved=1&code="+back, http.StatusSeeOther)
	return nil
}

func (a *App) adminLinkages(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showLinkages(w, r, q, http.StatusOK, nil)
}

func (a *App) showLinkages(w http.ResponseWriter, r *http.Request, q *Req, status int, form map[string]string) error {
	ls, err := a.svc.Linkages(r.Context(), q.User, r.URL.Query().Get("kind"), r.URL.Query().Get("target"))
	if err != nil {
		return err
	}
	return a.admin(w, r, q, status, "linkages", ls, form)
}

func (a *App) adminSaveLinkage(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	l := domain.Linkage{Kind: f("kind"), Org: f("org"), Target: f("target"), From: f("from"), To: f("to"), Note: f("note")}
	l.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	var err error
	if login := f("user"); login != "" {
		u, uerr := a.svc.UserByLogin(r.Context(), q.User, login)
		if domain.ErrorCode(uerr) == domain.ENOTFOUND {
			uerr = domain.Errorf(domain.EINVALID, "unknown user %s", login)
		}
		err, l.UserID = uerr, u.ID
	}
	if err == nil {
		_, err = a.svc.PutLinkage(r.Context(), q.User, l)
	}
	if err != nil {
		return a.refused(w, r, q, err, func() error { return a.showLinkages(w, r, q, http.StatusBadRequest, formOf(r)) })
	}
	http.Redirect(w, r, "/admin/linkages?saved=1", http.StatusSeeOther)
	return nil
}
