package service

import (
	"context"
	"strings"

	"whistle/domain"
)

// MapTilesSetting names the setting that holds the installation's tile server, a URL
// template ("https://tile.example.cn/{z}/{x}/{y}.png"). The maps are drawn from the
// grids' polygons without it; with it, its tiles show beneath them.
const MapTilesSetting = "map_tiles"

// MapTiles reads the tile server's template and its host ("" when none is set). Anyone
// may read it: the public report form's map draws its tiles.
func (s *Service) MapTiles(ctx context.Context) (template, host string, err error) {
	v, err := s.db.Setting(ctx, MapTilesSetting)
	if err != nil || v == "" {
		return "", "", err
	}
	if host, err = domain.TileHost(v); err != nil { // set before the rules: drawn without
		return "", "", nil
	}
	return v, host, nil
}

// SetMapTiles names the tile server (its administrators; audited); "" removes it.
func (s *Service) SetMapTiles(ctx context.Context, u domain.User, template string) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	template = strings.TrimSpace(template)
	if template != "" {
		if _, err := domain.TileHost(template); err != nil {
			return err
		}
	}
	return s.putSetting(ctx, u, MapTilesSetting, template)
}
