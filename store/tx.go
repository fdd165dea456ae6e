package store

// How a filing's rows reach the database.
//
// Pending rows → flush → COMMIT. Rows nothing reads back before commit (a case's row,
// orgs, events and deadlines from Record; notices from Notify) are not written when
// recorded: add puts them in the transaction's pending rows, in memory, and a counter
// moved by count (case numbers) waits the same way. Before the transaction's next
// statement, and at commit, flush writes them: a multi-row INSERT per table, parents
// first, and an UPDATE per moved counter; SQLite runs these in the process, PostgreSQL
// gets them in one round trip (a pipeline). Record's changes of the statistics rollup
// are summed per cell and upserted once per transaction, in the commit's last flush.
// Then COMMIT. A group of filings in one transaction (service/groupcommit.go) thus
// costs one INSERT per table and one upsert per rollup cell, not one per filing.
//
// Statements. Every statement a store method runs goes through statement (exec, query,
// queryRow, QueryContext; insertRows for many rows and execText for what is not
// prepared do the same), which flushes first: a statement sees all the transaction has
// recorded. The writes a flush is made of are flushWrite and flushRows.
//
// Numbering. The one kind of statement that does not flush is numbering: it hands out
// what rows need when they are recorded, ids (reserved from a sequence on PostgreSQL,
// read from MAX(id) on SQLite) and a counter's current value (its row locked). It
// neither reads nor writes pending rows, and not flushing lets a filing in a group cost
// no round trip of its own. Nor does it open the savepoints waiting (below), so a
// rollback may leave what it did: an unused id is a gap, a counter's row keeps its last
// written value.
//
// Savepoints. Savepoint marks a point in the transaction and in its pending rows; the
// SAVEPOINT statement is sent by the next flush, between the rows recorded before the
// mark and those after. A savepoint under which only rows were recorded never reaches
// the database: RollbackTo drops those rows, and the rollup changes noted since, from
// memory. Once a statement has run after it, RollbackTo also rolls the database back;
// as a flush precedes every statement, a failed statement can always be rolled back.
//
// Errors are returned by the call that met them. A failed flush or numbering statement
// (or OrgExists, which answers only yes or no) also breaks the transaction, as the rows
// written may belong to writes already accepted under since-released savepoints:
// every later statement, savepoint call and the commit give that error.
//
// Contexts. Statements run with the transaction's context (Update's); QueryContext with
// the one it is given.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Tx is a write transaction. Its owner is the exported DB method that opened it.
type Tx struct {
	tx    *sql.Tx
	ctx   context.Context
	conn  *sql.Conn // the transaction's connection, for what database/sql cannot say (COPY, pipelines)
	db    *DB
	now   time.Time
	stmts map[string]*sql.Stmt
	fresh []string // queries first prepared in this transaction
	// pend is what the transaction has recorded and not yet flushed.
	pend pending
	// layers are the transaction and its savepoints, innermost last, each with its part
	// of the rollup changes.
	layers []layer
	// broken is the error of a failed flush or numbering statement; the transaction
	// then runs nothing more and does not commit.
	broken error
	// bulk is set by RecordNew: the transaction loads generated history, and rows are
	// inserted by the engine's bulk path (COPY).
	bulk bool
	// pipe holds a flush's writes while piping, to be sent in one round trip on an engine
	// that can (pipeline).
	pipe   []queued
	piping bool
	// notified are the users given notices (outbox.go), told to the DB's notice
	// listeners once the transaction has committed.
	notified []int64
	// queued are the keys of the queues the transaction changed (Record), told to the
	// DB's queue listeners once it has committed.
	queued []QueueChange
}

// queued is a statement with its arguments, in the engine's own placeholders.
type queued struct {
	query string
	args  []any
}

// layer is the transaction itself or one of its savepoints.
type layer struct {
	savepoint string
	opened    bool // the SAVEPOINT statement has been sent
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
	if err := tx.commit(); err != nil {
		return err
	}
	conn.Close() // SQLite's write pool is this one connection; keepPrepared needs it
	db.keepPrepared(ctx, tx.fresh)
	db.listeners.tell(tx.notified)
	db.queueListeners.tell(tx.queued)
	return nil
}

// commit flushes the pending rows and writes the rollup's changes (one round trip on
// PostgreSQL), then commits. Savepoints still set and never opened are not opened now:
// nothing can roll back to them any more.
func (tx *Tx) commit() error {
	if tx.broken != nil {
		return tx.broken
	}
	open := 1
	for open < len(tx.layers) && tx.layers[open].opened {
		open++
	}
	for _, l := range tx.layers[1:] {
		tx.layers[0].deltas.merge(&l.deltas)
	}
	tx.layers = tx.layers[:open]
	err := tx.piped(func() error {
		if err := tx.writePending(); err != nil {
			return err
		}
		return tx.layers[0].deltas.write(tx)
	})
	if err != nil {
		return err
	}
	return tx.tx.Commit()
}

// statement is how every statement of a store method begins: the pending rows are
// flushed, so the statement sees them, and q is given prepared for the transaction.
func (tx *Tx) statement(q string) (*sql.Stmt, error) {
	if err := tx.flush(); err != nil {
		return nil, err
	}
	return tx.stmt(q)
}

// exec runs a statement that returns no rows.
func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	s, err := tx.statement(q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(tx.ctx, args...)
}

// query runs a statement that returns rows.
func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(tx.ctx, q, args...)
}

// queryRow runs a statement for its first row; Scan gives its error.
func (tx *Tx) queryRow(q string, args ...any) row { return rowOf(tx.query(q, args...)) }

