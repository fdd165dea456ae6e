package web

import (
	"errors"
	"net/http"

	"whistle/domain"
	"whistle/transport"
)

// ErrorMessage gives the message a user sees for err, in their language: one message
// per error code (the domain's own texts are English and for API clients), or, for an
// error that names its field (domain.Invalidf), the catalogue's message of that field.
func (q *Req) ErrorMessage(err error) string {
	code := domain.ErrorCode(err)
	if _, ok := transport.Status(err); !ok {
		code = "internal"
	}
	var e *domain.Error
	if errors.As(err, &e) && e.Key != "" && q.L.Has("invalid."+e.Key) {
		return q.L.T("invalid."+e.Key, e.Args...) // names the field that was wrong
	}
	return q.L.T("error." + code)
}

// fail answers a handler's error with an error page (or, for htmx, the error as a
// fragment that replaces the target); only internal errors are logged.
func (a *App) fail(w http.ResponseWriter, r *http.Request, q *Req, err error) {
	if err == nil {
		return
	}
	status, ok := transport.Status(err)
	if !ok {
		a.log.Error("web internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized && r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", "/login")
	}
	q.Error = q.ErrorMessage(err)
	if q.CSRF == "" {
		q.LoginToken = loginToken(w, r)
	}
	page := "error"
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		if rerr := a.Fragment(w, q, status, page, "message", nil); rerr != nil {
			a.log.Error("web error page", "err", rerr)
		}
		return
	}
	if rerr := a.Render(w, q, status, page, nil); rerr != nil {
		a.log.Error("web error page", "err", rerr)
		http.Error(w, q.Error, status)
	}
}

func (a *App) notFound(w http.ResponseWriter, r *http.Request, q *Req) {
	a.signIn(w, r, q) // the frame shows the nav when signed in
	a.fail(w, r, q, domain.Errorf(domain.ENOTFOUND, "no such page"))
}

// statusOf is the HTTP status of err, as every door answers it.
func statusOf(err error) int {
	status, _ := transport.Status(err)
	return status
}
