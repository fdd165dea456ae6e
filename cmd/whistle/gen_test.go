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
// indexes (and on PostgreSQL their foreign keys) aside and makes them again after; a
// smaller one keeps them; neither leaves any recorded as set aside.
func TestGenSetsIndexesAside(t *testing.T) {
	ctx := context.Background()
	dsn := whistletest.DSN(t)
	aside := "16" // 12 indexes on cases, 3 on case_orgs, 1 on deadlines
	if strings.HasPrefix(dsn, "postgres") {
		aside = "21" // and the keys of cases (matter, region), events, orgs and deadlines
	}
	for _, tc := range []struct {
		cases, total string
		aside        bool
	}{{"400", "400", true}, {"100", "500", false}} {
		var out bytes.Buffer
		if err := run(ctx, []string{"gen", "--db", dsn, "--cases", tc.cases}, nil, &out); err != nil {
			t.Fatal(err)
		}
		said := out.String()
		if set := strings.Contains(said, "set aside "+aside+" indexes and keys") && strings.Contains(said, "made "+aside+" indexes and keys again"); set != tc.aside {
			t.Errorf("gen --cases %s: indexes set aside and made again %v, want %v:\n%s", tc.cases, set, tc.aside, said)
		}
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		r := whistletest.OpenRaw(t, db)
		var cases, kept, numbers string
		if err := r.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT number), (SELECT COUNT(*) FROM set_aside) FROM cases`).Scan(&cases, &numbers, &kept); err != nil {
			t.Fatal(err)
		}
		if cases != tc.total || numbers != tc.total || kept != "0" {
			t.Errorf("after gen --cases %s: %s cases, %s numbers, %s indexes still aside; want %s", tc.cases, cases, numbers, kept, tc.total)
		}
		r.Close()
		db.Close()
	}
}
