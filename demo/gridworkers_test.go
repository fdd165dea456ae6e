package demo_test

import (
	"context"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

// TestGridWorkersReportInTheirOwnGrid: the demo's grid patrol cases are reported by the
// grid worker of the grid they happen in, so demo.grid's reports and her "to verify"
// list hold only 民光社区第1网格's cases, and every grid of the street has its worker.
func TestGridWorkersReportInTheirOwnGrid(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 2000)
	grids, err := whistletest.StoreOf(svc).RegionsAt(ctx, demo.Street, 15)
	if err != nil || len(grids) < 40 {
		t.Fatalf("%d grids: %v", len(grids), err)
	}
	reporters := 0
	for _, g := range grids {
		login := "grid." + g.Code
		if g.Code == demo.DemoGrid {
			login = "demo.grid"
		}
		u, err := svc.UserByLogin(ctx, users["demo.admin"], login)
		if err != nil {
			t.Fatalf("grid %s has no grid worker %s: %v", g.Code, login, err)
		}
		mine, err := svc.MyReports(ctx, u, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range mine {
			if !strings.HasPrefix(c.Region, g.Code) {
				t.Errorf("%s reported %s in %s, outside her grid %s", login, c.Number, c.Region, g.Code)
			}
		}
		if len(mine) > 0 {
			reporters++
		}
	}
	if reporters < len(grids)/2 {
		t.Errorf("only %d of %d grid workers reported anything", reporters, len(grids))
	}
	g := users["demo.grid"]
	mine, err := svc.MyReports(ctx, g, 0, 1000)
	if err != nil || len(mine) == 0 {
		t.Fatalf("demo.grid reported %d cases: %v", len(mine), err)
	}
	verify, _, err := svc.Cases(ctx, g, domain.CaseFilter{Status: []domain.Status{domain.StatusResolved}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range verify {
		if !strings.HasPrefix(c.Region, demo.DemoGrid) {
			t.Errorf("demo.grid's to-verify list holds %s in %s", c.Number, c.Region)
		}
	}
}
