package store

import "context"

// The org and matter catalog changes rarely and is named on every page, so servers keep
// it in memory. Every change bumps one counter row in the same transaction; a server
// compares the counter (one primary-key read) before using its copy, so an edit made
// through any process is seen by every other on its next request, with no timer and no
// connection held open for notifications.

// bumpCatalog records a change of orgs or matters.
func (tx *Tx) bumpCatalog() error {
	_, err := tx.exec(`INSERT INTO counters (name, value) VALUES ('catalog', 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`)
	return err
}

// CatalogVersion tells which change of the org and matter catalog is the latest; a copy
// read at an older version is stale.
func (db *DB) CatalogVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = 'catalog'`).Scan(&v)
	return v, err
}
