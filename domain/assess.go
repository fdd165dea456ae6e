package domain

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// 考核 (issue 23): indicator systems, the score of each assessee computed from its
// indicator values, rankings and the 红黑榜. Everything here is a pure function of the
// values handed in; the service reads the values from the rollup, the rectification
// figures, the report-in ratings and the leaders' manual items.

// AssessPeriodKind is how long an assessment period is.
type AssessPeriodKind string

const (
	PeriodMonth   AssessPeriodKind = "month"   // 2026-03
	PeriodQuarter AssessPeriodKind = "quarter" // 2026-Q1
	PeriodYear    AssessPeriodKind = "year"    // 2026
)

// AssesseeKind is what a system assesses.
type AssesseeKind string

const (
	AssessStreets     AssesseeKind = "street"      // the towns/streets under the system's region
	AssessCommunities AssesseeKind = "community"   // the communities/villages under it
	AssessDepartments AssesseeKind = "department"  // the orgs serving it (its own and its ancestors')
	AssessGridWorkers AssesseeKind = "grid_worker" // the grids under it, each its grid worker's
)

// AssesseeDepth is the region code length of a kind's assessees (0 for departments).
func (k AssesseeKind) AssesseeDepth() int {
	switch k {
	case AssessStreets:
		return 9
	case AssessCommunities:
		return 12
	case AssessGridWorkers:
		return 15
	}
	return 0
}

// AssessSource is where an indicator's value comes from.
type AssessSource string

// The sources: the rates of the statistics rollup (each a numerator over a volume),
// counts of the rollup, the rectification figures, the report-ins on whistles, the
// streets' ratings of report-ins and the leaders' manual scores.
const (
	SrcResponseRate  AssessSource = "response_rate"       // 响应率: acknowledged on time / dispatched
	SrcResolution    AssessSource = "resolution_rate"     // 解决率: resolved / dispatched
	SrcSatisfaction  AssessSource = "satisfaction_rate"   // 满意率: (satisfied + basically) / visited
	SrcAckOnTime     AssessSource = "ack_on_time_rate"    // 按时签收率: acknowledged on time / acknowledged
	SrcResolveOnTime AssessSource = "resolve_on_time"     // 按时办结率: resolved on time / resolved
	SrcReturnRate    AssessSource = "return_rate"         // 退单率: returns / dispatched
	SrcOverdueRate   AssessSource = "overdue_rate"        // 超期率: overdue / received
	SrcCannotDo      AssessSource = "cannot_do"           // 办不成事 received (a count; volume: received)
	SrcRectClosed    AssessSource = "rect_closed_rate"    // 整改销号率 (RectFigures)
	SrcRectStage     AssessSource = "rect_milestone_rate" // 阶段性销号率 (RectFigures)
	SrcReportIn      AssessSource = "report_in_rate"      // 报到率: summons reported in on time / summons due
	SrcRating        AssessSource = "report_in_rating"    // 吹哨报到评价: the streets' ratings (满意 1, 基本满意 0.5, 不满意 0)
	SrcManual        AssessSource = "manual"              // a leader's score (0–100) with a reason
	// 发回重办率: resolved cases sent back for rework after a resolution before / resolved
	// (Tally.Reworked): a case counts in its received month, as every rollup figure
	SrcReworkRate AssessSource = "rework_rate"
	// 延期率: dispatched cases whose current deadline was extended / dispatched
	// (Tally.Extended)
	SrcExtensionRate AssessSource = "extension_rate"
	// 巡查计划完成率: patrol tasks due in the period done (on time or late) / due; every
	// kind: by the task's region, or the org whose plan it is
	SrcPatrolRate AssessSource = "patrol_compliance"
	// 隐患按期整改率: hazards whose rectification deadline falls in the period, rectified
	// (resolved) by it / due; by the hazard's region or its responsible org
	SrcHazardRate AssessSource = "hazard_rectify_rate"
	// 八个一进度: the items of the 八个一 checklist with evidence by the period's end, for
	// the year the period ends in / its items; kept per community, so communities only
	SrcEightOnes AssessSource = "eight_ones_progress"
	// 动态监测完成率: monitoring visits due in the period done by its end / due; by the
	// visited subject's region (no department keeps them)
	SrcRoundRate AssessSource = "round_completion"
	// 联企问题办结率: problems liaison cadres collected in the period from enterprises
	// (by the enterprise's region) closed / collected; streets and communities
	SrcLiaisonRate AssessSource = "liaison_closure_rate"
)

