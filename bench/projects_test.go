package bench

import (
	"fmt"
	"math/rand"
	"os"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
)

// BenchmarkProjectFigures (issue 22) times the leaders' projects dashboard of 渌口区
// at 10,000 projects and 300,000 approval items, against the 20 ms p50 on each
// engine: "recount" is the figures counted from the items and reports themselves
// (store.DB.ProjectFiguresRecount, what service.ProjectFigures read before migration
// 0018; without the service's calendar read and arithmetic), "service" is
// service.ProjectFigures reading the sums kept with the projects. The setup writes 200
// projects a transaction and their items in multi-row statements
// (store.Tx.InsertProjectItems).
func BenchmarkProjectFigures(b *testing.B) {
	f := projects10k.get(b)
	leader, err := f.db.UserByLogin(ctx, "lk.leader")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"recount", func() error { _, err := f.db.ProjectFiguresRecount(ctx, demo.Lukou, "2026"); return err }},
		{"service", func() error { _, err := f.svc.ProjectFigures(ctx, leader, demo.Lukou, "2026"); return err }},
		// the count of projects missing their last monthly report due, part of "service"
		{"progress", func() error { _, err := f.db.ProgressDueCount(ctx, demo.Lukou, "2026-03"); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var lat latencies
			for b.Loop() {
				if err := lat.time(c.run); err != nil {
					b.Fatal(err)
				}
			}
			lat.reportMs(b)
		})
	}
}

// projects10k is the demo with 10,000 projects more and 30 approval items each.
var projects10k = &lazy{build: func() (*fixture, error) {
	f, err := newDemo("projects10k", 0)
	if err != nil {
		return nil, err
	}
	if err := manyProjects(f, 10000, 30); err != nil {
		return nil, err
	}
	// the planner's statistics, as after a day of use: the recount is timed at its best
	if err := f.db.Analyze(ctx); err != nil {
		return nil, err
	}
	items, err := count(f, `SELECT COUNT(*) FROM project_items`)
	fmt.Fprintf(os.Stderr, "bench: %d approval items, %.0f MB\n", items, sizeMB(f))
	return f, err
}}

// manyProjects adds n projects of 渌口区 with perProject items each, spread over the
// stages (a third of the items open, those past their promised limit flagged late), and
// twelve monthly reports over 2025 and 2026 for each project under construction or
// beyond: in transactions of 200 projects, items and reports in multi-row statements.
func manyProjects(f *fixture, n, perProject int) error {
	cal, err := f.db.Calendar(ctx)
	if err != nil {
		return err
	}
	rng, now := rand.New(rand.NewSource(1)), f.clock.Now()
	for done := 0; done < n; done += 200 {
		err := f.db.Update(ctx, func(tx *store.Tx) error {
			items, progress := make([]domain.ProjectItem, 0, 200*perProject), []domain.ProjectProgress{}
			for i := done; i < min(n, done+200); i++ {
				p := domain.Project{Name: fmt.Sprintf("基准项目%05d", i), Investor: demo.InvestorUSCC(i % 40), Industry: "manufacturing",
					Kind: "industry", Total: 1000000, YearPlan: 300000, Region: "430212100", Park: fmt.Sprintf("园区%d", i%5),
					Tier: domain.Tiers[i%4], Stage: domain.Stages[i%len(domain.Stages)], Status: "active"}
				if err := tx.PutProject(&p); err != nil {
					return err
				}
				for k := 0; k < perProject; k++ {
					a := demo.ApprovalCatalogue[k%len(demo.ApprovalCatalogue)]
					it := domain.NewProjectItem(p.ID, a, p.Tier, now.Add(-time.Duration(rng.Intn(700*24))*time.Hour))
					if err := it.Act(domain.ItemAccept, domain.ItemInput{}, it.Applied.Add(time.Hour), cal); err != nil {
						return err
					}
					if k%3 != 0 {
						if err := it.Act(domain.ItemApprove, domain.ItemInput{Permit: "P"}, it.Accepted.Add(time.Duration(rng.Intn(400))*time.Hour), cal); err != nil {
							return err
						}
					}
					if it.Due != nil && it.Due.Before(now) {
						it.LateAt = it.Due // as the sweeper flags it
					}
					items = append(items, it)
				}
				if p.Stage.Index() >= domain.Stage("started").Index() {
					for m := 1; m <= 12; m++ {
						progress = append(progress, domain.ProjectProgress{ProjectID: p.ID, Month: fmt.Sprintf("%d-%02d", 2025+m%2, m),
							Amount: domain.Amount(rng.Intn(5000000)), Physical: m * 8})
					}
				}
			}
			if err := tx.InsertProjectItems(items); err != nil {
				return err
			}
			return tx.InsertProgress(progress)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
