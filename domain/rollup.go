package domain

import (
	"slices"
	"strings"
	"time"
)

// RollupKey is the grain of the statistics rollup: a case counts on the day it was
// received, in its region, for its lead org, matter and channel.
type RollupKey struct {
	Day     string // YYYY-MM-DD in China
	Region  string
	Org     string
	Matter  string
	Channel Channel
}

// RollupCell is one row of the statistics rollup: a month, a region at one level of
// the tree, and a dimension ("" for the region itself, org, matter or channel) with its
// value. A query reads the cells of one region (or of its children) for its months, so
// its cost follows months × groups, never cases.
type RollupCell struct {
	Month  string // YYYY-MM
	Region string
	Dim    string
	Value  string
}

// cellDepths are the region levels the rollup keeps: the country (""), province, city,
// county, town and village; grids too for by=region of a village.
var cellDepths = []int{0, 2, 4, 6, 9, 12}

// RollupDepth is the longest region code the rollup counts cases under (grids, for the
// region itself only).
const RollupDepth = 15

// DimDepth is the longest region code the rollup keeps by org, matter and channel. A
// village's cells by those dimensions hold a case or two each and were most of the
// rollup's rows, yet a village receives a few hundred cases a year: its statistics by
// dimension are folded from its cases instead (FoldStats).
const DimDepth = 9

// rollupDims are the dimensions a statistic groups cases by, besides the region.
var rollupDims = []string{"org", "matter", "channel"}

// CellDepths are the lengths of the region codes the rollup keeps cells of: cellDepths,
// then RollupDepth (grids, for the region itself only).
func CellDepths() []int { return append(slices.Clip(cellDepths), RollupDepth) }

// RollupDims are the dimensions the rollup keeps cells of besides the region itself.
func RollupDims() []string { return slices.Clone(rollupDims) }

// Cells lists the rollup rows a case with this key counts in.
func (k RollupKey) Cells() []RollupCell {
	month := k.Day[:7]
	var out []RollupCell
	for _, d := range append(cellDepths, RollupDepth) {
		if d > len(k.Region) {
			break
		}
		r := k.Region[:d]
		out = append(out, RollupCell{month, r, "", ""})
		if d > DimDepth {
			continue
		}
		for _, dim := range rollupDims {
			out = append(out, RollupCell{month, r, dim, k.Value(dim)})
		}
	}
	return out
}

// Value is the key's group in a dimension: its org, matter or channel ("" for none).
func (k RollupKey) Value(dim string) string {
	switch dim {
	case "org":
		return k.Org
	case "matter":
		return k.Matter
	case "channel":
		return string(k.Channel)
	}
	return ""
}

// Tally is one case's contribution to the rollup. The store keeps, per key, the sum of
// the tallies of its cases; each change of a case subtracts the old tally and adds the
// new one in the same transaction, so the rollup never drifts from the cases and a
// statistic costs the number of keys, not of cases.
type Tally struct {
	Received, Accepted, Rejected, Merged, Dispatched   int64
	Acked, AckedOnTime, Resolved, ResolvedOnTime       int64
	Closed, Visited, Satisfied, BasicallySatisfied     int64
	Dissatisfied, Returned, Overdue, CannotDo, Hazards int64
	Answered                                           int64 // 直接答复办结: closed on the call, never dispatched
	// Reworked: resolved and sent back for rework (发回重办: reopened after its resolution)
	// at least once before, so a case counts in it only while it counts in Resolved (a
	// case being reworked now counts again when it is resolved again). Extended: the
	// current dispatch's resolve deadline was extended (延期), counted for the lead org
	// that asked; a return and a new dispatch start a new deadline.
	Reworked, Extended int64
	// InStatus counts the case in its status while it is in it, one counter for each
	// of OpenStatuses (closed, rejected and merged have theirs above): a status tab's
	// total is then read from the rollup, not counted.
	InStatus [len(OpenStatuses)]int64
	// OverdueNow: a deadline of the case is past and flagged now (Case.Overdue, the
	// flag the lists filter on), unlike Overdue, which keeps a deadline missed ever.
	OverdueNow int64
	// AckBucket and ResolveBucket index DurationBuckets (-1: no duration yet).
	AckBucket, ResolveBucket int
}

