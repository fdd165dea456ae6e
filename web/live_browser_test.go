package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// TestLiveNoticeInBrowser (issue 21): an officer's open page holds the notices stream;
// a case whistled to the officer's org raises the header's unread count by the stream,
// within 2 s, well before the badge's 30 s poll could (the time it took is logged).
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
	if took > 2*time.Second {
		t.Errorf("the badge rose %v after the whistle, want within 2 s", took)
	}
	t.Logf("the badge rose %v after the whistle", took.Round(time.Millisecond))
	b.shot("live-raised")
	b.noConsoleErrors()
}

// TestLiveQueueInBrowser (issue 21): an officer's open inbox, on the tab of cases the org
// was whistled to, shows a case a dispatcher whistles to the org within 2 s, by the
// stream's queue event and without a reload (the tab's own poll is every 60 s).
func TestLiveQueueInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.officer")
	b.open("/inbox?tab=summoned")
	b.waitFor("the stream opened", `document.querySelector('#unread-count').dataset.live === '1'`)
	c := dispatchedCase(b.site, "LT-JDB")
	eval[float64](b, `window.whistleMark = 1`) // gone if the page reloads
	listed := `document.querySelector('#queue').innerText.includes('` + c.Number + `')`
	if eval[bool](b, listed) {
		t.Fatalf("case %s listed before its whistle", c.Number)
	}
	start := time.Now()
	b.site.act(b.users["demo.dispatcher"], c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-CGJ"}})
	for !eval[bool](b, listed) && time.Since(start) < 10*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	if !eval[bool](b, listed) {
		t.Fatalf("the whistled case %s never came into the open inbox", c.Number)
	}
	if took > 2*time.Second {
		t.Errorf("the whistled case came into the open inbox after %v, want within 2 s", took)
	}
	if eval[float64](b, `window.whistleMark || 0`) != 1 {
		t.Error("the page reloaded instead of refreshing its list")
	}
	t.Logf("the whistled case came into the open inbox %v after the whistle", took.Round(time.Millisecond))
	b.shot("live-queue")
	b.noConsoleErrors()
}
