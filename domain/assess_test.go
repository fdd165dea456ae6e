package domain

import (
	"errors"
	"testing"
	"time"
)

// assessSys is a small system: a linear rate (weight 40, floor 0.6, target 1.0, at
// least 10 dispatched), a lower-is-better pass (weight 20: overdue at most 5%), a
// deduction (weight 20: 10 points per 办不成事) and a rank (weight 20, at least 2 ratings).
func assessSys() AssessSystem {
	return AssessSystem{Name: "月度考核", Region: "431382001", PeriodKind: PeriodMonth, AssesseeKind: AssessCommunities, AppealDays: 3,
		Indicators: []Indicator{
			{Code: "resp", Name: "响应率", Source: SrcResponseRate, Weight: 40, Direction: HigherBetter, Rule: RuleLinear, Floor: 0.6, Target: 1, MinVolume: 10},
			{Code: "over", Name: "超期率", Source: SrcOverdueRate, Weight: 20, Direction: LowerBetter, Rule: RulePass, Target: 0.05},
			{Code: "cant", Name: "办不成事", Source: SrcCannotDo, Weight: 20, Direction: LowerBetter, Rule: RuleDeduct, PerEvent: 10},
			{Code: "sat", Name: "满意率", Source: SrcSatisfaction, Weight: 20, Direction: HigherBetter, Rule: RuleRank, MinVolume: 2},
		}}
}

