package api

import (
	"context"
	"net/http"

	"whistle/domain"
)

// governmentBody is the installation's government name, heading the public pages and
// the receipt.
type governmentBody struct {
	Name string `json:"name"`
}

// settingRoutes registers the installation settings that belong to no one feature.
func (s *Server) settingRoutes() {
	s.admin("GET /api/v1/settings/government", get(s.government))
	s.admin("PUT /api/v1/settings/government", write(http.StatusOK, s.putGovernment))
	s.admin("GET /api/v1/settings/map-tiles", get(s.mapTiles))
	s.admin("PUT /api/v1/settings/map-tiles", write(http.StatusOK, s.putMapTiles))
}

// mapTilesBody is the tile server beneath the maps: a URL template, "" for none.
type mapTilesBody struct {
	Template string `json:"template"`
}

func (s *Server) mapTiles(ctx context.Context, _ domain.User) (mapTilesBody, error) {
	t, _, err := s.svc.MapTiles(ctx)
	return mapTilesBody{t}, err
}

func (s *Server) putMapTiles(ctx context.Context, u domain.User, b mapTilesBody) (mapTilesBody, error) {
	if err := s.svc.SetMapTiles(ctx, u, b.Template); err != nil {
		return mapTilesBody{}, err
	}
	return s.mapTiles(ctx, u)
}

func (s *Server) government(ctx context.Context, _ domain.User) (governmentBody, error) {
	name, err := s.svc.Government(ctx)
	return governmentBody{name}, err
}

func (s *Server) putGovernment(ctx context.Context, u domain.User, b governmentBody) (governmentBody, error) {
	if err := s.svc.SetGovernment(ctx, u, b.Name); err != nil {
		return governmentBody{}, err
	}
	return s.government(ctx, u)
}
