package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 大综窗 in the browser: the administrators' page of halls and windows (a section of
// the admin pages, calling the same service methods as /api/v1/halls and
// /api/v1/windows), the windows table of the leader's dashboard with every figure
// linked to its case list, and its XLSX download.

func init() {
	register(func(a *App) {
		a.Page("GET /admin/windows", adminRoles, a.adminWindows)
		a.Action("POST /admin/halls", adminRoles, a.adminSaveHall)
		a.Action("POST /admin/windows", adminRoles, a.adminSaveWindow)
		a.Page("GET /dashboard/windows.xlsx", dashRoles, a.windowsXLSX)
	})
}

// windowsAdmin is the admin page of halls and windows, with the two forms (a hall and
// a window being set up or edited).
type windowsAdmin struct {
	Halls      []domain.Hall
	Windows    []domain.Window
	HallNames  map[int64]string
	Logins     map[int64]string
	HallForm   map[string]string
	WindowForm map[string]string
	HallKinds  []domain.HallKind
	Kinds      []domain.WindowKind
}

func (a *App) adminWindows(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showWindows(w, r, q, http.StatusOK, nil, nil)
}

// showWindows renders the page; a form not given is filled from the hall or window
// the query names (?hall=id, ?window=id), or left empty for a new one.
func (a *App) showWindows(w http.ResponseWriter, r *http.Request, q *Req, status int, hallForm, windowForm map[string]string) error {
	ctx := r.Context()
	d := windowsAdmin{HallNames: map[int64]string{}, Logins: map[int64]string{}, HallKinds: domain.HallKinds, Kinds: domain.WindowKinds}
	var err error
	if d.Halls, err = a.svc.Halls(ctx, q.User, ""); err != nil {
		return err
	}
	if d.Windows, err = a.svc.Windows(ctx, q.User, "", 0); err != nil {
		return err
	}
	users, err := a.svc.Users(ctx, q.User)
	if err != nil {
		return err
	}
	for _, u := range users {
		d.Logins[u.ID] = u.Login
	}
	for _, h := range d.Halls {
		d.HallNames[h.ID] = h.Name
	}
	d.HallForm, d.WindowForm = hallForm, windowForm
	if d.HallForm == nil {
		d.HallForm = map[string]string{"active": "1"}
		if id, _ := strconv.ParseInt(r.URL.Query().Get("hall"), 10, 64); id > 0 {
			h, err := a.svc.Hall(ctx, q.User, id)
			if err != nil {
				return err
			}
			d.HallForm = map[string]string{"id": strconv.FormatInt(h.ID, 10), "code": h.Code, "name": h.Name, "region": h.Region,
				"kind": string(h.Kind), "active": checked(h.Active)}
		}
	}
	if d.WindowForm == nil {
		if d.WindowForm, err = a.windowForm(r, q, d.Logins); err != nil {
			return err
		}
	}
	return a.admin(w, r, q, status, "windows", d, nil)
}

// windowForm is the window form filled from the window the query names, or empty.
func (a *App) windowForm(r *http.Request, q *Req, logins map[int64]string) (map[string]string, error) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("window"), 10, 64)
	if id <= 0 {
		return map[string]string{"active": "1", "set_up": domain.Today(q.Now)}, nil
	}
	win, err := a.svc.Window(r.Context(), q.User, id)
	if err != nil {
		return nil, err
	}
	staff := make([]string, len(win.Staff))
	for i, u := range win.Staff {
		staff[i] = logins[u]
	}
	return map[string]string{"id": strconv.FormatInt(win.ID, 10), "hall": strconv.FormatInt(win.HallID, 10), "code": win.Code,
		"name": win.Name, "kind": string(win.Kind), "region": win.Region, "staff": strings.Join(staff, " "),
		"matters": strings.Join(win.Matters, " "), "set_up": win.SetUp, "closed": win.Closed, "active": checked(win.Active)}, nil
}

