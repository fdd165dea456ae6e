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

// TestBackfillStatusCounters checks migration 0044's Go step: on a rollup whose counters
// of the open statuses were emptied (some cells waiting in rollup_pending), it fills
// them back to the cases in each status now, in the cells a list's total reads.
func TestBackfillStatusCounters(t *testing.T) {
	t.Parallel()
	db, _, cases := demoCases(t, 600)
	r := raw(t, db)
	want := map[domain.Status]int{}
	for _, c := range cases {
		want[c.Status]++
	}
	overdue := 0
	for _, c := range cases {
		if c.Overdue() {
			overdue++
		}
	}
	want["overdue now"] = overdue
	totals := func() map[domain.Status]int64 {
		got := map[domain.Status]int64{}
		n, err := db.RollupTotal(ctx, domain.RollupTotal{Region: demo.Street, Counters: []string{"overdue_now"}})
		if err != nil {
			t.Fatal(err)
		}
		got["overdue now"] = n
		for _, st := range domain.OpenStatuses {
			n, err := db.RollupTotal(ctx, domain.RollupTotal{Region: demo.Street, Counters: []string{"st_" + string(st)}})
			if err != nil {
				t.Fatal(err)
			}
			got[st] = n
		}
		return got
	}
	stats := func() [][]domain.Stats { // every cell's counters, the status counters too
		var out [][]domain.Stats
		for _, by := range []string{"", "org", "matter", "channel", "region"} {
			for _, region := range []string{"", "43", demo.Street, "431382001001"} {
				st, err := db.Stats(ctx, domain.StatsQuery{Region: region, By: by, From: "2000-01", To: "2100-12"})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, st)
			}
		}
		return out
	}
	before, beforeStats := totals(), stats()
	open := 0
	for _, st := range append(domain.OpenStatuses[:], "overdue now") {
		if before[st] != int64(want[st]) {
			t.Errorf("%s: the rollup has %d, the cases %d", st, before[st], want[st])
		}
		open += want[st]
	}
	if open == 0 || len(want) < 4 || overdue == 0 {
		t.Fatalf("the demo's statuses %v: nothing to check", want)
	}
	exec := func(q string) {
		if _, err := r.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.FoldRollup(ctx); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO rollup_pending SELECT * FROM case_rollup WHERE dim = 'channel'`)
	exec(`DELETE FROM case_rollup WHERE dim = 'channel'`)
	for _, table := range []string{"case_rollup", "rollup_pending"} {
		exec(`UPDATE ` + table + ` SET st_reported = 0, st_accepted = 0, st_dispatched = 0, st_acknowledged = 0, st_in_progress = 0,
			st_resolved = 0, st_verified = 0, st_returned = 0, st_suspended = 0, overdue_now = 0`)
	}
	if err := store.Backfill44(ctx, db); err != nil {
		t.Fatal(err)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM rollup_pending`); n != 0 {
		t.Errorf("%d changes still waiting after the step", n)
	}
	if after := totals(); !reflect.DeepEqual(before, after) {
		t.Errorf("the street's status totals after the backfill %v, before %v", after, before)
	}
	if after := stats(); !reflect.DeepEqual(beforeStats, after) {
		t.Errorf("statistics after the backfill differ:\n before %+v\n after  %+v", beforeStats, after)
	}
	channel := string(cases[0].Channel)
	n, err := db.RollupTotal(ctx, domain.RollupTotal{Region: demo.Street, Dim: "channel", Value: channel,
		Counters: []string{"st_reported", "st_accepted", "st_dispatched", "st_acknowledged", "st_in_progress", "st_resolved",
			"st_verified", "st_returned", "st_suspended", "closed", "rejected", "merged"}})
	all, err2 := db.RollupTotal(ctx, domain.RollupTotal{Region: demo.Street, Dim: "channel", Value: channel, Counters: []string{"received"}})
	if err != nil || err2 != nil || n != all || n == 0 {
		t.Errorf("a channel's cells: %d in the statuses' counters, %d received (%v %v)", n, all, err, err2)
	}
}
