package web

import (
	"net/http"
	"strings"
	"testing"
	"whistle/domain"
)

func TestDashboardScopeAndFigures(t *testing.T) {
	s := newSite(t, 300)
	c := s.client()
	c.login("demo.leader")
	status, body := c.get("/dashboard")
	if status != http.StatusOK || !strings.Contains(body, "蓝田街道") || !strings.Contains(body, `id="dash-data"`) {
		t.Fatalf("dashboard: %d", status)
	}
	// the received figure is the rollup's, for the last twelve months
	now := s.svc.Store().Now()
	rows, err := s.svc.Store().Stats(t.Context(), domain.StatsQuery{Region: "431382001", From: now.AddDate(0, -11, 0).Format("2006-01"), To: now.Format("2006-01")})
	if err != nil || len(rows) != 1 || rows[0].Received == 0 {
		t.Fatalf("stats %+v %v", rows, err)
	}
	if !strings.Contains(body, `<div class="v">`+s.app.cat.Locale("zh-CN").Num(rows[0].Received)+`</div>`) {
		t.Errorf("received figure is not %d", rows[0].Received)
	}
	// another street is outside the leader's scope: the page stays on their own
	_, body = c.get("/dashboard?region=431382002")
	if strings.Contains(body, "六亩塘") || !strings.Contains(body, "蓝田街道") {
		t.Error("the leader sees another street's statistics")
	}
	// going up: only as far as the scope
	if strings.Contains(body, "涟源市</option>") {
		t.Error("the leader is offered the city above their scope")
	}
	// a community's figures and its grids' heat
	status, body = c.get("/dashboard?region=431382001001&from=2025-01&to=2026-03")
	if status != http.StatusOK || !strings.Contains(body, "民光社区") {
		t.Fatalf("community dashboard: %d", status)
	}
	g := s.client()
	g.login("demo.grid")
	if status, _ := g.get("/dashboard"); status != http.StatusForbidden {
		t.Errorf("grid worker on the dashboard: %d", status)
	}
}
