package store_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/whistletest"
)

// Migration 0018 fills the dashboard's sums from the projects a database already
// holds: emptied and filled again by the migration's own statements, they equal a
// recount of the demo's forty projects with their items and reports.
func TestProjectSumsMigrationFillsFromTheRows(t *testing.T) {
	db, _ := whistletest.DB(t)
	if _, err := demo.Load(ctx, db, 0); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile("migrations/0018_project_sums.sql")
	if err != nil {
		t.Fatal(err)
	}
	r := raw(t, db)
	fills := 0
	for _, stmt := range strings.Split(string(body), ";") {
		lines := []string{}
		for _, l := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		stmt = strings.TrimSpace(strings.Join(lines, "\n"))
		if !strings.HasPrefix(stmt, "INSERT INTO") {
			continue
		}
		table := strings.Fields(stmt)[2]
		if _, err := r.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			t.Fatal(err)
		}
		if _, err := r.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		fills++
	}
	if fills != 3 {
		t.Fatalf("%d tables filled, want 3", fills)
	}
	for _, year := range []string{"2025", "2026"} {
		got, err := db.ProjectFigures(ctx, demo.Lukou, year)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.ProjectFiguresRecount(ctx, demo.Lukou, year)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Orgs) == 0 || len(want.Parks) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nsums    %+v\nrecount %+v", year, got, want)
		}
	}
}
