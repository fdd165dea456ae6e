// Package store keeps Whistle's data in SQL: hand-written queries, one file per
// entity, behind the DB and Tx types. SQLite is the embedded default, PostgreSQL the
// engine for several servers; one schema and one query set serve both, and what must
// differ is in engine.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"whistle/domain"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, registered as "pgx"
	_ "modernc.org/sqlite"             // the embedded engine, pure Go
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open Whistle database. On SQLite: one writer connection, because SQLite
// allows one writer at a time and queueing in Go is cheaper than lock retries, and a
// pool of readers. On PostgreSQL both are one pool.
type DB struct {
	write pool
	read  pool
	eng   *engine
	// Now is the clock; tests set it to move time to the minute.
	Now func() time.Time
	DSN string
	// dir holds copies of directory rows (see directory.go).
	dir directory
	// listeners hear of the users given notices by each commit (outbox.go).
	listeners noticeListeners
	// queueListeners hear of the orgs whose queues each commit changed (outbox.go).
	queueListeners queueListeners
	// pendingRollup counts the rollup rows this process appended to rollup_pending since
	// its last fold (foldRollupIf); other processes keep their own counts.
	pendingRollup atomic.Int64
}

// Open opens (creating if needed) the database at dsn and applies pending migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		dsn = "whistle.db"
	}
	db := &DB{Now: time.Now, DSN: dsn}
	if IsPostgres(dsn) {
		db.eng = &postgresEngine
		p, err := sql.Open("pgx", customPlans(dsn))
		if err != nil {
			return nil, err
		}
		p.SetMaxOpenConns(32)
		p.SetMaxIdleConns(32)
		db.write = pool{p, db.eng, &stmtCache{}}
		db.read = db.write
		if err := p.PingContext(ctx); err != nil {
			p.Close()
			return nil, fmt.Errorf("connect %s: %w", redact(dsn), err)
		}
	} else {
		db.eng = &sqliteEngine
		w, err := OpenSQLite(dsn, false)
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
		r, err := OpenSQLite(dsn, true)
		if err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8) // keep readers open: a new SQLite connection re-reads the schema
		db.write, db.read = pool{w, db.eng, &stmtCache{}}, pool{r, db.eng, &stmtCache{}}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(dsn), err)
	}
	// a bulk load cut short left indexes and keys set aside: make them before anything reads
	if _, err := db.RestoreSetAside(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.foldOldReveals(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("start the audit chain: %w", err)
	}
	return db, nil
}

// customPlans asks PostgreSQL to plan every execution of a prepared statement for its
// own parameters (plan_cache_mode=force_custom_plan), unless the DSN says otherwise. The
// store prepares its statements, and after five runs PostgreSQL may keep a generic plan
// that does not know which values are rare: a province's count of its 6,281 reported
// cases of 1,000,000 became a sequential scan of every case (689 ms against 3 ms
// planned for 'reported'), the status tabs of a province 300 to 970 ms. Planning costs
// a fraction of a millisecond a statement.
func customPlans(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || q.Has("plan_cache_mode") {
		return dsn
	}
	q.Set("plan_cache_mode", "force_custom_plan")
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenSQLite opens a SQLite file the way the store does (the benchmark of the disk's
// ceiling uses it to measure with the same settings). It sets busy_timeout first, then
// WAL, foreign keys and full sync (a case is
// durable when it is answered), temporary files in memory; writers take the lock at BEGIN (immediate), so two
// writers never deadlock on a lock upgrade.
func OpenSQLite(path string, readOnly bool) (*sql.DB, error) {
	return sql.Open("sqlite", sqliteDSN(path, readOnly))
}

// sqliteDSN is the driver's name for the file at path with the store's settings.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "cache_size(-32000)")
	// a filing runs under a savepoint, so its statements keep a statement journal of the
	// pages they change; past 64 KB SQLite spills it to a temporary file, which a lone
	// filing then wrote and threw away (65 KB of 227 KB written): kept in memory instead
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// IsPostgres tells whether a DSN names a PostgreSQL database rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Engine names the database engine: sqlite or postgres.
func (db *DB) Engine() string { return db.eng.name }

// redact hides a DSN's password in messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes both pools.
func (db *DB) Close() error {
	db.write.stmts.close()
	if db.read.stmts != db.write.stmts {
		db.read.stmts.close()
	}
	err := db.read.Close()
	if db.write.DB != db.read.DB {
		if e := db.write.Close(); err == nil {
			err = e
		}
	}
	return err
}

// querier is what read helpers need, so they serve both the reader pool and a Tx. A
// helper reading one row scans rowOf(q.QueryContext(...)).
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if e := migrationEngine(name); e != "" && e != db.eng.name {
			continue // the other engine's form of this version
		}
		// a migration's version is its file's number, so one landing with a number below
		// those already applied is still applied, and the others are not run again
		version, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: the file name must start with its number", name)
		}
		err = db.Update(ctx, func(tx *Tx) error {
			if db.eng.migrationLock != "" {
				if err := tx.execText(db.eng.migrationLock); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil || n > 0 {
				return err
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if err := tx.execText(strings.ReplaceAll(string(body), "{{ID}}", db.eng.idColumn)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if after := migrationSteps[version]; after != nil {
				if err := after(tx); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			_, err = tx.exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, tx.now.Unix())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// migrationEngine names the engine a migration is written for, from its file name
// (0042_case_words.sqlite.sql), or "" for a migration of both. A version may have one
// file for each engine where their forms cannot be one text (a text index).
func migrationEngine(name string) string {
	parts := strings.Split(path.Base(name), ".")
	if len(parts) == 3 {
		return parts[1]
	}
	return ""
}

// Version tells the schema version applied.
func (db *DB) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// notFound turns sql.ErrNoRows into the domain's not-found error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, format, args...)
	}
	return err
}

// unix and times convert between time.Time and the BIGINT seconds the schema keeps.
func unixOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Unix()
}

func timeOrNil(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.Unix(v.Int64, 0).In(domain.China)
	return &t
}

func fromUnix(v int64) time.Time { return time.Unix(v, 0).In(domain.China) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
