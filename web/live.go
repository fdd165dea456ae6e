package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Live updates: every page with the header's notices badge listens to
// /notices/stream (server-sent events, static/js/app.js) and refreshes the badge when
// a "notice" event comes, so a whistle reaches an officer's open page at once; the
// badge's 30 s poll stays for a browser without EventSource. A "queue" event says one
// of the user's queues changed (a case came into or left one of their orgs', or was
// filed, moved on or ran late in a region they dispatch for): an open queue page (the
// inbox, the dispatch queue) reloads its list, its own poll staying for changes made
// by another server.

func init() {
	register(func(a *App) {
		a.Page("GET /notices/stream", nil, a.noticeStream)
	})
}

// streamKeepAlive is how often an idle stream sends a comment, so proxies keep it.
const streamKeepAlive = 25 * time.Second

// noticeStream sends "event: notice" with the newest notice's id each time the user is
// given one, until the page closes. It is answered uncompressed (a compressing writer
// would hold events back) and without the server's write timeout.
func (a *App) noticeStream(w http.ResponseWriter, r *http.Request, q *Req) error {
	ids, err := a.svc.WatchNotices(r.Context(), q.User)
	if err != nil {
		return err
	}
	queues, err := a.svc.WatchQueues(r.Context(), q.User)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	// no deadlines: the stream lasts as long as the page (the server's read timeout,
	// left set, would end the request's context once it passed)
	rc.SetWriteDeadline(time.Time{})
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("No-Gzip-Compression", "1") // the compressing wrapper's (cmd/whistle) opt-out
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	if err := rc.Flush(); err != nil {
		return nil
	}
	// a client that is no EventSource (which sends Accept: text/event-stream) gets the
	// newest notice's id and the end of the stream
	once := !strings.Contains(r.Header.Get("Accept"), "text/event-stream")
	tick := time.NewTicker(streamKeepAlive)
	defer tick.Stop()
	first := true
	for {
		select {
		case id, ok := <-ids:
			if !ok {
				return nil
			}
			if first { // the newest at the start: the page has its count already
				first = false
				fmt.Fprintf(w, "event: hello\ndata: %d\n\n", id)
				if once {
					return nil
				}
			} else {
				fmt.Fprintf(w, "event: notice\ndata: %d\n\n", id)
			}
		case _, ok := <-queues:
			if !ok {
				return nil
			}
			// one of the user's queues changed: an open queue page reloads its list
			// (static/js/app.js)
			fmt.Fprint(w, "event: queue\ndata: 1\n\n")
		case <-tick.C:
			fmt.Fprint(w, ": alive\n\n")
		case <-r.Context().Done():
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}
