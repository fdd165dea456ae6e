package bench

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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
// benchmarks can share one database.
type fixture struct {
	dsn   string
	db    *store.DB
	svc   *service.Service
	clock *whistletest.Clock
}

// open opens (creating and migrating if needed) the database at dsn on a clock set to
// whistletest.Start.
func open(dsn string) (*fixture, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	clock := &whistletest.Clock{}
	clock.Set(whistletest.Start)
	db.Now = clock.Now
	return &fixture{dsn: dsn, db: db, svc: service.New(db), clock: clock}, nil
}

// postgresEnv names the PostgreSQL server fresh benchmark databases are made on (each
// a schema, dropped at the end); without it they are SQLite files in the scratch folder.
const postgresEnv = "WHISTLE_BENCH_POSTGRES"

// schemas are the PostgreSQL schemas this run made.
var schemas []string

// freshDSN names a new, empty database for name.
func freshDSN(name string) (string, error) {
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(name))
	server := os.Getenv(postgresEnv)
	if server == "" {
		return filepath.Join(scratch, name+".db"), nil
	}
	schema := fmt.Sprintf("bench_%s_%d", name, os.Getpid())
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); err != nil {
		return "", fmt.Errorf("%s=%s: %w", postgresEnv, server, err)
	}
	schemas = append(schemas, schema)
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// dropSchemas removes the PostgreSQL schemas the run made.
func dropSchemas() {
	if len(schemas) == 0 {
		return
	}
	admin, err := sql.Open("pgx", os.Getenv(postgresEnv))
	if err != nil {
		return
	}
	defer admin.Close()
	for _, s := range schemas {
		admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+s+` CASCADE`)
	}
}

// newDemo makes a fresh demo database with cases history cases.
func newDemo(name string, cases int) (*fixture, error) {
	dsn, err := freshDSN(name)
	if err != nil {
		return nil, err
	}
	f, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if _, err := demo.Load(ctx, f.db, cases); err != nil {
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
			fmt.Fprintf(os.Stderr, "bench: fixture on %s ready in %s\n", l.f.db.Engine(), time.Since(began).Round(time.Millisecond))
		}
	})
	if l.err != nil {
		b.Fatal(l.err)
	}
	return l.f
}

var (
	// intakeDemo is the demo with a small history: the HTTP intake runs on it and the
	// raw insert ceiling is measured on the same database.
	intakeDemo = &lazy{build: func() (*fixture, error) { return newDemo("intake", 200) }}
	// demo20k is the demo as `whistle serve --demo` makes it: 20,000 cases.
	demo20k = &lazy{build: func() (*fixture, error) { return newDemo("demo20k", 20_000) }}
	// intake20k is another such demo for intake, so the cases it adds leave demo20k's
	// lists and statistics as they were. Its rollup has a year of cells, spread over
	// many pages, as a working installation's has; intakeDemo's fits on a few.
	intake20k = &lazy{build: func() (*fixture, error) { return newDemo("intake20k", 20_000) }}
	// large is the database of WHISTLE_BENCH_DB, made by whistle gen.
	large = &lazy{build: openLarge}
	// country is every division of China (provinces to villages).
	country = &lazy{build: func() (*fixture, error) {
		dir, err := divisionDir()
		if err != nil {
			return nil, err
		}
		dsn, err := freshDSN("country")
		if err != nil {
			return nil, err
		}
		f, err := open(dsn)
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
	for _, l := range []*lazy{intakeDemo, demo20k, intake20k, large, country, projects10k} {
		if l.f != nil {
			l.f.db.Close()
		}
	}
	dropSchemas()
}

// largeEnv names the large database the scale benchmarks read: a SQLite file or a
// PostgreSQL URL filled by `whistle gen --cases N` (bench/run.sh makes them).
const largeEnv = "WHISTLE_BENCH_DB"

// needLarge skips b unless a large database is given.
func needLarge(b *testing.B) *fixture {
	b.Helper()
	if os.Getenv(largeEnv) == "" {
		b.Skipf("skipped: set %s to a database made by whistle gen (bench/run.sh does)", largeEnv)
	}
	return large.get(b)
}

// openLarge opens the large database with the clock at its newest case, so "the year
// before now" is the year it was generated over.
func openLarge() (*fixture, error) {
	f, err := open(os.Getenv(largeEnv))
	if err != nil {
		return nil, err
	}
	newest, err := count(f, `SELECT COALESCE(MAX(created_at), 0) FROM cases`)
	if err != nil || newest == 0 {
		f.db.Close()
		return nil, fmt.Errorf("%s has no cases (%v)", f.dsn, err)
	}
	f.clock.Set(time.Unix(newest, 0))
	// a database made before the text index gets it whole before anything is timed
	// (serve's indexer would fill it in the background)
	if _, err := f.db.IndexAllWords(ctx); err != nil {
		f.db.Close()
		return nil, err
	}
	return f, nil
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
