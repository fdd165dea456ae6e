package api

import (
	"context"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 大综窗: service halls, their windows, and what each window received.

// hallBody is a hall as an administrator sends it; active is true when left out.
type hallBody struct {
	Code   string          `json:"code"`
	Name   string          `json:"name"`
	Region string          `json:"region"`
	Kind   domain.HallKind `json:"kind"`
	Active *bool           `json:"active"`
}

func (b hallBody) hall(id int64) domain.Hall {
	return domain.Hall{ID: id, Code: b.Code, Name: b.Name, Region: b.Region, Kind: b.Kind, Active: b.Active == nil || *b.Active}
}

// windowBody is a window as an administrator sends it; active is true when left out,
// set_up today, region the hall's.
type windowBody struct {
	HallID  int64             `json:"hall_id"`
	Code    string            `json:"code"`
	Name    string            `json:"name"`
	Kind    domain.WindowKind `json:"kind"`
	Region  string            `json:"region"`
	Staff   []int64           `json:"staff"`
	Matters []string          `json:"matters"`
	Active  *bool             `json:"active"`
	SetUp   string            `json:"set_up"`
	Closed  string            `json:"closed"`
}

func (b windowBody) window(id int64) domain.Window {
	return domain.Window{ID: id, HallID: b.HallID, Code: b.Code, Name: b.Name, Kind: b.Kind, Region: b.Region, Staff: b.Staff,
		Matters: b.Matters, Active: b.Active == nil || *b.Active, SetUp: b.SetUp, Closed: b.Closed}
}

func (s *Server) listHalls(w http.ResponseWriter, r *http.Request, u domain.User) error {
	hs, err := s.svc.Halls(r.Context(), u, r.URL.Query().Get("region"))
	return reply(w, http.StatusOK, map[string]any{"halls": hs}, err)
}

func (s *Server) listWindows(w http.ResponseWriter, r *http.Request, u domain.User) error {
	hall, err := queryInt(r, "hall")
	if err != nil {
		return err
	}
	ws, err := s.svc.Windows(r.Context(), u, r.URL.Query().Get("region"), hall)
	return reply(w, http.StatusOK, map[string]any{"windows": ws}, err)
}

func (s *Server) putHall(ctx context.Context, u domain.User, id int64, b hallBody) (domain.Hall, error) {
	return s.svc.PutHall(ctx, u, b.hall(id))
}

func (s *Server) createHall(ctx context.Context, u domain.User, b hallBody) (domain.Hall, error) {
	return s.putHall(ctx, u, 0, b)
}

func (s *Server) createWindow(ctx context.Context, u domain.User, b windowBody) (domain.Window, error) {
	return s.putWindow(ctx, u, 0, b)
}

func (s *Server) putWindow(ctx context.Context, u domain.User, id int64, b windowBody) (domain.Window, error) {
	return s.svc.PutWindow(ctx, u, b.window(id))
}

// windowStats answers the window statistics of a period as JSON, or with format csv or
// xlsx as a table to download.
func (s *Server) windowStats(w http.ResponseWriter, r *http.Request, u domain.User) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is json, csv or xlsx")
	}
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	rep, err := s.svc.WindowStats(r.Context(), u, r.URL.Query().Get("region"), from, to)
	if err != nil || format == "" || format == "json" {
		return reply(w, http.StatusOK, rep, err)
	}
	transport.WriteTable(w, "windows_"+rep.From+"_"+rep.To, "大综窗", format, service.WindowTable(rep))
	return nil // the answer has begun: an error can no longer be sent
}

// windowRoutes registers halls, windows and the window statistics.
func (s *Server) windowRoutes() {
	s.authed("GET /api/v1/halls", s.listHalls)
	s.authed("GET /api/v1/halls/{id}", byID("hall", s.svc.Hall))
	s.admin("POST /api/v1/halls", create("/api/v1/halls/", func(h domain.Hall) int64 { return h.ID }, s.createHall))
	s.admin("PUT /api/v1/halls/{id}", writeID("hall", http.StatusOK, s.putHall))
	s.authed("GET /api/v1/windows", s.listWindows)
	s.authed("GET /api/v1/windows/{id}", byID("window", s.svc.Window))
	s.admin("POST /api/v1/windows", create("/api/v1/windows/", func(w domain.Window) int64 { return w.ID }, s.createWindow))
	s.admin("PUT /api/v1/windows/{id}", writeID("window", http.StatusOK, s.putWindow))
	s.authed("GET /api/v1/stats/windows", s.windowStats)
}
