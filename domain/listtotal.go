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

// RollupTotal is the rollup's question for a list's total: the sum of one counter over
// the cells of one region, one dimension's value, and the months From to To.
type RollupTotal struct {
	Region     string
	Dim, Value string // "", "" for the region itself
	From, To   string // YYYY-MM, inclusive; "" for no bound
	Counter    string // one of CounterNames
}

// statusCounters are the statuses the rollup counts on their own: a case is counted in
// the counter while it is in the status (Case.Rollup).
var statusCounters = map[Status]string{StatusClosed: "closed", StatusRejected: "rejected", StatusMerged: "merged"}

// RollupTotal tells whether the rollup holds the number of cases f matches (in a
// reader's scope that covers f.Region whole: SeesAll), and which cells hold it.
func (f CaseFilter) RollupTotal() (RollupTotal, bool) {
	t := RollupTotal{Region: f.Region, Counter: "received"}
	if f.Org != "" || f.Q != "" || len(f.Window) > 0 || f.Overdue != nil || len(f.Status) > 1 {
		return t, false
	}
	if !slices.Contains(append(cellDepths, RollupDepth), len(f.Region)) {
		return t, false
	}
	if len(f.Status) == 1 {
		if t.Counter = statusCounters[f.Status[0]]; t.Counter == "" {
			return t, false
		}
	}
	switch f.Kind {
	case "":
	case "hazard":
		if len(f.Status) > 0 {
			return t, false // hazards are counted whatever their status
		}
		t.Counter = "hazards"
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
