package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// TestLiveNoticeInBrowser (issue 21): an officer's open page holds the notices stream;
// a case whistled to the officer's org raises the header's unread count by the stream,
// well before the badge's 30 s poll could (the time it took is logged).
func TestLiveNoticeInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.officer")
	b.open("/inbox")
	b.waitFor("the unread count loaded", `performance.getEntriesByType('resource').some(e => e.name.endsWith('/notices/count'))`)
	b.waitFor("the stream opened", `document.querySelector('#unread-count').dataset.live === '1'`)
	count := func() int {
		return int(eval[float64](b, `parseInt(document.querySelector('#unread-count').innerText || '0', 10)`))
	}
	was := count()
	c := dispatchedCase(b.site, "LT-JDB")
	start := time.Now()
	b.site.act(b.users["demo.dispatcher"], c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-CGJ"}})
	for count() <= was && time.Since(start) < 10*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	if now := count(); now != was+1 {
		t.Fatalf("unread count after a whistle to the officer: %d, was %d (after %v)", now, was, took)
	}
	t.Logf("the badge rose %v after the whistle", took.Round(time.Millisecond))
	b.shot("live-raised")
	b.noConsoleErrors()
}
