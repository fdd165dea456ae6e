package bench

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
)

// BenchmarkAssess (issue 23) times scoring a month (service.AssessPeriod computing a
// draft from the rollup) of every street of the province and of the departments
// serving it, against the 1 s on each engine: the demo as shipped (20,000
// cases, 7 streets), a province of 2,000 streets and 200 departments whose rollup rows
// are written directly (scoring reads the rollup, whose rows follow streets × months,
// not cases), and the large generated database when one is given.
func BenchmarkAssess(b *testing.B) {
	sizes := []struct {
		name string
		get  func(*testing.B) *fixture
	}{{"20k", demo20k.get}, {"province", assessProvince.get}, {"large", needLarge}}
	for _, size := range sizes {
		b.Run(size.name, func(b *testing.B) {
			f := size.get(b)
			benchAssess(b, f)
		})
	}
}

func benchAssess(b *testing.B, f *fixture) {
	province := demo.Street[:2]
	// a leader of the province, acting as a stored user (systems name who made them)
	id, err := count(f, `SELECT MIN(id) FROM users`)
	if err != nil {
		b.Fatal(err)
	}
	leader := domain.User{ID: id, Login: "bench.leader", Grants: []domain.Grant{{Role: domain.RoleLeader, Region: province}}}
	rate := func(code string, src domain.AssessSource, w float64) domain.Indicator {
		return domain.Indicator{Code: code, Name: code, Source: src, Weight: w, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.5, Target: 1, MinVolume: 5}
	}
	systems := []domain.AssessSystem{
		{Name: "基准街道月度考核", Region: province, PeriodKind: domain.PeriodMonth, AssesseeKind: domain.AssessStreets, AppealDays: 5,
			Indicators: []domain.Indicator{rate("resp", domain.SrcResponseRate, 30), rate("solve", domain.SrcResolution, 30), rate("sat", domain.SrcSatisfaction, 20),
				{Code: "overdue", Name: "overdue", Source: domain.SrcOverdueRate, Weight: 20, Direction: domain.LowerBetter, Rule: domain.RuleRank, MinVolume: 5}}},
		{Name: "基准部门月度考核", Region: province, PeriodKind: domain.PeriodMonth, AssesseeKind: domain.AssessDepartments, AppealDays: 5,
			Indicators: []domain.Indicator{rate("resp", domain.SrcResponseRate, 30), rate("ontime", domain.SrcResolveOnTime, 30),
				{Code: "reportin", Name: "reportin", Source: domain.SrcReportIn, Weight: 20, Direction: domain.HigherBetter, Rule: domain.RulePass, Target: 0.9, MinVolume: 1},
				rate("rect", domain.SrcRectClosed, 20)}},
	}
	period := f.clock.Now().In(domain.China).AddDate(0, -1, 0).Format("2006-01")
	for _, sys := range systems {
		sys, err := f.svc.CreateAssessSystem(ctx, leader, sys)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(sys.AssesseeKind), func(b *testing.B) {
			var lat latencies
			assessees, scored := 0, 0
			for b.Loop() {
				if err := lat.time(func() error {
					v, err := f.svc.AssessPeriod(ctx, leader, sys.ID, period)
					assessees, scored = len(v.Result.Scores), 0
					for _, sc := range v.Result.Scores {
						if sc.Scored {
							scored++
						}
					}
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			if scored == 0 {
				b.Fatalf("%s %s: nothing scored of %d assessees; the month reads nothing", sys.Name, period, assessees)
			}
			lat.reportMs(b)
			b.ReportMetric(float64(assessees), "assessees")
			b.ReportMetric(float64(scored), "scored")
		})
	}
}

// assessProvince is the demo with a made-up city of 20 counties of 100 streets each
// (4399…) and 200 departments of the province, each street and department with a
// year of monthly rollup rows up to the clock's month.
var assessProvince = &lazy{build: func() (*fixture, error) {
	f, err := newDemo("assessprov", 0)
	if err != nil {
		return nil, err
	}
	return f, provinceRollup(f, 20, 100, 200)
}}

// provinceRollup adds the regions, the orgs and their rollup rows.
func provinceRollup(f *fixture, counties, streets, orgs int) error {
	regions := []domain.Region{{Code: "4399", Name: "基准市", Level: domain.LevelCity, Parent: "43"}}
	var codes []string
	for c := 1; c <= counties; c++ {
		county := fmt.Sprintf("4399%02d", c)
		regions = append(regions, domain.Region{Code: county, Name: "基准县" + county, Level: domain.LevelCounty, Parent: "4399"})
		for s := 1; s <= streets; s++ {
			code := fmt.Sprintf("%s%03d", county, s)
			codes = append(codes, code)
			regions = append(regions, domain.Region{Code: code, Name: "基准街道" + code, Level: domain.LevelTown, Parent: county})
		}
	}
	if err := f.db.PutRegions(ctx, regions); err != nil {
		return err
	}
	for o := 0; o < orgs; o++ {
		if err := f.db.PutOrg(ctx, domain.Org{Code: fmt.Sprintf("BENCH-%03d", o), Name: fmt.Sprintf("基准部门%03d", o), Kind: "department", Region: "43"}); err != nil {
			return err
		}
	}
	raw, err := openRaw(f.dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	rng, now := rand.New(rand.NewSource(1)), f.clock.Now().In(domain.China)
	cols := "dim, depth, region, month, value, received, accepted, dispatched, acked, acked_on_time, resolved, resolved_on_time, visited, satisfied, overdue, returned"
	var rows []string
	var args []any
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := raw.ExecContext(ctx, f.db.Rebind(`INSERT INTO case_rollup (`+cols+`) VALUES `+strings.Join(rows, ", ")), args...)
		rows, args = rows[:0], args[:0]
		return err
	}
	add := func(dim string, depth int, region, month, value string) error {
		n := int64(50 + rng.Intn(400))
		d := n * 9 / 10
		acked := d * int64(90+rng.Intn(10)) / 100
		resolved := d * int64(80+rng.Intn(20)) / 100
		visited := resolved / 2
		rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, dim, depth, region, month, value, n, n, d, acked, acked*int64(85+rng.Intn(15))/100, resolved,
			resolved*int64(80+rng.Intn(20))/100, visited, visited*int64(70+rng.Intn(30))/100, n*int64(rng.Intn(10))/100, int64(rng.Intn(5)))
		if len(rows) == 500 {
			return flush()
		}
		return nil
	}
	for m := 1; m <= 12; m++ {
		month := time.Date(now.Year(), now.Month()-time.Month(m), 1, 0, 0, 0, 0, domain.China).Format("2006-01")
		for _, code := range codes {
			if err := add("", 9, code, month, ""); err != nil {
				return err
			}
		}
		for o := 0; o < orgs; o++ {
			if err := add("org", 2, "43", month, fmt.Sprintf("BENCH-%03d", o)); err != nil {
				return err
			}
		}
	}
	return flush()
}
