package store

import (
	"context"
	"database/sql"

	"whistle/domain"
)

// Linkages lists linkages, optionally of one kind and target, oldest first.
func (db *DB) Linkages(ctx context.Context, kind, target string) ([]domain.Linkage, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT l.id, l.kind, l.user_id, l.org, l.target, l.from_day, l.to_day, l.note,
		CASE WHEN l.kind = 'community' THEN l.target ELSE COALESCE(e.region, '') END
		FROM linkages l LEFT JOIN enterprises e ON l.kind = 'enterprise' AND e.uscc = l.target
		WHERE (? = '' OR l.kind = ?) AND (? = '' OR l.target = ?) ORDER BY l.id`, kind, kind, target, target)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Linkage{}
	for rows.Next() {
		var l domain.Linkage
		var user sql.NullInt64
		if err := rows.Scan(&l.ID, &l.Kind, &user, &l.Org, &l.Target, &l.From, &l.To, &l.Note, &l.Place); err != nil {
			return nil, err
		}
		l.UserID = user.Int64
		out = append(out, l)
	}
	return out, rows.Err()
}

// PutLinkage creates a linkage (ID 0) or updates one, typically to end it with a To date.
func (db *DB) PutLinkage(ctx context.Context, l domain.Linkage) (domain.Linkage, error) {
	err := db.Update(ctx, func(tx *Tx) error { return tx.PutLinkage(&l) })
	return l, err
}

// PutLinkage is PutLinkage inside a caller's transaction; a new linkage gets its id.
func (tx *Tx) PutLinkage(l *domain.Linkage) error {
	if err := l.Validate(); err != nil {
		return err
	}
	var user any
	if l.UserID != 0 {
		if ok, err := tx.exists(`SELECT COUNT(*) FROM users WHERE id = ?`, l.UserID); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "unknown user %d", l.UserID)
		}
		user = l.UserID
	}
	if l.Org != "" {
		if ok, err := tx.orgExists(l.Org); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "unknown org %s", l.Org)
		}
	}
	if l.Kind == "community" {
		if ok, err := tx.exists(`SELECT COUNT(*) FROM regions WHERE code = ?`, l.Target); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "unknown region %s", l.Target)
		}
	}
	if l.ID == 0 {
		return tx.queryRow(`INSERT INTO linkages (kind, user_id, org, target, from_day, to_day, note) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			l.Kind, user, l.Org, l.Target, l.From, l.To, l.Note).Scan(&l.ID)
	}
	res, err := tx.exec(`UPDATE linkages SET kind = ?, user_id = ?, org = ?, target = ?, from_day = ?, to_day = ?, note = ? WHERE id = ?`,
		l.Kind, user, l.Org, l.Target, l.From, l.To, l.Note, l.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "linkage %d not found", l.ID)
	}
	return nil
}

// Linkage reads one linkage inside a transaction.
func (tx *Tx) Linkage(id int64) (domain.Linkage, error) {
	var l domain.Linkage
	var user sql.NullInt64
	err := tx.queryRow(`SELECT id, kind, user_id, org, target, from_day, to_day, note FROM linkages WHERE id = ?`, id).
		Scan(&l.ID, &l.Kind, &user, &l.Org, &l.Target, &l.From, &l.To, &l.Note)
	l.UserID = user.Int64
	return l, notFound(err, "linkage %d not found", id)
}
