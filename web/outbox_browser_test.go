package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPhoneOutboxInBrowser reports while the upload cannot get through: the report is kept
// on the phone (IndexedDB), and sent once, with its photo, when the network is back.
func TestPhoneOutboxInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	photo := testPhoto(t)
	grid := b.users["demo.grid"]
	b.login("demo.grid")
	b.do(chromedp.EmulateViewport(360, 740))
	b.open("/m/report")
	b.do(
		chromedp.SetValue(chromedp.ID("matter"), "SR-001"),
		chromedp.SendKeys(chromedp.ID("title"), "断网时上报的暴露垃圾"),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}),
	)
	b.cut.Store("/m/report") // the upload fails on the way
	b.do(chromedp.Click(chromedp.ID("send")))
	b.waitFor("the report kept on the phone", `document.getElementById('outbox').textContent.includes('已保存在手机上')`)
	b.shot("queued")
	if mine, err := b.svc.MyReports(ctx, grid, 0, 10); err != nil || len(mine) != 0 {
		t.Fatalf("a case was filed while offline: %d (%v)", len(mine), err)
	}
	// the failed request is expected in the console; nothing else is
	b.mu.Lock()
	b.console = nil
	b.mu.Unlock()

	b.cut.Store("")
	b.open("/m") // any phone page sends what waits
	deadline := time.Now().Add(20 * time.Second)
	for {
		mine, err := b.svc.MyReports(ctx, grid, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) == 1 {
			files, err := b.svc.Attachments(ctx, grid, mine[0].ID)
			if err != nil || len(files) != 1 || mine[0].Title != "断网时上报的暴露垃圾" {
				t.Fatalf("resent case %+v, photos %d, %v", mine[0], len(files), err)
			}
			break
		}
		if time.Now().After(deadline) {
			b.shot("failure")
			t.Fatalf("the kept report was not sent: %d cases", len(mine))
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.waitFor("an empty outbox", `document.getElementById('outbox').hidden`)
	b.open("/m/reports")
	b.open("/m")
	time.Sleep(500 * time.Millisecond)
	if mine, _ := b.svc.MyReports(ctx, grid, 0, 10); len(mine) != 1 {
		t.Fatalf("the report was filed %d times", len(mine))
	}
	b.shot("sent")
	b.noConsoleErrors()
}
