package service_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
)

// A project at 开工 from 2 March owes its March report by the fifth working day of
// April: before then nothing is missing; after it the list, the page and the leaders'
// figure show it, and however many servers sweep, the month is flagged once and its
// agent and leader told once. Reported late, it leaves the list and its flag says so.
func TestProgressMissingFlaggedOnce(t *testing.T) {
	s := newProjectScene(t)
	leader := s.user("lk.leader")
	p := s.project(t, domain.TierGold, investorOf(15))
	idle := s.project(t, domain.TierGold, investorOf(16)) // in negotiation: owes nothing
	s.clock.Set(cstTime("2026-03-02 09:00"))
	it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
	if err != nil {
		t.Fatal(err)
	}
	s.act(t, s.officer, it.ID, domain.ItemAccept, domain.ItemInput{}, "2026-03-02 09:00")
	s.act(t, s.officer, it.ID, domain.ItemApprove, domain.ItemInput{Permit: "P"}, "2026-03-02 10:00")
	for _, st := range domain.Stages[1:8] {
		if _, err := s.svc.AdvanceStage(ctx, s.agent, p.ID, domain.StageRecord{Stage: st}, 0); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline, err := domain.ProgressDeadline("2026-03", cal)
	if err != nil {
		t.Fatal(err)
	}
	missing := func(when string, want bool) {
		t.Helper()
		ps, err := s.svc.Projects(ctx, leader, domain.ProjectFilter{Region: sceneTown, ProgressDue: true})
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.svc.ProjectFigures(ctx, leader, sceneTown, "2026")
		if err != nil {
			t.Fatal(err)
		}
		pg, err := s.svc.Project(ctx, s.agent, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.svc.Projects(ctx, leader, domain.ProjectFilter{Region: sceneTown})
		if err != nil {
			t.Fatal(err)
		}
		marked := 0
		for _, x := range all {
			if x.ProgressDue != "" {
				marked++
				if x.ID != p.ID || x.ProgressDue != "2026-03" {
					t.Errorf("%s: project %d marked missing %s", when, x.ID, x.ProgressDue)
				}
			}
		}
		got := len(ps) == 1 && ps[0].ID == p.ID && ps[0].ProgressDue == "2026-03" && f.ProgressDue == 1 && f.ProgressMonth == "2026-03" &&
			pg.Project.ProgressDue == "2026-03" && marked == 1
		none := len(ps) == 0 && f.ProgressDue == 0 && pg.Project.ProgressDue == "" && marked == 0
		if (want && !got) || (!want && !none) {
			t.Errorf("%s: listed %d, figure %d of %s, page %q, marked %d; want missing %v", when, len(ps), f.ProgressDue, f.ProgressMonth, pg.Project.ProgressDue, marked, want)
		}
		if f.Links["progress_due"] != "region="+sceneTown+"&progress_due=1" {
			t.Errorf("the figure's link: %q", f.Links["progress_due"])
		}
	}
	s.clock.Set(deadline.Add(-time.Minute))
	missing("a minute before the deadline", false)
	if n, err := s.svc.SweepProgress(ctx); err != nil {
		t.Fatal(err)
	} else if s.count(t, `SELECT COUNT(*) FROM project_progress_flags WHERE project_id IN (?, ?)`, p.ID, idle.ID) != 0 {
		t.Fatalf("flagged before the deadline (%d in all)", n)
	}

	s.clock.Set(deadline.Add(time.Hour))
	missing("an hour after the deadline", true)
	var wg sync.WaitGroup
	flagged := make([]int, 4)
	for i := range flagged {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := service.New(s.db).SweepProgress(ctx)
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
	rows := s.count(t, `SELECT COUNT(*) FROM project_progress_flags WHERE month = '2026-03'`)
	mine := s.count(t, `SELECT COUNT(*) FROM project_progress_flags WHERE project_id = ?`, p.ID)
	notes := s.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'project_progress_missing' AND message LIKE ? AND user_id IN (?, ?)`,
		"%"+p.Name+"%2026-03%", s.agent.ID, p.LeaderID)
	if total != rows || mine != 1 || notes != 2 {
		t.Errorf("flagged %d times (%v) for %d rows; the project's flags %d, notices %d", total, flagged, rows, mine, notes)
	}
	if n, err := s.svc.SweepProgress(ctx); err != nil || n != 0 {
		t.Errorf("swept again: %d %v", n, err)
	}

	if err := s.svc.ReportProgress(ctx, s.agent, domain.ProjectProgress{ProjectID: p.ID, Month: "2026-03", Amount: 5000, Physical: 5}); err != nil {
		t.Fatal(err)
	}
	missing("reported late", false)
	pg, err := s.svc.Project(ctx, s.agent, p.ID)
	if err != nil || len(pg.ProgressFlags) != 1 || pg.ProgressFlags[0].Month != "2026-03" || !pg.ProgressFlags[0].Reported {
		t.Errorf("the page's flags: %+v %v", pg.ProgressFlags, err)
	}
	if !strings.HasPrefix(pg.ProgressFlags[0].FlaggedAt.In(domain.China).Format(time.DateTime), deadline.Format(time.DateOnly)) {
		t.Errorf("flagged at %s", pg.ProgressFlags[0].FlaggedAt)
	}
}
