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
	// decide fills in the event the action makes, or refuses the command's fields (400)
	// or a state the statuses alone do not rule out (409).
	decide func(d decision, e *Event) error
	// leads marks a leader's action: a leader refused it is told the case lies outside
	// the regions they lead (EOUTOFSCOPE), not that the role may never do it.
	leads bool
}

var rules = map[Action]rule{
	ActAccept:      {from: []Status{StatusReported}, allowed: byDispatcher, decide: moveTo(StatusAccepted)},
	ActReject:      {from: []Status{StatusReported, StatusAccepted, StatusReturned}, allowed: byDispatcher, decide: moveWithReason(StatusRejected)},
	ActMerge:       {from: []Status{StatusReported, StatusAccepted, StatusReturned}, allowed: byDispatcher, decide: decideMerge},
	ActDispatch:    {from: []Status{StatusReported, StatusAccepted, StatusReturned}, allowed: byDispatcher, decide: decideDispatch},
	ActAcknowledge: {from: []Status{StatusDispatched}, allowed: byLeadOfficer, decide: moveTo(StatusAcknowledged)},
	ActReturn:      {from: []Status{StatusDispatched, StatusAcknowledged}, allowed: byLeadOfficer, decide: moveWithReason(StatusReturned)},
	ActWhistle:     {from: []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress}, allowed: byDispatcher, decide: decideWhistle},
	ActReportIn: {from: []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved, StatusVerified, StatusSuspended, StatusReturned},
		allowed: func(u User, c *Case, cmd Command) bool { return len(summonedOrgsOf(u, c)) > 0 }, decide: decideReportIn},
	ActStart:   {from: []Status{StatusAcknowledged}, allowed: byLeadOfficer, decide: moveTo(StatusInProgress)},
	ActResolve: {from: []Status{StatusAcknowledged, StatusInProgress}, allowed: byLeadOfficer, decide: decideResolve},
	ActVerify:  {from: []Status{StatusResolved}, allowed: verifierOfCmd, decide: moveTo(StatusVerified)},
	ActReopen:  {from: []Status{StatusResolved, StatusVerified}, allowed: verifierOfCmd, decide: decideReopen},
	ActVisit:   {from: []Status{StatusResolved, StatusVerified}, allowed: byDispatcher, decide: decideVisit},
	ActClose:   {from: []Status{StatusResolved, StatusVerified}, allowed: byDispatcher, decide: moveTo(StatusClosed)},
	ActAnswer:  {from: []Status{StatusReported, StatusAccepted}, allowed: byDispatcher, decide: decideAnswer},
	ActExtend: {from: []Status{StatusDispatched, StatusAcknowledged, StatusInProgress},
		allowed: func(u User, c *Case, cmd Command) bool { return dispatcherOf(u, c) || officerOf(u, c, c.LeadOrg) }, decide: decideExtend},
	ActSuspend: {from: []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress}, allowed: byDispatcher, decide: moveWithReason(StatusSuspended)},
	ActResume:  {from: []Status{StatusSuspended}, allowed: byDispatcher, decide: decideResume},
	ActComment: {from: Statuses, allowed: func(u User, c *Case, cmd Command) bool { return Visible(u, c) }, decide: decideComment},
	// a leader's, of the case's region: to a leader of other regions it is out of scope
	ActSupervise: {from: supervisable, allowed: byLeader, leads: true, decide: decideSupervise},
	ActInstruct:  {from: instructable, allowed: byLeader, leads: true, decide: decideInstruct},
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
		if oneOf(c.Status, r.from) && r.allowed(u, c, Command{}) && (a != ActAnswer || c.Kind == "consultation") {
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
		if r.leads && u.Has(RoleLeader) {
			return Event{}, Errorf(EOUTOFSCOPE, "case %s lies outside the regions you lead", c.Number)
		}
		return Event{}, Errorf(EFORBIDDEN, "your role may not %s this case", cmd.Action)
	}
	if cmd.Version != c.Version {
		return Event{}, Errorf(ESTALE, "case %s changed since you saw it (version %d, now %d); reload and try again", c.Number, cmd.Version, c.Version)
	}
	if !oneOf(c.Status, r.from) {
		return Event{}, Errorf(ECONFLICT, "cannot %s a case that is %s", cmd.Action, c.Status)
	}
	d := decision{u: u, c: c, cmd: cmd, env: env, now: env.Now.Truncate(time.Second), reason: strings.TrimSpace(cmd.Reason)}
	e := Event{CaseID: c.ID, At: d.now, ActorID: u.ID, ActorName: u.Name, Action: cmd.Action, From: c.Status, To: c.Status,
		Note: strings.TrimSpace(cmd.Note)}
	if len(e.Note) > 5000 {
		return Event{}, Errorf(EINVALID, "note is longer than 5000 characters")
	}
	if err := r.decide(d, &e); err != nil {
		return Event{}, err
	}
	return e, nil
}

