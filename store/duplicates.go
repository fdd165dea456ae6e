package store

import (
	"context"
	"math"
	"strings"
	"time"

	"whistle/domain"
)

// cellOf is the engine's whole-number cell of a coordinate, as the cases_cell index
// computes it: SQLite's CAST truncates, PostgreSQL's rounds.
func (db *DB) cellOf(v float64) int64 {
	v *= domain.CellsPerDegree
	if db.eng.name == "postgres" {
		return int64(math.Round(v))
	}
	return int64(v)
}

// Nearby lists the open cases of one matter filed between from and to whose cell lies
// within dy, dx cells of the point's own. It reads a range of the cases_cell index
// (matter, cell row, cell column, filing time), never the cases table at large; the
// caller applies the exact distance test. q may be a transaction (nil: the readers).
func (db *DB) Nearby(ctx context.Context, q querier, matter string, lat, lon float64, dy, dx int64, from, to time.Time) ([]*domain.Case, error) {
	if q == nil {
		q = db.read
	}
	cy, cx := db.cellOf(lat), db.cellOf(lon)
	rows, err := q.QueryContext(ctx, `SELECT `+caseCols+` FROM cases
		WHERE matter = ? AND lat IS NOT NULL
			AND CAST(lat * 200 AS BIGINT) BETWEEN ? AND ? AND CAST(lon * 200 AS BIGINT) BETWEEN ? AND ?
			AND created_at BETWEEN ? AND ? AND status NOT IN ('closed', 'rejected', 'merged')
		ORDER BY id`, matter, cy-dy, cy+dy, cx-dx, cx+dx, from.Unix(), to.Unix())
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

// FlaggedDuplicates tells, for each of the cases given (a page of the dispatcher's
// queue), how many likely duplicates were found when it was filed; one query.
func (db *DB) FlaggedDuplicates(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.read.QueryContext(ctx, `SELECT case_id, COUNT(*) FROM case_duplicates WHERE case_id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) GROUP BY case_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
