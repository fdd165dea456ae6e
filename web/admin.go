package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
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

// refused shows an admin form again with the reason it was refused.
func (a *App) refused(w http.ResponseWriter, r *http.Request, q *Req, err error, again func() error) error {
	if _, ok := transport.Status(err); !ok {
		return err
	}
	q.Error = q.ErrorMessage(err)
	if domain.ErrorCode(err) == domain.EINVALID || domain.ErrorCode(err) == domain.ECONFLICT {
		q.Error = q.L.T("admin.refused", q.ErrorMessage(err))
	}
	return again()
}

func (a *App) adminHome(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.admin(w, r, q, http.StatusOK, "home", nil, nil)
}

func (a *App) adminUsers(w http.ResponseWriter, r *http.Request, q *Req) error {
	us, err := a.svc.Users(r.Context(), q.User)
	if err != nil {
		return err
	}
	return a.admin(w, r, q, http.StatusOK, "users", map[string]any{"Users": us, "Roles": domain.Roles}, nil)
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
	return a.showUser(w, r, q, http.StatusOK, u, nil)
}

func (a *App) showUser(w http.ResponseWriter, r *http.Request, q *Req, status int, u domain.User, form map[string]string) error {
	if form == nil {
		var lines []string
		for _, g := range u.Grants {
			lines = append(lines, grantLine(g))
		}
		form = map[string]string{"grants": strings.Join(lines, "\n"), "name": u.Name, "phone": u.Phone, "login": u.Login}
		if u.Disabled {
			form["disabled"] = "1"
		}
	}
	return a.admin(w, r, q, status, "user", map[string]any{"User": u, "Roles": domain.Roles}, form)
}

// grantLine writes a grant as the user form's line: role region org ("-" for none).
func grantLine(g domain.Grant) string {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	return fmt.Sprintf("%s %s %s", g.Role, dash(g.Region), dash(g.Org))
}

// parseGrants reads the user form's grant lines.
func parseGrants(text string) ([]domain.Grant, error) {
	var out []domain.Grant
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		for len(f) < 3 {
			f = append(f, "-")
		}
		if len(f) > 3 {
			return nil, domain.Errorf(domain.EINVALID, "grant line %q has more than three fields", line)
		}
		g := domain.Grant{Role: domain.Role(f[0]), Region: strings.Trim(f[1], "-"), Org: strings.Trim(f[2], "-")}
		if err := g.Validate(); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// adminSaveUser creates a user (no id) or updates one; a password given replaces theirs.
func (a *App) adminSaveUser(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	form := formOf(r)
	u := domain.User{Login: f("login"), Name: f("name"), Phone: f("phone"), Disabled: f("disabled") == "1"}
	id, _ := strconv.ParseInt(f("id"), 10, 64)
	again := func() error {
		if id > 0 {
			old, err := a.svc.User(r.Context(), q.User, id)
			if err != nil {
				return err
			}
			return a.showUser(w, r, q, http.StatusBadRequest, old, form)
		}
		us, err := a.svc.Users(r.Context(), q.User)
		if err != nil {
			return err
		}
		return a.admin(w, r, q, http.StatusBadRequest, "users", map[string]any{"Users": us, "Roles": domain.Roles}, form)
	}
	grants, err := parseGrants(r.PostFormValue("grants"))
	if err != nil {
		return a.refused(w, r, q, err, again)
	}
	u.Grants = grants
	saved, err := a.svc.SaveUser(r.Context(), q.User, id, u, r.PostFormValue("password"))
	if err != nil {
		return a.refused(w, r, q, err, again)
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(saved.ID, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (a *App) adminOrgs(w http.ResponseWriter, r *http.Request, q *Req) error {
	orgs, err := a.svc.Orgs(r.Context())
	if err != nil {
		return err
	}
	return a.admin(w, r, q, http.StatusOK, "orgs", orgs, map[string]string{"code": r.URL.Query().Get("code")})
}

func (a *App) adminSaveOrg(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	o := domain.Org{Code: f("code"), Name: f("name"), Kind: f("kind"), Region: f("region")}
	if err := a.svc.PutOrg(r.Context(), q.User, o); err != nil {
		return a.refused(w, r, q, err, func() error {
			orgs, err := a.svc.Orgs(r.Context())
			if err != nil {
				return err
			}
			return a.admin(w, r, q, http.StatusBadRequest, "orgs", orgs, formOf(r))
		})
	}
	http.Redirect(w, r, "/admin/orgs?saved=1", http.StatusSeeOther)
	return nil
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

func calendarYear(v string, now int) int {
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return now
	}
	return y
}

func (a *App) adminCalendar(w http.ResponseWriter, r *http.Request, q *Req) error {
	year := calendarYear(r.URL.Query().Get("year"), q.Now.Year())
	return a.showCalendar(w, r, q, http.StatusOK, year, nil)
}

func (a *App) showCalendar(w http.ResponseWriter, r *http.Request, q *Req, status int, year int, form map[string]string) error {
	cal, err := a.svc.CalendarYear(r.Context(), year)
	if err != nil {
		return err
	}
	if form == nil {
		var lines []string
		for _, d := range cal.Days {
			lines = append(lines, strings.TrimSpace(d.Date+" "+string(d.Kind)+" "+d.Name))
		}
		form = map[string]string{"days": strings.Join(lines, "\n"), "office": domain.FormatOffice(cal.Office)}
	}
	return a.admin(w, r, q, status, "calendar", map[string]any{"Year": year, "Days": cal.Days, "Prev": year - 1, "Next": year + 1}, form)
}

// adminSaveCalendar replaces one year's exceptional days (lines "YYYY-MM-DD holiday|workday
// name") and the office hours; the service checks each day.
func (a *App) adminSaveCalendar(w http.ResponseWriter, r *http.Request, q *Req) error {
	y := service.CalendarYear{Year: calendarYear(r.PostFormValue("year"), q.Now.Year())}
	year := y.Year
	var err error
	for _, line := range strings.Split(r.PostFormValue("days"), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			err = domain.Errorf(domain.EINVALID, "line %q needs a date and a kind", line)
			break
		}
		y.Days = append(y.Days, domain.CalendarDay{Date: f[0], Kind: domain.DayKind(f[1]), Name: strings.Join(f[2:], " ")})
	}
	if err == nil {
		y.Office, err = domain.ParseOffice(r.PostFormValue("office"))
	}
	if err == nil {
		err = a.svc.PutCalendarYear(r.Context(), q.User, y)
	}
	if err != nil {
		return a.refused(w, r, q, err, func() error { return a.showCalendar(w, r, q, http.StatusBadRequest, year, formOf(r)) })
	}
	http.Redirect(w, r, "/admin/calendar?saved=1&year="+strconv.Itoa(year), http.StatusSeeOther)
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
	if err != nil {
		return a.refused(w, r, q, err, func() error {
			return a.showRegions(w, r, q, http.StatusBadRequest, domain.ParentCode(reg.Code), formOf(r))
		})
	}
	http.Redirect(w, r, "/admin/regions?saved=1&code="+domain.ParentCode(reg.Code), http.StatusSeeOther)
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
