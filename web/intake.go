package web

import (
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The doors of issue 5 in the browser: the hotline call-taker's form, window acceptance
// with a printed receipt (综合窗口 and 办不成事), the public page to report and follow a
// case without logging in, and the administrators' page of Open311 client apps.

var deskRoles = []domain.Role{domain.RoleDispatcher, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		// in the dispatchers' menu (administrators open the forms by address, keeping their own home)
		desk := []domain.Role{domain.RoleDispatcher}
		a.Nav(NavItem{Key: "nav.intake_hotline", Path: "/intake/hotline", Roles: desk, Order: 12})
		a.Nav(NavItem{Key: "nav.intake_window", Path: "/intake/window", Roles: desk, Order: 13})
		a.Nav(NavItem{Key: "nav.intake_cannot_do", Path: "/cases?channel=cannot_do_window", Roles: []domain.Role{domain.RoleLeader}, Order: 55})
		a.Nav(NavItem{Key: "nav.open311_clients", Path: "/admin/open311", Roles: []domain.Role{domain.RoleAdmin}, Order: 85})
		a.Page("GET /intake/hotline", deskRoles, a.intakeForm("hotline"))
		a.Page("GET /intake/window", deskRoles, a.intakeForm("window"))
		a.Page("GET /intake/matters", deskRoles, a.intakeMatters)
		a.Action("POST /intake/caller", deskRoles, a.intakeCaller)
		a.Action("POST /intake/suggest", deskRoles, a.intakeSuggest)
		a.Action("POST /intake/knowledge", deskRoles, a.intakeKnowledge)
		a.Nav(NavItem{Key: "nav.knowledge", Path: "/knowledge", Roles: desk, Order: 14})
		a.Page("GET /knowledge", deskRoles, a.knowledgePage)
		a.Action("POST /knowledge", deskRoles, a.knowledgeSave)
		a.Action("POST /intake/hotline", deskRoles, a.intakeFile("hotline"))
		a.Action("POST /intake/window", deskRoles, a.intakeFile("window"))
		a.Public("GET /public/report", a.publicReportForm)
		a.PublicUpload("POST /public/report", a.publicReport)
		a.Public("GET /public/track", a.trackForm)
		a.Public("POST /public/track", a.track)
		a.Page("GET /admin/open311", []domain.Role{domain.RoleAdmin}, a.clientsPage)
		a.Action("POST /admin/open311/clients", []domain.Role{domain.RoleAdmin}, a.clientAdd)
		a.Action("POST /admin/open311/clients/{id}", []domain.Role{domain.RoleAdmin}, a.clientToggle)
	})
}

// intakeData is the hotline or window form; Windows are those the desk may file
// through (大综窗), the ones the user sits at first.
type intakeData struct {
	Channel string
	Matters []domain.Matter
	Regions []domain.Region
	Windows []domain.Window
	Kinds   []domain.Kind // what a call is about (咨询, 求助…), for the hotline
	Form    map[string]string
	Replies []domain.ReplyTemplate // 常用语 for a direct answer, at the hotline
	Map     template.HTML          // the desk's grids to place the case in by a click (pickMap)
}

// deskRegion is the region a call-taker or window serves: their dispatcher grant's.
func deskRegion(u domain.User) string {
	for _, g := range u.Grants {
		if g.Role == domain.RoleDispatcher {
			return g.Region
		}
	}
	return ""
}

// places lists the communities (and the street itself) a form offers.
func (a *App) places(r *http.Request, root string) ([]domain.Region, error) {
	if root == "" {
		return nil, nil
	}
	fam, err := a.svc.Family(r.Context(), root)
	if err != nil {
		return nil, err
	}
	return append([]domain.Region{fam.Region}, fam.Children...), nil
}

func (a *App) intakeForm(channel string) Handler {
	return func(w http.ResponseWriter, r *http.Request, q *Req) error {
		return a.renderIntake(w, r, q, channel, http.StatusOK, map[string]string{"channel": channel, "kind": "request"})
	}
}

