package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// A backup taken from a live database restores to the same cases, events and statistics.
func TestBackupRestores(t *testing.T) {
	svc, _, _ := whistletest.Demo(t, 300)
	db := whistletest.StoreOf(svc)
	path := filepath.Join(t.TempDir(), "backup")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, path); err == nil {
		t.Fatal("a second backup to the same file overwrote it")
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v, want 0600", st, err)
	}
	restored := whistletest.Empty(t, db.DSN)
	if err := store.Restore(ctx, path, restored, false); err != nil {
		t.Fatal(err)
	}
	if err := store.Restore(ctx, path, restored, false); err == nil {
		t.Fatal("a restore replaced a database without force")
	}
	back, err := store.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	raw1, raw2 := raw(t, db), raw(t, back)
	for _, table := range []string{"cases", "case_events", "case_orgs", "deadlines", "case_rollup", "users", "regions", "matters", "calendar_days"} {
		a, b := count(t, raw1, `SELECT COUNT(*) FROM `+table), count(t, raw2, `SELECT COUNT(*) FROM `+table)
		if a != b || a == 0 {
			t.Errorf("%s: %d rows live, %d restored", table, a, b)
		}
	}
	q := domain.StatsQuery{Region: demo.Street, From: "2025-01-01", To: "2026-12-31", By: "org"}
	s1, err1 := db.Stats(ctx, q)
	s2, err2 := back.Stats(ctx, q)
	if err1 != nil || err2 != nil || len(s1) != len(s2) {
		t.Fatalf("stats: %v %v, %d vs %d rows", err1, err2, len(s1), len(s2))
	}
	for i := range s1 {
		if s1[i].Received != s2[i].Received || s1[i].Closed != s2[i].Closed || s1[i].Overdue != s2[i].Overdue {
			t.Errorf("stats row %s differs after restore: %+v vs %+v", s1[i].Group, s1[i], s2[i])
		}
	}
}
