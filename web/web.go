// Package web is Whistle's browser application at /: server-rendered pages
// (html/template), htmx for partial updates and Apache ECharts for dashboards, all
// embedded in the binary. It authorises and reads through the service, exactly as the
// REST API does, so a page never shows what its user may not see.
//
// Features register themselves: each feature file has an init function that appends a
// func(*App) to features, and that func declares its routes (a.Page, a.Action, a.Public)
// and nav entries (a.Nav). See web/README.md.
package web

import (
	"embed"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

//go:embed static
var staticFS embed.FS

// features are the registration functions of every feature file, run by New in file
// name order (the order Go runs init functions of one package).
var features []func(a *App)

// register adds a feature's registration function; call it from an init function.
func register(f func(a *App)) { features = append(features, f) }

// App is the web application: its dependencies, routes, templates and catalogs.
type App struct {
	svc   *service.Service
	log   *slog.Logger
	mux   *http.ServeMux
	cat   *Catalogs
	tmpl  *templates
	nav   []NavItem
	cache catalogCache
	// Routes lists every registered pattern, for tests.
	Routes []string
}

// New builds the web application over svc. It panics when the embedded catalogs or
// templates are inconsistent: that is a programming error a test catches first.
func New(svc *service.Service, log *slog.Logger) *App {
	a := &App{svc: svc, log: log, mux: http.NewServeMux()}
	var err error
	if a.cat, err = LoadCatalogs(); err != nil {
		panic(err)
	}
	if a.tmpl, err = loadTemplates(a.cat); err != nil {
		panic(err)
	}
	a.mux.HandleFunc("GET /static/", a.wrap(a.staticFiles()))
	for _, f := range features {
		f(a)
	}
	a.mux.HandleFunc("/", a.wrap(func(w http.ResponseWriter, r *http.Request) {
		a.notFound(w, r, a.request(r))
	}))
	return a
}

func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Handler is a page or action handler: it gets the signed-in user's request state and
// returns an error to be shown as an error page (domain errors keep their status).
type Handler func(w http.ResponseWriter, r *http.Request, q *Req) error

// Public registers a route anyone may open (the login page). A public POST handler
// checks its own CSRF token (see checkLoginCSRF). Its form is read before the handler
// runs, and at most maxForm of it: nobody has signed in, so nobody may make the server
// read more.
func (a *App) Public(pattern string, h Handler) { a.public(pattern, maxForm, h) }

// PublicUpload is Public for a form that carries photos (the public report page): a
// multipart body may be maxUpload, its files past maxForm held on disk, not in memory.
func (a *App) PublicUpload(pattern string, h Handler) { a.public(pattern, maxUpload, h) }

func (a *App) public(pattern string, limit int64, h Handler) {
	a.Routes = append(a.Routes, pattern)
	a.mux.HandleFunc(pattern, a.wrap(func(w http.ResponseWriter, r *http.Request) {
		q := a.request(r)
		if r.Method == http.MethodPost {
			if err := readForm(w, r, limit); err != nil {
				a.fail(w, r, q, err)
				return
			}
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
		}
		a.fail(w, r, q, h(w, r, q))
	}))
}

// maxForm bounds a form sent without signing in, files aside.
const maxForm = 1 << 20

// readForm reads a POST's form: a multipart body up to limit with at most maxForm held
// in memory (files past it wait in temporary files), any other body up to maxForm.
// Past the limit it answers too_large (413) without reading further.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err = r.ParseMultipartForm(maxForm)
	} else {
		limit = maxForm
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err = r.ParseForm()
	}
	if err != nil {
		return transport.BodyError(err, "form", limit)
	}
	return nil
}

// Page registers a GET route for signed-in users holding one of roles (none: any
// signed-in user). Others get a 403 page; visitors without a session go to the login page.
func (a *App) Page(pattern string, roles []domain.Role, h Handler) {
	a.authed(pattern, roles, false, h)
}

// Action registers a state-changing route (POST) for signed-in users holding one of
// roles; the CSRF token of the session must come with it, as the form field _csrf or
// the X-CSRF-Token header (htmx sends it from the body's hx-headers).
func (a *App) Action(pattern string, roles []domain.Role, h Handler) {
	a.authed(pattern, roles, true, h)
}

func (a *App) authed(pattern string, roles []domain.Role, write bool, h Handler) {
	a.Routes = append(a.Routes, pattern)
	a.mux.HandleFunc(pattern, a.wrap(func(w http.ResponseWriter, r *http.Request) {
		q := a.request(r)
		r, signedIn := a.signIn(w, r, q) // r gets the directory version, read once for the page
		if !signedIn {
			if write || r.Header.Get("HX-Request") != "" {
				a.fail(w, r, q, domain.Errorf(domain.EUNAUTHORIZED, "session expired"))
				return
			}
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if write {
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
		}
		if write && !q.checkCSRF(r) {
			a.fail(w, r, q, domain.Errorf(domain.EFORBIDDEN, "csrf"))
			return
		}
		if !hasAny(q.User, roles) {
			a.fail(w, r, q, domain.Errorf(domain.EFORBIDDEN, "role"))
			return
		}
		a.fail(w, r, q, h(w, r, q))
	}))
}

// hasAny tells whether u holds one of roles; no roles means anyone signed in.
func hasAny(u domain.User, roles []domain.Role) bool {
	if len(roles) == 0 {
		return true
	}
	for _, role := range roles {
		if u.Has(role) {
			return true
		}
	}
	return false
}

// wrap adds what every request gets: security headers (HSTS too when the browser came
// over TLS), a recovered panic, and a refusal of addresses that are not clean UTF-8.
func (a *App) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", csp(""))
		if secure(r) { // reached over TLS: the browser keeps to it for a year
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		defer func() {
			if v := recover(); v != nil {
				a.log.Error("web panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		if !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0) || !utf8.ValidString(r.URL.RawQuery) {
			http.Error(w, "bad address", http.StatusBadRequest)
			return
		}
		h(w, r.WithContext(service.WithClient(r.Context(), transport.ClientAddr(r)))) // for the audit log
	}
}

// staticFiles serves the embedded files under /static/ (assets.go: compressed, named by
// their hash); a directory or a missing file is the 404 page, so nothing lists what
// the folders hold.
func (a *App) staticFiles() http.HandlerFunc {
	files := staticAssetTable()
	return func(w http.ResponseWriter, r *http.Request) {
		if !files.serve(w, r, strings.TrimPrefix(r.URL.Path, "/static/")) {
			a.notFound(w, r, a.request(r))
		}
	}
}
