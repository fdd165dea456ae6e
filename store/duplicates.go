package store

import (
	"context"
	"strings"
	"time"

	"whistle/domain"
)

// IndexCase puts a located case into the duplicate index under its cell key, in the
// filing's transaction.
func (tx *Tx) IndexCase(c *domain.Case) error {
	if c.Lat == nil || c.Lon == nil {
		return nil
	}
	_, err := tx.exec(`INSERT INTO case_cells (case_id, matter, cell, created_at) VALUES (?, ?, ?, ?)`,
		c.ID, c.Matter, domain.CellKey(*c.Lat, *c.Lon), c.CreatedAt.Unix())
	return err
}

// Nearby lists the cases of one matter indexed in the given cells and filed between
// from and to. It reads index ranges (matter, cell, created_at), never the cases table
// at large; the caller applies the exact distance and status test.
func (db *DB) Nearby(ctx context.Context, q querier, matter string, cells []string, from, to time.Time) ([]*domain.Case, error) {
	if len(cells) == 0 {
		return nil, nil
	}
	if q == nil {
		q = db.read
	}
	args := []any{matter}
	for _, c := range cells {
		args = append(args, c)
	}
	args = append(args, from.Unix(), to.Unix())
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("c.", caseCols)+` FROM case_cells x JOIN cases c ON c.id = x.case_id
		WHERE x.matter = ? AND x.cell IN (?`+strings.Repeat(", ?", len(cells)-1)+`) AND x.created_at >= ? AND x.created_at <= ?
		ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*domain.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// prefixed writes each column of a list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// PutDuplicates records the likely duplicates found for a new case.
func (tx *Tx) PutDuplicates(caseID int64, dups []domain.Duplicate) error {
	for _, d := range dups {
		if _, err := tx.exec(`INSERT INTO case_duplicates (case_id, of_case, distance_m) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			caseID, d.CaseID, d.Distance); err != nil {
			return err
		}
	}
	return nil
}

// FlaggedDuplicates tells, for each of the cases given, how many likely duplicates were
// found when it was filed, for the dispatcher's queue.
func (db *DB) FlaggedDuplicates(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	for _, id := range ids {
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_duplicates WHERE case_id = ?`, id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			out[id] = n
		}
	}
	return out, nil
}
