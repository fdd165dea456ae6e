package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
)

// aidPageGroup makes a household group from nothing (A1: 甲 and 乙, A2: 丙) and its
// ledger: cash under three kinds, aid in kind with and without a value.
func aidPageGroup(t *testing.T, s *site) *domain.Group {
	t.Helper()
	ctx := context.Background()
	gs, err := service.OpenGroups(ctx, s.svc)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gs.CreateGroup(ctx, s.users["demo.admin"], domain.Group{Code: "aid-page", Name: "退捕渔民（救助测试）", Kind: domain.KindHousehold, Region: "431382001",
		Fields: []domain.Field{{Key: "employment", Label: "就业方式", Type: domain.FieldChoice, Options: []string{"务工", "未就业"}}}})
	if err != nil {
		t.Fatal(err)
	}
	table, err := service.ReadTable([]byte("户编号,姓名,与户主关系,区划,就业方式\nA1,甲,户主,431382001205001,务工\nA1,乙,配偶,431382001205001,未就业\nA2,丙,户主,431382001209001,务工\n"))
	if err != nil {
		t.Fatal(err)
	}
	if reg, err := gs.ImportRegister(ctx, s.users["demo.admin"], g.ID, table, "2025-01-01", false); err != nil || len(reg.Errors) > 0 {
		t.Fatalf("import: %v %+v", err, reg.Errors)
	}
	households, err := gs.Subjects(ctx, s.users["demo.admin"], service.SubjectQuery{Group: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]int64{}
	for _, hh := range households {
		id[hh.Ref] = hh.ID
		full, err := gs.Subject(ctx, s.users["demo.admin"], hh.ID, "", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range full.Members {
			id[m.Name] = m.ID
		}
	}
	for _, a := range []domain.Aid{
		{Subject: id["甲"], Kind: domain.AidTemporary, Amount: "2000", Day: "2025-03-01", Org: "LY-MZJ"},
		{Subject: id["甲"], Kind: domain.AidSubsistence, Amount: "600.50", Day: "2025-07-01", Org: "LY-MZJ"},
		{Subject: id["A1"], Kind: domain.AidMedical, Amount: "1500", Day: "2025-08-01", Org: "LY-WJJ"},
		{Subject: id["A2"], Kind: domain.AidHousing, Form: domain.AidInKind, Item: "落实基本住房", Day: "2025-09-01", Org: "LY-ZJJ"},
		{Subject: id["乙"], Kind: domain.AidSubsistence, Form: domain.AidInKind, Item: "发放米油", Amount: "180", Day: "2025-12-01", Org: "LY-MZJ"},
		{Subject: id["丙"], Kind: domain.AidMedical, Amount: "800", Day: "2026-01-10", Org: "LY-WJJ"},
	} {
		if _, err := gs.AddAid(ctx, s.users["demo.dispatcher"], a); err != nil {
			t.Fatalf("%+v: %v", a, err)
		}
	}
	return g
}

// aidCells are the figure cells of a line of the aid table: records, yuan, households,
// persons, in kind, unvalued.
func aidCells(cells ...string) string {
	var b strings.Builder
	for _, c := range cells {
		fmt.Fprintf(&b, `<td class="num">%s</td>`, c)
	}
	return b.String()
}

func TestGroupStatsPageTotalsChosenAidKinds(t *testing.T) {
	s := newSite(t, 0)
	g := aidPageGroup(t, s)
	leader := s.client()
	leader.login("demo.leader")
	base := fmt.Sprintf("/groups/%d/", g.ID)
	chosen := "aid_kinds=temporary_relief&aid_kinds=subsistence&aid_kinds=medical"
	status, page := leader.get(base + "stats?" + chosen)
	for _, want := range []string{
		`<option value="subsistence" selected>`, `<option value="medical" selected>`, `<option value="housing_subsidy">`,
		`id="aid-selected"><th scope="row">所选类别合计：最低生活保障、临时救助、医疗救助</th>` + aidCells("5", "5080.50", "2", "3", "1", "0"),
		`id="aid-total"><th scope="row">合计</th>` + aidCells("6", "5080.50", "2", "3", "2", "1"),
		`data-kind="housing_subsidy"><td>住房保障</td>` + aidCells("1", "—", "1", "0", "1", "1"),
		`data-kind="subsistence"><td>最低生活保障</td>` + aidCells("2", "780.50", "1", "2", "1", "0"),
		`/briefing?as_of=2026-03-02&amp;region=431382001&amp;aid_kinds=subsistence&amp;aid_kinds=temporary_relief&amp;aid_kinds=medical"`,
	} {
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("stats page: %d lacks %s", status, want)
		}
	}
	status, page = leader.get(base + "briefing?aid_from=2025-06-01&as_of=2025-12-31&" + chosen)
	for _, want := range []string{
		"2025-06-01以来，累计救助2户2人，发放资金2280.50元（含实物帮扶2笔，其中1笔未估值、未计入金额），其中：",
		"住房保障 1户0人（实物1笔）；",
		"最低生活保障、临时救助、医疗救助合计救助1户2人，发放资金2280.50元（含实物帮扶1笔，已按估值计入金额）。同一户、同一人在以上几类中均受助的只计一次。",
	} {
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("briefing: %d lacks %s", status, want)
		}
	}
	// an unknown kind is said, and the page shows the figures without a chosen total
	status, page = leader.get(base + "stats?aid_kinds=cash")
	if status != http.StatusOK || !strings.Contains(page, `unknown aid kind &#34;cash&#34;`) || strings.Contains(page, `id="aid-selected"`) || !strings.Contains(page, `id="aid-total"`) {
		t.Errorf("an unknown kind: %d %.300s", status, page)
	}
}
