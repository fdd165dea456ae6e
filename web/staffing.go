package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 机构编制 in the browser, for the staffing office (编办) and the leading group: the
// dashboard of a region's units as of a day with its XLSX, a unit with its figures,
// history and the office's forms (approved figures, staff in and out, digestion plans,
// exceptions to 只减不增) and the leading group's decisions; the same service methods as
// /api/v1/staffing.

// staffRoles open the staffing pages: the service decides who reads and acts (an
// officer only of an org of kind staffing_office).
var staffRoles = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleOfficer}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.staffing", Path: "/staffing", Roles: staffRoles, Order: 57, When: a.svc.StaffingReader})
		a.Page("GET /staffing", staffRoles, a.staffDash)
		a.Page("GET /staffing/figures.xlsx", staffRoles, a.staffXLSX)
		a.Action("POST /staffing/units", staffRoles, a.staffCreateUnit)
		a.Page("GET /staffing/units/{id}", staffRoles, a.staffUnit)
		a.Action("POST /staffing/units/{id}/quotas", staffRoles, a.staffQuota)
		a.Action("POST /staffing/units/{id}/moves", staffRoles, a.staffMove)
		a.Action("POST /staffing/units/{id}/reveal", staffRoles, a.staffReveal)
		a.Action("POST /staffing/units/{id}/plans", staffRoles, a.staffPlan)
		a.Action("POST /staffing/units/{id}/exceptions", staffRoles, a.staffAskException)
		a.Action("POST /staffing/exceptions/{id}/decide", staffRoles, a.staffDecide)
	})
}

// staffItemNames are the items as the pages show and pick them.
var staffItemNames = func() []string {
	out := make([]string, len(domain.StaffItems))
	for i, it := range domain.StaffItems {
		out[i] = string(it)
	}
	return out
}()

type staffDashData struct {
	Report service.StaffReport
	Items  []string
	Kinds  []string
	// ExtraKinds are the kinds of 编外 staff, as the figures count them.
	ExtraKinds []domain.ExtraKind
	Est        domain.StaffFigure // 编制 of every kind, in all
	Over       int                // units over on some establishment kind
	XLSX       string
}

func (a *App) staffDash(w http.ResponseWriter, r *http.Request, q *Req) error {
	p := r.URL.Query()
	rep, err := a.svc.StaffFigures(r.Context(), q.User, p.Get("region"), p.Get("as_of"), p.Get("from"))
	if err != nil {
		return err
	}
	d := staffDashData{Report: rep, Items: staffItemNames, Est: rep.Totals.Establishment(), ExtraKinds: domain.ExtraKinds,
		Kinds: []string{"party_gov", "ref_civil", "public1", "public2", "business", "other"},
		XLSX:  withQuery("/staffing/figures.xlsx", url.Values{"region": {rep.Region}, "as_of": {rep.Day}, "from": {rep.From}})}
	for _, u := range rep.Units {
		if u.Over {
			d.Over++
		}
	}
	return a.Render(w, q, http.StatusOK, "staffing", d)
}

func (a *App) staffXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	p := r.URL.Query()
	rep, err := a.svc.StaffFigures(r.Context(), q.User, p.Get("region"), p.Get("as_of"), p.Get("from"))
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "staffing_"+rep.Day, "机构编制", "xlsx", service.StaffTable(rep))
}

func (a *App) staffCreateUnit(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := staffForm(r)
	unit := domain.StaffUnit{Region: f("region"), Name: f("name"), Kind: domain.StaffUnitKind(f("kind")), DocNo: f("doc_no"), DocDate: f("doc_date")}
	if f("parent_id") != "" {
		n, err := strconv.ParseInt(f("parent_id"), 10, 64)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "parent_id must be a unit's id")
		}
		unit.ParentID = n
	}
	u, err := a.svc.CreateStaffUnit(r.Context(), q.User, unit)
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffUnitPath(u.ID), http.StatusSeeOther)
	return nil
}

func staffForm(r *http.Request) func(string) string {
	return func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
}

func staffUnitPath(id int64) string { return "/staffing/units/" + strconv.FormatInt(id, 10) }

type staffUnitData struct {
	service.StaffUnitView
	Items   []string
	Est     []string
	Methods []string
	Inputs  map[domain.StaffMethod][]string
	// ExtraKinds are the kinds of 编外 staff (the move form offers all but unclassified).
	ExtraKinds []domain.ExtraKind
	// Levels are the levels of leadership posts (the forms offer all but unset).
	Levels []domain.LeadLevel
	// Revealed is the ID number the office asked to see, in clear, of person RevealedID
	// (this answer only: never stored, never cached).
	Revealed   string
	RevealedID int64
}

func (a *App) staffUnit(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	v, err := a.svc.StaffUnitOn(r.Context(), q.User, id, r.URL.Query().Get("as_of"))
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "staffingunit", staffUnitPage(v))
}

func staffUnitPage(v service.StaffUnitView) staffUnitData {
	return staffUnitData{StaffUnitView: v, Items: staffItemNames,
		Est: staffItemNames[:4], Methods: []string{"workload", "population", "ratio", "history"}, Inputs: domain.StaffMethodInputs, ExtraKinds: domain.ExtraKinds,
		Levels: domain.LeadLevels}
}

