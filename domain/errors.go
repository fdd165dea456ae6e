// Package domain holds Whistle's entities and rules: regions, orgs, users and their
// scopes, the matter catalog, the working-day calendar and the case lifecycle. It imports
// nothing of the project and nothing of storage or transport, so the rules are tested
// directly with plain values.
package domain

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; transport maps them to HTTP status in one place.
const (
	EINVALID      = "invalid"       // bad input: 400
	EUNAUTHORIZED = "unauthorized"  // no or bad credentials: 401
	EFORBIDDEN    = "forbidden"     // the role may never do this: 403
	ENOTFOUND     = "not_found"     // absent, or outside the actor's scope: 404
	EOUTOFSCOPE   = "out_of_scope"  // seen, but outside the regions the actor's role acts in: 403
	ECONFLICT     = "conflict"      // the state does not allow it: 409
	ESTALE        = "stale_version" // the actor saw an older version: 409
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error codes of a server protecting itself; the work was refused before it was done.
const (
	ETOOLARGE    = "too_large"   // a body or a photo past its limit: 413
	EUNAVAILABLE = "unavailable" // too busy to take it now; try again soon: 503
)

// Error is an application error with a stable code and a message fit for the user.
type Error struct {
	Code    string
	Message string
	// Key, when set, names the message in the pages' catalogues ("invalid."+Key): it
	// takes Args as Message's format took them, so a page can say in the reader's
	// language which field was wrong ("第2个角色：区域 4313820 不存在") while the API
	// answers Message.
	Key  string
	Args []any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an *Error; it is how every rule reports a refusal.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf is an EINVALID error naming its field: key names it for the pages, format
// for the API, and both take args.
func Invalidf(key, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Key: key, Args: args}
}

// ErrorCode tells the code of err, EINTERNAL for anything that is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage tells the user-facing message of err; internal errors stay vague.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