func (a *App) renderIntake(w http.ResponseWriter, r *http.Request, q *Req, channel string, status int, form map[string]string) error {
	ms, err := a.svc.SearchMatters(r.Context(), form["q"], 200)
	if err != nil {
		return err
	}
	regions, err := a.places(r, deskRegion(q.User))
	if err != nil {
		return err
	}
	var windows []domain.Window
	if channel == "window" {
		if windows, err = a.svc.FilingWindows(r.Context(), q.User, deskRegion(q.User)); err != nil {
			return err
		}
		if _, chosen := form["window"]; !chosen && len(windows) > 0 && slices.Contains(windows[0].Staff, q.User.ID) {
			form["window"] = windows[0].Code // the window the clerk sits at
		}
	}
	d := intakeData{Channel: channel, Matters: ms, Regions: regions, Windows: windows, Form: form}
	if d.Map, err = a.reportMap(r, q, deskRegion(q.User)); err != nil {
		return err
	}
	if channel == "hotline" {
		d.Kinds = domain.CallKinds
		if d.Replies, err = a.svc.SeatReplies(r.Context(), q.User); err != nil {
			return err
		}
	}
	return a.Render(w, q, status, "intake", d)
}

// intakeMatters answers the matter search of the call-taker form (htmx): the options
// of the matter list for the words typed.
func (a *App) intakeMatters(w http.ResponseWriter, r *http.Request, q *Req) error {
	s := r.URL.Query().Get("q")
	if len(s) > 200 {
		return domain.Errorf(domain.EINVALID, "search text too long")
	}
	ms, err := a.svc.SearchMatters(r.Context(), s, 50)
	if err != nil {
		return err
	}
	return a.Fragment(w, q, http.StatusOK, "intake", "intake-options", intakeData{Matters: ms, Form: map[string]string{"matter": r.URL.Query().Get("matter")}})
}

// intakeFile files what the hotline or a window took down. A hotline case opens the
// case page; a window case prints its receipt, whose secret is shown this once.
func (a *App) intakeFile(door string) Handler {
	return func(w http.ResponseWriter, r *http.Request, q *Req) error {
		if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
			return domain.Errorf(domain.EINVALID, "bad form")
		}
		form := formOf(r)
		f := func(k string) string { return strings.TrimSpace(form[k]) }
		channel := domain.Channel(door)
		if door == "window" && f("channel") == string(domain.CannotDo) {
			channel = domain.CannotDo
		}
		n := domain.NewCase{Matter: f("matter"), Title: f("title"), Description: f("description"), Region: f("region"),
			Address: f("address"), Channel: channel, Kind: domain.Kind(f("kind")),
			Reporter: domain.Reporter{Name: f("name"), Phone: f("phone")}}
		if door == "hotline" {
			n.Reporter.Phone = f("caller_phone")
		}
		if lat, err1 := strconv.ParseFloat(f("lat"), 64); err1 == nil && f("lat") != "" { // picked on the map
			if lon, err2 := strconv.ParseFloat(f("lon"), 64); err2 == nil {
				n.Lat, n.Lon = &lat, &lon
			}
		}
		if channel == domain.CannotDo && n.Kind == "" {
			n.Kind = "complaint"
		}
		if n.Title == "" {
			n.Title = f("description")
			if rs := []rune(n.Title); len(rs) > 60 {
				n.Title = string(rs[:60])
			}
		}
		files, err := photoUploads(r, "photos")
		if err == nil {
			var rc *service.Receipt
			rc, err = a.svc.FileIntake(r.Context(), q.User, service.Intake{Case: n, Files: files, Within: deskRegion(q.User),
				Receipt: door == "window", Answer: answerOf(form), Details: domain.IntakeDetails{CallerPhone: f("caller_phone"), Recording: f("recording"), Window: f("window")}})
			if err == nil {
				if door == "hotline" && answerOf(form) != "" {
					return a.done(w, r, "/cases/"+strconv.FormatInt(rc.Case.ID, 10), q.L.T("flash.answered", rc.Number))
				}
				if door == "hotline" {
					return a.done(w, r, "/cases/"+strconv.FormatInt(rc.Case.ID, 10), q.L.T("flash.filed", rc.Number))
				}
				window := ""
				if rc.Window != nil {
					window = rc.Window.Label()
				}
				return a.renderReceipt(w, r, q, rc, window)
			}
		}
		if _, ok := transport.Status(err); !ok {
			return err
		}
		q.Error = q.L.T("intake.failed", q.ErrorMessage(err))
		return a.renderIntake(w, r, q, door, statusOf(err), form)
	}
}

// receiptData is a printed receipt (受理回执).
type receiptData struct {
	Number, Secret, Matter, Window string
	Channel                        domain.Channel
	Title                          string
	At                             string
	Deadline                       string
	Duplicates                     int
	Public                         bool
	TrackURL                       string       // the tracking page's whole address
	TrackQR                        template.URL // the same as a QR code image
}

