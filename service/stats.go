package service

import (
	"context"

	"whistle/domain"
)

// StatsReport is the statistics of the cases received in whole months in a region's
// subtree, one row per group (or one row in all), each row named.
type StatsReport struct {
	Region string         `json:"region"`
	From   string         `json:"from"` // the first day of the first month
	To     string         `json:"to"`   // the last day of the last month
	By     string         `json:"by"`
	Rows   []domain.Stats `json:"rows"`
}

// Stats reads the statistics u may read: leaders, dispatchers and administrators, in
// their own regions (another region does not exist for them); the period is whole
// months, the last twelve when not given.
func (s *Service) Stats(ctx context.Context, u domain.User, q domain.StatsQuery) (StatsReport, error) {
	region, err := domain.ReportRegion(u, q.Region, "statistics")
	if err != nil {
		return StatsReport{}, err
	}
	q.Region = region
	if q.From, q.To, err = domain.StatsMonths(q.From, q.To, s.now()); err != nil {
		return StatsReport{}, err
	}
	rows, err := s.db.Stats(ctx, q)
	if err != nil {
		return StatsReport{}, err
	}
	if err := s.nameGroups(ctx, q.By, rows); err != nil {
		return StatsReport{}, err
	}
	return StatsReport{Region: q.Region, From: q.From, To: q.To, By: q.By, Rows: rows}, nil
}

// nameGroups labels statistic rows with their region, org or matter names.
func (s *Service) nameGroups(ctx context.Context, by string, rows []domain.Stats) error {
	names := map[string]string{}
	switch by {
	case "region":
		codes := make([]string, len(rows))
		for i, row := range rows {
			codes[i] = row.Group
		}
		var err error
		if names, err = s.db.RegionNames(ctx, codes); err != nil {
			return err
		}
	case "org":
		orgs, err := s.db.Orgs(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			names[o.Code] = o.Name
		}
	case "matter":
		ms, err := s.db.Matters(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			names[m.Code] = m.Name
		}
	}
	for i := range rows {
		rows[i].Name = names[rows[i].Group]
	}
	return nil
}

// GridOverdue reads each grid's received and overdue counts month by month under a
// region u may read statistics of, for the overdue heat map.
func (s *Service) GridOverdue(ctx context.Context, u domain.User, region, from, to string) ([]domain.GridCell, error) {
	region, err := domain.ReportRegion(u, region, "statistics")
	if err != nil {
		return nil, err
	}
	if from, to, err = domain.StatsMonths(from, to, s.now()); err != nil {
		return nil, err
	}
	return s.db.GridOverdue(ctx, region, from[:7], to[:7]) // the rollup's months
}
