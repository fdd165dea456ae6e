package service

import (
	"context"
	"time"

	"whistle/domain"
)

// HazardMapPoints is the most hazards the ledger's map draws one by one; past it the
// map counts them per grid.
const HazardMapPoints = 300

// HazardMapGrids is the most grids a hazard map reads (a street's or a town's few
// hundred); a county's ledger has none: its streets have theirs.
const HazardMapGrids = 1800

// HazardMap is the hazard ledger's map: the grids of its region and the hazards found
// in them, as points, or, past HazardMapPoints, counted per grid (PerGrid).
type HazardMap struct {
	Region  string
	Grids   []domain.Region
	Points  []domain.HazardPoint
	PerGrid map[string]GridHazards // when the points are too many to draw, by grid
}

// GridHazards counts a grid's hazards on the map: found, major, overdue, rectified.
type GridHazards struct{ Found, Major, Overdue, Rectified int }

// HazardMap reads the hazards found under region in [from, to) for its map, whoever
// may read the ledger: at most HazardMapPoints points (one bounded read of the ledger's
// index), or past them the ledger's counts per grid. A region above a street has no map.
func (s *Service) HazardMap(ctx context.Context, u domain.User, region string, from, to time.Time) (HazardMap, error) {
	region, err := LedgerRegion(u, region)
	if err != nil || len(region) < 9 {
		return HazardMap{Region: region}, err
	}
	m := HazardMap{Region: region}
	if m.Grids, err = s.db.Grids(ctx, region); err != nil || len(m.Grids) > HazardMapGrids {
		return HazardMap{Region: region}, err
	}
	if m.Points, err = s.db.HazardPoints(ctx, region, from, to, s.now(), HazardMapPoints+1); err != nil || len(m.Points) <= HazardMapPoints {
		return m, err
	}
	m.Points = nil
	cells, err := s.db.HazardLedger(ctx, region, 15, from, to, s.now())
	if err != nil {
		return m, err
	}
	m.PerGrid = map[string]GridHazards{}
	for _, c := range cells {
		if domain.HazardVoid(c.Status) {
			continue
		}
		g := m.PerGrid[c.Region]
		g.Found += c.N
		if c.Level == domain.HazardMajor {
			g.Major += c.N
		}
		if c.Overdue {
			g.Overdue += c.N
		}
		if domain.HazardRectified(c.Status) {
			g.Rectified += c.N
		}
		m.PerGrid[c.Region] = g
	}
	return m, nil
}
