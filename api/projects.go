package api

import (
	"context"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 项目全生命周期与极速审批: investment projects, their stages and approval items, the
// departments' inbox, and the leaders' figures.

// projectBody is a project as it is entered or changed; version is the one changed.
type projectBody struct {
	Name     string               `json:"name"`
	Investor string               `json:"investor"`
	Industry string               `json:"industry"`
	Kind     domain.ProjectKind   `json:"kind"`
	Total    domain.Amount        `json:"total"`
	YearPlan domain.Amount        `json:"year_plan"`
	Land     domain.Amount        `json:"land"`
	Parcel   string               `json:"parcel"`
	Park     string               `json:"park"`
	Region   string               `json:"region"`
	Priority string               `json:"priority"`
	Tier     domain.Tier          `json:"tier"`
	LeaderID int64                `json:"leader_id"`
	AgentID  int64                `json:"agent_id"`
	Status   domain.ProjectStatus `json:"status"`
	Version  int                  `json:"version"`
}

func (b projectBody) project(id int64) domain.Project {
	return domain.Project{ID: id, Name: b.Name, Investor: b.Investor, Industry: b.Industry, Kind: b.Kind, Total: b.Total,
		YearPlan: b.YearPlan, Land: b.Land, Parcel: b.Parcel, Park: b.Park, Region: b.Region, Priority: b.Priority, Tier: b.Tier,
		LeaderID: b.LeaderID, AgentID: b.AgentID, Status: b.Status, Version: b.Version}
}

// advanceBody moves a project into its next stage.
type advanceBody struct {
	domain.StageRecord
	Version int `json:"version"`
}

// itemBody files a catalogue item for a project.
type itemBody struct {
	Code string `json:"code"`
}

// actionBody is an action on an item.
type actionBody struct {
	Action domain.ItemAction `json:"action"`
	domain.ItemInput
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request, u domain.User) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is json, csv or xlsx")
	}
	f, err := transport.ProjectFilter(r.URL.Query())
	if err != nil {
		return err
	}
	ps, err := s.svc.Projects(r.Context(), u, f)
	if err != nil || format == "" || format == "json" {
		return reply(w, http.StatusOK, map[string]any{"projects": ps}, err)
	}
	transport.WriteTable(w, "projects", "项目", format, service.ProjectTable(ps))
	return nil // the answer has begun
}

func (s *Server) putProject(ctx context.Context, u domain.User, id int64, b projectBody) (*domain.Project, error) {
	return s.svc.PutProject(ctx, u, b.project(id))
}

func (s *Server) createProject(ctx context.Context, u domain.User, b projectBody) (*domain.Project, error) {
	return s.putProject(ctx, u, 0, b)
}

func (s *Server) advanceProject(ctx context.Context, u domain.User, id int64, b advanceBody) (*domain.Project, error) {
	return s.svc.AdvanceStage(ctx, u, id, b.StageRecord, b.Version)
}

func (s *Server) applyItem(ctx context.Context, u domain.User, id int64, b itemBody) (domain.ProjectItem, error) {
	return s.svc.ApplyItem(ctx, u, id, b.Code)
}

func (s *Server) actItem(ctx context.Context, u domain.User, id int64, b actionBody) (domain.ProjectItem, error) {
	return s.svc.ActItem(ctx, u, id, b.Action, b.ItemInput)
}

func (s *Server) reportProgress(ctx context.Context, u domain.User, id int64, g domain.ProjectProgress) (domain.ProjectProgress, error) {
	g.ProjectID = id
	return g, s.svc.ReportProgress(ctx, u, g)
}

func (s *Server) putApprovalItem(ctx context.Context, u domain.User, code string, a domain.ApprovalItem) (domain.ApprovalItem, error) {
	a.Code = code
	return s.svc.PutApprovalItem(ctx, u, a)
}

func (s *Server) projectFigures(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	f, err := s.svc.ProjectFigures(r.Context(), u, q.Get("region"), q.Get("year"))
	return reply(w, http.StatusOK, f, err)
}

// projectRoutes registers the projects, their items and figures.
func (s *Server) projectRoutes() {
	s.authed("GET /api/v1/projects", s.listProjects)
	s.authed("POST /api/v1/projects", create("/api/v1/projects/", func(p *domain.Project) int64 { return p.ID }, s.createProject))
	s.authed("GET /api/v1/projects/{id}", byID("project", s.svc.Project))
	s.authed("PUT /api/v1/projects/{id}", writeID("project", http.StatusOK, s.putProject))
	s.authed("POST /api/v1/projects/{id}/advance", writeID("project", http.StatusOK, s.advanceProject))
	s.authed("POST /api/v1/projects/{id}/items", writeID("project", http.StatusCreated, s.applyItem))
	s.authed("POST /api/v1/projects/{id}/progress", writeID("project", http.StatusOK, s.reportProgress))
	s.authed("GET /api/v1/projects/items/inbox", list("items", s.svc.ItemInbox))
	s.authed("POST /api/v1/projects/items/{id}/actions", writeID("item", http.StatusOK, s.actItem))
	s.authed("GET /api/v1/projects/catalogue", list("items", everyone(s.svc.ApprovalCatalogue)))
	s.admin("PUT /api/v1/projects/catalogue/{code}", writeAt(pathCode, http.StatusOK, s.putApprovalItem))
	s.authed("GET /api/v1/projects/figures", s.projectFigures)
}
