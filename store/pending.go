package store

import (
	"fmt"
	"strings"

	"whistle/domain"
)

// pending is what a transaction has recorded but not yet written: case rows (new cases
// whole; for a changed case its orgs, events and deadlines), notices and moved counters.
// They are written just before the transaction's next statement or its commit, so a
// group of filings sharing one transaction goes to the database as one multi-row
// statement per table instead of a statement per row.
type pending struct {
	cases   [][]any
	more    caseRows
	notices [][]any
	// counters are the counters this transaction has read (and locked) and moved.
	counters map[string]*counter
	// ids are the case and event ids taken for rows not yet written, per table.
	ids map[string]*idBlock
}

type counter struct{ value, written int64 }

// idBlock is a table's ids for this transaction. On PostgreSQL they are reserved from
// the table's sequence, so other processes never take them; on SQLite the write
// transaction excludes other writers and ids follow MAX(id), read once (RecordNew, the
// only other writer of these tables, makes them read again).
type idBlock struct {
	free []int64 // PostgreSQL: reserved, not yet used
	next int64   // SQLite: the next id, 0 until read
}

// mark is where a savepoint began in the pending rows, and the counters then.
type mark struct {
	cases, orgs, events, deadlines, notices int
	counters                                map[string]int64
}

// idReserve is how many ids of each table one PostgreSQL round trip reserves.
const idReserve = 32

// idTables are the tables newID numbers. On PostgreSQL their ids are reserved together:
// a new case comes with its first event, so one round trip serves both.
var idTables = []string{"cases", "case_events"}

// newID gives an id for a new row of table (cases or case_events).
func (tx *Tx) newID(table string) (int64, error) {
	if tx.pend.ids == nil {
		tx.pend.ids = map[string]*idBlock{}
		for _, t := range idTables {
			tx.pend.ids[t] = &idBlock{}
		}
	}
	b := tx.pend.ids[table]
	if tx.db.eng.reserveIDs == "" {
		if b.next == 0 {
			if err := tx.asideRow(`SELECT COALESCE(MAX(id), 0) + 1 FROM `+table, &b.next); err != nil {
				return 0, err
			}
		}
		b.next++
		return b.next - 1, nil
	}
	if len(b.free) == 0 {
		if err := tx.reserveIDs(); err != nil {
			return 0, err
		}
	}
	id := b.free[0]
	b.free = b.free[1:]
	return id, nil
}

// reserveIDs takes idReserve ids from the sequence of each id table whose reserve is
// used up, in one statement.
func (tx *Tx) reserveIDs() error {
	var parts []string
	for _, t := range idTables {
		if len(tx.pend.ids[t].free) == 0 {
			parts = append(parts, fmt.Sprintf(tx.db.eng.reserveIDs, t, idReserve))
		}
	}
	rows, err := tx.aside(strings.Join(parts, " UNION ALL "))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var id int64
		if err := rows.Scan(&table, &id); err != nil {
			return err
		}
		b := tx.pend.ids[table]
		b.free = append(b.free, id)
	}
	return rows.Err()
}

// count moves the counter name on by one and gives its new value. The first use in a
// transaction locks the counter's row (creating it at 0); the value is written with the
// pending rows.
func (tx *Tx) count(name string) (int64, error) {
	c := tx.pend.counters[name]
	if c == nil {
		c = &counter{}
		err := tx.asideRow(`INSERT INTO counters (name, value) VALUES (?, 0)
			ON CONFLICT (name) DO UPDATE SET value = counters.value RETURNING value`, &c.value, name)
		if err != nil {
			return 0, err
		}
		c.written = c.value
		if tx.pend.counters == nil {
			tx.pend.counters = map[string]*counter{}
		}
		tx.pend.counters[name] = c
	}
	c.value++
	return c.value, nil
}

// addRows adds a case's orgs, deadlines and new events to the pending rows, giving the
// events their ids; for a new case (isNew) its row too.
func (tx *Tx) addRows(c *domain.Case, events []domain.Event, isNew bool) error {
	for i := range events {
		id, err := tx.newID("case_events")
		if err != nil {
			return err
		}
		events[i].ID, events[i].CaseID = id, c.ID
	}
	if isNew {
		tx.pend.cases = append(tx.pend.cases, append(caseArgs(c), boolInt(c.Overdue())))
	}
	return tx.pend.more.add(c, events)
}

