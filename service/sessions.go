package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"whistle/domain"
	"whistle/passhash"
)

// Sessions: a bearer token (API) or the same token in a cookie (pages) names a user.
// Both doors ask the same questions here, so a token live for one is live for the other.

// Now is the service's clock (the database's), which every deadline and default
// period uses.
func (s *Service) Now() time.Time { return s.db.Now() }

// Health tells whether the database answers.
func (s *Service) Health(ctx context.Context) error {
	_, err := s.db.Version(ctx)
	return err
}

// newToken makes an opaque bearer token of 256 random bits.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// dummyHash is checked for a login that does not exist or is disabled, so every login
// costs one hash and its answer's timing tells nothing.
var dummyHash, _ = passhash.Hash("no such user")

// Login checks a password from addr and issues a token. The attempt is counted first,
// per login and per address, in one transaction (store.LoginAttempt), so a burst of
// guesses sent at once is held to the same limit as guesses sent one by one; unknown
// and disabled logins cost one hash like the others and count the same.
func (s *Service) Login(ctx context.Context, addr, login, password string) (string, time.Time, domain.User, error) {
	fail := func(err error) (string, time.Time, domain.User, error) { return "", time.Time{}, domain.User{}, err }
	if err := s.db.LoginAttempt(ctx, login, addr); err != nil {
		return fail(err)
	}
	id, hash, disabled, err := s.db.PasswordHash(ctx, login)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		hash, err = dummyHash, nil
	}
	if err != nil {
		return fail(err)
	}
	ok, err := passhash.Check(ctx, hash, password)
	if err != nil {
		if rerr := s.db.LoginRefund(context.WithoutCancel(ctx), login, addr); rerr != nil {
			return fail(rerr)
		}
		return fail(err)
	}
	if !ok || disabled || id == 0 {
		return fail(domain.Errorf(domain.EUNAUTHORIZED, "wrong login or password"))
	}
	if err := s.db.LoginSucceeded(ctx, login, addr); err != nil {
		return fail(err)
	}
	token, err := newToken()
	if err != nil {
		return fail(err)
	}
	expires := s.now().Add(s.TokenTTL)
	if err := s.db.PutToken(ctx, token, id, expires); err != nil {
		return fail(err)
	}
	u, err := s.db.User(ctx, id)
	return token, expires, u, err
}

// Authenticate names the user of a live token and gives the request's context, which
// reads the directory (regions, orgs, matters) at one version for the whole request. A
// token dies with its lifetime (TokenTTL from its issue), when its user's password
// changes or the user is disabled, and after SessionIdle without a request, whether it
// is the API's or a page's.
func (s *Service) Authenticate(ctx context.Context, token string) (context.Context, domain.User, error) {
	ctx, err := s.db.Fresh(ctx)
	if err != nil {
		return ctx, domain.User{}, err
	}
	u, err := s.db.TokenUser(ctx, token)
	if err != nil {
		return ctx, u, err
	}
	if live, err := s.db.TouchSession(ctx, token, s.SessionIdle); err != nil {
		return ctx, domain.User{}, err
	} else if !live {
		return ctx, domain.User{}, domain.Errorf(domain.EUNAUTHORIZED, "the session was idle too long; sign in again")
	}
	return ctx, u, nil
}

// Logout revokes a token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.db.RevokeToken(ctx, token)
}

// SetLang stores the language u chose, so it follows them to every device.
func (s *Service) SetLang(ctx context.Context, u domain.User, lang string) error {
	if u.ID == 0 {
		return domain.Errorf(domain.EUNAUTHORIZED, "sign in first")
	}
	return s.db.SetUserLang(ctx, u.ID, lang)
}

// Notifications lists u's notices, newest first.
func (s *Service) Notifications(ctx context.Context, u domain.User, unreadOnly bool, limit int) ([]domain.Notification, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.db.Notifications(ctx, u.ID, unreadOnly, limit)
}

// UnreadNotices counts u's unread notices, up to 100 (the header's badge says 99+).
func (s *Service) UnreadNotices(ctx context.Context, u domain.User) (int, error) {
	return s.db.UnreadCount(ctx, u.ID, 100) // bounded: the partial index of unread notices
}

// MarkRead marks u's notices up to and including upTo read.
func (s *Service) MarkRead(ctx context.Context, u domain.User, upTo int64) error {
	return s.db.MarkRead(ctx, u.ID, upTo)
}
