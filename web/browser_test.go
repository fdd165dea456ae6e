package web

// The browser-test harness: the web application on httptest over a demo database,
// driven by Debian's Chromium (/usr/bin/chromium, never a downloaded browser) through
// chromedp. A test calls startBrowser, then b.login / b.do / b.shot /
// b.noConsoleErrors. Without Chromium the tests skip with a loud message, unless
// WHISTLE_REQUIRE_BROWSER=1 (as .ci/run sets), where a missing browser fails them.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdlog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"whistle/demo"
)

// chromiumPath is the browser the tests drive: Debian's package.
const chromiumPath = "/usr/bin/chromium"

// browser is one browser tab on one demo site.
type browser struct {
	*site
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	console []string // console errors, uncaught exceptions and failed loads seen so far
}

// startBrowser starts the demo site (with history cases) and a headless Chromium tab
// on it, both ended with the test.
func startBrowser(t *testing.T, cases int) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := "\n" + strings.Repeat("!", 78) + "\n!! BROWSER TESTS SKIPPED: " + chromiumPath + " is missing (apt-get install -y chromium)\n" + strings.Repeat("!", 78)
		if os.Getenv("WHISTLE_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg)
		}
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	if testing.Short() {
		t.Skip("browser tests do not run with -short")
	}
	s := newSite(t, cases)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	b := &browser{site: s, t: t, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdlog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	b.collect()
	return b
}

// collect gathers console errors, uncaught exceptions and browser log errors (failed
// loads, CSP refusals) for noConsoleErrors.
func (b *browser) collect() {
	add := func(s string) {
		b.mu.Lock()
		b.console = append(b.console, s)
		b.mu.Unlock()
	}
	calls := chromedp.Events(b.ctx, runtime.ConsoleAPICalled)
	exceptions := chromedp.Events(b.ctx, runtime.ExceptionThrown)
	logs := chromedp.Events(b.ctx, cdlog.EntryAdded)
	go func() {
		for ev, err := range calls {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				add("console.error: " + strings.Join(parts, " "))
			}
		}
	}()
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			text := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				text += " " + ev.ExceptionDetails.Exception.Description
			}
			add("exception: " + text)
		}
	}()
	go func() {
		for ev, err := range logs {
			if err != nil {
				return
			}
			if ev.Entry.Level == cdlog.EntryLevelError {
				add(fmt.Sprintf("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	}()
}

// url is the address of path on the site.
func (b *browser) url(path string) string { return b.srv.URL + path }

// do runs actions, failing the test (with a screenshot) on error.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot("failure")
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("browser at %s: %v", loc, err)
	}
}

// text reads the text of the first element sel matches.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.shot("failure")
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval evaluates a JavaScript expression for a value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// location is the address the tab shows, without the site's origin.
func (b *browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, b.srv.URL)
}

// login signs in as a demo user through the login page, signing out whoever was in.
func (b *browser) login(login string) {
	b.t.Helper()
	if eval[bool](b, `!!document.querySelector('form[action="/logout"] button')`) {
		b.do(chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("login")))
	}
	b.do(
		chromedp.Navigate(b.url("/login")),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)
}

// artifacts is where screenshots go: $WHISTLE_ARTIFACTS, else web/testdata/artifacts.
func artifacts() string {
	if d := os.Getenv("WHISTLE_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join("testdata", "artifacts")
}

// shot saves a full-page screenshot as <test>-<name>.png among the artifacts.
func (b *browser) shot(name string) {
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // PNG
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := artifacts()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot dir: %v", err)
		return
	}
	file := filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// noConsoleErrors fails the test when the pages so far logged an error.
func (b *browser) noConsoleErrors() {
	b.t.Helper()
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.console {
		b.t.Errorf("browser console: %s", e)
	}
	b.console = nil
}

// casePageLoaded tells that the browser shows a case page, loaded: a form's submit
// changes location.pathname before the new page's document is there, so reading it on
// the path alone found no heading (TestIntakeInBrowser, CI).
const casePageLoaded = `location.pathname.startsWith('/cases/') && document.readyState === 'complete' && !!document.querySelector('#main h1')`