func TestScoreHandComputed(t *testing.T) {
	sys := assessSys()
	if err := sys.Validate(); err != nil {
		t.Fatal(err)
	}
	vals := []AssesseeValues{
		// A: resp 18/20 = 0.9 → 75; over 1/20 = 0.05 → pass 100; cant 2 → 80; sat 0.9 (rank 1 of 3) → 100
		// total (40×75 + 20×100 + 20×80 + 20×100) / 100 = 86
		{Assessee{"A", "a"}, map[string]AssessValue{"resp": RateValue(18, 20), "over": RateValue(1, 20), "cant": CountValue(2, 20), "sat": RateValue(9, 10)}},
		// B: resp 5/5 below the minimum of 10 → not scored, its weight 40 spread over
		// the other 60: over 3/5 = 0.6 → 0; cant 0 → 100; sat 0.8 (rank 2 of 3, tied) → 50
		// total (20×0 + 20×100 + 20×50) / 60 = 50
		{Assessee{"B", "b"}, map[string]AssessValue{"resp": RateValue(5, 5), "over": RateValue(3, 5), "cant": CountValue(0, 5), "sat": RateValue(4, 5)}},
		// C: resp 12/10? no: 13/20 = 0.65 → 12.5; over 0 → 100; cant 11 → 0; sat 8/10 = 0.8 (tied rank 2) → 50
		// total (40×12.5 + 20×100 + 0 + 20×50) / 100 = 35
		{Assessee{"C", "c"}, map[string]AssessValue{"resp": RateValue(13, 20), "over": RateValue(0, 20), "cant": CountValue(11, 20), "sat": RateValue(8, 10)}},
		// D: nothing measured at all → unscored
		{Assessee{"D", "d"}, map[string]AssessValue{"resp": RateValue(0, 0), "over": RateValue(0, 0), "sat": RateValue(1, 1)}},
		// E: sat 1/1 below its minimum (2); the rest equals C's but resp 0.65 → tied with C?
		// resp 13/20 → 12.5; over 0 → 100; cant 11 → 0: (500 + 2000) / 80 = 31.25
		{Assessee{"E", "e"}, map[string]AssessValue{"resp": RateValue(13, 20), "over": RateValue(0, 20), "cant": CountValue(11, 20), "sat": RateValue(1, 1)}},
	}
	got := Score(sys, vals)
	want := []struct {
		key    string
		total  float64
		rank   int
		scored bool
	}{{"A", 86, 1, true}, {"B", 50, 2, true}, {"C", 35, 3, true}, {"E", 31.25, 4, true}, {"D", 0, 0, false}}
	if len(got) != len(want) {
		t.Fatalf("%d scores", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.Total != w.total || g.Rank != w.rank || g.Scored != w.scored {
			t.Errorf("place %d: got %s %.2f rank %d scored %v, want %+v", i, g.Key, g.Total, g.Rank, g.Scored, w)
		}
	}
	b := got[1]
	if b.Indicators[0].Scored || b.Indicators[3].Points != 50 || b.Indicators[1].Weight != 33.33 {
		t.Errorf("B's indicators: %+v", b.Indicators)
	}
}

func TestRankTiesAndRedBlack(t *testing.T) {
	mk := func(key string, total float64) AssessScore {
		return AssessScore{Assessee: Assessee{Key: key}, Scored: true, Total: total}
	}
	scores := []AssessScore{mk("e", 70), mk("a", 90), mk("b", 80), mk("c", 80), mk("d", 60), {Assessee: Assessee{Key: "z"}}, mk("f", 60)}
	Rank(scores)
	wantOrder := []string{"a", "b", "c", "e", "d", "f", "z"}
	wantRank := []int{1, 2, 2, 4, 5, 5, 0}
	for i := range scores {
		if scores[i].Key != wantOrder[i] || scores[i].Rank != wantRank[i] {
			t.Fatalf("place %d: %s rank %d, want %s %d", i, scores[i].Key, scores[i].Rank, wantOrder[i], wantRank[i])
		}
	}
	cases := []struct {
		n          int
		red, black string
	}{
		{1, "a", "fd"},   // d and f tie at the bottom: both black
		{2, "abc", "fd"}, // b and c tie for second: both red
		{3, "abc", "fde"},
		{10, "abcedf", ""},
		{0, "", ""},
	}
	keys := func(xs []AssessScore) string {
		s := ""
		for _, x := range xs {
			s += x.Key
		}
		return s
	}
	for _, c := range cases {
		red, black := RedBlack(scores, c.n)
		if keys(red) != c.red || keys(black) != c.black {
			t.Errorf("n=%d: red %q black %q, want %q %q", c.n, keys(red), keys(black), c.red, c.black)
		}
	}
}

func TestScoringRules(t *testing.T) {
	cases := []struct {
		in   Indicator
		v    float64
		want float64
	}{
		{Indicator{Rule: RuleLinear, Direction: HigherBetter, Floor: 0.6, Target: 1}, 0.5, 0},
		{Indicator{Rule: RuleLinear, Direction: HigherBetter, Floor: 0.6, Target: 1}, 1.2, 100},
		{Indicator{Rule: RuleLinear, Direction: HigherBetter, Floor: 0.6, Target: 1}, 0.7, 25},
		{Indicator{Rule: RuleLinear, Direction: LowerBetter, Floor: 0.2, Target: 0}, 0.05, 75},
		{Indicator{Rule: RuleLinear, Direction: LowerBetter, Floor: 0.2, Target: 0}, 0.3, 0},
		{Indicator{Rule: RulePass, Direction: HigherBetter, Target: 0.9}, 0.9, 100},
		{Indicator{Rule: RulePass, Direction: HigherBetter, Target: 0.9}, 0.89, 0},
		{Indicator{Rule: RulePass, Direction: LowerBetter, Target: 0.1}, 0.11, 0},
		{Indicator{Rule: RuleDeduct, Direction: LowerBetter, PerEvent: 2.5}, 3, 92.5},
		{Indicator{Rule: RuleDeduct, Direction: LowerBetter, PerEvent: 30}, 4, 0},
	}
	for _, c := range cases {
		if got := points(c.in, c.v); got != c.want {
			t.Errorf("%s %s %v: %v, want %v", c.in.Rule, c.in.Direction, c.v, got, c.want)
		}
	}
	// a rank rule, lower better, with a tie and one below its minimum volume
	in := Indicator{Code: "x", Rule: RuleRank, Direction: LowerBetter, MinVolume: 5}
	got := rankRule(in, []AssesseeValues{
		{Assessee{Key: "a"}, map[string]AssessValue{"x": RateValue(1, 10)}},
		{Assessee{Key: "b"}, map[string]AssessValue{"x": RateValue(3, 10)}},
		{Assessee{Key: "c"}, map[string]AssessValue{"x": RateValue(1, 10)}},
		{Assessee{Key: "d"}, map[string]AssessValue{"x": RateValue(0, 2)}},
	})
	if len(got) != 3 || got["a"] != 100 || got["c"] != 100 || got["b"] != 0 {
		t.Errorf("rank rule: %v", got)
	}
}

func TestAssessSystemValidate(t *testing.T) {
	ok := assessSys()
	cases := []struct {
		name string
		edit func(*AssessSystem)
	}{
		{"no name", func(s *AssessSystem) { s.Name = " " }},
		{"bad kind", func(s *AssessSystem) { s.PeriodKind = "week" }},
		{"communities of a community", func(s *AssessSystem) { s.Region = "431382001001" }},
		{"no indicators", func(s *AssessSystem) { s.Indicators = nil }},
		{"zero weight", func(s *AssessSystem) { s.Indicators[0].Weight = 0 }},
		{"linear backwards", func(s *AssessSystem) { s.Indicators[0].Target = 0.5 }},
		{"deduct higher", func(s *AssessSystem) { s.Indicators[2].Direction = HigherBetter }},
		{"rating of communities", func(s *AssessSystem) { s.Indicators[3].Source = SrcRating }},
		{"twice", func(s *AssessSystem) { s.Indicators[1].Code = "resp" }},
		{"unknown source", func(s *AssessSystem) { s.Indicators[1].Source = "x" }},
	}
	for _, c := range cases {
		s := assessSys()
		c.edit(&s)
		if err := s.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestAssessPeriod(t *testing.T) {
	cases := []struct {
		kind             AssessPeriodKind
		p, from, to, end string
		bad              bool
	}{
		{PeriodMonth, "2026-03", "2026-03", "2026-03", "2026-04-01", false},
		{PeriodQuarter, "2026-Q4", "2026-10", "2026-12", "2027-01-01", false},
		{PeriodYear, "2026", "2026-01", "2026-12", "2027-01-01", false},
		{PeriodMonth, "2026-13", "", "", "", true},
		{PeriodQuarter, "2026-Q5", "", "", "", true},
		{PeriodYear, "26", "", "", "", true},
	}
	for _, c := range cases {
		from, to, end, err := AssessPeriod(c.kind, c.p)
		if c.bad {
			if ErrorCode(err) != EINVALID {
				t.Errorf("%s: %v", c.p, err)
			}
			continue
		}
		if err != nil || from != c.from || to != c.to || end.Format("2006-01-02") != c.end {
			t.Errorf("%s: %s %s %v %v", c.p, from, to, end, err)
		}
	}
}

func TestExcludedValueAndRatings(t *testing.T) {
	st := Stats{Dispatched: 10, AckedOnTime: 7, Received: 12, CannotDo: 3}
	late := Tally{Received: 1, Dispatched: 1, Acked: 1} // acknowledged late
	cant := Tally{Received: 1, CannotDo: 1}
	v := ExcludedValue(SrcResponseRate, st, []Tally{late})
	if v.Num != 7 || v.Volume != 9 || *v.Value != 7.0/9 {
		t.Errorf("response without the late case: %+v", v)
	}
	v = ExcludedValue(SrcCannotDo, st, []Tally{cant, late})
	if v.Num != 2 || v.Volume != 10 || *v.Value != 2 {
		t.Errorf("cannot_do without two: %+v", v)
	}
	cases := []struct {
		r    ReportInRating
		want float64
	}{
		{ReportInRating{Grade: RatingSatisfied, Timely: true}, 1},
		{ReportInRating{Grade: RatingSatisfied}, 0.5},
		{ReportInRating{Grade: RatingBasically, Timely: true}, 0.5},
		{ReportInRating{Grade: RatingNot, Timely: true}, 0},
	}
	for _, c := range cases {
		if got := c.r.RatingPoints(); got != c.want {
			t.Errorf("%+v: %v", c.r, got)
		}
	}
}

func TestAppealDeadlineAndCorrect(t *testing.T) {
	cal := NewCalendar([]CalendarDay{{Date: "2026-04-06", Kind: Holiday}}, nil)
	// published Friday 2026-04-03: Mon 6th a holiday, so 3 working days are 7, 8, 9
	if got := AppealDeadline(cal, time.Date(2026, 4, 3, 15, 0, 0, 0, China), 3); got != "2026-04-09" {
		t.Errorf("deadline %s", got)
	}
	sys := assessSys()
	vals := []AssesseeValues{
		{Assessee{"A", "a"}, map[string]AssessValue{"resp": RateValue(18, 20), "over": RateValue(1, 20), "cant": CountValue(2, 20), "sat": RateValue(9, 10)}},
		{Assessee{"C", "c"}, map[string]AssessValue{"resp": RateValue(13, 20), "over": RateValue(0, 20), "cant": CountValue(11, 20), "sat": RateValue(8, 10)}},
	}
	r := AssessResult{Scores: Score(sys, vals), Version: 1}
	// C appeals 办不成事: 10 of the 11 were another org's; corrected to 1 → 90 points
	// total (40×12.5 + 20×100 + 20×90 + 20×0) / 100 = 43
	r2, err := r.Correct(sys, "C", "cant", sys.Indicators[2].ValueOf(1, 20))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := r2.Score("C")
	a, _ := r2.Score("A")
	a1, _ := r.Score("A")
	if c.Total != 43 || r2.Version != 2 || a.Total != a1.Total {
		t.Errorf("after the appeal: C %.2f, A %.2f (was %.2f), version %d", c.Total, a.Total, a1.Total, r2.Version)
	}
	if _, err := r.Correct(sys, "Z", "cant", CountValue(1, 1)); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown assessee: %v", err)
	}
}

// TestAssessSourceKinds: which assessees each source is kept for, and that a system
// naming one for another kind is refused with the indicator's own key.
func TestAssessSourceKinds(t *testing.T) {
	all := []AssesseeKind{AssessStreets, AssessCommunities, AssessDepartments, AssessGridWorkers}
	want := map[AssessSource][]AssesseeKind{
		SrcReworkRate: all, SrcExtensionRate: all, SrcPatrolRate: all, SrcHazardRate: all,
		SrcEightOnes:   {AssessCommunities},
		SrcRoundRate:   {AssessStreets, AssessCommunities, AssessGridWorkers},
		SrcLiaisonRate: {AssessStreets, AssessCommunities},
		SrcRating:      {AssessDepartments}, SrcRectClosed: {AssessStreets, AssessDepartments},
	}
	for src, kinds := range want {
		for _, k := range all {
			applies := false
			for _, w := range kinds {
				applies = applies || w == k
			}
			if src.Applies(k) != applies {
				t.Errorf("%s applies to %s: %v, want %v", src, k, src.Applies(k), applies)
			}
			s := AssessSystem{Name: "x", Region: "431382", PeriodKind: PeriodMonth, AssesseeKind: k, Indicators: []Indicator{
				{Code: "a", Name: "a", Source: src, Weight: 1, Direction: HigherBetter, Rule: RulePass, Target: 0.5}}}
			err := s.Validate()
			var e *Error
			switch {
			case applies && err != nil:
				t.Errorf("%s for %s: %v", src, k, err)
			case !applies && (!errors.As(err, &e) || e.Key != "assess.indicator_kind"):
				t.Errorf("%s for %s: %v, want assess.indicator_kind", src, k, err)
			}
		}
	}
}

// TestReworkExtensionTally: a case sent back after its resolution counts as reworked
// only once resolved again, and among the resolved; an extension counts for the
// dispatch it moved, and a new dispatch after a return starts without it.
func TestReworkExtensionTally(t *testing.T) {
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, China)
	due := at.Add(72 * time.Hour)
	c := Case{Region: "431382001001001", CreatedAt: at}
	step := func(a Action, d EventData) Tally {
		at = at.Add(time.Hour)
		c.Apply(Event{Action: a, At: at, Data: d})
		_, tl := c.Rollup()
		return tl
	}
	tallies := []struct {
		name               string
		tally              Tally
		reworked, extended int64
	}{
		{"dispatched", step(ActDispatch, EventData{Org: "LY-CGJ", ResolveDue: &due}), 0, 0},
		{"extended", step(ActExtend, EventData{ResolveDue: &due}), 0, 1},
		{"resolved", step(ActResolve, EventData{}), 0, 1},
		{"sent back", step(ActReopen, EventData{}), 0, 1},
		{"resolved again", step(ActResolve, EventData{}), 1, 1},
	}
	for _, x := range tallies {
		if x.tally.Reworked != x.reworked || x.tally.Extended != x.extended {
			t.Errorf("%s: reworked %d extended %d, want %d %d", x.name, x.tally.Reworked, x.tally.Extended, x.reworked, x.extended)
		}
	}
	var st Stats
	st.Add(tallies[len(tallies)-1].tally)
	if n, v, _ := SrcReworkRate.StatsValue(st); n != 1 || v != 1 {
		t.Errorf("发回重办率 %d/%d, want 1/1", n, v)
	}
	if n, v, _ := SrcExtensionRate.StatsValue(st); n != 1 || v != 1 {
		t.Errorf("延期率 %d/%d, want 1/1", n, v)
	}
	step(ActReopen, EventData{})
	if tl := step(ActReturn, EventData{}); tl.Extended != 1 {
		t.Errorf("returned: extended %d, want the old dispatch's 1", tl.Extended)
	}
	if tl := step(ActDispatch, EventData{Org: "LY-YJJ", ResolveDue: &due}); tl.Extended != 0 || tl.Reworked != 0 {
		t.Errorf("a new dispatch: extended %d reworked %d, want 0 0", tl.Extended, tl.Reworked)
	}
}
