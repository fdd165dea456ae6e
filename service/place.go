package service

import (
	"context"

	"whistle/domain"
)

// Place fills a new case's region: a point goes to the deepest grid whose polygon holds
// it (which must lie inside the region reported, if any), else to the nearest grid
// centroid within
// 3 km in the region reported; an address alone goes to the deepest region named in it
// under within. A region given and no better guess leaves the region as given.
func (s *Service) Place(ctx context.Context, n *domain.NewCase, within string) error {
	base := n.Region
	if base == "" {
		base = within
	}
	if n.Lat != nil && n.Lon != nil {
		if !domain.ValidPosition(*n.Lat, *n.Lon) {
			return domain.Errorf(domain.EINVALID, "lat/lon out of range")
		}
		r, err := s.db.Locate(ctx, *n.Lat, *n.Lon)
		switch {
		case err == nil && domain.Within(r.Code, base):
			n.Region = r.Code
			return nil
		case err == nil:
			return domain.Errorf(domain.EINVALID, "the point lies in %s %s, outside region %s", r.Code, r.Name, base)
		case domain.ErrorCode(err) != domain.ENOTFOUND:
			return err
		}
		if base != "" {
			grids, err := s.db.Grids(ctx, base)
			if err != nil {
				return err
			}
			if r, ok := domain.NearestRegion(grids, *n.Lat, *n.Lon, 3000); ok {
				n.Region = r.Code
				return nil
			}
		}
	}
	if n.Region == "" && n.Address != "" && within != "" {
		named, err := s.db.RegionsNamed(ctx, within, n.Address)
		if err != nil {
			return err
		}
		if r, ok := domain.BestNamed(named); ok {
			n.Region = r.Code
			return nil
		}
	}
	if n.Region == "" {
		n.Region = within
	}
	return nil
}