// staffReveal is the office's form to see a named person's ID number in clear on the
// unit's page, saying why: the service checks the office and audits the reveal; the
// answer is the unit's page with the number shown once, not cached.
func (a *App) staffReveal(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	f := staffForm(r)
	person, err := formInt(f, "person_id")
	if err != nil {
		return err
	}
	v, err := a.svc.StaffUnitOn(r.Context(), q.User, id, "")
	if err != nil {
		return err
	}
	if !v.MayAct {
		return domain.Errorf(domain.EFORBIDDEN, "only the staffing office sees an ID number in clear")
	}
	if !slices.ContainsFunc(v.People, func(p domain.StaffPerson) bool { return p.ID == int64(person) }) {
		return domain.Errorf(domain.ENOTFOUND, "person %d not found", person)
	}
	clear, err := a.svc.RevealStaffID(r.Context(), q.User, int64(person), f("purpose"))
	if err != nil {
		return err
	}
	d := staffUnitPage(v)
	d.Revealed, d.RevealedID = clear, int64(person)
	w.Header().Set("Cache-Control", "no-store")
	return a.Render(w, q, http.StatusOK, "staffingunit", d)
}

// formInt reads a whole number from the form, naming the field when it is not one.
func formInt(f func(string) string, name string) (int, error) {
	v := f(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, domain.Errorf(domain.EINVALID, "%s must be a whole number", name)
	}
	return n, nil
}

// staffQuota is the office's form of a changed approved figure; for the 编外 total the
// method's two inputs come as input_a and input_b, in the order the method names them.
func (a *App) staffQuota(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	f := staffForm(r)
	value, err1 := formInt(f, "value")
	exc, err2 := formInt(f, "exception_id")
	if err := firstError(err1, err2); err != nil {
		return err
	}
	qt := domain.StaffQuota{Item: domain.StaffItem(f("item")), Level: domain.LeadLevel(f("level")), Value: value, Day: f("day"), DocNo: f("doc_no"), Note: f("note"), ExceptionID: int64(exc)}
	if qt.Item == domain.StaffExtra {
		qt.Method = domain.StaffMethod(f("method"))
		qt.Inputs = map[string]float64{}
		for i, name := range domain.StaffMethodInputs[qt.Method] {
			key := []string{"input_a", "input_b"}[i]
			x, err := strconv.ParseFloat(f(key), 64)
			if err != nil {
				return domain.Errorf(domain.EINVALID, "%s (%s) must be a number", key, name)
			}
			qt.Inputs[name] = x
		}
	}
	if _, err := a.svc.SetStaffQuota(r.Context(), q.User, id, qt); err != nil {
		return a.staffRefused(w, r, q, id, err)
	}
	return a.done(w, r, staffUnitPath(id), q.L.T("staff.saved"))
}

// staffMove is the office's form of staff in or out: by count, or one named person in
// (name and ID number) or out (person_id).
func (a *App) staffMove(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	f := staffForm(r)
	delta, err1 := formInt(f, "delta")
	person, err2 := formInt(f, "person_id")
	if err := firstError(err1, err2); err != nil {
		return err
	}
	req := service.StaffMoveRequest{StaffMove: domain.StaffMove{Item: domain.StaffItem(f("item")), Day: f("day"), Delta: delta,
		PersonID: int64(person), Kind: domain.ExtraKind(f("kind")), Level: domain.LeadLevel(f("level")), DocNo: f("doc_no"), Note: f("note")}}
	if f("name") != "" || f("id_number") != "" {
		req.Person = &service.NewStaffPerson{Name: f("name"), IDNumber: f("id_number")}
	}
	if _, err := a.svc.RecordStaffMove(r.Context(), q.User, id, req); err != nil {
		return a.staffRefused(w, r, q, id, err)
	}
	return a.done(w, r, staffUnitPath(id), q.L.T("staff.saved"))
}

func (a *App) staffPlan(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	f := staffForm(r)
	out, err1 := formInt(f, "out")
	in, err2 := formInt(f, "in")
	if err := firstError(err1, err2); err != nil {
		return err
	}
	p := domain.StaffPlan{Item: domain.StaffItem(f("item")), Out: out, In: in, From: f("from"), Target: f("target"), DocNo: f("doc_no")}
	if _, err := a.svc.CreateStaffPlan(r.Context(), q.User, id, p); err != nil {
		return a.staffRefused(w, r, q, id, err)
	}
	return a.done(w, r, staffUnitPath(id), q.L.T("staff.saved"))
}

func (a *App) staffAskException(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	f := staffForm(r)
	value, err := formInt(f, "value")
	if err != nil {
		return err
	}
	if _, err := a.svc.RequestStaffException(r.Context(), q.User, id, domain.StaffException{Value: value, Reason: f("reason")}); err != nil {
		return a.staffRefused(w, r, q, id, err)
	}
	return a.done(w, r, staffUnitPath(id), q.L.T("staff.asked"))
}

// staffDecide is the leading group's: approve=1 approves, else refuses, with the document.
func (a *App) staffDecide(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "exception")
	if err != nil {
		return err
	}
	f := staffForm(r)
	e, err := a.svc.DecideStaffException(r.Context(), q.User, id, f("approve") == "1", f("doc_no"), f("note"))
	if err != nil {
		return err
	}
	return a.done(w, r, staffUnitPath(e.UnitID), q.L.T("staff.decided"))
}

// staffRefused shows the unit's page again, where the office's form was, with why it
// was refused (只减不增, past the approved figure, 出二进一…) above it, instead of an error
// page away from the unit; a refusal of who may act (403, 404) stays an error.
func (a *App) staffRefused(w http.ResponseWriter, r *http.Request, q *Req, id int64, err error) error {
	code := domain.ErrorCode(err)
	if _, ok := transport.Status(err); !ok || code == domain.ENOTFOUND || code == domain.EFORBIDDEN || code == domain.EUNAUTHORIZED {
		return err
	}
	v, verr := a.svc.StaffUnitOn(r.Context(), q.User, id, "")
	if verr != nil {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.Render(w, q, statusOf(err), "staffingunit", staffUnitPage(v))
}

// firstError is the first error that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
