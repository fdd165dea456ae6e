package store

import (
	"context"

	"whistle/domain"
)

// Orgs lists every org in code order.
func (db *DB) Orgs(ctx context.Context) ([]domain.Org, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT code, name, kind, region FROM orgs ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Org{}
	for rows.Next() {
		var o domain.Org
		if err := rows.Scan(&o.Code, &o.Name, &o.Kind, &o.Region); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Org reads one org.
func (db *DB) Org(ctx context.Context, code string) (domain.Org, error) {
	var o domain.Org
	err := db.read.QueryRowContext(ctx, `SELECT code, name, kind, region FROM orgs WHERE code = ?`, code).Scan(&o.Code, &o.Name, &o.Kind, &o.Region)
	return o, notFound(err, "org %s not found", code)
}

// Org reads one org inside a transaction.
func (tx *Tx) Org(code string) (domain.Org, error) {
	var o domain.Org
	err := tx.queryRow(`SELECT code, name, kind, region FROM orgs WHERE code = ?`, code).Scan(&o.Code, &o.Name, &o.Kind, &o.Region)
	return o, notFound(err, "org %s not found", code)
}

// PutOrg inserts or updates an org.
func (db *DB) PutOrg(ctx context.Context, o domain.Org) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.PutOrg(o) })
}

// PutOrg is PutOrg inside a caller's transaction.
func (tx *Tx) PutOrg(o domain.Org) error {
	if o.Code == "" || len(o.Code) > 32 || o.Name == "" {
		return domain.Errorf(domain.EINVALID, "an org needs a code (at most 32 characters) and a name")
	}
	_, err := tx.exec(`INSERT INTO orgs (code, name, kind, region) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, region = excluded.region`,
		o.Code, o.Name, o.Kind, o.Region)
	if err != nil {
		return err
	}
	return tx.bumpDirectory()
}

// OrgExists tells whether code names an org, inside a transaction, for the domain's
// rules (domain.Env), which want a yes or a no. A failure to read breaks the transaction
// instead of being answered: its next statement and its commit give the error.
func (tx *Tx) OrgExists(code string) bool {
	ok, err := tx.orgExists(code)
	if err != nil && tx.broken == nil {
		tx.broken = err
	}
	return ok
}

// orgExists tells whether code names an org.
func (tx *Tx) orgExists(code string) (bool, error) {
	return tx.exists(`SELECT COUNT(*) FROM orgs WHERE code = ?`, code)
}
