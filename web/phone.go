package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The phone page of grid workers, building heads and volunteers (网格员/楼栋长): report
// a case with a photo from the camera and the phone's position, follow "my reports",
// and verify resolved cases on site. Made for a 360-px screen and one thumb. A report
// carries a key the phone made: static/js/phone.js keeps a report that failed to send
// in IndexedDB and sends it again, and the key makes a resend that already arrived
// file nothing twice.

var phoneRoles = []domain.Role{domain.RoleGridWorker, domain.RoleBuildingHead, domain.RoleVolunteer}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.phone", Path: "/m", Roles: phoneRoles, Order: 30})
		a.Page("GET /m", phoneRoles, a.phoneHome)
		a.Page("GET /m/report", phoneRoles, a.phoneReportForm)
		a.Action("POST /m/report", phoneRoles, a.phoneReport)
		a.Page("GET /m/reports", phoneRoles, a.phoneMine)
		a.Page("GET /m/verify", phoneRoles, a.phoneVerify)
		a.Page("GET /m/locate", phoneRoles, a.phoneLocate)
	})
}

// phoneRegion is the region the user reports in: their first region-bound grant.
func phoneRegion(u domain.User) string {
	for _, g := range u.Grants {
		for _, r := range phoneRoles {
			if g.Role == r && g.Region != "" {
				return g.Region
			}
		}
	}
	return ""
}

type phoneHomeData struct {
	Verify int
	Region string
	Names  Names
}

func (a *App) phoneHome(w http.ResponseWriter, r *http.Request, q *Req) error {
	d := phoneHomeData{Region: phoneRegion(q.User)}
	verify, err := a.svc.QueueCount(r.Context(), q.User, []domain.Status{domain.StatusResolved}, false, countCap)
	if err != nil {
		return err
	}
	d.Verify = verify.N
	if d.Names, err = a.names(r.Context(), nil, d.Region); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "phone", d)
}

type matterGroup struct {
	Class   string
	Matters []domain.Matter
}

type reportForm struct {
	Recent []domain.Matter // the user's own latest matters, offered first
	Groups []matterGroup
	Kinds  []domain.Kind
	Form   map[string]string
	Key    string
	Map    template.HTML // the grids to place the report in by a tap (pickMap)
}

// recentMatters is how many of a reporter's latest matters the form offers first.
const recentMatters = 5

// reportFormData gathers the phone form: the catalogue grouped by class in the order of
// the catalogue's codes (the matters' own order, not the classes' names, which put 企业诉求
// first), and the reporter's recent matters before them. The page's search box
// (phone.js) narrows the groups as one types.
func (a *App) reportFormData(r *http.Request, q *Req, form map[string]string) (reportForm, error) {
	u := q.User
	_, ms, err := a.catalog(r.Context())
	if err != nil {
		return reportForm{}, err
	}
	recent, err := a.svc.RecentMatters(r.Context(), u, recentMatters)
	if err != nil {
		return reportForm{}, err
	}
	byCode := map[string]domain.Matter{}
	byClass := map[string][]domain.Matter{}
	var classes []string
	for _, m := range ms {
		if _, ok := byClass[m.Class]; !ok {
			classes = append(classes, m.Class)
		}
		byClass[m.Class] = append(byClass[m.Class], m)
		byCode[m.Code] = m
	}
	d := reportForm{Kinds: domain.Kinds, Form: form}
	for _, c := range recent {
		if m, ok := byCode[c]; ok {
			d.Recent = append(d.Recent, m)
		}
	}
	for _, c := range classes {
		d.Groups = append(d.Groups, matterGroup{c, byClass[c]})
	}
	if d.Map, err = a.reportMap(r, q, phoneRegion(u)); err != nil {
		return reportForm{}, err
	}
	if form == nil || form["key"] == "" {
		d.Key = newKey()
	} else {
		d.Key = form["key"]
	}
	return d, nil
}

func (a *App) phoneReportForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.reportFormData(r, q, nil)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "report", d)
}

// reportMap draws the grids a report in region may be placed in for a report form: the
// grids of region's community (a grid worker's own grid among its neighbours, only its
// own to pick) or of region itself above it; none above a street (a county's thousands
// of grids would be specks, and are not read).
func (a *App) reportMap(r *http.Request, q *Req, region string) (template.HTML, error) {
	root := region
	if len(root) > 12 {
		root = root[:12]
	}
	if len(root) < 9 {
		return "", nil
	}
	grids, err := a.svc.Grids(r.Context(), root)
	if err != nil {
		return "", err
	}
	return a.tiled(r.Context(), q, pickMap(grids, region))
}

