package api

import (
	"net/http"

	"whistle/domain"
	"whistle/transport"
)

// loginBody is what a client signs in with.
type loginBody struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var b loginBody
	if err := transport.Decode(w, r, &b); err != nil {
		return err
	}
	if b.Login == "" || b.Password == "" || len(b.Login) > 64 || len(b.Password) > 256 {
		return domain.Errorf(domain.EINVALID, "login and password are required")
	}
	token, expires, u, err := s.svc.Login(r.Context(), transport.ClientAddr(r), b.Login, b.Password)
	return reply(w, http.StatusOK, map[string]any{"token": token, "expires_at": expires, "user": u}, err)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ domain.User) error {
	token, _ := bearer(r)
	return noContent(w, s.svc.Logout(r.Context(), token))
}