// mark notes where a savepoint begins.
func (p *pending) mark() mark {
	m := mark{cases: len(p.cases), orgs: len(p.more.orgs), events: len(p.more.events),
		deadlines: len(p.more.deadlines), notices: len(p.notices), counters: map[string]int64{}}
	for name, c := range p.counters {
		m.counters[name] = c.value
	}
	return m
}

// split takes the rows recorded before m out of p, leaving those after it, so they can
// be written before the savepoint m is opened in the database.
func (p *pending) split(m mark) (before pending) {
	cut := func(rows *[][]any, n int) [][]any {
		head := (*rows)[:n:n]
		*rows = (*rows)[n:]
		return head
	}
	before.cases, before.notices = cut(&p.cases, m.cases), cut(&p.notices, m.notices)
	before.more = caseRows{orgs: cut(&p.more.orgs, m.orgs), events: cut(&p.more.events, m.events), deadlines: cut(&p.more.deadlines, m.deadlines)}
	return before
}

// shift moves m back by the rows split off before it.
func (m *mark) shift(by mark) {
	m.cases -= by.cases
	m.orgs -= by.orgs
	m.events -= by.events
	m.deadlines -= by.deadlines
	m.notices -= by.notices
}

// settled tells whether nothing is waiting to be written.
func (p *pending) settled() bool {
	if len(p.cases)+len(p.more.orgs)+len(p.more.events)+len(p.more.deadlines)+len(p.notices) > 0 {
		return false
	}
	for _, c := range p.counters {
		if c.value != c.written {
			return false
		}
	}
	return true
}

// rollBack forgets what was recorded since m. opened says the savepoint was opened in
// the database, whose rollback also undoes the counters written since.
func (p *pending) rollBack(m mark, opened bool) {
	p.cases, p.notices = p.cases[:m.cases], p.notices[:m.notices]
	p.more = caseRows{orgs: p.more.orgs[:m.orgs], events: p.more.events[:m.events], deadlines: p.more.deadlines[:m.deadlines]}
	for name, c := range p.counters {
		v, ok := m.counters[name]
		if !ok {
			delete(p.counters, name) // first read after the savepoint: its row went too
			continue
		}
		c.value = v
		if opened {
			c.written = v
		}
	}
}

// write writes rows and counters to the database (without settling first: it is part
// of settling).
func (tx *Tx) write(rows pending, counters map[string]int64) error {
	if err := tx.writeRows(`cases (`+caseCols+`, overdue)`, rows.cases); err != nil {
		return err
	}
	if err := rows.more.write(tx); err != nil {
		return err
	}
	if err := tx.writeRows(`notifications (user_id, case_id, kind, message, created_at)`, rows.notices); err != nil {
		return err
	}
	for name, v := range counters {
		c := tx.pend.counters[name]
		if c == nil || c.written == v {
			continue
		}
		if err := tx.send(`UPDATE counters SET value = ? WHERE name = ?`, v, name); err != nil {
			return err
		}
		c.written = v
	}
	return nil
}

// settle brings the database level with what the transaction has recorded, before a
// statement runs: savepoints not yet opened are opened, each after the rows recorded
// before it are written, then the rest is written. On PostgreSQL it all goes in one
// round trip.
func (tx *Tx) settle() error {
	if l := tx.layers[len(tx.layers)-1]; l.opened && tx.pend.settled() {
		return nil // the usual case: nothing recorded since the last statement
	}
	return tx.piped(tx.writePending)
}

// writePending writes the pending rows and opens the savepoints not yet opened.
func (tx *Tx) writePending() error {
	for i := 1; i < len(tx.layers); i++ {
		l := &tx.layers[i]
		if l.opened {
			continue
		}
		before := tx.pend.split(l.mark)
		for j := i + 1; j < len(tx.layers); j++ {
			tx.layers[j].mark.shift(l.mark)
		}
		if err := tx.write(before, l.mark.counters); err != nil {
			return err
		}
		if err := tx.send("SAVEPOINT " + l.savepoint); err != nil {
			return err
		}
		l.opened = true
		l.mark.shift(l.mark) // its rows now start at the beginning of the pending rows
	}
	rest := tx.pend.split(tx.pend.mark())
	return tx.write(rest, tx.pend.mark().counters)
}
