package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
)

// Spec says what history Generate makes.
type Spec struct {
	Cases   int
	Places  []domain.Region // where the cases happen: grids or communities, with positions
	Matters []domain.Matter
	Users   Users // the demo's users by login; "demo.dispatcher" must see every place
	Seed    uint64
	// Progress, when set, hears how many cases are written after each commit.
	Progress func(done int)
}

// batchCases is how many cases one simulation job makes.
const batchCases = 5000

// txCases caps the cases of one write transaction: a month of 12M cases a year, so
// each month's rollup cells are written once. The month's cells (about two million at
// 10M cases a year) are held in memory until its commit.
const txCases = 1_000_000

// Generate makes spec.Cases cases received over the year before the database's now,
// each walked through its life with the domain's own rules, and writes them with
// store.RecordNew. Batches are simulated and prepared on every core while the previous
// ones are written, in order, so the same seed gives the same history however many
// cores run. It numbers the cases itself (ids from the highest, case numbers from each
// day's counter), so it wants no other writer of cases while it runs.
func Generate(ctx context.Context, db *store.DB, spec Spec) error {
	if spec.Cases <= 0 {
		return nil
	}
	if len(spec.Places) == 0 || len(spec.Matters) == 0 {
		return fmt.Errorf("generate: no places or no matters to generate cases for")
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return err
	}
	base, err := db.MaxCaseID(ctx)
	if err != nil {
		return err
	}
	numbers, err := db.CaseCounters(ctx)
	if err != nil {
		return err
	}
	times := intakeTimes(spec.Seed, spec.Cases, db.Now())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type prepared struct {
		b     *store.NewCases
		n     int
		month string // of the first case
		err   error
	}
	pending := make(chan chan prepared, runtime.GOMAXPROCS(0))
	go func() {
		defer close(pending)
		for lo := 0; lo < spec.Cases; lo += batchCases {
			out := make(chan prepared, 1)
			select {
			case pending <- out:
			case <-ctx.Done():
				return
			}
			g := generator{spec: spec, cal: cal, now: db.Now(), rng: rand.New(rand.NewPCG(spec.Seed, uint64(lo))),
				firstID: base + int64(lo) + 1, times: times[lo:min(lo+batchCases, spec.Cases)], numbers: map[string]int64{}}
			for _, t := range g.times { // the batch's first number of each day, in time order
				day := domain.NumberDay(t)
				if _, ok := g.numbers[day]; !ok {
					g.numbers[day] = numbers[day] + 1
				}
				numbers[day]++
			}
			go func() {
				cases, events, err := g.batch()
				if err != nil {
					out <- prepared{err: err}
					return
				}
				b, err := store.PrepareNew(cases, events)
				out <- prepared{b, len(cases), cases[0].CreatedAt.In(domain.China).Format("2006-01"), err}
			}()
		}
	}()
	// One transaction per month of intake (up to txCases cases): the month's rollup
	// cells are written once, and every commit leaves cases and rollup agreeing.
	var held *prepared
	take := func() *prepared {
		if held != nil {
			p := held
			held = nil
			return p
		}
		out, ok := <-pending
		if !ok {
			return nil
		}
		p := <-out
		return &p
	}
	done := 0
	for {
		first := take()
		if first == nil {
			return ctx.Err()
		}
		if first.err != nil {
			return first.err
		}
		held = first
		var inTx int
		err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.RecordNew(func() *store.NewCases {
				p := take()
				if p == nil || p.err != nil || (inTx > 0 && (p.month != first.month || inTx+p.n > txCases)) {
					held = p
					return nil
				}
				inTx += p.n
				return p.b
			})
		})
		if err != nil {
			return err
		}
		if held != nil && held.err != nil {
			return held.err
		}
		done += inTx
		if spec.Progress != nil {
			spec.Progress(done)
		}
	}
}

