package api

import (
	"net/http"
	"strings"

	"whistle/domain"
	"whistle/transport"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := transport.Decode(w, r, &body); err != nil {
		s.error(w, r, err)
		return
	}
	if body.Login == "" || body.Password == "" || len(body.Login) > 64 || len(body.Password) > 256 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "login and password are required"))
		return
	}
	token, expires, u, err := s.svc.Login(r.Context(), body.Login, body.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"token": token, "expires_at": expires, "user": u})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ domain.User) {
	token := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if err := s.svc.Store().RevokeToken(r.Context(), token); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
