package domain

import (
	"sort"
	"strings"
	"time"
)

// Leader actions (领导督办): a leader of the case's region supervises it (督办: an
// instruction to the lead org with a deadline, shown on the case and in the org's
// inbox, counted in the supervision statistics, flagged by the sweeper when it passes
// with the case not resolved) or instructs on it (批示: a text on the timeline, sent to
// the lead org). Both are events through Decide like every other action.

// Supervision is the running 督办 of a case, the latest a leader gave: a newer one
// replaces it (the older stays on the timeline).
type Supervision struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	ByID    int64     `json:"by_id,omitempty"`
	Text    string    `json:"text"`
	Due     time.Time `json:"due"`
	Overdue bool      `json:"overdue"` // the deadline passed with the case not resolved (the sweeper)
}

// SupervisionMet tells whether the case was resolved by its supervision's deadline.
func (c *Case) SupervisionMet() bool {
	return c.Supervision != nil && c.ResolvedAt != nil && !c.ResolvedAt.After(c.Supervision.Due)
}

// leaderOf tells whether u leads in c's region.
func leaderOf(u User, c *Case) bool {
	for _, g := range u.Grants {
		if g.Role == RoleLeader && Within(c.Region, g.Region) {
			return true
		}
	}
	return false
}

func byLeader(u User, c *Case, _ Command) bool { return leaderOf(u, c) }

// supervisable are the statuses a case can be supervised in: it runs and is not yet
// resolved (a case still to dispatch is supervised too: 办不成事 arrives so).
var supervisable = []Status{StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress,
	StatusReturned, StatusSuspended}

// instructable are the statuses a leader may instruct on: all but a case that ended.
var instructable = []Status{StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress,
	StatusResolved, StatusVerified, StatusReturned, StatusSuspended}

// leaderText is the instruction of a supervise or instruct: required, at most 2000
// characters.
func (d decision) leaderText(e *Event) error {
	text := strings.TrimSpace(d.cmd.Note)
	if text == "" {
		return Errorf(EINVALID, "%s needs note: the leader's instruction", d.cmd.Action)
	}
	if len([]rune(text)) > 2000 {
		return Errorf(EINVALID, "note is longer than 2000 characters")
	}
	e.Note = text
	return nil
}

// decideSupervise gives the lead org a deadline: working_days on the calendar from now
// (1 to 60), or until, a time after now; one of the two.
func decideSupervise(d decision, e *Event) error {
	if err := d.leaderText(e); err != nil {
		return err
	}
	days, until := d.cmd.WorkingDays, d.cmd.Until
	if (days == 0) == (until == nil) || days < 0 || days > 60 {
		return Errorf(EINVALID, "supervise needs working_days (1 to 60) or until, not both")
	}
	var due time.Time
	if until != nil {
		due = until.Truncate(time.Second)
		if !due.After(d.now) {
			return Errorf(EINVALID, "until must be after now")
		}
	} else {
		due = d.env.Cal.Due(d.now, Deadline{N: days, Unit: UnitDay})
	}
	e.Data.SuperviseDue, e.Data.WorkingDays = &due, days
	return nil
}

// decideInstruct puts the leader's instruction on the timeline.
func decideInstruct(d decision, e *Event) error { return d.leaderText(e) }

// SupervisionRow is what a statistic of supervisions counts of one case: its region,
// lead org and how its supervision stands.
type SupervisionRow struct {
	Region, Org string
	Met         bool // resolved by the deadline
	Overdue     bool // flagged by the sweeper
	Resolved    bool
}

// SupervisionCount is one row of the supervision statistics.
type SupervisionCount struct {
	Group      string   `json:"group"` // region code or org code; "" for all
	Name       string   `json:"name,omitempty"`
	Supervised int      `json:"supervised"`
	Met        int      `json:"met"`     // resolved within the supervision's deadline
	Overdue    int      `json:"overdue"` // the deadline passed with the case unresolved
	Running    int      `json:"running"` // neither resolved nor past the deadline yet
	MetRate    *float64 `json:"met_rate"`
}

// TallySupervisions counts rows in all, by the region one level under root and by lead
// org ("" for a case not yet dispatched), each list by group code.
func TallySupervisions(root string, rows []SupervisionRow) (all SupervisionCount, byRegion, byOrg []SupervisionCount) {
	regions, orgs := map[string]*SupervisionCount{}, map[string]*SupervisionCount{}
	child := ChildCodeLength(root)
	add := func(m map[string]*SupervisionCount, key string, r SupervisionRow) {
		c := m[key]
		if c == nil {
			c = &SupervisionCount{Group: key}
			m[key] = c
		}
		c.count(r)
	}
	for _, r := range rows {
		all.count(r)
		key := r.Region
		if child > 0 && len(key) >= child {
			key = key[:child]
		}
		add(regions, key, r)
		add(orgs, r.Org, r)
	}
	all.MetRate = Ratio(int64(all.Met), int64(all.Supervised))
	return all, sorted(regions), sorted(orgs)
}

func (c *SupervisionCount) count(r SupervisionRow) {
	c.Supervised++
	switch {
	case r.Met:
		c.Met++
	case r.Overdue || r.Resolved: // resolved, but after the deadline
		c.Overdue++
	default:
		c.Running++
	}
}

func sorted(m map[string]*SupervisionCount) []SupervisionCount {
	out := make([]SupervisionCount, 0, len(m))
	for _, c := range m {
		c.MetRate = Ratio(int64(c.Met), int64(c.Supervised))
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}
