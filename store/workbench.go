package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"whistle/domain"
)

// Queries of the web workbenches. Each reads through an index and stops at a cap, so
// its cost follows what a person can look at, not the number of cases.

// ExtensionRequests lists the cases u may see whose lead org asked for more time and
// waits for an answer, newest first, below the cursor after (0: from the top).
func (db *DB) ExtensionRequests(ctx context.Context, u domain.User, after int64, limit int) ([]*domain.Case, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + prefixCols("c.", caseCols) + ` FROM cases c WHERE c.ext_at IS NOT NULL AND ` + where
	if after > 0 {
		q += ` AND c.id < ?`
		args = append(args, after)
	}
	return db.caseList(ctx, q+` ORDER BY c.id DESC LIMIT ?`, append(args, limit)...)
}

// CountExtensionRequests counts, up to limit, the pending extension requests u may see.
func (db *DB) CountExtensionRequests(ctx context.Context, u domain.User, limit int) (int, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE c.ext_at IS NOT NULL AND `+where+` LIMIT ?) s`,
		append(args, limit)...).Scan(&n)
	return n, err
}

// SimilarOpenCases lists open cases u may see of matter in the region subtree under
// community, received since since, other than the case except: the likely duplicates
// shown beside a new case. The index on (matter, region, created_at) serves it.
func (db *DB) SimilarOpenCases(ctx context.Context, u domain.User, matter, community string, since time.Time, except int64, limit int) ([]*domain.Case, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return nil, err
	}
	lo, hi := domain.SubtreeRange(community)
	q := `SELECT ` + prefixCols("c.", caseCols) + ` FROM cases c WHERE c.matter = ? AND c.region >= ? AND c.region < ?
		AND c.created_at >= ? AND c.id <> ? AND c.status NOT IN ('closed', 'rejected', 'merged') AND ` + where + `
		ORDER BY c.created_at DESC LIMIT ?`
	args = append([]any{matter, lo, hi, since.Unix(), except}, args...)
	return db.caseList(ctx, q, append(args, limit)...)
}

func (db *DB) caseList(ctx context.Context, q string, args ...any) ([]*domain.Case, error) {
	out, err := db.readCases(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return out, loadOrgs(ctx, db.read, out...)
}

// readCases reads the cases a query of caseCols selects, without their orgs.
func (db *DB) readCases(ctx context.Context, q string, args ...any) ([]*domain.Case, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*domain.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SummonedCases lists the cases u may see to which org was whistled (吹哨) and has not
// reported in yet, newest first, below the cursor after; the case_orgs index on (org,
// case_id) serves it.
func (db *DB) SummonedCases(ctx context.Context, u domain.User, org string, after int64, limit int) ([]*domain.Case, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + prefixCols("c.", caseCols) + ` FROM case_orgs s JOIN cases c ON c.id = s.case_id
		WHERE s.org = ? AND s.role = 'summoned' AND s.reported_at IS NULL AND ` + where
	args = append([]any{org}, args...)
	if after > 0 {
		q += ` AND s.case_id < ?`
		args = append(args, after)
	}
	return db.caseList(ctx, q+` ORDER BY s.case_id DESC LIMIT ?`, append(args, limit)...)
}

// ReportedBy lists the cases a user reported, newest first, below the cursor after:
// "my reports" on the phone page, through the index on (reporter_user_id, id).
func (db *DB) ReportedBy(ctx context.Context, userID, after int64, limit int) ([]*domain.Case, error) {
	q := `SELECT ` + prefixCols("c.", caseCols) + ` FROM cases c WHERE c.reporter_user_id = ?`
	args := []any{userID}
	if after > 0 {
		q += ` AND c.id < ?`
		args = append(args, after)
	}
	return db.caseList(ctx, q+` ORDER BY c.id DESC LIMIT ?`, append(args, limit)...)
}

// LeadCases lists the cases org leads that u may see, in one of statuses (none: any),
// newest first, below the cursor after: a department's inbox, through the index on
// (lead_org, status, id), or on (lead_org, id) for every status.
func (db *DB) LeadCases(ctx context.Context, u domain.User, org string, statuses []domain.Status, after int64, limit int) ([]*domain.Case, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + prefixCols("c.", caseCols) + ` FROM cases c WHERE c.lead_org = ? AND ` + where
	args = append([]any{org}, args...)
	if len(statuses) > 0 {
		q += ` AND c.status IN (?` + strings.Repeat(", ?", len(statuses)-1) + `)`
		args = append(args, anySlice(statuses)...)
	}
	if after > 0 {
		q += ` AND c.id < ?`
		args = append(args, after)
	}
	return db.caseList(ctx, q+` ORDER BY c.id DESC LIMIT ?`, append(args, limit)...)
}

// CountLeadCases counts, up to limit, the cases org leads in one of statuses that u may
// see: an inbox tab's count.
func (db *DB) CountLeadCases(ctx context.Context, u domain.User, org string, statuses []domain.Status, limit int) (int, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return 0, err
	}
	args = append(append([]any{org}, args...), anySlice(statuses)...)
	var n int
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE c.lead_org = ? AND `+where+`
		AND c.status IN (?`+strings.Repeat(", ?", len(statuses)-1)+`) LIMIT ?) s`, append(args, limit)...).Scan(&n)
	return n, err
}

