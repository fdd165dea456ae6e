package domain

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want int
	}{
		{-time.Hour, 0},
		{0, 0},
		{15 * time.Minute, 0},
		{15*time.Minute + 59*time.Second, 0}, // whole minutes count
		{16 * time.Minute, 1},
		{30 * time.Minute, 1},
		{31 * time.Minute, 2},
		{time.Hour, 2},
		{2 * time.Hour, 3},
		{3*time.Hour + 30*time.Minute, 4},
		{8 * time.Hour, 5},
		{12 * time.Hour, 6},
		{24 * time.Hour, 7},
		{24*time.Hour + time.Minute, 8},
		{5 * 24 * time.Hour, 10},
		{60 * 24 * time.Hour, 15},
		{60*24*time.Hour + time.Minute, 16},
		{10 * 365 * 24 * time.Hour, 16},
		{math.MaxInt64, 16},
	}
	for _, tc := range cases {
		if got := Bucket(tc.d); got != tc.want {
			t.Errorf("Bucket(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
	for i := 1; i < len(DurationBuckets); i++ {
		if DurationBuckets[i] <= DurationBuckets[i-1] {
			t.Fatalf("DurationBuckets not increasing at %d", i)
		}
	}
}

func TestRollupTally(t *testing.T) {
	type scenario struct {
		name    string
		channel Channel
		kind    Kind
		run     func(w *world)
		status  Status
		org     string
		want    Tally
	}
	tally := func(tl Tally) Tally { tl.Received = 1; return tl }
	cases := []scenario{
		{name: "reported", run: func(w *world) {}, status: StatusReported,
			want: tally(Tally{AckBucket: -1, ResolveBucket: -1})},
		{name: "accepted", run: func(w *world) { w.at("2026-03-02 09:10"); w.do(uDispatcher, Command{Action: ActAccept}) },
			status: StatusAccepted, want: tally(Tally{Accepted: 1, AckBucket: -1, ResolveBucket: -1})},
		{name: "rejected after acceptance", run: func(w *world) {
			w.do(uDispatcher, Command{Action: ActAccept})
			w.do(uDispatcher, Command{Action: ActReject, Reason: "不属实"})
		}, status: StatusRejected, want: tally(Tally{Rejected: 1, AckBucket: -1, ResolveBucket: -1})},
		{name: "merged", run: func(w *world) { w.do(uDispatcher, Command{Action: ActMerge, Into: 2}) },
			status: StatusMerged, want: tally(Tally{Merged: 1, AckBucket: -1, ResolveBucket: -1})},
		{name: "on time all the way, satisfied, closed", org: "ORG_A", run: func(w *world) {
			w.at("2026-03-02 09:30")
			w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
			w.at("2026-03-02 09:50") // 20 minutes after dispatch
			w.do(uLead, Command{Action: ActAcknowledge})
			w.do(uLead, Command{Action: ActStart})
			w.at("2026-03-02 15:00") // 6 hours after the report
			w.do(uLead, Command{Action: ActResolve, Result: "ok"})
			w.at("2026-03-02 16:00")
			w.do(uDispatcher, Command{Action: ActVisit, Satisfaction: Satisfied})
			w.do(uDispatcher, Command{Action: ActClose})
		}, status: StatusClosed, want: tally(Tally{Accepted: 1, Dispatched: 1, Acked: 1, AckedOnTime: 1, Resolved: 1,
			ResolvedOnTime: 1, Closed: 1, Visited: 1, Satisfied: 1, AckBucket: 1, ResolveBucket: 5})},
		{name: "acked at the deadline itself, resolved at the deadline itself", org: "ORG_A", run: func(w *world) {
			w.at("2026-03-02 09:30")
			w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
			w.at("2026-03-02 11:30")
			w.do(uLead, Command{Action: ActAcknowledge})
			w.at("2026-03-05 09:30")
			w.do(uLead, Command{Action: ActResolve, Result: "ok"})
		}, status: StatusResolved, want: tally(Tally{Accepted: 1, Dispatched: 1, Acked: 1, AckedOnTime: 1, Resolved: 1,
			ResolvedOnTime: 1, AckBucket: 3, ResolveBucket: 10})}, // 120 min; 3 days 30 min
		{name: "late ack, late resolve, swept overdue, dissatisfied", org: "ORG_A", run: func(w *world) {
			w.at("2026-03-02 09:30")
			w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
			w.at("2026-03-02 12:00")
			w.sweep(tCounty)
			w.at("2026-03-02 13:00") // 210 minutes after dispatch
			w.do(uLead, Command{Action: ActAcknowledge})
			w.at("2026-03-05 10:00")
			w.sweep(tCounty)
			w.at("2026-03-06 10:00") // 4 days 1 hour after the report
			w.do(uLead, Command{Action: ActResolve, Result: "ok"})
			w.do(uDispatcher, Command{Action: ActVisit, Satisfaction: Dissatisfied})
		}, status: StatusResolved, want: tally(Tally{Accepted: 1, Dispatched: 1, Acked: 1, Resolved: 1, Visited: 1,
			Dissatisfied: 1, Overdue: 1, AckBucket: 4, ResolveBucket: 10})},
		{name: "late but never swept still counts overdue", org: "ORG_A", run: func(w *world) {
			w.at("2026-03-02 09:30")
			w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
			w.at("2026-03-02 11:31")
			w.do(uLead, Command{Action: ActAcknowledge})
		}, status: StatusAcknowledged, want: tally(Tally{Accepted: 1, Dispatched: 1, Acked: 1, Overdue: 1, AckBucket: 4, ResolveBucket: -1})}, // 121 min
		{name: "returned twice, basically satisfied hazard from the 办不成事 window", org: "ORG_A",
			channel: "cannot_do_window", kind: "hazard", run: func(w *world) {
				for i := 0; i < 2; i++ {
					w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
					w.do(uLead, Command{Action: ActReturn, Reason: "非本单位"})
				}
				w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
				w.do(uLead, Command{Action: ActAcknowledge})
				w.do(uLead, Command{Action: ActResolve, Result: "ok"})
				w.do(uGrid, Command{Action: ActVerify})
				w.do(uDispatcher, Command{Action: ActVisit, Satisfaction: BasicallySatisfied})
			}, status: StatusVerified, want: tally(Tally{Accepted: 1, Dispatched: 1, Acked: 1, AckedOnTime: 1, Resolved: 1,
				ResolvedOnTime: 1, Visited: 1, BasicallySatisfied: 1, Returned: 2, CannotDo: 1, Hazards: 1,
				AckBucket: 0, ResolveBucket: 0})},
		{name: "returned and waiting", org: "ORG_A", run: func(w *world) {
			w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
			w.do(uLead, Command{Action: ActReturn, Reason: "非本单位"})
		}, status: StatusReturned, want: tally(Tally{Accepted: 1, Dispatched: 1, Returned: 1, AckBucket: -1, ResolveBucket: -1})},
		{name: "overdue only by a missed report-in", run: func(w *world) {
			w.do(uDispatcher, Command{Action: ActAccept})
			w.do(uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_C"}, Hours: 1})
			w.at("2026-03-02 11:00")
			w.sweep("")
		}, status: StatusAccepted, want: tally(Tally{Accepted: 1, Overdue: 1, AckBucket: -1, ResolveBucket: -1})},
		{name: "resolved then reopened", org: "ORG_A", run: func(w *world) {
			w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
			w.do(uLead, Command{Action: ActAcknowledge})
			w.do(uLead, Command{Action: ActResolve, Result: "ok"})
			w.do(uReporter, Command{Action: ActReopen, Note: "没修好"})
		}, status: StatusInProgress, want: tally(Tally{Accepted: 1, Dispatched: 1, Acked: 1, AckedOnTime: 1, AckBucket: 0, ResolveBucket: -1})},
	}
	var sum Stats
	sum.AckHist, sum.ResolveHist = make([]int64, len(DurationBuckets)), make([]int64, len(DurationBuckets))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := &world{t: t, cal: testCal(), matter: testMatter, now: cst("2026-03-02 09:00"), c: Case{ID: 1}}
			n := newCaseInput(tBuilding)
			if tc.channel != "" {
				n.Channel = tc.channel
			}
			if tc.kind != "" {
				n.Kind = tc.kind
			}
			w.apply(Intake(uReporter, n, "WS-1", w.matter, w.now))
			target := Fold(2, []Event{Intake(uCitizen, newCaseInput(tBuilding), "WS-2", w.matter, w.now)})
			w.into = &target
			tc.run(w)
			if w.c.Status != tc.status {
				t.Fatalf("scenario ended %s, want %s", w.c.Status, tc.status)
			}
			k, got := w.c.Rollup()
			wantKey := RollupKey{Day: "2026-03-02", Region: tBuilding, Org: tc.org, Matter: "M01", Channel: n.Channel}
			if k != wantKey {
				t.Errorf("key %+v, want %+v", k, wantKey)
			}
			want := tc.want // and the case counted in its open status's counter
			if i := slices.Index(OpenStatuses[:], tc.status); i >= 0 {
				want.InStatus[i] = 1
			}
			if w.c.Overdue() {
				want.OverdueNow = 1
			}
			if got != want {
				t.Errorf("tally\n got %+v\nwant %+v", got, want)
			}
			// the rollup adds tallies up column by column
			for i, p := range got.Counters() {
				*sum.Counters()[i] += *p
			}
			if got.AckBucket >= 0 {
				sum.AckHist[got.AckBucket]++
			}
			if got.ResolveBucket >= 0 {
				sum.ResolveHist[got.ResolveBucket]++
			}
		})
	}
	sum.Finish()
	if sum.Received != int64(len(cases)) || sum.Returned != 3 || sum.Visited != 3 || sum.Dispatched != 7 {
		t.Fatalf("summed stats %+v", sum)
	}
	// 7 dispatched: 4 acked on time; 4 resolved (3 on time); 3 visited, 2 satisfied or basically
	// 4/7, 4/7, 3/4 and 2/3 as Ratio rounds them
	checkRate(t, "response", sum.ResponseRate, 0.571)
	checkRate(t, "resolution", sum.ResolutionRate, 0.571)
	checkRate(t, "on time", sum.OnTimeRate, 0.75)
	checkRate(t, "satisfaction", sum.SatisfactionRate, 0.667)
}

