package api

import (
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/transport"
)

// 常用语: reply templates for the seat's answers and the departments' results.

func (s *Server) replyTemplates(w http.ResponseWriter, r *http.Request, u domain.User) error {
	got, err := s.svc.ReplyTemplates(r.Context(), u, r.URL.Query().Get("use"))
	return reply(w, http.StatusOK, map[string]any{"templates": got}, err)
}

func (s *Server) createReplyTemplate(ctx context.Context, u domain.User, t domain.ReplyTemplate) (domain.ReplyTemplate, error) {
	t.ID = 0
	return s.svc.PutReplyTemplate(ctx, u, t)
}

func (s *Server) putReplyTemplate(ctx context.Context, u domain.User, id int64, t domain.ReplyTemplate) (domain.ReplyTemplate, error) {
	t.ID = id
	return s.svc.PutReplyTemplate(ctx, u, t)
}

// deleteReplyTemplate removes a template at the version given (?version=N), so a
// template changed meanwhile is not removed unseen.
func (s *Server) deleteReplyTemplate(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "reply template")
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(r.URL.Query().Get("version"))
	if err != nil || version < 1 {
		return domain.Invalidf("template.version", "version: the template's version, a positive number")
	}
	return noContent(w, s.svc.DeleteReplyTemplate(r.Context(), u, id, version))
}

// replyTemplateRoutes registers the reply templates.
func (s *Server) replyTemplateRoutes() {
	s.authed("GET /api/v1/reply-templates", s.replyTemplates)
	s.authed("POST /api/v1/reply-templates", create("/api/v1/reply-templates/", func(t domain.ReplyTemplate) int64 { return t.ID }, s.createReplyTemplate))
	s.authed("PUT /api/v1/reply-templates/{id}", writeID("reply template", http.StatusOK, s.putReplyTemplate))
	s.authed("DELETE /api/v1/reply-templates/{id}", s.deleteReplyTemplate)
}
