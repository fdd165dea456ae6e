// Package whistletest gives tests a real database: a fresh SQLite file per test, or,
// when WHISTLE_TEST_POSTGRES holds a connection string, a fresh PostgreSQL schema per
// test; optionally loaded with the demo district, always on a clock the test moves.
package whistletest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
)

// Tests sign in with real hashes, many at once on a machine other suites load too: a
// check waits for its hash slot up to a minute here, not the server's few seconds, so a
// slow machine is not taken for a flood. Tests of the wait set their own.
func init() { passhash.Limit(runtime.NumCPU(), time.Minute) }

// Start is the tests' "now": Monday 2 March 2026, 09:00 in China, a working day.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Clock is a settable clock safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now tells the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// PostgresEnv names the variable that switches the tests to PostgreSQL.
const PostgresEnv = "WHISTLE_TEST_POSTGRES"

// DSN gives a fresh database for t: a SQLite file in t's temporary folder, or a new
// schema on the PostgreSQL server of WHISTLE_TEST_POSTGRES, dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	schema := unique("t_")
	onServer(t, server, `CREATE SCHEMA `+schema, `DROP SCHEMA `+schema+` CASCADE`)
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Empty names a database nothing is in yet, on the engine of dsn, for a restore: a
// SQLite file in a new folder, or a new PostgreSQL database on dsn's server, dropped
// when t ends, reached with dsn's search_path (the schema a backup of dsn restores
// into).
func Empty(t testing.TB, dsn string) string {
	t.Helper()
	if !store.IsPostgres(dsn) {
		return filepath.Join(t.TempDir(), "whistle.db")
	}
	name := unique("restore_")
	onServer(t, dsn, `CREATE DATABASE `+name, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// unique is a name for a schema or database no other test takes.
func unique(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// onServer runs create on the PostgreSQL server of dsn, and drop when t ends.
func onServer(t testing.TB, dsn, create, drop string) {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(create); err != nil {
		admin.Close()
		t.Fatalf("%s on %s: %v", create, dsn, err)
	}
	t.Cleanup(func() {
		admin.Exec(drop)
		admin.Close()
	})
}

// KeysInTemp keeps the personal-data keys t makes in t's temporary folders: no
// WHISTLE_KEY or WHISTLE_KEY_FILE, and the user's configuration folder (PostgreSQL's
// key files) a new one. Not for parallel tests.
func KeysInTemp(t testing.TB) {
	t.Helper()
	t.Setenv("WHISTLE_KEY", "")
	t.Setenv("WHISTLE_KEY_FILE", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}

// Raw is a plain connection to a test database, for checks the store has no query for.
// Its queries are written with ? placeholders, like the store's.
type Raw struct {
	*sql.DB
	db *store.DB
}

// OpenRaw opens a plain connection to db's database, closed when t ends.
func OpenRaw(t testing.TB, db *store.DB) Raw {
	t.Helper()
	driver, dsn := "sqlite", "file:"+db.DSN+"?_pragma=busy_timeout(10000)"
	if store.IsPostgres(db.DSN) {
		driver, dsn = "pgx", db.DSN
	}
	r, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return Raw{r, db}
}

// QueryContext runs a ? query.
func (r Raw) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.DB.QueryContext(ctx, r.db.Rebind(q), args...)
}

// QueryRowContext runs a ? query for one row.
func (r Raw) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.DB.QueryRowContext(ctx, r.db.Rebind(q), args...)
}

// ExecContext runs a ? statement.
func (r Raw) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.DB.ExecContext(ctx, r.db.Rebind(q), args...)
}

// SkipUnlessSQLite skips a test of SQLite's own settings when the run is on PostgreSQL.
func SkipUnlessSQLite(t testing.TB, db *store.DB) {
	t.Helper()
	if db.Engine() != "sqlite" {
		t.Skip("checks a SQLite setting; this run is on " + db.Engine())
	}
}

// DB opens a fresh, migrated database for t, closed when t ends, on the test clock.
func DB(t testing.TB) (*store.DB, *Clock) {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &Clock{t: Start}
	db.Now = clock.Now
	return db, clock
}

// stores remembers the database under each service Demo made, for StoreOf.
var stores sync.Map // *service.Service → *store.DB

// Demo opens a fresh database loaded with the demo district and cases history cases.
func Demo(t testing.TB, cases int) (*service.Service, demo.Users, *Clock) {
	t.Helper()
	db, clock := DB(t)
	svc := service.New(db)
	stores.Store(svc, db)
	t.Cleanup(func() { stores.Delete(svc) })
	if _, err := demo.Load(context.Background(), db, cases); err != nil {
		t.Fatal(err)
	}
	FilesInTemp(t, svc) // never the working directory: that is the package's source folder
	users := demo.Users{}
	all, err := db.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range all {
		users[u.Login] = u
	}
	return svc, users, clock
}

// StoreOf is the database under a service Demo made, for a test that must set up or
// check what no service method does (the transports reach the data only through the
// service).
func StoreOf(svc *service.Service) *store.DB {
	db, ok := stores.Load(svc)
	if !ok {
		panic("whistletest.StoreOf: the service was not made by whistletest.Demo")
	}
	return db.(*store.DB)
}

// FilesInTemp keeps the attachments of a service Demo made in t's temporary folder (Demo
// does it for every test); the store's default, the working directory, would collect
// them in the package's source folder on PostgreSQL.
func FilesInTemp(t testing.TB, svc *service.Service) {
	t.Helper()
	if err := StoreOf(svc).PutSetting(context.Background(), service.FilesDirSetting, t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

// Canonical normalises a case for comparison: times in UTC, no events, empty lists
// rather than nil, so a stored row and the fold of its events compare equal.
func Canonical(c domain.Case) domain.Case {
	c.Events = nil
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.AckDue, c.ResolveDue, c.DispatchedAt, c.AckedAt = utc(c.AckDue), utc(c.ResolveDue), utc(c.DispatchedAt), utc(c.AckedAt)
	c.ResolvedAt, c.ClosedAt, c.SuspendedAt = utc(c.ResolvedAt), utc(c.ClosedAt), utc(c.SuspendedAt)
	if c.Extension != nil {
		e := *c.Extension
		e.Until, e.At = utc(e.Until), e.At.UTC()
		c.Extension = &e
	}
	if c.Supervision != nil {
		sup := *c.Supervision
		sup.At, sup.Due = sup.At.UTC(), sup.Due.UTC()
		c.Supervision = &sup
	}
	s := make([]domain.Summons, len(c.Summons))
	for i, x := range c.Summons {
		x.Due, x.ReportedAt = x.Due.UTC(), utc(x.ReportedAt)
		s[i] = x
	}
	c.Summons = s
	if c.CoOrgs == nil {
		c.CoOrgs = []string{}
	}
	return c
}
