package api

import (
	"context"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 机构编制: the staffing office's units and their figures, the exceptions to 只减不增 the
// leading group decides, and the figures of a region as of a day.

// staffDecision is the leading group's decision on an exception.
type staffDecision struct {
	Approve bool   `json:"approve"`
	DocNo   string `json:"doc_no"`
	Note    string `json:"note"`
}

// staffReveal asks for a person's ID number in clear, with why.
type staffReveal struct {
	Purpose string `json:"purpose"`
}

func (s *Server) decideStaffException(ctx context.Context, u domain.User, id int64, b staffDecision) (domain.StaffException, error) {
	return s.svc.DecideStaffException(ctx, u, id, b.Approve, b.DocNo, b.Note)
}

func (s *Server) revealStaffID(ctx context.Context, u domain.User, id int64, b staffReveal) (map[string]string, error) {
	clear, err := s.svc.RevealStaffID(ctx, u, id, b.Purpose)
	return map[string]string{"id_number": clear}, err
}

// staffUnit answers a unit with its figures as of the day as_of names (today if none).
func (s *Server) staffUnit(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "unit")
	if err != nil {
		return err
	}
	day, err := queryDay(r, "as_of")
	if err != nil {
		return err
	}
	v, err := s.svc.StaffUnitOn(r.Context(), u, id, day)
	return reply(w, http.StatusOK, v, err)
}

// staffFigures answers a region's figures as of a day, with the change since from, as
// JSON or with format csv or xlsx as the office's table to download.
func (s *Server) staffFigures(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is json, csv or xlsx")
	}
	day, err1 := queryDay(r, "as_of")
	from, err2 := queryDay(r, "from")
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	rep, err := s.svc.StaffFigures(r.Context(), u, q.Get("region"), day, from)
	if err != nil || format == "" || format == "json" {
		return reply(w, http.StatusOK, rep, err)
	}
	transport.WriteTable(w, "staffing_"+rep.Day, "机构编制", format, service.StaffTable(rep))
	return nil // the answer has begun
}

func (s *Server) staffExceptions(w http.ResponseWriter, r *http.Request, u domain.User) error {
	es, err := s.svc.StaffExceptions(r.Context(), u, r.URL.Query().Get("region"))
	return reply(w, http.StatusOK, map[string]any{"exceptions": es}, err)
}

// staffingRoutes registers the staffing establishment.
func (s *Server) staffingRoutes() {
	s.authed("GET /api/v1/staffing/figures", s.staffFigures)
	s.authed("POST /api/v1/staffing/units", create("/api/v1/staffing/units/", func(u domain.StaffUnit) int64 { return u.ID }, s.svc.CreateStaffUnit))
	s.authed("GET /api/v1/staffing/units/{id}", s.staffUnit)
	s.authed("POST /api/v1/staffing/units/{id}/quotas", writeID("unit", http.StatusCreated, s.svc.SetStaffQuota))
	s.authed("POST /api/v1/staffing/units/{id}/moves", writeID("unit", http.StatusCreated, s.svc.RecordStaffMove))
	s.authed("POST /api/v1/staffing/units/{id}/plans", writeID("unit", http.StatusCreated, s.svc.CreateStaffPlan))
	s.authed("POST /api/v1/staffing/units/{id}/exceptions", writeID("unit", http.StatusCreated, s.svc.RequestStaffException))
	s.authed("GET /api/v1/staffing/exceptions", s.staffExceptions)
	s.authed("POST /api/v1/staffing/exceptions/{id}/decision", writeID("exception", http.StatusOK, s.decideStaffException))
	s.authed("POST /api/v1/staffing/people/{id}/reveal", writeID("person", http.StatusOK, s.revealStaffID))
	s.authed("GET /api/v1/staffing/surveys", s.staffSurveys)
	s.authed("POST /api/v1/staffing/surveys", create("/api/v1/staffing/surveys/", func(v domain.StaffSurvey) int64 { return v.ID }, s.svc.CreateStaffSurvey))
	s.authed("GET /api/v1/staffing/surveys/{id}", byID("survey", s.svc.StaffSurvey))
	s.authed("POST /api/v1/staffing/surveys/{id}/findings", writeID("survey", http.StatusCreated, s.svc.RecordStaffFinding))
}

func (s *Server) staffSurveys(w http.ResponseWriter, r *http.Request, u domain.User) error {
	vs, err := s.svc.StaffSurveys(r.Context(), u, r.URL.Query().Get("region"))
	return reply(w, http.StatusOK, map[string]any{"surveys": vs}, err)
}
