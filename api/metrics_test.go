package api_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"whistle/api"
	"whistle/whistletest"
)

// TestMetricsBehindToken (issue 18 item 10): /metrics on the API's address answers only
// a scraper bearing the metrics token (401 without it or with another), and on an
// address of its own (api.Server.Metrics) needs none and serves nothing else; the
// series count by route pattern, never by raw path.
func TestMetricsBehindToken(t *testing.T) {
	t.Parallel()
	svc, _, _ := whistletest.Demo(t, 0)
	rest := api.New(svc, slog.New(slog.DiscardHandler))
	rest.SetMetricsToken("scrape-Secret-1")
	srv := httptest.NewServer(rest)
	defer srv.Close()
	own := httptest.NewServer(rest.Metrics())
	defer own.Close()
	get := func(base, path, token string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, raw
	}
	get(srv.URL, "/healthz", "")
	get(srv.URL, "/api/v1/cases/12345", "")
	for _, tc := range []struct {
		name, base, path, token string
		want                    int
	}{
		{"no token", srv.URL, "/metrics", "", 401},
		{"another token", srv.URL, "/metrics", "scrape-secret-1", 401},
		{"a user's token is not it", srv.URL, "/metrics", "not-a-session", 401},
		{"the token", srv.URL, "/metrics", "scrape-Secret-1", 200},
		{"its own address", own.URL, "/metrics", "", 200},
		{"its own address serves nothing else", own.URL, "/healthz", "", 404},
		{"nor the API", own.URL, "/api/v1/openapi.json", "", 404},
	} {
		status, raw := get(tc.base, tc.path, tc.token)
		if status != tc.want {
			t.Errorf("%s: %d, want %d: %.200s", tc.name, status, tc.want, raw)
			continue
		}
		if tc.want != 200 || tc.path != "/metrics" {
			continue
		}
		if !bytes.Contains(raw, []byte(`whistle_http_requests_total{route="GET /healthz",status="200"} 1`)) ||
			!bytes.Contains(raw, []byte(`route="GET /api/v1/cases/{id}",status="401"`)) || bytes.Contains(raw, []byte("12345")) {
			t.Errorf("%s: the series by route pattern: %.500s", tc.name, raw)
		}
	}
}
