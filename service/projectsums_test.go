package service_test

import (
	"reflect"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
)

// The dashboard reads sums kept with the projects (migration 0018); they must equal a
// recount of the projects, items and reports themselves after every kind of change:
// the demo's forty projects with their histories, a project moved to another town and
// park, one stopped, items filed, accepted, paused, decided and flagged late, a month
// reported twice, and the bulk loads the benchmark uses.
func TestProjectSumsEqualARecount(t *testing.T) {
	s := newProjectScene(t)
	leader := s.user("lk.leader")
	check := func(when string) {
		t.Helper()
		for _, region := range []string{demo.Lukou, sceneTown, "430212100", "43"} {
			for _, year := range []string{"2025", "2026"} {
				got, err := s.db.ProjectFigures(ctx, region, year)
				if err != nil {
					t.Fatal(err)
				}
				want, err := s.db.ProjectFiguresRecount(ctx, region, year)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %s %s:\nsums    %+v\nrecount %+v", when, region, year, got, want)
				}
			}
		}
	}
	check("the demo")
	want, err := s.db.ProjectFiguresRecount(ctx, demo.Lukou, "2026")
	if err != nil || len(want.Orgs) == 0 || len(want.Parks) == 0 || len(want.Months) == 0 || len(want.Stages) == 0 {
		t.Fatalf("the demo's figures hold too little to compare: %+v %v", want, err)
	}

	a, b := s.project(t, domain.TierGold, investorOf(7)), s.project(t, domain.TierVIP, investorOf(8))
	s.clock.Set(cstTime("2026-05-11 09:00"))
	items := []domain.ProjectItem{}
	for _, p := range []*domain.Project{a, b} {
		it, err := s.svc.ApplyItem(ctx, s.agent, p.ID, "T-1")
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	s.act(t, s.officer, items[0].ID, domain.ItemAccept, domain.ItemInput{}, "2026-05-11 09:30")
	s.act(t, s.officer, items[1].ID, domain.ItemAccept, domain.ItemInput{}, "2026-05-11 09:30")
	s.act(t, s.officer, items[1].ID, domain.ItemSupplement, domain.ItemInput{Note: "补充材料"}, "2026-05-11 10:00")
	s.act(t, s.agent, items[1].ID, domain.ItemResubmit, domain.ItemInput{}, "2026-05-12 10:00")
	s.act(t, s.officer, items[1].ID, domain.ItemApprove, domain.ItemInput{Permit: "P-1"}, "2026-05-12 11:00")
	s.clock.Set(cstTime("2026-05-20 09:00"))
	if n, err := s.svc.SweepProjects(ctx); err != nil || n == 0 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	for _, m := range []domain.ProjectProgress{{ProjectID: a.ID, Month: "2026-04", Amount: 500}, {ProjectID: a.ID, Month: "2026-04", Amount: 0},
		{ProjectID: b.ID, Month: "2025-12", Amount: 700}, {ProjectID: b.ID, Month: "2026-01", Amount: 900}} {
		if err := s.svc.ReportProgress(ctx, s.agent, m); err != nil {
			t.Fatal(err)
		}
	}
	check("items filed, decided and flagged, months reported")

	// a moves to another town and park, b is stopped
	a.Region, a.Park = "430212100", "南洲产业园"
	if _, err := s.svc.PutProject(ctx, s.admin, *a); err != nil {
		t.Fatal(err)
	}
	b.Status = "stopped"
	if _, err := s.svc.PutProject(ctx, s.admin, *b); err != nil {
		t.Fatal(err)
	}
	check("a project moved, one stopped")

	// the bulk loads: items and reports of a new project and of a, whose reports overlap
	c := s.project(t, domain.TierChief, investorOf(9))
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		bulk := []domain.ProjectItem{}
		for i, p := range []*domain.Project{a, c, c} {
			it := domain.NewProjectItem(p.ID, demo.ApprovalCatalogue[i], p.Tier, s.clock.Now().Add(-48*time.Hour))
			if i > 0 {
				if err := it.Act(domain.ItemAccept, domain.ItemInput{}, it.Applied.Add(time.Hour), cal); err != nil {
					return err
				}
			}
			bulk = append(bulk, it)
		}
		if err := tx.InsertProjectItems(bulk); err != nil {
			return err
		}
		return tx.InsertProgress([]domain.ProjectProgress{{ProjectID: a.ID, Month: "2026-02", Amount: 11}, {ProjectID: c.ID, Month: "2026-02", Amount: 13}})
	})
	if err != nil {
		t.Fatal(err)
	}
	check("bulk loads")
	if f, err := s.svc.ProjectFigures(ctx, leader, sceneTown, "2026"); err != nil || f.Signed != 0 || len(f.Parks) != 1 {
		t.Errorf("the town's figures: %+v %v", f, err)
	}
}
