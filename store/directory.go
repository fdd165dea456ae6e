package store

import (
	"context"
	"slices"
	"sync"

	"whistle/domain"
)

// The directory (orgs, matters, regions, users with their grants and tokens) is read by
// nearly every request and changes rarely, so a server keeps what it has read of it in
// memory. Every change bumps one counter row in the same transaction; a request reads
// the counter once (one primary-key read, see Fresh) and uses the copies read at that
// version, so a change made through any process is seen by every other on its next
// request, with no timer and no connection held open for notifications.

// directory is a server's copies of directory rows, all read at one version.
type directory struct {
	mu          sync.Mutex
	version     int64
	tokens      map[string]liveToken
	matters     map[string]domain.Matter
	regions     map[string]domain.Region
	dispatchers map[string][]int64
	// followed holds, under the key "", the regions anyone follows (areafollows.go)
	followed map[string]map[string]bool
	// touched holds when this process last wrote a session's last-seen time, by token
	// hash; a session is revoked through the tokens, so it needs no version.
	touched map[string]int64
}

// touchedSince tells whether this process wrote the session's last-seen time at or
// after since.
func (d *directory) touchedSince(hash string, since int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	at, ok := d.touched[hash]
	return ok && at >= since
}

// touch remembers that the session's last-seen time is at.
func (d *directory) touch(hash string, at int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.touched == nil || len(d.touched) >= maxDirectory {
		d.touched = map[string]int64{}
	}
	d.touched[hash] = at
}

// liveToken is a token's user and the unix second it expires.
type liveToken struct {
	user    domain.User
	expires int64
}

// maxDirectory bounds each map of copies; a full map is emptied and refilled.
const maxDirectory = 20000

type versionKey struct{}

// bumpDirectory records a change of the directory.
func (tx *Tx) bumpDirectory() error {
	_, err := tx.exec(`INSERT INTO counters (name, value) VALUES ('catalog', 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`)
	return err
}

// CatalogVersion tells which change of the directory is the latest; a copy read at an
// older version is stale.
func (db *DB) CatalogVersion(ctx context.Context) (int64, error) {
	if v, ok := ctx.Value(versionKey{}).(int64); ok {
		return v, nil
	}
	var v int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = 'catalog'`).Scan(&v)
	return v, err
}

// Fresh reads the directory version once for a request: directory lookups made with the
// context it returns use copies read at that version or later.
func (db *DB) Fresh(ctx context.Context) (context.Context, error) {
	v, err := db.CatalogVersion(ctx)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, versionKey{}, v), nil
}

// lookup gives the copy of key in the map pick chooses, loading it on a miss. A request
// that read an older version than the copies' (it began before a change) loads anew.
func lookup[K comparable, V any](ctx context.Context, db *DB, pick func(*directory) *map[K]V, key K, load func() (V, error)) (V, error) {
	v, err := db.CatalogVersion(ctx)
	if err != nil {
		var zero V
		return zero, err
	}
	d := &db.dir
	d.mu.Lock()
	if v > d.version {
		d.version, d.tokens, d.matters, d.regions, d.dispatchers, d.followed = v, nil, nil, nil, nil, nil
	}
	m := pick(d)
	got, ok := (*m)[key]
	current := v == d.version
	d.mu.Unlock()
	if ok && current {
		return got, nil
	}
	got, err = load()
	if err != nil {
		return got, err // misses are not kept: the row may be added at any time
	}
	d.mu.Lock()
	if v == d.version {
		if *m == nil || len(*m) >= maxDirectory {
			*m = map[K]V{}
		}
		(*m)[key] = got
	}
	d.mu.Unlock()
	return got, nil
}

// TokenUser gives the user a live token belongs to.
func (db *DB) TokenUser(ctx context.Context, token string) (domain.User, error) {
	h := tokenHash(token)
	t, err := lookup(ctx, db, func(d *directory) *map[string]liveToken { return &d.tokens }, h, func() (liveToken, error) {
		var t liveToken
		var id int64
		err := db.read.QueryRowContext(ctx, `SELECT t.user_id, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id
			WHERE t.hash = ? AND t.revoked = 0 AND u.disabled = 0`, h).Scan(&id, &t.expires)
		if err == nil {
			t.user, err = db.User(ctx, id)
		}
		return t, err
	})
	if err == nil && t.expires <= db.Now().Unix() {
		err = domain.Errorf(domain.ENOTFOUND, "expired")
	}
	if err != nil {
		if nf := notFound(err, ""); domain.ErrorCode(nf) == domain.ENOTFOUND {
			return domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "token unknown, expired or revoked")
		}
		return domain.User{}, err
	}
	u := t.user
	u.Grants = slices.Clone(u.Grants)
	return u, nil
}

// Matter reads a matter with its routes.
func (db *DB) Matter(ctx context.Context, code string) (domain.Matter, error) {
	m, err := lookup(ctx, db, func(d *directory) *map[string]domain.Matter { return &d.matters }, code, func() (domain.Matter, error) {
		return matterFrom(ctx, db.read, code)
	})
	m.Routes = slices.Clone(m.Routes)
	return m, err
}

// Region reads one region.
func (db *DB) Region(ctx context.Context, code string) (domain.Region, error) {
	r, err := lookup(ctx, db, func(d *directory) *map[string]domain.Region { return &d.regions }, code, func() (domain.Region, error) {
		r, err := scanRegion(db.read.QueryRowContext(ctx, `SELECT `+regionCols+` FROM regions WHERE code = ?`, code))
		return r, notFound(err, "region %s not found", code)
	})
	return r, err
}

// Dispatchers lists the dispatchers who answer for region, read outside a transaction
// (a filing reads them before it joins a group commit).
func (db *DB) Dispatchers(ctx context.Context, region string) ([]int64, error) {
	ids, err := lookup(ctx, db, func(d *directory) *map[string][]int64 { return &d.dispatchers }, region, func() ([]int64, error) {
		q, args := dispatchers(region)
		return scanIDs(db.read.QueryContext(ctx, q, args...))
	})
	return slices.Clone(ids), err
}