// decision is a command that passed the checks every action shares: who asks, on which
// case, when (to the second, as the store keeps it), with the trimmed reason.
type decision struct {
	u      User
	c      *Case
	cmd    Command
	env    Env
	now    time.Time
	reason string
}

// needReason makes the reason, required and at most 2000 characters, the event's note.
func (d decision) needReason(e *Event) error {
	if d.reason == "" {
		return Errorf(EINVALID, "%s needs a reason", d.cmd.Action)
	}
	if len(d.reason) > 2000 {
		return Errorf(EINVALID, "reason is longer than 2000 characters")
	}
	e.Note = d.reason
	return nil
}

// checkOrgs refuses an empty or unknown org code.
func (env Env) checkOrgs(orgs ...string) error {
	for _, o := range orgs {
		if o == "" || env.OrgExists == nil || !env.OrgExists(o) {
			return Errorf(EINVALID, "unknown org %q", o)
		}
	}
	return nil
}

// moveTo decides an action that only moves the case to status.
func moveTo(status Status) func(decision, *Event) error {
	return func(_ decision, e *Event) error {
		e.To = status
		return nil
	}
}

// moveWithReason decides an action that moves the case to status and must say why.
func moveWithReason(status Status) func(decision, *Event) error {
	return func(d decision, e *Event) error {
		e.To = status
		return d.needReason(e)
	}
}

// decideMerge folds the case into another one the actor can see and that still runs.
func decideMerge(d decision, e *Event) error {
	into := d.env.Into
	if d.cmd.Into == 0 || d.cmd.Into == d.c.ID {
		return Errorf(EINVALID, "merge needs into: the id of another case")
	}
	if into == nil || !Visible(d.u, into) {
		return Errorf(EINVALID, "case %d to merge into not found", d.cmd.Into)
	}
	if into.Status == StatusMerged || into.Status == StatusRejected {
		return Errorf(ECONFLICT, "cannot merge into a case that is %s", into.Status)
	}
	e.To, e.Data.Into = StatusMerged, d.cmd.Into
	return nil
}

// decideDispatch sends the case to a lead org (the matter's for the region unless one is
// named) and its co-orgs, with the matter's deadlines counted from now.
func decideDispatch(d decision, e *Event) error {
	org := d.cmd.Org
	if org == "" {
		org = d.env.Matter.LeadOrgFor(d.c.Region)
	}
	co := dedupe(d.cmd.CoOrgs, org)
	if err := d.env.checkOrgs(append([]string{org}, co...)...); err != nil {
		return err
	}
	ack, res := d.env.Cal.Due(d.now, d.env.Matter.AckDeadline), d.env.Cal.Due(d.now, d.env.Matter.Deadline)
	e.To, e.Data.Org, e.Data.CoOrgs, e.Data.AckDue, e.Data.ResolveDue = StatusDispatched, org, co, &ack, &res
	return nil
}

// decideWhistle summons orgs to report in within the matter's acknowledge deadline, or
// within the hours given; an org summoned and not yet reported in cannot be again.
func decideWhistle(d decision, e *Event) error {
	orgs := dedupe(d.cmd.Orgs, "")
	if len(orgs) == 0 {
		return Errorf(EINVALID, "whistle needs orgs: the orgs summoned")
	}
	if err := d.env.checkOrgs(orgs...); err != nil {
		return err
	}
	deadline := d.env.Matter.AckDeadline
	if d.cmd.Hours < 0 || d.cmd.Hours > 24*30 {
		return Errorf(EINVALID, "hours must be between 1 and 720")
	} else if d.cmd.Hours > 0 {
		deadline = Deadline{N: d.cmd.Hours, Unit: UnitHour}
	}
	due := d.env.Cal.Due(d.now, deadline)
	e.Data.Orgs, e.Data.Dues = orgs, map[string]time.Time{}
	for _, o := range orgs {
		for _, s := range d.c.Summons {
			if s.Org == o && s.ReportedAt == nil {
				return Errorf(ECONFLICT, "org %s is already summoned and has not reported in", o)
			}
		}
		e.Data.Dues[o] = due
	}
	return nil
}

// decideReportIn answers a summons for one of the actor's orgs: the one named, or the
// only one pending.
func decideReportIn(d decision, e *Event) error {
	pending := summonedOrgsOf(d.u, d.c)
	org := d.cmd.Org
	if org == "" && len(pending) == 1 {
		org = pending[0]
	}
	if !oneOf(org, pending) {
		return Errorf(EINVALID, "report-in needs org: one of your orgs summoned to this case (%s)", strings.Join(pending, ", "))
	}
	e.Data.Org = org
	return nil
}

