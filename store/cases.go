package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"whistle/domain"
)

const caseCols = `id, number, status, resume_status, version, matter, title, description, region, lat, lon, address,
	channel, kind, priority, reporter_name, reporter_phone, reporter_user_id, lead_org, ack_due, resolve_due,
	dispatched_at, acked_at, resolved_at, closed_at, suspended_at, overdue_ack, overdue_resolve, extended,
	ext_days, ext_until, ext_reason, ext_at, escalated, returns, result, satisfaction, merged_into, created_at, updated_at,
	sup_at, sup_by, sup_by_name, sup_text, sup_due, sup_overdue, reopens`

func scanCase(row scanner) (*domain.Case, error) {
	var c domain.Case
	var lat, lon sql.NullFloat64
	var reporterID, mergedInto, extDays sql.NullInt64
	var ackDue, resolveDue, dispatched, acked, resolved, closed, suspended, extUntil, extAt sql.NullInt64
	var extReason sql.NullString
	var ovAck, ovRes, extended int
	var created, updated int64
	var sup supervisionCols
	err := row.Scan(&c.ID, &c.Number, &c.Status, &c.Resume, &c.Version, &c.Matter, &c.Title, &c.Description, &c.Region,
		&lat, &lon, &c.Address, &c.Channel, &c.Kind, &c.Priority, &c.Reporter.Name, &c.Reporter.Phone, &reporterID,
		&c.LeadOrg, &ackDue, &resolveDue, &dispatched, &acked, &resolved, &closed, &suspended, &ovAck, &ovRes, &extended,
		&extDays, &extUntil, &extReason, &extAt, &c.Escalated, &c.Returns, &c.Result, &c.Satisfaction, &mergedInto,
		&created, &updated, &sup.at, &sup.by, &sup.byName, &sup.text, &sup.due, &sup.overdue, &c.Reopens)
	if err != nil {
		return nil, err
	}
	c.Supervision = sup.supervision()
	if lat.Valid && lon.Valid {
		c.Lat, c.Lon = &lat.Float64, &lon.Float64
	}
	c.Reporter.UserID, c.MergedInto = reporterID.Int64, mergedInto.Int64
	c.AckDue, c.ResolveDue, c.DispatchedAt = timeOrNil(ackDue), timeOrNil(resolveDue), timeOrNil(dispatched)
	c.AckedAt, c.ResolvedAt, c.ClosedAt, c.SuspendedAt = timeOrNil(acked), timeOrNil(resolved), timeOrNil(closed), timeOrNil(suspended)
	c.OverdueAck, c.OverdueResolve, c.Extended = ovAck == 1, ovRes == 1, extended == 1
	if extAt.Valid {
		c.Extension = &domain.Extension{WorkingDays: int(extDays.Int64), Until: timeOrNil(extUntil), Reason: extReason.String, At: fromUnix(extAt.Int64)}
	}
	c.CreatedAt, c.UpdatedAt = fromUnix(created), fromUnix(updated)
	c.CoOrgs, c.Summons = []string{}, []domain.Summons{}
	return &c, nil
}

// caseArgs lists the row values of c in caseCols order, id first.
func caseArgs(c *domain.Case) []any {
	var lat, lon, reporterID, mergedInto, extDays, extUntil, extReason, extAt any
	if c.Lat != nil && c.Lon != nil {
		lat, lon = *c.Lat, *c.Lon
	}
	if c.Reporter.UserID != 0 {
		reporterID = c.Reporter.UserID
	}
	if c.MergedInto != 0 {
		mergedInto = c.MergedInto
	}
	if e := c.Extension; e != nil {
		extDays, extUntil, extReason, extAt = e.WorkingDays, unixOrNil(e.Until), e.Reason, e.At.Unix()
	}
	var supAt, supBy, supDue any
	var supByName, supText string
	supOverdue := 0
	if s := c.Supervision; s != nil {
		supAt, supDue, supByName, supText, supOverdue = s.At.Unix(), s.Due.Unix(), s.By, s.Text, boolInt(s.Overdue)
		if s.ByID != 0 {
			supBy = s.ByID
		}
	}
	return []any{c.ID, c.Number, c.Status, c.Resume, c.Version, c.Matter, c.Title, c.Description, c.Region, lat, lon,
		c.Address, c.Channel, c.Kind, c.Priority, c.Reporter.Name, c.Reporter.Phone, reporterID, c.LeadOrg,
		unixOrNil(c.AckDue), unixOrNil(c.ResolveDue), unixOrNil(c.DispatchedAt), unixOrNil(c.AckedAt),
		unixOrNil(c.ResolvedAt), unixOrNil(c.ClosedAt), unixOrNil(c.SuspendedAt), boolInt(c.OverdueAck),
		boolInt(c.OverdueResolve), boolInt(c.Extended), extDays, extUntil, extReason, extAt, c.Escalated, c.Returns,
		c.Result, c.Satisfaction, mergedInto, c.CreatedAt.Unix(), c.UpdatedAt.Unix(),
		supAt, supBy, supByName, supText, supDue, supOverdue, c.Reopens}
}

