package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestIntakeInBrowser walks the doors as people use them: the call-taker searches a
// matter and files a hotline case, a window clerk prints a 办不成事 receipt, and a
// member of the public follows that case and reports one of their own without logging in.
func TestIntakeInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	filesInTemp(t, b.svc)
	b.login("demo.dispatcher")

	b.open("/intake/hotline")
	b.do(chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "满溢"))
	b.waitFor("the matter search", `document.querySelectorAll('#matter option').length < 5 && !!document.querySelector('#matter option[value="SR-002"]')`)
	b.do(
		chromedp.SetValue(chromedp.ID("matter"), "SR-002"),
		chromedp.SendKeys(chromedp.CSS(`input[name=caller_phone]`), "13800004444"),
		chromedp.SendKeys(chromedp.CSS(`input[name=recording]`), "REC-20260302-7"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), "民光社区菜市场旁垃圾桶满溢"),
		chromedp.SetValue(chromedp.CSS(`select[name=region]`), "431382001001"),
	)
	b.shot("hotline")
	b.do(chromedp.Submit(chromedp.CSS(`textarea[name=description]`)))
	b.waitFor("the new case's page", casePageLoaded)
	if got := b.text("#main h1"); !strings.Contains(got, "民光社区菜市场旁垃圾桶满溢") {
		t.Fatalf("hotline case page: %q", got)
	}

	b.open("/intake/window")
	b.do(
		chromedp.Click(chromedp.CSS(`input[value=cannot_do_window]`)),
		chromedp.SetValue(chromedp.CSS(`select[name=window]`), "LT-BC"),
		chromedp.SetValue(chromedp.ID("matter"), "SR-001"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), "反映三次仍未清理"),
		chromedp.SetValue(chromedp.CSS(`select[name=region]`), "431382001001"),
		chromedp.Submit(chromedp.CSS(`textarea[name=description]`)),
		chromedp.WaitVisible(chromedp.ID("receipt-secret")),
	)
	b.shot("receipt")
	number, secret := b.text("#receipt-number"), b.text("#receipt-secret")

	b.open("/public/track")
	b.do(
		chromedp.SendKeys(chromedp.CSS(`input[name=number]`), number),
		chromedp.SendKeys(chromedp.CSS(`input[name=secret]`), secret),
		chromedp.Submit(chromedp.CSS(`input[name=secret]`)),
		chromedp.WaitVisible(chromedp.CSS(".timeline")),
	)
	b.shot("track")
	if got := b.text("#h-track"); !strings.Contains(got, number) {
		t.Fatalf("track: %q", got)
	}

	b.open("/public/report")
	b.do(
		chromedp.SetValue(chromedp.CSS(`select[name=matter]`), "SR-001"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), "公园门口垃圾没人清"),
		chromedp.SetValue(chromedp.CSS(`select[name=region]`), "431382001001"),
		chromedp.Submit(chromedp.CSS(`textarea[name=description]`)),
		chromedp.WaitVisible(chromedp.ID("receipt-secret")),
	)
	b.shot("public-receipt")
	b.noConsoleErrors()
}
