package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// TestPatrolInBrowser: a grid worker opens the patrol page on a phone-sized window,
// picks today's task, answers the checklist, reports a hazard and submits; the patrol
// closes the task and the hazard is a case the ledger counts.
func TestPatrolInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(390, 844))
	b.login("demo.grid")
	b.open("/m/patrol")
	b.shot("patrol-form")
	b.do(
		chromedp.SetValue(chromedp.ID("hazard-matter"), "AQ-003"),
		chromedp.SendKeys(chromedp.ID("hazard-title"), "5栋楼道电动车飞线充电"),
		chromedp.Click(chromedp.ID("patrol-send")),
		chromedp.WaitVisible(chromedp.ID("patrol-done")),
	)
	b.shot("patrol-done")
	if got := b.text("#patrol-done"); !strings.Contains(got, "隐患工单") {
		t.Fatalf("after the patrol: %q", got)
	}
	ctx := context.Background()
	ps, err := b.svc.Patrols(ctx, b.users["demo.grid"], domain.PatrolFilter{From: b.clock.Now().AddDate(0, 0, -1), To: b.clock.Now().AddDate(0, 0, 1), UserID: b.users["demo.grid"].ID})
	if err != nil || len(ps) == 0 {
		t.Fatalf("patrols: %v %v", ps, err)
	}
	p := ps[0]
	if p.TaskID == 0 || p.Late || len(p.Answers) != 8 || len(p.HazardIDs) != 1 {
		t.Errorf("patrol %+v: want today's task closed, 8 answers, one hazard", p)
	}
	h, err := b.svc.Hazard(ctx, b.users["demo.dispatcher"], p.HazardIDs[0])
	if err != nil || h.Category != "fire" || h.Status != domain.StatusReported {
		t.Errorf("hazard %+v %v", h, err)
	}
	b.login("demo.leader")
	b.open("/ledgers/hazards?by=category")
	if found := b.text("#ledger-found"); found != "1" {
		t.Errorf("ledger found %q, want 1", found)
	}
	b.shot("ledger")
	b.noConsoleErrors()
}

// TestScanInInBrowser: an inspector opens an enterprise's code address on the phone,
// declares the inspection and registers it; a second one of the same kind at once is
// flagged; the first is finished, and the enterprise rates it on its page.
func TestScanInInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	admin := b.users["demo.admin"]
	ents, err := b.svc.Enterprises(ctx, admin, domain.EnterpriseFilter{AccountID: b.users["demo.enterprise"].ID})
	if err != nil || len(ents) != 1 {
		t.Fatalf("the demo enterprise: %v %v", ents, err)
	}
	_, token, err := b.svc.CodeToken(ctx, admin, ents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(390, 844))
	b.login("demo.inspector")
	scan := func(kind string) string {
		b.open("/inspect/scan?code=" + token)
		b.do(
			chromedp.SendKeys(chromedp.ID("scan-kind"), kind),
			chromedp.SendKeys(chromedp.ID("scan-basis"), "《中华人民共和国特种设备安全法》第五十七条"),
			chromedp.SendKeys(chromedp.ID("scan-items"), "特种设备使用登记\n定期检验"),
			chromedp.SendKeys(chromedp.ID("cert1"), "43138000101"),
			chromedp.SendKeys(chromedp.ID("inspector2"), "周建平"),
			chromedp.SendKeys(chromedp.ID("cert2"), "43138000102"),
			chromedp.Click(chromedp.ID("scan-send")),
			chromedp.WaitVisible(chromedp.ID("scan-result")),
		)
		return b.text("#scan-result")
	}
	first := scan("电梯安全检查")
	b.shot("scan-first")
	second := scan("电梯安全检查")
	b.shot("scan-second")
	if !strings.Contains(second, "审批") || !strings.Contains(second, "无事不扰") {
		t.Errorf("second scan the same day: %q", second)
	}
	list, err := b.svc.Inspections(ctx, admin, domain.InspectionFilter{EnterpriseID: ents[0].ID, Limit: 2})
	if err != nil || len(list) != 2 {
		t.Fatalf("inspections %v %v", list, err)
	}
	firstID := list[1].ID
	if list[1].Status == domain.InspectionHeld { // unplanned: the leader lets it go on
		if _, err := b.svc.DecideInspection(ctx, b.users["demo.leader"], firstID, true, "同意"); err != nil {
			t.Fatal(err)
		}
	} else if !strings.Contains(first, "可以开展检查") {
		t.Errorf("first scan: %q", first)
	}
	b.open("/inspections")
	b.do(
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("#inspection-%d input[name=result]", firstID)), "未发现问题"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("finish-%d", firstID))),
		chromedp.WaitNotPresent(chromedp.ID(fmt.Sprintf("finish-%d", firstID))), // the page after the finish
		chromedp.WaitVisible(chromedp.CSS("#main h1")),
	)
	b.login("demo.enterprise")
	b.open("/inspections")
	b.do(
		chromedp.SetValue(chromedp.ID(fmt.Sprintf("rating-%d", firstID)), "4"),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("comment-%d", firstID)), "亮证执法，指导到位"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("rate-%d", firstID))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#inspection-%d .rating", firstID))),
	)
	b.shot("rated")
	in, err := b.svc.Inspection(ctx, b.users["demo.enterprise"], firstID)
	if err != nil || in.Rating != 4 || in.RatingComment != "亮证执法，指导到位" {
		t.Errorf("rating: %+v %v", in, err)
	}
	b.noConsoleErrors()
}
