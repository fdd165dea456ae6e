package store

import (
	"context"

	"whistle/domain"
)

// ProjectFigures are the leaders' figures of the projects in a region, read by a few
// grouped queries (never a project at a time).
type ProjectFigures struct {
	// ByStageTier counts the active and paused projects by stage and tier.
	ByStageTier map[domain.Stage]map[domain.Tier]int
	// Orgs are the departments' items: open, decided, flagged late.
	Orgs []OrgItems
	// Stages are the decided items of each stage: how many, and the sums of the working
	// minutes they took and of their statutory and promised limits in days.
	Stages []StageDays
	// Parks sum the yearly plans and the investment reported in the year, by park.
	Parks  []ParkInvestment
	Months []MonthInvestment
}

// OrgItems counts one department's items.
type OrgItems struct {
	Org                 string
	Open, Decided, Late int
}

// StageDays sums the decided items of one stage.
type StageDays struct {
	Stage                     domain.Stage
	Items                     int
	Minutes, Statutory, Limit int64
}

// ParkInvestment is one park's plan and investment completed in a year.
type ParkInvestment struct {
	Park       string
	Plan, Done domain.Amount
}

// MonthInvestment is the investment completed in one month.
type MonthInvestment struct {
	Month string
	Done  domain.Amount
}

// ProjectFiguresRecount reads the figures of region's subtree from the projects, items
// and reports themselves, as ProjectFigures reads them from their sums: what tests hold
// the sums to, and the benchmark's figure before the sums.
func (db *DB) ProjectFiguresRecount(ctx context.Context, region, year string) (ProjectFigures, error) {
	lo, hi := domain.SubtreeRange(region)
	f := ProjectFigures{ByStageTier: map[domain.Stage]map[domain.Tier]int{}}
	in := `p.region >= ? AND p.region < ?`
	err := db.each(ctx, `SELECT p.stage, p.tier, COUNT(*) FROM projects p WHERE `+in+` AND p.status <> 'stopped' GROUP BY p.stage, p.tier`,
		[]any{lo, hi}, f.addStageTier)
	if err == nil {
		err = db.each(ctx, `SELECT i.org, SUM(CASE WHEN i.decided_at IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN i.decided_at IS NULL THEN 0 ELSE 1 END),
			SUM(CASE WHEN i.late_at IS NULL THEN 0 ELSE 1 END) FROM project_items i JOIN projects p ON p.id = i.project_id
			WHERE `+in+` GROUP BY i.org ORDER BY i.org`, []any{lo, hi}, func(s scanner) error {
			var o OrgItems
			err := s.Scan(&o.Org, &o.Open, &o.Decided, &o.Late)
			f.Orgs = append(f.Orgs, o)
			return err
		})
	}
	if err == nil {
		err = db.each(ctx, `SELECT i.stage, COUNT(*), SUM(i.taken), SUM(i.statutory), SUM(i.limit_days) FROM project_items i
			JOIN projects p ON p.id = i.project_id WHERE `+in+` AND i.taken IS NOT NULL GROUP BY i.stage ORDER BY i.stage`, []any{lo, hi}, func(s scanner) error {
			var d StageDays
			err := s.Scan(&d.Stage, &d.Items, &d.Minutes, &d.Statutory, &d.Limit)
			f.Stages = append(f.Stages, d)
			return err
		})
	}
	if err == nil {
		err = db.each(ctx, `SELECT p.park, SUM(p.year_plan), COALESCE(SUM(g.done), 0) FROM projects p LEFT JOIN
			(SELECT project_id, SUM(amount) AS done FROM project_progress WHERE month >= ? AND month <= ? GROUP BY project_id) g
			ON g.project_id = p.id WHERE `+in+` AND p.status <> 'stopped' GROUP BY p.park ORDER BY p.park`,
			[]any{year + "-01", year + "-12", lo, hi}, func(s scanner) error {
				var pk ParkInvestment
				err := s.Scan(&pk.Park, &pk.Plan, &pk.Done)
				f.Parks = append(f.Parks, pk)
				return err
			})
	}
	if err == nil {
		err = db.each(ctx, `SELECT g.month, SUM(g.amount) FROM project_progress g JOIN projects p ON p.id = g.project_id
			WHERE `+in+` AND g.month >= ? AND g.month <= ? GROUP BY g.month ORDER BY g.month`,
			[]any{lo, hi, year + "-01", year + "-12"}, func(s scanner) error {
				var m MonthInvestment
				err := s.Scan(&m.Month, &m.Done)
				f.Months = append(f.Months, m)
				return err
			})
	}
	return f, err
}