// CountSummoned counts, up to limit, the cases u may see that org was whistled to and
// has not reported in to.
func (db *DB) CountSummoned(ctx context.Context, u domain.User, org string, limit int) (int, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM case_orgs s JOIN cases c ON c.id = s.case_id
		WHERE s.org = ? AND s.role = 'summoned' AND s.reported_at IS NULL AND `+where+` LIMIT ?) x`,
		append(append([]any{org}, args...), limit)...).Scan(&n)
	return n, err
}

// periodScan bounds how many cases of a period one page of CasesInPeriod examines.
var periodScan = 20000

// CasesInPeriod lists the cases u may see that match f and were received in
// [f.From, f.To), newest first, one bounded page at a time: the drill-down from a
// dashboard. A period can hold most of the cases, so sorting it by id (as Cases does)
// would cost the whole period; instead each page walks the received-time index back
// from the cursor over at most periodScan cases. A page may so hold fewer than limit
// cases while more remain: next (received time and id, exclusive) is then the place
// the walk stopped, and is zero only when the period is exhausted. The filters are
// those of Cases, written again here because the order and the bound differ.
func (db *DB) CasesInPeriod(ctx context.Context, u domain.User, f domain.CaseFilter, beforeAt, beforeID int64) (cases []*domain.Case, nextAt, nextID int64, err error) {
	if f.From == nil || f.To == nil {
		return nil, 0, 0, domain.Errorf(domain.EINVALID, "a period needs from and to")
	}
	from := f.From.Unix()
	curAt, curID := f.To.Unix(), int64(0)
	if beforeAt > 0 && beforeAt <= curAt {
		curAt, curID = beforeAt, beforeID
	}
	// the window: the periodScan-th case back from the cursor, or the period's start.
	// Plain range terms (no OR) keep both engines on the received-time index in order.
	var lowAt, lowID int64
	truncated := true
	err = db.read.QueryRowContext(ctx, `SELECT created_at, id FROM cases WHERE created_at >= ? AND created_at <= ?
		AND NOT (created_at = ? AND id >= ?) ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?`,
		from, curAt, curAt, curID, periodScan-1).Scan(&lowAt, &lowID)
	if errors.Is(err, sql.ErrNoRows) {
		lowAt, lowID, truncated, err = from, 0, false, nil
	}
	if err != nil {
		return nil, 0, 0, err
	}
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return nil, 0, 0, err
	}
	cond := []string{where, `c.created_at >= ?`, `c.created_at <= ?`, `NOT (c.created_at = ? AND c.id < ?)`, `NOT (c.created_at = ? AND c.id >= ?)`}
	args = append(args, lowAt, curAt, lowAt, lowID, curAt, curID)
	// every other condition is written as an expression no index serves, so the planner
	// stays on the bounded time window instead of sorting every closed case
	more, err := db.caseConds(ctx, f, db.offShape())
	if err != nil {
		return nil, 0, 0, err
	}
	mc, margs := more.all()
	cond, args = append(cond, mc...), append(args, margs...)
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	cases, err = db.caseList(ctx, `SELECT `+prefixCols("c.", caseCols)+` FROM cases c WHERE `+strings.Join(cond, " AND ")+`
		ORDER BY c.created_at DESC, c.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, 0, 0, err
	}
	switch {
	case len(cases) > limit:
		cases = cases[:limit]
		last := cases[limit-1]
		nextAt, nextID = last.CreatedAt.Unix(), last.ID
	case truncated:
		nextAt, nextID = lowAt, lowID
	}
	return cases, nextAt, nextID, nil
}

// CaseIDByNumber finds a case by its number (20260302-000001) through its unique index.
func (db *DB) CaseIDByNumber(ctx context.Context, number string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = ?`, number).Scan(&id)
	return id, notFound(err, "case %s not found", number)
}
