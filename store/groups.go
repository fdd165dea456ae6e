package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"whistle/domain"
)

// PutGroup creates a group (ID 0) or replaces its name, description and schema; its
// code, kind and region stay as created, since registers hang on them.
func (tx *Tx) PutGroup(g *domain.Group) error {
	fields, err := json.Marshal(g.Fields)
	if err != nil {
		return err
	}
	if g.ID == 0 {
		if taken, err := tx.exists(`SELECT COUNT(*) FROM key_groups WHERE code = ?`, g.Code); taken || err != nil {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.ECONFLICT, "group code %s is taken", g.Code)
		}
		g.CreatedAt = tx.now
		return tx.queryRow(`INSERT INTO key_groups (code, name, kind, region, description, fields, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, g.Code, g.Name, g.Kind, g.Region, g.Description, string(fields), tx.now.Unix(), tx.now.Unix()).Scan(&g.ID)
	}
	res, err := tx.exec(`UPDATE key_groups SET name = ?, description = ?, fields = ?, updated_at = ? WHERE id = ?`,
		g.Name, g.Description, string(fields), tx.now.Unix(), g.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "group %d not found", g.ID)
	}
	return nil
}

const groupColumns = `SELECT id, code, name, kind, region, description, fields, created_at FROM key_groups`

func scanGroup(row scanner) (*domain.Group, error) {
	var g domain.Group
	var fields string
	var created int64
	if err := row.Scan(&g.ID, &g.Code, &g.Name, &g.Kind, &g.Region, &g.Description, &fields, &created); err != nil {
		return nil, err
	}
	g.CreatedAt = fromUnix(created)
	if err := json.Unmarshal([]byte(fields), &g.Fields); err != nil {
		return nil, err
	}
	return &g, nil
}

func readGroup(ctx context.Context, q querier, id int64) (*domain.Group, error) {
	g, err := scanGroup(rowOf(q.QueryContext(ctx, groupColumns+` WHERE id = ?`, id)))
	if err != nil {
		return nil, notFound(err, "group %d not found", id)
	}
	return g, nil
}

// Group reads a group with its schema.
func (db *DB) Group(ctx context.Context, id int64) (*domain.Group, error) {
	return readGroup(ctx, db.read, id)
}

// Group reads a group inside the transaction.
func (tx *Tx) Group(id int64) (*domain.Group, error) { return readGroup(tx.ctx, tx, id) }

// Groups lists every group, oldest first.
func (db *DB) Groups(ctx context.Context) ([]*domain.Group, error) {
	rows, err := db.read.QueryContext(ctx, groupColumns+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// KeyCheck records the fingerprint of the key personal data is sealed with, the first
// time, and refuses another key later: data sealed with two keys would be half lost.
func (db *DB) KeyCheck(ctx context.Context, check string) error {
	return db.Update(ctx, func(tx *Tx) error {
		var have string
		err := tx.queryRow(`SELECT value FROM settings WHERE key = 'groups_key_check'`).Scan(&have)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.exec(`INSERT INTO settings (key, value) VALUES ('groups_key_check', ?)`, check)
			return err
		}
		if err != nil {
			return err
		}
		if have != check {
			return domain.Errorf(domain.EINTERNAL, "the personal-data key (fingerprint %s) is not the one this database was written with (fingerprint %s)", check, have)
		}
		return nil
	})
}

// Sealing tells what a database holds of the personal-data key: the fingerprint of
// the key it was sealed with ("" before the first use) and one sealed value ("" when
// nothing is sealed), with which a key can be tried where no fingerprint was recorded.
func (db *DB) Sealing(ctx context.Context) (check, sample string, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'groups_key_check'`).Scan(&check)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	err = db.read.QueryRowContext(ctx, `SELECT value FROM subject_values WHERE hash <> '' LIMIT 1`).Scan(&sample)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return check, sample, err
}
