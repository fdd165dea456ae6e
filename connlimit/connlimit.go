// Package connlimit bounds the connections a server holds open, per client address and
// in all, so a flood of idle or slow connections cannot take every file descriptor of
// the process (accept4: too many open files) and starve everyone else, health checks
// included.
//
// A connection past a limit first makes room by closing the oldest idle connection it
// competes with (one that has not yet sent a whole request header, or waits between
// requests): a flood of idle or slow connections only ever displaces its own oldest.
// When every connection it competes with is in a request, the newcomer is answered 503
// and closed at once. How long a request may take is the server's timeouts' business.
package connlimit

import (
	"container/list"
	"net"
	"net/http"
	"sync"
	"time"
)

// Listener is a net.Listener that holds connections to Total in all and PerAddr per
// client address (0: no limit). Set the server's ConnState to its ConnState, so it knows
// which connections are idle.
type Listener struct {
	net.Listener
	Total, PerAddr int

	mu     sync.Mutex
	conns  *list.List // of *Conn, oldest first
	byAddr map[string]int
}

// New wraps l.
func New(l net.Listener, total, perAddr int) *Listener {
	return &Listener{Listener: l, Total: total, PerAddr: perAddr, conns: list.New(), byAddr: map[string]int{}}
}

// Conn is an admitted connection; closing it gives its place back.
type Conn struct {
	net.Conn
	l     *Listener
	addr  string
	el    *list.Element
	busy  bool // in a request (http.StateActive)
	close sync.Once
}

// refusal is what a connection past the limits is told before it is closed.
const refusal = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n" +
	"Retry-After: 5\r\nConnection: close\r\nContent-Length: 43\r\n\r\ntoo many connections; try again in a moment"

// Accept waits for a connection the limits admit; others are answered 503 and closed.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if admitted := l.admit(c); admitted != nil {
			return admitted, nil
		}
		c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		c.Write([]byte(refusal))
		c.Close()
	}
}

// admit places c, making room by closing the oldest idle connection of its address
// (when the address is full) or of all (when the listener is full); nil when there is
// no room to make.
func (l *Listener) admit(c net.Conn) *Conn {
	addr := hostOf(c.RemoteAddr())
	var evict []*Conn
	l.mu.Lock()
	full := func(n, limit int, sameAddr bool) bool {
		if limit <= 0 || n < limit {
			return false
		}
		old := l.oldestIdle(addr, sameAddr, evict)
		if old == nil {
			return true
		}
		evict = append(evict, old)
		return false
	}
	if full(l.byAddr[addr], l.PerAddr, true) || full(l.conns.Len()-len(evict), l.Total, false) {
		l.mu.Unlock()
		return nil
	}
	for _, old := range evict {
		l.forget(old)
	}
	a := &Conn{Conn: c, l: l, addr: addr}
	a.el = l.conns.PushBack(a)
	l.byAddr[addr]++
	l.mu.Unlock()
	for _, old := range evict {
		old.closeOnce()
	}
	return a
}

// oldestIdle finds the oldest idle connection (of addr, when sameAddr) not in skip.
func (l *Listener) oldestIdle(addr string, sameAddr bool, skip []*Conn) *Conn {
	for e := l.conns.Front(); e != nil; e = e.Next() {
		c := e.Value.(*Conn)
		if !c.busy && (!sameAddr || c.addr == addr) && !contains(skip, c) {
			return c
		}
	}
	return nil
}

func contains(cs []*Conn, c *Conn) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// forget gives c's place back; the caller holds l.mu.
func (l *Listener) forget(c *Conn) {
	if c.el == nil {
		return
	}
	l.conns.Remove(c.el)
	c.el = nil
	if l.byAddr[c.addr]--; l.byAddr[c.addr] <= 0 {
		delete(l.byAddr, c.addr)
	}
}

// Close closes the connection and gives its place back.
func (c *Conn) Close() error {
	c.l.mu.Lock()
	c.l.forget(c)
	c.l.mu.Unlock()
	return c.closeOnce()
}

func (c *Conn) closeOnce() (err error) {
	c.close.Do(func() { err = c.Conn.Close() })
	return err
}

// ConnState is the server's hook (http.Server.ConnState): a connection in a request
// (net/http marks it active once the header is read) is busy and never closed to make
// room; one that is new, still sending its header, or between requests is idle.
func (l *Listener) ConnState(nc net.Conn, state http.ConnState) {
	c, ok := nc.(*Conn)
	if !ok {
		return
	}
	l.mu.Lock()
	c.busy = state == http.StateActive
	l.mu.Unlock()
}

// Open tells how many connections are held, in all and from addr.
func (l *Listener) Open(addr string) (total, fromAddr int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns.Len(), l.byAddr[addr]
}

// hostOf is the client address without its port.
func hostOf(a net.Addr) string {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}
