package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestDuplicateLookupUsesIndex files a case beside a year of history and checks that the
// likely duplicates come from the cell index (the query plan names it) and how long the
// lookup takes.
func TestDuplicateLookupUsesIndex(t *testing.T) {
	n := 5000 // the README's figures were taken with 20,000
	if testing.Short() {
		n = 1000
	}
	svc, users, clock := whistletest.Demo(t, n)
	ctx := context.Background()
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(svc))
	var located, open int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN status IN ('closed','rejected','merged') THEN 0 ELSE 1 END) FROM cases WHERE lat IS NOT NULL`).Scan(&located, &open); err != nil {
		t.Fatal(err)
	}
	// file at the centroid of a busy grid, in the history's last days
	var matter string
	var lat, lon float64
	var last int64
	if err := raw.QueryRowContext(ctx, `SELECT matter, lat, lon, created_at FROM cases WHERE lat IS NOT NULL ORDER BY id DESC LIMIT 1`).Scan(&matter, &lat, &lon, &last); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Unix(last+3600, 0))
	began := time.Now()
	rc, err := svc.FileIntake(ctx, users["demo.dispatcher"], service.Intake{Case: domain.NewCase{Matter: matter, Title: "again", Lat: &lat, Lon: &lon, Channel: "online"}})
	if err != nil {
		t.Fatal(err)
	}
	filed := time.Since(began)
	began = time.Now()
	const rounds = 50
	var dups []domain.Duplicate
	for i := 0; i < rounds; i++ {
		if dups, err = svc.Duplicates(ctx, users["demo.dispatcher"], rc.Case.ID); err != nil {
			t.Fatal(err)
		}
	}
	per := time.Since(began) / rounds
	t.Logf("%s: %d located cases (%d open); filing with the duplicate check %s; lookup %s per call, %d duplicates found",
		whistletest.StoreOf(svc).Engine(), located, open, filed.Round(time.Microsecond), per.Round(time.Microsecond), len(dups))

	// the plan reads the cell index
	plan := ""
	q := `SELECT id FROM cases WHERE matter = ? AND lat IS NOT NULL AND CAST(lat * 200 AS BIGINT) BETWEEN ? AND ?
		AND CAST(lon * 200 AS BIGINT) BETWEEN ? AND ? AND created_at BETWEEN ? AND ? AND status NOT IN ('closed', 'rejected', 'merged')`
	args := []any{matter, int64(lat*200) - 1, int64(lat*200) + 1, int64(lon*200) - 1, int64(lon*200) + 1, last - 3*86400, last + 86400}
	if whistletest.StoreOf(svc).Engine() == "sqlite" {
		rows, err := raw.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan += detail + "\n"
		}
		rows.Close()
	} else {
		conn, err := raw.DB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.QueryContext(ctx, whistletest.StoreOf(svc).Rebind(`EXPLAIN `+q), args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan += line + "\n"
		}
		rows.Close()
	}
	if !strings.Contains(plan, "cases_cell") {
		t.Fatalf("the duplicate lookup does not use the cell index:\n%s", plan)
	}
}

// TestPlace: a point in a polygon goes to the deepest grid holding it; a point in no
// polygon goes to the nearest grid centroid of the community reported; a point in
// another community's polygon is refused; an address goes to the region it names.
func TestPlace(t *testing.T) {
	svc, _, _ := whistletest.Demo(t, 0)
	ctx := context.Background()
	f := func(v float64) *float64 { return &v }
	n := domain.NewCase{Lat: f(27.7015), Lon: f(111.6515)}
	if err := svc.Place(ctx, &n, ""); err != nil || !strings.HasPrefix(n.Region, "431382001001001") {
		t.Fatalf("inside grid 1: %q %v", n.Region, err)
	}
	// west of every mapped polygon, reported in 民光社区
	if _, err := whistletest.StoreOf(svc).Locate(ctx, 27.7015, 111.6490); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("the test point lies in a polygon: %v", err)
	}
	n = domain.NewCase{Lat: f(27.7015), Lon: f(111.6490), Region: "431382001001"}
	if err := svc.Place(ctx, &n, ""); err != nil || len(n.Region) < 15 || !strings.HasPrefix(n.Region, "431382001001") {
		t.Fatalf("nearest grid centroid: %q %v", n.Region, err)
	}
	n = domain.NewCase{Lat: f(27.7015), Lon: f(111.6515), Region: "431382001205"}
	if err := svc.Place(ctx, &n, ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a point in another community: %q %v", n.Region, err)
	}
	n = domain.NewCase{Address: "蓝田街道民光社区3栋门口"}
	if err := svc.Place(ctx, &n, "431382001"); err != nil || n.Region != "431382001001" {
		t.Fatalf("address: %q %v", n.Region, err)
	}
	n = domain.NewCase{Address: "不知道哪里"}
	if err := svc.Place(ctx, &n, "431382001"); err != nil || n.Region != "431382001" {
		t.Fatalf("an address naming nothing stays in the jurisdiction: %q %v", n.Region, err)
	}
}
