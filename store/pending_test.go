package store_test

import (
	"errors"
	"fmt"
	"testing"

	"whistle/domain"
	"whistle/store"
)

// Filings in one transaction are written together at the next statement or the commit;
// a savepoint rolled back forgets its filings, whether or not a statement ran after it
// (opening it in the database), and the case numbers, ids, events, notices and rollup
// that stay are exactly those of the filings kept.
func TestPendingFilingsAndSavepoints(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	fileCase := filer(t, db)
	d, err := db.PutUser(ctx, domain.User{Login: "disp", Name: "D", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382"}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	file := func(tx *store.Tx, title string) (*domain.Case, error) { return fileCase(tx, title, d.ID) }
	refused := errors.New("refused")
	var kept []*domain.Case
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i := range 6 {
			sp := fmt.Sprintf("w%d", i)
			if err := tx.Savepoint(sp); err != nil {
				return err
			}
			c, err := file(tx, fmt.Sprintf("case %d", i))
			if err == nil && i%3 == 1 {
				// a statement after the filing opens the savepoint in the database
				_, err = tx.Case(c.ID)
			}
			if err == nil && i%3 != 0 {
				err = refused
			}
			if err != nil {
				if !errors.Is(err, refused) {
					return err
				}
				if err := tx.RollbackTo(sp); err != nil {
					return err
				}
				continue
			}
			if err := tx.Release(sp); err != nil {
				return err
			}
			kept = append(kept, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 2 {
		t.Fatalf("kept %d filings, want 2", len(kept))
	}
	r := raw(t, db)
	if n := count(t, r, `SELECT COUNT(*) FROM cases`); n != 2 {
		t.Fatalf("%d cases written, want 2", n)
	}
	for i, c := range kept {
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := domain.CaseNumber(domain.NumberDay(db.Now()), int64(i+1)); got.Number != want {
			t.Errorf("case %d numbered %s, want %s (numbers of refused filings are reused)", i, got.Number, want)
		}
		if len(got.Events) != 1 || got.Events[0].ID != c.Events[0].ID {
			t.Errorf("case %d: events %+v, answered with %+v", i, got.Events, c.Events)
		}
	}
	if n := count(t, r, `SELECT COUNT(*) FROM case_events`); n != 2 {
		t.Fatalf("%d events written, want 2", n)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM notifications`); n != 2 {
		t.Fatalf("%d notices written, want 2", n)
	}
	if n := count(t, r, `SELECT value FROM counters WHERE name = ?`, "case:"+domain.NumberDay(db.Now())); n != 2 {
		t.Fatalf("day counter at %d, want 2", n)
	}
	if err := db.FoldRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, r, `SELECT COALESCE(SUM(received), 0) FROM case_rollup WHERE dim = '' AND depth = 0`); n != 2 {
		t.Fatalf("rollup counts %d received, want 2", n)
	}
}

// A pending row the database refuses when the group's rows are written (a notice for a
// user that does not exist) fails the whole transaction, with the database's error,
// and leaves nothing of it; the next transaction on the same connections works.
func TestPendingRowsRefusedAtCommit(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	fileCase := filer(t, db)
	file := func(tx *store.Tx, notify int64) error { _, err := fileCase(tx, "t", notify); return err }
	err := db.Update(ctx, func(tx *store.Tx) error { return file(tx, 999999) })
	if err == nil {
		t.Fatal("a notice for a missing user was written")
	}
	r := raw(t, db)
	for _, table := range []string{"cases", "case_events", "notifications", "case_rollup"} {
		if n := count(t, r, `SELECT COUNT(*) FROM `+table); n != 0 {
			t.Errorf("%d rows in %s after the refused transaction", n, table)
		}
	}
	u, err := db.PutUser(ctx, domain.User{Login: "disp", Name: "D", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382"}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return file(tx, u.ID) }); err != nil {
		t.Fatalf("the next filing: %v", err)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM cases`); n != 1 {
		t.Fatalf("%d cases after the next filing, want 1", n)
	}
}

// filer puts a matter in db and gives a function that files a case of it in a
// transaction, notifying one user, as the service's intake does.
func filer(t *testing.T, db *store.DB) func(tx *store.Tx, title string, notify int64) (*domain.Case, error) {
	if err := db.PutMatters(ctx, []domain.Matter{{Code: "M-1", Name: "m", Class: "市容环境", Category: "event", LeadOrg: "ORG-A",
		AckDeadline: domain.Deadline{N: 2, Unit: domain.UnitHour}, Deadline: domain.Deadline{N: 5, Unit: domain.UnitDay}, Priority: 3}}); err != nil {
		t.Fatal(err)
	}
	m, err := db.Matter(ctx, "M-1")
	if err != nil {
		t.Fatal(err)
	}
	return func(tx *store.Tx, title string, notify int64) (*domain.Case, error) {
		number, err := tx.NextNumber(db.Now())
		if err != nil {
			return nil, err
		}
		e := domain.Intake(domain.User{Name: "网格员"}, domain.NewCase{Matter: "M-1", Title: title, Region: "431382001001", Channel: "online", Kind: "request"}, number, m, db.Now())
		c := &domain.Case{}
		c.Apply(e)
		events := []domain.Event{e}
		if err := tx.Record(nil, c, events); err != nil {
			return nil, err
		}
		c.Events = events
		return c, tx.Notify([]int64{notify}, c.ID, "new_case", title)
	}
}
