package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/importer"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// fixture is an open database with its service and a clock the benchmark moves; it is
// whistletest.Demo's setup, kept outside a single benchmark's lifetime so several
// benchmarks can share one file.
type fixture struct {
	path  string
	db    *store.DB
	svc   *service.Service
	clock *whistletest.Clock
}

// open opens (creating and migrating if needed) the database at path on a clock set to
// whistletest.Start.
func open(path string) (*fixture, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	clock := &whistletest.Clock{}
	clock.Set(whistletest.Start)
	db.Now = clock.Now
	return &fixture{path: path, db: db, svc: service.New(db), clock: clock}, nil
}

// newDemo makes a fresh demo database in the scratch directory with cases history cases.
func newDemo(name string, cases int) (*fixture, error) {
	f, err := open(filepath.Join(scratch, name+".db"))
	if err != nil {
		return nil, err
	}
	if _, err := demo.Load(ctx, f.svc, cases); err != nil {
		f.db.Close()
		return nil, err
	}
	return f, nil
}

// lazy builds a fixture once per process, the first time a benchmark asks for it.
type lazy struct {
	once  sync.Once
	f     *fixture
	err   error
	build func() (*fixture, error)
}

func (l *lazy) get(b *testing.B) *fixture {
	b.Helper()
	l.once.Do(func() {
		began := time.Now()
		l.f, l.err = l.build()
		if l.err == nil {
			fmt.Fprintf(os.Stderr, "bench: fixture %s ready in %s\n", filepath.Base(l.f.path), time.Since(began).Round(time.Millisecond))
		}
	})
	if l.err != nil {
		b.Fatal(l.err)
	}
	return l.f
}

var (
	// intakeDemo is the demo with a small history: the HTTP intake runs on it and the
	// raw insert ceiling is measured on the same file.
	intakeDemo = &lazy{build: func() (*fixture, error) { return newDemo("intake", 200) }}
	// demo20k is the demo as `whistle serve --demo` makes it: 20,000 cases.
	demo20k = &lazy{build: func() (*fixture, error) { return newDemo("demo20k", 20_000) }}
	// million is the demo street with 1,000,000 cases, cached between runs.
	million = &lazy{build: buildMillion}
	// country is every division of China (provinces to villages).
	country = &lazy{build: func() (*fixture, error) {
		dir, err := divisionDir()
		if err != nil {
			return nil, err
		}
		f, err := open(filepath.Join(scratch, "country.db"))
		if err != nil {
			return nil, err
		}
		if _, err := importer.Regions(ctx, f.db, dir, ""); err != nil {
			f.db.Close()
			return nil, err
		}
		return f, nil
	}}
)

func closeFixtures() {
	for _, l := range []*lazy{intakeDemo, demo20k, million, country} {
		if l.f != nil {
			l.f.db.Close()
		}
	}
}

// MillionCases is the size of the large statistics database.
const MillionCases = 1_000_000

// millionPath is where the 1,000,000-case database is cached.
func millionPath() string {
	dir := os.Getenv("WHISTLE_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "whistle-bench-1m.db")
}

// needMillion skips b unless the 1,000,000-case database may be used (and built).
func needMillion(b *testing.B) *fixture {
	b.Helper()
	if os.Getenv("WHISTLE_BENCH_1M") != "1" {
		b.Skipf("skipped: set WHISTLE_BENCH_1M=1 to run at 1,000,000 cases (the database is built once, about 15 minutes, and cached at %s; WHISTLE_BENCH_DIR moves it)", millionPath())
	}
	return million.get(b)
}

// buildMillion opens the cached database when it is complete, else builds it under a
// temporary name with demo.Load (batches of 500 cases per transaction) and renames it
// into place, so an interrupted build is never taken for a complete one.
func buildMillion() (*fixture, error) {
	path := millionPath()
	if _, err := os.Stat(path); err == nil {
		n, err := count(path, `SELECT COUNT(*) FROM cases`)
		same, serr := sameSchema(path)
		switch {
		case err == nil && serr == nil && n >= MillionCases && same:
			return open(path)
		case serr != nil:
			return nil, serr
		case !same:
			fmt.Fprintf(os.Stderr, "bench: %s has an older schema than the store's migrations; rebuilding\n", path)
		default:
			fmt.Fprintf(os.Stderr, "bench: %s is incomplete (%d cases, %v); rebuilding\n", path, n, err)
		}
	}
	partial := path + ".partial"
	for _, p := range []string{partial, partial + "-wal", partial + "-shm", path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	fmt.Fprintf(os.Stderr, "bench: building %d cases into %s (about 15 minutes on 2 cores, once)\n", MillionCases, path)
	f, err := open(partial)
	if err != nil {
		return nil, err
	}
	if _, err := demo.Load(ctx, f.svc, MillionCases); err != nil {
		f.db.Close()
		return nil, err
	}
	if err := f.db.Close(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(partial + "-wal"); err == nil { // not checkpointed on close: keep it with the file
		if err := os.Rename(partial+"-wal", path+"-wal"); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(partial, path); err != nil {
		return nil, err
	}
	return open(path)
}

// sameSchema tells whether the database at path has the schema a fresh database gets
// from the store's migrations today; a cache built before the schema changed is not
// reused. (A change of the demo's generator alone is not seen: delete the file.)
func sameSchema(path string) (bool, error) {
	fresh := filepath.Join(scratch, "schema.db")
	if _, err := os.Stat(fresh); err != nil {
		db, err := store.Open(ctx, fresh)
		if err != nil {
			return false, err
		}
		db.Close()
	}
	schema := func(p string) (string, error) {
		d, err := openRaw(p)
		if err != nil {
			return "", err
		}
		defer d.Close()
		var s string
		err = d.QueryRowContext(ctx, `SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)`).Scan(&s)
		return s, err
	}
	want, err := schema(fresh)
	if err != nil {
		return false, err
	}
	got, err := schema(path)
	return got == want, err
}

// divisionDir finds ../shared/data/china-division from the repository root (the
// benchmarks run in bench/).
func divisionDir() (string, error) {
	dir := filepath.Join("..", "..", "shared", "data", "china-division")
	if _, err := os.Stat(filepath.Join(dir, "provinces.csv")); err != nil {
		return "", fmt.Errorf("the national division files are not at %s (../shared/data/china-division from the repository root): %w", dir, err)
	}
	return dir, nil
}