func (a *App) renderReceipt(w http.ResponseWriter, r *http.Request, q *Req, rc *service.Receipt, window string) error {
	m, err := a.svc.Matter(r.Context(), rc.Case.Matter)
	if err != nil {
		return err
	}
	d := receiptData{Number: rc.Number, Secret: rc.Secret, Matter: m.Name, Window: window, Channel: rc.Case.Channel,
		Title: rc.Case.Title, At: q.L.DateTime(rc.Case.CreatedAt), Deadline: q.L.T("intake.deadline_"+string(m.Deadline.Unit), m.Deadline.N),
		Duplicates: len(rc.Duplicates), Public: q.User.ID == 0 || strings.HasPrefix(q.Path, "/public/")}
	if d.Secret != "" {
		d.TrackURL = trackURL(r, d.Number, d.Secret)
		if d.TrackQR, err = qrDataURL(d.TrackURL, 256); err != nil {
			return err
		}
	}
	if d.Public {
		q.LoginToken = loginToken(w, r) // the PDF form's token
	}
	return a.Render(w, q, http.StatusCreated, "receipt", d)
}

// publicData is the public report form.
type publicData struct {
	Matters []domain.Matter
	Regions []domain.Region
	Form    map[string]string
	Token   string
	Map     template.HTML // the grids to place the report in by a tap (pickMap)
}

// publicPlaces lists the communities that have mapped grids: the places the public
// page serves.
func (a *App) publicPlaces(r *http.Request) ([]domain.Region, []domain.Region, error) {
	grids, err := a.svc.Grids(r.Context(), "")
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	var out []domain.Region
	for _, g := range grids {
		c := g.Code[:12]
		if seen[c] {
			continue
		}
		seen[c] = true
		reg, err := a.svc.Region(r.Context(), c)
		if err == nil {
			out = append(out, reg)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, grids, nil
}

func (a *App) renderPublic(w http.ResponseWriter, r *http.Request, q *Req, status int, form map[string]string) error {
	ss, err := a.svc.PublicServices(r.Context())
	if err != nil {
		return err
	}
	ms := make([]domain.Matter, len(ss))
	for i, s := range ss {
		ms[i] = s.Matter
	}
	regions, grids, err := a.publicPlaces(r)
	if err != nil {
		return err
	}
	m, err := a.tiled(r.Context(), q, pickMap(grids, ""))
	if err != nil {
		return err
	}
	q.LoginToken = loginToken(w, r)
	return a.Render(w, q, status, "publicreport", publicData{Matters: ms, Regions: regions, Form: form, Token: q.LoginToken, Map: m})
}

func (a *App) publicReportForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	a.signIn(w, r, q) // a signed-in citizen files as themself
	return a.renderPublic(w, r, q, http.StatusOK, map[string]string{})
}

// publicReport files a report from the public page: the form (read by PublicUpload,
// bounded) carries its double-submit token, and the service rate-limits by address.
func (a *App) publicReport(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	r, _ = a.signIn(w, r, q)
	form := formOf(r)
	f := func(k string) string { return strings.TrimSpace(form[k]) }
	n := domain.NewCase{Matter: f("matter"), Description: f("description"), Region: f("region"), Address: f("address"),
		Kind: "request", Reporter: domain.Reporter{Name: f("name"), Phone: f("phone")}}
	if lat, err1 := strconv.ParseFloat(f("lat"), 64); err1 == nil {
		if lon, err2 := strconv.ParseFloat(f("lon"), 64); err2 == nil {
			n.Lat, n.Lon = &lat, &lon
		}
	}
	if key := publicProblem(n); key != "" { // say which field, before the service is asked
		q.Error = q.L.T(key)
		return a.renderPublic(w, r, q, http.StatusBadRequest, form)
	}
	files, err := photoUploads(r, "photos")
	if err == nil {
		var rc *service.Receipt
		if rc, err = a.filePublic(r, q, n, files); err == nil {
			return a.renderReceipt(w, r, q, rc, "")
		}
	}
	if _, ok := transport.Status(err); !ok {
		return err
	}
	q.Error = q.L.T("intake.failed", q.ErrorMessage(err))
	return a.renderPublic(w, r, q, statusOf(err), form)
}

// filePublic files the public form: as the signed-in citizen when one sent it (so it is
// among their reports on /me), else as the public, rate-limited by address.
func (a *App) filePublic(r *http.Request, q *Req, n domain.NewCase, files []service.Upload) (*service.Receipt, error) {
	if q.User.Has(domain.RoleCitizen) {
		n.Channel, n.Title = "online", domain.TitleFrom(n.Description)
		return a.svc.FileIntake(r.Context(), q.User, service.Intake{Case: n, Files: files, Receipt: true})
	}
	return a.svc.FilePublic(r.Context(), transport.ClientAddr(r), service.Intake{Case: n, Files: files})
}

// publicProblem names the first field of the public form that is missing or wrong,
// as the catalog key of the message saying so ("" when the form is complete).
func publicProblem(n domain.NewCase) string {
	switch {
	case n.Matter == "":
		return "publicreport.need.matter"
	case n.Description == "":
		return "publicreport.need.description"
	case n.Region == "" && n.Lat == nil:
		return "publicreport.need.place"
	case n.Reporter.Phone != "" && domain.ValidatePhone(n.Reporter.Phone) != nil:
		return "publicreport.need.phone"
	}
	return ""
}

type trackData struct {
	Number string
	View   *service.PublicView
	Token  string
	// Secret is the receipt's secret the holder gave, carried by the form that asks
	// for progress messages (web/receipts.go); Form is that form as posted, refused
	Secret string
	Form   map[string]string
}

// trackForm is the tracking page; opened from a receipt's address or QR code (number
// and secret in the query) it shows the case at once.
func (a *App) trackForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	qs := r.URL.Query()
	if qs.Get("number") != "" && qs.Get("secret") != "" {
		return a.follow(w, r, q, qs.Get("number"), qs.Get("secret"))
	}
	q.LoginToken = loginToken(w, r)
	return a.Render(w, q, http.StatusOK, "track", trackData{Number: qs.Get("number"), Token: q.LoginToken})
}