// AssessSources lists the sources in a stable order.
var AssessSources = []AssessSource{SrcResponseRate, SrcResolution, SrcSatisfaction, SrcAckOnTime, SrcResolveOnTime,
	SrcReturnRate, SrcOverdueRate, SrcCannotDo, SrcReworkRate, SrcExtensionRate, SrcRectClosed, SrcRectStage, SrcReportIn, SrcRating,
	SrcPatrolRate, SrcHazardRate, SrcEightOnes, SrcRoundRate, SrcLiaisonRate, SrcManual}

// Applies tells whether the source has a value for assessees of kind: each figure is
// kept for some of them only (a department keeps no 八个一; a community holds no
// report-ins).
func (s AssessSource) Applies(kind AssesseeKind) bool {
	switch s {
	case SrcRating, SrcReportIn:
		return kind == AssessDepartments
	case SrcRectClosed, SrcRectStage:
		return kind == AssessDepartments || kind == AssessStreets
	case SrcEightOnes:
		return kind == AssessCommunities
	case SrcRoundRate:
		return kind != AssessDepartments
	case SrcLiaisonRate:
		return kind == AssessStreets || kind == AssessCommunities
	}
	return true
}

// FromRollup tells whether the source is read from the statistics rollup (and so can
// leave a case out: an exclusion subtracts the case's own tally).
func (s AssessSource) FromRollup() bool {
	switch s {
	case SrcResponseRate, SrcResolution, SrcSatisfaction, SrcAckOnTime, SrcResolveOnTime, SrcReturnRate, SrcOverdueRate, SrcCannotDo,
		SrcReworkRate, SrcExtensionRate:
		return true
	}
	return false
}

// Valid tells whether s is a known source.
func (s AssessSource) Valid() bool { return slices.Contains(AssessSources, s) }

// StatsValue reads a rollup source from a statistic: its numerator and its volume (the
// denominator of a rate; the cases received for a count). ok is false for a source the
// rollup does not hold.
func (s AssessSource) StatsValue(st Stats) (num, volume int64, ok bool) {
	switch s {
	case SrcResponseRate:
		return st.AckedOnTime, st.Dispatched, true
	case SrcResolution:
		return st.Resolved, st.Dispatched, true
	case SrcSatisfaction:
		return st.Satisfied + st.BasicallySatisfied, st.Visited, true
	case SrcAckOnTime:
		return st.AckedOnTime, st.Acked, true
	case SrcResolveOnTime:
		return st.ResolvedOnTime, st.Resolved, true
	case SrcReturnRate:
		return st.Returned, st.Dispatched, true
	case SrcOverdueRate:
		return st.Overdue, st.Received, true
	case SrcCannotDo:
		return st.CannotDo, st.Received, true
	case SrcReworkRate:
		return st.Reworked, st.Resolved, true
	case SrcExtensionRate:
		return st.Extended, st.Dispatched, true
	}
	return 0, 0, false
}

// IsCount tells whether the source's value is a count (deduction per event), not a rate.
func (s AssessSource) IsCount() bool { return s == SrcCannotDo }

// ScoringRule is how an indicator's value becomes points (0–100).
type ScoringRule string

const (
	RuleLinear ScoringRule = "linear" // 0 at Floor, 100 at Target, straight between, clamped
	RuleRank   ScoringRule = "rank"   // 100 for the best, 0 for the worst, evenly between; ties share
	RulePass   ScoringRule = "pass"   // 100 when the value reaches Target, else 0
	RuleDeduct ScoringRule = "deduct" // 100 less PerEvent for each event (the value is a count), not below 0
)

// Direction tells which way an indicator is better.
type Direction string

const (
	HigherBetter Direction = "higher"
	LowerBetter  Direction = "lower"
)

