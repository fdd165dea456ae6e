package store

import (
	"context"
	"database/sql"
	"time"

	"whistle/domain"
)

// Supervisions reads how the supervisions given in [from, to) to the cases of root's
// subtree stand, one row a case (its latest supervision), through the partial index of
// supervised cases.
func (db *DB) Supervisions(ctx context.Context, root string, from, to time.Time) ([]domain.SupervisionRow, error) {
	lo, hi := domain.SubtreeRange(root)
	rows, err := db.read.QueryContext(ctx, `SELECT region, lead_org, resolved_at, sup_due, sup_overdue FROM cases
		WHERE sup_at IS NOT NULL AND sup_at >= ? AND sup_at < ? AND region >= ? AND region < ?`, from.Unix(), to.Unix(), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.SupervisionRow{}
	for rows.Next() {
		var r domain.SupervisionRow
		var resolved sql.NullInt64
		var due int64
		var overdue int
		if err := rows.Scan(&r.Region, &r.Org, &resolved, &due, &overdue); err != nil {
			return nil, err
		}
		r.Resolved, r.Overdue = resolved.Valid, overdue == 1
		r.Met = resolved.Valid && resolved.Int64 <= due
		out = append(out, r)
	}
	return out, rows.Err()
}
