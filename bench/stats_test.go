package bench

import (
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
)

// statsQueries are the dashboard's queries over the year before now: a street by
// community, the street by lead department, a county by street and the province by city.
func statsQueries(now time.Time) []struct {
	name string
	q    domain.StatsQuery
} {
	from, to := now.AddDate(-1, 0, 0).Format("2006-01-02"), now.Format("2006-01-02")
	return []struct {
		name string
		q    domain.StatsQuery
	}{
		{"street-by-region", domain.StatsQuery{Region: demo.Street, From: from, To: to, By: "region"}},
		{"street-by-org", domain.StatsQuery{Region: demo.Street, From: from, To: to, By: "org"}},
		{"county-by-region", domain.StatsQuery{Region: demo.Street[:6], From: from, To: to, By: "region"}},
		{"province-by-region", domain.StatsQuery{Region: demo.Street[:2], From: from, To: to, By: "region"}},
	}
}

// benchStats times db.Stats for each query, reporting p50/p99 in ms, with the size of
// the rollup it reads and of the file.
func benchStats(b *testing.B, f *fixture) {
	cases, err := count(f, `SELECT COUNT(*) FROM cases`)
	if err != nil {
		b.Fatal(err)
	}
	rollup, err := count(f, `SELECT COUNT(*) FROM case_rollup`)
	if err != nil {
		b.Fatal(err)
	}
	size := sizeMB(f)
	b.Logf("%d cases, %d case_rollup rows, %.0f MB", cases, rollup, size)
	for _, sq := range statsQueries(f.clock.Now()) {
		b.Run(sq.name, func(b *testing.B) {
			var lat latencies
			groups := 0
			for b.Loop() {
				err := lat.time(func() error {
					rows, err := f.db.Stats(ctx, sq.q)
					groups = len(rows)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if groups == 0 {
				b.Fatalf("%+v: no groups; the query reads nothing", sq.q)
			}
			lat.reportMs(b)
			b.ReportMetric(float64(cases), "cases")
			b.ReportMetric(float64(rollup), "rollup-rows")
			b.ReportMetric(size, "db-MB")
		})
	}
}

// BenchmarkStats20k: the dashboard statistics on the demo as shipped (20,000 cases).
func BenchmarkStats20k(b *testing.B) { benchStats(b, demo20k.get(b)) }

// BenchmarkStatsLarge: the same statistics on the large generated database.
func BenchmarkStatsLarge(b *testing.B) { benchStats(b, needLarge(b)) }

// BenchmarkListCases: the lists a person opens, each with the total its first page
// shows, at 20,000 cases (the demo's street dispatcher) and on the large database for
// a street's, a county's and the province's dispatcher: every status tab, overdue, an
// org, a matter, a channel, words (a common one, a rare one, a case's number), the last
// 30 days, and town + closed (issue 20: the shape PostgreSQL walked backwards over the
// primary key for).
func BenchmarkListCases(b *testing.B) {
	b.Run("20k", func(b *testing.B) {
		f := demo20k.get(b)
		u, err := f.db.UserByLogin(ctx, "demo.dispatcher")
		if err != nil {
			b.Fatal(err)
		}
		b.Run("street", func(b *testing.B) { benchList(b, f, u) })
	})
	b.Run("large", func(b *testing.B) {
		f := needLarge(b)
		// the street's and the county's dispatchers are not stored (the generated
		// database has a dispatcher per province); like every signed-in user they also
		// see the cases they reported (none here), a second branch of their scope
		for _, scope := range []struct{ name, region string }{{"street", "430481001"}, {"county", "430481"}, {"province", "43"}} {
			u := domain.User{ID: 1 << 40, Login: "dispatcher." + scope.region, Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: scope.region}}}
			b.Run(scope.name, func(b *testing.B) { benchList(b, f, u) })
		}
	})
}

// listShapes are the lists benchList times, their values taken from u's first page.
func listShapes(first []*domain.Case, now time.Time) []struct {
	name string
	f    domain.CaseFilter
} {
	overdue := true
	c := first[0]
	org := ""
	for _, x := range first {
		if x.LeadOrg != "" {
			org = x.LeadOrg
			break
		}
	}
	word := string([]rune(c.Title)[:min(2, len([]rune(c.Title)))])
	// a rarer search: the newest case's address (a road and a number), else its title
	rare := c.Address
	if rare == "" {
		rare = c.Title
	}
	from, to := now.AddDate(0, 0, -30), now
	town := c.Region[:min(9, len(c.Region))]
	shapes := []struct {
		name string
		f    domain.CaseFilter
	}{
		{"first-page", domain.CaseFilter{}},
		{"next-page", domain.CaseFilter{After: first[len(first)-1].ID}},
		{"overdue", domain.CaseFilter{Overdue: &overdue}},
		{"org", domain.CaseFilter{Org: org}},
		{"matter", domain.CaseFilter{Matter: c.Matter}},
		{"channel", domain.CaseFilter{Channel: "hotline"}},
		{"words", domain.CaseFilter{Q: word}},
		{"words-rare", domain.CaseFilter{Q: rare}},
		{"number", domain.CaseFilter{Q: c.Number}},
		{"last-30-days", domain.CaseFilter{From: &from, To: &to}},
		{"town-closed", domain.CaseFilter{Region: town, Status: []domain.Status{domain.StatusClosed}}},
	}
	for _, st := range []domain.Status{domain.StatusReported, domain.StatusDispatched, domain.StatusInProgress, domain.StatusResolved, domain.StatusClosed} {
		shapes = append(shapes, struct {
			name string
			f    domain.CaseFilter
		}{"tab-" + string(st), domain.CaseFilter{Status: []domain.Status{st}}})
	}
	return shapes
}

// benchList times each list shape's first page of 50 newest cases u may see with the
// total the API gives beside it (service.CountCases: from the rollup when the filters
// are its dimensions, else counted up to 10,000), p50/p99 of the two together, and
// reports rows and total.
func benchList(b *testing.B, f *fixture, u domain.User) {
	first, _, err := f.db.Cases(ctx, u, domain.CaseFilter{Limit: 50})
	if err != nil || len(first) == 0 {
		b.Fatalf("no first page: %v", err)
	}
	for _, shape := range listShapes(first, f.clock.Now()) {
		b.Run(shape.name, func(b *testing.B) {
			var lat latencies
			got, total := 0, int64(0)
			flt := shape.f
			flt.Limit = 50
			for b.Loop() {
				err := lat.time(func() error {
					cases, _, err := f.db.Cases(ctx, u, flt)
					if err != nil {
						return err
					}
					got = len(cases)
					total, err = listTotal(f, u, flt)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			lat.reportMs(b)
			b.ReportMetric(float64(got), "rows")
			b.ReportMetric(float64(total), "total")
		})
	}
}

// listTotal is the total the API gives beside a list's first page (service.CountCases).
func listTotal(f *fixture, u domain.User, flt domain.CaseFilter) (int64, error) {
	if flt.After != 0 {
		return 0, nil // only a first page carries its total
	}
	n, err := f.svc.CountCases(ctx, u, flt, domain.TotalCap)
	return int64(n.N), err
}
