package service

import (
	"cmp"
	"context"
	"slices"
	"time"

	"whistle/domain"
)

// The leader's dashboard (领导驾驶舱): received and closed per month, 响应率/解决率/满意率
// by region and by department, rankings, and overdue heat by grid, for a region and a
// period of whole months. Every figure comes from Stats and GridOverdue, so it is the
// figure GET /api/v1/stats/cases gives for the same question, read from the rollup: its
// cost follows months × groups, never cases.

// DashboardMonths is the longest period a dashboard covers: its trend reads each month.
const DashboardMonths = 60

// HeatGrids is how many grids the overdue heat map shows: those with most overdue cases.
const HeatGrids = 15

// DashboardData is what the dashboard shows of a region and a period.
type DashboardData struct {
	Region    domain.Region   // Code "" for the whole country (an administrator of it)
	Ancestors []domain.Region // the regions above it within the user's scope, to go up
	Children  []domain.Region
	From, To  string   // YYYY-MM, the first and the last month
	Months    []string // YYYY-MM, From to To
	Total     domain.Stats
	Trend     []domain.Stats // one a month, in Months order
	ByRegion  []domain.Stats // the region's children, named; none below a grid
	ByOrg     []domain.Stats // lead orgs, named, busiest first; cases not dispatched left out
	// Ranking and OrgRanking order ByRegion and ByOrg by resolution rate, then response
	// rate, best first; groups with nothing dispatched come last.
	Ranking, OrgRanking []domain.Stats
	Heat                GridHeat
	Windows             domain.WindowReport // the halls' windows and what they received (大综窗)
}

// GridHeat is the overdue heat map: grids (codes and names, most overdue first) by month.
type GridHeat struct {
	Grids []string
	Names []string
	Cells []HeatCell
	// Every is each grid's received and overdue cases month by month, every grid, not
	// only the HeatGrids shown: the grid map shades them all.
	Every []domain.GridCell
}

// HeatCell is one grid's overdue count in one month, by their places in Grids and Months.
type HeatCell struct {
	Month, Grid int
	Overdue     int64
}

// Dashboard reads the dashboard of region (u's first statistics scope when "") for the
// months from to to (YYYY-MM or days; the last twelve months when empty). Who may read
// which region, and how a period becomes whole months, are the statistics' rules: a
// region outside u's scope does not exist, a malformed period is refused.
func (s *Service) Dashboard(ctx context.Context, u domain.User, region, from, to string) (DashboardData, error) {
	total, err := s.Stats(ctx, u, domain.StatsQuery{Region: region, From: from, To: to})
	if err != nil {
		return DashboardData{}, err
	}
	d := DashboardData{From: total.From[:7], To: total.To[:7]}
	if d.Months, err = monthsBetween(d.From, d.To); err != nil {
		return d, err
	}
	if len(total.Rows) > 0 {
		d.Total = total.Rows[0]
	}
	code := total.Region
	fam, err := s.Family(ctx, code)
	if err != nil {
		return d, err
	}
	d.Region, d.Children = fam.Region, fam.Children
	for _, a := range fam.Ancestors { // going up only as far as the scope reaches
		if _, err := domain.ReportRegion(u, a.Code, "statistics"); err == nil {
			d.Ancestors = append(d.Ancestors, a)
		}
	}
	for _, m := range d.Months {
		month, err := s.Stats(ctx, u, domain.StatsQuery{Region: code, From: m, To: m})
		if err != nil {
			return d, err
		}
		row := domain.Stats{Group: m}
		if len(month.Rows) > 0 {
			row = month.Rows[0]
			row.Group = m
		}
		d.Trend = append(d.Trend, row)
	}
	if n := domain.ChildCodeLength(code); n > 0 && n <= domain.RollupDepth {
		if d.ByRegion, err = s.statsBy(ctx, u, code, d, "region"); err != nil {
			return d, err
		}
	}
	if d.ByOrg, err = s.statsBy(ctx, u, code, d, "org"); err != nil {
		return d, err
	}
	d.Ranking, d.OrgRanking = ranked(d.ByRegion), ranked(d.ByOrg)
	if d.Heat, err = s.gridHeat(ctx, u, code, d.Months); err != nil {
		return d, err
	}
	first, _ := domain.ParseBound(total.From, false)
	end, _ := domain.ParseBound(total.To, true)
	d.Windows, err = s.WindowStats(ctx, u, code, *first, *end)
	return d, err
}

