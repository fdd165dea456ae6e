package api

import (
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
)

// The 12345 seat: matters suggested from a caller's words, and the synonyms they use.

// synonymsBody is the installation's synonym groups, one a line.
type synonymsBody struct {
	Synonyms string `json:"synonyms"`
}

func (s *Server) suggestMatters(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	n := 0
	if v := q.Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > 20 {
			return domain.Errorf(domain.EINVALID, "n is 1 to 20")
		}
	}
	got, err := s.svc.SuggestMatters(r.Context(), u, q.Get("text"), n)
	return reply(w, http.StatusOK, map[string]any{"suggestions": got}, err)
}

func (s *Server) synonyms(ctx context.Context, _ domain.User) (synonymsBody, error) {
	text, err := s.svc.Synonyms(ctx)
	return synonymsBody{text}, err
}

func (s *Server) putSynonyms(ctx context.Context, u domain.User, b synonymsBody) (synonymsBody, error) {
	if err := s.svc.SetSynonyms(ctx, u, b.Synonyms); err != nil {
		return synonymsBody{}, err
	}
	return s.synonyms(ctx, u)
}

// seatRoutes registers the seat's routes.
func (s *Server) seatRoutes() {
	s.authed("GET /api/v1/matters/suggest", s.suggestMatters)
	s.admin("GET /api/v1/settings/synonyms", get(s.synonyms))
	s.admin("PUT /api/v1/settings/synonyms", write(http.StatusOK, s.putSynonyms))
}

func (s *Server) searchKnowledge(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	got, err := s.svc.SearchKnowledge(r.Context(), u, q.Get("text"), q.Get("matter"))
	return reply(w, http.StatusOK, map[string]any{"knowledge": got}, err)
}

func (s *Server) createKnowledge(ctx context.Context, u domain.User, k domain.Knowledge) (domain.Knowledge, error) {
	k.ID = 0
	return s.svc.PutKnowledge(ctx, u, k)
}

func (s *Server) putKnowledge(ctx context.Context, u domain.User, id int64, k domain.Knowledge) (domain.Knowledge, error) {
	k.ID = id
	return s.svc.PutKnowledge(ctx, u, k)
}

// knowledgeRoutes registers the seat's knowledge base.
func (s *Server) knowledgeRoutes() {
	s.authed("GET /api/v1/knowledge", s.searchKnowledge)
	s.authed("POST /api/v1/knowledge", create("/api/v1/knowledge/", func(k domain.Knowledge) int64 { return k.ID }, s.createKnowledge))
	s.authed("PUT /api/v1/knowledge/{id}", writeID("knowledge entry", http.StatusOK, s.putKnowledge))
}
