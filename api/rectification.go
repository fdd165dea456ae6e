package api

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 督查整改: rectification lists, their items, 销号 and figures.

// rectReport is the responsible org's progress or application as JSON.
type rectReport struct {
	Progress   string  `json:"progress"`
	Milestones []int64 `json:"milestones"`
}

// rectDecision is the owner's return: its reason.
type rectDecision struct {
	Reason string `json:"reason"`
}

func (s *Server) addRectItem(ctx context.Context, u domain.User, listID int64, it domain.RectItem) (domain.RectItem, error) {
	return s.svc.AddRectItem(ctx, u, listID, it)
}

func (s *Server) reportRect(ctx context.Context, u domain.User, id int64, b rectReport) (service.RectItemView, error) {
	return s.svc.ReportRectProgress(ctx, u, id, service.RectReport{Progress: b.Progress, Milestones: b.Milestones})
}

func (s *Server) applyRect(ctx context.Context, u domain.User, id int64, b rectReport) (service.RectItemView, error) {
	return s.svc.ApplyRect(ctx, u, id, service.RectReport{Progress: b.Progress, Milestones: b.Milestones})
}

func (s *Server) approveRect(ctx context.Context, u domain.User, id int64, _ struct{}) (service.RectItemView, error) {
	return s.svc.DecideRect(ctx, u, id, true, "")
}

func (s *Server) returnRect(ctx context.Context, u domain.User, id int64, b rectDecision) (service.RectItemView, error) {
	return s.svc.DecideRect(ctx, u, id, false, b.Reason)
}

// addRectEvidence takes one file (a document or photo) as multipart/form-data in a part
// named file: progress with evidence.
func (s *Server) addRectEvidence(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "item")
	if err != nil {
		return err
	}
	f, name, done, err := oneFile(w, r)
	if err != nil {
		return err
	}
	defer done()
	v, err := s.svc.ReportRectProgress(r.Context(), u, id, service.RectReport{Files: []service.Upload{{Name: name, Body: f}}})
	return reply(w, http.StatusCreated, v, err)
}

func (s *Server) getRectEvidence(w http.ResponseWriter, r *http.Request, u domain.User) error {
	return serveOpened(w, r, u, "evidence", s.svc.OpenRectEvidence)
}

// serveOpened sends the stored file (what) the path's id names, or with thumb=1 its
// thumbnail, as open gives it to u.
func serveOpened(w http.ResponseWriter, r *http.Request, u domain.User, what string,
	open func(context.Context, domain.User, int64, bool) (domain.Attachment, io.ReadSeekCloser, error)) error {
	id, err := transport.PathID(r, "id", what)
	if err != nil {
		return err
	}
	thumb := r.URL.Query().Get("thumb") == "1"
	a, f, err := open(r.Context(), u, id, thumb)
	if err != nil {
		return err
	}
	defer f.Close()
	ServeAttachment(w, r, a, f, thumb)
	return nil
}

// rectStats answers the figures as of a day as JSON, or with format csv or xlsx as a
// table to download.
func (s *Server) rectStats(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return domain.Errorf(domain.EINVALID, "format is json, csv or xlsx")
	}
	rep, err := s.svc.RectFigures(r.Context(), u, q.Get("region"), q.Get("by"), q.Get("as_of"))
	if err != nil || format == "" || format == "json" {
		return reply(w, http.StatusOK, rep, err)
	}
	transport.WriteTable(w, "rectification_"+rep.Day, "督查整改", format, service.RectTable(rep))
	return nil // the answer has begun
}

// rectRoutes registers the rectification lists.
func (s *Server) rectRoutes() {
	s.authed("GET /api/v1/rectification/lists", list("lists", s.svc.RectLists))
	s.authed("POST /api/v1/rectification/lists", create("/api/v1/rectification/lists/", func(l domain.RectList) int64 { return l.ID }, s.svc.CreateRectList))
	s.authed("GET /api/v1/rectification/lists/{id}", byID("list", s.svc.RectList))
	s.authed("POST /api/v1/rectification/lists/{id}/items", writeID("list", http.StatusCreated, s.addRectItem))
	s.authed("GET /api/v1/rectification/items/{id}", byID("item", s.svc.RectItem))
	s.authed("PUT /api/v1/rectification/items/{id}", writeID("item", http.StatusOK, s.svc.EditRectItem))
	s.authed("POST /api/v1/rectification/items/{id}/progress", writeID("item", http.StatusOK, s.reportRect))
	s.authed("POST /api/v1/rectification/items/{id}/evidence", s.addRectEvidence)
	s.authed("POST /api/v1/rectification/items/{id}/apply", writeID("item", http.StatusOK, s.applyRect))
	s.authed("POST /api/v1/rectification/items/{id}/approve", writeID("item", http.StatusOK, s.approveRect))
	s.authed("POST /api/v1/rectification/items/{id}/return", writeID("item", http.StatusOK, s.returnRect))
	s.authed("POST /api/v1/rectification/items/{id}/case", writeID("item", http.StatusCreated, s.svc.RaiseRectCase))
	s.authed("GET /api/v1/rectification/evidence/{id}", s.getRectEvidence)
	s.authed("GET /api/v1/stats/rectification", s.rectStats)
}

// oneFile reads an upload sent as multipart/form-data with one part named file (a case
// attachment, an item's evidence); done closes it and removes the form's temporary files.
func oneFile(w http.ResponseWriter, r *http.Request) (f multipart.File, name string, done func(), err error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		return nil, "", nil, domain.Errorf(domain.EINVALID, "send the file as multipart/form-data in a part named file")
	}
	r.Body = http.MaxBytesReader(w, r.Body, domain.MaxAttachment+transport.MaxBody)
	if err := r.ParseMultipartForm(transport.MaxBody); err != nil {
		return nil, "", nil, domain.Errorf(domain.EINVALID, "the upload does not parse or is larger than %d MB", domain.MaxAttachment>>20)
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 || len(r.MultipartForm.File) != 1 {
		r.MultipartForm.RemoveAll()
		return nil, "", nil, domain.Errorf(domain.EINVALID, "send exactly one part named file")
	}
	if f, err = fhs[0].Open(); err != nil {
		r.MultipartForm.RemoveAll()
		return nil, "", nil, domain.Errorf(domain.EINVALID, "could not read the file")
	}
	return f, fhs[0].Filename, func() { f.Close(); r.MultipartForm.RemoveAll() }, nil
}