// intakeTimes spreads n intake times over the year before now, in order: days evenly,
// working hours on weekdays, later and shorter ones at weekends.
func intakeTimes(seed uint64, n int, now time.Time) []time.Time {
	rng := rand.New(rand.NewPCG(seed, 431382001))
	start := now.AddDate(-1, 0, 0)
	times := make([]time.Time, n)
	for i := range times {
		day := start.AddDate(0, 0, rng.IntN(366))
		y, m, d := day.In(domain.China).Date()
		hour := 7 + rng.IntN(14)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			hour = 9 + rng.IntN(10)
		}
		times[i] = time.Date(y, m, d, hour, rng.IntN(60), rng.IntN(60), 0, domain.China)
		if times[i].After(now) {
			times[i] = now.Add(-time.Duration(rng.IntN(3600)) * time.Second)
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	return times
}

// generator simulates the cases of one batch.
type generator struct {
	spec    Spec
	cal     *domain.Calendar
	now     time.Time
	rng     *rand.Rand
	firstID int64
	times   []time.Time      // intake times, in order
	numbers map[string]int64 // the next case number of each day
}

// batch simulates one case per intake time.
func (g generator) batch() ([]*domain.Case, [][]domain.Event, error) {
	cases, events := make([]*domain.Case, 0, len(g.times)), make([][]domain.Event, 0, len(g.times))
	var last *domain.Case
	for i, created := range g.times {
		day := domain.NumberDay(created)
		s, err := g.one(g.firstID+int64(i), domain.CaseNumber(day, g.numbers[day]), created, last)
		if err != nil {
			return nil, nil, err
		}
		g.numbers[day]++
		cases, events = append(cases, s.c), append(events, s.events)
		if s.c.Status != domain.StatusMerged && s.c.Status != domain.StatusRejected {
			last = s.c
		}
	}
	return cases, events, nil
}

func (g generator) one(id int64, number string, created time.Time, last *domain.Case) (*sim, error) {
	rng, users := g.rng, g.spec.Users
	m := g.spec.Matters[rng.IntN(len(g.spec.Matters))]
	ch := pickChannel(rng)
	kind := domain.Kind("request")
	switch {
	case m.Class == "安全隐患":
		kind = "hazard"
	case ch == "liaison" || m.Class == "企业诉求":
		kind = "enterprise_problem"
	case ch == "cannot_do_window" || rng.IntN(10) == 0:
		kind = "complaint"
	}
	reporter := map[domain.Channel]string{"online": "demo.citizen", "open311": "demo.citizen",
		"liaison": "demo.liaison", "inspection": "demo.inspector"}[ch]
	if reporter == "" {
		reporter = "demo.dispatcher"
	}
	place := g.spec.Places[rng.IntN(len(g.spec.Places))]
	if ch == "grid_patrol" {
		reporter = gridReporter(users, place.Code)
	}
	nc := domain.NewCase{Matter: m.Code, Title: m.Name, Description: m.Description, Region: place.Code,
		Lat: place.Lat, Lon: place.Lon, Address: place.Name + "附近", Channel: ch, Kind: kind,
		Reporter: domain.Reporter{Name: residents[rng.IntN(len(residents))], Phone: fmt.Sprintf("13%09d", rng.IntN(1e9))}}
	s := &sim{rng: rng, cal: g.cal, now: g.now, users: users, matter: m, c: &domain.Case{ID: id}, into: last}
	s.apply(domain.Intake(users[reporter], nc, number, m, created))
	if err := s.life(created); err != nil {
		return nil, err
	}
	s.sweepUntil(g.now)
	return s, nil
}

// GenSpec gathers what Generate needs for cases under root: the matters and the demo's
// users as stored. When root lies outside the demo street, a dispatcher of root
// (gen.dispatcher.<root>) is added and acts where demo.dispatcher would.
func GenSpec(ctx context.Context, db *store.DB, root string, places []domain.Region) (Spec, error) {
	matters, err := db.Matters(ctx)
	if err != nil {
		return Spec{}, err
	}
	orgs, err := db.Orgs(ctx)
	if err != nil {
		return Spec{}, err
	}
	users := Users{}
	names := make([]string, 0, len(logins)+len(orgs))
	for _, l := range logins {
		names = append(names, l.Login)
	}
	for _, o := range orgs {
		names = append(names, "officer."+o.Code)
	}
	for _, login := range names {
		u, err := db.UserByLogin(ctx, login)
		if err != nil {
			return Spec{}, fmt.Errorf("demo user %s: %w", login, err)
		}
		users[login] = u
	}
	if strings.HasPrefix(root, Street) || strings.HasPrefix(Street, root) {
		for _, p := range places { // the grid workers who report the patrols' cases
			if login := gridLogin(p.Code); len(p.Code) == 15 && p.Code != DemoGrid {
				u, err := db.UserByLogin(ctx, login)
				if err == nil {
					users[login] = u
				} else if domain.ErrorCode(err) != domain.ENOTFOUND {
					return Spec{}, err
				}
			}
		}
	}
	if !strings.HasPrefix(root, Street) {
		login := "gen.dispatcher." + root
		u, err := db.UserByLogin(ctx, login)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			u, err = service.New(db).AddUser(ctx, domain.User{Login: login, Name: "生成数据调度员",
				Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: root}}}, Password)
		}
		if err != nil {
			return Spec{}, err
		}
		users["demo.dispatcher"] = u
	}
	return Spec{Places: places, Matters: matters, Users: users}, nil
}
