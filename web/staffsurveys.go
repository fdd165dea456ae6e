package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 机构编制调研 in the browser: the office's survey rounds over chosen units, each
// round's findings and the follow-up items they raise on its rectification list.

func init() {
	register(func(a *App) {
		a.Page("GET /staffing/surveys", staffRoles, a.staffSurveys)
		a.Action("POST /staffing/surveys", staffRoles, a.staffOpenSurvey)
		a.Page("GET /staffing/surveys/{id}", staffRoles, a.staffSurvey)
		a.Action("POST /staffing/surveys/{id}/findings", staffRoles, a.staffFinding)
	})
}

type staffSurveysData struct {
	Surveys []domain.StaffSurvey
	Report  service.StaffReport // the region's units, to choose from
}

func (a *App) staffSurveys(w http.ResponseWriter, r *http.Request, q *Req) error {
	rep, err := a.svc.StaffFigures(r.Context(), q.User, r.URL.Query().Get("region"), "", "")
	if err != nil {
		return err
	}
	vs, err := a.svc.StaffSurveys(r.Context(), q.User, rep.Region)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "staffsurveys", staffSurveysData{Surveys: vs, Report: rep})
}

func (a *App) staffOpenSurvey(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := staffForm(r)
	v := domain.StaffSurvey{Region: f("region"), Title: f("title"), Form: f("form")}
	for _, s := range r.PostForm["unit"] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "unit must be a unit's id")
		}
		v.UnitIDs = append(v.UnitIDs, n)
	}
	v, err := a.svc.CreateStaffSurvey(r.Context(), q.User, v)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/staffing/surveys/"+strconv.FormatInt(v.ID, 10), http.StatusSeeOther)
	return nil
}

type staffSurveyData struct {
	service.StaffSurveyView
	Units map[int64]string // the round's units by id
	Orgs  map[string]string
}

func (a *App) staffSurvey(w http.ResponseWriter, r *http.Request, q *Req) error {
	v, orgs, err := rectRead(a, r, q, "survey", a.svc.StaffSurvey)
	if err != nil {
		return err
	}
	d := staffSurveyData{StaffSurveyView: v, Orgs: orgs, Units: map[int64]string{}}
	for _, id := range v.Survey.UnitIDs {
		u, err := a.svc.StaffUnitOn(r.Context(), q.User, id, "")
		if err != nil {
			return err
		}
		d.Units[id] = u.Unit.Name
	}
	return a.Render(w, q, http.StatusOK, "staffsurvey", d)
}

// staffFinding is the office's form of a finding; rectify=1 raises an item for org by deadline.
func (a *App) staffFinding(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "survey")
	if err != nil {
		return err
	}
	f := staffForm(r)
	unit, _ := strconv.ParseInt(f("unit_id"), 10, 64) // 0 if none: the service names it, after who may
	req := service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: unit, Finding: f("finding"), Answers: f("answers")}}
	if f("rectify") == "1" {
		req.Rectify = &domain.RectItem{Measures: f("measures"), Org: f("org"), Person: f("person"), Deadline: f("deadline")}
	}
	if _, err := a.svc.RecordStaffFinding(r.Context(), q.User, id, req); err != nil {
		return err
	}
	return a.done(w, r, "/staffing/surveys/"+strconv.FormatInt(id, 10), q.L.T("staff.saved"))
}
