package domain

import (
	"slices"
	"time"
)

// A list's total: the rollup holds it when every filter of the list is one of the
// rollup's dimensions (a region at one of its levels, whole months, at most one of lead
// org, matter and channel above DimDepth, and a status or kind the rollup counts);
// otherwise a count that stops at a bound.

// TotalCap is where a bounded count stops: a list past it reads "10,000+".
const TotalCap = 10000

// RollupTotal is the rollup's question for a list's total: the sum of some counters over
// the cells of one region, one dimension's value, and the months From to To.
type RollupTotal struct {
	Region     string
	Dim, Value string   // "", "" for the region itself
	From, To   string   // YYYY-MM, inclusive; "" for no bound
	Counters   []string // of CounterNames, summed
}

// statusCounters name the counter of each status: a case is counted in it while it is
// in the status (Case.Rollup), so a case is in exactly one.
var statusCounters = func() map[Status]string {
	m := map[Status]string{StatusClosed: "closed", StatusRejected: "rejected", StatusMerged: "merged"}
	for _, st := range OpenStatuses {
		m[st] = "st_" + string(st)
	}
	return m
}()

// RollupTotal tells whether the rollup holds the number of cases f matches (in a
// reader's scope that covers f.Region whole: SeesAll), and which cells hold it.
func (f CaseFilter) RollupTotal() (RollupTotal, bool) {
	t := RollupTotal{Region: f.Region, Counters: []string{"received"}}
	if f.Org != "" || f.Q != "" || len(f.Window) > 0 {
		return t, false
	}
	if !slices.Contains(append(cellDepths, RollupDepth), len(f.Region)) {
		return t, false
	}
	if len(f.Status) > 0 {
		t.Counters = nil
		for _, st := range f.Status {
			c := statusCounters[st]
			if c == "" {
				return t, false
			}
			if !slices.Contains(t.Counters, c) {
				t.Counters = append(t.Counters, c)
			}
		}
	}
	if f.Overdue != nil { // the cases flagged overdue now, whatever their status
		if !*f.Overdue || len(f.Status) > 0 || f.Kind != "" {
			return t, false
		}
		t.Counters = []string{"overdue_now"}
	}
	switch f.Kind {
	case "":
	case "hazard":
		if len(f.Status) > 0 {
			return t, false // hazards are counted whatever their status
		}
		t.Counters = []string{"hazards"}
	default:
		return t, false
	}
	for _, d := range []struct{ dim, value string }{{"org", f.Lead}, {"matter", f.Matter}, {"channel", f.Channel}} {
		if d.value == "" {
			continue
		}
		if t.Dim != "" || len(f.Region) > DimDepth {
			return t, false
		}
		t.Dim, t.Value = d.dim, d.value
	}
	var ok bool
	if t.From, ok = wholeMonth(f.From, false); !ok {
		return t, false
	}
	if t.To, ok = wholeMonth(f.To, true); !ok {
		return t, false
	}
	return t, true
}

// wholeMonth is the month a period's bound names when it falls on a month's first
// instant in China: the month itself for a start, the month before for an (exclusive)
// end; "" for no bound; false when the bound cuts a month.
func wholeMonth(b *time.Time, end bool) (string, bool) {
	if b == nil {
		return "", true
	}
	t := b.In(China)
	if t.Day() != 1 || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		return "", false
	}
	if end {
		t = t.AddDate(0, -1, 0)
	}
	return t.Format("2006-01"), true
}

// SeesAll tells whether u sees every case received in region's subtree: a grant that
// sees by region alone (not by org) over region or above it.
func SeesAll(u User, region string) bool {
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader, RoleDispatcher, RoleGridWorker, RoleBuildingHead:
			if Within(region, g.Region) {
				return true
			}
		}
	}
	return false
}

// WholeRegions are the regions u sees every case of (SeesAll), the outermost of each
// nest, when those regions and u's own reports are all that u's case list holds; false
// when a grant lets u see only some of a region's cases outside them (an officer's or
// an inspector's org), or u sees everything. The rollup then holds a list's total over
// u's whole scope but for u's own reports made outside those regions.
func WholeRegions(u User) ([]string, bool) {
	var whole []string
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader, RoleDispatcher, RoleGridWorker, RoleBuildingHead:
			whole = append(whole, g.Region)
		}
	}
	slices.SortFunc(whole, func(a, b string) int { return len(a) - len(b) })
	var out []string
	for _, r := range whole {
		if r == "" {
			return nil, false
		}
		if !slices.ContainsFunc(out, func(o string) bool { return Within(r, o) }) {
			out = append(out, r)
		}
	}
	for _, g := range u.Grants {
		if (g.Role == RoleOfficer || g.Role == RoleInspector) && !SeesAll(u, g.Region) {
			return nil, false
		}
	}
	return out, true
}