// Indicator is one line of an indicator system.
type Indicator struct {
	Code      string       `json:"code"` // short, unique in its system: a drill-down names it
	Name      string       `json:"name"`
	Source    AssessSource `json:"source"`
	Weight    float64      `json:"weight"` // > 0; the weights need not sum to 100
	Direction Direction    `json:"direction"`
	Rule      ScoringRule  `json:"rule"`
	Floor     float64      `json:"floor,omitempty"`     // linear: the value scoring 0
	Target    float64      `json:"target,omitempty"`    // linear: scoring 100; pass: the bar
	PerEvent  float64      `json:"per_event,omitempty"` // deduct: points per event
	MinVolume int64        `json:"min_volume,omitempty"`
}

// AssessSystem is an indicator system: what is assessed, over which periods, under
// which region, by which indicators.
type AssessSystem struct {
	ID           int64            `json:"id"`
	Name         string           `json:"name"`
	Region       string           `json:"region"`
	PeriodKind   AssessPeriodKind `json:"period_kind"`
	AssesseeKind AssesseeKind     `json:"assessee_kind"`
	AppealDays   int              `json:"appeal_days"` // working days after publication to appeal
	Indicators   []Indicator      `json:"indicators"`
	CreatedBy    int64            `json:"created_by,omitempty"`
	CreatedAt    time.Time        `json:"created_at"`
}

// Validate checks a system and each of its indicators, naming the one at fault.
func (s AssessSystem) Validate() error {
	if strings.TrimSpace(s.Name) == "" || len([]rune(s.Name)) > 200 {
		return Invalidf("assess.name", "name is required, at most 200 characters")
	}
	if _, err := LevelOf(s.Region); err != nil || s.Region == "" {
		return Invalidf("assess.region", "region %q is not a region code", s.Region)
	}
	switch s.PeriodKind {
	case PeriodMonth, PeriodQuarter, PeriodYear:
	default:
		return Invalidf("assess.period_kind", "period_kind must be month, quarter or year")
	}
	switch s.AssesseeKind {
	case AssessStreets, AssessCommunities, AssessGridWorkers:
		if d := s.AssesseeKind.AssesseeDepth(); len(s.Region) >= d {
			return Invalidf("assess.assessee_depth", "region %s holds no %ss: pick a region above them", s.Region, s.AssesseeKind)
		}
	case AssessDepartments:
	default:
		return Invalidf("assess.assessee_kind", "assessee_kind must be street, community, department or grid_worker")
	}
	if s.AppealDays < 0 || s.AppealDays > 30 {
		return Invalidf("assess.appeal_days", "appeal_days must be 0 to 30")
	}
	if len(s.Indicators) == 0 || len(s.Indicators) > 50 {
		return Invalidf("assess.indicators", "a system needs 1 to 50 indicators")
	}
	seen := map[string]bool{}
	for i, in := range s.Indicators {
		if err := in.validate(i+1, s.AssesseeKind); err != nil {
			return err
		}
		if seen[in.Code] {
			return Invalidf("assess.indicator_dup", "indicator %d: code %q is used twice", i+1, in.Code)
		}
		seen[in.Code] = true
	}
	return nil
}

func (in Indicator) validate(n int, kind AssesseeKind) error {
	// each refusal its own key, so a page says in its words which field is wrong
	bad := func(key, format string, args ...any) error {
		return Invalidf("assess.indicator_"+key, "indicator %d: "+format, append([]any{n}, args...)...)
	}
	if in.Code == "" || len(in.Code) > 40 || strings.ContainsAny(in.Code, " /?#&") {
		return bad("code", "code is required, at most 40 characters, no spaces or / ? # &")
	}
	if strings.TrimSpace(in.Name) == "" {
		return bad("name", "name is required")
	}
	if !in.Source.Valid() {
		return bad("source", "unknown source %q", in.Source)
	}
	if !in.Source.Applies(kind) {
		var kinds []string
		for _, k := range []AssesseeKind{AssessStreets, AssessCommunities, AssessDepartments, AssessGridWorkers} {
			if in.Source.Applies(k) {
				kinds = append(kinds, string(k))
			}
		}
		return bad("kind", "source %s is kept for %s only, not for %ss", in.Source, strings.Join(kinds, ", "), kind)
	}
	if !(in.Weight > 0) || in.Weight > 1000 {
		return bad("weight", "weight must be above 0 and at most 1000")
	}
	if in.Direction != HigherBetter && in.Direction != LowerBetter {
		return bad("direction", "direction must be higher or lower")
	}
	if in.MinVolume < 0 {
		return bad("min_volume", "min_volume must not be negative")
	}
	switch in.Rule {
	case RuleLinear:
		if in.Floor == in.Target || (in.Direction == HigherBetter) != (in.Target > in.Floor) {
			return bad("linear", "linear: target must be better than floor in the indicator's direction")
		}
	case RuleRank, RulePass:
	case RuleDeduct:
		if in.Direction != LowerBetter || !(in.PerEvent > 0) {
			return bad("deduct", "deduct: direction must be lower and per_event above 0")
		}
	default:
		return bad("rule", "rule must be linear, rank, pass or deduct")
	}
	return nil
}