// QueryContext runs a statement that returns rows, with ctx, after the flush; it lets
// read helpers written for the reader pool (a querier) run inside the transaction.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := tx.statement(q)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// execText runs q as written, after the flush: its placeholders are not renumbered and
// it is not kept prepared. It serves what cannot or need not be prepared: a migration's
// several commands, DDL, statements whose text serves once.
func (tx *Tx) execText(q string, args ...any) error {
	if err := tx.flush(); err != nil {
		return err
	}
	_, err := tx.tx.ExecContext(tx.ctx, q, args...)
	return err
}

// numbering runs a numbering statement (see the top of this file): without flushing,
// handing each of its rows to scan. It fails if there is none. Its failure breaks the
// transaction.
func (tx *Tx) numbering(q string, args []any, scan func(scanner) error) error {
	if tx.broken != nil {
		return tx.broken
	}
	err := func() error {
		s, err := tx.stmt(q)
		if err != nil {
			return err
		}
		rows, err := s.QueryContext(tx.ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for ; rows.Next(); n++ {
			if err := scan(rows); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil || n > 0 {
			return err
		}
		return sql.ErrNoRows
	}()
	if err != nil {
		tx.broken = err
	}
	return err
}

// insertRows inserts rows (all of one width) into target ("table (columns)"), after
// the flush, with then after the values (ON CONFLICT ...), as flushRows does.
func (tx *Tx) insertRows(target, then string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if err := tx.flush(); err != nil {
		return err
	}
	return tx.flushRows(target, then, rows)
}

// maxParams bounds the parameters of one statement, below SQLite's 32,766 and
// PostgreSQL's 65,535.
const maxParams = 30000

// flushRows writes rows into target as part of a flush: in as few multi-row INSERTs as
// the parameter limit allows (full statements have one shape, so they are prepared
// once), or by COPY in a bulk load on PostgreSQL.
func (tx *Tx) flushRows(target, then string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.db.eng.copyIn != nil && then == "" && tx.bulk {
		table, cols := splitTable(target)
		return tx.db.eng.copyIn(tx.ctx, tx.conn, table, cols, rows)
	}
	width := len(rows[0])
	per := maxParams / width
	one := "(" + placeholders(width) + ")"
	for len(rows) > 0 {
		n := min(per, len(rows))
		args := make([]any, 0, n*width)
		for _, row := range rows[:n] {
			args = append(args, row...)
		}
		if err := tx.flushWrite(`INSERT INTO `+target+` VALUES `+one+strings.Repeat(", "+one, n-1)+then, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// flushWrite runs one of the writes a flush, or the commit's rollup, is made of: a
// multi-row INSERT, a counter's UPDATE, a SAVEPOINT. It does not flush (it is part of
// the flush); while piping it waits in the pipe, to be sent with the others.
func (tx *Tx) flushWrite(q string, args ...any) error {
	if tx.piping {
		tx.pipe = append(tx.pipe, queued{tx.db.eng.rebind(q), args})
		return nil
	}
	if len(args) == 0 {
		_, err := tx.tx.ExecContext(tx.ctx, q) // SAVEPOINT, DDL: nothing to prepare
		return err
	}
	s, err := tx.stmt(q)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(tx.ctx, args...)
	return err
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

// stmt gives q prepared for this transaction: bound from the statements kept prepared,
// else prepared here (and kept once the transaction has freed its connection).
func (tx *Tx) stmt(q string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[q]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if kept := tx.db.write.stmts.load(q); kept != nil {
		s = tx.tx.StmtContext(tx.ctx, kept)
	} else {
		var err error
		if s, err = tx.tx.PrepareContext(tx.ctx, tx.db.eng.rebind(q)); err != nil {
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

// Savepoint marks a point the transaction can roll back to without losing what came
// before it. The SAVEPOINT statement is sent with the next flush (see the top of this
// file); both engines speak the same SQL for it.
func (tx *Tx) Savepoint(name string) error {
	if tx.broken != nil {
		return tx.broken
	}
	tx.layers = append(tx.layers, layer{savepoint: name, mark: tx.pend.mark()})
	return nil
}

// RollbackTo undoes everything since the savepoint: its pending rows and rollup changes,
// and in the database what ran since it was opened. The transaction stays open, with
// the savepoint set.
func (tx *Tx) RollbackTo(name string) error {
	if tx.broken != nil {
		return tx.broken
	}
	i, err := tx.layer(name)
	if err != nil {
		return err
	}
	l := tx.layers[i]
	if l.opened {
		if _, err := tx.tx.ExecContext(tx.ctx, "ROLLBACK TO SAVEPOINT "+name); err != nil {
			return err
		}
	}
	tx.pend.rollBack(l.mark, l.opened)
	tx.layers = append(tx.layers[:i], layer{savepoint: name, opened: l.opened, mark: tx.pend.mark()})
	return nil
}

// Release forgets a savepoint, keeping its work: its pending rows stay pending and its
// rollup changes join the layer below.
func (tx *Tx) Release(name string) error {
	if tx.broken != nil {
		return tx.broken
	}
	i, err := tx.layer(name)
	if err != nil {
		return err
	}
	if tx.layers[i].opened {
		if _, err := tx.tx.ExecContext(tx.ctx, "RELEASE SAVEPOINT "+name); err != nil {
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

// scanner is a row to scan: *sql.Rows, *sql.Row or row.
type scanner interface{ Scan(dest ...any) error }

// row is the first row of a query's result. Its Scan gives the query's error if it
// failed (a failed flush before it too, which *sql.Row cannot carry), or sql.ErrNoRows
// if it gave no row.
type row struct {
	rows *sql.Rows
	err  error
}

func rowOf(rows *sql.Rows, err error) row { return row{rows, err} }

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}
