package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"whistle/store"
	"whistle/whistletest"
)

// TestGenSetsIndexesAside: a load larger than the database sets the case tables'
// indexes aside and builds them after; a smaller one keeps them; neither leaves any
// recorded as set aside.
func TestGenSetsIndexesAside(t *testing.T) {
	ctx := context.Background()
	dsn := whistletest.DSN(t)
	for _, tc := range []struct {
		cases, total string
		aside        bool
	}{{"400", "400", true}, {"100", "500", false}} {
		var out bytes.Buffer
		if err := run(ctx, []string{"gen", "--db", dsn, "--cases", tc.cases}, nil, &out); err != nil {
			t.Fatal(err)
		}
		said := out.String()
		if aside := strings.Contains(said, "set aside 14 indexes") && strings.Contains(said, "built 14 indexes"); aside != tc.aside {
			t.Errorf("gen --cases %s: indexes set aside and built %v, want %v:\n%s", tc.cases, aside, tc.aside, said)
		}
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		r := whistletest.OpenRaw(t, db)
		var cases, kept, numbers string
		if err := r.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT number), (SELECT COUNT(*) FROM set_aside_indexes) FROM cases`).Scan(&cases, &numbers, &kept); err != nil {
			t.Fatal(err)
		}
		if cases != tc.total || numbers != tc.total || kept != "0" {
			t.Errorf("after gen --cases %s: %s cases, %s numbers, %s indexes still aside; want %s", tc.cases, cases, numbers, kept, tc.total)
		}
		r.Close()
		db.Close()
	}
}
