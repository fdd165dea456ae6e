package store_test

import (
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// A bulk load's indexes set aside are gone while it runs, recorded, and back after
// RestoreIndexes, or after the next Open when the load was cut short; keys and unique
// constraints stay throughout.
func TestSetAsideIndexes(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 300)
	db := svc.DB
	indexQuery := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?`
	if db.Engine() == "postgres" {
		indexQuery = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`
	}
	present := func(db *store.DB, name string) bool {
		r := raw(t, db)
		defer r.Close()
		return count(t, r, db.Rebind(indexQuery), name) == 1
	}
	kept := func(db *store.DB) int {
		r := raw(t, db)
		defer r.Close()
		return count(t, r, `SELECT COUNT(*) FROM set_aside_indexes`)
	}
	secondary := []string{"cases_region", "cases_status", "cases_cell", "cases_hazard_ledger", "case_orgs_pending", "deadlines_due"}
	n, err := db.SetAsideIndexes(ctx, store.RecordNewTables...)
	if err != nil {
		t.Fatal(err)
	}
	// 11 on cases, 2 on case_orgs, 1 on deadlines; keys and unique constraints are not secondary
	if n != 14 || kept(db) != 14 {
		t.Fatalf("set aside %d indexes, %d recorded; want 14", n, kept(db))
	}
	for _, name := range secondary {
		if present(db, name) {
			t.Errorf("%s still there after SetAsideIndexes", name)
		}
	}
	// the database answers all the same, only slower
	inHand := store.CaseFilter{Status: []domain.Status{domain.StatusInProgress}, Region: demo.Street, Limit: 50}
	all := listAll(t, db, users["demo.dispatcher"], inHand)
	// a cut load: the next Open builds them
	back, err := store.Open(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	for _, name := range secondary {
		if !present(back, name) {
			t.Errorf("%s not built again by Open", name)
		}
	}
	if kept(back) != 0 {
		t.Errorf("%d indexes still recorded as set aside after Open", kept(back))
	}
	if again := listAll(t, back, users["demo.dispatcher"], inHand); len(again) != len(all) || len(all) == 0 {
		t.Errorf("dispatched cases: %d with the indexes aside, %d with them back", len(all), len(again))
	}
	if n, err := back.SetAsideIndexes(ctx, "cases"); err != nil || n != 11 {
		t.Fatalf("cases alone: %d, %v; want 11", n, err)
	}
	if n, err := back.RestoreIndexes(ctx); err != nil || n != 11 {
		t.Fatalf("restored %d, %v; want 11", n, err)
	}
	for _, name := range secondary {
		if !present(back, name) {
			t.Errorf("%s not built again by RestoreIndexes", name)
		}
	}
	if n, err := back.RestoreIndexes(ctx); err != nil || n != 0 {
		t.Errorf("a second RestoreIndexes built %d, %v", n, err)
	}
}
