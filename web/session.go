package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"whistle/domain"
	"whistle/transport"
)

// Cookie names. The session cookie holds a token of the API's token machinery
// (service.Login issues it, service.Authenticate checks it and its idle limit,
// service.Logout ends it), so a session is a row every server process sees.
const (
	sessionCookie = "whistle_session"
	loginCSRF     = "whistle_csrf" // double-submit token of the login form, before a session exists
	langCookie    = "whistle_lang" // language chosen before signing in
)

// Req is one request's state as handlers and templates see it.
type Req struct {
	User  domain.User
	L     *Locale
	CSRF  string // the session's CSRF token, for forms and htmx headers
	Now   time.Time
	Path  string
	Nav   []NavItem // the nav entries the user's roles open
	Error string    // a message to show above the page (a refused action)
	Flash string    // a message to show above the page (the action just done)
	// LoginToken is the login form's CSRF token on pages shown before signing in.
	LoginToken string
	token      string
	tileHost   string // the tile server a map on the page draws from, for the CSP's img-src
	r          *http.Request
	app        *App
	start      time.Time
}

// request starts a request's state: locale from the language cookie, the clock from
// the database (as every deadline uses).
func (a *App) request(r *http.Request) *Req {
	q := &Req{Now: a.svc.Now().In(domain.China), Path: r.URL.Path, r: r, app: a, start: time.Now()}
	lang := ""
	if c, err := r.Cookie(langCookie); err == nil {
		lang = c.Value
	}
	q.L = a.cat.Locale(lang)
	return q
}

// signIn reads the session cookie; a live session sets the user, the user's language
// and the CSRF token, and gives the request the context service.Authenticate made (the
// directory read at one version for the whole page). An idle, expired or revoked
// session clears the cookie.
func (a *App) signIn(w http.ResponseWriter, r *http.Request, q *Req) (*http.Request, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return r, false
	}
	ctx, u, err := a.svc.Authenticate(r.Context(), c.Value)
	if err != nil {
		clearCookie(w, r, sessionCookie)
		return r, false
	}
	r = r.WithContext(ctx)
	q.r, q.User, q.token, q.CSRF = r, u, c.Value, csrfFor(c.Value)
	if u.Lang != "" {
		q.L = a.cat.Locale(u.Lang)
	}
	q.Nav = a.navFor(ctx, u)
	return r, true
}

// BackPath is where the language switch returns to: this page when it was a GET.
func (q *Req) BackPath() string {
	if q.r.Method == http.MethodGet {
		return q.r.URL.RequestURI()
	}
	return "/"
}

