package domain

import (
	"strings"
	"time"
)

// Command is a user's request to act on a case, as decoded from the API body.
type Command struct {
	Action       Action       `json:"-"`
	Version      int          `json:"version"`
	Org          string       `json:"org"`
	CoOrgs       []string     `json:"co_orgs"`
	Orgs         []string     `json:"orgs"`
	Hours        int          `json:"hours"` // whistle: report-in deadline in working hours
	Reason       string       `json:"reason"`
	Note         string       `json:"note"`
	Result       string       `json:"result"`
	Into         int64        `json:"into"`
	Satisfaction Satisfaction `json:"satisfaction"`
	WorkingDays  int          `json:"working_days"`
	Until        *time.Time   `json:"until"`
}

// Env is what a decision needs besides the case: the clock, the calendar, the case's
// matter, the merge target, and a check that org codes exist.
type Env struct {
	Now       time.Time
	Cal       *Calendar
	Matter    Matter
	Into      *Case // merge target, loaded by the caller; nil when absent or unseen
	OrgExists func(code string) bool
}

type rule struct {
	from []Status
	// allowed says whether the actor's role may ever do this to this case: false gives 403.
	allowed func(u User, c *Case, cmd Command) bool
}

var rules = map[Action]rule{
	ActAccept:      {from: []Status{StatusReported}, allowed: byDispatcher},
	ActReject:      {from: []Status{StatusReported, StatusAccepted, StatusReturned}, allowed: byDispatcher},
	ActMerge:       {from: []Status{StatusReported, StatusAccepted, StatusReturned}, allowed: byDispatcher},
	ActDispatch:    {from: []Status{StatusReported, StatusAccepted, StatusReturned}, allowed: byDispatcher},
	ActAcknowledge: {from: []Status{StatusDispatched}, allowed: byLeadOfficer},
	ActReturn:      {from: []Status{StatusDispatched, StatusAcknowledged}, allowed: byLeadOfficer},
	ActWhistle:     {from: []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress}, allowed: byDispatcher},
	ActReportIn: {from: []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved, StatusVerified, StatusSuspended, StatusReturned},
		allowed: func(u User, c *Case, cmd Command) bool { return len(summonedOrgsOf(u, c)) > 0 }},
	ActStart:   {from: []Status{StatusAcknowledged}, allowed: byLeadOfficer},
	ActResolve: {from: []Status{StatusAcknowledged, StatusInProgress}, allowed: byLeadOfficer},
	ActVerify:  {from: []Status{StatusResolved}, allowed: verifierOfCmd},
	ActReopen:  {from: []Status{StatusResolved, StatusVerified}, allowed: verifierOfCmd},
	ActVisit:   {from: []Status{StatusResolved, StatusVerified}, allowed: byDispatcher},
	ActClose:   {from: []Status{StatusResolved, StatusVerified}, allowed: byDispatcher},
	ActExtend: {from: []Status{StatusDispatched, StatusAcknowledged, StatusInProgress},
		allowed: func(u User, c *Case, cmd Command) bool { return dispatcherOf(u, c) || officerOf(u, c, c.LeadOrg) }},
	ActSuspend: {from: []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress}, allowed: byDispatcher},
	ActResume:  {from: []Status{StatusSuspended}, allowed: byDispatcher},
	ActComment: {from: Statuses, allowed: func(u User, c *Case, cmd Command) bool { return Visible(u, c) }},
}

func byDispatcher(u User, c *Case, _ Command) bool  { return dispatcherOf(u, c) }
func byLeadOfficer(u User, c *Case, _ Command) bool { return officerOf(u, c, c.LeadOrg) }
func verifierOfCmd(u User, c *Case, _ Command) bool { return verifierOf(u, c) }

// summonedOrgsOf lists the orgs of u that were summoned to c and have not reported in.
func summonedOrgsOf(u User, c *Case) []string {
	var out []string
	for _, s := range c.Summons {
		if s.ReportedAt == nil && officerOf(u, c, s.Org) {
			out = append(out, s.Org)
		}
	}
	return out
}

// AllowedActions lists what u may do to c now, for a case page's buttons.
func AllowedActions(u User, c *Case) []Action {
	out := []Action{}
	for _, a := range CaseActions {
		r := rules[a]
		if oneOf(c.Status, r.from) && r.allowed(u, c, Command{}) {
			out = append(out, a)
		}
	}
	return out
}

