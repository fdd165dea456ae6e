package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/store"
)

// dispatcher puts a dispatcher of the small tree in db, for filings to notify.
func dispatcher(t *testing.T, db *store.DB) domain.User {
	t.Helper()
	d, err := db.PutUser(ctx, domain.User{Login: "disp", Name: "D", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382"}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wrote tells whether a statement starting with prefix was run, and where in the log.
func wrote(c *store.Counts, prefix string) int {
	for i, l := range c.Log {
		if strings.HasPrefix(l, "run "+prefix) {
			return i
		}
	}
	return -1
}

// A filing's rows wait in memory until a statement needs the database: the statement
// then sees them, because they are written (flushed) just before it.
func TestStatementSeesPendingRows(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	file := filer(t, db)
	d := dispatcher(t, db)
	counts := store.CountStatements(t, db)
	err := db.Update(ctx, func(tx *store.Tx) error {
		c, err := file(tx, "t", d.ID)
		if err != nil {
			return err
		}
		if i := wrote(counts, "INSERT INTO cases"); i >= 0 {
			t.Errorf("the case row was written when recorded, before any statement: %q", counts.Log)
		}
		got, err := tx.Case(c.ID)
		if err != nil {
			t.Fatalf("a statement after the filing does not see its case: %v", err)
		}
		if got.Number != c.Number {
			t.Errorf("read case %s, recorded %s", got.Number, c.Number)
		}
		if insert, read := wrote(counts, "INSERT INTO cases"), wrote(counts, "SELECT id, number"); insert < 0 || insert > read {
			t.Errorf("the case row was not written before the statement that reads it: %q", counts.Log)
		}
		rows, err := tx.QueryContext(ctx, `SELECT user_id FROM notifications WHERE case_id = ?`, c.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		if !rows.Next() {
			t.Error("a query after the filing does not see its notice")
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, raw(t, db), `SELECT COUNT(*) FROM cases`); n != 1 {
		t.Fatalf("%d cases committed, want 1", n)
	}
}

// RollbackTo a savepoint drops the pending rows recorded since it and their rollup
// changes, whether a statement ran after it (so it was opened in the database) or not;
// what came before the savepoint is kept.
func TestRolledBackSavepointDropsRowsAndRollup(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	file := filer(t, db)
	d := dispatcher(t, db)
	var kept *domain.Case
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if kept, err = file(tx, "kept", d.ID); err != nil {
			return err
		}
		for _, statement := range []bool{false, true} {
			if err := tx.Savepoint("sp"); err != nil {
				return err
			}
			c, err := file(tx, "dropped", d.ID)
			if err != nil {
				return err
			}
			if statement {
				if _, err := tx.Case(c.ID); err != nil {
					return err
				}
			}
			if err := tx.RollbackTo("sp"); err != nil {
				return err
			}
			if err := tx.Release("sp"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// a change of the kept case, rolled back: its rollup change goes with it
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Savepoint("sp"); err != nil {
			return err
		}
		c, err := tx.Case(kept.ID)
		if err != nil {
			return err
		}
		after := c.Clone()
		e := domain.Event{At: db.Now(), ActorID: d.ID, ActorName: d.Name, Action: domain.ActAccept, From: c.Status, To: domain.StatusAccepted}
		after.Apply(e)
		if err := tx.Record(c, after, []domain.Event{e}); err != nil {
			return err
		}
		return tx.RollbackTo("sp")
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FoldRollup(ctx); err != nil { // the cell itself, not only the waiting change
		t.Fatal(err)
	}
	r := raw(t, db)
	for q, want := range map[string]int{
		`SELECT COUNT(*) FROM rollup_pending`:                                             0,
		`SELECT COUNT(*) FROM cases`:                                                      1,
		`SELECT COUNT(*) FROM case_events`:                                                1,
		`SELECT COUNT(*) FROM notifications`:                                              1,
		`SELECT COALESCE(SUM(received), 0) FROM case_rollup WHERE dim = '' AND depth = 0`: 1,
		`SELECT COALESCE(SUM(accepted), 0) FROM case_rollup WHERE dim = '' AND depth = 0`: 0,
	} {
		if n := count(t, r, q); n != want {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}
	if n := count(t, r, `SELECT value FROM counters WHERE name = ?`, "case:"+domain.NumberDay(db.Now())); n != 1 {
		t.Errorf("day counter at %d, want 1", n)
	}
}

// An error is returned by the call that met it. A statement that fails gives its own
// error and, rolled back to its savepoint, leaves the transaction usable. Pending rows
// the database refuses fail the statement whose flush wrote them, and every later call,
// and the transaction does not commit.
func TestErrorsSurfaceWhereTheyHappen(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	file := filer(t, db)
	d := dispatcher(t, db)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Savepoint("sp"); err != nil {
			return err
		}
		var n int
		if err := store.QueryRow(tx, `SELECT COUNT(*) FROM no_such_table`).Scan(&n); err == nil {
			t.Error("a query of a missing table gave no error")
		}
		if err := tx.RollbackTo("sp"); err != nil {
			return err
		}
		err := store.Exec(tx, `INSERT INTO case_duplicates (case_id, of_case, distance_m) VALUES (?, ?, ?)`, 999998, 999999, 1)
		if err == nil {
			t.Error("a row for missing cases was inserted")
		}
		if err := tx.RollbackTo("sp"); err != nil {
			return err
		}
		if err := tx.Release("sp"); err != nil {
			return err
		}
		_, err = file(tx, "kept", d.ID)
		return err
	})
	if err != nil {
		t.Fatalf("a transaction whose failed statements were rolled back: %v", err)
	}

	var flushErr error
	err = db.Update(ctx, func(tx *store.Tx) error {
		c, err := file(tx, "refused", 999999) // a notice for a missing user
		if err != nil {
			return err
		}
		if _, flushErr = tx.Case(c.ID); flushErr == nil {
			t.Fatal("the statement that wrote a refused row gave no error")
		}
		if _, err := tx.Case(c.ID); !errors.Is(err, flushErr) {
			t.Errorf("a later statement gave %v, want the failed flush's %v", err, flushErr)
		}
		if err := tx.Savepoint("sp"); !errors.Is(err, flushErr) {
			t.Errorf("a savepoint after the failed flush gave %v", err)
		}
		return nil // as a caller that did not look
	})
	if !errors.Is(err, flushErr) {
		t.Fatalf("the transaction with a failed flush ended with %v, want %v", err, flushErr)
	}
	if n := count(t, raw(t, db), `SELECT COUNT(*) FROM cases`); n != 1 {
		t.Fatalf("%d cases committed, want only the first transaction's", n)
	}
}

// Statements run with the transaction's context, QueryContext with its own: a
// cancelled context stops the statement and, for the transaction's, the transaction,
// which then commits nothing.
func TestContextsAreHonoured(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	file := filer(t, db)
	d := dispatcher(t, db)
	done, cancelDone := context.WithCancel(ctx)
	cancelDone()
	err := db.Update(ctx, func(tx *store.Tx) error {
		if _, err := file(tx, "kept", d.ID); err != nil {
			return err
		}
		if _, err := tx.QueryContext(done, `SELECT id FROM cases`); !errors.Is(err, context.Canceled) {
			t.Errorf("a query with a cancelled context gave %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the transaction, whose own context was live: %v", err)
	}

	txCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	err = db.Update(txCtx, func(tx *store.Tx) error {
		c, err := file(tx, "dropped", d.ID)
		if err != nil {
			return err
		}
		cancel()
		if _, err := tx.Case(c.ID); !errors.Is(err, context.Canceled) {
			t.Errorf("a statement after the transaction's context ended gave %v", err)
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a transaction whose context ended gave %v", err)
	}
	if n := count(t, raw(t, db), `SELECT COUNT(*) FROM cases`); n != 1 {
		t.Fatalf("%d cases committed, want 1", n)
	}
	if err := db.Update(done, func(tx *store.Tx) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a transaction begun with a cancelled context gave %v", err)
	}
}