// Counters lists the tally's counters in a fixed order, the order of the rollup's columns.
func (t *Tally) Counters() []*int64 {
	return []*int64{&t.Received, &t.Accepted, &t.Rejected, &t.Merged, &t.Dispatched, &t.Acked, &t.AckedOnTime,
		&t.Resolved, &t.ResolvedOnTime, &t.Closed, &t.Visited, &t.Satisfied, &t.BasicallySatisfied,
		&t.Dissatisfied, &t.Returned, &t.Overdue, &t.CannotDo, &t.Hazards, &t.Answered, &t.Reworked, &t.Extended,
		&t.InStatus[0], &t.InStatus[1], &t.InStatus[2], &t.InStatus[3], &t.InStatus[4], &t.InStatus[5], &t.InStatus[6],
		&t.InStatus[7], &t.InStatus[8], &t.OverdueNow}
}

// OpenStatuses are the statuses the rollup counts cases in while they are in them
// (Tally.InStatus), in the order of their counters.
var OpenStatuses = [...]Status{StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress,
	StatusResolved, StatusVerified, StatusReturned, StatusSuspended}

// CounterNames are the rollup's column names, in Counters order.
var CounterNames = []string{"received", "accepted", "rejected", "merged", "dispatched", "acked", "acked_on_time",
	"resolved", "resolved_on_time", "closed", "visited", "satisfied", "basically_satisfied",
	"dissatisfied", "returned", "overdue", "cannot_do", "hazards", "answered", "reworked", "extended",
	"st_reported", "st_accepted", "st_dispatched", "st_acknowledged", "st_in_progress", "st_resolved", "st_verified",
	"st_returned", "st_suspended", "overdue_now"}

// DurationBuckets are the upper bounds, in minutes, of the duration histogram the
// rollup keeps for median times; the last bucket is open.
var DurationBuckets = []int{15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 7200, 10080, 14400, 21600, 43200, 86400, 1 << 30}

// Bucket tells which duration bucket d falls in.
func Bucket(d time.Duration) int {
	m := int(d / time.Minute)
	for i, b := range DurationBuckets {
		if m <= b {
			return i
		}
	}
	return len(DurationBuckets) - 1
}

// Rollup tells where c counts and what it adds there.
func (c *Case) Rollup() (RollupKey, Tally) {
	k := RollupKey{Day: c.CreatedAt.In(China).Format("2006-01-02"), Region: c.Region, Org: c.LeadOrg, Matter: c.Matter, Channel: c.Channel}
	t := Tally{Received: 1, AckBucket: -1, ResolveBucket: -1}
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	t.Rejected, t.Merged = b(c.Status == StatusRejected), b(c.Status == StatusMerged)
	t.Accepted = b(c.Status != StatusReported && t.Rejected == 0 && t.Merged == 0)
	t.Dispatched = b(c.DispatchedAt != nil)
	t.Acked = b(c.AckedAt != nil)
	t.AckedOnTime = b(c.AckedAt != nil && c.AckDue != nil && !c.AckedAt.After(*c.AckDue))
	t.Resolved = b(c.ResolvedAt != nil)
	t.ResolvedOnTime = b(c.ResolvedAt != nil && c.ResolveDue != nil && !c.ResolvedAt.After(*c.ResolveDue))
	t.Closed = b(c.Status == StatusClosed)
	t.Visited = b(c.Satisfaction != "")
	t.Satisfied, t.BasicallySatisfied, t.Dissatisfied = b(c.Satisfaction == Satisfied), b(c.Satisfaction == BasicallySatisfied), b(c.Satisfaction == Dissatisfied)
	t.Returned = int64(c.Returns)
	// overdue: a deadline missed, whether the sweeper saw it pass or the work came late
	t.Overdue = b(c.Overdue() || (c.AckedAt != nil && c.AckDue != nil && c.AckedAt.After(*c.AckDue)) ||
		(c.ResolvedAt != nil && c.ResolveDue != nil && c.ResolvedAt.After(*c.ResolveDue)))
	t.CannotDo = b(c.Channel == "cannot_do_window")
	t.Hazards = b(c.Kind == "hazard")
	t.Answered = b(c.Answered())
	t.Reworked, t.Extended = b(c.Reopens > 0 && c.ResolvedAt != nil), b(c.Extended)
	for i, st := range OpenStatuses {
		t.InStatus[i] = b(c.Status == st)
	}
	t.OverdueNow = b(c.Overdue())
	if c.AckedAt != nil && c.DispatchedAt != nil {
		t.AckBucket = Bucket(c.AckedAt.Sub(*c.DispatchedAt))
	}
	if c.ResolvedAt != nil {
		t.ResolveBucket = Bucket(c.ResolvedAt.Sub(c.CreatedAt))
	}
	return k, t
}

