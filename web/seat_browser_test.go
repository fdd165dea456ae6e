package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"whistle/domain"
	"whistle/service"
)

// TestSeatByKeyboardInBrowser: a call taken at the 12345 seat without the mouse. The
// number is typed into the field that has focus and the caller's earlier call shows;
// Tab to the kind (投诉), Tab to the caller's words, whose suggestions rank 社会生活噪声
// first for 噪音 (the catalogue says 噪声); Alt+1 picks it, Tab to the place, a key
// chooses it, Ctrl+Enter files the call: a complaint under ST-002.
func TestSeatByKeyboardInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	disp := b.user("demo.dispatcher")
	if _, err := b.svc.FileIntake(ctx, disp, service.Intake{Case: domain.NewCase{Matter: "SZ-003", Title: "巷子路灯不亮", Region: "431382001205", Channel: "hotline"},
		Details: domain.IntakeDetails{CallerPhone: "13807380099"}}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.dispatcher")
	b.open("/intake/hotline")
	if id := eval[string](b, `document.activeElement.id`); id != "caller-phone" {
		t.Fatalf("focus on %q when the page opens", id)
	}
	b.do(chromedp.KeyEvent("138 0738 0099"))
	b.waitFor("the caller's history", `document.getElementById('caller-history').innerText.includes('巷子路灯不亮')`)
	b.do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowDown)) // 求助 → 投诉
	if k := eval[string](b, `document.getElementById('call-kind').value`); k != "complaint" {
		t.Errorf("kind %q", k)
	}
	b.do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("楼下广场舞噪音太大，晚上十点还在跳"))
	b.waitFor("the suggestions", `!!document.getElementById('suggest-1') && document.getElementById('suggest-1').dataset.code === 'ST-002'`)
	b.shot("suggested")
	b.do(chromedp.KeyEvent("1", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	if m, id := eval[string](b, `document.getElementById('matter').value`), eval[string](b, `document.activeElement.id`); m != "ST-002" || id != "call-title" {
		t.Fatalf("after Alt+1: matter %q, focus on %q", m, id)
	}
	b.do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	b.do(chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	b.waitFor("the case page", casePageLoaded)
	id, err := strconv.ParseInt(strings.TrimPrefix(b.location(), "/cases/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.svc.Case(ctx, disp, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Matter != "ST-002" || c.Kind != "complaint" || c.Channel != "hotline" || !strings.Contains(c.Description, "噪音") {
		t.Errorf("filed: matter %s kind %s channel %s %q", c.Matter, c.Kind, c.Channel, c.Description)
	}
	b.noConsoleErrors()
}

// TestDirectAnswerInBrowser: a consultation answered on the call: the call-taker finds
// the answer in the knowledge base, inserts it and files the call answered; the case page shows it closed with the answer, and
// the leader's dashboard counts it apart.
func TestDirectAnswerInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.leader")
	b.open("/dashboard")
	before := b.text("#kpi-answered .v")
	b.login("demo.dispatcher")
	b.open("/intake/hotline")
	b.do(chromedp.KeyEvent("13807380123"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent("灵活就业人员的社保怎么缴费"))
	b.waitFor("the suggestions", `!!document.getElementById('suggest-1')`)
	b.do(chromedp.KeyEvent("1", chromedp.KeyModifiers(chromedp.ModifierAlt)),
		chromedp.SetValue(chromedp.CSS(`select[name="region"]`), "431382001205"),
		chromedp.Focus(chromedp.ID("knowledge-q"))) // the knowledge base, by the caller's words and the matter
	b.waitFor("the knowledge base's answer", `document.querySelectorAll('#knowledge button.insert-answer').length > 0`)
	b.do(chromedp.Click(chromedp.CSS(`#knowledge button.insert-answer`)))
	if a := eval[string](b, `document.getElementById('call-answer').value`); !strings.Contains(a, "12333") {
		t.Fatalf("the inserted answer: %q", a)
	}
	b.shot("knowledge")
	b.do(chromedp.Click(chromedp.ID("answer-submit")))
	b.waitFor("the case page", casePageLoaded)
	if got := b.text("main"); !strings.Contains(got, "已直接答复办结") || !strings.Contains(got, "12333") {
		t.Errorf("the case page: %s", got)
	}
	b.shot("answered")
	b.login("demo.leader")
	b.open("/dashboard")
	if after := b.text("#kpi-answered .v"); after == before {
		t.Errorf("the dashboard's direct answers stayed %s", after)
	}
	b.noConsoleErrors()
}
