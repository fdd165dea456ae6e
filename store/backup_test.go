package store_test

import (
	"database/sql"
	"net/url"
	"os/exec"
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
	restored := path
	if db.Engine() == "postgres" {
		restored = restorePostgres(t, db.DSN, path)
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

// restorePostgres restores a pg_dump file into a new database and gives its DSN.
func restorePostgres(t *testing.T, dsn, path string) string {
	t.Helper()
	u, _ := url.Parse(dsn)
	schema := u.Query().Get("search_path")
	name := "restore_" + schema
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, _ := sql.Open("pgx", dsn)
		a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		a.Close()
	})
	target := *u
	target.Path = "/" + name
	q := target.Query()
	q.Del("search_path")
	target.RawQuery = q.Encode()
	if out, err := exec.Command("pg_restore", "--no-owner", "--dbname="+target.String(), path).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v: %s", err, out)
	}
	q.Set("search_path", schema)
	target.RawQuery = q.Encode()
	return target.String()
}