// Stats is a statistic over a group of cases, read from the rollup.
type Stats struct {
	Group              string `json:"group"`
	Name               string `json:"name,omitempty"`
	Received           int64  `json:"received"`
	Accepted           int64  `json:"accepted"`
	Rejected           int64  `json:"rejected"`
	Merged             int64  `json:"merged"`
	Dispatched         int64  `json:"dispatched"`
	Acked              int64  `json:"acknowledged"`
	AckedOnTime        int64  `json:"acknowledged_on_time"`
	Resolved           int64  `json:"resolved"`
	ResolvedOnTime     int64  `json:"resolved_on_time"`
	Closed             int64  `json:"closed"`
	Visited            int64  `json:"visited"`
	Satisfied          int64  `json:"satisfied"`
	BasicallySatisfied int64  `json:"basically_satisfied"`
	Dissatisfied       int64  `json:"dissatisfied"`
	Returned           int64  `json:"returned"`
	Overdue            int64  `json:"overdue"`
	CannotDo           int64  `json:"cannot_do"`
	Hazards            int64  `json:"hazards"`
	Answered           int64  `json:"answered"` // 直接答复办结, counted apart: never dispatched, so in no rate
	Reworked           int64  `json:"reworked"` // resolved after being sent back for rework (Tally.Reworked)
	Extended           int64  `json:"extended"` // the current dispatch's deadline extended (Tally.Extended)
	// InStatus: the cases in each of OpenStatuses now (Tally.InStatus), for list totals
	InStatus           [len(OpenStatuses)]int64 `json:"-"`
	OverdueNow         int64                    `json:"-"`                    // flagged overdue now (Tally.OverdueNow), for list totals
	ResponseRate       *float64                 `json:"response_rate"`        // 响应率: acknowledged on time / dispatched
	ResolutionRate     *float64                 `json:"resolution_rate"`      // 解决率: resolved / dispatched
	OnTimeRate         *float64                 `json:"on_time_rate"`         // resolved on time / resolved
	SatisfactionRate   *float64                 `json:"satisfaction_rate"`    // 满意率: (satisfied + basically) / visited
	MedianAckMinutes   *float64                 `json:"median_ack_minutes"`   // dispatch → acknowledgement
	MedianResolveHours *float64                 `json:"median_resolve_hours"` // report → resolution
	AckHist            []int64                  `json:"-"`
	ResolveHist        []int64                  `json:"-"`
}

// Counters lists the statistic's counters in Tally.Counters order.
func (s *Stats) Counters() []*int64 {
	return []*int64{&s.Received, &s.Accepted, &s.Rejected, &s.Merged, &s.Dispatched, &s.Acked, &s.AckedOnTime,
		&s.Resolved, &s.ResolvedOnTime, &s.Closed, &s.Visited, &s.Satisfied, &s.BasicallySatisfied,
		&s.Dissatisfied, &s.Returned, &s.Overdue, &s.CannotDo, &s.Hazards, &s.Answered, &s.Reworked, &s.Extended,
		&s.InStatus[0], &s.InStatus[1], &s.InStatus[2], &s.InStatus[3], &s.InStatus[4], &s.InStatus[5], &s.InStatus[6],
		&s.InStatus[7], &s.InStatus[8], &s.OverdueNow}
}

// Add counts one case's tally in the statistic.
func (s *Stats) Add(t Tally) {
	if s.AckHist == nil {
		s.AckHist, s.ResolveHist = make([]int64, len(DurationBuckets)), make([]int64, len(DurationBuckets))
	}
	sums := s.Counters()
	for i, p := range t.Counters() {
		*sums[i] += *p
	}
	if t.AckBucket >= 0 {
		s.AckHist[t.AckBucket]++
	}
	if t.ResolveBucket >= 0 {
		s.ResolveHist[t.ResolveBucket]++
	}
}

