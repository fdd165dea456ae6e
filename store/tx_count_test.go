package store_test

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"whistle/domain"
	"whistle/store"
)

// fileFunc files a case in a transaction, notifying one user.
type fileFunc func(tx *store.Tx, title string, notify int64) (*domain.Case, error)

// cost is what a write may cost the database at most.
type cost struct{ statements, roundTrips int }

// TestFilingStatementCounts holds what filings cost the database to the numbers the
// group commit was built for: the statements, statements parsed and round trips of one
// filing alone and of groups of 32 and 128, as the service's group commit runs them (a
// transaction, a savepoint per filing), both for a plain filing (service.File: number,
// case, first event, notices) and for one through a door (service.FileIntake: with the
// door's details, a duplicate search and a notice), and of a change of a case (its
// dispatch, as service.Act does it). Each is measured after the same write has run
// twice, so kept statements are warm.
func TestFilingStatementCounts(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	d := dispatcher(t, db)
	plain := filer(t, db)
	// most: the statements and round trips each write may cost, per engine; none is
	// parsed again once warm. PostgreSQL reserves ids 32 at a time, so 128 filings take
	// three more round trips than 32.
	// Each write of notices is followed by the outbox's INSERT ... SELECT (outbox.go):
	// one statement more per filing's savepoint, in the same round trip.
	most := map[string]map[string][]cost{
		"sqlite": {
			"plain":  {{11, 0}, {11, 0}, {11, 0}},
			"intake": {{15, 0}, {294, 0}, {1158, 0}},
			"change": {{20, 0}},
		},
		"postgres": {
			"plain":  {{10, 5}, {10, 5}, {13, 8}},
			"intake": {{14, 9}, {293, 133}, {1160, 520}},
			"change": {{20, 16}},
		},
	}[db.Engine()]
	counts := store.CountStatements(t, db)
	check := func(what string, want cost) {
		t.Helper()
		t.Logf("%s %s: %v", db.Engine(), what, counts)
		logStatements(t, counts.Log)
		statements, prepares, roundTrips := counts.Get()
		if statements > want.statements || roundTrips > want.roundTrips || prepares > 0 {
			t.Errorf("%s: %v; want at most %d statements, none parsed, %d round trips", what, counts, want.statements, want.roundTrips)
		}
	}
	for _, kind := range []struct {
		name string
		file fileFunc
	}{{"plain", plain}, {"intake", intakeFiler(db, plain)}} {
		for i, n := range []int{1, 32, 128} {
			fileGroup(t, db, n, d.ID, kind.file)
			fileGroup(t, db, n, d.ID, kind.file)
			counts.Reset()
			fileGroup(t, db, n, d.ID, kind.file)
			check(fmt.Sprintf("%s, a group of %d", kind.name, n), most[kind.name][i])
		}
	}
	for i := range 3 {
		var c *domain.Case
		fileGroup(t, db, 1, d.ID, func(tx *store.Tx, title string, notify int64) (*domain.Case, error) {
			var err error
			c, err = plain(tx, title, notify)
			return c, err
		})
		act(t, db, d, c.ID, domain.Command{Action: domain.ActAccept})
		counts.Reset()
		act(t, db, d, c.ID, domain.Command{Action: domain.ActDispatch, Org: "ORG-A"})
		if i == 2 {
			check("change", most["change"][0])
		}
	}
}

// fileGroup files n cases in one transaction, each under a savepoint, as the service's
// group commit does.
func fileGroup(t *testing.T, db *store.DB, n int, notify int64, file fileFunc) {
	t.Helper()
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range n {
			sp := fmt.Sprintf("w%d", i)
			if err := tx.Savepoint(sp); err != nil {
				return err
			}
			if _, err := file(tx, fmt.Sprintf("case %d", i), notify); err != nil {
				return errors.Join(err, tx.RollbackTo(sp))
			}
			if err := tx.Release(sp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// intakeFiler files as plain does, then as service.FileIntake goes on: the door's
// details, the search for likely duplicates around the case's place and their rows.
// Each filing is placed two index cells from the last, so none finds another.
func intakeFiler(db *store.DB, plain fileFunc) fileFunc {
	spot := 0.0
	return func(tx *store.Tx, title string, notify int64) (*domain.Case, error) {
		spot += 0.02
		lat, lon := 27.0+spot, 111.0
		c, err := plain(tx, title, notify)
		if err != nil {
			return nil, err
		}
		if err := tx.PutIntake(domain.IntakeDetails{CaseID: c.ID, CallerPhone: "13800001111"}, "", c.CreatedAt); err != nil {
			return nil, err
		}
		cands, err := db.Nearby(ctx, tx, "M-1", lat, lon, 1, 1, c.CreatedAt.Add(-time.Hour), c.CreatedAt.Add(time.Hour))
		if err != nil {
			return nil, err
		}
		var dups []domain.Duplicate
		for _, o := range cands {
			dups = append(dups, domain.Duplicate{CaseID: o.ID, Distance: 1})
		}
		return c, tx.PutDuplicates(c.ID, dups)
	}
}

// act carries out cmd on case id as the dispatcher d, as service.Act does, notifying the
// officers of cmd's org.
func act(t *testing.T, db *store.DB, d domain.User, id int64, cmd domain.Command) {
	t.Helper()
	err := db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(id)
		if err != nil {
			return err
		}
		env := domain.Env{Now: db.Now(), OrgExists: tx.OrgExists}
		if env.Cal, err = tx.Calendar(); err != nil {
			return err
		}
		if env.Matter, err = tx.Matter(c.Matter); err != nil {
			return err
		}
		cmd.Version = c.Version
		e, err := domain.Decide(d, c, cmd, env)
		if err != nil {
			return err
		}
		after := c.Clone()
		after.Apply(e)
		if err := tx.Record(c, after, []domain.Event{e}); err != nil {
			return err
		}
		users, err := tx.Officers([]string{cmd.Org})
		if err != nil {
			return err
		}
		return tx.Notify(append(users, d.ID), c.ID, string(e.Action), "dispatched")
	})
	if err != nil {
		t.Fatal(err)
	}
}

// logStatements logs the texts of statements parsed or run, each once with how often it
// came (savepoint names as w*).
func logStatements(t *testing.T, texts []string) {
	t.Helper()
	seen := map[string]int{}
	var order []string
	for _, s := range texts {
		s = savepointName.ReplaceAllString(s, "w*")
		if seen[s] == 0 {
			order = append(order, s)
		}
		seen[s]++
	}
	for _, s := range order {
		t.Logf("    %4d× %s", seen[s], s)
	}
}

var savepointName = regexp.MustCompile(`\bw[0-9]+\b`)
