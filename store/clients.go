package store

import (
	"context"

	"whistle/domain"
)

// CreateClient registers a client app; only the SHA-256 of its key is stored, like
// login tokens, so a copy of the database grants nothing.
func (db *DB) CreateClient(ctx context.Context, name, key string) (domain.Client, error) {
	var c domain.Client
	err := db.Update(ctx, func(tx *Tx) (err error) {
		c, err = tx.CreateClient(name, key)
		return err
	})
	return c, err
}

// CreateClient is CreateClient inside a caller's transaction.
func (tx *Tx) CreateClient(name, key string) (domain.Client, error) {
	c := domain.Client{Name: name, CreatedAt: tx.now.In(domain.China).Format("2006-01-02T15:04:05-07:00")}
	err := tx.queryRow(`INSERT INTO open311_clients (name, key_hash, created_at) VALUES (?, ?, ?) RETURNING id`,
		name, tokenHash(key), tx.now.Unix()).Scan(&c.ID)
	return c, err
}

// ClientByKey gives the enabled client app an api_key belongs to.
func (db *DB) ClientByKey(ctx context.Context, key string) (domain.Client, error) {
	var c domain.Client
	var at int64
	err := db.read.QueryRowContext(ctx, `SELECT id, name, created_at FROM open311_clients WHERE key_hash = ? AND disabled = 0`,
		tokenHash(key)).Scan(&c.ID, &c.Name, &at)
	if err != nil {
		return c, notFound(err, "unknown or disabled api_key")
	}
	c.CreatedAt = fromUnix(at).Format("2006-01-02T15:04:05-07:00")
	return c, nil
}

// Clients lists the client apps, oldest first.
func (db *DB) Clients(ctx context.Context) ([]domain.Client, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, created_at, disabled FROM open311_clients ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Client{}
	for rows.Next() {
		var c domain.Client
		var at int64
		var disabled int
		if err := rows.Scan(&c.ID, &c.Name, &at, &disabled); err != nil {
			return nil, err
		}
		c.CreatedAt, c.Disabled = fromUnix(at).Format("2006-01-02T15:04:05-07:00"), disabled == 1
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetClientDisabled turns a client app's key off or on again.
func (db *DB) SetClientDisabled(ctx context.Context, id int64, disabled bool) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.SetClientDisabled(id, disabled) })
}

// SetClientDisabled is SetClientDisabled inside a caller's transaction.
func (tx *Tx) SetClientDisabled(id int64, disabled bool) error {
	res, err := tx.exec(`UPDATE open311_clients SET disabled = ? WHERE id = ?`, boolInt(disabled), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "client app %d not found", id)
	}
	return nil
}
