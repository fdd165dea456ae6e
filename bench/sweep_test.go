package bench

import (
	"fmt"
	"testing"
	"time"

	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// BenchmarkSweep times service.Sweep, the deadline sweeper.
//
//   - nothing-due: a sweep finding nothing due, on an empty demo, on the 20,000-case demo,
//     with 1,000,000 dispatched cases (2,000,000 running deadlines) none of them due, and on
//     the large generated database (WHISTLE_BENCH_DB): it should cost the same everywhere.
//   - due/K: K dispatched cases (SR-001: acknowledge in 2 h, resolve in 1 working day)
//     fall due among those 1,000,000 open cases that do not: each gets overdue_ack, overdue_resolve
//     and an escalation, with notices. Reported per due case.
func BenchmarkSweep(b *testing.B) {
	f, err := newDemo(fmt.Sprintf("sweep-%d", time.Now().UnixNano()), 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.db.Close()
	nothingDue := func(name string, get func(*testing.B) *fixture) {
		b.Run("nothing-due/"+name, func(b *testing.B) {
			f := get(b)
			pending, err := count(f, `SELECT COUNT(*) FROM deadlines`)
			if err != nil {
				b.Fatal(err)
			}
			// a deadline falling due at the clock's very second (the generated history
			// leaves some at 09:00 sharp) is read as due by the store and not yet passed
			// by the domain; sweep one second before the earliest, so nothing is due
			earliest, err := count(f, `SELECT COALESCE(MIN(due_at), 0) FROM deadlines`)
			if err != nil {
				b.Fatal(err)
			}
			if now := f.clock.Now(); earliest != 0 && earliest <= now.Unix() {
				f.clock.Set(time.Unix(earliest-1, 0))
				defer f.clock.Set(now)
				b.Logf("earliest deadline at %s: sweeping at %s", time.Unix(earliest, 0).In(domain.China), f.clock.Now().In(domain.China))
			}
			var lat latencies
			for b.Loop() {
				err := lat.time(func() error {
					n, err := f.svc.Sweep(ctx)
					if err == nil && n > 0 {
						err = fmt.Errorf("a sweep with nothing due wrote %d events", n)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			lat.reportUs(b)
			b.ReportMetric(float64(pending), "pending-deadlines")
		})
	}
	this := func(*testing.B) *fixture { return f }
	nothingDue("empty", this)
	nothingDue("demo-20k", demo20k.get)

	// 1,000,000 dispatched cases filed from 1 June 2026: open, and not due in March.
	const background = 1_000_000
	later := time.Date(2026, 6, 1, 9, 0, 0, 0, domain.China)
	if err := dispatched(f, later, background); err != nil {
		b.Fatal(err)
	}
	if err := f.db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	nothingDue(fmt.Sprintf("pending-%dk", 2*background/1000), this)

	for _, k := range []int{100, 1000} {
		b.Run(fmt.Sprintf("due/K=%d", k), func(b *testing.B) {
			var elapsed time.Duration
			events := 0
			for i := range b.N {
				b.StopTimer()
				// file K cases at a time in March 2026 (each iteration a little later),
				// then move the clock two weeks on: their deadlines are due, the
				// million of June are not.
				filed := whistletest.Start.Add(time.Duration(i%2000) * 5 * time.Minute)
				if err := dispatched(f, filed, k); err != nil {
					b.Fatal(err)
				}
				f.clock.Set(filed.AddDate(0, 0, 14))
				due, err := count(f, `SELECT COUNT(DISTINCT case_id) FROM deadlines WHERE due_at <= ?`, f.clock.Now().Unix())
				if err != nil || due != int64(k) {
					b.Fatalf("%d cases due, want %d (%v)", due, k, err)
				}
				b.StartTimer()
				t0 := time.Now()
				n, err := f.svc.Sweep(ctx)
				elapsed += time.Since(t0)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				events += n
			}
			f.clock.Set(whistletest.Start)
			b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N*k), "µs/due-case")
			b.ReportMetric(float64(events)/float64(b.N*k), "events/case")
		})
	}

	nothingDue("large", needLarge)
}

// dispatched records n SR-001 cases in grid 431382001001001, reported by the demo grid
// worker one second apart from time at, accepted and dispatched to LY-CGJ by the demo
// dispatcher: each with an acknowledge and a resolve deadline running. The events are
// decided by the domain's own rules, as demo.Generate does, and loaded as it loads them
// (store.RecordNew: ids and numbers chosen here, 5,000 cases a batch, 100,000 a
// transaction), so a million open cases take a minute or two, not an hour.
func dispatched(f *fixture, at time.Time, n int) error {
	grid, err := f.db.UserByLogin(ctx, "demo.grid")
	if err != nil {
		return err
	}
	disp, err := f.db.UserByLogin(ctx, "demo.dispatcher")
	if err != nil {
		return err
	}
	m, err := f.db.Matter(ctx, "SR-001")
	if err != nil {
		return err
	}
	cal, err := f.db.Calendar(ctx)
	if err != nil {
		return err
	}
	base, err := f.db.MaxCaseID(ctx)
	if err != nil {
		return err
	}
	numbers, err := f.db.CaseCounters(ctx)
	if err != nil {
		return err
	}
	one := func(i int) (*domain.Case, []domain.Event, error) {
		filed := at.Add(time.Duration(i) * time.Second)
		day := domain.NumberDay(filed)
		numbers[day]++
		nc := domain.NewCase{Matter: m.Code, Title: fmt.Sprintf("民光社区%d栋旁暴露垃圾", i%40+1), Region: "431382001001001",
			Channel: "grid_patrol", Reporter: domain.Reporter{Name: "黄小红", Phone: "13800001111"}}
		if err := nc.Validate(); err != nil {
			return nil, nil, err
		}
		c := &domain.Case{ID: base + int64(i) + 1}
		events := []domain.Event{domain.Intake(grid, nc, domain.CaseNumber(day, numbers[day]), m, filed)}
		c.Apply(events[0])
		env := domain.Env{Now: filed, Cal: cal, Matter: m, OrgExists: func(string) bool { return true }}
		for _, cmd := range []domain.Command{{Action: domain.ActAccept}, {Action: domain.ActDispatch, Org: "LY-CGJ"}} {
			cmd.Version = c.Version
			e, err := domain.Decide(disp, c, cmd, env)
			if err != nil {
				return nil, nil, err
			}
			c.Apply(e)
			events = append(events, e)
		}
		return c, events, nil
	}
	const batch, perTx = 5_000, 100_000
	for lo := 0; lo < n; lo += perTx {
		var failed error
		next := lo
		err := f.db.Update(ctx, func(tx *store.Tx) error {
			err := tx.RecordNew(func() *store.NewCases {
				hi := min(next+batch, lo+perTx, n)
				if next >= hi || failed != nil {
					return nil
				}
				cases, histories := make([]*domain.Case, 0, hi-next), make([][]domain.Event, 0, hi-next)
				for ; next < hi; next++ {
					c, events, err := one(next)
					if err != nil {
						failed = err
						return nil
					}
					cases, histories = append(cases, c), append(histories, events)
				}
				b, err := store.PrepareNew(cases, histories)
				failed = err
				return b
			})
			if err == nil {
				err = failed
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
