package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/demo"
)

// TestProjectWorkInBrowser: 渌口区's administrator enters a gold project on the form; its
// 金牌代办员 plans 供地 on the project's page (the timeline draws the plan), raises a land
// problem (a case of the dispatch queue), keeps the signed contract as the stage's
// document, and on the phone reports the month with a site photo; the leader's weekly
// bulletin lists the problem; the administrator shortens an item's promised limit (15 to 12 working days) in
// the catalogue.
func TestProjectWorkInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	photo := testPhoto(t)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("lk.admin")
	b.open("/projects/new")
	agent, chief := b.user("lk.agent1"), b.user("lk.chief1")
	b.do(chromedp.SetValue(chromedp.CSS(`input[name="name"]`), "渌口表单测试项目"),
		chromedp.SetValue(chromedp.CSS(`input[name="investor"]`), demo.InvestorUSCC(12)),
		chromedp.SetValue(chromedp.CSS(`input[name="total"]`), "50000"),
		chromedp.SetValue(chromedp.CSS(`input[name="year_plan"]`), "12000.5"),
		chromedp.SetValue(chromedp.CSS(`select[name="tier"]`), "gold"),
		chromedp.SetValue(chromedp.CSS(`select[name="leader_id"]`), strconv.FormatInt(chief.ID, 10)),
		chromedp.SetValue(chromedp.CSS(`select[name="agent_id"]`), strconv.FormatInt(agent.ID, 10)))
	b.shot("form")
	b.do(chromedp.Click(chromedp.ID("project-save")))
	b.waitFor("the project's page", `location.pathname.startsWith('/projects/') && !!document.getElementById('project-facts')`)
	page := b.location()
	if !strings.Contains(b.text("body"), "已录入项目「渌口表单测试项目」") || !strings.Contains(b.text("#project-facts"), "12000.50") {
		t.Fatalf("after entering: %s", b.text("main"))
	}

	b.login("lk.agent1")
	b.open(page)
	b.do(chromedp.SetValue(chromedp.CSS(`input[name="planned_land"]`), "2027-03-01"), chromedp.Click(chromedp.ID("plan-save")))
	b.waitFor("the plan drawn", `document.querySelectorAll('.gantt-plan').length === 1`)
	b.do(chromedp.SetValue(chromedp.CSS(`#problem-form select[name="category"]`), "land"),
		chromedp.SetValue(chromedp.CSS(`#problem-form input[name="title"]`), "用地指标尚未落实"),
		chromedp.Click(chromedp.ID("problem-raise")))
	b.waitFor("the problem's case", `document.querySelectorAll('#project-problems li a').length === 1`)
	number := b.text("#project-problems li a")
	b.do(chromedp.SetValue(chromedp.CSS(`#stage-file-form select[name="stage"]`), "negotiation"),
		chromedp.SetUploadFiles(chromedp.CSS(`#stage-file-form input[type="file"]`), []string{photo}),
		chromedp.Click(chromedp.CSS(`#stage-file-form button`)))
	b.waitFor("the stage's document", `document.querySelectorAll('#stage-table a.file').length === 1`)
	b.shot("page")

	b.do(chromedp.EmulateViewport(390, 844))
	b.open("/m/projects")
	pid := page[strings.LastIndex(page, "/")+1:]
	b.do(chromedp.Click(chromedp.CSS(`#card-`+pid+` summary`)),
		chromedp.SetValue(chromedp.CSS(`#phone-progress-`+pid+` input[name="amount"]`), "1800"),
		chromedp.SetValue(chromedp.CSS(`#phone-progress-`+pid+` input[name="physical"]`), "5"),
		chromedp.SetUploadFiles(chromedp.CSS(`#phone-progress-`+pid+` input[type="file"]`), []string{photo}),
		chromedp.Click(chromedp.CSS(`#phone-progress-`+pid+` button`)))
	b.waitFor("the month reported", `!!document.getElementById('reported-`+pid+`')`)
	b.shot("phone")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open(page)
	if n := eval[int](b, `document.querySelectorAll('#progress-table img.thumb').length`); n != 1 {
		t.Errorf("the month's photos on the page: %d", n)
	}

	b.login("lk.leader")
	b.open("/projects/bulletin?region=" + demo.Lukou)
	if got := b.text("#b-problems"); !strings.Contains(got, number) || !strings.Contains(got, "渌口表单测试项目") {
		t.Errorf("the bulletin's problems: %s", got)
	}
	b.shot("bulletin")

	b.login("lk.admin")
	b.open("/admin/approval-items?code=ZR-01")
	b.do(chromedp.SetValue(chromedp.CSS(`input[name="promised_days"]`), "12"), chromedp.Click(chromedp.ID("approval-item-save")))
	b.waitFor("the item saved", `location.pathname === '/admin/approval-items' && !location.search`)
	cat, err := b.svc.ApprovalCatalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range cat {
		if a.Code == "ZR-01" && a.Promised != 12 {
			t.Errorf("ZR-01 promises %d days, not 12", a.Promised)
		}
	}
	b.noConsoleErrors()
}
