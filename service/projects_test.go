package service_test

import (
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
)

// projectScene is a town of 渌口区 of its own (430212199), empty of the demo's
// projects, with a catalogue entry of a two-day promise.
type projectScene struct {
	*fixture
	admin, agent, officer, other domain.User
}

const sceneTown = "430212199"

func newProjectScene(t *testing.T) *projectScene {
	t.Helper()
	f := newFixture(t)
	s := &projectScene{fixture: f, admin: f.user("lk.admin"), agent: f.user("lk.agent1"), officer: f.user("officer.LK-FGJ"), other: f.user("officer.LK-ZJJ")}
	// the region tree is the installation's: its administrator adds the town
	if _, err := f.svc.PutRegion(ctx, f.user("demo.admin"), domain.Region{Code: sceneTown, Name: "测试镇"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PutApprovalItem(ctx, s.admin, domain.ApprovalItem{Code: "T-1", Name: "测试备案", Stage: "signed", Org: "LK-FGJ",
		Statutory: 5, Promised: 2, VIP: 1, Required: true}); err != nil {
		t.Fatal(err)
	}
	// the scene's catalogue is this one item: the demo's items have stages of their own
	if _, err := s.raw.ExecContext(ctx, `DELETE FROM approval_items WHERE code <> 'T-1'`); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *projectScene) project(t *testing.T, tier domain.Tier, investor string) *domain.Project {
	t.Helper()
	p, err := s.svc.PutProject(ctx, s.admin, domain.Project{Name: "测试项目", Investor: investor, Industry: "manufacturing",
		Kind: "industry", Total: 1000000, YearPlan: 300000, Land: 5050, Region: sceneTown, Tier: tier,
		LeaderID: s.user("lk.chief1").ID, AgentID: s.agent.ID})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (s *projectScene) act(t *testing.T, u domain.User, id int64, a domain.ItemAction, in domain.ItemInput, at string) domain.ProjectItem {
	t.Helper()
	s.clock.Set(cstTime(at))
	it, err := s.svc.ActItem(ctx, u, id, a, in)
	if err != nil {
		t.Fatalf("%s at %s: %v", a, at, err)
	}
	return it
}

func cstTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.China)
	if err != nil {
		panic(err)
	}
	return t
}

// The item's clock on the shipped 2026 calendar: accepted Friday 8 May 10:00, Saturday
// 9 May is a 劳动节调休 workday, 补正 from Saturday 11:15 to Monday 09:05 stops it 290
// minutes: due Monday 16:50 (see domain's table test for the arithmetic).
func TestProjectItemClockOnTheCalendar(t *testing.T) {
	s := newProjectScene(t)
	p := s.project(t, domain.TierGold, investorOf(0))
	s.clock.Set(cstTime("2026-05-08 09:00"))
	it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
	if err != nil || it.Limit != 2 {
		t.Fatalf("apply: %v, limit %d", err, it.Limit)
	}
	it = s.act(t, s.officer, it.ID, domain.ItemAccept, domain.ItemInput{}, "2026-05-08 10:00")
	if want := cstTime("2026-05-11 10:00"); !it.Due.Equal(want) {
		t.Fatalf("due %v, want %v", it.Due, want)
	}
	it = s.act(t, s.officer, it.ID, domain.ItemSupplement, domain.ItemInput{Note: "补充材料"}, "2026-05-09 11:15")
	it = s.act(t, s.agent, it.ID, domain.ItemResubmit, domain.ItemInput{}, "2026-05-11 09:05")
	if want := cstTime("2026-05-11 16:50"); it.Paused != 290 || !it.Due.Equal(want) {
		t.Fatalf("paused %d due %v, want 290 and %v", it.Paused, it.Due, want)
	}
	it = s.act(t, s.officer, it.ID, domain.ItemApprove, domain.ItemInput{Permit: "渌发改备〔2026〕1号"}, "2026-05-11 16:00")
	if it.Used == nil || *it.Used != 790 || it.LateAt != nil {
		t.Fatalf("decided: used %v late %v", it.Used, it.LateAt)
	}
	pg, err := s.svc.Project(ctx, s.agent, p.ID)
	if err != nil || len(pg.Items) != 1 || pg.Items[0].Taken != 790 || pg.Items[0].Late {
		t.Fatalf("page: %v %+v", err, pg.Items)
	}
	if _, err := s.svc.AdvanceStage(ctx, s.agent, p.ID, domain.StageRecord{Stage: "signed", Facts: map[string]string{"合同编号": "T-001"}}, 0); err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'project.stage'`); n != 1 {
		t.Errorf("stage changes logged: %d", n)
	}
}

func investorOf(i int) string { return demo.InvestorUSCC(i) }

func TestProjectVIPLimitAndRefusals(t *testing.T) {
	s := newProjectScene(t)
	p := s.project(t, domain.TierVIP, investorOf(1))
	it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
	if err != nil || it.Limit != 1 || !it.VIP {
		t.Fatalf("a VIP project's item: %v, limit %d", err, it.Limit)
	}
	if _, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("filed twice: %v", err)
	}
	for _, c := range []struct {
		u    domain.User
		a    domain.ItemAction
		code string
	}{
		{s.other, domain.ItemAccept, domain.ENOTFOUND},  // a department without items of the project does not see it
		{s.agent, domain.ItemAccept, domain.EFORBIDDEN}, // the agent does not accept
		{s.user("demo.citizen"), domain.ItemAccept, domain.ENOTFOUND},
		{s.user("lk.leader"), domain.ItemAccept, domain.EFORBIDDEN},
	} {
		if _, err := s.svc.ActItem(ctx, c.u, it.ID, c.a, domain.ItemInput{}); domain.ErrorCode(err) != c.code {
			t.Errorf("%s by %s: %v, want %s", c.a, c.u.Login, err, c.code)
		}
	}
	if _, err := s.svc.ApplyItem(ctx, s.officer, p.ID, "T-1"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a department files: %v", err)
	}
	if _, err := s.svc.PutProject(ctx, s.user("demo.leader"), domain.Project{Name: "x", Investor: investorOf(2), Industry: "manufacturing",
		Kind: "industry", Region: sceneTown}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a leader of another county enters a project: %v", err)
	}
	if _, err := s.svc.AdvanceStage(ctx, s.agent, p.ID, domain.StageRecord{Stage: "signed"}, 0); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("advanced with its item open: %v", err)
	}
	if _, err := s.svc.PutApprovalItem(ctx, s.user("lk.leader"), domain.ApprovalItem{Code: "T-2"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a leader keeps the catalogue: %v", err)
	}
	inbox, err := s.svc.ItemInbox(ctx, s.officer)
	found, vipDone := false, false
	for _, x := range inbox {
		found = found || (x.ID == it.ID && x.ProjectName == "测试项目" && x.Left == nil) // not accepted: no countdown yet
		if x.VIP && vipDone {
			t.Errorf("VIP item %d after the others", x.ID)
		}
		vipDone = !x.VIP
	}
	if err != nil || !found {
		t.Errorf("the VIP item in the inbox: %v %d items", err, len(inbox))
	}
	if _, err := s.svc.ItemInbox(ctx, s.agent); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the inbox of a non-officer: %v", err)
	}
}

// A late item is flagged once, however many servers sweep at once.
func TestProjectSweepFlagsLateOnce(t *testing.T) {
	s := newProjectScene(t)
	p := s.project(t, domain.TierGold, investorOf(3))
	s.clock.Set(cstTime("2026-05-11 09:00"))
	it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
	if err != nil {
		t.Fatal(err)
	}
	s.act(t, s.officer, it.ID, domain.ItemAccept, domain.ItemInput{}, "2026-05-11 09:00")
	s.clock.Set(cstTime("2026-05-13 09:30")) // two working days and half an hour on
	due := s.count(t, `SELECT COUNT(*) FROM project_items WHERE due_at < ? AND late_at IS NULL`, s.clock.Now().Unix())
	var wg sync.WaitGroup
	flagged := make([]int, 4)
	for i := range flagged {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := service.New(s.db)
			n, err := svc.SweepProjects(ctx)
			if err != nil {
				t.Error(err)
			}
			flagged[i] = n
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range flagged {
		total += n
	}
	late := s.count(t, `SELECT COUNT(*) FROM project_items WHERE id = ? AND late_at IS NOT NULL`, it.ID)
	notes := s.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'project_item_late' AND message LIKE '%测试项目%'`)
	if total != due || late != 1 || notes != 2 { // the department's officer and the 首席服务官
		t.Errorf("flagged %d times (%v), late %d, notices %d", total, flagged, late, notes)
	}
	if n, _ := s.svc.SweepProjects(ctx); n != 0 {
		t.Errorf("swept again: %d", n)
	}
	f, err := s.svc.ProjectFigures(ctx, s.user("lk.leader"), sceneTown, "2026")
	if err != nil || len(f.Orgs) != 1 || f.Orgs[0].Late != 1 || f.Orgs[0].Link != "region="+sceneTown+"&late_org=LK-FGJ" {
		t.Fatalf("figures: %v %+v", err, f.Orgs)
	}
	ps, err := s.svc.Projects(ctx, s.user("lk.leader"), domain.ProjectFilter{Region: sceneTown, LateOrg: "LK-FGJ"})
	if err != nil || len(ps) != 1 || ps[0].ID != p.ID {
		t.Errorf("the figure's link lists %v, %v", ps, err)
	}
}

