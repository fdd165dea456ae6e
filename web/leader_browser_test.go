package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// TestLeaderSupervisesInBrowser: the street's leader opens a dispatched case, supervises
// it (督办) with a deadline of three working days and instructs on it (批示) from the case
// page; the page shows the supervision and the timeline both; the lead org's officer
// finds the case marked 督办 with its deadline in the inbox. Those who may not supervise
// see no form.
func TestLeaderSupervisesInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	c, err := b.svc.File(ctx, b.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: "民光社区垃圾堆积未清运", Region: "431382001001001"})
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []domain.Command{{Action: domain.ActAccept}, {Action: domain.ActDispatch, Org: "LY-CGJ"}} {
		cmd.Version = c.Version
		if c, err = b.svc.Act(ctx, b.users["demo.dispatcher"], c.ID, cmd); err != nil {
			t.Fatal(err)
		}
	}
	page := "/cases/" + strconv.FormatInt(c.ID, 10)

	b.login("demo.dispatcher")
	b.open(page)
	if eval[bool](b, `!!document.getElementById('form-supervise') || !!document.getElementById('form-instruct')`) {
		t.Error("the dispatcher is offered the leader's forms")
	}

	b.login("demo.leader")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open(page)
	b.do(
		chromedp.Click(chromedp.ID("open-supervise")),
		chromedp.SendKeys(chromedp.ID("supervise-note"), "请城管局三个工作日内清运完毕并回复"),
		chromedp.SendKeys(chromedp.ID("supervise-days"), "3"),
		chromedp.Click(chromedp.ID("act-supervise")),
	)
	b.waitFor("the supervision on the page", `!!document.getElementById('supervision-text')`)
	if got := b.text("#supervision-text"); got != "请城管局三个工作日内清运完毕并回复" {
		t.Errorf("the supervision reads %q", got)
	}
	after, err := b.svc.Case(ctx, b.users["demo.leader"], c.ID)
	if err != nil || after.Supervision == nil {
		t.Fatalf("the case was not supervised: %+v %v", after, err)
	}
	due := after.Supervision.Due
	b.do(
		chromedp.Click(chromedp.ID("open-instruct")),
		chromedp.SendKeys(chromedp.ID("instruct-note"), "群众反映强烈，务必办好"),
		chromedp.Click(chromedp.ID("act-instruct")),
	)
	b.waitFor("the instruction on the timeline", `(document.querySelector('.timeline')?.innerText || '').includes('群众反映强烈')`)
	timeline := b.text(".timeline")
	for _, want := range []string{"领导督办", "领导批示", "群众反映强烈，务必办好"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q: %s", want, timeline)
		}
	}
	b.shot("case")
	b.noConsoleErrors()

	b.login("demo.officer")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open("/inbox")
	mark := `[...document.querySelectorAll('tr')].find(r => r.innerText.includes('民光社区垃圾堆积未清运'))?.querySelector('.supervised')?.innerText || ''`
	b.waitFor("the 督办 mark in the inbox", "("+mark+") !== ''")
	got := eval[string](b, mark)
	if want := "督办 " + due.In(domain.China).Format("1月2日 15:04"); got != want {
		t.Errorf("the inbox marks %q, want %q", got, want)
	}
	b.shot("inbox")
	b.noConsoleErrors()
}
