package store

import (
	"fmt"
	"strings"

	"whistle/domain"
)

// pendingTable is a table whose rows wait in a transaction's pending rows (see the top
// of tx.go). A flush writes the tables in this order, parents before children.
type pendingTable int

const (
	pendingCases pendingTable = iota
	pendingOrgs
	pendingEvents
	pendingDeadlines
	pendingNotices
	pendingTables // how many
)

// pendingTargets name each pending table's columns in the order of its rows. Pending
// events come with their ids (newID takes them when they are recorded), in the last
// column.
var pendingTargets = [pendingTables]string{
	pendingCases:     casesTarget,
	pendingOrgs:      caseOrgsTarget,
	pendingEvents:    eventsWithIDsTarget,
	pendingDeadlines: deadlinesTarget,
	pendingNotices:   `notifications (user_id, case_id, kind, message, created_at)`,
}

// pending is what a transaction has recorded but not yet written: rows per table and
// moved counters.
type pending struct {
	rows [pendingTables][][]any
	// counters are the counters this transaction has read (and locked) and moved.
	counters map[string]*counter
	// ids are the case and event ids taken for rows not yet written, per table.
	ids map[string]*idBlock
}

// counter is a counter's value in the transaction, and the value last written.
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
	rows     [pendingTables]int
	counters map[string]int64
}

// add is the one way rows join the pending rows: they are written by the next flush.
func (tx *Tx) add(t pendingTable, rows ...[]any) {
	tx.pend.rows[t] = append(tx.pend.rows[t], rows...)
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
	var r caseRows
	if err := r.add(c, events); err != nil {
		return err
	}
	for i := range r.events {
		r.events[i] = append(r.events[i], events[i].ID)
	}
	if isNew {
		tx.add(pendingCases, caseRow(c))
	}
	tx.add(pendingOrgs, r.orgs...)
	tx.add(pendingEvents, r.events...)
	tx.add(pendingDeadlines, r.deadlines...)
	return nil
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
			err := tx.numbering(`SELECT COALESCE(MAX(id), 0) + 1 FROM `+table, nil, func(r scanner) error { return r.Scan(&b.next) })
			if err != nil {
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
	return tx.numbering(strings.Join(parts, " UNION ALL "), nil, func(r scanner) error {
		var table string
		var id int64
		if err := r.Scan(&table, &id); err != nil {
			return err
		}
		b := tx.pend.ids[table]
		b.free = append(b.free, id)
		return nil
	})
}

// count moves the counter name on by one and gives its new value. The first use in a
// transaction locks the counter's row (creating it at 0); the value is written by the
// next flush.
func (tx *Tx) count(name string) (int64, error) {
	c := tx.pend.counters[name]
	if c == nil {
		c = &counter{}
		err := tx.numbering(`INSERT INTO counters (name, value) VALUES (?, 0)
			ON CONFLICT (name) DO UPDATE SET value = counters.value RETURNING value`, []any{name},
			func(r scanner) error { return r.Scan(&c.value) })
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

// mark notes where a savepoint begins.
func (p *pending) mark() mark {
	m := mark{counters: map[string]int64{}}
	for t, rows := range p.rows {
		m.rows[t] = len(rows)
	}
	for name, c := range p.counters {
		m.counters[name] = c.value
	}
	return m
}

// split takes the rows recorded before m out of p, leaving those after it, so they can
// be written before the savepoint m is opened in the database.
func (p *pending) split(m mark) (before [pendingTables][][]any) {
	for t, rows := range p.rows {
		n := m.rows[t]
		before[t], p.rows[t] = rows[:n:n], rows[n:]
	}
	return before
}

// shift moves m back by the rows split off before it.
func (m *mark) shift(by mark) {
	for t := range m.rows {
		m.rows[t] -= by.rows[t]
	}
}

// empty tells whether nothing is waiting to be written.
func (p *pending) empty() bool {
	for _, rows := range p.rows {
		if len(rows) > 0 {
			return false
		}
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
	for t := range p.rows {
		p.rows[t] = p.rows[t][:m.rows[t]]
	}
	for name, c := range p.counters {
		v, ok := m.counters[name]
		if !ok {
			delete(p.counters, name) // first read after the savepoint: read it again
			continue
		}
		c.value = v
		if opened {
			c.written = v
		}
	}
}

// flush brings the database level with what the transaction has recorded, before a
// statement runs: savepoints not yet opened are opened, each after the rows recorded
// before it are written, then the rest is written. On PostgreSQL it all goes in one
// round trip. Its failure breaks the transaction.
func (tx *Tx) flush() error {
	if tx.broken != nil {
		return tx.broken
	}
	if tx.layers[len(tx.layers)-1].opened && tx.pend.empty() {
		return nil // the usual case: nothing recorded since the last statement
	}
	if err := tx.piped(tx.writePending); err != nil {
		tx.broken = err
		return err
	}
	return nil
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
		if err := tx.writeRows(before, l.mark.counters); err != nil {
			return err
		}
		if err := tx.flushWrite("SAVEPOINT " + l.savepoint); err != nil {
			return err
		}
		l.opened = true
		l.mark.shift(l.mark) // its rows now start at the beginning of the pending rows
	}
	rest := tx.pend.split(tx.pend.mark())
	return tx.writeRows(rest, tx.pend.mark().counters)
}

// writeRows writes rows, part of a flush, and the counters at the values given.
func (tx *Tx) writeRows(rows [pendingTables][][]any, counters map[string]int64) error {
	for t, target := range pendingTargets {
		if err := tx.flushRows(target, "", rows[t]); err != nil {
			return err
		}
	}
	if err := tx.enqueueMessages(rows[pendingNotices]); err != nil { // outbox.go
		return err
	}
	for name, v := range counters {
		c := tx.pend.counters[name]
		if c == nil || c.written == v {
			continue
		}
		if err := tx.flushWrite(`UPDATE counters SET value = ? WHERE name = ?`, v, name); err != nil {
			return err
		}
		c.written = v
	}
	return nil
}
