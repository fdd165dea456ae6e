package store

import (
	"context"
	"time"

	"whistle/domain"
)

// walkPeriod tells whether a walked scope's list reads a period by walking the cases
// newest first rather than by cases_created. The index reads every case of the period
// and sorts them (the province's last 30 days at 1M: 84,000 rows, SQLite 57 ms); the
// walk reads the cases received after the period first, then about a page's worth
// (0.2 ms). The walk wins while those after the period, and a page, are few against the
// period's: after+pageRows < period/4, both as the rollup has them across the country
// (a month's cells shared out by time, the month still running up to now). A period in
// a month that had few cases, or long ago, keeps the index; a count keeps it always (it
// reads every case of the period either way).
func (db *DB) walkPeriod(ctx context.Context, from time.Time, to *time.Time) (bool, error) {
	now := db.Now()
	end := now
	if to != nil && to.Before(now) {
		end = *to
	}
	if !from.Before(end) {
		return false, nil
	}
	cells, args := rollupRead("month, received", `dim = '' AND depth = 0 AND region = '' AND month >= ?`, from.In(domain.China).Format("2006-01"))
	rows, err := db.read.QueryContext(ctx, `SELECT month, CAST(SUM(received) AS BIGINT) FROM `+cells+` GROUP BY month`, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var period, after float64
	for rows.Next() {
		var month string
		var n int64
		if err := rows.Scan(&month, &n); err != nil {
			return false, err
		}
		lo, err := time.ParseInLocation("2006-01", month, domain.China)
		if err != nil {
			return false, err
		}
		hi := lo.AddDate(0, 1, 0)
		if hi.After(now) {
			hi = now
		}
		if !lo.Before(hi) {
			continue
		}
		share := func(a, b time.Time) float64 { // the part of the month's cases in [a, b)
			a, b = domain.Later(a, lo), domain.Earlier(b, hi)
			if !a.Before(b) {
				return 0
			}
			return float64(n) * float64(b.Sub(a)) / float64(hi.Sub(lo))
		}
		period += share(from, end)
		after += share(end, hi)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	return (after+pageRows)*4 < period, nil
}
