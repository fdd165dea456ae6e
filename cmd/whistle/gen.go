package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/importer"
	"whistle/store"
)

// gen fills a database with generated history for load tests and benchmarks: the demo's
// catalogue and users, and cases with the demo's distributions spread over the real
// divisions under --under (the demo street by default).
func gen(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("gen")
	cases := fs.Int("cases", 0, "how many cases to generate")
	under := fs.String("under", "", "region code whose communities (or grids) the cases fall in; default the demo street")
	divisions := fs.String("divisions", "", "china-division folder to import --under's regions from (they are loaded again if there)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed on the same database gives the same history")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cases <= 0 {
		return errors.New("gen needs --cases N (N > 0)")
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := demo.Load(ctx, db, 0); err != nil {
		return fmt.Errorf("demo catalogue: %w", err)
	}
	root := *under
	if root == "" {
		root = demo.Street
	}
	if *divisions != "" {
		n, err := importer.Regions(ctx, db, *divisions, root)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d regions under %s\n", n, root)
	} else if _, err := db.Region(ctx, root); err != nil {
		return fmt.Errorf("region %s is not loaded: give --divisions DIR (the china-division folder) to import it", root)
	}
	places, err := deepestPlaces(ctx, db, root)
	if err != nil {
		return err
	}
	spec, err := demo.GenSpec(ctx, db, root, places)
	if err != nil {
		return err
	}
	spec.Cases, spec.Seed = *cases, *seed
	began := time.Now()
	spec.Progress = func(done int) {
		el := time.Since(began)
		fmt.Fprintf(stdout, "%10d cases committed  %6.0f s  %7.0f cases/s\n", done, el.Seconds(), float64(done)/el.Seconds())
	}
	fmt.Fprintf(stdout, "generating %d cases over %d places under %s into %s\n", *cases, len(places), root, db.Engine())
	// batches waiting to be written are millions of small values: collecting garbage at
	// every doubling of the heap took a third of the generator's own time
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if err := generate(ctx, db, spec, stdout); err != nil {
		return err
	}
	loaded := time.Now()
	n, err := db.IndexAllWords(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "indexed the words of %d cases in %s\n", n, time.Since(loaded).Round(100*time.Millisecond))
	loaded = time.Now()
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "refreshed the planner's statistics in %s\n", time.Since(loaded).Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "generated %d cases in %s\n", *cases, time.Since(began).Round(time.Second))
	return nil
}

// generate runs demo.Generate. A load of more cases than the database holds sets the
// case tables' secondary indexes (and on PostgreSQL their foreign keys) aside and makes
// them again after: building an index once from sorted rows costs far less than keeping
// it in order row by row (the figures are in README's benchmarks).
func generate(ctx context.Context, db *store.DB, spec demo.Spec, stdout io.Writer) error {
	highest, err := db.MaxCaseID(ctx)
	if err != nil {
		return err
	}
	if int64(spec.Cases) <= highest {
		return demo.Generate(ctx, db, spec)
	}
	n, err := db.SetAside(ctx, store.RecordNewTables...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "set aside %d indexes and keys of %v, to make again after the load\n", n, store.RecordNewTables)
	err = demo.Generate(ctx, db, spec)
	began := time.Now()
	// made even when the load failed, so the database is left whole; a cut run leaves
	// them to the next Open
	if _, rerr := db.RestoreSetAside(ctx); rerr != nil {
		return errors.Join(err, fmt.Errorf("indexes and keys left set aside, the next open of the database makes them: %w", rerr))
	}
	fmt.Fprintf(stdout, "made %d indexes and keys again in %s\n", n, time.Since(began).Round(100*time.Millisecond))
	return err
}

// deepestPlaces lists where generated cases fall: the grids of a street or community
// that has them drawn, else the communities and villages under root, else root itself.
func deepestPlaces(ctx context.Context, db *store.DB, root string) ([]domain.Region, error) {
	levels := []int{12}
	if len(root) >= 9 {
		levels = []int{15, 12}
	}
	for _, n := range levels {
		places, err := db.RegionsAt(ctx, root, n)
		if err != nil || len(places) > 0 {
			return places, err
		}
	}
	r, err := db.Region(ctx, root)
	return []domain.Region{r}, err
}