// FoldStats computes from cases what the rollup would give for the months from to to
// (YYYY-MM, inclusive) grouped by dim (org, matter, channel or "" for one total), in
// group order and finished: statistics for a scope the rollup does not keep (a village
// by dimension) agree with those it does.
func FoldStats(cases []*Case, from, to, dim string) []Stats {
	byGroup := map[string]*Stats{}
	for _, c := range cases {
		k, t := c.Rollup()
		if month := k.Day[:7]; month < from || month > to {
			continue
		}
		g := k.Value(dim)
		s := byGroup[g]
		if s == nil {
			s = &Stats{Group: g}
			byGroup[g] = s
		}
		s.Add(t)
	}
	out := make([]Stats, 0, len(byGroup))
	for _, s := range byGroup {
		s.Finish()
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Stats) int { return strings.Compare(a.Group, b.Group) })
	return out
}

// Finish computes the rates (Ratio: fractions to 3 decimals) and medians from the
// counters and histograms; a rate with nothing to divide by stays null rather than
// pretending to be 0% or 100%.
func (s *Stats) Finish() {
	s.ResponseRate = Ratio(s.AckedOnTime, s.Dispatched)
	s.ResolutionRate = Ratio(s.Resolved, s.Dispatched)
	s.OnTimeRate = Ratio(s.ResolvedOnTime, s.Resolved)
	s.SatisfactionRate = Ratio(s.Satisfied+s.BasicallySatisfied, s.Visited)
	s.MedianAckMinutes = median(s.AckHist, 1)
	s.MedianResolveHours = median(s.ResolveHist, 60)
}

// median estimates the median of a bucketed histogram by linear interpolation inside the
// bucket that holds it, in minutes divided by unit.
func median(hist []int64, unit float64) *float64 {
	var n int64
	for _, h := range hist {
		n += h
	}
	if n == 0 {
		return nil
	}
	half, seen := float64(n)/2, 0.0
	for i, h := range hist {
		if h == 0 {
			continue
		}
		if seen+float64(h) >= half {
			lo := 0.0
			if i > 0 {
				lo = float64(DurationBuckets[i-1])
			}
			hi := float64(DurationBuckets[i])
			if i == len(DurationBuckets)-1 {
				hi = lo * 2
			}
			m := (lo + (hi-lo)*(half-seen)/float64(h)) / unit
			return &m
		}
		seen += float64(h)
	}
	return nil
}

// StatsQuery selects cases received in the months from From to To (dates or months,
// inclusive: statistics are kept per month) in a region subtree, grouped by region (the
// region's children), org, matter or channel.
type StatsQuery struct {
	Region   string
	From, To string // YYYY-MM-DD or YYYY-MM
	By       string // region, org, matter, channel, or "" for one total
}

// GridCell is one grid's received and overdue counts in one month, for the dashboard's
// overdue heat map.
type GridCell struct {
	Region   string
	Month    string
	Received int64
	Overdue  int64
	Open     int64 // received in the month and not yet closed, rejected or merged
}

// ParseBound reads one end of a period as a person or a link writes it: a day
// (YYYY-MM-DD) or a month (YYYY-MM), in China time, or an RFC 3339 time. A start is the
// first instant of its day or month; an end (end true) is the instant after its last,
// so a period [from, to) holds the whole of both. "" is no bound (nil).
func ParseBound(v string, end bool) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, China); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return &t, nil
	}
	if t, err := time.ParseInLocation("2006-01", v, China); err == nil {
		if end {
			t = t.AddDate(0, 1, 0)
		}
		return &t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	return nil, Errorf(EINVALID, "time %q must be YYYY-MM-DD, YYYY-MM or RFC 3339", v)
}

// StatsMonths gives the whole months statistics cover for a period asked as months or
// days (statistics are kept per month): the first day of from's month and the last day
// of to's, as YYYY-MM-DD. Empty ends default to the twelve months up to now's.
func StatsMonths(from, to string, now time.Time) (first, last string, err error) {
	now = now.In(China)
	if from == "" {
		from = now.AddDate(0, -11, 0).Format("2006-01")
	}
	if to == "" {
		to = now.Format("2006-01")
	}
	f, err1 := monthOf(from)
	l, err2 := monthOf(to)
	if err1 != nil || err2 != nil || l.Before(f) {
		return "", "", Errorf(EINVALID, "from and to must be months YYYY-MM or dates YYYY-MM-DD, from not after to")
	}
	return f.Format("2006-01-02"), l.AddDate(0, 1, -1).Format("2006-01-02"), nil
}

// monthOf reads YYYY-MM or YYYY-MM-DD and gives the first day of its month.
func monthOf(v string) (time.Time, error) {
	if len(v) == len("2006-01-02") {
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return time.Time{}, err
		}
		v = v[:7]
	}
	return time.Parse("2006-01", v)
}
