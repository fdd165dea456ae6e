package api

import (
	"context"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 混编培训: joint classes, their rosters (XLSX), hand rules, the mixing and hand moves.

// mixRules is the body of PUT …/rules.
type mixRules struct {
	Rules []domain.MixRule `json:"rules"`
}

func (s *Server) setMixRules(ctx context.Context, u domain.User, id int64, in mixRules) (service.TrainingView, error) {
	return s.svc.SetMixRules(ctx, u, id, in.Rules)
}

// importTrainees reads a roster for a class: ?preview=true answers what would be
// written and writes nothing; wrong rows answer 400 with the report, nothing written.
func (s *Server) importTrainees(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := pathID("training class")(r)
	if err != nil {
		return err
	}
	preview, err := queryBool(r, "preview")
	if err != nil {
		return err
	}
	body, err := readBody(w, r, service.MaxRegister, "roster")
	if err != nil {
		return err
	}
	res, err := s.svc.ImportTrainees(r.Context(), u, id, body, preview)
	if domain.ErrorCode(err) == domain.EINVALID && len(res.Errors) > 0 {
		out := errorBody(domain.EINVALID, domain.ErrorMessage(err))
		out["report"] = res
		return reply(w, http.StatusBadRequest, out, nil)
	}
	return reply(w, http.StatusOK, res, err)
}

func (s *Server) rosterTemplate(w http.ResponseWriter, r *http.Request, u domain.User) error {
	b, err := s.svc.RosterTemplate(u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="roster.xlsx"`)
	_, err = w.Write(b)
	return err
}

// trainingRoutes registers the training classes.
func (s *Server) trainingRoutes() {
	const p = "/api/v1/training/classes"
	s.authed("GET "+p, list("classes", s.svc.TrainingClasses))
	s.authed("POST "+p, create(p+"/", func(c domain.TrainingClass) int64 { return c.ID }, s.svc.CreateTrainingClass))
	s.authed("GET /api/v1/training/roster-template", s.rosterTemplate)
	s.authed("GET "+p+"/{id}", byID("training class", s.svc.TrainingClass))
	s.authed("POST "+p+"/{id}/trainees", s.importTrainees)
	s.authed("PUT "+p+"/{id}/rules", writeID("training class", http.StatusOK, s.setMixRules))
	s.authed("POST "+p+"/{id}/mix", writeID("training class", http.StatusOK, s.svc.MixTrainingClass))
	s.authed("POST "+p+"/{id}/moves", writeID("training class", http.StatusOK, s.svc.MoveTrainee))
	s.trainingProgrammeRoutes()
}

// classSession reads the path's class {id} and {session}.
func classSession(r *http.Request) (int64, int64, error) {
	id, err := transport.PathID(r, "id", "training class")
	if err != nil {
		return 0, 0, err
	}
	session, err := transport.PathID(r, "session", "session")
	return id, session, err
}

func (s *Server) trainingSessions(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := pathID("training class")(r)
	if err != nil {
		return err
	}
	ss, err := s.svc.TrainingProgramme(r.Context(), u, id)
	return reply(w, http.StatusOK, map[string]any{"sessions": ss}, err)
}

func (s *Server) trainingSession(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, session, err := classSession(r)
	if err != nil {
		return err
	}
	d, err := s.svc.TrainingSession(r.Context(), u, id, session)
	return reply(w, http.StatusOK, d, err)
}

func (s *Server) markAttendance(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, session, err := classSession(r)
	if err != nil {
		return err
	}
	var in service.AttendanceMarks
	if err := transport.Decode(w, r, &in); err != nil {
		return err
	}
	d, err := s.svc.MarkAttendance(r.Context(), u, id, session, in)
	return reply(w, http.StatusOK, d, err)
}

func (s *Server) addFeedback(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, session, err := classSession(r)
	if err != nil {
		return err
	}
	var in domain.Feedback
	if err := transport.Decode(w, r, &in); err != nil {
		return err
	}
	f, err := s.svc.AddFeedback(r.Context(), u, id, session, in)
	return reply(w, http.StatusCreated, f, err)
}

// trainingProgrammeRoutes registers a class's programme.
func (s *Server) trainingProgrammeRoutes() {
	const p = "/api/v1/training/classes/{id}/sessions"
	s.authed("GET "+p, s.trainingSessions)
	s.authed("POST "+p, writeID("training class", http.StatusCreated, s.svc.AddTrainingSession))
	s.authed("GET "+p+"/{session}", s.trainingSession)
	s.authed("PUT "+p+"/{session}/attendance", s.markAttendance)
	s.authed("POST "+p+"/{session}/feedback", s.addFeedback)
}