func checked(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// adminSaveHall sets up or changes a hall, as POST and PUT /api/v1/halls do.
func (a *App) adminSaveHall(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	h := domain.Hall{Code: f("code"), Name: f("name"), Region: f("region"), Kind: domain.HallKind(f("kind")), Active: f("active") == "1"}
	h.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	if _, err := a.svc.PutHall(r.Context(), q.User, h); err != nil {
		return a.refused(w, r, q, err, func() error { return a.showWindows(w, r, q, http.StatusBadRequest, formOf(r), nil) })
	}
	http.Redirect(w, r, "/admin/windows?saved=1", http.StatusSeeOther)
	return nil
}

// adminSaveWindow sets up or changes a window, as POST and PUT /api/v1/windows do:
// staff are given by login, matters by code, separated by spaces or commas.
func (a *App) adminSaveWindow(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	win := domain.Window{Code: f("code"), Name: f("name"), Kind: domain.WindowKind(f("kind")), Region: f("region"),
		Matters: fields(f("matters")), SetUp: f("set_up"), Closed: f("closed"), Active: f("active") == "1", Staff: []int64{}}
	win.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	win.HallID, _ = strconv.ParseInt(f("hall"), 10, 64)
	var err error
	for _, login := range fields(f("staff")) {
		u, uerr := a.svc.UserByLogin(r.Context(), q.User, login)
		if domain.ErrorCode(uerr) == domain.ENOTFOUND {
			uerr = domain.Errorf(domain.EINVALID, "unknown user %s", login)
		}
		if err = uerr; err != nil {
			break
		}
		win.Staff = append(win.Staff, u.ID)
	}
	if err == nil {
		_, err = a.svc.PutWindow(r.Context(), q.User, win)
	}
	if err != nil {
		return a.refused(w, r, q, err, func() error { return a.showWindows(w, r, q, http.StatusBadRequest, nil, formOf(r)) })
	}
	http.Redirect(w, r, "/admin/windows?saved=1", http.StatusSeeOther)
	return nil
}

// fields splits a list typed with spaces or commas (either width).
func fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
}

// windowLine is a line of the dashboard's windows table: a hall's total (with its
// windows set up) or one window, each count with its case list.
type windowLine struct {
	Hall, Total bool
	Name, Code  string
	Kind        string // the label key and value: "hall_kind.…" or "window_kind.…"
	SetUp       string
	Open        bool
	Windows     domain.WindowsSetUp
	domain.WindowFigures
	ReceivedURL, CannotDoURL, ResolvedURL string
}

// windowLines lays the report out for the dashboard: each hall's line, then its
// windows', then the total; a hall's figures link to the cases of all its listed
// windows. A region without halls has no lines.
func windowLines(rep domain.WindowReport, region, from, to string) []windowLine {
	if len(rep.Halls) == 0 {
		return nil
	}
	link := func(l *windowLine, ids []string) {
		if len(ids) == 0 || len(ids) > transport.MaxWindows {
			return
		}
		ws := strings.Join(ids, ",")
		l.ReceivedURL = casesURL(region, from, to, "window", ws)
		l.CannotDoURL = casesURL(region, from, to, "window", ws, "channel", string(domain.CannotDo))
		l.ResolvedURL = casesURL(region, from, to, "window", ws, "status", "resolved,verified,closed")
	}
	var lines []windowLine
	var all []string
	for _, h := range rep.Halls {
		hl := windowLine{Hall: true, Name: h.Name, Code: h.Code, Kind: "hall_kind." + string(h.Kind), Windows: h.Windows, WindowFigures: h.WindowFigures}
		var ids []string
		var rows []windowLine
		for _, w := range rep.Windows {
			if w.HallID != h.ID {
				continue
			}
			id := strconv.FormatInt(w.ID, 10)
			ids = append(ids, id)
			wl := windowLine{Name: w.Name, Code: w.Code, Kind: "window_kind." + string(w.Kind), SetUp: w.SetUp, Open: w.Open, WindowFigures: w.WindowFigures}
			link(&wl, []string{id})
			rows = append(rows, wl)
		}
		link(&hl, ids)
		all = append(all, ids...)
		lines = append(append(lines, hl), rows...)
	}
	total := windowLine{Total: true, Windows: rep.Total.Windows, WindowFigures: rep.Total.WindowFigures}
	link(&total, all)
	return append(lines, total)
}

// windowsXLSX downloads the dashboard's windows table for its region and months.
func (a *App) windowsXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	v := r.URL.Query()
	first, last, err := domain.StatsMonths(v.Get("from"), v.Get("to"), q.Now)
	if err != nil {
		return err
	}
	from, _ := domain.ParseBound(first, false)
	to, _ := domain.ParseBound(last, true)
	rep, err := a.svc.WindowStats(r.Context(), q.User, v.Get("region"), *from, *to)
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "windows_"+rep.From+"_"+rep.To, "大综窗", "xlsx", service.WindowTable(rep))
}