// phoneReport files a report through the intake service with its photos. It answers
// JSON to phone.js (Accept: application/json) and a redirect to a plain form.
func (a *App) phoneReport(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	key := f("key")
	if len(key) < 8 || len(key) > 64 {
		return domain.Errorf(domain.EINVALID, "report key missing")
	}
	answer := func(status int, c int64, number string) error {
		url := "/cases/" + strconv.FormatInt(c, 10)
		if wantJSON {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			return json.NewEncoder(w).Encode(map[string]any{"case_id": c, "number": number, "url": url})
		}
		return a.done(w, r, url, q.L.T("flash.filed", number))
	}
	if prev, err := a.svc.ReportKey(ctx, q.User, key); err != nil {
		return err
	} else if prev != 0 { // sent before; its answer was lost on the way
		return answer(http.StatusOK, prev, "")
	}
	n := domain.NewCase{Matter: f("matter"), Title: f("title"), Description: f("description"), Address: f("address"),
		Kind: domain.Kind(f("kind")), Channel: "grid_patrol"}
	if lat, err1 := strconv.ParseFloat(f("lat"), 64); err1 == nil {
		if lon, err2 := strconv.ParseFloat(f("lon"), 64); err2 == nil {
			n.Lat, n.Lon = &lat, &lon
		}
	}
	if !q.User.Has(domain.RoleGridWorker) && !q.User.Has(domain.RoleBuildingHead) {
		n.Channel = "online"
	}
	files, err := photoUploads(r, "photos")
	msg := ""
	switch {
	case err != nil:
		msg = "act.bad_photos"
	case n.Matter == "":
		msg = "report.need.matter"
	case n.Title == "":
		msg = "report.need.title"
	}
	if msg == "" {
		var rc *service.Receipt
		rc, err = a.svc.FileIntake(ctx, q.User, service.Intake{Case: n, Files: files, Within: phoneRegion(q.User)})
		if err == nil {
			if err := a.svc.RememberReportKey(ctx, q.User, key, rc.Case.ID); err != nil {
				return err
			}
			return answer(http.StatusCreated, rc.Case.ID, rc.Number)
		}
		if _, ok := transport.Status(err); !ok {
			return err
		}
		q.Error = q.L.T("report.failed", q.ErrorMessage(err))
	} else {
		q.Error = q.L.T(msg)
	}
	if wantJSON {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		return json.NewEncoder(w).Encode(map[string]string{"error": q.Error})
	}
	d, ferr := a.reportFormData(r, q, formOf(r))
	if ferr != nil {
		return ferr
	}
	return a.Render(w, q, http.StatusBadRequest, "report", d)
}

type phoneListData struct {
	Cases  []*domain.Case
	Names  Names
	Next   int64
	Verify bool
	After  map[int64][]domain.Attachment // on the verify list: each case's after-photos (the resolution's)
}

func (a *App) phoneMine(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.myReports(w, r, q, "mine")
}

// myReports shows the cases the user reported, a page at a time, on page (the phone's
// "my reports", the citizen's home).
func (a *App) myReports(w http.ResponseWriter, r *http.Request, q *Req, page string) error {
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
	return a.Render(w, q, http.StatusOK, page, d)
}

// phoneVerify lists resolved cases in the user's grids waiting for someone to confirm
// on site (核查).
func (a *App) phoneVerify(w http.ResponseWriter, r *http.Request, q *Req) error {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	cases, next, err := a.svc.Cases(r.Context(), q.User, domain.CaseFilter{Status: []domain.Status{domain.StatusResolved}, After: after, Limit: pageSize})
	if err != nil {
		return err
	}
	d := phoneListData{Cases: cases, Next: next, Verify: true, After: map[int64][]domain.Attachment{}}
	if d.Names, err = a.names(r.Context(), d.Cases); err != nil {
		return err
	}
	for _, c := range cases { // one page of cases: the photos the verifier compares with the site
		files, err := a.svc.Attachments(r.Context(), q.User, c.ID)
		if err != nil {
			return err
		}
		d.After[c.ID] = afterPhotos(files)
	}
	return a.Render(w, q, http.StatusOK, "verify", d)
}

// phoneLocate names the grid a position falls in, for the report form to show before
// sending (the service places the report the same way when it is filed).
func (a *App) phoneLocate(w http.ResponseWriter, r *http.Request, q *Req) error {
	lat, err1 := strconv.ParseFloat(r.URL.Query().Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(r.URL.Query().Get("lon"), 64)
	if err1 != nil || err2 != nil || !domain.ValidPosition(lat, lon) {
		return domain.Errorf(domain.EINVALID, "lat and lon")
	}
	n := domain.NewCase{Lat: &lat, Lon: &lon}
	if err := a.svc.Place(r.Context(), &n, phoneRegion(q.User)); err != nil || n.Region == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, err = w.Write([]byte(q.L.T("report.outside")))
		return err
	}
	names, err := a.svc.RegionNames(r.Context(), []string{n.Region})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(q.L.T("report.in_grid", names[n.Region])))
	return err
}

// afterPhotos are the photos of a case's handling, not of its report: those attached
// to a step (the report's own have none; on the pages only the resolve form takes photos, so
// these are the resolution's). A list's cases carry no events to tell more.
func afterPhotos(files []domain.Attachment) []domain.Attachment {
	var out []domain.Attachment
	for _, f := range files {
		if f.EventSeq > 0 {
			out = append(out, f)
		}
	}
	return out
}
