// Package api is Whistle's REST transport under /api/v1/: it decodes, authorises the
// caller, calls the service and encodes. Rules live in the domain, not here.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// Server holds the handlers' dependencies.
type Server struct {
	svc *service.Service
	log *slog.Logger
	mux *http.ServeMux
	met *metrics
	// Routes lists every registered "METHOD /path" so a test can hold the OpenAPI
	// document to them.
	Routes []string
}

// New builds the API over svc.
func New(svc *service.Service, log *slog.Logger) *Server {
	s := &Server{svc: svc, log: log, mux: http.NewServeMux(), met: newMetrics()}
	s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handle registers an open route.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.Routes = append(s.Routes, pattern)
	s.mux.HandleFunc(pattern, s.met.observe(pattern, func(w http.ResponseWriter, r *http.Request) {
		defer s.recoverPanic(w, r)
		if !transport.CleanText(r.URL.Path) || !transport.CleanText(r.URL.RawQuery) || !transport.CleanQuery(r) {
			s.error(w, r, domain.Errorf(domain.EINVALID, "the address must be UTF-8 without NUL characters"))
			return
		}
		h(w, r)
	}))
}

// authed registers a route that needs a bearer token; the handler gets the user.
func (s *Server) authed(pattern string, h func(http.ResponseWriter, *http.Request, domain.User)) {
	s.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			s.error(w, r, domain.Errorf(domain.EUNAUTHORIZED, "send Authorization: Bearer <token> from POST /api/v1/auth/token"))
			return
		}
		ctx, err := s.svc.Store().Fresh(r.Context())
		if err != nil {
			s.error(w, r, err)
			return
		}
		r = r.WithContext(ctx)
		u, err := s.svc.Store().TokenUser(ctx, strings.TrimSpace(token))
		if err != nil {
			s.error(w, r, err)
			return
		}
		h(w, r, u)
	})
}

// admin registers a route only administrators may use.
func (s *Server) admin(pattern string, h func(http.ResponseWriter, *http.Request, domain.User)) {
	s.authed(pattern, func(w http.ResponseWriter, r *http.Request, u domain.User) {
		if !u.Has(domain.RoleAdmin) {
			s.error(w, r, domain.Errorf(domain.EFORBIDDEN, "administrators only"))
			return
		}
		h(w, r, u)
	})
}

func (s *Server) recoverPanic(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
		transport.WriteJSON(w, http.StatusInternalServerError, errorBody("internal", "internal error"))
	}
}

func errorBody(code, msg string) map[string]any {
	return map[string]any{"error": map[string]string{"code": code, "message": msg}}
}

// error answers err; only internal errors are logged, and their text stays private.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	status, ok := transport.Status(err)
	if !ok {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	transport.WriteJSON(w, status, errorBody(code, domain.ErrorMessage(err)))
}

func (s *Server) routes() {
	s.handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.svc.Store().Version(r.Context()); err != nil {
			s.error(w, r, err)
			return
		}
		transport.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "time": time.Now().Format(time.RFC3339)})
	})
	s.handle("GET /metrics", s.met.handler().ServeHTTP)
	s.handle("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
	})
	s.handle("POST /api/v1/auth/token", s.login)
	s.authed("DELETE /api/v1/auth/token", s.logout)
	s.authed("GET /api/v1/me", func(w http.ResponseWriter, r *http.Request, u domain.User) { transport.WriteJSON(w, http.StatusOK, u) })

	s.authed("GET /api/v1/regions", s.listRegions)
	s.authed("GET /api/v1/regions/{code}", s.getRegion)
	s.authed("GET /api/v1/locate", s.locate)
	s.admin("PUT /api/v1/regions/{code}", s.putRegion)
	s.authed("GET /api/v1/orgs", s.listOrgs)
	s.admin("PUT /api/v1/orgs/{code}", s.putOrg)
	s.authed("GET /api/v1/matters", s.listMatters)
	s.authed("GET /api/v1/matters/{code}", s.getMatter)
	s.admin("PUT /api/v1/matters/{code}", s.putMatter)
	s.admin("GET /api/v1/matters.csv", s.exportMatters)
	s.admin("POST /api/v1/matters.csv", s.importMatters)
	s.authed("GET /api/v1/calendar/{year}", s.getCalendar)
	s.admin("PUT /api/v1/calendar/{year}", s.putCalendar)

	s.authed("POST /api/v1/cases", s.fileCase)
	s.authed("GET /api/v1/cases", s.listCases)
	s.authed("GET /api/v1/cases/{id}", s.getCase)
	s.authed("POST /api/v1/cases/{id}/{action}", s.act)
	s.authed("GET /api/v1/stats/cases", s.stats)
	s.authed("GET /api/v1/notifications", s.notifications)
	s.authed("POST /api/v1/notifications/read", s.markRead)

	s.admin("GET /api/v1/users", s.listUsers)
	s.admin("POST /api/v1/users", s.createUser)
	s.admin("GET /api/v1/users/{id}", s.getUser)
	s.admin("PUT /api/v1/users/{id}", s.updateUser)
	s.authed("GET /api/v1/linkages", s.listLinkages)
	s.admin("POST /api/v1/linkages", s.createLinkage)
	s.admin("PUT /api/v1/linkages/{id}", s.updateLinkage)
	s.intakeRoutes()
	s.groupRoutes()
	s.patrolRoutes()

	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, domain.Errorf(domain.ENOTFOUND, "no such API route: %s %s", r.Method, r.URL.Path))
	})
}
