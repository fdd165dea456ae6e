package api

import (
	"context"
	"net/http"

	"whistle/domain"
	"whistle/service"
)

// messageRoutes registers a user's outbound message preferences and the installation's
// channels (issue 21).
func (s *Server) messageRoutes() {
	s.authed("GET /api/v1/me/notifications", get(s.svc.MessagePrefs))
	s.authed("PUT /api/v1/me/notifications", write(http.StatusOK, s.putMessagePrefs))
	s.admin("GET /api/v1/settings/messages", get(s.svc.MessageSettings))
	s.admin("PUT /api/v1/settings/messages", write(http.StatusOK, s.putMessageSettings))
}

func (s *Server) putMessagePrefs(ctx context.Context, u domain.User, p domain.MessagePrefs) (domain.MessagePrefs, error) {
	if err := s.svc.SetMessagePrefs(ctx, u, p); err != nil {
		return domain.MessagePrefs{}, err
	}
	return s.svc.MessagePrefs(ctx, u)
}

func (s *Server) putMessageSettings(ctx context.Context, u domain.User, in service.MessageSettings) (service.MessageSettings, error) {
	if err := s.svc.SetMessageSettings(ctx, u, in); err != nil {
		return service.MessageSettings{}, err
	}
	return s.svc.MessageSettings(ctx, u)
}

// followingBody says whether the user follows a case.
type followingBody struct {
	Following bool `json:"following"`
}

// followRoutes let anyone who sees a case follow its progress.
func (s *Server) followRoutes() {
	s.authed("GET /api/v1/cases/{id}/follow", byID("case", func(ctx context.Context, u domain.User, id int64) (followingBody, error) {
		on, err := s.svc.FollowingCase(ctx, u, id)
		return followingBody{on}, err
	}))
	for _, m := range []struct {
		method string
		on     bool
	}{{"PUT", true}, {"DELETE", false}} {
		s.authed(m.method+" /api/v1/cases/{id}/follow", byID("case", func(ctx context.Context, u domain.User, id int64) (followingBody, error) {
			return followingBody{m.on}, s.svc.FollowCase(ctx, u, id, m.on)
		}))
	}
}

// areaFollowRoutes let leaders, dispatchers and administrators follow a region in
// their scope, or a matter in it (TestAreaFollowersHearOfNewAndLateCases).
func (s *Server) areaFollowRoutes() {
	s.authed("GET /api/v1/me/follows", list("follows", s.svc.AreaFollows))
	s.authed("PUT /api/v1/me/follows", write(http.StatusOK, keyed("follows", func(ctx context.Context, u domain.User, f domain.AreaFollow) ([]domain.AreaFollow, error) {
		if err := s.svc.FollowArea(ctx, u, f, true); err != nil {
			return nil, err
		}
		return s.svc.AreaFollows(ctx, u)
	})))
	s.authed("DELETE /api/v1/me/follows", func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		q := r.URL.Query()
		if q.Get("region") == "" {
			return domain.Invalidf("area.region", "region: the region code to stop following")
		}
		if err := s.svc.FollowArea(r.Context(), u, domain.AreaFollow{Region: q.Get("region"), Matter: q.Get("matter")}, false); err != nil {
			return err
		}
		fs, err := s.svc.AreaFollows(r.Context(), u)
		return reply(w, http.StatusOK, map[string]any{"follows": fs}, err)
	})
}
