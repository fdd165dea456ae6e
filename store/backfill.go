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
var migrationSteps = map[int]func(*Tx) error{37: backfill37, 41: followOutboxIDs}

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
	type change struct {
		cell               domain.RollupCell
		reworked, extended int64
	}
	var changes []change
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
			changes = append(changes, change{cell, t.Reworked, t.Extended})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, ch := range changes {
		depth := len(ch.cell.Region)
		if _, err := tx.exec(`UPDATE case_rollup SET reworked = reworked + ?, extended = extended + ?
			WHERE dim = ? AND depth = ? AND region = ? AND month = ? AND value = ?`,
			ch.reworked, ch.extended, ch.cell.Dim, depth, ch.cell.Region, ch.cell.Month, ch.cell.Value); err != nil {
			return err
		}
	}
	return nil
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
