package web

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// dashboardBudget is what the leader's dashboard may cost a phone on its first visit
// (empty cache): the page, its scripts, styles and icon, as Chromium counts them.
const dashboardBudget = 500 * 1024

// transfer is what Chromium received for the requests of one page: bytes on the wire
// (headers and body as sent, so compressed) per address.
type transfer struct {
	mu       sync.Mutex
	addr     map[network.RequestID]string
	encoding map[network.RequestID]string
	bytes    map[network.RequestID]float64
}

// listen counts the network events of the tab from now on.
func (tr *transfer) listen(b *browser) {
	tr.addr, tr.encoding, tr.bytes = map[network.RequestID]string{}, map[network.RequestID]string{}, map[network.RequestID]float64{}
	err := chromedp.Listen(b.ctx, func(ev any) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			path := strings.TrimPrefix(e.Request.URL, b.srv.URL)
			// an image inside a style sheet is no request; the live notices' event stream
			// (/notices/stream) stays open as long as the page does, so it never finishes
			// loading, and what it carries is the few bytes of each notice's event
			if !strings.HasPrefix(e.Request.URL, "data:") && !strings.HasPrefix(path, "/notices/stream") {
				tr.addr[e.RequestID] = path
			}
		case *network.EventResponseReceived:
			for k, v := range e.Response.Headers {
				if strings.EqualFold(k, "Content-Encoding") {
					tr.encoding[e.RequestID] = fmt.Sprint(v)
				}
			}
		case *network.EventLoadingFinished:
			if _, ok := tr.addr[e.RequestID]; ok {
				tr.bytes[e.RequestID] = e.EncodedDataLength
			}
		}
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// settle waits until every request seen has finished loading.
func (tr *transfer) settle(b *browser) {
	b.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		tr.mu.Lock()
		done := len(tr.addr) > 0 && len(tr.bytes) >= len(tr.addr)
		tr.mu.Unlock()
		if done {
			return
		}
	}
	b.t.Fatalf("requests still loading: %v finished of %v", tr.bytes, tr.addr)
}

// report gives the total and one line per request, largest first.
func (tr *transfer) report() (float64, string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var total float64
	var lines []string
	for id, n := range tr.bytes {
		total += n
		enc := tr.encoding[id]
		if enc == "" {
			enc = "identity"
		}
		lines = append(lines, fmt.Sprintf("%10.0f  %-8s %s", n, enc, tr.addr[id]))
	}
	sort.Sort(sort.Reverse(sort.StringSlice(lines)))
	return total, strings.Join(lines, "\n")
}

// TestDashboardTransferInBrowser opens the leader's dashboard with an empty cache, as a
// phone does the first time, and counts the bytes Chromium received for the page and
// everything it loads (network events: encoded length, headers included): at most
// 500 KB, the chart library compressed.
func TestDashboardTransferInBrowser(t *testing.T) {
	b := startBrowser(t, 2000)
	b.login("demo.leader")
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	var tr transfer
	tr.listen(b)
	b.open("/dashboard")
	for _, id := range []string{"chart-trend", "chart-region", "chart-org", "chart-heat"} {
		b.waitFor(id, `document.getElementById('`+id+`').getAttribute('data-drawn') === '1'`)
	}
	tr.settle(b)
	total, lines := tr.report()
	t.Logf("the dashboard's first visit as demo.leader: %.0f bytes (%.1f KB) received\n%s", total, total/1024, lines)
	if total > dashboardBudget {
		t.Errorf("the dashboard cost %.1f KB, over the budget of %d KB", total/1024, dashboardBudget/1024)
	}
	if !strings.Contains(lines, " br ") {
		t.Error("nothing came as brotli")
	}
	// with the cache on, a later visit takes the scripts and styles from it unasked
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: false}); err != nil {
		t.Fatal(err)
	}
	b.open("/dashboard")
	b.waitFor("the charts", `document.getElementById('chart-trend').getAttribute('data-drawn') === '1'`)
	var again transfer
	again.listen(b)
	b.open("/dashboard")
	b.waitFor("the charts", `document.getElementById('chart-trend').getAttribute('data-drawn') === '1'`)
	again.settle(b)
	total, lines = again.report()
	t.Logf("the next visit: %.0f bytes\n%s", total, lines)
	for id, n := range again.bytes {
		if strings.HasPrefix(again.addr[id], "/static/") && n > 0 {
			t.Errorf("%s was fetched again (%.0f bytes)", again.addr[id], n)
		}
	}
	b.noConsoleErrors()
}
