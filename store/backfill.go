package store

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"whistle/domain"
)

// migrationSteps are the steps a migration takes in Go after its SQL, in its
// transaction: what the two engines' SQL cannot say alike.
var migrationSteps = map[int]func(*Tx) error{37: backfill37, 41: followOutboxIDs, 44: backfill44}

// followOutboxIDs moves the outbox's id counter past the ids migration 0041 kept when
// it rebuilt the table (PostgreSQL's identity is a sequence that copied rows do not
// move; SQLite follows MAX(id) anyway).
func followOutboxIDs(tx *Tx) error {
	if tx.db.eng.followIDs == "" {
		return nil
	}
	return tx.execText(fmt.Sprintf(tx.db.eng.followIDs, "outbox"))
}

// backfill37 fills the rollup's reworked and extended counters (migration 0037) from the
// cases that count in them: only those, a few of all, are read, and each adds 1 to
// the cells its key names, as domain.Case.Rollup would. The changes still waiting in
// rollup_pending are folded first, so every cell a case counts in is a row of
// case_rollup to add to.
func backfill37(tx *Tx) error {
	if err := tx.foldRollupAsIs(); err != nil {
		return err
	}
	rows, err := tx.query(`SELECT region, lead_org, matter, channel, created_at, reopens, resolved_at, extended FROM cases
		WHERE (reopens > 0 AND resolved_at IS NOT NULL) OR extended = 1`)
	if err != nil {
		return err
	}
	// each cell's sum, then the sums a few hundred cells a statement: at 10M cases a
	// statement per case and cell was 17 million round trips on PostgreSQL
	sums := map[domain.RollupCell][2]int64{}
	for rows.Next() {
		var c domain.Case
		var created int64
		var resolved sql.NullInt64
		var extended int
		if err := rows.Scan(&c.Region, &c.LeadOrg, &c.Matter, &c.Channel, &created, &c.Reopens, &resolved, &extended); err != nil {
			rows.Close()
			return err
		}
		c.CreatedAt, c.ResolvedAt, c.Extended = fromUnix(created), timeOrNil(resolved), extended == 1
		k, t := c.Rollup()
		for _, cell := range k.Cells() {
			v := sums[cell]
			sums[cell] = [2]int64{v[0] + t.Reworked, v[1] + t.Extended}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return addToCells(tx, []string{"reworked", "extended"}, sums)
}

// backfill44 fills the rollup's counters of the open statuses and of the cases flagged
// overdue now (migration 0044) from the cases, as backfill37 fills its counters: each
// adds 1 to its status's counter, and to overdue_now when flagged, in the cells its key
// names.
func backfill44(tx *Tx) error {
	if err := tx.foldRollupAsIs(); err != nil {
		return err
	}
	open := domain.OpenStatuses
	rows, err := tx.query(`SELECT region, lead_org, matter, channel, created_at, status, overdue FROM cases
		WHERE status IN (?`+strings.Repeat(", ?", len(open)-1)+`) OR overdue = 1`, anySlice(open[:])...)
	if err != nil {
		return err
	}
	sums := map[domain.RollupCell][]int64{}
	for rows.Next() {
		var c domain.Case
		var created int64
		var overdue int
		if err := rows.Scan(&c.Region, &c.LeadOrg, &c.Matter, &c.Channel, &created, &c.Status, &overdue); err != nil {
			rows.Close()
			return err
		}
		c.CreatedAt = fromUnix(created)
		k, t := c.Rollup()
		for _, cell := range k.Cells() {
			v := sums[cell]
			if v == nil {
				v = make([]int64, len(open)+1)
				sums[cell] = v
			}
			for i, n := range t.InStatus {
				v[i] += n
			}
			v[len(open)] += int64(overdue) // the row's flag: the case's deadlines are not read here
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cols := make([]string, 0, len(open)+1)
	for _, st := range open {
		cols = append(cols, "st_"+string(st))
	}
	return addToCells(tx, append(cols, "overdue_now"), sums)
}

// addToCells adds each cell's sums of the counters cols to its row of case_rollup, 200
// cells a statement (UPDATE … FROM a list of the cells, which both engines take).
func addToCells[S ~[]int64 | ~[2]int64](tx *Tx, cols []string, sums map[domain.RollupCell]S) error {
	const batch = 200
	set, vals := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		set[i] = fmt.Sprintf("%s = case_rollup.%s + v.n%d", c, c, i)
		vals[i] = fmt.Sprintf("CAST(? AS BIGINT) AS n%d", i)
	}
	var sel []string
	var args []any
	flush := func() error {
		if len(sel) == 0 {
			return nil
		}
		_, err := tx.exec(`UPDATE case_rollup SET `+strings.Join(set, ", ")+`
			FROM (`+strings.Join(sel, " UNION ALL ")+`) AS v
			WHERE case_rollup.dim = v.dim AND case_rollup.depth = v.depth AND case_rollup.region = v.region
				AND case_rollup.month = v.month AND case_rollup.value = v.value`, args...)
		sel, args = sel[:0], args[:0]
		return err
	}
	for cell, v := range sums {
		sel = append(sel, `SELECT CAST(? AS TEXT) AS dim, CAST(? AS INTEGER) AS depth, CAST(? AS TEXT) AS region, CAST(? AS TEXT) AS month,
			CAST(? AS TEXT) AS value, `+strings.Join(vals, ", "))
		args = append(args, cell.Dim, len(cell.Region), cell.Region, cell.Month, cell.Value)
		for i := range cols {
			args = append(args, v[i])
		}
		if len(sel) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// foldRollupAsIs folds rollup_pending into case_rollup (as foldRollup) with the
// columns the table has now, read from it: a migration's step runs before the later
// migrations add the columns the code names.
func (tx *Tx) foldRollupAsIs() error {
	rows, err := tx.query(`SELECT * FROM case_rollup WHERE 1 = 0`)
	if err != nil {
		return err
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		return err
	}
	key := []string{"dim", "depth", "region", "month", "value"}
	var counters, sums, set []string
	for _, c := range cols {
		if !slices.Contains(key, c) {
			counters = append(counters, c)
			sums = append(sums, "CAST(SUM("+c+") AS BIGINT)")
			set = append(set, c+" = case_rollup."+c+" + excluded."+c)
		}
	}
	target := `case_rollup (` + strings.Join(append(key, counters...), ", ") + `)`
	upsert := ` ON CONFLICT (dim, depth, region, month, value) DO UPDATE SET ` + strings.Join(set, ", ")
	for _, q := range tx.db.eng.foldPending {
		if strings.Contains(q, "%[") {
			q = fmt.Sprintf(q, target, strings.Join(sums, ", "), upsert)
		}
		if err := tx.flushWrite(q); err != nil {
			return err
		}
	}
	return nil
}
