package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
)

// An agent files a project's item on its page, the department accepts and approves it
// in its inbox, the agent advances the project into 签约, and the leader's dashboard
// and the list its figure links to show it there.
func TestProjectPagesFlow(t *testing.T) {
	s := newSite(t, 0)
	ctx := context.Background()
	p, err := s.svc.PutProject(ctx, s.user("lk.admin"), domain.Project{Name: "渌口网页测试项目", Investor: demo.InvestorUSCC(9),
		Industry: "manufacturing", Kind: "industry", Total: 500000, YearPlan: 100000, Region: "430212100", Tier: domain.TierGold,
		LeaderID: s.user("lk.chief1").ID, AgentID: s.user("lk.agent1").ID, Park: "渌口经济开发区"})
	if err != nil {
		t.Fatal(err)
	}
	page := "/projects/" + strconv.FormatInt(p.ID, 10)
	agent := s.client()
	agent.login("lk.agent1")
	if status, body := agent.get(page); status != http.StatusOK || !strings.Contains(body, `id="apply-form"`) || !strings.Contains(body, "ZS-01") {
		t.Fatalf("the agent's page: %d", status)
	}
	if status, loc, _ := agent.post(page+"/items", url.Values{"code": {"ZS-01"}}); status != http.StatusSeeOther || loc != page {
		t.Fatalf("file: %d %s", status, loc)
	}
	pg, err := s.svc.Project(ctx, s.user("lk.agent1"), p.ID)
	if err != nil || len(pg.Items) != 1 {
		t.Fatalf("filed: %v %d", err, len(pg.Items))
	}
	act := "/projects/items/" + strconv.FormatInt(pg.Items[0].ID, 10) + "/act"
	if status, _, _ := agent.post(act, url.Values{"action": {"approve"}, "permit": {"x"}}); status != http.StatusForbidden {
		t.Errorf("the agent approves: %d", status)
	}
	dept := s.client()
	dept.login("officer.LK-ZSJ")
	if status, body := dept.get("/projects/inbox"); status != http.StatusOK || !strings.Contains(body, "渌口网页测试项目") {
		t.Fatalf("inbox: %d", status)
	}
	for _, form := range []url.Values{{"action": {"accept"}, "back": {"inbox"}}, {"action": {"approve"}, "permit": {"渌招备〔2026〕1号"}, "back": {"inbox"}}} {
		if status, loc, body := dept.post(act, form); status != http.StatusSeeOther || loc != "/projects/inbox" {
			t.Fatalf("%s: %d %s %.300s", form.Get("action"), status, loc, body)
		}
	}
	if status, loc, body := agent.post(page+"/advance", url.Values{"stage": {"signed"}, "fact_name": {"合同编号"}, "fact_value": {"渌招合〔2026〕1号"}}); status != http.StatusSeeOther || loc != page {
		t.Fatalf("advance: %d %s %.300s", status, loc, body)
	}
	if _, body := agent.get(page); !strings.Contains(body, "渌招合〔2026〕1号") || !strings.Contains(body, "渌招备〔2026〕1号") {
		t.Errorf("the page misses the contract or the permit")
	}
	leader := s.client()
	leader.login("lk.leader")
	status, body := leader.get("/projects/dashboard?region=430212")
	if status != http.StatusOK || !strings.Contains(body, `href="/projects?region=430212&amp;stage=signed" id="fig-stage-signed"`) {
		t.Fatalf("dashboard: %d %.500s", status, body)
	}
	if _, body := leader.get("/projects?region=430212&stage=signed"); !strings.Contains(body, "渌口网页测试项目") {
		t.Errorf("the figure's list misses the project")
	}
	resp, err := leader.http.Get(s.srv.URL + "/projects.xlsx?region=430212")
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx: %v %v", err, resp)
	}
	resp.Body.Close()
}
