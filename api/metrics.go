package api

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"whistle/domain"
)

// metrics are the server's Prometheus series, labelled by route pattern (never by raw
// path, which would grow without bound) and status.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "whistle_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "whistle_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves /metrics.
func (m *metrics) handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// SetMetricsToken lets GET /metrics on the API's address answer a scraper that sends
// Authorization: Bearer token. Without one (the default) the route count, 107 KB that
// maps the installation's use, is nobody's business there: /metrics answers 404, and an
// operator serves it on an address of its own (Metrics). Call it before serving.
func (s *Server) SetMetricsToken(token string) { s.metricsToken = token }

// Metrics serves GET /metrics alone, without a token, for a listen address of its own
// (whistle serve --metrics-addr) that only the monitoring network reaches.
func (s *Server) Metrics() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.met.handler())
	return mux
}

// guardedMetrics answers GET /metrics on the API's address: 404 without a token set,
// 401 without the token (compared in constant time), else the series.
func (s *Server) guardedMetrics(w http.ResponseWriter, r *http.Request) error {
	if s.metricsToken == "" {
		return domain.Errorf(domain.ENOTFOUND, "no such route: %s %s", r.Method, r.URL.Path)
	}
	token, ok := bearer(r)
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.metricsToken)) != 1 {
		return domain.Errorf(domain.EUNAUTHORIZED, "send Authorization: Bearer <the metrics token>")
	}
	return serve(s.met.handler())(w, r)
}

// observe wraps a route's handler to count and time it.
func (m *metrics) observe(route string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		began := time.Now()
		h(rec, r)
		m.duration.WithLabelValues(route).Observe(time.Since(began).Seconds())
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
