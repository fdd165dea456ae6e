package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// TestServeMetrics: whistle serve keeps /metrics from the public. With a token
// (--metrics-token or WHISTLE_METRICS_TOKEN) the main address answers only a scraper
// bearing it, and --metrics-addr serves the series without one; with neither, /metrics
// is 404 on the main address, not the web application's page.
func TestServeMetrics(t *testing.T) {
	dsn := whistletest.DSN(t)
	addr, own := freeAddr(t), freeAddr(t)
	t.Setenv("WHISTLE_METRICS_TOKEN", "from-the-environment")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", dsn, "--addr", addr, "--metrics-addr", own}, nil, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	get := func(addr, token string) int {
		req, _ := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; ; i++ {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				return resp.StatusCode
			}
			if i == 100 {
				t.Fatalf("%s: %v", addr, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	for _, tc := range []struct {
		name, addr, token string
		want              int
	}{
		{"main address, no token", addr, "", 401},
		{"main address, the environment's token", addr, "from-the-environment", 200},
		{"its own address", own, "", 200},
	} {
		if got := get(tc.addr, tc.token); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, _ := handler(service.New(db), slog.New(slog.DiscardHandler), "")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("no token, no address: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