func checkRate(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil || *got != want {
		t.Errorf("%s rate %v, want %v", name, deref(got), want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRollupDayIsChinaDate(t *testing.T) {
	// 23:00 UTC on 2 March is 07:00 on 3 March in China
	e := Intake(uReporter, newCaseInput(tBuilding), "WS-1", testMatter, time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC))
	c := Fold(1, []Event{e})
	if k, _ := c.Rollup(); k.Day != "2026-03-03" {
		t.Fatalf("rollup day %s, want the China date 2026-03-03", k.Day)
	}
}

func TestCountersLineUp(t *testing.T) {
	var tl Tally
	var s Stats
	if len(tl.Counters()) != len(CounterNames) || len(s.Counters()) != len(CounterNames) {
		t.Fatalf("%d tally counters, %d stats counters, %d names", len(tl.Counters()), len(s.Counters()), len(CounterNames))
	}
	for i, p := range tl.Counters() {
		*p = int64(i + 1)
	}
	for i, p := range s.Counters() {
		*p = *tl.Counters()[i]
	}
	// by name, so a reordering of one list and not the other shows
	want := map[string]int64{}
	for i, n := range CounterNames {
		want[n] = int64(i + 1)
	}
	got := map[string]int64{"received": s.Received, "accepted": s.Accepted, "rejected": s.Rejected, "merged": s.Merged,
		"dispatched": s.Dispatched, "acked": s.Acked, "acked_on_time": s.AckedOnTime, "resolved": s.Resolved,
		"resolved_on_time": s.ResolvedOnTime, "closed": s.Closed, "visited": s.Visited, "satisfied": s.Satisfied,
		"basically_satisfied": s.BasicallySatisfied, "dissatisfied": s.Dissatisfied, "returned": s.Returned,
		"overdue": s.Overdue, "cannot_do": s.CannotDo, "hazards": s.Hazards, "answered": s.Answered,
		"reworked": s.Reworked, "extended": s.Extended}
	for i, st := range OpenStatuses {
		got["st_"+string(st)] = s.InStatus[i]
	}
	got["overdue_now"] = s.OverdueNow
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("counters by name\n got %v\nwant %v", got, want)
	}
	gotT := map[string]int64{"received": tl.Received, "accepted": tl.Accepted, "rejected": tl.Rejected, "merged": tl.Merged,
		"dispatched": tl.Dispatched, "acked": tl.Acked, "acked_on_time": tl.AckedOnTime, "resolved": tl.Resolved,
		"resolved_on_time": tl.ResolvedOnTime, "closed": tl.Closed, "visited": tl.Visited, "satisfied": tl.Satisfied,
		"basically_satisfied": tl.BasicallySatisfied, "dissatisfied": tl.Dissatisfied, "returned": tl.Returned,
		"overdue": tl.Overdue, "cannot_do": tl.CannotDo, "hazards": tl.Hazards, "answered": tl.Answered,
		"reworked": tl.Reworked, "extended": tl.Extended}
	for i, st := range OpenStatuses {
		gotT["st_"+string(st)] = tl.InStatus[i]
	}
	gotT["overdue_now"] = tl.OverdueNow
	if !reflect.DeepEqual(gotT, want) {
		t.Fatalf("tally counters by name\n got %v\nwant %v", gotT, want)
	}
}

func TestStatsFinish(t *testing.T) {
	var empty Stats
	empty.Finish()
	if empty.ResponseRate != nil || empty.ResolutionRate != nil || empty.OnTimeRate != nil || empty.SatisfactionRate != nil ||
		empty.MedianAckMinutes != nil || empty.MedianResolveHours != nil {
		t.Fatalf("empty stats are not all null: %+v", empty)
	}
	s := Stats{Dispatched: 4, AckedOnTime: 3, Resolved: 2, ResolvedOnTime: 1, Visited: 4, Satisfied: 2, BasicallySatisfied: 1, Dissatisfied: 1}
	s.Finish()
	checkRate(t, "response", s.ResponseRate, 0.75)
	checkRate(t, "resolution", s.ResolutionRate, 0.5)
	checkRate(t, "on time", s.OnTimeRate, 0.5)
	checkRate(t, "satisfaction", s.SatisfactionRate, 0.75)
	if s.MedianAckMinutes != nil || s.MedianResolveHours != nil {
		t.Fatalf("medians without histograms: %v %v", deref(s.MedianAckMinutes), deref(s.MedianResolveHours))
	}
	// dispatched but nothing resolved or visited: those rates stay null, the others are 0
	s = Stats{Dispatched: 3}
	s.Finish()
	checkRate(t, "response", s.ResponseRate, 0)
	checkRate(t, "resolution", s.ResolutionRate, 0)
	if s.OnTimeRate != nil || s.SatisfactionRate != nil {
		t.Fatalf("rates over nothing: %v %v", deref(s.OnTimeRate), deref(s.SatisfactionRate))
	}
}

func TestMedian(t *testing.T) {
	n := len(DurationBuckets)
	hist := func(kv ...int64) []int64 { // bucket, count, bucket, count...
		h := make([]int64, n)
		for i := 0; i+1 < len(kv); i += 2 {
			h[kv[i]] += kv[i+1]
		}
		return h
	}
	cases := []struct {
		name string
		h    []int64
		want *float64 // minutes; nil: null
	}{
		{"nil", nil, nil},
		{"all zero", hist(), nil},
		{"one in the first bucket", hist(0, 1), ptr(7.5)},  // 0..15, half-way
		{"four in the first bucket", hist(0, 4), ptr(7.5)}, //
		{"two and two", hist(0, 2, 1, 2), ptr(15.0)},       // the median sits at the first bucket's top
		{"one then three", hist(0, 1, 2, 3), ptr(40.0)},    // 30..60: 30 + 30·(2-1)/3
		{"one in 30..60", hist(2, 1), ptr(45.0)},           //
		{"skewed", hist(0, 1, 7, 1, 8, 1), ptr(1080.0)},    // half 1.5 falls in 720..1440 after 1 seen: 720 + 720·0.5
		{"the open last bucket", hist(16, 1), ptr(86400 * 1.5)},
	}
	for _, tc := range cases {
		s := Stats{AckHist: tc.h, ResolveHist: tc.h}
		s.Finish()
		if (s.MedianAckMinutes == nil) != (tc.want == nil) {
			t.Errorf("%s: median %v, want %v", tc.name, deref(s.MedianAckMinutes), deref(tc.want))
			continue
		}
		if tc.want == nil {
			if s.MedianResolveHours != nil {
				t.Errorf("%s: resolve median not null", tc.name)
			}
			continue
		}
		if math.Abs(*s.MedianAckMinutes-*tc.want) > 1e-9 {
			t.Errorf("%s: median ack %v minutes, want %v", tc.name, *s.MedianAckMinutes, *tc.want)
		}
		if math.Abs(*s.MedianResolveHours-*tc.want/60) > 1e-9 {
			t.Errorf("%s: median resolve %v hours, want %v", tc.name, *s.MedianResolveHours, *tc.want/60)
		}
	}
}

func TestRollupCells(t *testing.T) {
	key := func(region string) RollupKey {
		return RollupKey{Day: "2026-03-02", Region: region, Org: "LY-CGJ", Matter: "SR-001", Channel: Channel("grid_patrol")}
	}
	cases := []struct {
		region string
		want   []string // region/dim/value
	}{
		{"43", []string{"//", "/org/LY-CGJ", "/matter/SR-001", "/channel/grid_patrol",
			"43//", "43/org/LY-CGJ", "43/matter/SR-001", "43/channel/grid_patrol"}},
		{"431382001001001", []string{"//", "/org/LY-CGJ", "/matter/SR-001", "/channel/grid_patrol",
			"43//", "43/org/LY-CGJ", "43/matter/SR-001", "43/channel/grid_patrol",
			"4313//", "4313/org/LY-CGJ", "4313/matter/SR-001", "4313/channel/grid_patrol",
			"431382//", "431382/org/LY-CGJ", "431382/matter/SR-001", "431382/channel/grid_patrol",
			"431382001//", "431382001/org/LY-CGJ", "431382001/matter/SR-001", "431382001/channel/grid_patrol",
			"431382001001//", // a village by dimension is folded from its cases
			"431382001001001//"}},
	}
	for _, tc := range cases {
		var got []string
		for _, c := range key(tc.region).Cells() {
			if c.Month != "2026-03" {
				t.Errorf("%s: cell month %q", tc.region, c.Month)
			}
			got = append(got, c.Region+"/"+c.Dim+"/"+c.Value)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("cells of %s:\n got  %v\n want %v", tc.region, got, tc.want)
		}
	}
}

func TestFoldStats(t *testing.T) {
	at := func(day string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", day, China)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	ack := at("2026-03-02 10:00")
	cases := []*Case{
		{Region: "431382001001", Matter: "SR-001", LeadOrg: "LY-CGJ", Channel: Channel("grid_patrol"), Status: StatusClosed, CreatedAt: at("2026-03-02 09:00"),
			DispatchedAt: ptr(at("2026-03-02 09:30")), AckedAt: &ack, AckDue: ptr(at("2026-03-02 11:30")), Satisfaction: Satisfied},
		{Region: "431382001001", Matter: "SR-002", LeadOrg: "LY-CGJ", Channel: Channel("grid_patrol"), Status: StatusReported, CreatedAt: at("2026-03-31 23:59")},
		{Region: "431382001001", Matter: "SR-001", LeadOrg: "", Channel: Channel("grid_patrol"), Status: StatusRejected, CreatedAt: at("2026-04-01 00:00")},
		{Region: "431382001001", Matter: "SR-001", LeadOrg: "LY-ZJJ", Channel: Channel("grid_patrol"), Status: StatusReported, CreatedAt: at("2026-02-28 23:59")},
	}
	march := FoldStats(cases, "2026-03", "2026-03", "org")
	if len(march) != 1 || march[0].Group != "LY-CGJ" || march[0].Received != 2 || march[0].Dispatched != 1 || march[0].Acked != 1 ||
		march[0].AckedOnTime != 1 || march[0].Closed != 1 || march[0].Visited != 1 || march[0].Satisfied != 1 {
		t.Fatalf("March by org: %+v", march)
	}
	if r := march[0].ResponseRate; r == nil || *r != 1 {
		t.Errorf("March response rate %v, want 1 (Finish ran)", r)
	}
	if m := march[0].MedianAckMinutes; m == nil || *m <= 15 || *m > 30 {
		t.Errorf("March median acknowledgement %v minutes, want in the 16–30 bucket", m)
	}
	spring := FoldStats(cases, "2026-02", "2026-04", "org")
	var groups []string
	for _, s := range spring {
		groups = append(groups, s.Group)
	}
	if want := []string{"", "LY-CGJ", "LY-ZJJ"}; !reflect.DeepEqual(groups, want) {
		t.Errorf("Feb–Apr groups %v, want %v in order", groups, want)
	}
	if total := FoldStats(cases, "2026-02", "2026-04", ""); len(total) != 1 || total[0].Received != 4 || total[0].Rejected != 1 {
		t.Errorf("Feb–Apr total %+v", total)
	}
}
