package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"whistle/domain"
	"whistle/whistletest"
)

// TestAssessDefineInBrowser: the leader defines a departments' system on the page with
// one indicator, 发回重办率 (lower better, linear from 1 to 0). A first try with the
// zero and full values equal is refused on the form, with the values entered still
// there; the corrected one opens the system's page, and last month's table scores
// 城管局 from its cases: two resolved, one of them sent back and resolved again, 1/2
// → 50.00.
func TestAssessDefineInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	db := whistletest.StoreOf(b.svc)
	user := func(login string) domain.User {
		u, err := db.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	disp, officer := user("demo.dispatcher"), user("officer.LY-CGJ")
	now := b.clock.Now()
	last := now.In(domain.China).AddDate(0, -1, 0)
	b.clock.Set(time.Date(last.Year(), last.Month(), 3, 9, 0, 0, 0, domain.China))
	act := func(u domain.User, id int64, cmd domain.Command) {
		c, err := b.svc.Case(ctx, u, id)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Version = c.Version
		if _, err := b.svc.Act(ctx, u, id, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}
	for i := range 2 {
		c, err := b.svc.File(ctx, disp, domain.NewCase{Matter: "SR-001", Title: "路边垃圾未清运", Region: "431382001001001", Channel: "hotline",
			Kind: "request", Reporter: domain.Reporter{Name: "张三", Phone: "13800001111"}})
		if err != nil {
			t.Fatal(err)
		}
		act(disp, c.ID, domain.Command{Action: domain.ActAccept})
		act(disp, c.ID, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ"})
		act(officer, c.ID, domain.Command{Action: domain.ActAcknowledge})
		act(officer, c.ID, domain.Command{Action: domain.ActResolve, Result: "已清运"})
		if i == 0 {
			act(disp, c.ID, domain.Command{Action: domain.ActReopen, Note: "现场仍有垃圾"})
			act(officer, c.ID, domain.Command{Action: domain.ActResolve, Result: "已彻底清运"})
		}
	}
	b.clock.Set(now)

	b.login("demo.leader")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open("/assessments")
	b.do(chromedp.Click(chromedp.ID("assess-define-link")))
	b.waitFor("the form", `!!document.getElementById('assess-new-form')`)
	row := `#assess-new-indicators tbody tr:first-child `
	b.do(
		chromedp.SendKeys(chromedp.CSS(`#assess-new-form input[name="name"]`), "部门办件质量月度考核"),
		chromedp.SetValue(chromedp.CSS(`#assess-new-form input[name="region"]`), "431382001"),
		chromedp.SetValue(chromedp.CSS(`#assess-new-form select[name="assessee_kind"]`), "department"),
		chromedp.SendKeys(chromedp.CSS(row+`input[name="ind_code"]`), "rework"),
		chromedp.SendKeys(chromedp.CSS(row+`input[name="ind_name"]`), "发回重办率"),
		chromedp.SetValue(chromedp.CSS(row+`select[name="ind_source"]`), "rework_rate"),
		chromedp.SetValue(chromedp.CSS(row+`select[name="ind_direction"]`), "lower"),
		chromedp.SetValue(chromedp.CSS(row+`input[name="ind_floor"]`), "0"),
		chromedp.SetValue(chromedp.CSS(row+`input[name="ind_target"]`), "0"),
		chromedp.SetValue(chromedp.CSS(row+`input[name="ind_min_volume"]`), "1"),
		chromedp.Click(chromedp.ID("assess-create")),
	)
	b.waitFor("the refusal", `!!document.querySelector('.flash.error') && !!document.getElementById('assess-new-form')`)
	if got := b.text(".flash.error"); !containsAll(got, "第 1 项指标", "线性") {
		t.Errorf("the refusal says %q", got)
	}
	if !eval[bool](b, `document.querySelector('#assess-new-form input[name="name"]').value === '部门办件质量月度考核' &&
		document.querySelector('`+row+`select[name="ind_source"]').value === 'rework_rate' &&
		document.querySelector('`+row+`select[name="ind_direction"]').value === 'lower'`) {
		t.Error("the refused form lost what was entered")
	}
	b.shot("define-refused")
	b.forget("status of 400") // the refused form's answer, on purpose
	b.do(
		chromedp.SetValue(chromedp.CSS(row+`input[name="ind_floor"]`), "1"),
		chromedp.Click(chromedp.ID("assess-create")),
	)
	b.waitFor("the system's page", `!!document.getElementById('assess-periods')`)
	if got := b.text("#assess-indicators"); !containsAll(got, "发回重办率", "越低越好") {
		t.Errorf("the system's indicators: %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#assess-periods tbody tr:first-child a`)))
	b.waitFor("the table", `!!document.getElementById('assess-row-LY-CGJ')`)
	if got := b.text("#assess-row-LY-CGJ"); !containsAll(got, "50.00", "1/2") {
		t.Errorf("城管局's row: %q", got)
	}
	b.shot("define-scored")
	b.noConsoleErrors()
}
