package store

import (
	"context"
	"database/sql"

	"whistle/domain"
)

// Dispatchers lists the dispatchers who answer for region: those of the region and of
// every region above it.
func (tx *Tx) Dispatchers(region string) ([]int64, error) {
	q, args := dispatchers(region)
	return tx.userIDs(q, args...)
}

func dispatchers(region string) (string, []any) {
	codes := append(domain.Ancestors(region), region)
	return `SELECT DISTINCT user_id FROM grants WHERE role = 'dispatcher' AND region IN (` + placeholders(len(codes)) + `)`, anySlice(codes)
}

// EscalationDispatchers lists the dispatchers of exactly region, the level a missed
// deadline is escalated to.
func (tx *Tx) EscalationDispatchers(region string) ([]int64, error) {
	return tx.userIDs(`SELECT user_id FROM grants WHERE role = 'dispatcher' AND region = ?`, region)
}

// Officers lists the officers of the orgs.
func (tx *Tx) Officers(orgs []string) ([]int64, error) {
	var ids []int64
	for _, o := range orgs {
		got, err := tx.userIDs(`SELECT user_id FROM grants WHERE role = 'officer' AND org = ?`, o)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

func (tx *Tx) userIDs(q string, args ...any) ([]int64, error) {
	return scanIDs(tx.query(q, args...))
}

// scanIDs reads a one-column list of ids.
func scanIDs(rows *sql.Rows, err error) ([]int64, error) { return scanColumn[int64](rows, err) }

// scanColumn reads a one-column list of values.
func scanColumn[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Notify puts a notice in each user's inbox, once per user.
func (tx *Tx) Notify(users []int64, caseID int64, kind, message string) error {
	seen := map[int64]bool{}
	for _, u := range users {
		if seen[u] {
			continue
		}
		seen[u] = true
		tx.add(pendingNotices, []any{u, caseID, kind, message, tx.now.Unix()})
	}
	return nil
}

// Notifications lists a user's notices, newest first; unreadOnly leaves out read ones.
func (db *DB) Notifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]domain.Notification, error) {
	q := `SELECT id, case_id, kind, message, created_at, read_at FROM notifications WHERE user_id = ?`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Notification{}
	for rows.Next() {
		var n domain.Notification
		var caseID, read sql.NullInt64
		var created int64
		if err := rows.Scan(&n.ID, &caseID, &n.Kind, &n.Message, &created, &read); err != nil {
			return nil, err
		}
		n.CaseID, n.Read, n.CreatedAt = caseID.Int64, read.Valid, fromUnix(created).Format("2006-01-02T15:04:05-07:00")
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkRead marks a user's notices read, up to and including id.
func (db *DB) MarkRead(ctx context.Context, userID, upTo int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND id <= ? AND read_at IS NULL`, tx.now.Unix(), userID, upTo)
		return err
	})
}

// AnyDue tells, from a reader, whether some deadline has fallen due by now, so an idle
// sweep never takes the write lock.
func (db *DB) AnyDue(ctx context.Context, now int64) (bool, error) {
	// MIN reads one end of the due-time index on both engines; "due_at <= ? LIMIT 1" let
	// PostgreSQL's generic plan scan the whole table when nothing is due
	var first sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MIN(due_at) FROM deadlines`).Scan(&first)
	return first.Valid && first.Int64 <= now, err
}

// DueCases reads the cases with a deadline at or before now (from the earliest limit
// deadlines), with their orgs: the sweeper's work, read from the due-time index in two
// statements however many cases are due. On PostgreSQL the cases are locked and those
// another sweeper holds are skipped.
func (tx *Tx) DueCases(now int64, limit int) ([]*domain.Case, error) {
	// the cases are claimed, not their deadline rows: a case's deadlines are rewritten
	// under the case's lock, so sweepers and users always lock cases first
	rows, err := tx.query(`SELECT `+caseCols+` FROM cases WHERE id IN (SELECT case_id FROM deadlines WHERE due_at <= ? ORDER BY due_at LIMIT ?)`+tx.db.eng.claimRows, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cases []*domain.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return cases, loadOrgs(tx.ctx, tx, cases...)
}
