package connlimit

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// server serves /healthz at once and /slow until release is closed, on a Listener.
func server(t *testing.T, total, perAddr int) (*Listener, string, chan struct{}) {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := New(raw, total, perAddr)
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-release })
	srv := &http.Server{Handler: mux, ConnState: l.ConnState}
	go srv.Serve(l)
	t.Cleanup(func() { close(release); srv.Close() })
	return l, raw.Addr().String(), release
}

// dial connects from the loopback address from (127.0.0.x) and sends what.
func dial(t *testing.T, addr, from, what string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if what != "" {
		if _, err := io.WriteString(c, what); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// status asks GET path from from and tells the answer's status (0: the connection was
// closed without one).
func status(t *testing.T, addr, from, path string) int {
	t.Helper()
	c := dial(t, addr, from, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitOpen waits until the listener holds total connections in all and fromAddr from addr.
func waitOpen(t *testing.T, l *Listener, addr string, total, fromAddr int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if n, m := l.Open(addr); n == total && m == fromAddr {
			return
		}
	}
	n, m := l.Open(addr)
	t.Fatalf("open: %d in all, %d from %s; want %d, %d", n, m, addr, total, fromAddr)
}

// TestBusyAddressIsRefused: an address whose connections are all in requests gets 503
// for one more; another address is served.
func TestBusyAddressIsRefused(t *testing.T) {
	l, addr, _ := server(t, 10, 2)
	for range 2 {
		dial(t, addr, "127.0.0.1", "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	waitOpen(t, l, "127.0.0.1", 2, 2)
	time.Sleep(50 * time.Millisecond) // the server marks them busy
	if got := status(t, addr, "127.0.0.1", "/healthz"); got != http.StatusServiceUnavailable {
		t.Fatalf("third connection of a busy address: %d, want 503", got)
	}
	if got := status(t, addr, "127.0.0.2", "/healthz"); got != http.StatusOK {
		t.Fatalf("another address: %d", got)
	}
}

// TestIdleConnectionsMakeRoom: a flood of connections that send nothing cannot keep out
// a health check, from the flooding address or another: the oldest idle one is closed.
func TestIdleConnectionsMakeRoom(t *testing.T) {
	l, addr, _ := server(t, 6, 3)
	var idle []net.Conn
	for range 3 {
		idle = append(idle, dial(t, addr, "127.0.0.3", ""))
	}
	waitOpen(t, l, "127.0.0.3", 3, 3)
	if got := status(t, addr, "127.0.0.3", "/healthz"); got != http.StatusOK {
		t.Fatalf("health check from the flooding address: %d", got)
	}
	idle[0].SetReadDeadline(time.Now().Add(time.Second))
	if _, err := idle[0].Read(make([]byte, 1)); err == nil {
		t.Fatal("the oldest idle connection was not closed")
	}
	for i := range 3 { // the listener fills with 6 more: the oldest, 127.0.0.3's, make room
		for range 2 {
			dial(t, addr, "127.0.0."+string(rune('4'+i)), "")
		}
	}
	waitOpen(t, l, "127.0.0.3", 6, 0)
	if got := status(t, addr, "127.0.0.9", "/healthz"); got != http.StatusOK {
		t.Fatalf("health check with the listener full of idle connections: %d", got)
	}
	if n, _ := l.Open(""); n > 6 {
		t.Fatalf("%d connections held, past 6", n)
	}
}

// TestClosedConnectionsGiveBackTheirPlace: the count follows connections closed by
// either side.
func TestClosedConnectionsGiveBackTheirPlace(t *testing.T) {
	l, addr, _ := server(t, 10, 10)
	c := dial(t, addr, "127.0.0.1", "")
	waitOpen(t, l, "127.0.0.1", 1, 1)
	c.Close()
	waitOpen(t, l, "127.0.0.1", 0, 0)
	if got := status(t, addr, "127.0.0.1", "/healthz"); got != http.StatusOK {
		t.Fatalf("health check: %d", got)
	}
	waitOpen(t, l, "127.0.0.1", 0, 0) // Connection: close ends it on the server too
}
