package web

import (
	"context"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestLiaisonReportRates: the liaison report page shows, per cadre and in total, the
// problems resolved and closed with both rates in percent: of two problems, one
// resolved and one closed, 100.0% resolved and 50.0% closed.
func TestLiaisonReportRates(t *testing.T) {
	s := newSite(t, 0)
	ctx := context.Background()
	user := func(login string) domain.User {
		u, err := whistletest.StoreOf(s.svc).UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	cadre, disp, officer := user("demo.liaison"), user("demo.dispatcher"), user("officer.LY-RSJ")
	all, err := s.svc.Enterprises(ctx, cadre, domain.EnterpriseFilter{Liaison: cadre.ID})
	if err != nil || len(all) == 0 {
		t.Fatalf("enterprises: %v %v", all, err)
	}
	v, err := s.svc.RecordVisit(ctx, cadre, all[0].ID, service.VisitInput{Problems: []service.InspectionFinding{
		{Matter: "QY-005", Title: "企业缺技工"}, {Matter: "QY-005", Title: "企业缺普工"}}})
	if err != nil {
		t.Fatal(err)
	}
	act := func(u domain.User, id int64, cmd domain.Command) {
		t.Helper()
		c, err := s.svc.Case(ctx, u, id)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Version = c.Version
		if _, err := s.svc.Act(ctx, u, id, cmd); err != nil {
			t.Fatalf("%s %d: %v", cmd.Action, id, err)
		}
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
