package api

import (
	"context"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// A project's problems, documents, stage plans and the weekly bulletin.

func (s *Server) raiseProjectProblem(ctx context.Context, u domain.User, id int64, p domain.ProjectProblem) (*domain.Case, error) {
	return s.svc.RaiseProjectProblem(ctx, u, id, p)
}

func (s *Server) planStage(ctx context.Context, u domain.User, id int64, rec domain.StageRecord) (domain.StageRecord, error) {
	return rec, s.svc.PlanStage(ctx, u, id, rec)
}

// addProjectFile takes one file as multipart/form-data in a part named file, with a
// field stage (the stage's document) or month (a progress photo).
func (s *Server) addProjectFile(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "project")
	if err != nil {
		return err
	}
	f, name, done, err := oneFile(w, r)
	if err != nil {
		return err
	}
	defer done()
	fs, err := s.svc.AddProjectFiles(r.Context(), u, id, domain.Stage(r.FormValue("stage")), r.FormValue("month"), []service.Upload{{Name: name, Body: f}})
	if err != nil {
		return err
	}
	return reply(w, http.StatusCreated, fs[0], nil)
}

func (s *Server) getProjectFile(w http.ResponseWriter, r *http.Request, u domain.User) error {
	return serveOpened(w, r, u, "file", s.svc.OpenProjectFile)
}

func (s *Server) projectBulletin(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	b, err := s.svc.ProjectBulletin(r.Context(), u, q.Get("region"), q.Get("week"))
	return reply(w, http.StatusOK, b, err)
}

// projectWorkRoutes registers the routes of a project's problems, files and plans.
func (s *Server) projectWorkRoutes() {
	s.authed("POST /api/v1/projects/{id}/problems", writeID("project", http.StatusCreated, s.raiseProjectProblem))
	s.authed("POST /api/v1/projects/{id}/plan", writeID("project", http.StatusOK, s.planStage))
	s.authed("POST /api/v1/projects/{id}/files", s.addProjectFile)
	s.authed("GET /api/v1/projects/files/{id}", s.getProjectFile)
	s.authed("GET /api/v1/projects/bulletin", s.projectBulletin)
}
