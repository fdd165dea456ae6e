package web

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
	"whistle/whistletest"
)

// TestRectificationInBrowser: on the demo's 一把手走流程 list the leader's new item goes
// to 城管局; its officer reports a milestone met and applies for 销号 with a photo; the
// leader approves it on the item page, and the list's 整改销号率 and the figures page's
// closed count move by one.
func TestRectificationInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	leader, err := whistletest.StoreOf(b.svc).UserByLogin(ctx, "demo.leader")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) string { return b.clock.Now().AddDate(0, 0, d).Format("2006-01-02") }
	it, err := b.svc.AddRectItem(ctx, leader, 1, domain.RectItem{Problem: "蓝田社区：背街小巷路灯夜间不亮", Measures: "更换灯具，建立巡查台账",
		Org: "LY-CGJ", Person: "周峰", Deadline: day(20), Milestones: []domain.RectMilestone{{Name: "排查登记", Due: day(5)}, {Name: "完成更换", Due: day(15)}}})
	if err != nil {
		t.Fatal(err)
	}
	item := fmt.Sprintf("/rectification/items/%d", it.ID)
	figures := func() (string, string) {
		b.open("/rectification/figures")
		return b.text("#rect-total-closed"), b.text("#rect-total-rate")
	}
	b.login("demo.leader")
	closedBefore, rateBefore := figures()
	// the owner gives the item five more days and names its person
	b.open(item)
	b.do(chromedp.Click(chromedp.CSS(`#rect-edit summary`)),
		chromedp.SetValue(chromedp.CSS(`#rect-edit input[name="deadline"]`), day(25)),
		chromedp.SetValue(chromedp.CSS(`#rect-edit input[name="person"]`), "周峰、李娟"),
		chromedp.Click(chromedp.ID("rect-edit-save")))
	b.waitFor("the new terms", `document.body.innerText.includes('`+day(25)+`') && document.body.innerText.includes('周峰、李娟')`)

	b.login("demo.officer")
	b.do(chromedp.EmulateViewport(390, 844))
	b.open(item)
	if eval[bool](b, `!!document.getElementById('rect-edit')`) {
		t.Error("the officer is offered the item's terms")
	}
	b.shot("officer-phone")
	b.do(
		chromedp.SendKeys(chromedp.ID("rect-progress"), "已更换路灯 12 盏"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="milestone"][value="%d"]`, it.Milestones[0].ID))),
		chromedp.SetUploadFiles(chromedp.ID("rect-files"), []string{testPhoto(t)}),
		chromedp.Click(chromedp.ID("rect-apply")),
	)
	b.waitFor("the application", `document.getElementById('rect-status').innerText.includes('申请销号') && document.querySelectorAll('#rect-evidence img').length === 1`)
	if eval[bool](b, `!!document.getElementById('rect-approve')`) {
		t.Error("the officer is offered the approval")
	}

	b.login("demo.leader")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open(item)
	b.shot("applied")
	b.do(chromedp.Click(chromedp.ID("rect-approve")))
	b.waitFor("销号", `document.getElementById('rect-status').innerText.includes('已销号')`)
	closedAfter, rateAfter := figures()
	if closedAfter == closedBefore || rateAfter == rateBefore {
		t.Errorf("figures did not move: closed %s → %s, rate %s → %s", closedBefore, closedAfter, rateBefore, rateAfter)
	}
	b.shot("figures")
	b.open("/rectification/lists/1")
	if got := b.text("#rect-closed-rate"); got != rateAfter {
		t.Errorf("the list's 整改销号率 %s, the figures' %s", got, rateAfter)
	}
	b.shot("list")
	b.noConsoleErrors()
}
