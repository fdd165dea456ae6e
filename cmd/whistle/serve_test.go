package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"whistle/service"
	"whistle/whistletest"
)

// served runs the serve command's server with lim over a fresh database and gives its
// address.
func served(t *testing.T, lim limits) string {
	t.Helper()
	db, _ := whistletest.DB(t)
	h, _ := handler(service.New(db), slog.New(slog.DiscardHandler), "")
	ctx, cancel := context.WithCancel(context.Background())
	addrc, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- listenAndServe(ctx, "127.0.0.1:0", h, lim, make(chan error, 1), func(a net.Addr) { addrc <- a.String() })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return <-addrc
}

// from is a dialer whose connections come from the loopback address ip (127.0.0.x).
func from(ip string) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: time.Second}
}

// connect opens a connection to addr from ip and sends what.
func connect(t *testing.T, addr, ip, what string) net.Conn {
	t.Helper()
	c, err := from(ip).Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	io.WriteString(c, what)
	return c
}

// health asks GET /healthz from ip with a client of its own and tells the status (0:
// no answer within 2 s).
func health(t *testing.T, addr, ip string) int {
	t.Helper()
	client := http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DialContext: from(ip).DialContext, DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// closedWithin tells whether the server closes c within d.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	return err == nil // EOF: closed by the server; a timeout is an error
}

// TestServeHoldsSlowAndIdleClients: a flood of idle connections and of headers sent
// slowly neither exhausts the server's connections nor keeps /healthz from answering,
// from the flooding addresses or any other; slow headers are cut at the header timeout,
// idle keep-alive connections at the idle timeout. (An address whose connections are
// all in requests is answered 503: connlimit's tests.)
func TestServeHoldsSlowAndIdleClients(t *testing.T) {
	addr := served(t, limits{readHeader: 300 * time.Millisecond, read: time.Second, write: time.Second, idle: 300 * time.Millisecond,
		conns: 20, connsPerAddr: 8})
	for range 60 { // idle: they send nothing
		connect(t, addr, "127.0.0.1", "")
	}
	var slow []net.Conn
	for range 8 { // slow: a header begun and never ended
		slow = append(slow, connect(t, addr, "127.0.0.2", "GET /healthz HTTP/1.1\r\nHost: x\r\n"))
	}
	time.Sleep(100 * time.Millisecond)
	// a header not yet ended is no request yet: the oldest idle or slow connection of a
	// full address makes room
	for _, from := range []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"} {
		if got := health(t, addr, from); got != http.StatusOK {
			t.Fatalf("/healthz from %s during the flood: %d", from, got)
		}
	}
	if !closedWithin(slow[len(slow)-1], time.Second) {
		t.Fatal("a header sent slowly outlived the header timeout")
	}
	keep := connect(t, addr, "127.0.0.4", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, err := http.ReadResponse(bufio.NewReader(keep), nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("keep-alive request: %v", err)
	}
	if !closedWithin(keep, time.Second) {
		t.Fatal("an idle keep-alive connection outlived the idle timeout")
	}
}

// TestServeRaisesFileLimit: the serve command raises the open-file limit to the hard
// limit and keeps its connections within it.
func TestServeRaisesFileLimit(t *testing.T) {
	conns := fitFiles(1<<30, slog.New(slog.DiscardHandler))
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		t.Fatal(err)
	}
	if r.Cur != r.Max || uint64(conns) > r.Cur-256 {
		t.Fatalf("open files %d of %d, connections %d", r.Cur, r.Max, conns)
	}
}

// TestBehindProxies: a request forwarded by a trusted proxy is counted by the address the
// proxy names; anyone else's X-Forwarded-For is ignored.
func TestBehindProxies(t *testing.T) {
	trusted, err := parseNets("127.0.0.0/8, ::1/128")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	h := behindProxies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }), trusted)
	for _, c := range []struct{ peer, forwarded, want string }{
		{"127.0.0.1:5000", "203.0.113.9", "203.0.113.9:0"},
		{"127.0.0.1:5000", "198.51.100.1, 203.0.113.9", "203.0.113.9:0"}, // the proxy's own entry is last
		{"[::1]:5000", "2001:db8::7", "[2001:db8::7]:0"},
		{"127.0.0.1:5000", "", "127.0.0.1:5000"},
		{"127.0.0.1:5000", "not an address", "127.0.0.1:5000"},
		{"203.0.113.50:5000", "127.0.0.1", "203.0.113.50:5000"}, // not a proxy: the header is the client's own
	} {
		r, _ := http.NewRequest("GET", "/healthz", nil)
		r.RemoteAddr = c.peer
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		h.ServeHTTP(nil, r)
		if got != c.want {
			t.Errorf("from %s forwarding %q: %s, want %s", c.peer, c.forwarded, got, c.want)
		}
	}
	if _, err := parseNets("10.0.0.0/8,nonsense"); err == nil {
		t.Error("a bad network was taken")
	}
}

// TestAnswersAreCompressed: an answer over a kilobyte reaches a client that accepts gzip
// compressed, and decompresses to what a client without it gets; a static asset that
// carries its own brotli is not compressed twice.
func TestAnswersAreCompressed(t *testing.T) {
	addr := served(t, defaultLimits)
	get := func(path, accept string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	plain, want := get("/api/v1/openapi.json", "")
	if ce := plain.Header.Get("Content-Encoding"); ce != "" {
		t.Fatalf("a client without Accept-Encoding got %q", ce)
	}
	resp, body := get("/api/v1/openapi.json", "gzip")
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", ce)
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q lacks Accept-Encoding", resp.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("decompressed %d bytes differ from the %d sent plain", len(got), len(want))
	}
	if len(body)*4 > len(want) {
		t.Errorf("compressed %d bytes of %d: less than 4×", len(body), len(want))
	}
	resp, body = get("/static/vendor/htmx/htmx.min.js", "br, gzip")
	if ce := resp.Header.Values("Content-Encoding"); len(ce) != 1 || ce[0] != "br" {
		t.Fatalf("static asset Content-Encoding %q, want br once", ce)
	}
	if _, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body))); err != nil {
		t.Fatalf("static asset is not plain brotli: %v", err)
	}
}

// TestProfilesOnlyAside: Go's profiles are served by --pprof's handler and never on the
// main address, whatever importing net/http/pprof put on the default mux.
func TestProfilesOnlyAside(t *testing.T) {
	rec := httptest.NewRecorder()
	profiles().ServeHTTP(rec, httptest.NewRequest("GET", "/debug/pprof/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("--pprof index: %d %.200s", rec.Code, rec.Body.String())
	}
	addr := served(t, defaultLimits)
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK && strings.Contains(string(body), "goroutine profile") {
		t.Fatalf("the main address serves Go's profiles")
	}
}