// AssessPeriod reads a period of a kind ("2026-03", "2026-Q1", "2026") and gives its
// first and last months (YYYY-MM) and the day after it ends.
func AssessPeriod(kind AssessPeriodKind, period string) (from, to string, end time.Time, err error) {
	var y, n int
	bad := Invalidf("assess.period", "period %q is not a %s (2026-03, 2026-Q1 or 2026)", period, kind)
	switch kind {
	case PeriodMonth:
		t, e := time.ParseInLocation("2006-01", period, China)
		if e != nil {
			return "", "", time.Time{}, bad
		}
		return period, period, t.AddDate(0, 1, 0), nil
	case PeriodQuarter:
		if k, e := fmt.Sscanf(period, "%4d-Q%1d", &y, &n); e != nil || k != 2 || n < 1 || n > 4 || len(period) != 7 {
			return "", "", time.Time{}, bad
		}
		start := time.Date(y, time.Month(3*n-2), 1, 0, 0, 0, 0, China)
		return start.Format("2006-01"), start.AddDate(0, 2, 0).Format("2006-01"), start.AddDate(0, 3, 0), nil
	case PeriodYear:
		if k, e := fmt.Sscanf(period, "%4d", &y); e != nil || k != 1 || len(period) != 4 {
			return "", "", time.Time{}, bad
		}
		start := time.Date(y, 1, 1, 0, 0, 0, 0, China)
		return period + "-01", period + "-12", start.AddDate(1, 0, 0), nil
	}
	return "", "", time.Time{}, bad
}

// AssessValue is one assessee's value of one indicator: Num over Volume for a rate,
// Num itself for a count or a manual score. Value is nil when there is nothing to
// measure (no volume, no manual score given).
type AssessValue struct {
	Num    float64  `json:"num"`
	Volume int64    `json:"volume"`
	Value  *float64 `json:"value"`
	Note   string   `json:"note,omitempty"` // a manual score's reason, an appeal's correction
}

// RateValue is the value of a rate: num / volume, nil without volume.
func RateValue(num float64, volume int64) AssessValue {
	v := AssessValue{Num: num, Volume: volume}
	if volume > 0 {
		r := num / float64(volume)
		v.Value = &r
	}
	return v
}

// CountValue is the value of a count over a volume (events among cases received).
func CountValue(num float64, volume int64) AssessValue {
	return AssessValue{Num: num, Volume: volume, Value: &num}
}

// Assessee is who is scored: a region (street, community, grid) or an org.
type Assessee struct {
	Key  string `json:"key"` // region code or org code
	Name string `json:"name"`
}

// AssesseeValues is an assessee's values by indicator code.
type AssesseeValues struct {
	Assessee
	Values map[string]AssessValue `json:"values"`
}

// IndicatorScore is how one indicator scored for one assessee.
type IndicatorScore struct {
	Code   string      `json:"code"`
	Value  AssessValue `json:"value"`
	Scored bool        `json:"scored"` // false: below the minimum volume or no value
	Points float64     `json:"points"` // 0–100, 2 decimals
	Weight float64     `json:"weight"` // the weight it carried after redistribution
}

// AssessScore is an assessee's score in a period.
type AssessScore struct {
	Assessee
	Indicators []IndicatorScore `json:"indicators"`
	Scored     bool             `json:"scored"` // false: no indicator reached its minimum volume
	Total      float64          `json:"total"`  // 0–100, 2 decimals
	Rank       int              `json:"rank"`   // 1 best; ties share; 0 unscored
}