// supervisionCols are the sup_* columns of a case row: its supervision, or NULLs.
type supervisionCols struct {
	at, by, due  sql.NullInt64
	byName, text string
	overdue      int
}

func (s supervisionCols) supervision() *domain.Supervision {
	if !s.at.Valid || !s.due.Valid {
		return nil
	}
	return &domain.Supervision{At: fromUnix(s.at.Int64), ByID: s.by.Int64, By: s.byName, Text: s.text, Due: fromUnix(s.due.Int64), Overdue: s.overdue == 1}
}

// loadOrgs fills the co-orgs and summons of the cases from case_orgs.
func loadOrgs(ctx context.Context, q querier, cases ...*domain.Case) error {
	if len(cases) == 0 {
		return nil
	}
	// one query for the page; the id list is padded to a power of two (repeating the
	// last id) so a few statement shapes serve every page size
	byID := make(map[int64]*domain.Case, len(cases))
	ids := make([]any, 0, len(cases))
	for _, c := range cases {
		byID[c.ID] = c
		ids = append(ids, c.ID)
	}
	for n := len(ids); n&(n-1) != 0; n++ {
		ids = append(ids, cases[len(cases)-1].ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT case_id, org, role, due, reported_at, overdue FROM case_orgs
		WHERE case_id IN (`+placeholders(len(ids))+`) AND role <> 'lead' ORDER BY case_id, role, pos`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var org, role string
		var due, reported sql.NullInt64
		var overdue int
		if err := rows.Scan(&id, &org, &role, &due, &reported, &overdue); err != nil {
			return err
		}
		c := byID[id]
		if role == "co" {
			c.CoOrgs = append(c.CoOrgs, org)
		} else {
			c.Summons = append(c.Summons, domain.Summons{Org: org, Due: fromUnix(due.Int64), ReportedAt: timeOrNil(reported), Overdue: overdue == 1})
		}
	}
	return rows.Err()
}

// Case reads one case with its orgs and events, or not-found.
func (db *DB) Case(ctx context.Context, id int64) (*domain.Case, error) {
	c, err := scanCase(db.read.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "case %d not found", id)
	}
	if err := loadOrgs(ctx, db.read, c); err != nil {
		return nil, err
	}
	c.Events, err = db.Events(ctx, id)
	return c, err
}

// Case reads a case for change inside a write transaction, locking it (events not
// loaded).
func (tx *Tx) Case(id int64) (*domain.Case, error) { return tx.readCase(id, tx.db.eng.lockRow) }

// PeekCase reads a case the transaction will not change (a merge target), without
// locking it, so two merges in opposite directions cannot deadlock.
func (tx *Tx) PeekCase(id int64) (*domain.Case, error) { return tx.readCase(id, "") }

func (tx *Tx) readCase(id int64, lock string) (*domain.Case, error) {
	c, err := scanCase(tx.queryRow(`SELECT `+caseCols+` FROM cases WHERE id = ?`+lock, id))
	if err != nil {
		return nil, notFound(err, "case %d not found", id)
	}
	return c, loadOrgs(tx.ctx, tx, c)
}

// Events lists a case's events in order.
func (db *DB) Events(ctx context.Context, caseID int64) ([]domain.Event, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, case_id, seq, at, actor_id, actor_name, action, from_status, to_status, note, data
		FROM case_events WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Event{}
	for rows.Next() {
		var e domain.Event
		var at int64
		var actor sql.NullInt64
		var data string
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Seq, &at, &actor, &e.ActorName, &e.Action, &e.From, &e.To, &e.Note, &data); err != nil {
			return nil, err
		}
		e.At, e.ActorID = fromUnix(at), actor.Int64
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("event %d data: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// NextNumber hands out the next human case number of the day: 20261130-000042. The
// counter row is updated in the caller's transaction, so numbers are unique and gapless
// per committed day.
func (tx *Tx) NextNumber(at time.Time) (string, error) {
	day := domain.NumberDay(at)
	n, err := tx.count("case:" + day)
	return domain.CaseNumber(day, n), err
}

// Record writes a change of a case: the new row (inserted when before is nil, else
// updated only if still at before's version), its orgs, the events, its running
// deadlines and the rollup delta, all in the caller's transaction. It (and RecordNew for
// generated history) is the only way a case is written.
func (tx *Tx) Record(before, after *domain.Case, events []domain.Event) error {
	if before == nil {
		id, err := tx.newID("cases")
		if err != nil {
			return err
		}
		after.ID = id
	} else {
		args := caseRow(after)
		res, err := tx.exec(`UPDATE cases SET (`+caseInsertCols+`) = (`+placeholders(len(args)-1)+`) WHERE id = ? AND version = ?`,
			append(args[1:], after.ID, before.Version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.ESTALE, "case %s changed meanwhile; reload and try again", after.Number)
		}
		if _, err := tx.exec(`DELETE FROM case_orgs WHERE case_id = ?`, after.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM deadlines WHERE case_id = ?`, after.ID); err != nil {
			return err
		}
	}
	if err := tx.addRows(after, events, before == nil); err != nil {
		return err
	}
	tx.rollup(before, after)
	var actor int64
	if len(events) > 0 {
		actor = events[len(events)-1].ActorID
	}
	for _, k := range queueChanges(before, after) {
		tx.queued = append(tx.queued, QueueChange{Key: k, Actor: actor})
	}
	return nil
}

