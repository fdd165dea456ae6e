package store

import (
	"context"
	"database/sql"
	"time"
)

// Tx is a write transaction. Its owner is the exported DB method that opened it.
type Tx struct {
	tx    *sql.Tx
	db    *DB
	now   time.Time
	stmts map[string]*sql.Stmt
	fresh []string // queries first prepared in this transaction
	// roll is the statistics rollup changed by this transaction so far, one layer per
	// open savepoint: it is written once, just before commit, so a group of filings
	// updates each rollup cell once.
	roll []rollupLayer
}

type rollupLayer struct {
	savepoint string
	deltas    rollupDeltas
}

// Update runs fn in one write transaction, committing when fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	tx := &Tx{tx: t, db: db, now: db.Now(), roll: []rollupLayer{{}}}
	if err := fn(tx); err != nil {
		return err
	}
	for _, l := range tx.roll[1:] {
		tx.roll[0].deltas.merge(&l.deltas)
	}
	if err := tx.roll[0].deltas.write(tx); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return err
	}
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
	if kept, ok := tx.db.prepared.Load(q); ok {
		s = tx.tx.Stmt(kept.(*sql.Stmt))
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

// maxPrepared bounds the statements kept prepared; statements whose text varies with
// their data (a multi-row insert's last chunk) stop being kept past it.
const maxPrepared = 512

// keepPrepared prepares the queries on the write pool for later transactions. It runs
// after commit: SQLite's write pool is one connection, busy until then.
func (db *DB) keepPrepared(ctx context.Context, queries []string) {
	for _, q := range queries {
		if db.nPrepared.Load() >= maxPrepared {
			return
		}
		if _, ok := db.prepared.Load(q); ok {
			continue
		}
		s, err := db.write.PrepareContext(ctx, db.eng.rebind(q))
		if err != nil {
			continue // it is prepared again in the next transaction that needs it
		}
		if _, dup := db.prepared.LoadOrStore(q, s); dup {
			s.Close()
			continue
		}
		db.nPrepared.Add(1)
	}
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.Exec(args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	s, err := tx.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.Query(args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	s, err := tx.stmt(q)
	if err != nil {
		return tx.tx.QueryRow(tx.db.eng.rebind(q), args...) // reports the same preparation error
	}
	return s.QueryRow(args...)
}

// Savepoint marks a point the transaction can roll back to without losing what came
// before it; both engines speak the same SQL for it.
func (tx *Tx) Savepoint(name string) error {
	if _, err := tx.tx.Exec("SAVEPOINT " + name); err != nil {
		return err
	}
	tx.roll = append(tx.roll, rollupLayer{savepoint: name})
	return nil
}

// RollbackTo undoes everything since the savepoint, keeping the transaction open (and
// the savepoint set).
func (tx *Tx) RollbackTo(name string) error {
	if _, err := tx.tx.Exec("ROLLBACK TO SAVEPOINT " + name); err != nil {
		return err
	}
	i := tx.layer(name)
	tx.roll = append(tx.roll[:i], rollupLayer{savepoint: name})
	return nil
}

// Release forgets a savepoint, keeping its work.
func (tx *Tx) Release(name string) error {
	if _, err := tx.tx.Exec("RELEASE SAVEPOINT " + name); err != nil {
		return err
	}
	i := tx.layer(name)
	for _, l := range tx.roll[i:] {
		tx.roll[i-1].deltas.merge(&l.deltas)
	}
	tx.roll = tx.roll[:i]
	return nil
}

// layer finds the rollup layer of the latest savepoint called name; the database has
// just accepted the name, so it is there.
func (tx *Tx) layer(name string) int {
	for i := len(tx.roll) - 1; i > 0; i-- {
		if tx.roll[i].savepoint == name {
			return i
		}
	}
	panic("store: savepoint " + name + " has no rollup layer")
}

// QueryContext lets read helpers written for a pool run inside the transaction.
func (tx *Tx) QueryContext(_ context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.query(q, args...)
}

// QueryRowContext lets read helpers written for a pool run inside the transaction.
func (tx *Tx) QueryRowContext(_ context.Context, q string, args ...any) *sql.Row {
	return tx.queryRow(q, args...)
}
