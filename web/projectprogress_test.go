package web

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
)

// A project entered at 开工 with no report is missing its last month due: the list
// marks it, the dashboard's figure links to a list holding it, its page says so and,
// once swept, shows the month flagged.
func TestProgressMissingOnThePages(t *testing.T) {
	s := newSite(t, 0)
	ctx := context.Background()
	p, err := s.svc.PutProject(ctx, s.user("lk.admin"), domain.Project{Name: "渌口进展未报项目", Investor: demo.InvestorUSCC(31),
		Industry: "manufacturing", Kind: "industry", Total: 500000, YearPlan: 100000, Region: "430212100", Stage: "started",
		Tier: domain.TierGold, LeaderID: s.user("lk.chief1").ID, AgentID: s.user("lk.agent1").ID})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(p.ID, 10)
	leader := s.client()
	leader.login("lk.leader")
	if _, body := leader.get("/projects?region=430212"); !strings.Contains(body, `id="progress-due-`+id+`"`) {
		t.Error("the list does not mark the project")
	}
	_, dash := leader.get("/projects/dashboard?region=430212")
	m := regexp.MustCompile(`<a href="([^"]+)" id="fig-progress-due">`).FindStringSubmatch(dash)
	if m == nil || !strings.Contains(m[1], "progress_due=1") {
		t.Fatalf("the dashboard's figure: %v", m)
	}
	if _, list := leader.get(html.UnescapeString(m[1])); !strings.Contains(list, "渌口进展未报项目") || !strings.Contains(list, `id="progress-due-`+id+`"`) {
		t.Error("the figure's list does not hold the project")
	}
	agent := s.client()
	agent.login("lk.agent1")
	if status, body := agent.get("/projects/" + id); status != http.StatusOK || !strings.Contains(body, `id="progress-due-now"`) || strings.Contains(body, `id="progress-flags"`) {
		t.Fatalf("the page before the sweep: %d", status)
	}
	if _, err := s.svc.SweepProgress(ctx); err != nil {
		t.Fatal(err)
	}
	if _, body := agent.get("/projects/" + id); !strings.Contains(body, `id="progress-flags"`) {
		t.Error("the page after the sweep shows no flag")
	}
}
