package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"whistle/domain"
)

// The audit log (migration 0015): entries appended by Tx.Audit in the transaction of
// the change they record, chained by hash. The chain is written one entry at a time
// under a lock (engine.lockAudit; SQLite's one writer), so each entry's id is the head's
// plus one and its hash covers the head's hash. The reveals written before the log
// existed (reveal_audit, 0005) are its first entries: the chain starts by folding them
// in (foldReveals), and reveal_audit is no longer written.

const auditCols = `id, at, user_id, login, addr, action, object, changes, hash`

// Audit appends e to the audit log: it takes the next place in the chain and the time
// of the transaction, and its hash. Its content is the caller's (domain.Change.JSON
// redacts it).
func (tx *Tx) Audit(e *domain.AuditEntry) error {
	last, prev, err := tx.auditHead()
	if err != nil {
		return err
	}
	e.ID, e.At = last+1, tx.now
	return tx.appendAudit(e, prev)
}

// auditHead locks the chain for the rest of the transaction and reads its head: the
// last entry's id and hash. With no head yet, the chain starts with the old reveals.
func (tx *Tx) auditHead() (int64, string, error) {
	if tx.db.eng.lockAudit != "" {
		if err := tx.execText(tx.db.eng.lockAudit); err != nil {
			return 0, "", err
		}
	}
	var last int64
	var hash string
	err := tx.queryRow(`SELECT last_id, hash FROM audit_head WHERE id = 1`).Scan(&last, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return tx.foldReveals()
	}
	return last, hash, err
}

// appendAudit writes e after the entry whose hash is prev, and moves the head to it.
func (tx *Tx) appendAudit(e *domain.AuditEntry, prev string) error {
	e.Hash = e.ChainHash(prev)
	if _, err := tx.exec(`INSERT INTO audit_log (`+auditCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At.Unix(), e.UserID, e.Login, e.Addr, e.Action, e.Object, e.Change, e.Hash); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO audit_head (id, last_id, hash) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`, e.ID, e.Hash)
	return err
}

// foldReveals starts the chain: the rows of reveal_audit, oldest first, become its
// first entries, with their own times and users. It gives the new head.
func (tx *Tx) foldReveals() (int64, string, error) {
	rows, err := tx.query(`SELECT id, user_id, login, group_id, subject_id, fields, purpose, subjects, at FROM reveal_audit ORDER BY id`)
	if err != nil {
		return 0, "", err
	}
	old, err := scanReveals(rows)
	if err != nil {
		return 0, "", err
	}
	var last int64
	hash := ""
	for _, r := range old {
		e, err := r.Entry()
		if err != nil {
			return 0, "", err
		}
		last++
		e.ID = last
		if err := tx.appendAudit(&e, hash); err != nil {
			return 0, "", err
		}
		hash = e.Hash
	}
	return last, hash, nil
}

// scanReveals reads rows of reveal_audit and closes them.
func scanReveals(rows *sql.Rows) ([]domain.Reveal, error) {
	defer rows.Close()
	out := []domain.Reveal{}
	for rows.Next() {
		var r domain.Reveal
		var subject sql.NullInt64
		var fields string
		if err := rows.Scan(&r.ID, &r.UserID, &r.Login, &r.GroupID, &subject, &fields, &r.Purpose, &r.Subjects, &r.At); err != nil {
			return nil, err
		}
		r.Subject, r.Fields = subject.Int64, strings.Split(fields, ",")
		out = append(out, r)
	}
	return out, rows.Err()
}

// foldOldReveals starts the chain at open when reveal_audit holds rows and the log has
// no head yet (a database written before 0015), so the old reveals are read where
// the new ones are at once. A database without either waits for its first entry (a
// copy's target then takes the source's head).
func (db *DB) foldOldReveals(ctx context.Context) error {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT id FROM reveal_audit LIMIT 1) r
		WHERE NOT EXISTS (SELECT 1 FROM audit_head)`).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.auditHead()
		return err
	})
}

func scanAudit(row scanner) (domain.AuditEntry, error) {
	var e domain.AuditEntry
	var at int64
	err := row.Scan(&e.ID, &at, &e.UserID, &e.Login, &e.Addr, &e.Action, &e.Object, &e.Change, &e.Hash)
	e.At = fromUnix(at)
	return e, err
}

// AuditLog reads the entries f asks for, newest first: the id's index walked backwards
// from the cursor, the conditions tested on each row (an actor's or an action's
// entries through their own indexes where the planner prefers).
func (db *DB) AuditLog(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	q := `SELECT ` + auditCols + ` FROM audit_log WHERE 1 = 1`
	var args []any
	add := func(cond string, a ...any) { q, args = q+" AND "+cond, append(args, a...) }
	if f.Before > 0 {
		add(`id < ?`, f.Before)
	}
	if f.From != nil {
		add(`at >= ?`, f.From.Unix())
	}
	if f.To != nil {
		add(`at < ?`, f.To.Unix())
	}
	if f.Actor != "" {
		add(`login = ?`, f.Actor)
	}
	if f.Action != "" {
		add(under("action", f.Action, "."))
	}
	if f.Object != "" {
		add(under("object", f.Object, "/"))
	}
	return db.auditRows(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit)...)
}

// under is the condition that col is v or lies under it (v, sep, anything): substr
// compares exact characters on both engines, whatever the collation.
func under(col, v, sep string) (string, any, any, any) {
	prefix := v + sep
	return `(` + col + ` = ? OR substr(` + col + `, 1, ?) = ?)`, v, utf8.RuneCountInString(prefix), prefix
}

func (db *DB) auditRows(ctx context.Context, q string, args ...any) ([]domain.AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditHead reads the chain's head: its last entry's id and hash; 0 and "" before the
// first entry.
func (db *DB) AuditHead(ctx context.Context) (int64, string, error) {
	var last int64
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT last_id, hash FROM audit_head WHERE id = 1`).Scan(&last, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return last, hash, err
}

// WalkAudit hands every entry up to id upTo to fn in chain order, a page at a time.
func (db *DB) WalkAudit(ctx context.Context, upTo int64, fn func(domain.AuditEntry) error) error {
	for after := int64(0); ; {
		page, err := db.auditRows(ctx, `SELECT `+auditCols+` FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT 1000`, after, upTo)
		if err != nil || len(page) == 0 {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

// Reveals lists a group's sights of personal data from the log (reveals, revealed
// exports, searches by a phone or ID number), newest first, at most limit.
func (db *DB) Reveals(ctx context.Context, group int64, limit int) ([]domain.Reveal, error) {
	cond, a1, a2, a3 := under("object", domain.GroupObject(group), "/")
	entries, err := db.auditRows(ctx, `SELECT `+auditCols+` FROM audit_log WHERE `+cond+` AND action IN (?, ?, ?)
		ORDER BY id DESC LIMIT ?`, a1, a2, a3, domain.ActReveal, domain.ActExport, domain.ActSearch, limit)
	out := make([]domain.Reveal, len(entries))
	for i, e := range entries {
		out[i] = domain.RevealOf(e)
	}
	return out, err
}
