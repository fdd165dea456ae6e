package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"whistle/domain"
)

// User reads a user with grants by id.
func (db *DB) User(ctx context.Context, id int64) (domain.User, error) {
	return db.userWhere(ctx, `id = ?`, id)
}

// UserByLogin reads a user with grants by login.
func (db *DB) UserByLogin(ctx context.Context, login string) (domain.User, error) {
	return db.userWhere(ctx, `login = ?`, strings.ToLower(login))
}

// User reads a user with grants by id inside a transaction.
func (tx *Tx) User(id int64) (domain.User, error) { return userWhere(tx.ctx, tx, `id = ?`, id) }

// UserByLogin reads a user with grants by login inside a transaction.
func (tx *Tx) UserByLogin(login string) (domain.User, error) {
	return userWhere(tx.ctx, tx, `login = ?`, strings.ToLower(login))
}

func (db *DB) userWhere(ctx context.Context, where string, arg any) (domain.User, error) {
	return userWhere(ctx, db.read, where, arg)
}

func userWhere(ctx context.Context, q querier, where string, arg any) (domain.User, error) {
	var u domain.User
	var disabled int
	err := rowOf(q.QueryContext(ctx, `SELECT id, login, name, phone, disabled, lang FROM users WHERE `+where, arg)).
		Scan(&u.ID, &u.Login, &u.Name, &u.Phone, &disabled, &u.Lang)
	if err != nil {
		return u, notFound(err, "user not found")
	}
	u.Disabled = disabled == 1
	u.Grants, err = grants(ctx, q, u.ID)
	return u, err
}