// csrfFor derives a session's CSRF token from its secret token: only a page served to
// the session can know it, and no state is kept for it.
func csrfFor(token string) string {
	h := sha256.Sum256([]byte("whistle-csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// checkCSRF compares the form field _csrf or the X-CSRF-Token header with the
// session's token.
func (q *Req) checkCSRF(r *http.Request) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = formValue(r, "_csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(q.CSRF)) == 1
}

// formValue reads a form field, parsing a multipart body when there is one.
func formValue(r *http.Request, key string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if r.MultipartForm == nil {
			_ = r.ParseMultipartForm(maxUpload)
		}
	}
	return r.FormValue(key)
}

// checkLoginCSRF holds the login form to its double-submit cookie, so another site
// cannot sign a browser in under the attacker's account.
func (a *App) checkLoginCSRF(r *http.Request) bool {
	c, err := r.Cookie(loginCSRF)
	got := formValue(r, "_csrf")
	return err == nil && c.Value != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}

// loginToken gives the login form's CSRF token, setting its cookie when absent.
func loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCSRF); err == nil && len(c.Value) >= 20 && len(c.Value) <= 64 {
		return c.Value
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	setCookie(w, r, loginCSRF, v, 0)
	return v
}

// secure tells whether the browser reached us over TLS, directly or through a proxy.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure over TLS, for maxAge (0: the
// browser session). A relative age, not a date, so a browser with a wrong clock keeps it.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge / time.Second), HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a redirect (after signing in, after switching the language) on this
// site: a path of this origin with its query, cleaned of dot segments, or "/". Only a
// path that starts with one "/" is taken (no scheme, no host); browsers read a
// backslash as a slash and drop tabs and newlines, so anything holding a backslash or a
// control character goes to "/" too (/./\evil.example was /\evil.example after
// cleaning: //evil.example to a browser), and so does a path cleaned to start "//".
func safeNext(next string) string {
	p, query, hasQuery := strings.Cut(next, "?")
	p, _, _ = strings.Cut(p, "#")
	query, _, _ = strings.Cut(query, "#")
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(next, "\\") ||
		strings.ContainsFunc(next, unicode.IsControl) || !utf8.ValidString(next) {
		return "/"
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if strings.HasPrefix(clean, "//") {
		return "/"
	}
	if hasQuery && query != "" {
		return clean + "?" + query
	}
	return clean
}

func init() {
	register(func(a *App) {
		a.Public("GET /login", a.loginPage)
		a.Public("POST /login", a.login)
		a.Public("POST /lang", a.setLang)
		a.Action("POST /logout", nil, a.logout)
	})
}

type loginData struct {
	Login, Next, Token string
}

func (a *App) loginPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	if _, ok := a.signIn(w, r, q); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	q.LoginToken = loginToken(w, r)
	return a.Render(w, q, http.StatusOK, "login", loginData{Next: safeNext(r.URL.Query().Get("next")), Token: q.LoginToken})
}

// login signs in with service.Login, which throttles failed logins per login name.
func (a *App) login(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	login := strings.TrimSpace(r.PostFormValue("login"))
	password := r.PostFormValue("password")
	q.LoginToken = loginToken(w, r)
	d := loginData{Login: login, Next: safeNext(r.PostFormValue("next")), Token: q.LoginToken}
	fail := func(status int, msg string) error {
		q.Error = msg
		return a.Render(w, q, status, "login", d)
	}
	if login == "" || password == "" || len(login) > 64 || len(password) > 256 {
		return fail(http.StatusBadRequest, q.L.T("login.missing"))
	}
	token, expires, u, err := a.svc.Login(r.Context(), transport.ClientAddr(r), login, password)
	switch domain.ErrorCode(err) {
	case "":
	case domain.ETOOMANY:
		return fail(http.StatusTooManyRequests, q.L.T("login.throttled"))
	case domain.EUNAVAILABLE:
		w.Header().Set("Retry-After", "5")
		return fail(http.StatusServiceUnavailable, q.L.T("login.busy"))
	case domain.EUNAUTHORIZED, domain.ENOTFOUND, domain.EINVALID:
		return fail(http.StatusUnauthorized, q.L.T("login.wrong"))
	default:
		return err
	}
	if u.Lang == "" { // a language chosen on the login page becomes the user's
		if c, err := r.Cookie(langCookie); err == nil && a.cat.Has(c.Value) && c.Value != DefaultLang {
			if err := a.svc.SetLang(r.Context(), u, c.Value); err != nil {
				return err
			}
		}
	}
	setCookie(w, r, sessionCookie, token, expires.Sub(q.Now))
	clearCookie(w, r, loginCSRF)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (a *App) logout(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := a.svc.Logout(r.Context(), q.token); err != nil {
		return err
	}
	clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLang switches the language: stored on the user when signed in (so it follows them
// to every device), else in a cookie for the login page.
func (a *App) setLang(w http.ResponseWriter, r *http.Request, q *Req) error {
	lang := r.PostFormValue("lang")
	if !a.cat.Has(lang) {
		return domain.Errorf(domain.EINVALID, "unknown language")
	}
	r, signedIn := a.signIn(w, r, q)
	if signedIn && !q.checkCSRF(r) || !signedIn && !a.checkLoginCSRF(r) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	if signedIn {
		if err := a.svc.SetLang(r.Context(), q.User, lang); err != nil {
			return err
		}
	}
	setCookie(w, r, langCookie, lang, 365*24*time.Hour)
	back := safeNext(r.PostFormValue("back"))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// newKey makes a random key for a form that must not be filed twice.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
