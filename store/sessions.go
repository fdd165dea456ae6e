package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"whistle/domain"
)

// touchEvery is how stale a session's last-seen time may get before a request writes
// it again: at most one write a minute per session. A process remembers the sessions it
// wrote within the minute, so their requests read nothing.
const touchEvery = time.Minute

// TouchSession records that a session (a token, of the API or in a page's cookie) was
// used now and tells whether it is still live: a session unused for longer than idle is
// revoked. A token issued before sessions were recorded with their tokens starts its
// session here.
func (db *DB) TouchSession(ctx context.Context, token string, idle time.Duration) (bool, error) {
	h, now := tokenHash(token), db.Now()
	if db.dir.touchedSince(h, now.Add(-touchEvery).Unix()) {
		return true, nil
	}
	var last int64
	err := db.read.QueryRowContext(ctx, `SELECT last_seen FROM web_sessions WHERE token_hash = ?`, h).Scan(&last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, err
	case now.Sub(time.Unix(last, 0)) > idle:
		return false, db.RevokeToken(ctx, token)
	case now.Sub(time.Unix(last, 0)) < touchEvery:
		db.dir.touch(h, last)
		return true, nil
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO web_sessions (token_hash, last_seen) VALUES (?, ?)
			ON CONFLICT (token_hash) DO UPDATE SET last_seen = excluded.last_seen`, h, now.Unix())
		return err
	})
	if err == nil {
		db.dir.touch(h, now.Unix())
	}
	return err == nil, err
}

// SetUserLang stores a user's language for the web pages ("" for the default).
func (db *DB) SetUserLang(ctx context.Context, userID int64, lang string) error {
	if len(lang) > 16 {
		return domain.Errorf(domain.EINVALID, "language code too long")
	}
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE users SET lang = ? WHERE id = ?`, lang, userID); err != nil {
			return err
		}
		return tx.bumpDirectory()
	})
}
