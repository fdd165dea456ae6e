package store

import (
	"context"

	"whistle/domain"
)

// GridOverdue reads the rollup's grid-level cells under root for the months from..to
// (YYYY-MM): its cost follows grids × months, never the number of cases.
func (db *DB) GridOverdue(ctx context.Context, root, from, to string) ([]domain.GridCell, error) {
	lo, hi := domain.SubtreeRange(root)
	cells, args := rollupRead("region, month, received, overdue, closed, rejected, merged",
		`dim = '' AND depth = 15 AND region >= ? AND region < ? AND month >= ? AND month <= ?`, lo, hi, from, to)
	rows, err := db.read.QueryContext(ctx, `SELECT region, month, CAST(SUM(received) AS BIGINT), CAST(SUM(overdue) AS BIGINT),
		CAST(SUM(received - closed - rejected - merged) AS BIGINT) FROM `+cells+`
		GROUP BY region, month ORDER BY region, month`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.GridCell
	for rows.Next() {
		var c domain.GridCell
		if err := rows.Scan(&c.Region, &c.Month, &c.Received, &c.Overdue, &c.Open); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
