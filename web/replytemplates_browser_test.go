package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReplyTemplatesInBrowser: the dispatcher keeps a shared answer with the caller's
// name as a placeholder on the templates page, then at the seat picks it beside the
// direct answer: it goes in after what is written, with the caller's name typed so far.
func TestReplyTemplatesInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.dispatcher")
	b.open("/templates")
	b.do(chromedp.SetValue(chromedp.ID("template-title"), "社保咨询已答复"),
		chromedp.SetValue(chromedp.ID("template-body"), "{来电人}您好，灵活就业人员社保可在“湘税社保”办理，咨询电话12333。"),
		chromedp.Click(chromedp.ID("template-save")))
	b.waitFor("the saved template", `!!document.getElementById('templates-table') && document.getElementById('templates-table').innerText.includes('社保咨询已答复')`)
	b.shot("templates")
	b.open("/intake/hotline")
	b.do(chromedp.SetValue(chromedp.CSS(`input[name="name"]`), "王女士"),
		chromedp.SetValue(chromedp.ID("call-answer"), "已告知办理渠道。"))
	eval[bool](b, `(() => { const s = document.querySelector('#direct-answer select.reply-template');
		s.value = [...s.options].find(o => o.text === '社保咨询已答复').value; s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	got := eval[string](b, `document.getElementById('call-answer').value`)
	if !strings.HasPrefix(got, "已告知办理渠道。\n王女士您好，灵活就业人员社保") || strings.Contains(got, "{") {
		t.Fatalf("the answer after picking the template: %q", got)
	}
	if v := eval[string](b, `document.querySelector('#direct-answer select.reply-template').value`); v != "" {
		t.Errorf("the picker stays on the template: %q", v)
	}
	b.shot("seat")
}
