package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"whistle/store"
)

var ctx = context.Background()

// scratch is the process's scratch directory: fresh databases that do not outlive the run.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "whistle-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	closeFixtures()
	os.RemoveAll(dir)
	os.Exit(code)
}

// latencies collects one duration per operation and reports percentiles.
type latencies []time.Duration

// time runs f and records how long it took.
func (l *latencies) time(f func() error) error {
	t0 := time.Now()
	err := f()
	*l = append(*l, time.Since(t0))
	return err
}

// pct tells the p-th percentile (nearest rank).
func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// reportMs reports p50 and p99 in milliseconds.
func (l latencies) reportMs(b *testing.B) {
	b.ReportMetric(float64(l.pct(50))/1e6, "p50-ms")
	b.ReportMetric(float64(l.pct(99))/1e6, "p99-ms")
}

// reportUs reports p50 and p99 in microseconds.
func (l latencies) reportUs(b *testing.B) {
	b.ReportMetric(float64(l.pct(50))/1e3, "p50-µs")
	b.ReportMetric(float64(l.pct(99))/1e3, "p99-µs")
}

// openRaw opens the database at dsn with database/sql directly: a SQLite file with the
// store's own settings (store.OpenSQLite) as one writer connection, or PostgreSQL.
func openRaw(dsn string) (*sql.DB, error) {
	if store.IsPostgres(dsn) {
		return sql.Open("pgx", dsn)
	}
	d, err := store.OpenSQLite(dsn, false)
	if err != nil {
		return nil, err
	}
	d.SetMaxOpenConns(1)
	return d, nil
}

// count runs a COUNT query (with ? placeholders) on the fixture's database.
func count(f *fixture, query string, args ...any) (int64, error) {
	d, err := openRaw(f.dsn)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var n int64
	err = d.QueryRowContext(ctx, f.db.Rebind(query), args...).Scan(&n)
	return n, err
}

// sizeMB tells the size of the fixture's database (a SQLite file with its WAL, or the
// PostgreSQL schema's tables and indexes), in MB.
func sizeMB(f *fixture) float64 {
	if store.IsPostgres(f.dsn) {
		n, _ := count(f, `SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`)
		return float64(n) / (1 << 20)
	}
	var n int64
	for _, p := range []string{f.dsn, f.dsn + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return float64(n) / (1 << 20)
}

// TestLatencies holds the percentile helper to its definition; it is the only test
// here, so `go test ./bench` stays quick.
func TestLatencies(t *testing.T) {
	var l latencies
	for i := 100; i >= 1; i-- {
		l = append(l, time.Duration(i))
	}
	if l.pct(50) != 50 || l.pct(99) != 99 || l.pct(100) != 100 || l.pct(0) != 1 {
		t.Fatalf("p50 %d p99 %d p100 %d p0 %d", l.pct(50), l.pct(99), l.pct(100), l.pct(0))
	}
}
