package web

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"whistle/domain"
)

// TestHomePagesInBrowser (issue 19): each role signs in and lands where it works first,
// and finds there what it does first — the leader the dashboard, the dispatcher the
// queue, the inspector the scan button, the citizen "我要反映" — on a desk screen and
// on a phone.
func TestHomePagesInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desk", 1366, 900}, {"phone", 390, 844}} {
		b.do(chromedp.EmulateViewport(size.w, size.h))
		for _, tc := range []struct {
			login, home, first string
		}{
			{"demo.leader", "/dashboard", "body.page-dashboard #main h1"},
			{"demo.dispatcher", "/dispatch", "body.page-dispatch #main h1"},
			{"demo.inspector", "/inspections", "#scan-button"},
			{"demo.citizen", "/me", "#report-button"},
		} {
			b.login(tc.login)
			b.do(chromedp.WaitVisible(chromedp.CSS(tc.first)))
			if loc := b.location(); loc != tc.home {
				t.Errorf("%s lands on %s, want %s", tc.login, loc, tc.home)
			}
			// what the role does first is on the first screen, not below a long page
			top := eval[float64](b, `document.querySelector('`+tc.first+`').getBoundingClientRect().top`)
			if top < 0 || top > float64(size.h) {
				t.Errorf("%s on a %s: %s is at %.0f px, off the first screen", tc.login, size.name, tc.first, top)
			}
			b.shot(strings.TrimPrefix(tc.login, "demo.") + "-" + size.name)
			if tc.login == "demo.inspector" && size.name == "phone" { // the button opens the camera for the code
				b.do(chromedp.Click(chromedp.ID("scan-button")), chromedp.WaitVisible(chromedp.ID("scan-message")))
				b.shot("inspector-scan")
			}
		}
	}
	b.noConsoleErrors()
}

// TestUnreadCountInBrowser: the officer's header shows how many notices are unread; a
// case whistled to the officer's org raises it while the page stays open (the badge
// asks again every half minute), and the page the count links to lists the notice.
func TestUnreadCountInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.officer")
	b.open("/inbox")
	b.waitFor("the unread count loaded", `performance.getEntriesByType('resource').some(e => e.name.endsWith('/notices/count'))`)
	count := func() int {
		n := eval[float64](b, `parseInt(document.querySelector('#unread-count').innerText || '0', 10)`)
		return int(n)
	}
	was := count()
	c := dispatchedCase(b.site, "LT-JDB")
	b.site.act(b.users["demo.dispatcher"], c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-CGJ"}})
	deadline := time.Now().Add(45 * time.Second)
	for count() <= was && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
	}
	if now := count(); now != was+1 {
		t.Fatalf("unread count after a whistle to the officer: %d, was %d", now, was)
	}
	b.shot("raised")
	b.do(chromedp.Click(chromedp.CSS(`a[href="/notices"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/cases/`+strconv.FormatInt(c.ID, 10)+`"]`)))
	b.noConsoleErrors()
}

// TestReceiptQRInBrowser: a resident reports on the public page with a phone; the
// receipt's QR code, decoded, is the tracking address; opened, it shows the case in
// one state.
func TestReceiptQRInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(390, 844))
	b.open("/public/report")
	if gov := b.text("#government"); gov != "涟源市人民政府" {
		t.Errorf("the public page is headed %q", gov)
	}
	b.do(
		chromedp.SetValue(chromedp.CSS(`select[name="matter"]`), "SR-001"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="description"]`), "民光社区3栋门口路灯不亮"),
		chromedp.Submit(chromedp.CSS(`textarea[name="description"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.error`)),
	)
	if msg := b.text(".flash.error"); !strings.Contains(msg, "所在社区") {
		t.Errorf("no place given: the message %q does not name the field", msg)
	}
	b.shot("field-error")
	b.mu.Lock()
	b.console = nil // the refused form answered 400, as it should
	b.mu.Unlock()
	b.do(
		chromedp.SetValue(chromedp.CSS(`select[name="region"]`), "431382001001"),
		chromedp.Submit(chromedp.CSS(`textarea[name="description"]`)),
		chromedp.WaitVisible(chromedp.ID("receipt-qr")),
	)
	b.shot("receipt")
	src := eval[string](b, `document.querySelector('#receipt-qr').src`)
	shown := b.text("#receipt-track-url")
	img, err := png.Decode(base64.NewDecoder(base64.StdEncoding, strings.NewReader(strings.TrimPrefix(src, "data:image/png;base64,"))))
	if err != nil {
		t.Fatalf("the QR image: %v", err)
	}
	decoded := decodeQR(t, img)
	if decoded != shown || !strings.HasPrefix(decoded, b.srv.URL+"/public/track?number=") {
		t.Fatalf("the QR code reads %q; the receipt shows %q", decoded, shown)
	}
	number := b.text("#receipt-number")
	b.do(chromedp.Navigate(decoded), chromedp.WaitVisible(chromedp.ID("track-state")))
	if state := b.text("#track-state"); strings.Count(state, "：") != 1 || !strings.Contains(state, "已上报") || strings.Contains(state, "办理中") {
		t.Errorf("the tracking page's state: %q", state)
	}
	if got := b.text("#h-track .number"); got != number {
		t.Errorf("tracking shows case %q, the receipt %q", got, number)
	}
	b.shot("tracking")
	b.noConsoleErrors()
}

// decodeQR reads a QR code from an image, as a phone's camera does.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		var buf bytes.Buffer
		_ = png.Encode(&buf, img)
		t.Fatalf("decoding the QR code (%d bytes): %v", buf.Len(), err)
	}
	return res.GetText()
}
