package service_test

import (
	"bytes"
	"io"
	"testing"

	"whistle/domain"
	"whistle/service"
)

// TestProjectProblemIsACase: the agent raises a project's land problem; it is an
// enterprise_problem case of the project's region under the installation's problem
// matter, listed on the project's page and on the investor's enterprise; the investor
// (who does not manage the project) is refused, a stranger does not see the project.
func TestProjectProblemIsACase(t *testing.T) {
	s := newProjectScene(t)
	p := s.project(t, domain.TierGold, investorOf(0))
	c, err := s.svc.RaiseProjectProblem(ctx, s.agent, p.ID, domain.ProjectProblem{Category: "land", Title: "用地指标未落实", Description: "需调整规划"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != "enterprise_problem" || c.Channel != "liaison" || c.Region != sceneTown || c.Matter != "QY-007" || c.Title != "【项目·用地】测试项目：用地指标未落实" {
		t.Fatalf("the case: kind %s channel %s region %s matter %s title %q", c.Kind, c.Channel, c.Region, c.Matter, c.Title)
	}
	pg, err := s.svc.Project(ctx, s.admin, p.ID)
	if err != nil || len(pg.Problems) != 1 || pg.Problems[0].CaseID != c.ID || pg.Problems[0].Category != "land" || pg.Problems[0].Number != c.Number {
		t.Fatalf("the project's problems: %v %+v", err, pg.Problems)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM enterprise_cases WHERE case_id = ? AND source = 'project'`, c.ID); n != 1 {
		t.Errorf("the investor's enterprise lists %d links to the case", n)
	}
	if _, err := s.svc.RaiseProjectProblem(ctx, s.user("lk.investor"), p.ID, domain.ProjectProblem{Category: "utilities", Title: "停电"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the investor raised a problem: %v", err)
	}
	if _, err := s.svc.RaiseProjectProblem(ctx, s.other, p.ID, domain.ProjectProblem{Category: "utilities", Title: "停电"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a stranger raised a problem: %v", err)
	}
	if _, err := s.svc.RaiseProjectProblem(ctx, s.agent, p.ID, domain.ProjectProblem{Category: "weather", Title: "雨"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown category: %v", err)
	}
	if _, err := s.svc.RaiseProjectProblem(ctx, s.agent, p.ID, domain.ProjectProblem{Category: "utilities", Title: "停电", Matter: "NOPE"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown matter: %v", err)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM project_problems WHERE project_id = ?`, p.ID); n != 1 {
		t.Errorf("%d problems after the refusals", n)
	}
}

// TestProjectFiles: the agent keeps a stage's document and a month's photo; who sees the
// project opens them, a stranger gets 404; a file for neither or both is refused.
func TestProjectFiles(t *testing.T) {
	s := newProjectScene(t)
	p := s.project(t, domain.TierGold, investorOf(0))
	up := func() []service.Upload {
		return []service.Upload{{Name: "合同.png", Body: bytes.NewReader(pngBytes(t))}}
	}
	fs, err := s.svc.AddProjectFiles(ctx, s.agent, p.ID, "signed", "", up())
	if err != nil || len(fs) != 1 || fs[0].Stage != "signed" || fs[0].ContentType != "image/png" {
		t.Fatalf("a stage's document: %v %+v", err, fs)
	}
	if _, err := s.svc.AddProjectFiles(ctx, s.agent, p.ID, "", "2026-04", up()); err != nil {
		t.Fatalf("a month's photo: %v", err)
	}
	for _, bad := range []struct {
		stage domain.Stage
		month string
	}{{"", ""}, {"signed", "2026-04"}, {"nowhere", ""}, {"", "2026-4"}} {
		if _, err := s.svc.AddProjectFiles(ctx, s.agent, p.ID, bad.stage, bad.month, up()); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q %q: %v", bad.stage, bad.month, err)
		}
	}
	if _, err := s.svc.AddProjectFiles(ctx, s.other, p.ID, "signed", "", up()); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a stranger kept a file: %v", err)
	}
	pg, err := s.svc.Project(ctx, s.admin, p.ID)
	if err != nil || len(pg.Files) != 2 || pg.Files[1].Month != "2026-04" {
		t.Fatalf("the page's files: %v %+v", err, pg.Files)
	}
	a, r, err := s.svc.OpenProjectFile(ctx, s.user("lk.chief1"), fs[0].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if !bytes.Equal(b, pngBytes(t)) || a.Name != "合同.png" {
		t.Errorf("opened %d bytes named %q", len(b), a.Name)
	}
	if _, _, err := s.svc.OpenProjectFile(ctx, s.other, fs[0].ID, false); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a stranger opened the file: %v", err)
	}
}

