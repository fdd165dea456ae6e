package store

import (
	"context"
	"fmt"
	"strings"

	"whistle/domain"
)

// rollupCols are the rollup's counter columns: the tally counters, then the two
// duration histograms, in the order rollupValues gives them.
var rollupCols = func() []string {
	cols := append([]string{}, domain.CounterNames...)
	for _, h := range []string{"ack_h", "res_h"} {
		for i := range domain.DurationBuckets {
			cols = append(cols, fmt.Sprintf("%s%d", h, i))
		}
	}
	return cols
}()

var rollupUpsert = func() string {
	set := make([]string, len(rollupCols))
	for i, c := range rollupCols {
		set[i] = c + " = case_rollup." + c + " + excluded." + c
	}
	return `INSERT INTO case_rollup (day, region, org, matter, channel, ` + strings.Join(rollupCols, ", ") + `)
		VALUES (?, ?, ?, ?, ?` + strings.Repeat(", ?", len(rollupCols)) + `)
		ON CONFLICT (day, region, org, matter, channel) DO UPDATE SET ` + strings.Join(set, ", ")
}()

// rollupValues spreads a tally over the rollup columns, times sign.
func rollupValues(t domain.Tally, sign int64) []int64 {
	n := len(domain.DurationBuckets)
	out := make([]int64, len(rollupCols))
	for i, p := range t.Counters() {
		out[i] = *p * sign
	}
	base := len(domain.CounterNames)
	if t.AckBucket >= 0 {
		out[base+t.AckBucket] = sign
	}
	if t.ResolveBucket >= 0 {
		out[base+n+t.ResolveBucket] = sign
	}
	return out
}

// rollup moves a case's contribution from its old tally to its new one.
func (tx *Tx) rollup(before, after *domain.Case) error {
	newKey, newTally := after.Rollup()
	delta := rollupValues(newTally, 1)
	if before != nil {
		oldKey, oldTally := before.Rollup()
		old := rollupValues(oldTally, -1)
		if oldKey == newKey {
			for i := range delta {
				delta[i] += old[i]
			}
		} else if err := tx.addRollup(oldKey, old); err != nil {
			return err
		}
	}
	return tx.addRollup(newKey, delta)
}

func (tx *Tx) addRollup(k domain.RollupKey, values []int64) error {
	zero := true
	for _, v := range values {
		zero = zero && v == 0
	}
	if zero {
		return nil
	}
	args := []any{k.Day, k.Region, k.Org, k.Matter, k.Channel}
	for _, v := range values {
		args = append(args, v)
	}
	_, err := tx.exec(rollupUpsert, args...)
	return err
}

// StatsQuery selects cases received in [From, To] (dates, inclusive) in a region subtree,
// grouped by region (the region's children), org, matter or channel.
type StatsQuery struct {
	Region   string
	From, To string // YYYY-MM-DD
	By       string // region, org, matter, channel, or "" for one total
}

// Stats sums the rollup for a query. Its cost follows the rollup rows of the region and
// period, never the number of cases.
func (db *DB) Stats(ctx context.Context, q StatsQuery) ([]domain.Stats, error) {
	group := `''`
	var groupArgs []any
	switch q.By {
	case "":
	case "region":
		n := domain.ChildCodeLength(q.Region)
		if n == 0 {
			return nil, domain.Errorf(domain.EINVALID, "region %s has no child regions to group by", q.Region)
		}
		group, groupArgs = `substr(region, 1, ?)`, []any{n}
	case "org", "matter", "channel":
		group = q.By
	default:
		return nil, domain.Errorf(domain.EINVALID, "by must be region, org, matter or channel")
	}
	sums := make([]string, len(rollupCols))
	for i, c := range rollupCols {
		sums[i] = "CAST(SUM(" + c + ") AS BIGINT)" // PostgreSQL sums BIGINT as NUMERIC
	}
	lo, hi := domain.SubtreeRange(q.Region)
	args := append(groupArgs, lo, hi, q.From, q.To)
	rows, err := db.read.QueryContext(ctx, `SELECT `+group+` AS g, `+strings.Join(sums, ", ")+`
		FROM case_rollup WHERE region >= ? AND region < ? AND day >= ? AND day <= ? GROUP BY g ORDER BY g`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Stats{}
	for rows.Next() {
		var s domain.Stats
		n := len(domain.DurationBuckets)
		s.AckHist, s.ResolveHist = make([]int64, n), make([]int64, n)
		dest := []any{&s.Group}
		for _, p := range s.Counters() {
			dest = append(dest, p)
		}
		for i := range s.AckHist {
			dest = append(dest, &s.AckHist[i])
		}
		for i := range s.ResolveHist {
			dest = append(dest, &s.ResolveHist[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		s.Finish()
		out = append(out, s)
	}
	return out, rows.Err()
}
