package api

import (
	"context"
	"net/http"

	"whistle/domain"
)

// userBody is a user as an administrator writes it; password is optional on update.
type userBody struct {
	Login    string         `json:"login"`
	Name     string         `json:"name"`
	Phone    string         `json:"phone"`
	Password string         `json:"password"`
	Grants   []domain.Grant `json:"grants"`
	Disabled bool           `json:"disabled"`
	Lang     string         `json:"lang"`
}

func (s *Server) saveUser(ctx context.Context, by domain.User, id int64, b userBody) (domain.User, error) {
	u := domain.User{Login: b.Login, Name: b.Name, Phone: b.Phone, Grants: b.Grants, Disabled: b.Disabled, Lang: b.Lang}
	return s.svc.SaveUser(ctx, by, id, u, b.Password)
}

func (s *Server) listLinkages(w http.ResponseWriter, r *http.Request, u domain.User) error {
	q := r.URL.Query()
	ls, err := s.svc.Linkages(r.Context(), u, q.Get("kind"), q.Get("target"))
	return reply(w, http.StatusOK, map[string]any{"linkages": ls}, err)
}

func (s *Server) saveLinkage(ctx context.Context, u domain.User, id int64, l domain.Linkage) (domain.Linkage, error) {
	l.ID = id
	return s.svc.PutLinkage(ctx, u, l)
}

// adminRoutes registers users and linkages.
func (s *Server) adminRoutes() {
	s.admin("GET /api/v1/users", list("users", s.svc.Users))
	s.admin("POST /api/v1/users", writeAt(newID, http.StatusCreated, s.saveUser))
	s.admin("GET /api/v1/users/{id}", byID("user", s.svc.User))
	s.admin("PUT /api/v1/users/{id}", writeID("user", http.StatusOK, s.saveUser))
	s.authed("GET /api/v1/linkages", s.listLinkages)
	s.admin("POST /api/v1/linkages", writeAt(newID, http.StatusCreated, s.saveLinkage))
	s.admin("PUT /api/v1/linkages/{id}", writeID("linkage", http.StatusOK, s.saveLinkage))
}
