package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is a write transaction. Its owner is the exported DB method that opened it.
type Tx struct {
	tx    *sql.Tx
	ctx   context.Context
	conn  *sql.Conn // the transaction's connection, for what database/sql cannot say (COPY)
	db    *DB
	now   time.Time
	stmts map[string]*sql.Stmt
	fresh []string // queries first prepared in this transaction
	// pend is what the transaction has recorded and will write before its next
	// statement or its commit.
	pend pending
	// layers are the transaction and its open savepoints, innermost last. Each holds its
	// part of the statistics rollup, written once just before commit so a group of
	// filings updates each rollup cell once.
	layers []layer
	// failed is an error met while writing pending rows before a statement that cannot
	// report it (a QueryRow); the transaction then does not commit.
	failed error
	// bulk is set by RecordNew: the transaction loads generated history, and plain
	// inserts go by the engine's bulk path (COPY).
	bulk bool
	// pipe holds writes whose results nobody reads while the pending rows are written
	// (piping), on an engine that can send many statements in one round trip.
	pipe   []queued
	piping bool
}

// queued is a statement with its arguments, in the engine's own placeholders.
type queued struct {
	query string
	args  []any
}

// layer is the transaction itself or one of its savepoints. A savepoint is opened in the
// database only when a statement runs after it: a write that only records pending rows
// needs none, and its rows are dropped from memory if it is rolled back.
type layer struct {
	savepoint string
	opened    bool
	mark      mark // where its pending rows begin
	deltas    rollupDeltas
}

// Update runs fn in one write transaction, committing when fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	tx := &Tx{tx: t, ctx: ctx, conn: conn, db: db, now: db.Now(), layers: []layer{{opened: true}}}
	if err := fn(tx); err != nil {
		return err
	}
	if tx.failed != nil {
		return tx.failed
	}
	err = tx.piped(func() error {
		if err := tx.writePending(); err != nil {
			return err
		}
		for _, l := range tx.layers[1:] {
			tx.layers[0].deltas.merge(&l.deltas)
		}
		return tx.layers[0].deltas.write(tx)
	})
	if err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return err
	}
	conn.Close() // SQLite's write pool is this one connection; keepPrepared needs it
	db.keepPrepared(ctx, tx.fresh)
	return nil
}

// stmt gives q prepared for this transaction: bound from the statements kept prepared,
// else prepared here (and kept once the transaction has freed its connection).
func (tx *Tx) stmt(q string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[q]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if kept := tx.db.write.stmts.load(q); kept != nil {
		s = tx.tx.Stmt(kept)
	} else {
		var err error
		if s, err = tx.tx.Prepare(tx.db.eng.rebind(q)); err != nil {
			return nil, err
		}
		tx.fresh = append(tx.fresh, q)
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = s
	return s, nil
}

// keepPrepared prepares the queries on the write pool for later transactions. It runs
// after commit: SQLite's write pool is one connection, busy until then.
func (db *DB) keepPrepared(ctx context.Context, queries []string) {
	for _, q := range queries {
		db.write.stmts.prepare(ctx, db.write, q)
	}
}

// piped runs write, which writes what the transaction has recorded, with its
// statements held back and then sent together in one round trip where the engine can
// (PostgreSQL's pipeline): a group of filings then costs the server one round trip
// for all its rows and the rollup, not one per table. A bulk load writes by COPY, which
// does not wait in the pipe.
func (tx *Tx) piped(write func() error) error {
	tx.piping = tx.db.eng.pipeline != nil && !tx.bulk
	err := write()
	tx.piping = false
	pipe := tx.pipe
	tx.pipe = nil
	if err != nil || len(pipe) == 0 {
		return err
	}
	return tx.db.eng.pipeline(tx.ctx, tx.conn, pipe)
}

// send runs a write whose result is not read, or holds it in the pipe while piping.
func (tx *Tx) send(q string, args ...any) error {
	if tx.piping {
		tx.pipe = append(tx.pipe, queued{tx.db.eng.rebind(q), args})
		return nil
	}
	if len(args) == 0 {
		_, err := tx.tx.Exec(q) // SAVEPOINT: nothing to prepare
		return err
	}
	_, err := tx.run(q, args...)
	return err
}

// exec, query and queryRow run a statement after writing what is pending; run and
// runQuery run one as part of that writing.
func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	if err := tx.settle(); err != nil {
		return nil, err
	}
	return tx.run(q, args...)
}

func (tx *Tx) run(q string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.Exec(args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if err := tx.settle(); err != nil {
		return nil, err
	}
	s, err := tx.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.Query(args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	if err := tx.settle(); err != nil && tx.failed == nil {
		tx.failed = err
	}
	s, err := tx.stmt(q)
	if err != nil {
		return tx.tx.QueryRow(tx.db.eng.rebind(q), args...) // reports the same preparation error
	}
	return s.QueryRow(args...)
}

// aside runs a query that neither reads nor writes the pending rows (it locks a
// counter's row, or takes ids) without settling them first and without opening the
// savepoint of the write it serves: what it does may stay if that write is rolled back
// (a counter row at its written value, ids never used). A filing in a group then costs
// no statement of its own before the group's commit.
func (tx *Tx) aside(q string, args ...any) (*sql.Rows, error) {
	s, err := tx.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.Query(args...)
}

// asideRow is aside for a query of one value.
func (tx *Tx) asideRow(q string, dest any, args ...any) error {
	s, err := tx.stmt(q)
	if err != nil {
		return err
	}
	return s.QueryRow(args...).Scan(dest)
}

// Savepoint marks a point the transaction can roll back to without losing what came
// before it; both engines speak the same SQL for it. It is opened in the database when
// the next statement runs.
func (tx *Tx) Savepoint(name string) error {
	tx.layers = append(tx.layers, layer{savepoint: name, mark: tx.pend.mark()})
	return nil
}

// RollbackTo undoes everything since the savepoint, keeping the transaction open (and
// the savepoint set).
func (tx *Tx) RollbackTo(name string) error {
	i, err := tx.layer(name)
	if err != nil {
		return err
	}
	l := tx.layers[i]
	if l.opened {
		if _, err := tx.tx.Exec("ROLLBACK TO SAVEPOINT " + name); err != nil {
			return err
		}
	}
	tx.pend.rollBack(l.mark, l.opened)
	tx.layers = append(tx.layers[:i], layer{savepoint: name, opened: l.opened, mark: tx.pend.mark()})
	return nil
}

// Release forgets a savepoint, keeping its work.
func (tx *Tx) Release(name string) error {
	i, err := tx.layer(name)
	if err != nil {
		return err
	}
	if tx.layers[i].opened {
		if _, err := tx.tx.Exec("RELEASE SAVEPOINT " + name); err != nil {
			return err
		}
	}
	for _, l := range tx.layers[i:] {
		tx.layers[i-1].deltas.merge(&l.deltas)
	}
	tx.layers = tx.layers[:i]
	return nil
}

// layer finds the latest savepoint called name.
func (tx *Tx) layer(name string) (int, error) {
	for i := len(tx.layers) - 1; i > 0; i-- {
		if tx.layers[i].savepoint == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("store: no savepoint %s", name)
}

// QueryContext lets read helpers written for a pool run inside the transaction.
func (tx *Tx) QueryContext(_ context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.query(q, args...)
}

// QueryRowContext lets read helpers written for a pool run inside the transaction.
func (tx *Tx) QueryRowContext(_ context.Context, q string, args ...any) *sql.Row {
	return tx.queryRow(q, args...)
}