// round2 rounds to 2 decimals, half away from zero.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Score computes every assessee's score under sys from its values.
//
// An indicator is scored for an assessee when it has a value and its volume reaches
// the indicator's MinVolume. An indicator not scored does not count as 0: its weight
// is redistributed over the assessee's scored indicators in proportion to their
// weights (the total is Σ weight × points / Σ scored weight), so a community with no
// visits is judged on what it did; IndicatorScore.Weight shows the weight each carried.
// An assessee with no scored indicator is listed as unscored and not ranked (a
// department with one case does not top the table).
//
// Rank-rule indicators rank the assessees that scored on them; the ranking of totals
// is standard competition ranking (1, 2, 2, 4) on totals to 2 decimals, ties listed
// by key.
func Score(sys AssessSystem, vals []AssesseeValues) []AssessScore {
	rankPoints := make([]map[string]float64, len(sys.Indicators))
	for i, in := range sys.Indicators {
		if in.Rule == RuleRank {
			rankPoints[i] = rankRule(in, vals)
		}
	}
	out := make([]AssessScore, len(vals))
	for a, av := range vals {
		sc := AssessScore{Assessee: av.Assessee}
		var sumW, sumWP float64
		for i, in := range sys.Indicators {
			v := av.Values[in.Code]
			is := IndicatorScore{Code: in.Code, Value: v}
			if counts(in, v) {
				is.Scored = true
				if in.Rule == RuleRank {
					is.Points = rankPoints[i][av.Key]
				} else {
					is.Points = points(in, *v.Value)
				}
				sumW += in.Weight
				sumWP += in.Weight * is.Points
			}
			sc.Indicators = append(sc.Indicators, is)
		}
		if sumW > 0 {
			sc.Scored, sc.Total = true, round2(sumWP/sumW)
			var total float64
			for i := range sc.Indicators {
				total += sys.Indicators[i].Weight
			}
			for i := range sc.Indicators {
				if sc.Indicators[i].Scored {
					sc.Indicators[i].Weight = round2(sys.Indicators[i].Weight * total / sumW)
				}
			}
		}
		out[a] = sc
	}
	Rank(out)
	return out
}

// counts tells whether an indicator scores with a value: it has one and its volume
// reaches the minimum (a manual score is its own volume).
func counts(in Indicator, v AssessValue) bool {
	return v.Value != nil && (in.Source == SrcManual || v.Volume >= in.MinVolume)
}

// points scores a value under a linear, pass or deduct rule.
func points(in Indicator, v float64) float64 {
	switch in.Rule {
	case RuleLinear:
		p := (v - in.Floor) / (in.Target - in.Floor) * 100
		return round2(math.Max(0, math.Min(100, p)))
	case RulePass:
		if (in.Direction == HigherBetter && v >= in.Target) || (in.Direction == LowerBetter && v <= in.Target) {
			return 100
		}
		return 0
	case RuleDeduct:
		return round2(math.Max(0, 100-in.PerEvent*v))
	}
	return 0
}

// rankRule gives the points of a rank-rule indicator: the assessees it counts for,
// ranked best first (ties share the better rank r), score 100 × (n − r) / (n − 1); one
// alone scores 100.
func rankRule(in Indicator, vals []AssesseeValues) map[string]float64 {
	type kv struct {
		key string
		v   float64
	}
	var xs []kv
	for _, av := range vals {
		if v := av.Values[in.Code]; counts(in, v) {
			xs = append(xs, kv{av.Key, *v.Value})
		}
	}
	better := func(a, b float64) bool {
		if in.Direction == LowerBetter {
			return a < b
		}
		return a > b
	}
	out := map[string]float64{}
	n := len(xs)
	for _, x := range xs {
		r := 1
		for _, y := range xs {
			if better(y.v, x.v) {
				r++
			}
		}
		if n == 1 {
			out[x.key] = 100
		} else {
			out[x.key] = round2(100 * float64(n-r) / float64(n-1))
		}
	}
	return out
}

