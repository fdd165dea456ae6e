package bench

import (
	"fmt"
	"testing"
	"time"

	"whistle/importer"
)

// BenchmarkImportRegions imports every division of China (provinces to villages,
// ≈665,000 rows) into a fresh database: one op is one whole import, in one
// transaction. Opening and migrating the file are not timed.
func BenchmarkImportRegions(b *testing.B) {
	dir, err := divisionDir()
	if err != nil {
		b.Skipf("SKIPPED, no country data: %v", err)
	}
	var rows int
	var elapsed time.Duration
	for i := range b.N {
		b.StopTimer()
		dsn, err := freshDSN(fmt.Sprintf("country%d_%d", i, time.Now().UnixNano()))
		if err != nil {
			b.Fatal(err)
		}
		f, err := open(dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		n, err := importer.Regions(ctx, f.db, dir, "")
		elapsed += time.Since(t0)
		b.StopTimer()
		f.db.Close()
		if err != nil {
			b.Fatal(err)
		}
		rows = n
	}
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/import")
	b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(rows), "rows")
}

// BenchmarkRegionTree times the tree queries on the whole country: the streets of a
// county (涟源市), the ancestors of a village (民光社区), the size of a province (湖南).
func BenchmarkRegionTree(b *testing.B) {
	if _, err := divisionDir(); err != nil {
		b.Skipf("SKIPPED, no country data: %v", err)
	}
	f := country.get(b)
	queries := []struct {
		name string
		run  func() (int, error)
	}{
		{"children-county", func() (int, error) { rs, err := f.db.Children(ctx, "431382"); return len(rs), err }},
		{"ancestors-village", func() (int, error) { rs, err := f.db.Ancestors(ctx, "431382001001"); return len(rs), err }},
		{"count-province", func() (int, error) { return f.db.CountRegions(ctx, "43") }},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			var lat latencies
			n := 0
			for b.Loop() {
				err := lat.time(func() (err error) {
					n, err = q.run()
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if n == 0 {
				b.Fatalf("%s: nothing found", q.name)
			}
			lat.reportUs(b)
			b.ReportMetric(float64(n), "rows")
		})
	}
}
