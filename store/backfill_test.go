package store_test

import (
	"reflect"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
)

// TestBackfillReworkExtended checks migration 0037 on the demo's history (which sends
// cases back and extends deadlines): its SQL gives each case the count of its reopen
// events, as the fold does, and its Go step, run on a rollup whose reworked and
// extended counters were emptied (changes still waiting in rollup_pending too), fills
// them back to what the cases give, in every cell a statistic reads.
func TestBackfillReworkExtended(t *testing.T) {
	t.Parallel()
	db, _, cases := demoCases(t, 600)
	r := raw(t, db)
	var reworked, extended int
	for _, c := range cases {
		_, tally := c.Rollup()
		reworked += int(tally.Reworked)
		extended += int(tally.Extended)
	}
	if reworked == 0 || extended == 0 {
		t.Fatalf("the demo has %d reworked and %d extended cases: nothing to check", reworked, extended)
	}
	exec := func(q string) {
		if _, err := r.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE cases SET reopens = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.id AND e.action = 'reopen')`)
	for _, c := range cases {
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reopens != domain.Fold(c.ID, c.Events).Reopens {
			t.Errorf("case %d: %d reopens from its events, the fold says %d", c.ID, got.Reopens, c.Reopens)
		}
	}
	queries := []domain.StatsQuery{{Region: demo.Street, By: "org"}, {Region: demo.Street, By: "region"}, {Region: demo.Street, By: "matter"},
		{Region: "431382001001", By: ""}, {Region: "431382001001", By: "region"}}
	read := func() [][]domain.Stats {
		var out [][]domain.Stats
		for _, q := range queries {
			q.From, q.To = "2000-01", "2100-12"
			st, err := db.Stats(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, st)
		}
		return out
	}
	before := read()
	// the cells by org wait in rollup_pending instead (statistics read both): the step
	// folds them back before it adds to them
	if err := db.FoldRollup(ctx); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO rollup_pending SELECT * FROM case_rollup WHERE dim = 'org'`)
	exec(`DELETE FROM case_rollup WHERE dim = 'org'`)
	if !reflect.DeepEqual(before, read()) {
		t.Fatal("moving cells to rollup_pending changed the statistics")
	}
	exec(`UPDATE case_rollup SET reworked = 0, extended = 0`)
	exec(`UPDATE rollup_pending SET reworked = 0, extended = 0`)
	if got := count(t, r, `SELECT COUNT(*) FROM case_rollup WHERE reworked <> 0 OR extended <> 0`); got != 0 {
		t.Fatalf("%d cells still count", got)
	}
	if err := store.Backfill37(ctx, db); err != nil {
		t.Fatal(err)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM rollup_pending`); n != 0 {
		t.Errorf("%d changes still waiting after the step", n)
	}
	after := read()
	if !reflect.DeepEqual(before, after) {
		t.Errorf("statistics after the backfill differ:\n before %+v\n after  %+v", before, after)
	}
	if got := count(t, r, `SELECT COALESCE(SUM(reworked), 0) FROM case_rollup WHERE dim = '' AND depth = 0`); got != reworked {
		t.Errorf("country cell: %d reworked, want %d", got, reworked)
	}
}
