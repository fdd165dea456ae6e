package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// Counts is what a database's writer has sent since CountStatements or the last Reset,
// for tests that hold a write's statements and round trips to a number.
type Counts struct {
	mu sync.Mutex
	// Statements is how many statements ran. SQLite: each Exec or Query the driver was
	// asked for, BEGIN and COMMIT included. PostgreSQL: each Execute message and each
	// simple Query (BEGIN and COMMIT are simple queries), so a pipeline of n statements
	// counts n.
	Statements int
	// Prepares is how many statements were parsed (SQLite: Prepare; PostgreSQL: Parse).
	Prepares int
	// RoundTrips is how many times the client waited for the server: PostgreSQL's Sync
	// and simple Query messages. SQLite runs in the process: 0.
	RoundTrips int
	// Log lists the statements' texts as they were parsed or run.
	Log   []string
	named map[string]string // PostgreSQL: prepared statements' texts by name
}

// Reset starts counting again from zero.
func (c *Counts) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Statements, c.Prepares, c.RoundTrips, c.Log = 0, 0, 0, nil
}

// Get gives the counts so far.
func (c *Counts) Get() (statements, prepares, roundTrips int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Statements, c.Prepares, c.RoundTrips
}

func (c *Counts) String() string {
	s, p, r := c.Get()
	return fmt.Sprintf("%d statements, %d prepared, %d round trips", s, p, r)
}

func (c *Counts) add(statements, prepares, roundTrips int, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Statements += statements
	c.Prepares += prepares
	c.RoundTrips += roundTrips
	if text != "" {
		text = strings.Join(strings.Fields(text), " ")
		if len(text) > 90 {
			text = text[:90] + "…"
		}
		c.Log = append(c.Log, text)
	}
}

// Write reads pgproto3's trace of the messages a PostgreSQL connection sends, a line
// per message: sender, message type, length, details.
func (c *Counts) Write(p []byte) (int, error) {
	f := bytes.SplitN(bytes.TrimSuffix(p, []byte("\n")), []byte("\t"), 4)
	if len(f) < 3 || string(f[0]) != "F" {
		return len(p), nil
	}
	text := ""
	if len(f) == 4 {
		text = string(f[3])
	}
	switch string(f[1]) {
	case "Parse": // "name" "query" ...
		if q := strings.SplitN(text, `"`, 4); len(q) == 4 {
			query := q[3][:max(strings.LastIndex(q[3], `"`), 0)]
			c.mu.Lock()
			if c.named == nil {
				c.named = map[string]string{}
			}
			c.named[q[1]] = query
			c.mu.Unlock()
			c.add(0, 1, 0, "parse "+query)
		}
	case "Bind": // "portal" "statement" ...
		if q := strings.SplitN(text, `"`, 5); len(q) == 5 {
			c.mu.Lock()
			query := c.named[q[3]]
			c.mu.Unlock()
			c.add(0, 0, 0, "run "+query)
		}
	case "Execute":
		c.add(1, 0, 0, "")
	case "Query":
		c.add(1, 0, 1, "query "+strings.Trim(strings.TrimSpace(text), `"`))
	case "Sync":
		c.add(0, 0, 1, "(sync)")
	}
	return len(p), nil
}

// CountStatements replaces db's writer with one that counts what it sends (and, on
// PostgreSQL, where the readers are the same pool, the readers too).
func CountStatements(t testing.TB, db *DB) *Counts {
	t.Helper()
	c := &Counts{}
	var w *sql.DB
	if db.eng.name == "postgres" {
		cfg, err := pgx.ParseConfig(db.DSN)
		if err != nil {
			t.Fatal(err)
		}
		cfg.BuildFrontend = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
			f := pgproto3.NewFrontend(r, w)
			f.Trace(c, pgproto3.TracerOptions{SuppressTimestamps: true})
			return f
		}
		w = stdlib.OpenDB(*cfg)
		w.SetMaxOpenConns(32)
		w.SetMaxIdleConns(32)
	} else {
		w = sql.OpenDB(countingConnector{dsn: sqliteDSN(db.DSN, false), c: c})
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
	}
	old := db.write
	db.write = pool{w, db.eng, &stmtCache{}}
	if old.DB == db.read.DB {
		db.read = db.write
	}
	old.stmts.close()
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	return c
}

// countingConnector opens SQLite connections that count what they are asked to run.
type countingConnector struct {
	dsn string
	c   *Counts
}

func (k countingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := k.Driver().Open(k.dsn)
	if err != nil {
		return nil, err
	}
	return &countingConn{conn, k.c}, nil
}

func (k countingConnector) Driver() driver.Driver { return &sqlite.Driver{} }

// countingConn is a SQLite connection that counts; it has the driver interfaces
// modernc's connection has, so database/sql uses it the same way.
type countingConn struct {
	driver.Conn
	c *Counts
}

type inner interface {
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.SessionResetter
	driver.Validator
}

func (k *countingConn) in() inner { return k.Conn.(inner) }

func (k *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	k.c.add(1, 0, 0, "BEGIN")
	t, err := k.in().BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{t, k.c}, nil
}

func (k *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	k.c.add(0, 1, 0, "parse "+q)
	s, err := k.in().PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return countingStmt{s, k.c, q}, nil
}

func (k *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	k.c.add(1, 0, 0, "run "+q)
	return k.in().ExecContext(ctx, q, args)
}

func (k *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	k.c.add(1, 0, 0, "run "+q)
	return k.in().QueryContext(ctx, q, args)
}

func (k *countingConn) ResetSession(ctx context.Context) error { return k.in().ResetSession(ctx) }
func (k *countingConn) IsValid() bool                          { return k.in().IsValid() }

type countingTx struct {
	driver.Tx
	c *Counts
}

func (t countingTx) Commit() error {
	t.c.add(1, 0, 0, "COMMIT")
	return t.Tx.Commit()
}

func (t countingTx) Rollback() error {
	t.c.add(1, 0, 0, "ROLLBACK")
	return t.Tx.Rollback()
}

type countingStmt struct {
	driver.Stmt
	c     *Counts
	query string
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.c.add(1, 0, 0, "run "+s.query)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.c.add(1, 0, 0, "run "+s.query)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

// Exec runs a statement in tx as store methods do (tx.exec), for tests of the rules
// every statement follows.
func Exec(tx *Tx, q string, args ...any) error {
	_, err := tx.exec(q, args...)
	return err
}

// QueryRow runs a statement for one row in tx as store methods do (tx.queryRow).
func QueryRow(tx *Tx, q string, args ...any) interface{ Scan(...any) error } {
	return tx.queryRow(q, args...)
}

// Backfill37 runs migration 0037's Go step (the rollup's reworked and extended cells
// from the cases) again, for a test that emptied them.
func Backfill37(ctx context.Context, db *DB) error { return db.Update(ctx, backfill37) }

// Backfill44 runs migration 0044's Go step on the database as it is.
func Backfill44(ctx context.Context, db *DB) error { return db.Update(ctx, backfill44) }

// WalkPeriod tells whether a walked scope's list reads the period [from, to) by walking
// its cases newest first (walkPeriod).
func (db *DB) WalkPeriod(ctx context.Context, from time.Time, to *time.Time) (bool, error) {
	return db.walkPeriod(ctx, from, to)
}
