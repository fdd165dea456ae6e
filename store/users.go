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
		if passwordHash != "" {
			if _, err := tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, u.ID); err != nil {
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

// PasswordHash reads the stored hash of a login, for checking a password.
func (db *DB) PasswordHash(ctx context.Context, login string) (id int64, hash string, err error) {
	var disabled int
	err = db.read.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE login = ?`, strings.ToLower(login)).Scan(&id, &hash, &disabled)
	if err == nil && disabled == 1 {
		err = domain.Errorf(domain.EUNAUTHORIZED, "this account is disabled")
	}
	return id, hash, notFound(err, "user not found")
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

// PutToken stores a new token for a user until expires.
func (db *DB) PutToken(ctx context.Context, token string, userID int64, expires time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tokenHash(token), userID, tx.now.Unix(), expires.Unix())
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

// Throttle rules for failed logins: after maxFailures within the window the login is
// locked for lockFor, doubled at each further failure. The rows live in the database,
// so every server process sees them.
const (
	maxFailures = 5
	failWindow  = 15 * time.Minute
	lockFor     = time.Minute
)

// LoginLocked tells how long a login is still locked (0: not locked).
func (db *DB) LoginLocked(ctx context.Context, login string) (time.Duration, error) {
	var until int64
	err := db.read.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE login = ?`, strings.ToLower(login)).Scan(&until)
	if err != nil {
		if domain.ErrorCode(notFound(err, "")) == domain.ENOTFOUND {
			return 0, nil
		}
		return 0, err
	}
	left := time.Unix(until, 0).Sub(db.Now())
	if left < 0 {
		return 0, nil
	}
	return left, nil
}

// LoginFailed counts a failed login and locks the login when it fails too often.
func (db *DB) LoginFailed(ctx context.Context, login string) error {
	login = strings.ToLower(login)
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.now.Unix()
		var failures int
		var first, lockedUntil int64
		err := tx.queryRow(`SELECT failures, first_at, locked_until FROM login_failures WHERE login = ?`, login).Scan(&failures, &first, &lockedUntil)
		if err != nil || (now-first > int64(failWindow/time.Second) && lockedUntil <= now) {
			failures, first = 0, now // a fresh window once the old one and any lock are over
		}
		failures++
		var until int64
		if failures >= maxFailures {
			until = now + int64(lockFor/time.Second)<<min(failures-maxFailures, 10)
		}
		_, err = tx.exec(`INSERT INTO login_failures (login, failures, first_at, locked_until) VALUES (?, ?, ?, ?)
			ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`,
			login, failures, first, until)
		return err
	})
}

// LoginSucceeded clears a login's failures.
func (db *DB) LoginSucceeded(ctx context.Context, login string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM login_failures WHERE login = ?`, strings.ToLower(login))
		return err
	})
}
