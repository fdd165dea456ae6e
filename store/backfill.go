package store

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

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
	return addReworkedExtended(tx, sums)
}

// backfill44 fills the rollup's counters of the open statuses and of the cases flagged
// overdue now (migration 0044) from the cases. A third of all cases may be flagged,
// touching nearly every cell: summed in Go, as backfill37 sums its few cases, 1M cases
// took 109 s and 736 MB. So the database sums them: each case's month and counts go to
// a table of their own (backfill44, dropped after), then each level of the rollup's
// cells is summed from it and added in one statement. The months are the China months
// spanning the cases, given as bounds of created_at, which both engines' SQL compare.
func backfill44(tx *Tx) error {
	if err := tx.foldRollupAsIs(); err != nil {
		return err
	}
	months, margs, err := caseMonths(tx)
	if err != nil || months == "" {
		return err
	}
	open := domain.OpenStatuses
	counts := make([]string, 0, len(open)+1)
	cols := make([]string, 0, len(open)+1)
	for _, st := range open {
		counts = append(counts, fmt.Sprintf("CASE WHEN c.status = '%s' THEN 1 ELSE 0 END AS st_%[1]s", st))
		cols = append(cols, "st_"+string(st))
	}
	counts = append(counts, "c.overdue AS overdue_now")
	cols = append(cols, "overdue_now")
	if err := tx.execText(`CREATE TABLE backfill44 (region TEXT, lead_org TEXT, matter TEXT, channel TEXT, month TEXT, ` +
		strings.Join(cols, " BIGINT, ") + ` BIGINT)`); err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO backfill44 SELECT c.region, c.lead_org, c.matter, c.channel, m.month, `+strings.Join(counts, ", ")+`
		FROM cases c JOIN (`+months+`) m ON c.created_at >= m.lo AND c.created_at < m.hi
		WHERE c.status IN (?`+strings.Repeat(", ?", len(open)-1)+`) OR c.overdue = 1`, append(margs, anySlice(open[:])...)...); err != nil {
		return err
	}
	set, sums := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		set[i] = fmt.Sprintf("%s = case_rollup.%[1]s + v.%[1]s", c)
		sums[i] = fmt.Sprintf("CAST(SUM(%s) AS BIGINT) AS %[1]s", c)
	}
	for _, d := range domain.CellDepths() {
		for _, dim := range append([]string{""}, domain.RollupDims()...) {
			if dim != "" && d > domain.DimDepth {
				continue
			}
			// the value grouped by, and selected: PostgreSQL groups by no constant
			group, value := map[string]string{"": "", "org": ", lead_org", "matter": ", matter", "channel": ", channel"}[dim], "''"
			if group != "" {
				value = group[2:]
			}
			if _, err := tx.exec(fmt.Sprintf(`UPDATE case_rollup SET %s
				FROM (SELECT substr(region, 1, %d) AS region, month, %s AS value, %s FROM backfill44
					WHERE length(region) >= %[2]d GROUP BY substr(region, 1, %[2]d), month%[5]s) AS v
				WHERE case_rollup.dim = ? AND case_rollup.depth = %[2]d AND case_rollup.region = v.region
					AND case_rollup.month = v.month AND case_rollup.value = v.value`,
				strings.Join(set, ", "), d, value, strings.Join(sums, ", "), group), dim); err != nil {
				return err
			}
		}
	}
	return tx.execText(`DROP TABLE backfill44`)
}

// caseMonths writes the China months the cases' created_at spans as a derived table
// (month, lo, hi): "" when there are no cases.
func caseMonths(tx *Tx) (string, []any, error) {
	var lo, hi sql.NullInt64
	if err := tx.queryRow(`SELECT MIN(created_at), MAX(created_at) FROM cases`).Scan(&lo, &hi); err != nil || !lo.Valid {
		return "", nil, err
	}
	var sel []string
	var args []any
	first := fromUnix(lo.Int64).In(domain.China)
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, domain.China); m.Unix() <= hi.Int64; m = m.AddDate(0, 1, 0) {
		sel = append(sel, `SELECT CAST(? AS TEXT) AS month, CAST(? AS BIGINT) AS lo, CAST(? AS BIGINT) AS hi`)
		args = append(args, m.Format("2006-01"), m.Unix(), m.AddDate(0, 1, 0).Unix())
	}
	return strings.Join(sel, " UNION ALL "), args, nil
}

// addReworkedExtended adds each cell's sums to its row of case_rollup, 200 cells a
// statement (UPDATE … FROM a list of the cells, which both engines take).
func addReworkedExtended(tx *Tx, sums map[domain.RollupCell][2]int64) error {
	const batch = 200
	var sel []string
	var args []any
	flush := func() error {
		if len(sel) == 0 {
			return nil
		}
		_, err := tx.exec(`UPDATE case_rollup SET reworked = case_rollup.reworked + v.rw, extended = case_rollup.extended + v.ex
			FROM (`+strings.Join(sel, " UNION ALL ")+`) AS v
			WHERE case_rollup.dim = v.dim AND case_rollup.depth = v.depth AND case_rollup.region = v.region
				AND case_rollup.month = v.month AND case_rollup.value = v.value`, args...)
		sel, args = sel[:0], args[:0]
		return err
	}
	for cell, v := range sums {
		sel = append(sel, `SELECT CAST(? AS TEXT) AS dim, CAST(? AS INTEGER) AS depth, CAST(? AS TEXT) AS region, CAST(? AS TEXT) AS month,
			CAST(? AS TEXT) AS value, CAST(? AS BIGINT) AS rw, CAST(? AS BIGINT) AS ex`)
		args = append(args, cell.Dim, len(cell.Region), cell.Region, cell.Month, cell.Value, v[0], v[1])
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
	rows, err := tx.query(tx.db.eng.columns, "case_rollup")
	if err != nil {
		return err
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
