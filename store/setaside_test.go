package store_test

import (
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// A bulk load's indexes (and on PostgreSQL foreign keys) set aside are gone while it
// runs, recorded, and back after RestoreSetAside, or after the next Open when the load
// was cut short; primary keys and unique constraints stay throughout.
func TestSetAside(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 300)
	db := whistletest.StoreOf(svc)
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
		return count(t, r, `SELECT COUNT(*) FROM set_aside`)
	}
	// 12 indexes on cases (the supervised ones' partial index too), 3 on case_orgs (the
	// assessment's summons by due time too), 1 on deadlines; on PostgreSQL also the keys
	// of cases (matter, region), case_events, case_orgs and deadlines
	want, keys, onCases := 16, 0, 12
	if db.Engine() == "postgres" {
		want, keys, onCases = 21, 5, 14
	}
	foreignKeys := func(db *store.DB) int {
		if db.Engine() != "postgres" {
			return 0
		}
		r := raw(t, db)
		defer r.Close()
		return count(t, r, `SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
			AND conrelid IN ('cases'::regclass, 'case_events'::regclass, 'case_orgs'::regclass, 'deadlines'::regclass)`)
	}
	orphanRefused := func(db *store.DB) bool { // on PostgreSQL, where keys were set aside
		if keys == 0 {
			return true
		}
		r := raw(t, db)
		defer r.Close()
		_, err := r.ExecContext(ctx, `INSERT INTO case_orgs (case_id, org, role, pos) VALUES (999999999, 'none', 'lead', 0)`)
		return err != nil
	}
	secondary := []string{"cases_region", "cases_status", "cases_cell", "cases_hazard_ledger", "case_orgs_pending", "deadlines_due", "cases_supervised"}
	if foreignKeys(db) != keys {
		t.Fatalf("%d foreign keys on the case tables before, want %d", foreignKeys(db), keys)
	}
	n, err := db.SetAside(ctx, store.RecordNewTables...)
	if err != nil {
		t.Fatal(err)
	}
	if n != want || kept(db) != want || foreignKeys(db) != 0 {
		t.Fatalf("set aside %d, %d recorded, %d foreign keys left; want %d, %d, 0", n, kept(db), foreignKeys(db), want, want)
	}
	for _, name := range secondary {
		if present(db, name) {
			t.Errorf("%s still there after SetAside", name)
		}
	}
	// the database answers all the same, only slower
	inHand := domain.CaseFilter{Status: []domain.Status{domain.StatusInProgress}, Region: demo.Street, Limit: 50}
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
	if refused := orphanRefused(back); kept(back) != 0 || foreignKeys(back) != keys || !refused {
		t.Errorf("after Open: %d still recorded as set aside, %d foreign keys (want %d), an orphan refused %v",
			kept(back), foreignKeys(back), keys, refused)
	}
	if again := listAll(t, back, users["demo.dispatcher"], inHand); len(again) != len(all) || len(all) == 0 {
		t.Errorf("dispatched cases: %d with the indexes aside, %d with them back", len(all), len(again))
	}
	if n, err := back.SetAside(ctx, "cases"); err != nil || n != onCases {
		t.Fatalf("cases alone: %d, %v; want %d", n, err, onCases)
	}
	if n, err := back.RestoreSetAside(ctx); err != nil || n != onCases {
		t.Fatalf("restored %d, %v; want %d", n, err, onCases)
	}
	for _, name := range secondary {
		if !present(back, name) {
			t.Errorf("%s not built again by RestoreSetAside", name)
		}
	}
	if foreignKeys(back) != keys {
		t.Errorf("%d foreign keys after RestoreSetAside, want %d", foreignKeys(back), keys)
	}
	if n, err := back.RestoreSetAside(ctx); err != nil || n != 0 {
		t.Errorf("a second RestoreSetAside made %d, %v", n, err)
	}
}
