package store_test

import (
	"testing"

	"whistle/whistletest"
)

// A bulk load ends with the planner's statistics refreshed (the demo's history runs
// Analyze on the case tables): on PostgreSQL the vacuum has counted the rows (whether it
// could mark pages all-visible depends on the other tests' open transactions); on SQLite
// sqlite_stat1 describes the indexes and sqlite_stat4 keeps no samples, with which every
// run of a statement would prepare it again.
func TestAnalyzeAfterLoad(t *testing.T) {
	svc, _, _ := whistletest.Demo(t, 300)
	db := whistletest.StoreOf(svc)
	r := raw(t, db)
	defer r.Close()
	if db.Engine() == "postgres" {
		if n := count(t, r, `SELECT reltuples::int FROM pg_class WHERE oid = 'cases'::regclass`); n != 300 {
			t.Errorf("cases after the demo: the planner counts %d rows, want 300", n)
		}
		return
	}
	if n := count(t, r, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'cases'`); n == 0 {
		t.Error("no statistics of cases' indexes in sqlite_stat1")
	}
	if n := count(t, r, `SELECT COUNT(*) FROM sqlite_stat4`); n != 0 {
		t.Errorf("%d samples left in sqlite_stat4", n)
	}
}
