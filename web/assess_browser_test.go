package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
	"whistle/whistletest"
)

// TestAssessmentInBrowser: a departments' system of 蓝田街道 scored by the leader's
// manual item (城管局 60, 应急局 70); the leader publishes February, 城管局's officer
// appeals, the leader accepts with 90, and the 红黑榜 and the printable 通报 put 城管局
// first with 90 (响应率 has no cases: its weight goes to the manual item).
func TestAssessmentInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	db := whistletest.StoreOf(b.svc)
	leader, err := db.UserByLogin(ctx, "demo.leader")
	if err != nil {
		t.Fatal(err)
	}
	sys, err := b.svc.CreateAssessSystem(ctx, leader, domain.AssessSystem{Name: "部门作风建设月度考核", Region: "431382001", PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessDepartments, AppealDays: 5, Indicators: []domain.Indicator{
			{Code: "resp", Name: "响应率", Source: domain.SrcResponseRate, Weight: 50, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.6, Target: 1, MinVolume: 5},
			{Code: "lead", Name: "领导评价", Source: domain.SrcManual, Weight: 50, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 100},
		}})
	if err != nil {
		t.Fatal(err)
	}
	period := b.clock.Now().In(domain.China).AddDate(0, -1, 0).Format("2006-01")
	for org, points := range map[string]float64{"LY-CGJ": 60, "LY-YJJ": 70} {
		if err := b.svc.SetManualScore(ctx, leader, sys.ID, period, org, "lead", points, "月度评价"); err != nil {
			t.Fatal(err)
		}
	}
	page := fmt.Sprintf("/assessments/%d/periods/%s", sys.ID, period)
	cgj, yjj := "#assess-row-LY-CGJ", "#assess-row-LY-YJJ"

	b.login("demo.leader")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open(page)
	if got := b.text(yjj + " .rank"); got != "1" {
		t.Errorf("the draft ranks 应急局 %s", got)
	}
	b.do(chromedp.Click(chromedp.ID("assess-publish")))
	b.waitFor("publication", `document.getElementById('assess-status').innerText.includes('已公布')`)
	b.shot("published")

	b.login("demo.officer") // 城管局
	b.open(page)
	b.do(
		chromedp.SetValue(chromedp.CSS(`#assess-appeal-form select[name="indicator"]`), "lead"),
		chromedp.SendKeys(chromedp.ID("assess-appeal-reason"), "本月牵头完成占道经营专项整治，领导评价漏计"),
		chromedp.Click(chromedp.ID("assess-appeal")),
	)
	b.waitFor("the appeal", `[...document.querySelectorAll('#assess-appeals li.appeal')].some(li => li.dataset.status === 'pending')`)
	if eval[bool](b, `!!document.querySelector('#assess-appeals form.decide')`) {
		t.Error("the department is offered the decision")
	}

	b.login("demo.leader")
	b.open(page)
	b.do(
		chromedp.SendKeys(chromedp.CSS(`#assess-appeals form.decide input[name="decision"]`), "经核实，更正为 90 分"),
		chromedp.SendKeys(chromedp.CSS(`#assess-appeals form.decide input[name="num"]`), "90"),
		chromedp.Click(chromedp.CSS(`#assess-appeals form.decide button.accept`)),
	)
	b.waitFor("the republication", `document.getElementById('assess-status').innerText.includes('第 2 版')`)
	if got := b.text(cgj + " .rank"); got != "1" {
		t.Errorf("after the appeal 城管局 ranks %s", got)
	}
	b.open(page + "/ranking")
	if got := b.text("#assess-red li:first-child"); !containsAll(got, "城市管理", "90.00") {
		t.Errorf("the red list begins %q", got)
	}
	b.shot("ranking")
	b.open(page + "/circular")
	if got := b.text("#assess-circular-red"); !containsAll(got, "城市管理") {
		t.Errorf("the circular's red list: %q", got)
	}
	if !eval[bool](b, `!!document.getElementById('assess-print') && document.querySelectorAll('#assess-circular-table tbody tr').length >= 2`) {
		t.Error("the circular has no print button or no table")
	}
	b.shot("circular")
	b.noConsoleErrors()
}

// containsAll tells whether s holds every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
