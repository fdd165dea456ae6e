package store

import (
	"context"
	"strings"
	"time"

	"whistle/domain"
)

// Queries of the web workbenches. Each reads through an index and stops at a cap, so
// its cost follows what a person can look at, not the number of cases.

// CountCases counts, up to limit, the cases u may see in one of statuses (and overdue
// when overdue is set): the counts on a queue's tabs, shown as "limit+" beyond it.
func (db *DB) CountCases(ctx context.Context, u domain.User, statuses []domain.Status, overdue bool, limit int) (int, error) {
	where, args, err := db.visibility(ctx, u)
	if err != nil {
		return 0, err
	}
	q := `SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE ` + where
	if len(statuses) > 0 {
		q += ` AND c.status IN (?` + strings.Repeat(", ?", len(statuses)-1) + `)`
		args = append(args, anySlice(statuses)...)
	}
	if overdue { // "+" keeps the planner on the status index: open cases are few, overdue ones many
		q += ` AND +c.overdue = 1`
	}
	q += ` LIMIT ?) s`
	var n int
	err = db.read.QueryRowContext(ctx, q, append(args, limit)...).Scan(&n)
	return n, err
}

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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadOrgs(ctx, db.read, out...)
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
