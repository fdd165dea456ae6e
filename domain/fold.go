package domain

import (
	"sort"
	"time"
)

// Apply folds one event into the case. It is the only code that changes a case, so the
// row stored is always the fold of the events stored.
func (c *Case) Apply(e Event) {
	at := e.At
	c.Version++
	c.UpdatedAt = at
	c.Status = e.To
	d := e.Data
	switch e.Action {
	case ActReport:
		n, created := d.Intake, at
		if d.FoundAt != nil && d.FoundAt.Before(at) { // received when found; entered at at
			created = *d.FoundAt
		}
		*c = Case{ID: c.ID, Number: d.Number, Status: StatusReported, Version: 1, Matter: n.Matter, Title: n.Title,
			Description: n.Description, Region: n.Region, Lat: n.Lat, Lon: n.Lon, Address: n.Address,
			Channel: n.Channel, Kind: n.Kind, Priority: d.Priority, Reporter: n.Reporter, CoOrgs: []string{},
			Summons: []Summons{}, CreatedAt: created, UpdatedAt: at}
	case ActDispatch:
		c.LeadOrg, c.CoOrgs = d.Org, append([]string{}, d.CoOrgs...)
		c.AckDue, c.ResolveDue, c.DispatchedAt = d.AckDue, d.ResolveDue, &at
		c.AckedAt, c.OverdueAck, c.OverdueResolve, c.Extended, c.Extension, c.Escalated = nil, false, false, false, nil, ""
	case ActAcknowledge:
		c.AckedAt = &at
	case ActReturn:
		c.Returns++
		c.AckDue, c.ResolveDue, c.AckedAt, c.Extension = nil, nil, nil, nil
	case ActMerge:
		c.MergedInto = d.Into
	case ActWhistle:
		for _, o := range d.Orgs {
			s := Summons{Org: o, Due: d.Dues[o]}
			replaced := false
			for i := range c.Summons {
				if c.Summons[i].Org == o {
					c.Summons[i], replaced = s, true
				}
			}
			if !replaced {
				c.Summons = append(c.Summons, s)
			}
		}
	case ActReportIn:
		for i := range c.Summons {
			if c.Summons[i].Org == d.Org {
				c.Summons[i].ReportedAt = &at
			}
		}
	case ActResolve:
		c.Result, c.ResolvedAt, c.Extension = d.Result, &at, nil
		if c.AckedAt == nil { // resolving implies acknowledging
			c.AckedAt = &at
		}
	case ActReopen:
		c.Reopens++
		c.ResolvedAt, c.ClosedAt, c.Satisfaction = nil, nil, ""
	case ActVisit:
		c.Satisfaction = d.Satisfaction
	case ActClose:
		c.ClosedAt = &at
	case ActAnswer:
		c.Result, c.ClosedAt = d.Result, &at
	case ActExtendRequest:
		c.Extension = &Extension{WorkingDays: d.WorkingDays, Until: d.Until, Reason: e.Note, At: at}
	case ActExtend:
		c.ResolveDue, c.Extended, c.Extension, c.OverdueResolve = d.ResolveDue, true, nil, false
	case ActSuspend:
		c.Resume, c.SuspendedAt = e.From, &at
	case ActResume:
		c.Resume, c.SuspendedAt = "", nil
		c.AckDue, c.ResolveDue = d.AckDue, d.ResolveDue
		for i := range c.Summons {
			if due, ok := d.Dues[c.Summons[i].Org]; ok {
				c.Summons[i].Due = due
			}
		}
	case ActOverdueAck:
		c.OverdueAck = true
	case ActOverdueResolve:
		c.OverdueResolve = true
	case ActOverdueReportIn:
		for i := range c.Summons {
			if c.Summons[i].Org == d.Org {
				c.Summons[i].Overdue = true
			}
		}
	case ActEscalate:
		c.Escalated = d.Region
	case ActSupervise:
		c.Supervision = &Supervision{At: at, By: e.ActorName, ByID: e.ActorID, Text: e.Note, Due: *d.SuperviseDue}
	case ActOverdueSupervise:
		if c.Supervision != nil {
			c.Supervision.Overdue = true
		}
	}
}

// Fold rebuilds a case from its events; a test compares it with the stored row.
func Fold(id int64, events []Event) Case {
	c := Case{ID: id}
	for _, e := range events {
		c.Apply(e)
	}
	return c
}

// DeadlineKind names what a pending deadline is for.
type DeadlineKind string

const (
	DueAck       DeadlineKind = "ack"
	DueResolve   DeadlineKind = "resolve"
	DueReportIn  DeadlineKind = "report_in"
	DueSupervise DeadlineKind = "supervise" // a leader's supervision, until the case is resolved
)

