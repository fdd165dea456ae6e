package api

import (
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/transport"
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

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, _ domain.User) {
	us, err := s.svc.Store().Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"users": us})
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, _ domain.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, domain.Errorf(domain.ENOTFOUND, "no user %q", r.PathValue("id")))
		return
	}
	u, err := s.svc.Store().User(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, u)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, _ domain.User) {
	var b userBody
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	s.saveUser(w, r, b, s.svc.CreateUser, http.StatusCreated)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, _ domain.User) {
	var b userBody
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	old, err := s.svc.Store().User(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if b.Login != "" && b.Login != old.Login {
		s.error(w, r, domain.Errorf(domain.EINVALID, "a login cannot be renamed"))
		return
	}
	b.Login = old.Login
	s.saveUser(w, r, b, s.svc.AddUser, http.StatusOK)
}

func (s *Server) saveUser(w http.ResponseWriter, r *http.Request, b userBody, save func(context.Context, domain.User, string) (domain.User, error), status int) {
	if len(b.Grants) == 0 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "a user needs at least one grant {role, region, org}"))
		return
	}
	u, err := save(r.Context(), domain.User{Login: b.Login, Name: b.Name, Phone: b.Phone, Grants: b.Grants, Disabled: b.Disabled, Lang: b.Lang}, b.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, status, u)
}

func (s *Server) listLinkages(w http.ResponseWriter, r *http.Request, u domain.User) {
	if !u.Has(domain.RoleAdmin) && !u.Has(domain.RoleLeader) && !u.Has(domain.RoleDispatcher) {
		s.error(w, r, domain.Errorf(domain.EFORBIDDEN, "linkages are for administrators, leaders and dispatchers"))
		return
	}
	ls, err := s.svc.Store().Linkages(r.Context(), r.URL.Query().Get("kind"), r.URL.Query().Get("target"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"linkages": ls})
}

func (s *Server) createLinkage(w http.ResponseWriter, r *http.Request, _ domain.User) {
	s.saveLinkage(w, r, 0, http.StatusCreated)
}

func (s *Server) updateLinkage(w http.ResponseWriter, r *http.Request, _ domain.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, domain.Errorf(domain.ENOTFOUND, "no linkage %q", r.PathValue("id")))
		return
	}
	s.saveLinkage(w, r, id, http.StatusOK)
}

func (s *Server) saveLinkage(w http.ResponseWriter, r *http.Request, id int64, status int) {
	var l domain.Linkage
	if err := transport.Decode(w, r, &l); err != nil {
		s.error(w, r, err)
		return
	}
	l.ID = id
	l, err := s.svc.Store().PutLinkage(r.Context(), l)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, status, l)
}
