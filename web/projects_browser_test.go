package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/demo"
	"whistle/domain"
)

// TestProjectFromSigningToStartInBrowser: a gold project signed by hand; its 金牌代办员
// files the item of each stage on the project's page and advances it, from 签约 to 开工;
// 自然资源局 accepts and approves the land item in its inbox in the browser (the other
// departments through the service); the leader's dashboard counts one more started.
func TestProjectFromSigningToStartInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	admin, agent := b.user("lk.admin"), b.user("lk.agent1")
	p, err := b.svc.PutProject(ctx, admin, domain.Project{Name: "渌口浏览器测试项目", Investor: demo.InvestorUSCC(11), Industry: "manufacturing",
		Kind: "industry", Total: 800000, YearPlan: 200000, Region: "430212101", Tier: domain.TierGold,
		LeaderID: b.user("lk.chief2").ID, AgentID: agent.ID, Park: "南洲产业园"})
	if err != nil {
		t.Fatal(err)
	}
	approve := func(org string, itemID int64) {
		t.Helper()
		officer := b.user("officer." + org)
		for _, a := range []domain.ItemAction{domain.ItemAccept, domain.ItemApprove} {
			if _, err := b.svc.ActItem(ctx, officer, itemID, a, domain.ItemInput{Permit: "渌" + org + "〔2026〕1号"}); err != nil {
				t.Fatalf("%s %d: %v", a, itemID, err)
			}
		}
	}
	it, err := b.svc.ApplyItem(ctx, agent, p.ID, "ZS-01")
	if err != nil {
		t.Fatal(err)
	}
	approve("LK-ZSJ", it.ID)
	if _, err := b.svc.AdvanceStage(ctx, agent, p.ID, domain.StageRecord{Stage: "signed"}, 0); err != nil {
		t.Fatal(err)
	}
	started := func() int {
		b.open("/projects/dashboard?region=430212")
		n, _ := strconv.Atoi(strings.TrimSpace(eval[string](b, `document.querySelector('#fig-stage-started').innerText`)))
		return n
	}
	b.login("lk.leader")
	before := started()
	page := "/projects/" + strconv.FormatInt(p.ID, 10)
	steps := []struct {
		stage, code, org string
		inbox            bool
	}{{"land", "ZR-01", "LK-ZRJ", true}, {"approval", "FG-01", "LK-FGJ", false}, {"land_planning", "ZR-02", "LK-ZRJ", false},
		{"works_planning", "ZR-03", "LK-ZRJ", false}, {"construction_permit", "ZJ-01", "LK-ZJJ", false}, {"started", "", "", false}}
	b.login("lk.agent1")
	for _, st := range steps {
		b.open(page)
		if st.code != "" {
			items := eval[int](b, `document.querySelectorAll('.project-item').length`)
			b.do(chromedp.SetValue(chromedp.ID("apply-code"), st.code), chromedp.Click(chromedp.ID("apply")))
			b.waitFor("the item filed", `document.querySelectorAll('.project-item').length === `+strconv.Itoa(items+1))
			pg, err := b.svc.Project(ctx, agent, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			id := pg.Items[len(pg.Items)-1].ID
			if st.inbox {
				b.inboxApprove(st.org, id)
				b.login("lk.agent1")
			} else {
				approve(st.org, id)
			}
			b.open(page)
		}
		b.do(chromedp.SetValue(chromedp.CSS(`input[name="fact_name"]`), "要件"), chromedp.SetValue(chromedp.CSS(`input[name="fact_value"]`), st.stage),
			chromedp.Click(chromedp.ID("advance")))
		b.waitFor("the stage "+st.stage, `document.querySelector('#project-stage').innerText.includes(`+strconv.Quote(domain.StageNames[domain.Stage(st.stage)])+`)`)
	}
	b.shot("project")
	b.login("lk.leader")
	if after := started(); after != before+1 {
		t.Errorf("the dashboard counts %d started, was %d", after, before)
	}
	b.shot("dashboard")
	b.noConsoleErrors()
}

// inboxApprove has an officer of org accept and approve item id in the inbox.
func (b *browser) inboxApprove(org string, id int64) {
	b.t.Helper()
	n := strconv.FormatInt(id, 10)
	b.login("officer." + org)
	b.open("/projects/inbox")
	b.do(chromedp.Click(chromedp.ID("inbox-accept-" + n)))
	b.waitFor("the item accepted", `!!document.getElementById('inbox-permit-`+n+`')`)
	b.shot("inbox")
	b.do(chromedp.SetValue(chromedp.ID("inbox-permit-"+n), "渌自然资规〔2026〕8号"), chromedp.Click(chromedp.ID("inbox-approve-"+n)))
	b.waitFor("the item approved", `location.pathname === '/projects/inbox' && !document.getElementById('inbox-item-`+n+`')`)
}