// decideResolve records what was done, which the resolved case must say.
func decideResolve(d decision, e *Event) error {
	res := strings.TrimSpace(d.cmd.Result)
	if res == "" || len(res) > 10000 {
		return Errorf(EINVALID, "resolve needs a result of at most 10000 characters")
	}
	e.To, e.Data.Result = StatusResolved, res
	return nil
}

// decideAnswer closes a consultation answered on the call (直接答复办结), recording the
// answer as its result. It is never dispatched, so it enters no rate of the departments
// and is counted apart (Tally.Answered).
func decideAnswer(d decision, e *Event) error {
	if d.c.Kind != "consultation" {
		return Errorf(ECONFLICT, "only a consultation (咨询) is answered directly; case %s is a %s", d.c.Number, d.c.Kind)
	}
	res := strings.TrimSpace(d.cmd.Result)
	if res == "" || len(res) > 10000 {
		return Invalidf("answer.result", "a direct answer needs the answer given, at most 10000 characters")
	}
	e.To, e.Data.Result = StatusClosed, res
	return nil
}

// decideReopen sends the case back to work, saying in the note what is still wrong.
func decideReopen(_ decision, e *Event) error {
	e.To = StatusInProgress
	if e.Note == "" {
		return Errorf(EINVALID, "reopen needs a note saying what is still wrong")
	}
	return nil
}

// decideVisit records the reporter's satisfaction, asked on a return visit.
func decideVisit(d decision, e *Event) error {
	if !oneOf(d.cmd.Satisfaction, []Satisfaction{Satisfied, BasicallySatisfied, Dissatisfied}) {
		return Errorf(EINVALID, "satisfaction must be satisfied, basically_satisfied or dissatisfied")
	}
	e.Data.Satisfaction = d.cmd.Satisfaction
	return nil
}

// decideResume returns the case to its status before the suspension and moves every
// running deadline on by the working time it stood still.
func decideResume(d decision, e *Event) error {
	c, cal := d.c, d.env.Cal
	e.To = c.Resume
	stopped := cal.WorkingMinutesBetween(*c.SuspendedAt, d.now)
	shift := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		s := cal.AddWorkingMinutes(*t, stopped)
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
	return nil
}

// decideComment adds a note to the case; a comment without one says nothing.
func decideComment(_ decision, e *Event) error {
	if e.Note == "" {
		return Errorf(EINVALID, "comment needs a note")
	}
	return nil
}

// decideExtend: the lead org asks (extend_request), the dispatcher grants or moves the
// deadline directly (extend). With no days and no date, the dispatcher grants the
// pending request.
func decideExtend(d decision, e *Event) error {
	u, c := d.u, d.c
	days, until := d.cmd.WorkingDays, d.cmd.Until
	if until != nil { // the store keeps whole seconds; the event must say what the row says
		whole := until.Truncate(time.Second)
		until = &whole
	}
	if days == 0 && until == nil && dispatcherOf(u, c) && c.Extension != nil {
		days, until = c.Extension.WorkingDays, c.Extension.Until
	}
	if (days == 0) == (until == nil) || days < 0 || days > 60 {
		return Errorf(EINVALID, "extend needs working_days (1 to 60) or until, not both")
	}
	if until != nil && c.ResolveDue != nil && !until.After(*c.ResolveDue) {
		return Errorf(EINVALID, "until must be after the current resolve deadline")
	}
	if !dispatcherOf(u, c) {
		if d.reason == "" {
			return Errorf(EINVALID, "an extension request needs a reason")
		}
		e.Action, e.Note, e.Data.WorkingDays, e.Data.Until = ActExtendRequest, d.reason, days, until
		return nil
	}
	due := until
	if due == nil {
		base := d.env.Now
		if c.ResolveDue != nil {
			base = *c.ResolveDue
		}
		moved := d.env.Cal.Due(base, Deadline{N: days, Unit: UnitDay})
		due = &moved
	}
	if d.reason != "" {
		e.Note = d.reason
	}
	e.Data.ResolveDue, e.Data.WorkingDays, e.Data.Until = due, days, until
	return nil
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

// Found dates the case of intake event e at found, when what it reports was found
// before it was typed in: a hazard found on last week's patrol and entered today is
// received last week, so the hazard ledger, the statistics and the case list count it
// in the week (and month) it was found, while e.At keeps when it was entered. A zero
// found, or one not before the entry, leaves the case received at entry.
//
// Only the date of receipt moves. Every deadline still counts from the entry, when the
// centre first knew of the case: the acknowledge and resolve deadlines run from the
// dispatch, the sweeper reads only them, and a hazard's rectification term from the
// day it was filed (HazardFinding.Validate at entry), so a hazard typed in a week late
// is not born overdue for the org that has only now been told of it.
func (e *Event) Found(found time.Time) {
	found = found.Truncate(time.Second)
	if found.IsZero() || !found.Before(e.At) {
		return
	}
	e.Data.FoundAt = &found
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