// PendingDeadline is a deadline still running, the row the sweeper's index holds.
type PendingDeadline struct {
	Kind DeadlineKind
	Org  string
	Due  time.Time
}

// Pending lists the deadlines of c that are still running and not yet marked overdue.
// A suspended case has none: its clock is stopped.
func (c *Case) Pending() []PendingDeadline {
	var out []PendingDeadline
	if c.Status.Terminal() || c.Status == StatusSuspended {
		return nil
	}
	if c.Status == StatusDispatched && c.AckDue != nil && !c.OverdueAck {
		out = append(out, PendingDeadline{DueAck, c.LeadOrg, *c.AckDue})
	}
	if oneOf(c.Status, []Status{StatusDispatched, StatusAcknowledged, StatusInProgress}) && c.ResolveDue != nil && !c.OverdueResolve {
		out = append(out, PendingDeadline{DueResolve, c.LeadOrg, *c.ResolveDue})
	}
	for _, s := range c.Summons {
		if s.ReportedAt == nil && !s.Overdue {
			out = append(out, PendingDeadline{DueReportIn, s.Org, s.Due})
		}
	}
	if s := c.Supervision; s != nil && !s.Overdue && c.ResolvedAt == nil {
		out = append(out, PendingDeadline{DueSupervise, "", s.Due})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// Sweep returns the events that mark the deadlines of c passed by now: overdue flags,
// and for a missed resolution an escalation to escalateTo (the dispatchers one level
// up). It returns nothing when nothing is due, so running it twice changes nothing.
func Sweep(c *Case, now time.Time, escalateTo string) []Event {
	var out []Event
	for _, p := range c.Pending() {
		if !now.After(p.Due) {
			continue
		}
		e := Event{CaseID: c.ID, At: now.Truncate(time.Second), ActorName: "system", From: c.Status, To: c.Status, Data: EventData{Org: p.Org}}
		switch p.Kind {
		case DueAck:
			e.Action = ActOverdueAck
		case DueResolve:
			e.Action = ActOverdueResolve
		case DueReportIn:
			e.Action = ActOverdueReportIn
		case DueSupervise:
			e.Action = ActOverdueSupervise
		}
		out = append(out, e)
		if p.Kind == DueResolve && escalateTo != "" && c.Escalated == "" {
			esc := e
			esc.Action, esc.Data = ActEscalate, EventData{Region: escalateTo}
			out = append(out, esc)
		}
	}
	return out
}

// Clone copies a case deeply enough that applying events to the copy leaves c as it was.
func (c *Case) Clone() *Case {
	d := *c
	d.CoOrgs = append([]string{}, c.CoOrgs...)
	d.Summons = append([]Summons{}, c.Summons...)
	d.Events = nil
	if c.Extension != nil {
		e := *c.Extension
		d.Extension = &e
	}
	if c.Supervision != nil {
		s := *c.Supervision
		d.Supervision = &s
	}
	return &d
}

// EscalateTo names the region whose dispatchers hear of a missed resolution: the level
// above the street (the county) for a case at or below a street, else the parent.
func EscalateTo(region string) string {
	if len(region) > 6 {
		return region[:6]
	}
	return ParentCode(region)
}

// AsStored gives c with its times as a database gives them back (whole seconds, China
// time), so a case answered from memory reads exactly like the same case read again.
func (c *Case) AsStored() *Case {
	d := c.Clone()
	at := func(t time.Time) time.Time { return time.Unix(t.Unix(), 0).In(China) }
	ptr := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		v := at(*t)
		return &v
	}
	d.CreatedAt, d.UpdatedAt = at(c.CreatedAt), at(c.UpdatedAt)
	d.AckDue, d.ResolveDue, d.DispatchedAt, d.AckedAt = ptr(c.AckDue), ptr(c.ResolveDue), ptr(c.DispatchedAt), ptr(c.AckedAt)
	d.ResolvedAt, d.ClosedAt, d.SuspendedAt = ptr(c.ResolvedAt), ptr(c.ClosedAt), ptr(c.SuspendedAt)
	if d.Extension != nil {
		d.Extension.Until, d.Extension.At = ptr(c.Extension.Until), at(c.Extension.At)
	}
	if d.Supervision != nil {
		d.Supervision.At, d.Supervision.Due = at(c.Supervision.At), at(c.Supervision.Due)
	}
	for i := range d.Summons {
		d.Summons[i].Due, d.Summons[i].ReportedAt = at(c.Summons[i].Due), ptr(c.Summons[i].ReportedAt)
	}
	d.Events = make([]Event, len(c.Events))
	for i, e := range c.Events {
		e.At = at(e.At)
		d.Events[i] = e
	}
	return d
}