// Decide checks that u may take cmd on c now and returns the event that does it. It
// changes nothing: the caller appends the event and folds it into the case in one
// transaction. Refusals: 404 when u cannot see c, 403 when u's role may never do it,
// 409 for a stale version or a state that does not allow it, 400 for bad fields.
func Decide(u User, c *Case, cmd Command, env Env) (Event, error) {
	if !Visible(u, c) {
		return Event{}, Errorf(ENOTFOUND, "case %d not found", c.ID)
	}
	r, ok := rules[cmd.Action]
	if !ok {
		return Event{}, Errorf(ENOTFOUND, "unknown action %q", cmd.Action)
	}
	if !r.allowed(u, c, cmd) {
		return Event{}, Errorf(EFORBIDDEN, "your role may not %s this case", cmd.Action)
	}
	if cmd.Version != c.Version {
		return Event{}, Errorf(ESTALE, "case %s changed since you saw it (version %d, now %d); reload and try again", c.Number, cmd.Version, c.Version)
	}
	if !oneOf(c.Status, r.from) {
		return Event{}, Errorf(ECONFLICT, "cannot %s a case that is %s", cmd.Action, c.Status)
	}
	now := env.Now.Truncate(time.Second)
	e := Event{CaseID: c.ID, At: now, ActorID: u.ID, ActorName: u.Name, Action: cmd.Action, From: c.Status, To: c.Status,
		Note: strings.TrimSpace(cmd.Note)}
	if len(e.Note) > 5000 {
		return Event{}, Errorf(EINVALID, "note is longer than 5000 characters")
	}
	reason := strings.TrimSpace(cmd.Reason)
	needReason := func() error {
		if reason == "" {
			return Errorf(EINVALID, "%s needs a reason", cmd.Action)
		}
		if len(reason) > 2000 {
			return Errorf(EINVALID, "reason is longer than 2000 characters")
		}
		e.Note = reason
		return nil
	}
	checkOrgs := func(orgs ...string) error {
		for _, o := range orgs {
			if o == "" || env.OrgExists == nil || !env.OrgExists(o) {
				return Errorf(EINVALID, "unknown org %q", o)
			}
		}
		return nil
	}
	switch cmd.Action {
	case ActAccept:
		e.To = StatusAccepted
	case ActReject:
		e.To = StatusRejected
		if err := needReason(); err != nil {
			return Event{}, err
		}
	case ActMerge:
		if cmd.Into == 0 || cmd.Into == c.ID {
			return Event{}, Errorf(EINVALID, "merge needs into: the id of another case")
		}
		if env.Into == nil || !Visible(u, env.Into) {
			return Event{}, Errorf(EINVALID, "case %d to merge into not found", cmd.Into)
		}
		if env.Into.Status == StatusMerged || env.Into.Status == StatusRejected {
			return Event{}, Errorf(ECONFLICT, "cannot merge into a case that is %s", env.Into.Status)
		}
		e.To, e.Data.Into = StatusMerged, cmd.Into
	case ActDispatch:
		org := cmd.Org
		if org == "" {
			org = env.Matter.LeadOrgFor(c.Region)
		}
		co := dedupe(cmd.CoOrgs, org)
		if err := checkOrgs(append([]string{org}, co...)...); err != nil {
			return Event{}, err
		}
		ack, res := env.Cal.Due(now, env.Matter.AckDeadline), env.Cal.Due(now, env.Matter.Deadline)
		e.To, e.Data.Org, e.Data.CoOrgs, e.Data.AckDue, e.Data.ResolveDue = StatusDispatched, org, co, &ack, &res
	case ActAcknowledge, ActStart:
		e.To = map[Action]Status{ActAcknowledge: StatusAcknowledged, ActStart: StatusInProgress}[cmd.Action]
	case ActReturn:
		e.To = StatusReturned
		if err := needReason(); err != nil {
			return Event{}, err
		}
	case ActWhistle:
		orgs := dedupe(cmd.Orgs, "")
		if len(orgs) == 0 {
			return Event{}, Errorf(EINVALID, "whistle needs orgs: the orgs summoned")
		}
		if err := checkOrgs(orgs...); err != nil {
			return Event{}, err
		}
		d := env.Matter.AckDeadline
		if cmd.Hours < 0 || cmd.Hours > 24*30 {
			return Event{}, Errorf(EINVALID, "hours must be between 1 and 720")
		} else if cmd.Hours > 0 {
			d = Deadline{N: cmd.Hours, Unit: UnitHour}
		}
		due := env.Cal.Due(now, d)
		e.Data.Orgs, e.Data.Dues = orgs, map[string]time.Time{}
		for _, o := range orgs {
			for _, s := range c.Summons {
				if s.Org == o && s.ReportedAt == nil {
					return Event{}, Errorf(ECONFLICT, "org %s is already summoned and has not reported in", o)
				}
			}
			e.Data.Dues[o] = due
		}
	case ActReportIn:
		pending := summonedOrgsOf(u, c)
		org := cmd.Org
		if org == "" && len(pending) == 1 {
			org = pending[0]
		}
		if !oneOf(org, pending) {
			return Event{}, Errorf(EINVALID, "report-in needs org: one of your orgs summoned to this case (%s)", strings.Join(pending, ", "))
		}
		e.Data.Org = org
	case ActResolve:
		res := strings.TrimSpace(cmd.Result)
		if res == "" || len(res) > 10000 {
			return Event{}, Errorf(EINVALID, "resolve needs a result of at most 10000 characters")
		}
		e.To, e.Data.Result = StatusResolved, res
	case ActVerify:
		e.To = StatusVerified
	case ActReopen:
		e.To = StatusInProgress
		if e.Note == "" {
			return Event{}, Errorf(EINVALID, "reopen needs a note saying what is still wrong")
		}
	case ActVisit:
		if !oneOf(cmd.Satisfaction, []Satisfaction{Satisfied, BasicallySatisfied, Dissatisfied}) {
			return Event{}, Errorf(EINVALID, "satisfaction must be satisfied, basically_satisfied or dissatisfied")
		}
		e.Data.Satisfaction = cmd.Satisfaction
	case ActClose:
		e.To = StatusClosed
	case ActExtend:
		return decideExtend(u, c, cmd, env, e, reason)
	case ActSuspend:
		e.To = StatusSuspended
		if err := needReason(); err != nil {
			return Event{}, err
		}
	case ActResume:
		e.To = c.Resume
		stopped := env.Cal.WorkingMinutesBetween(*c.SuspendedAt, now)
		shift := func(t *time.Time) *time.Time {
			if t == nil {
				return nil
			}
			s := env.Cal.AddWorkingMinutes(*t, stopped)
			return &s
		}
		e.Data.AckDue, e.Data.ResolveDue = shift(c.AckDue), shift(c.ResolveDue)
		for _, s := range c.Summons {
			if s.ReportedAt == nil {
				if e.Data.Dues == nil {
					e.Data.Dues = map[string]time.Time{}
				}
				e.Data.Dues[s.Org] = *shift(&s.Due)
			}
		}
	case ActComment:
		if e.Note == "" {
			return Event{}, Errorf(EINVALID, "comment needs a note")
		}
	}
	return e, nil
}

