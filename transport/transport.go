// Package transport holds what every HTTP door of Whistle (api, web, open311) does the
// same way: the domain's error codes mapped to HTTP status, strict JSON decoding, text
// checks and path parameters. Each door keeps its own wire format for errors; the
// status a code gets is decided here once, so the doors cannot disagree.
package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"whistle/domain"
)

// MaxBody is the largest JSON body accepted; uploads and imports have their own limits.
const MaxBody = 1 << 20

// statusOf maps the domain's error codes to HTTP status.
var statusOf = map[string]int{
	domain.EINVALID:      http.StatusBadRequest,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.EOUTOFSCOPE:   http.StatusForbidden,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.ESTALE:        http.StatusConflict,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	domain.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// Status tells the HTTP status of err and whether err is one of the domain's own (an
// internal error is 500, logged by the caller, its text kept private).
func Status(err error) (status int, known bool) {
	status, known = statusOf[domain.ErrorCode(err)]
	if !known {
		return http.StatusInternalServerError, false
	}
	return status, true
}

// CleanText tells whether s is text every engine stores: valid UTF-8 without NUL.
func CleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// CleanQuery tells whether every key and value of r's query string is clean text.
func CleanQuery(r *http.Request) bool {
	for k, vs := range r.URL.Query() {
		if !CleanText(k) {
			return false
		}
		for _, v := range vs {
			if !CleanText(v) {
				return false
			}
		}
	}
	return true
}

// PathID reads the positive id in the path parameter name; anything else names a
// missing resource (what), so a malformed id answers 404 as an unknown one does.
func PathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "no %s %q", what, r.PathValue(name))
	}
	return id, nil
}

// QueryID reads an optional positive id from the query string: 0 when absent.
func QueryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.EINVALID, "%s must be a positive whole number", name)
	}
	return id, nil
}

// Decode reads a JSON body strictly into v: one object, known fields only, clean text,
// at most MaxBody bytes (past that, 413 before anything is parsed).
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		return BodyError(err, "body", MaxBody)
	}
	return DecodeBytes(body, v)
}

// BodyError says why a body (a what) could not be read: it ran past limit bytes, which
// http.MaxBytesReader stopped (too_large, 413), or it broke off or does not parse (400).
func BodyError(err error, what string, limit int64) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) && limit >= 1<<20:
		return domain.Errorf(domain.ETOOLARGE, "the %s is larger than %d MiB", what, limit>>20)
	case errors.As(err, &tooBig):
		return domain.Errorf(domain.ETOOLARGE, "the %s is larger than %d KiB", what, limit>>10)
	}
	return domain.Errorf(domain.EINVALID, "could not read the %s: %v", what, err)
}

// DecodeBytes decodes a JSON document strictly into v, as Decode does.
func DecodeBytes(body []byte, v any) error {
	if !CleanText(string(body)) || bytes.Contains(body, []byte(`\u0000`)) {
		return domain.Errorf(domain.EINVALID, "text must be UTF-8 without NUL characters")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return domain.Errorf(domain.EINVALID, "send one JSON object")
	}
	return nil
}

// jsonError says what was wrong with a JSON document in words a client can act on.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.EINVALID, "empty body; send a JSON object")
	case errors.As(err, &syntax):
		return domain.Errorf(domain.EINVALID, "bad JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return domain.Errorf(domain.EINVALID, "field %q must be %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return domain.Errorf(domain.EINVALID, "%s", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return domain.Errorf(domain.EINVALID, "bad JSON: %v", err)
	}
}

// WriteJSON answers v as JSON with status, never cached, HTML left unescaped.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// ClientAddr is the address a request came from: the connection's peer, which the
// public page's rate limits count by and the audit log records (a proxy in front should
// be trusted by configuration, not by a header anyone can send).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
