// Package api is Whistle's REST transport under /api/v1/: it decodes, authorises the
// caller, calls the service and encodes. Rules live in the domain and the service, not
// here.
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
	// metricsToken opens GET /metrics to a scraper bearing it; "" hides the route.
	metricsToken string
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

// openHandler answers a route anyone may call, or returns the error to answer instead.
type openHandler func(w http.ResponseWriter, r *http.Request) error

// handler answers a route for the signed-in user u, or returns the error to answer
// instead.
type handler func(w http.ResponseWriter, r *http.Request, u domain.User) error

// handle registers an open route. Every route's error is answered here, by s.error.
func (s *Server) handle(pattern string, h openHandler) {
	s.Routes = append(s.Routes, pattern)
	s.mux.HandleFunc(pattern, s.met.observe(pattern, func(w http.ResponseWriter, r *http.Request) {
		defer s.recoverPanic(w, r)
		r = r.WithContext(service.WithClient(r.Context(), transport.ClientAddr(r))) // for the audit log
		var err error
		if !transport.CleanText(r.URL.Path) || !transport.CleanText(r.URL.RawQuery) || !transport.CleanQuery(r) {
			err = domain.Errorf(domain.EINVALID, "the address must be UTF-8 without NUL characters")
		} else {
			err = h(w, r)
		}
		if err != nil {
			s.error(w, r, err)
		}
	}))
}

// authed registers a route that needs a bearer token; the handler gets the user, and a
// context that reads the directory at one version for the whole request.
func (s *Server) authed(pattern string, h handler) {
	s.handle(pattern, func(w http.ResponseWriter, r *http.Request) error {
		token, ok := bearer(r)
		if !ok {
			return domain.Errorf(domain.EUNAUTHORIZED, "send Authorization: Bearer <token> from POST /api/v1/auth/token")
		}
		ctx, u, err := s.svc.Authenticate(r.Context(), token)
		if err != nil {
			return err
		}
		return h(w, r.WithContext(ctx), u)
	})
}

// bearer reads the request's bearer token.
func bearer(r *http.Request) (string, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	return token, ok && token != ""
}

// admin registers a route only administrators may use: others are refused before the
// body is read. The service checks again, as it does for every door.
func (s *Server) admin(pattern string, h handler) {
	s.authed(pattern, func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		if !u.Has(domain.RoleAdmin) {
			return domain.Errorf(domain.EFORBIDDEN, "administrators only")
		}
		return h(w, r, u)
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
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5") // busy for a moment, not down
	}
	transport.WriteJSON(w, status, errorBody(code, domain.ErrorMessage(err)))
}

func (s *Server) routes() {
	s.handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) error {
		err := s.svc.Health(r.Context())
		return reply(w, http.StatusOK, map[string]string{"status": "ok", "time": time.Now().Format(time.RFC3339)}, err)
	})
	s.handle("GET /metrics", s.guardedMetrics)
	s.handle("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
		return nil
	})
	s.handle("POST /api/v1/auth/token", s.login)
	s.authed("DELETE /api/v1/auth/token", s.logout)
	s.authed("GET /api/v1/me", func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		return reply(w, http.StatusOK, u, nil)
	})
	// each area's routes close its file
	s.catalogRoutes()
	s.caseRoutes()
	s.adminRoutes()
	s.intakeRoutes()
	s.groupRoutes()
	s.patrolRoutes()
	s.auditRoutes()
	s.windowRoutes()
	s.settingRoutes()
	s.projectRoutes()
	s.projectWorkRoutes()
	s.seatRoutes()
	s.knowledgeRoutes()
	s.replyTemplateRoutes()
	s.projectImportRoutes()
	s.rectRoutes()
	s.staffingRoutes()
	s.landRoutes()
	s.assessRoutes()
	s.messageRoutes()
	s.followRoutes()
	s.areaFollowRoutes()
	s.trainingRoutes()
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) error {
		return domain.Errorf(domain.ENOTFOUND, "no such API route: %s %s", r.Method, r.URL.Path)
	})
}