// The figures of a town against a truth counted by hand: three projects (one signed and
// started, one signed, one in negotiation), two decided items, progress reported.
func TestProjectFiguresByHand(t *testing.T) {
	s := newProjectScene(t)
	a, b := s.project(t, domain.TierGold, investorOf(4)), s.project(t, domain.TierVIP, investorOf(5))
	s.project(t, domain.TierGold, investorOf(6))
	for _, p := range []*domain.Project{a, b} {
		it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
		if err != nil {
			t.Fatal(err)
		}
		s.act(t, s.officer, it.ID, domain.ItemAccept, domain.ItemInput{}, "2026-03-02 09:00")
		s.act(t, s.officer, it.ID, domain.ItemApprove, domain.ItemInput{Permit: "P"}, "2026-03-03 09:00") // 420 minutes: one day
		if _, err := s.svc.AdvanceStage(ctx, s.agent, p.ID, domain.StageRecord{Stage: "signed"}, 0); err != nil {
			t.Fatal(err)
		}
	}
	// a is pushed on to 开工 by hand: the stages between have no items in this catalogue
	for _, st := range domain.Stages[2:8] {
		if _, err := s.svc.AdvanceStage(ctx, s.agent, a.ID, domain.StageRecord{Stage: st}, 0); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	if err := s.svc.ReportProgress(ctx, s.agent, domain.ProjectProgress{ProjectID: a.ID, Month: "2026-03", Amount: 12345, Physical: 10}); err != nil {
		t.Fatal(err)
	}
	f, err := s.svc.ProjectFigures(ctx, s.user("lk.leader"), sceneTown, "2026")
	if err != nil {
		t.Fatal(err)
	}
	st := map[domain.Stage]service.StageFigure{}
	for _, x := range f.Stages {
		st[x.Stage] = x
	}
	if f.Signed != 2 || f.Started != 1 || f.Operating != 0 || *f.StartRate != 0.5 || *f.OpRate != 0 {
		t.Errorf("signed %d started %d operating %d rates %v %v", f.Signed, f.Started, f.Operating, *f.StartRate, *f.OpRate)
	}
	if st["negotiation"].ByTier[domain.TierGold] != 1 || st["signed"].ByTier[domain.TierVIP] != 1 || st["started"].Projects != 1 {
		t.Errorf("by stage: %+v", f.Stages[:3])
	}
	// two items of 签约 took one working day each, against 5 statutory and 2 and 1 promised
	if x := st["signed"]; x.Items != 2 || *x.AvgDays != 1 || *x.AvgStatutory != 5 || *x.AvgPromised != 1.5 {
		t.Errorf("signed's days: %+v", x)
	}
	if len(f.Parks) != 1 || f.Parks[0].Plan != 900000 || f.Parks[0].Done != 12345 || len(f.Months) != 1 || f.Months[0].Done != 12345 {
		t.Errorf("investment: %+v %+v", f.Parks, f.Months)
	}
	if _, err := s.svc.ProjectFigures(ctx, s.user("demo.leader"), sceneTown, ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a leader of another county: %v", err)
	}
}

// 告知承诺制: an item the catalogue marks is approved on commitment and checked later;
// another is refused the shortcut.
func TestProjectCommitment(t *testing.T) {
	s := newProjectScene(t)
	if _, err := s.svc.PutApprovalItem(ctx, s.admin, domain.ApprovalItem{Code: "T-C", Name: "承诺备案", Stage: "signed", Org: "LK-FGJ",
		Statutory: 5, Promised: 2, Commitment: true}); err != nil {
		t.Fatal(err)
	}
	p := s.project(t, domain.TierGold, investorOf(8))
	plain, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ActItem(ctx, s.officer, plain.ID, domain.ItemCommit, domain.ItemInput{Permit: "C-1"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("commitment on an item not marked for it: %v", err)
	}
	it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-C")
	if err != nil {
		t.Fatal(err)
	}
	it = s.act(t, s.officer, it.ID, domain.ItemCommit, domain.ItemInput{Permit: "C-2"}, "2026-03-02 10:00")
	it = s.act(t, s.officer, it.ID, domain.ItemCheck, domain.ItemInput{}, "2026-04-01 10:00")
	if !it.Commitment || it.State != domain.ItemApproved || it.CheckedAt == nil {
		t.Errorf("committed and checked: %+v", it)
	}
}