// TestProjectBulletinOfAWeek: in the week of Monday 1 June 2026 the agent files T-1 on
// Monday, the department accepts and approves it on Tuesday, the project enters 签约 on
// Wednesday with 供地 planned for the next Tuesday, and the agent raises a problem on
// Thursday; the bulletin of any day of that week holds exactly those, the next week's
// holds none of them.
func TestProjectBulletinOfAWeek(t *testing.T) {
	s := newProjectScene(t)
	p := s.project(t, domain.TierGold, investorOf(0))
	s.clock.Set(cstTime("2026-06-01 09:00"))
	it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
	if err != nil {
		t.Fatal(err)
	}
	s.act(t, s.officer, it.ID, domain.ItemAccept, domain.ItemInput{}, "2026-06-02 09:00")
	s.act(t, s.officer, it.ID, domain.ItemApprove, domain.ItemInput{Permit: "渌发改备〔2026〕1号"}, "2026-06-02 15:00")
	s.clock.Set(cstTime("2026-06-03 10:00"))
	if _, err := s.svc.AdvanceStage(ctx, s.agent, p.ID, domain.StageRecord{Stage: "signed"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.PlanStage(ctx, s.agent, p.ID, domain.StageRecord{Stage: "land", Planned: "2026-06-09"}); err != nil {
		t.Fatal(err)
	}
	s.clock.Set(cstTime("2026-06-04 10:00"))
	if _, err := s.svc.RaiseProjectProblem(ctx, s.agent, p.ID, domain.ProjectProblem{Category: "financing", Title: "贷款未到位"}); err != nil {
		t.Fatal(err)
	}
	leader := s.user("lk.leader")
	b, err := s.svc.ProjectBulletin(ctx, leader, sceneTown, "2026-06-06")
	if err != nil {
		t.Fatal(err)
	}
	if b.From != "2026-06-01" || b.To != "2026-06-07" || b.Filed != 1 || b.Approved != 1 || b.Refused != 0 || b.DecidedLate != 0 {
		t.Fatalf("the week %s..%s: filed %d approved %d refused %d late %d", b.From, b.To, b.Filed, b.Approved, b.Refused, b.DecidedLate)
	}
	if len(b.Reached) != 1 || b.Reached[0].Stage != "signed" || b.Reached[0].Day != "2026-06-03" {
		t.Errorf("reached: %+v", b.Reached)
	}
	if len(b.Decided) != 1 || b.Decided[0].Permit != "渌发改备〔2026〕1号" || b.Decided[0].Org != "LK-FGJ" {
		t.Errorf("decided: %+v", b.Decided)
	}
	if len(b.Problems) != 1 || b.Problems[0].Category != "financing" || len(b.Planned) != 1 || b.Planned[0].Day != "2026-06-09" {
		t.Errorf("problems %+v planned %+v", b.Problems, b.Planned)
	}
	next, err := s.svc.ProjectBulletin(ctx, leader, sceneTown, "2026-06-08")
	if err != nil || next.Filed+len(next.Reached)+len(next.Decided)+len(next.Problems) != 0 || next.From != "2026-06-08" {
		t.Errorf("the next week: %v %+v", err, next.ProjectWeek)
	}
	if _, err := s.svc.ProjectBulletin(ctx, s.agent, sceneTown, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an agent read the district's bulletin: %v", err)
	}
	if _, err := s.svc.ProjectBulletin(ctx, leader, sceneTown, "June"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a week that is no day: %v", err)
	}
}
