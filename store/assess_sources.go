package store

import (
	"context"
	"time"

	"whistle/domain"
)

// The figures of the 考核 sources kept outside the rollup, each counted in the
// database by assessee: a numerator and a volume ([2]int64) per region code cut to
// depth, or per org when depth is 0. Each reads one region's rows of one period.

// AssessHazards counts the hazards under region whose rectification deadline falls in
// (from, to] (a deadline is the end of its day, so the last day's is to; rejected and merged ones aside) and those of them resolved by it, by the
// hazard's region cut to depth or, depth 0, by its responsible org (the lead org when
// none is named). A hazard case without terms of its own (no hazards row) has no
// deadline to keep and is not counted.
func (db *DB) AssessHazards(ctx context.Context, region string, depth int, from, to time.Time) (map[string][2]int64, error) {
	lo, hi := domain.SubtreeRange(region)
	key := `substr(c.region, 1, ?)`
	args := []any{depth}
	if depth == 0 {
		key, args = `CASE WHEN h.org <> '' THEN h.org ELSE COALESCE(c.lead_org, '') END`, nil
	}
	args = append(args, from.Unix(), to.Unix(), lo, hi)
	return db.assessCounts(ctx, `SELECT `+key+`, SUM(CASE WHEN c.resolved_at IS NOT NULL AND c.resolved_at <= h.deadline THEN 1 ELSE 0 END), COUNT(*)
		FROM hazards h JOIN cases c ON c.id = h.case_id
		WHERE h.deadline > ? AND h.deadline <= ? AND c.region >= ? AND c.region < ? AND c.status NOT IN ('rejected', 'merged')
		GROUP BY 1`, args...)
}

// AssessVisits counts the monitoring visits under region due on the days from to to
// (YYYY-MM-DD, inclusive) and those of them done by to, by the subject's region cut
// to depth.
func (db *DB) AssessVisits(ctx context.Context, region string, depth int, from, to string) (map[string][2]int64, error) {
	lo, hi := domain.SubtreeRange(region)
	return db.assessCounts(ctx, `SELECT substr(region, 1, ?), SUM(CASE WHEN status = 'done' AND day <= ? THEN 1 ELSE 0 END), COUNT(*)
		FROM visits WHERE due >= ? AND due <= ? AND region >= ? AND region < ? GROUP BY 1`, depth, to, from, to, lo, hi)
}

// AssessLiaison counts the problems liaison cadres collected from enterprises under
// region in [from, to) (filed as cases then; rejected and merged ones aside) and those
// of them closed, by the enterprise's region cut to depth.
func (db *DB) AssessLiaison(ctx context.Context, region string, depth int, from, to time.Time) (map[string][2]int64, error) {
	lo, hi := domain.SubtreeRange(region)
	return db.assessCounts(ctx, `SELECT substr(e.region, 1, ?), SUM(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END), COUNT(*)
		FROM enterprise_cases ec JOIN cases c ON c.id = ec.case_id JOIN enterprises e ON e.id = ec.enterprise_id
		WHERE ec.source = 'liaison' AND c.status NOT IN ('rejected', 'merged') AND c.created_at >= ? AND c.created_at < ?
		AND e.region >= ? AND e.region < ? GROUP BY 1`, depth, from.Unix(), to.Unix(), lo, hi)
}

// assessCounts reads rows of key, numerator, volume.
func (db *DB) assessCounts(ctx context.Context, q string, args ...any) (map[string][2]int64, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var k string
		var num, vol int64
		if err := rows.Scan(&k, &num, &vol); err != nil {
			return nil, err
		}
		v := out[k]
		out[k] = [2]int64{v[0] + num, v[1] + vol}
	}
	return out, rows.Err()
}
