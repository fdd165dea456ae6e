package api

import (
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 考核: indicator systems, a period's table, publication, manual items, appeals,
// exclusions (不合理诉求, 免责) and the streets' ratings of report-ins.

// assessPeriod reads the path's system {id} and {period}.
func assessPeriod(r *http.Request) (int64, string, error) {
	id, err := transport.PathID(r, "id", "indicator system")
	return id, r.PathValue("period"), err
}

// manualScore is a leader's score of one assessee on a manual indicator.
type manualScore struct {
	Assessee  string  `json:"assessee"`
	Indicator string  `json:"indicator"`
	Points    float64 `json:"points"`
	Reason    string  `json:"reason"`
}

// appealIn is an assessee's appeal of one indicator.
type appealIn struct {
	Assessee  string `json:"assessee"`
	Indicator string `json:"indicator"`
	Reason    string `json:"reason"`
}

// exclusionDecision is a leader's decision on an exclusion.
type exclusionDecision struct {
	Approve bool   `json:"approve"`
	Note    string `json:"note"`
}

// assessTable answers a period's table as JSON, or with format csv or xlsx to download.
func (s *Server) assessTable(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, period, err := assessPeriod(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is json, csv or xlsx")
	}
	v, err := s.svc.AssessPeriod(r.Context(), u, id, period)
	if err != nil || format == "" || format == "json" {
		return reply(w, http.StatusOK, v, err)
	}
	transport.WriteTable(w, "assessment_"+strconv.FormatInt(id, 10)+"_"+period, "考核", format, service.AssessTable(v))
	return nil // the answer has begun
}

func (s *Server) publishAssess(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, period, err := assessPeriod(r)
	if err != nil {
		return err
	}
	v, err := s.svc.PublishAssess(r.Context(), u, id, period)
	return reply(w, http.StatusOK, v, err)
}

func (s *Server) manualScore(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, period, err := assessPeriod(r)
	if err != nil {
		return err
	}
	var in manualScore
	if err := transport.Decode(w, r, &in); err != nil {
		return err
	}
	return noContent(w, s.svc.SetManualScore(r.Context(), u, id, period, in.Assessee, in.Indicator, in.Points, in.Reason))
}

func (s *Server) assessRanking(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, period, err := assessPeriod(r)
	if err != nil {
		return err
	}
	n := 3
	if q := r.URL.Query().Get("n"); q != "" {
		if n, err = strconv.Atoi(q); err != nil || n < 1 || n > 100 {
			return domain.Invalidf("assess.n", "n must be a number from 1 to 100")
		}
	}
	rk, err := s.svc.AssessRanking(r.Context(), u, id, period, n)
	return reply(w, http.StatusOK, rk, err)
}

func (s *Server) fileAppeal(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, period, err := assessPeriod(r)
	if err != nil {
		return err
	}
	var in appealIn
	if err := transport.Decode(w, r, &in); err != nil {
		return err
	}
	a, err := s.svc.FileAppeal(r.Context(), u, domain.Appeal{SystemID: id, Period: period, Assessee: in.Assessee, Indicator: in.Indicator, Reason: in.Reason})
	return reply(w, http.StatusCreated, a, err)
}

func (s *Server) decideExclusion(ctx context.Context, u domain.User, id int64, d exclusionDecision) (domain.Exclusion, error) {
	return s.svc.DecideExclusion(ctx, u, id, d.Approve, d.Note)
}

func (s *Server) exclusions(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	xs, err := s.svc.Exclusions(r.Context(), u, q.Get("region"), q.Get("from"), q.Get("to"), q.Get("status"))
	return reply(w, http.StatusOK, map[string]any{"exclusions": xs}, err)
}

func (s *Server) ratings(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	rs, err := s.svc.Ratings(r.Context(), u, q.Get("region"), q.Get("from"), q.Get("to"))
	return reply(w, http.StatusOK, map[string]any{"ratings": rs}, err)
}

// assessRoutes registers the assessments.
func (s *Server) assessRoutes() {
	const p = "/api/v1/assessments/systems/{id}/periods/{period}"
	s.authed("GET /api/v1/assessments/systems", list("systems", s.svc.AssessSystems))
	s.authed("POST /api/v1/assessments/systems", create("/api/v1/assessments/systems/", func(x domain.AssessSystem) int64 { return x.ID }, s.svc.CreateAssessSystem))
	s.authed("GET /api/v1/assessments/systems/{id}", byID("indicator system", s.svc.AssessSystem))
	s.authed("GET "+p, s.assessTable)
	s.authed("POST "+p+"/publish", s.publishAssess)
	s.authed("PUT "+p+"/manual", s.manualScore)
	s.authed("GET "+p+"/ranking", s.assessRanking)
	s.authed("POST "+p+"/appeals", s.fileAppeal)
	s.authed("POST /api/v1/assessments/appeals/{id}/decision", writeID("appeal", http.StatusOK, s.svc.DecideAppeal))
	s.authed("GET /api/v1/assessments/exclusions", s.exclusions)
	s.authed("POST /api/v1/assessments/exclusions", write(http.StatusCreated, s.svc.RequestExclusion))
	s.authed("POST /api/v1/assessments/exclusions/{id}/decision", writeID("exclusion", http.StatusOK, s.decideExclusion))
	s.authed("GET /api/v1/assessments/ratings", s.ratings)
	s.authed("POST /api/v1/assessments/ratings", write(http.StatusCreated, s.svc.RateReportIn))
}
