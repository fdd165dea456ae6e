package bench

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
)

// BenchmarkProjectFigures (issue 22) times the leaders' projects dashboard of 渌口区
// (service.ProjectFigures) at 10,000 projects and 300,000 approval items, against the
// issue's 20 ms p50 on each engine. Written, not yet run at scale: the setup inserts the
// rows one by one through the store and takes minutes.
func BenchmarkProjectFigures(b *testing.B) {
	dsn, err := freshDSN("projects10k")
	if err != nil {
		b.Fatal(err)
	}
	f, err := open(dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer f.db.Close()
	if _, err := demo.Load(ctx, f.db, 0); err != nil {
		b.Fatal(err)
	}
	if err := manyProjects(f, 10000, 30); err != nil {
		b.Fatal(err)
	}
	leader, err := f.db.UserByLogin(ctx, "lk.leader")
	if err != nil {
		b.Fatal(err)
	}
	items, _ := count(f, `SELECT COUNT(*) FROM project_items`)
	b.Logf("%d approval items, %.0f MB", items, sizeMB(f))
	var lat latencies
	for b.Loop() {
		if err := lat.time(func() error {
			_, err := f.svc.ProjectFigures(ctx, leader, demo.Lukou, "2026")
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	lat.reportMs(b)
}

// manyProjects adds n projects of 渌口区 with perProject items each, spread over the
// stages, in transactions of 200 projects.
func manyProjects(f *fixture, n, perProject int) error {
	cal, err := f.db.Calendar(ctx)
	if err != nil {
		return err
	}
	rng, now := rand.New(rand.NewSource(1)), f.clock.Now()
	for done := 0; done < n; done += 200 {
		err := f.db.Update(ctx, func(tx *store.Tx) error {
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
					if err := tx.PutProjectItem(&it); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