// each runs a read query and hands every row to scan.
func (db *DB) each(ctx context.Context, q string, args []any, scan func(scanner) error) error {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ProjectFigures reads the figures of region's subtree from the sums kept with the
// projects (migration 0018, store/projectsums.go): a range of a few hundred rows
// whatever the number of projects and items. Year (YYYY) chooses the investment reported.
func (db *DB) ProjectFigures(ctx context.Context, region, year string) (ProjectFigures, error) {
	lo, hi := domain.SubtreeRange(region)
	f := ProjectFigures{ByStageTier: map[domain.Stage]map[domain.Tier]int{}}
	in, args := `region >= ? AND region < ?`, []any{lo, hi}
	err := db.each(ctx, `SELECT stage, tier, SUM(projects) FROM project_sums WHERE `+in+` GROUP BY stage, tier HAVING SUM(projects) > 0`,
		args, f.addStageTier)
	if err == nil {
		err = db.each(ctx, `SELECT org, SUM(open_n), SUM(decided_n), SUM(late_n) FROM project_item_sums WHERE `+in+`
			GROUP BY org HAVING SUM(open_n) + SUM(decided_n) > 0 ORDER BY org`, args, func(s scanner) error {
			var o OrgItems
			err := s.Scan(&o.Org, &o.Open, &o.Decided, &o.Late)
			f.Orgs = append(f.Orgs, o)
			return err
		})
	}
	if err == nil {
		err = db.each(ctx, `SELECT stage, SUM(taken_n), SUM(minutes), SUM(statutory), SUM(limit_days) FROM project_item_sums
			WHERE `+in+` GROUP BY stage HAVING SUM(taken_n) > 0 ORDER BY stage`, args, func(s scanner) error {
			var d StageDays
			err := s.Scan(&d.Stage, &d.Items, &d.Minutes, &d.Statutory, &d.Limit)
			f.Stages = append(f.Stages, d)
			return err
		})
	}
	done := map[string]domain.Amount{}
	if err == nil {
		err = db.each(ctx, `SELECT park, SUM(amount) FROM project_month_sums WHERE `+in+` AND stopped = 0 AND month >= ? AND month <= ?
			GROUP BY park`, append(args, year+"-01", year+"-12"), func(s scanner) error {
			var park string
			var d domain.Amount
			err := s.Scan(&park, &d)
			done[park] = d
			return err
		})
	}
	if err == nil {
		err = db.each(ctx, `SELECT park, SUM(year_plan) FROM project_sums WHERE `+in+` GROUP BY park HAVING SUM(projects) > 0 ORDER BY park`,
			args, func(s scanner) error {
				var pk ParkInvestment
				err := s.Scan(&pk.Park, &pk.Plan)
				pk.Done = done[pk.Park]
				f.Parks = append(f.Parks, pk)
				return err
			})
	}
	if err == nil {
		err = db.each(ctx, `SELECT month, SUM(amount) FROM project_month_sums WHERE `+in+` AND month >= ? AND month <= ?
			GROUP BY month HAVING SUM(reports) > 0 ORDER BY month`, append(args, year+"-01", year+"-12"), func(s scanner) error {
			var m MonthInvestment
			err := s.Scan(&m.Month, &m.Done)
			f.Months = append(f.Months, m)
			return err
		})
	}
	return f, err
}

// addStageTier reads one row of projects by stage and tier: stage, tier, count.
func (f *ProjectFigures) addStageTier(s scanner) error {
	var st domain.Stage
	var t domain.Tier
	var n int
	if err := s.Scan(&st, &t, &n); err != nil {
		return err
	}
	if f.ByStageTier[st] == nil {
		f.ByStageTier[st] = map[domain.Tier]int{}
	}
	f.ByStageTier[st][t] = n
	return nil
}
