package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
	"whistle/service"
)

// TestMessagePagesInBrowser (issue 21): a receipt's holder asks on the tracking page
// for progress messages and is told, masked, where the confirmation went; a leader
// follows the street from the dashboard's button; the administrator's channels page
// shows its form, the test button and the outbox's counts.
func TestMessagePagesInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1280, 900))
	r, err := b.site.svc.PublicReport(t.Context(), "203.0.113.8", service.Intake{Case: domain.NewCase{Matter: "SR-001", Title: "民光社区路灯不亮",
		Region: "431382001001001001", Kind: "request"}})
	if err != nil {
		t.Fatal(err)
	}
	b.open("/public/track?" + url.Values{"number": {r.Number}, "secret": {r.Secret}}.Encode())
	b.do(chromedp.SendKeys(chromedp.CSS(`#subscribe-form input[name="address"]`), "wang.wu@example.cn"),
		chromedp.Submit(chromedp.CSS(`#subscribe-form input[name="address"]`)),
		chromedp.WaitVisible(chromedp.ID("flash")))
	if got := b.text("#flash"); !strings.Contains(got, "w***@example.cn") {
		t.Errorf("flash: %q", got)
	}
	b.shot("receipt-subscribed")

	b.login("demo.leader")
	b.open("/dashboard?region=431382001")
	b.waitFor("the follow button", `!!document.querySelector('#area-follow-form button')`)
	b.do(chromedp.Click(chromedp.CSS(`#area-follow-form button`)), chromedp.WaitVisible(chromedp.ID("flash")))
	b.waitFor("the button offers to stop", `(document.querySelector('#area-follow-form button') || {}).innerText === '取消关注'`)
	b.shot("dashboard-followed")
	b.open("/notices/settings")
	if got := b.text("#area-follows"); !strings.Contains(got, "蓝田街道") || !strings.Contains(got, "全部事项") {
		t.Errorf("the follows listed: %q", got)
	}
	b.shot("follows-listed")

	b.login("demo.admin")
	b.open("/admin/channels")
	if got := b.text("#outbox-counts"); !strings.Contains(got, "待发送") {
		t.Errorf("outbox counts: %q", got)
	}
	b.shot("channels")
	b.noConsoleErrors()
}