// decideExtend: the lead org asks (extend_request), the dispatcher grants or moves the
// deadline directly (extend). With no days and no date, the dispatcher grants the
// pending request.
func decideExtend(u User, c *Case, cmd Command, env Env, e Event, reason string) (Event, error) {
	days, until := cmd.WorkingDays, cmd.Until
	if until != nil { // the store keeps whole seconds; the event must say what the row says
		whole := until.Truncate(time.Second)
		until = &whole
	}
	if days == 0 && until == nil && dispatcherOf(u, c) && c.Extension != nil {
		days, until = c.Extension.WorkingDays, c.Extension.Until
	}
	if (days == 0) == (until == nil) || days < 0 || days > 60 {
		return Event{}, Errorf(EINVALID, "extend needs working_days (1 to 60) or until, not both")
	}
	if until != nil && c.ResolveDue != nil && !until.After(*c.ResolveDue) {
		return Event{}, Errorf(EINVALID, "until must be after the current resolve deadline")
	}
	if !dispatcherOf(u, c) {
		if reason == "" {
			return Event{}, Errorf(EINVALID, "an extension request needs a reason")
		}
		e.Action, e.Note, e.Data.WorkingDays, e.Data.Until = ActExtendRequest, reason, days, until
		return e, nil
	}
	due := until
	if due == nil {
		base := env.Now
		if c.ResolveDue != nil {
			base = *c.ResolveDue
		}
		d := env.Cal.Due(base, Deadline{N: days, Unit: UnitDay})
		due = &d
	}
	if reason != "" {
		e.Note = reason
	}
	e.Data.ResolveDue, e.Data.WorkingDays, e.Data.Until = due, days, until
	return e, nil
}

// Intake makes the first event of a new case.
func Intake(u User, n NewCase, number string, m Matter, now time.Time) Event {
	if u.ID != 0 && n.Reporter.UserID == 0 {
		n.Reporter.UserID = u.ID
	}
	if n.Reporter.Name == "" {
		n.Reporter.Name = u.Name
	}
	return Event{At: now.Truncate(time.Second), ActorID: u.ID, ActorName: u.Name, Action: ActReport, To: StatusReported,
		Data: EventData{Intake: &n, Number: number, Priority: m.Priority}}
}

func dedupe(list []string, except string) []string {
	out := []string{}
	seen := map[string]bool{except: true, "": true}
	for _, s := range list {
		s = strings.TrimSpace(s)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