// Rank orders scores best first (unscored last, by key) and sets their ranks: equal
// totals share a rank and the next rank skips (1, 2, 2, 4).
func Rank(scores []AssessScore) {
	slices.SortStableFunc(scores, func(a, b AssessScore) int {
		if a.Scored != b.Scored {
			if a.Scored {
				return -1
			}
			return 1
		}
		if a.Total != b.Total {
			if a.Total > b.Total {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Key, b.Key)
	})
	for i := range scores {
		switch {
		case !scores[i].Scored:
			scores[i].Rank = 0
		case i > 0 && scores[i-1].Scored && scores[i-1].Total == scores[i].Total:
			scores[i].Rank = scores[i-1].Rank
		default:
			scores[i].Rank = i + 1
		}
	}
}

// RedBlack is the 红黑榜 of ranked scores: the top n (红榜) and the bottom n (黑榜,
// worst first) of the scored; an assessee tied with the last of a list joins it, and
// with fewer than 2n scored the lists share no one (the bottom takes what the top left).
func RedBlack(scores []AssessScore, n int) (red, black []AssessScore) {
	var scored []AssessScore
	for _, s := range scores {
		if s.Scored {
			scored = append(scored, s)
		}
	}
	if n <= 0 || len(scored) == 0 {
		return nil, nil
	}
	i := min(n, len(scored))
	for i < len(scored) && scored[i].Total == scored[i-1].Total {
		i++
	}
	red = scored[:i]
	rest := scored[i:]
	j := max(0, len(rest)-n)
	for j > 0 && rest[j-1].Total == rest[j].Total {
		j--
	}
	for k := len(rest) - 1; k >= j; k-- {
		black = append(black, rest[k])
	}
	return red, black
}

// Exclusion (不合理诉求 or 免责) asks to leave a case out of named indicators; a leader
// decides, and an approved one is subtracted from the rollup figures of the assessees
// the case counts for.
type Exclusion struct {
	ID          int64          `json:"id"`
	CaseID      int64          `json:"case_id"`
	Kind        ExclusionKind  `json:"kind"`
	Sources     []AssessSource `json:"sources"` // the rollup sources it leaves the case out of
	Reason      string         `json:"reason"`
	Status      string         `json:"status"` // pending, approved, rejected
	RequestedBy int64          `json:"requested_by"`
	Requester   string         `json:"requester,omitempty"`
	RequestedAt time.Time      `json:"requested_at"`
	DecidedBy   int64          `json:"decided_by,omitempty"`
	Decider     string         `json:"decider,omitempty"`
	DecidedAt   *time.Time     `json:"decided_at,omitempty"`
	Note        string         `json:"note,omitempty"`
	// the case's facts, for the list and for scoring
	Region string `json:"region,omitempty"`
	Org    string `json:"org,omitempty"`
	Month  string `json:"month,omitempty"`
	CaseNo string `json:"case_no,omitempty"`
	Title  string `json:"title,omitempty"`
}

// ExclusionKind is why a case is left out.
type ExclusionKind string

const (
	Unreasonable ExclusionKind = "unreasonable" // 不合理诉求, marked by a dispatcher
	Exempt       ExclusionKind = "exempt"       // 免责, applied for by the lead department
)

// Exclusion statuses.
const (
	ExclusionPending  = "pending"
	ExclusionApproved = "approved"
	ExclusionRejected = "rejected"
)

// ValidateExclusion checks a request's kind, sources and reason.
func (e Exclusion) Validate() error {
	if e.Kind != Unreasonable && e.Kind != Exempt {
		return Invalidf("assess.exclusion_kind", "kind must be unreasonable or exempt")
	}
	if len(e.Sources) == 0 {
		return Invalidf("assess.exclusion_sources", "name the indicators' sources the case is left out of")
	}
	for _, s := range e.Sources {
		if !s.FromRollup() {
			return Invalidf("assess.exclusion_sources", "source %q is not a case figure: only %s", s, rollupSourceList())
		}
	}
	if strings.TrimSpace(e.Reason) == "" || len([]rune(e.Reason)) > 2000 {
		return Invalidf("assess.reason", "reason is required, at most 2000 characters")
	}
	return nil
}

func rollupSourceList() string {
	var xs []string
	for _, s := range AssessSources {
		if s.FromRollup() {
			xs = append(xs, string(s))
		}
	}
	return strings.Join(xs, ", ")
}

// Excludes tells whether the approved exclusion leaves its case out of source.
func (e Exclusion) Excludes(s AssessSource) bool {
	return e.Status == ExclusionApproved && slices.Contains(e.Sources, s)
}

// ExcludedValue is a rollup source's value for an assessee with the excluded cases'
// own tallies subtracted: st is the assessee's rollup statistic, tallies the current
// tallies of its cases approved for exclusion from src. The rollup holds each case's
// current tally, so subtracting it leaves exactly the rest.
func ExcludedValue(src AssessSource, st Stats, tallies []Tally) AssessValue {
	var ex Stats
	for _, t := range tallies {
		ex.Add(t)
	}
	num, vol, _ := src.StatsValue(st)
	xn, xv, _ := src.StatsValue(ex)
	if src.IsCount() {
		return CountValue(float64(num-xn), vol-xv)
	}
	return RateValue(float64(num-xn), vol-xv)
}

// RatingGrade is a street's rating of a department's report-in (吹哨报到评价).
type RatingGrade string

const (
	RatingSatisfied RatingGrade = "satisfied"    // 满意: 1
	RatingBasically RatingGrade = "basic"        // 基本满意: 0.5
	RatingNot       RatingGrade = "dissatisfied" // 不满意: 0
)

// Score is the grade's weight in the rating indicator.
func (g RatingGrade) Score() (float64, bool) {
	switch g {
	case RatingSatisfied:
		return 1, true
	case RatingBasically:
		return 0.5, true
	case RatingNot:
		return 0, true
	}
	return 0, false
}

// ReportInRating is one rating of one org's report-in on one whistled case.
type ReportInRating struct {
	ID      int64       `json:"id"`
	CaseID  int64       `json:"case_id"`
	Org     string      `json:"org"`
	Grade   RatingGrade `json:"grade"`  // effectiveness
	Timely  bool        `json:"timely"` // did they come in time
	Note    string      `json:"note"`
	RatedBy int64       `json:"rated_by"`
	RatedAt time.Time   `json:"rated_at"`
	Region  string      `json:"region,omitempty"` // the case's
	// Month is the month of the report-in rated (YYYY-MM): the period the rating counts
	// in, however late it is given
	Month string `json:"month,omitempty"`
}

// RatingPoints is a rating's value in the indicator: its grade's score, halved when
// the report-in was not timely (a satisfied but late report-in is worth 0.5).
func (r ReportInRating) RatingPoints() float64 {
	g, _ := r.Grade.Score()
	if !r.Timely {
		g /= 2
	}
	return g
}

// Period statuses: computed (a draft, read live), published (frozen snapshot).
const (
	PeriodDraft     = "draft"
	PeriodPublished = "published"
)

// AssessResult is a period's table: the values and scores, frozen when published.
type AssessResult struct {
	SystemID int64         `json:"system_id"`
	Period   string        `json:"period"`
	Status   string        `json:"status"`
	Version  int           `json:"version"` // 1 at first publication, +1 per republication
	AsOf     time.Time     `json:"as_of"`   // when the values were read
	Scores   []AssessScore `json:"scores"`
	// the published period's facts
	PublishedBy int64       `json:"published_by,omitempty"`
	PublishedAt *time.Time  `json:"published_at,omitempty"`
	AppealUntil string      `json:"appeal_until,omitempty"` // the last day to appeal
	Exclusions  []Exclusion `json:"exclusions,omitempty"`
}

// Values are the result's values by assessee, to score again (after an appeal).
func (r AssessResult) Values() []AssesseeValues {
	out := make([]AssesseeValues, len(r.Scores))
	for i, s := range r.Scores {
		vs := map[string]AssessValue{}
		for _, is := range s.Indicators {
			vs[is.Code] = is.Value
		}
		out[i] = AssesseeValues{Assessee: s.Assessee, Values: vs}
	}
	slices.SortFunc(out, func(a, b AssesseeValues) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Score finds an assessee's score.
func (r AssessResult) Score(key string) (AssessScore, bool) {
	for _, s := range r.Scores {
		if s.Key == key {
			return s, true
		}
	}
	return AssessScore{}, false
}

// Appeal (申诉) is an assessee's objection to one indicator of a published period.
type Appeal struct {
	ID        int64      `json:"id"`
	SystemID  int64      `json:"system_id"`
	Period    string     `json:"period"`
	Assessee  string     `json:"assessee"`
	Indicator string     `json:"indicator"`
	Reason    string     `json:"reason"`
	Status    string     `json:"status"` // pending, accepted, rejected
	FiledBy   int64      `json:"filed_by"`
	FiledAt   time.Time  `json:"filed_at"`
	DecidedBy int64      `json:"decided_by,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
	Decision  string     `json:"decision,omitempty"`
	// Corrected is the value an accepted appeal sets (num and volume: the value is
	// recomputed as the indicator's kind of value).
	Corrected *AssessValue `json:"corrected,omitempty"`
}

// Appeal statuses.
const (
	AppealPending  = "pending"
	AppealAccepted = "accepted"
	AppealRejected = "rejected"
)

// Correct applies an accepted appeal's corrected value to a frozen result and scores
// it again: the other assessees' values stay as frozen, so only the appealed value, the
// totals it enters (its own; everyone's on a rank-rule indicator) and the ranks move.
func (r AssessResult) Correct(sys AssessSystem, assessee, indicator string, v AssessValue) (AssessResult, error) {
	vals := r.Values()
	found := false
	for i := range vals {
		if vals[i].Key == assessee {
			if _, ok := vals[i].Values[indicator]; !ok {
				return r, Errorf(ENOTFOUND, "indicator %s not found", indicator)
			}
			vals[i].Values[indicator] = v
			found = true
		}
	}
	if !found {
		return r, Errorf(ENOTFOUND, "assessee %s not found in the period", assessee)
	}
	r.Scores = Score(sys, vals)
	r.Version++
	return r, nil
}

// ValueOf rebuilds a value of an indicator's source from a num and a volume.
func (in Indicator) ValueOf(num float64, volume int64) AssessValue {
	switch {
	case in.Source == SrcManual:
		v := CountValue(num, 1)
		return v
	case in.Source.IsCount():
		return CountValue(num, volume)
	}
	return RateValue(num, volume)
}

// AppealDeadline is the last day (YYYY-MM-DD) to appeal a period published at t: the
// n-th working day after t's day on cal.
func AppealDeadline(cal *Calendar, t time.Time, n int) string {
	d := midnight(t.In(China))
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		if cal.IsWorkday(d) {
			i++
		}
	}
	return d.Format("2006-01-02")
}

// AssessManages tells whether u defines indicator systems and enters manual scores
// over region: the region's leaders and administrators.
func AssessManages(u User, region string) bool { return RectManages(u, region) }

// AssessDecides tells whether u publishes periods and decides exclusions and appeals
// in region: the region's leaders.
func AssessDecides(u User, region string) bool {
	for _, g := range u.Grants {
		if g.Role == RoleLeader && Within(region, g.Region) {
			return true
		}
	}
	return false
}

// AssessReads tells whether u reads the tables of a system over region: who reads
// statistics over it, or within it (a community's leader reads the street's ranking of
// communities); the assessed departments' officers read published tables of theirs.
func AssessReads(u User, sys AssessSystem) bool {
	for _, sc := range ReadScopes(u) {
		if Within(sys.Region, sc) || Within(sc, sys.Region) {
			return true
		}
	}
	return sys.AssesseeKind == AssessDepartments && len(UserOrgs(u)) > 0
}

// AssessSpeaksFor tells whether u may appeal for an assessee of a kind: an officer of
// the department; a leader or dispatcher of the street or community; the grid's worker.
func AssessSpeaksFor(u User, kind AssesseeKind, key string) bool {
	for _, g := range u.Grants {
		switch kind {
		case AssessDepartments:
			if g.Role == RoleOfficer && g.Org == key {
				return true
			}
		case AssessGridWorkers:
			if g.Role == RoleGridWorker && g.Region == key {
				return true
			}
		default:
			if (g.Role == RoleLeader || g.Role == RoleDispatcher) && g.Region == key {
				return true
			}
		}
	}
	return false
}