// monthsBetween lists the months from first to last (YYYY-MM), at most DashboardMonths.
func monthsBetween(first, last string) ([]string, error) {
	f, err1 := time.Parse("2006-01", first)
	l, err2 := time.Parse("2006-01", last)
	if err1 != nil || err2 != nil {
		return nil, domain.Errorf(domain.EINVALID, "months %q to %q", first, last)
	}
	var out []string
	for m := f; !m.After(l); m = m.AddDate(0, 1, 0) {
		if len(out) == DashboardMonths {
			return nil, domain.Errorf(domain.EINVALID, "a dashboard covers at most %d months", DashboardMonths)
		}
		out = append(out, m.Format("2006-01"))
	}
	return out, nil
}

// statsBy reads the period's statistics of code by region or org, named; for org, cases
// not dispatched yet (no lead org) are left out and the busiest org comes first.
func (s *Service) statsBy(ctx context.Context, u domain.User, code string, d DashboardData, by string) ([]domain.Stats, error) {
	rep, err := s.Stats(ctx, u, domain.StatsQuery{Region: code, From: d.From, To: d.To, By: by})
	if err != nil || by != "org" {
		return rep.Rows, err
	}
	rows := slices.DeleteFunc(rep.Rows, func(r domain.Stats) bool { return r.Group == "" })
	slices.SortStableFunc(rows, func(a, b domain.Stats) int { return cmp.Compare(b.Received, a.Received) })
	return rows, nil
}

// ranked orders groups by resolution rate, then response rate, best first; groups with
// nothing dispatched (no rate) come last.
func ranked(rows []domain.Stats) []domain.Stats {
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b domain.Stats) int {
		if c := cmp.Compare(val(b.ResolutionRate), val(a.ResolutionRate)); c != 0 {
			return c
		}
		return cmp.Compare(val(b.ResponseRate), val(a.ResponseRate))
	})
	return out
}

// gridHeat reads the overdue heat map under code: the HeatGrids grids with most overdue
// cases in months, and each one's overdue count month by month.
func (s *Service) gridHeat(ctx context.Context, u domain.User, code string, months []string) (GridHeat, error) {
	var h GridHeat
	cells, err := s.GridOverdue(ctx, u, code, months[0], months[len(months)-1])
	if err != nil {
		return h, err
	}
	h.Every = cells
	perGrid := map[string]int64{}
	for _, c := range cells {
		perGrid[c.Region] += c.Overdue
	}
	for g, n := range perGrid {
		if n > 0 {
			h.Grids = append(h.Grids, g)
		}
	}
	slices.SortFunc(h.Grids, func(a, b string) int {
		if c := cmp.Compare(perGrid[b], perGrid[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	h.Grids = h.Grids[:min(len(h.Grids), HeatGrids)]
	names, err := s.db.RegionNames(ctx, h.Grids)
	if err != nil {
		return h, err
	}
	gridIndex, monthIndex := map[string]int{}, map[string]int{}
	for i, g := range h.Grids {
		gridIndex[g] = i
		h.Names = append(h.Names, names[g])
	}
	for i, m := range months {
		monthIndex[m] = i
	}
	for _, c := range cells {
		gi, ok := gridIndex[c.Region]
		if mi, ok2 := monthIndex[c.Month]; ok && ok2 && c.Overdue > 0 {
			h.Cells = append(h.Cells, HeatCell{Month: mi, Grid: gi, Overdue: c.Overdue})
		}
	}
	return h, nil
}