// QueueChange is a queue a commit changed (its key, see queueChanges) and the user
// whose act changed it (0: the sweeper, a door without a user): their own page has
// shown them what they did, and is not reloaded under them.
type QueueChange struct {
	Key   string
	Actor int64
}

// queueChanges are the queues a change of a case changes, as keys: "org:CODE" for
// each org on it before or after (web/inbox.go: led, co-operated, summoned) when its
// orgs or status changed, and "region:CODE" for its region and each above it (the
// dispatchers' queue, web/dispatch.go, by status, lateness and extension requests)
// when the case is new or its status, lateness or extension request changed. A note
// or a photo changes none. Open queue pages are told of them (OnQueues).
func queueChanges(before, after *domain.Case) []string {
	orgs := func(c *domain.Case) []string {
		if c == nil {
			return nil
		}
		var out []string
		if c.LeadOrg != "" {
			out = append(out, c.LeadOrg)
		}
		out = append(out, c.CoOrgs...)
		for _, s := range c.Summons {
			out = append(out, s.Org)
		}
		return out
	}
	was, is := orgs(before), orgs(after)
	var keys []string
	if before == nil || before.Status != after.Status || !slices.Equal(was, is) {
		for _, o := range append(was, is...) {
			keys = append(keys, "org:"+o)
		}
	}
	if before == nil || before.Status != after.Status || before.Overdue() != after.Overdue() || (before.Extension == nil) != (after.Extension == nil) {
		for _, r := range append(domain.Ancestors(after.Region), after.Region) {
			keys = append(keys, "region:"+r)
		}
	}
	return keys
}

// caseInsertCols are the columns a case row is written with: caseCols without the id,
// and the derived overdue flag the lists filter on.
var caseInsertCols = caseCols[len("id, "):] + ", overdue"

// The tables a case's rows are inserted into, with their columns in the order of the
// rows caseRow and caseRows give. An event's id is either the table's (generated
// history, RecordNew) or taken by newID and given in an extra last column (Record).
const (
	casesTarget         = `cases (` + caseCols + `, overdue)`
	caseOrgsTarget      = `case_orgs (case_id, org, role, pos, due, reported_at, overdue)`
	eventCols           = `case_id, seq, at, actor_id, actor_name, action, from_status, to_status, note, data`
	eventsTarget        = `case_events (` + eventCols + `)`
	eventsWithIDsTarget = `case_events (` + eventCols + `, id)`
	deadlinesTarget     = `deadlines (case_id, kind, org, due_at)`
)

// caseRow is c's row of casesTarget: caseArgs and the overdue flag.
func caseRow(c *domain.Case) []any { return append(caseArgs(c), boolInt(c.Overdue())) }

// placeholders gives n comma-separated parameters.
func placeholders(n int) string { return "?" + strings.Repeat(", ?", n-1) }

// caseRows are the rows that hang off case rows: orgs, events (without their ids) and
// running deadlines, each table's written with one multi-row statement.
type caseRows struct{ orgs, events, deadlines [][]any }

// add adds the rows of c, whose ID is set, and of its new events (the last len(events)
// versions of c).
func (r *caseRows) add(c *domain.Case, events []domain.Event) error {
	org := func(org, role string, pos int, due, reported *time.Time, overdue bool) {
		r.orgs = append(r.orgs, []any{c.ID, org, role, pos, unixOrNil(due), unixOrNil(reported), boolInt(overdue)})
	}
	if c.LeadOrg != "" {
		org(c.LeadOrg, "lead", 0, nil, nil, false)
	}
	for i, o := range c.CoOrgs {
		org(o, "co", i, nil, nil, false)
	}
	for i, s := range c.Summons {
		due := s.Due
		org(s.Org, "summoned", i, &due, s.ReportedAt, s.Overdue)
	}
	seq := c.Version - len(events)
	for _, e := range events {
		seq++
		data, err := json.Marshal(e.Data)
		if err != nil {
			return err
		}
		var actor any
		if e.ActorID != 0 {
			actor = e.ActorID
		}
		r.events = append(r.events, []any{c.ID, seq, e.At.Unix(), actor, e.ActorName, e.Action, e.From, e.To, e.Note, string(data)})
	}
	for _, d := range c.Pending() {
		r.deadlines = append(r.deadlines, []any{c.ID, d.Kind, d.Org, d.Due.Unix()})
	}
	return nil
}
