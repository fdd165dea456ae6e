package web

import (
	"context"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
)

// TestLiaisonReportRates: the liaison report page shows, per cadre and in total, the
// problems resolved and closed with both rates in percent: of two problems, one
// resolved and one closed, 100.0% resolved and 50.0% closed.
func TestLiaisonReportRates(t *testing.T) {
	s := newSite(t, 0)
	ctx := context.Background()
	cadre, disp, officer, act := s.user("demo.liaison"), s.user("demo.dispatcher"), s.user("officer.LY-RSJ"), s.act
	all, err := s.svc.Enterprises(ctx, cadre, domain.EnterpriseFilter{Liaison: cadre.ID})
	if err != nil || len(all) == 0 {
		t.Fatalf("enterprises: %v %v", all, err)
	}
	v, err := s.svc.RecordVisit(ctx, cadre, all[0].ID, service.VisitInput{Problems: []service.InspectionFinding{
		{Matter: "QY-005", Title: "企业缺技工"}, {Matter: "QY-005", Title: "企业缺普工"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range v.Problems {
		act(disp, id, domain.Command{Action: domain.ActAccept})
		act(disp, id, domain.Command{Action: domain.ActDispatch, Org: "LY-RSJ"})
		act(officer, id, domain.Command{Action: domain.ActAcknowledge})
		act(officer, id, domain.Command{Action: domain.ActResolve, Result: "已对接招聘会"})
		if i == 1 {
			act(disp, id, domain.Command{Action: domain.ActClose})
		}
	}
	c := s.client()
	c.login("demo.liaison")
	_, page := c.get("/reports/liaison")
	for _, want := range []string{"解决率", "办结率", "<td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">100.0%</td><td class=\"num\">1</td><td class=\"num\">50.0%</td>",
		"已解决 2 个（解决率 100.0%），已办结 1 个（办结率 50.0%）"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
