package api

import (
	"net/http"

	"whistle/domain"
)

// stats answers the case statistics of whole months in a region, by group.
func (s *Server) stats(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	rep, err := s.svc.Stats(r.Context(), u, domain.StatsQuery{Region: q.Get("region"), By: q.Get("by"), From: q.Get("from"), To: q.Get("to")})
	return reply(w, http.StatusOK, rep, err)
}
