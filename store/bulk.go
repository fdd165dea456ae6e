package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"whistle/domain"
)

// MaxCaseID is the highest case id in use, so a generator can number the cases it is
// about to write with RecordNew.
func (db *DB) MaxCaseID(ctx context.Context) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&id)
	return id, err
}

// CaseCounters gives the last case number used on each day (YYYYMMDD) that has cases,
// so a generator can number the cases it is about to write.
func (db *DB) CaseCounters(ctx context.Context) (map[string]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name, value FROM counters WHERE name LIKE 'case:%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		out[strings.TrimPrefix(name, "case:")] = n
	}
	return out, rows.Err()
}

// NewCases is a batch of generated cases made ready for RecordNew away from the write
// transaction (rows built, events encoded, rollup summed), so a generator can prepare
// batches on every core while one writer only inserts.
type NewCases struct {
	rows [][]any
	more caseRows
	roll rollupDeltas
	last map[string]int64 // the highest case number used, per day
}

// PrepareNew prepares new cases with their whole histories: events[i] is the history of
// cases[i], from its intake. Each case comes with its id and number already chosen
// (above MaxCaseID and the day's CaseCounters; a merge may point at a case of the same
// batch).
func PrepareNew(cases []*domain.Case, events [][]domain.Event) (*NewCases, error) {
	if len(cases) != len(events) {
		return nil, fmt.Errorf("prepare new cases: %d cases but %d histories", len(cases), len(events))
	}
	b := &NewCases{rows: make([][]any, len(cases)), last: map[string]int64{}}
	for i, c := range cases {
		day, seq, ok := strings.Cut(c.Number, "-")
		n, err := strconv.ParseInt(seq, 10, 64)
		if !ok || err != nil || day != domain.NumberDay(c.CreatedAt) || c.ID <= 0 {
			return nil, fmt.Errorf("prepare new cases: case %d has number %q for %s", c.ID, c.Number, c.CreatedAt)
		}
		b.last[day] = max(b.last[day], n)
		b.rows[i] = caseRow(c)
		if err := b.more.add(c, events[i]); err != nil {
			return nil, err
		}
		b.roll.add(c, 1)
	}
	return b, nil
}

// RecordNewTables are the tables RecordNew appends to, whose indexes and keys a large
// load sets aside (SetAside).
var RecordNewTables = []string{"cases", "case_events", "case_orgs", "deadlines"}

// RecordNew writes prepared batches, taken from next until it gives nil, in this
// transaction: the rows Record would write for each case, in multi-row statements,
// then the day counters moved past the numbers used; the rollup of all the batches is
// summed and written at commit, so a transaction of many batches updates each cell once. It is how
// generated history is loaded fast.
func (tx *Tx) RecordNew(next func() *NewCases) error {
	if tx.db.eng.lockIDs != "" {
		if _, err := tx.exec(fmt.Sprintf(tx.db.eng.lockIDs, "cases")); err != nil {
			return err
		}
	}
	tx.bulk = true
	roll := &tx.layers[len(tx.layers)-1].deltas
	tx.pend.ids = nil // numbered here, not from the ids this transaction took
	last := map[string]int64{}
	for b := next(); b != nil; b = next() {
		for _, t := range []struct {
			target string
			rows   [][]any
		}{{casesTarget, b.rows}, {caseOrgsTarget, b.more.orgs}, {eventsTarget, b.more.events}, {deadlinesTarget, b.more.deadlines}} {
			if err := tx.insertRows(t.target, "", t.rows); err != nil {
				return err
			}
		}
		roll.merge(&b.roll)
		for day, n := range b.last {
			last[day] = max(last[day], n)
		}
	}
	if tx.db.eng.followIDs != "" {
		if _, err := tx.exec(fmt.Sprintf(tx.db.eng.followIDs, "cases")); err != nil {
			return err
		}
	}
	for day, n := range last {
		if _, err := tx.exec(`INSERT INTO counters (name, value) VALUES (?, ?)`+raiseCounter, "case:"+day, n); err != nil {
			return err
		}
	}
	return nil
}

// Analyze refreshes the planner's statistics of tables, or of the whole database when
// none are named, as a bulk load leaves them describing the database before it:
// PostgreSQL would otherwise think, say, that almost no case is overdue, and plan an
// overdue list badly.
func (db *DB) Analyze(ctx context.Context, tables ...string) error {
	stmts := []string{db.eng.analyze}
	if len(tables) > 0 {
		stmts = nil
		for _, t := range tables {
			stmts = append(stmts, db.eng.analyze+" "+t)
		}
	}
	for _, q := range append(stmts, db.eng.afterAnalyze...) {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
