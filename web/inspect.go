package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/transport"
)

// Inspections by code (扫码入企) on the phone: the inspector's camera opens the code's
// address, /inspect/scan?code=…, where they declare the legal basis, the items and the
// two inspectors; the answer says whether the inspection may go on or waits for
// approval. Enterprises see their inspections and rate them; leaders decide flagged ones.

var inspectRoles = []domain.Role{domain.RoleInspector}

var inspectionListRoles = []domain.Role{domain.RoleInspector, domain.RoleEnterprise, domain.RoleLeader, domain.RoleDispatcher, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Page("GET /inspect/scan", inspectRoles, a.scanForm)
		a.Action("POST /inspect/scan", inspectRoles, a.scanSubmit)
		a.Nav(NavItem{Key: "nav.inspections", Path: "/inspections", Roles: inspectionListRoles, Order: 57})
		a.Page("GET /inspections", inspectionListRoles, a.inspectionsPage)
		a.Action("POST /inspections/{id}/rate", []domain.Role{domain.RoleEnterprise}, a.inspectionRate)
		a.Action("POST /inspections/{id}/decide", []domain.Role{domain.RoleLeader, domain.RoleAdmin}, a.inspectionDecide)
		a.Action("POST /inspections/{id}/finish", inspectRoles, a.inspectionFinish)
	})
}

type scanData struct {
	Code       string
	Enterprise *domain.Enterprise
	Result     *domain.Inspection
}

func (a *App) scanForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	d := scanData{Code: r.URL.Query().Get("code")}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("done"), 10, 64); id > 0 {
		in, err := a.svc.Inspection(r.Context(), q.User, id)
		if err != nil {
			return err
		}
		d.Result = in
	}
	return a.Render(w, q, http.StatusOK, "scan", d)
}

func (a *App) scanSubmit(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := domainScan(f)
	got, err := a.svc.ScanIn(r.Context(), q.User, in)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/inspect/scan?done="+strconv.FormatInt(got.ID, 10), http.StatusSeeOther)
	return nil
}

// domainScan reads the scan-in form.
func domainScan(f func(string) string) domain.ScanIn {
	in := domain.ScanIn{Token: f("code"), Kind: f("kind"), LegalBasis: f("legal_basis"), Items: strings.Split(f("items"), "\n")}
	for i := 1; i <= 3; i++ {
		n := strconv.Itoa(i)
		if name := f("inspector" + n); name != "" {
			in.Inspectors = append(in.Inspectors, domain.Inspector{Name: name, Certificate: f("cert" + n)})
		}
	}
	if lat, err := strconv.ParseFloat(f("lat"), 64); err == nil {
		if lon, err := strconv.ParseFloat(f("lon"), 64); err == nil {
			in.Lat, in.Lon = &lat, &lon
		}
	}
	return in
}

type inspectionsData struct {
	List       []*domain.Inspection
	Names      Names
	Next       int64 // the cursor of the next page, 0 at the end
	Enterprise bool
	Approver   bool
	Inspector  bool
}

// inspectionsPerPage keeps the inspector's phone home short: one screen of cards and
// a "more" link, not every inspection ever made.
const inspectionsPerPage = 20

// inspectionsPage is the inspector's home (a scan button on top, then their
// inspections a page at a time) and the list the enterprise and approvers read.
func (a *App) inspectionsPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	list, err := a.svc.Inspections(r.Context(), q.User, domain.InspectionFilter{After: after, Limit: inspectionsPerPage + 1})
	if err != nil {
		return err
	}
	d := inspectionsData{List: list, Enterprise: q.User.Has(domain.RoleEnterprise),
		Approver: q.User.Has(domain.RoleLeader) || q.User.Has(domain.RoleAdmin), Inspector: q.User.Has(domain.RoleInspector)}
	if len(list) > inspectionsPerPage {
		d.List, d.Next = list[:inspectionsPerPage], list[inspectionsPerPage-1].ID
	}
	if d.Names, err = a.names(r.Context(), nil); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "inspections", d)
}

func pathInspection(r *http.Request) (int64, error) {
	id, err := transport.PathID(r, "id", "inspection")
	if err != nil {
		return 0, err
	}
	return id, nil
}

func (a *App) inspectionRate(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := pathInspection(r)
	if err != nil {
		return err
	}
	score, _ := strconv.Atoi(r.PostFormValue("rating"))
	if _, err := a.svc.RateInspection(r.Context(), q.User, id, score, r.PostFormValue("comment")); err != nil {
		return err
	}
	return a.done(w, r, "/inspections", q.L.T("flash.rated"))
}

func (a *App) inspectionDecide(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := pathInspection(r)
	if err != nil {
		return err
	}
	approve := r.PostFormValue("decision") == "approve"
	if _, err := a.svc.DecideInspection(r.Context(), q.User, id, approve, r.PostFormValue("note")); err != nil {
		return err
	}
	if approve {
		return a.done(w, r, "/inspections", q.L.T("flash.approved"))
	}
	return a.done(w, r, "/inspections", q.L.T("flash.refused"))
}

func (a *App) inspectionFinish(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := pathInspection(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.FinishInspection(r.Context(), q.User, id, r.PostFormValue("result"), nil); err != nil {
		return err
	}
	return a.done(w, r, "/inspections", q.L.T("flash.finished"))
}