// track shows a case to whoever holds its receipt number and secret.
func (a *App) track(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	return a.follow(w, r, q, r.PostFormValue("number"), r.PostFormValue("secret"))
}

func (a *App) follow(w http.ResponseWriter, r *http.Request, q *Req, number, secret string) error {
	number = strings.TrimSpace(number)
	v, err := a.svc.Follow(r.Context(), transport.ClientAddr(r), number, secret)
	q.LoginToken = loginToken(w, r)
	d := trackData{Number: number, View: v, Token: q.LoginToken, Secret: secret}
	if err != nil {
		status, ok := transport.Status(err)
		if !ok {
			return err
		}
		q.Error = q.ErrorMessage(err)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			q.Error = q.L.T("track.notfound")
		}
		return a.Render(w, q, status, "track", d)
	}
	return a.Render(w, q, http.StatusOK, "track", d)
}

type clientsData struct {
	Clients []clientRow
	NewKey  string
	NewName string
}

type clientRow struct {
	ID       int64
	Name     string
	Created  string
	Disabled bool
}

func (a *App) clientsPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.renderClients(w, r, q, http.StatusOK, "", "")
}

func (a *App) renderClients(w http.ResponseWriter, r *http.Request, q *Req, status int, name, key string) error {
	cs, err := a.svc.Clients(r.Context(), q.User)
	if err != nil {
		return err
	}
	d := clientsData{NewKey: key, NewName: name}
	for _, c := range cs {
		d.Clients = append(d.Clients, clientRow{c.ID, c.Name, c.CreatedAt, c.Disabled})
	}
	return a.Render(w, q, status, "open311clients", d)
}

// clientAdd registers a client app and shows its key this once.
func (a *App) clientAdd(w http.ResponseWriter, r *http.Request, q *Req) error {
	c, key, err := a.svc.AddClient(r.Context(), q.User, r.PostFormValue("name"), false)
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		q.Error = q.ErrorMessage(err)
		return a.renderClients(w, r, q, http.StatusBadRequest, "", "")
	}
	return a.renderClients(w, r, q, http.StatusCreated, c.Name, key)
}

func (a *App) clientToggle(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "client app")
	if err != nil {
		return err
	}
	if err := a.svc.SetClientDisabled(r.Context(), q.User, id, r.PostFormValue("disabled") == "1"); err != nil {
		return err
	}
	return a.done(w, r, "/admin/open311", q.L.T("flash.saved"))
}

// answerOf is the answer given on the call when the call-taker chose 直接答复办结.
func answerOf(form map[string]string) string {
	if form["answer_now"] != "1" {
		return ""
	}
	return strings.TrimSpace(form["answer"])
}