func grants(ctx context.Context, q querier, userID int64) ([]domain.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT role, region, org FROM grants WHERE user_id = ? ORDER BY role, region, org`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Grant{}
	for rows.Next() {
		var g domain.Grant
		if err := rows.Scan(&g.Role, &g.Region, &g.Org); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Users lists users in login order, with grants.
func (db *DB) Users(ctx context.Context) ([]domain.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM users ORDER BY login`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := []domain.User{}
	for _, id := range ids {
		u, err := db.User(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// PutUser creates a user, or updates name, phone, grants and state of an existing login;
// a non-empty passwordHash replaces the password. Grants are checked against the region
// tree and the orgs.
func (db *DB) PutUser(ctx context.Context, u domain.User, passwordHash string) (domain.User, error) {
	return db.putUser(ctx, u, passwordHash, false)
}

// CreateUser creates a user; a login already taken is a conflict, decided inside the
// transaction so two creations of one login cannot both win.
func (db *DB) CreateUser(ctx context.Context, u domain.User, passwordHash string) (domain.User, error) {
	return db.putUser(ctx, u, passwordHash, true)
}

func (db *DB) putUser(ctx context.Context, u domain.User, passwordHash string, createOnly bool) (domain.User, error) {
	err := db.Update(ctx, func(tx *Tx) error { return tx.PutUser(&u, passwordHash, createOnly) })
	if err != nil {
		return u, err
	}
	return db.User(ctx, u.ID)
}

// PutUser is PutUser (or, createOnly, CreateUser) inside a caller's transaction; u gets
// its id and its login as stored.
func (tx *Tx) PutUser(u *domain.User, passwordHash string, createOnly bool) error {
	u.Login = strings.ToLower(u.Login) // logins are case-insensitive: Demo.Grid is demo.grid
	if err := domain.ValidLogin(u.Login); err != nil {
		return err
	}
	if len(u.Name) > 100 || len(u.Phone) > 40 {
		return domain.Errorf(domain.EINVALID, "name or phone too long")
	}
	for _, g := range u.Grants {
		if err := g.Validate(); err != nil {
			return err
		}
		if g.Region != "" {
			if ok, err := tx.exists(`SELECT COUNT(*) FROM regions WHERE code = ?`, g.Region); !ok {
				if err != nil {
					return err
				}
				return domain.Errorf(domain.EINVALID, "unknown region %s", g.Region)
			}
		}
		if g.Org != "" {
			if ok, err := tx.orgExists(g.Org); !ok {
				if err != nil {
					return err
				}
				return domain.Errorf(domain.EINVALID, "unknown org %s", g.Org)
			}
		}
	}
	err := tx.queryRow(`SELECT id FROM users WHERE login = ?`, u.Login).Scan(&u.ID)
	switch {
	case err == nil && createOnly:
		return domain.Errorf(domain.ECONFLICT, "login %s is taken", u.Login)
	case err == nil:
		if _, err := tx.exec(`UPDATE users SET name = ?, phone = ?, disabled = ?, lang = ? WHERE id = ?`,
			u.Name, u.Phone, boolInt(u.Disabled), u.Lang, u.ID); err != nil {
			return err
		}
		if passwordHash != "" { // a new password ends every session of the old one
			if _, err := tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, u.ID); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE tokens SET revoked = 1 WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
	case passwordHash == "":
		return domain.Errorf(domain.EINVALID, "a new user needs a password")
	default:
		if err := tx.queryRow(`INSERT INTO users (login, name, phone, password_hash, disabled, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Login, u.Name, u.Phone, passwordHash, boolInt(u.Disabled), u.Lang, tx.now.Unix()).Scan(&u.ID); err != nil {
			return err
		}
	}
	if _, err := tx.exec(`DELETE FROM grants WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	for _, g := range u.Grants {
		if _, err := tx.exec(`INSERT INTO grants (user_id, role, region, org) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			u.ID, g.Role, g.Region, g.Org); err != nil {
			return err
		}
	}
	if u.Disabled {
		if _, err := tx.exec(`UPDATE tokens SET revoked = 1 WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
	}
	return tx.bumpDirectory()
}

// PasswordHash reads the stored hash of a login, for checking a password, and whether
// the account is disabled (its hash is still given, so checking costs the same).
func (db *DB) PasswordHash(ctx context.Context, login string) (id int64, hash string, disabled bool, err error) {
	var d int
	err = db.read.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE login = ?`, strings.ToLower(login)).Scan(&id, &hash, &d)
	return id, hash, d == 1, notFound(err, "user not found")
}

// exists tells whether q, a COUNT, counts any row; false when it cannot say.
func (tx *Tx) exists(q string, args ...any) (bool, error) {
	var n int
	err := tx.queryRow(q, args...).Scan(&n)
	return err == nil && n > 0, err
}

// Tokens are opaque random strings; only their SHA-256 is stored, so a stolen copy of
// the database grants nothing.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// PutToken stores a new token for a user until expires, its session starting now (the
// idle limit counts from its issue, not from its first use).
func (db *DB) PutToken(ctx context.Context, token string, userID int64, expires time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		// a new session sweeps out the rows of sessions idle for a week (their tokens
		// are long expired)
		if _, err := tx.exec(`DELETE FROM web_sessions WHERE last_seen < ?`, tx.now.Add(-7*24*time.Hour).Unix()); err != nil {
			return err
		}
		h := tokenHash(token)
		if _, err := tx.exec(`INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			h, userID, tx.now.Unix(), expires.Unix()); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO web_sessions (token_hash, last_seen) VALUES (?, ?)`, h, tx.now.Unix())
		return err
	})
}

// RevokeToken makes a token useless at once.
func (db *DB) RevokeToken(ctx context.Context, token string) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE tokens SET revoked = 1 WHERE hash = ?`, tokenHash(token)); err != nil {
			return err
		}
		return tx.bumpDirectory()
	})
}

// Throttle rules for logins. A login may be tried maxFailures times within failWindow:
// the attempt that reaches the count locks it for lockFor, doubled at each attempt
// after. An address is held to addrFailures the same way; an office signs in through
// one router's address, so it gets more. The rows live in the database, so every server
// process sees them; a login's row is keyed by the login, an address's by "ip:" and
// the address (a login never holds a colon).
const (
	maxFailures  = 5
	addrFailures = 30
	failWindow   = 15 * time.Minute
	lockFor      = time.Minute
)

// throttleKey is a row one attempt counts on, and its limit.
type throttleKey struct {
	key   string
	limit int64
}

// throttleKeys are the rows one attempt counts on, in the order they are locked (the
// same in every transaction, so two never wait for each other).
func throttleKeys(login, addr string) []throttleKey {
	keys := []throttleKey{{"ip:" + addr, addrFailures}, {strings.ToLower(login), maxFailures}}
	if addr == "" {
		keys = keys[1:]
	}
	return keys
}

// LoginAttempt counts an attempt to sign in as login from addr before its password is
// checked, or refuses it (too_many_requests) while the login or the address is locked.
// The rows are read under a lock and written in one transaction, so attempts made at
// once are counted one after the other and no more than the limit get through to the
// password check. An attempt that turns out right is given back (LoginSucceeded), and so
// is one that could not be checked (LoginRefund).
func (db *DB) LoginAttempt(ctx context.Context, login, addr string) error {
	keys := throttleKeys(login, addr)
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.now.Unix()
		window := int64(failWindow / time.Second)
		// rows whose window and lock are over go first, so guessed names do not pile up;
		// rows another attempt holds are left for later
		if _, err := tx.exec(`DELETE FROM login_failures WHERE login IN (SELECT login FROM login_failures
			WHERE first_at < ? AND locked_until < ?`+tx.db.eng.claimRows+`)`, now-window, now); err != nil {
			return err
		}
		type count struct{ failures, first, until int64 }
		counts := make([]count, len(keys))
		var left int64
		for i, k := range keys {
			c := &counts[i]
			if _, err := tx.exec(`INSERT INTO login_failures (login, failures, first_at, locked_until) VALUES (?, 0, ?, 0)
				ON CONFLICT (login) DO NOTHING`, k.key, now); err != nil {
				return err
			}
			if err := tx.queryRow(`SELECT failures, first_at, locked_until FROM login_failures WHERE login = ?`+tx.db.eng.lockRow, k.key).
				Scan(&c.failures, &c.first, &c.until); err != nil {
				return err
			}
			if now-c.first > window && c.until <= now {
				*c = count{first: now} // a fresh window once the old one and any lock are over
			}
			left = max(left, c.until-now)
		}
		if left > 0 {
			return domain.Errorf(domain.ETOOMANY, "too many failed logins; try again in %d seconds", left)
		}
		for i, k := range keys {
			c := counts[i]
			c.failures++
			if c.failures >= k.limit {
				c.until = now + int64(lockFor/time.Second)<<min(c.failures-k.limit, 10)
			}
			if _, err := tx.exec(`UPDATE login_failures SET failures = ?, first_at = ?, locked_until = ? WHERE login = ?`,
				c.failures, c.first, c.until, k.key); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoginSucceeded clears a login's count and gives its address back the attempt.
func (db *DB) LoginSucceeded(ctx context.Context, login, addr string) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM login_failures WHERE login = ?`, strings.ToLower(login)); err != nil {
			return err
		}
		return tx.giveBack("ip:"+addr, addrFailures)
	})
}

// LoginRefund gives back an attempt whose password could not be checked (the server
// was too busy), so a person retrying is not locked out by the server's load.
func (db *DB) LoginRefund(ctx context.Context, login, addr string) error {
	return db.Update(ctx, func(tx *Tx) error {
		for _, k := range throttleKeys(login, addr) {
			if err := tx.giveBack(k.key, k.limit); err != nil {
				return err
			}
		}
		return nil
	})
}

// giveBack uncounts one attempt on key; a lock that attempt set (the count is back
// under limit) is lifted.
func (tx *Tx) giveBack(key string, limit int64) error {
	_, err := tx.exec(`UPDATE login_failures SET failures = failures - 1,
		locked_until = CASE WHEN failures - 1 < ? THEN 0 ELSE locked_until END WHERE login = ? AND failures > 0`, limit, key)
	return err
}
