package service_test

import (
	"slices"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
)

// importBook is the template's headings and rows, as an XLSX workbook read back as the
// API and the page read an upload.
func importBook(t *testing.T, rows ...[]string) [][]string {
	t.Helper()
	head := []string{}
	for _, c := range service.ProjectImportColumns {
		head = append(head, c.Heading)
	}
	body, err := sheets.Write("项目", append([][]string{head}, rows...))
	if err != nil {
		t.Fatal(err)
	}
	table, err := service.ReadTable(body)
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// importRow is a row of the template: name, investor, industry, kind, total, year plan,
// land, parcel, park, region, priority, tier, stage, leader, agent.
func importRow(name, investor, tier, leader, agent string) []string {
	return []string{name, investor, "制造业", "产业", "12000.5", "3000", "80.25", "LK-2026-01", "南洲产业园", sceneTown, "市重点", tier, "签约", leader, agent}
}

// A table of two good projects is entered whole and audited; a preview enters none;
// the same table again is refused as duplicates, with nothing written.
func TestImportProjects(t *testing.T) {
	s := newProjectScene(t)
	table := importBook(t, importRow("导入项目甲", investorOf(10), "金牌", "lk.chief1", "lk.agent1"),
		importRow("导入项目乙", investorOf(11), "", "", ""))
	before := s.count(t, `SELECT COUNT(*) FROM projects`)
	res, err := s.svc.ImportProjects(ctx, s.admin, table, true)
	if err != nil || res.Written || res.Rows != 2 || len(res.Projects) != 0 || len(res.Errors) != 0 {
		t.Fatalf("preview: %+v %v", res, err)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM projects`); n != before {
		t.Fatalf("a preview wrote %d projects", n-before)
	}
	res, err = s.svc.ImportProjects(ctx, s.admin, table, false)
	if err != nil || !res.Written || len(res.Projects) != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	pg, err := s.svc.Project(ctx, s.admin, res.Projects[0])
	if err != nil {
		t.Fatal(err)
	}
	p := pg.Project
	if p.Name != "导入项目甲" || p.Total != 1200050 || p.YearPlan != 300000 || p.Land != 8025 || p.Kind != "industry" || p.Industry != "manufacturing" ||
		p.Priority != "city" || p.Tier != domain.TierGold || p.Stage != "signed" || p.LeaderID != s.user("lk.chief1").ID || p.AgentID != s.agent.ID ||
		p.Park != "南洲产业园" || p.Region != sceneTown || p.InvestorName == "" {
		t.Errorf("imported as %+v", p)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'project.create' AND login = 'lk.admin'`); n != 2 {
		t.Errorf("%d projects audited, want 2", n)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'project.import' AND login = 'lk.admin'`); n != 1 {
		t.Errorf("the import audited %d times", n)
	}
	res, err = s.svc.ImportProjects(ctx, s.admin, table, false)
	if domain.ErrorCode(err) != domain.EINVALID || len(res.Errors) != 2 || !strings.Contains(res.Errors[0].Message, "同名项目") || res.Written {
		t.Errorf("again: %+v %v", res, err)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM projects`); n != before+2 {
		t.Errorf("%d projects, want %d", n, before+2)
	}
}

// Every mistake of every row is reported by row and column, in Chinese; one bad row
// keeps the good ones out too.
func TestImportProjectsReportsEveryRow(t *testing.T) {
	s := newProjectScene(t)
	bad := []string{"", "123", "冶金", "工厂", "-5", "1.234", "x", "", "", "999999", "国重点", "钻石", "完工", "nobody", ""}
	vip := importRow("贵宾项目", investorOf(12), "VIP", "lk.chief1", "")
	vip[5] = "20000" // more than the total
	unregistered := importRow("未登记企业项目", "91430212MA4L000000", "", "", "")
	table := importBook(t, importRow("好项目", investorOf(13), "", "", ""), bad, vip, importRow("好项目", investorOf(13), "", "", ""), unregistered)
	before := s.count(t, `SELECT COUNT(*) FROM projects`)
	res, err := s.svc.ImportProjects(ctx, s.admin, table, false)
	if domain.ErrorCode(err) != domain.EINVALID || res.Written || len(res.Projects) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	got := map[int][]string{}
	for _, e := range res.Errors {
		got[e.Row] = append(got[e.Row], e.Column)
		if e.Message == "" || !strings.ContainsFunc(e.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("row %d %s: %q is no message in Chinese", e.Row, e.Column, e.Message)
		}
	}
	for _, col := range []string{"项目名称", "统一社会信用代码", "行业", "类型", "总投资（万元）", "年度计划（万元）", "用地（亩）", "区划代码", "重点级别", "服务等级", "阶段", "首席服务官"} {
		if !slices.Contains(got[3], col) {
			t.Errorf("row 3 has no mistake in %s: %v", col, got[3])
		}
	}
	if !slices.Contains(got[4], "年度计划（万元）") || !slices.Contains(got[4], "金牌代办员") || len(got[2]) != 0 {
		t.Errorf("rows 2 and 4: %v, %v", got[2], got[4])
	}
	if !slices.Equal(got[5], []string{"项目名称"}) || !slices.Equal(got[6], []string{"统一社会信用代码"}) {
		t.Errorf("the duplicate row and the unregistered investor: %v, %v (%+v)", got[5], got[6], res.Errors)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM projects`); n != before {
		t.Errorf("%d projects written", n-before)
	}
}

// Who may not enter projects, or not in a row's region, is refused the whole import;
// the template reads back as its headings, and as no project.
func TestImportProjectsRefusals(t *testing.T) {
	s := newProjectScene(t)
	table := importBook(t, importRow("越权项目", investorOf(14), "", "", ""))
	for _, login := range []string{"lk.agent1", "officer.LK-FGJ", "demo.leader"} {
		if _, err := s.svc.ImportProjects(ctx, s.user(login), table, false); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s: %v", login, err)
		}
	}
	body, err := sheets.Write("项目", service.ProjectImportTemplate())
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := service.ReadTable(body)
	if err != nil || len(tmpl) != 2 || len(tmpl[0]) != len(service.ProjectImportColumns) || tmpl[0][0] != "项目名称" {
		t.Fatalf("template: %v %v", tmpl, err)
	}
	if _, err := s.svc.ImportProjects(ctx, s.admin, tmpl, false); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("the empty template: %v", err)
	}
	if _, err := s.svc.ImportProjects(ctx, s.admin, [][]string{{"项目名称"}, {"甲"}}, false); domain.ErrorCode(err) != domain.EINVALID ||
		!strings.Contains(domain.ErrorMessage(err), "统一社会信用代码") {
		t.Errorf("missing headings: %v", err)
	}
}
