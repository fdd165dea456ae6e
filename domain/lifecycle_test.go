package domain

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// ---------------------------------------------------------------------------
// Fixture: one case in 涟源市蓝田街道 (431382001), filed from a building micro-grid,
// and one user per role, each scoped so that the case lies inside its scope unless
// the user is meant to be outside it.
// ---------------------------------------------------------------------------

const (
	tCounty      = "431382"             // 涟源市
	tStreet      = "431382001"          // 蓝田街道
	tOtherStreet = "431382002"          // another street of the same county
	tGrid        = "431382001001001"    // the case's grid
	tBuilding    = "431382001001001001" // the case's building micro-grid
	tOtherCounty = "431302"
)

var knownOrgs = map[string]bool{"ORG_A": true, "ORG_B": true, "ORG_C": true, "ORG_D": true, "ORG_E": true, "ORG_F": true}

func mkUser(id int64, name string, gs ...Grant) User {
	return User{ID: id, Login: name, Name: name, Grants: gs}
}

var (
	uAdmin           = mkUser(1, "admin", Grant{Role: RoleAdmin})
	uLeader          = mkUser(2, "leader", Grant{Role: RoleLeader, Region: tCounty})
	uDispatcher      = mkUser(3, "dispatcher", Grant{Role: RoleDispatcher, Region: tStreet})
	uOtherDispatcher = mkUser(4, "dispatcher_other_street", Grant{Role: RoleDispatcher, Region: tOtherStreet})
	uCountyDispatch  = mkUser(5, "dispatcher_county", Grant{Role: RoleDispatcher, Region: tCounty})
	uLead            = mkUser(6, "officer_lead", Grant{Role: RoleOfficer, Region: tCounty, Org: "ORG_A"})
	uLeadElsewhere   = mkUser(7, "officer_lead_other_county", Grant{Role: RoleOfficer, Region: tOtherCounty, Org: "ORG_A"})
	uOtherOfficer    = mkUser(8, "officer_other_org", Grant{Role: RoleOfficer, Org: "ORG_B"})
	uSummoned        = mkUser(9, "officer_summoned", Grant{Role: RoleOfficer, Org: "ORG_C"})
	uCoOfficer       = mkUser(10, "officer_co_org", Grant{Role: RoleOfficer, Region: tCounty, Org: "ORG_E"})
	uGrid            = mkUser(11, "grid_worker", Grant{Role: RoleGridWorker, Region: tGrid})
	uBuildingHead    = mkUser(12, "building_head", Grant{Role: RoleBuildingHead, Region: tBuilding})
	uVolunteer       = mkUser(13, "volunteer", Grant{Role: RoleVolunteer, Region: tGrid})
	uReporter        = mkUser(14, "reporter", Grant{Role: RoleCitizen})
	uCitizen         = mkUser(15, "citizen_other", Grant{Role: RoleCitizen})
	uInspector       = mkUser(16, "inspector_lead_org", Grant{Role: RoleInspector, Org: "ORG_A"})
	uLiaison         = mkUser(17, "liaison", Grant{Role: RoleLiaison, Region: tStreet})
	uEnterprise      = mkUser(18, "enterprise", Grant{Role: RoleEnterprise})
	uNobody          = mkUser(19, "no_grants")
	uMulti           = mkUser(20, "officer_d_and_f", Grant{Role: RoleOfficer, Org: "ORG_D"}, Grant{Role: RoleOfficer, Org: "ORG_F"})
	uHelper          = mkUser(21, "helper", Grant{Role: RoleHelper, Region: tGrid})
	uAuditor         = mkUser(22, "auditor", Grant{Role: RoleAuditor})
)

var testMatter = Matter{Code: "M01", Name: "路灯损坏", Class: "市政公用", Category: "component", LeadOrg: "ORG_A",
	AckDeadline: Deadline{2, UnitHour}, Deadline: Deadline{3, UnitDay}, Priority: 2}

// cst reads "2006-01-02 15:04" as China time.
func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, China)
	if err != nil {
		panic(err)
	}
	return t
}

// testCal is a small hand-built calendar: default office hours, one holiday.
func testCal() *Calendar {
	return NewCalendar([]CalendarDay{{Date: "2026-04-06", Kind: Holiday, Name: "清明节"}}, nil)
}

// world holds one case, its events, a clock and the merge target.
type world struct {
	t      testing.TB
	cal    *Calendar
	matter Matter
	now    time.Time
	c      Case
	events []Event
	into   *Case
	snaps  [][]byte // JSON of the case after each event
}

func newCaseInput(region string) NewCase {
	return NewCase{Matter: "M01", Title: "路灯不亮", Description: "3栋门口路灯坏了三天", Region: region,
		Address: "蓝田街道某小区3栋", Channel: "online", Kind: "consultation", Reporter: Reporter{Name: "张三", Phone: "13800005678"}}
}

// newWorld files case 1 at Monday 2026-03-02 09:00 by the reporter, and case 2 (the
// merge target) in the same building.
func newWorld(t testing.TB) *world {
	w := &world{t: t, cal: testCal(), matter: testMatter, now: cst("2026-03-02 09:00"), c: Case{ID: 1}}
	w.apply(Intake(uReporter, newCaseInput(tBuilding), "WS-0001", w.matter, w.now))
	target := Fold(2, []Event{Intake(uCitizen, newCaseInput(tBuilding), "WS-0002", w.matter, w.now)})
	w.into = &target
	return w
}

func (w *world) env() Env {
	return Env{Now: w.now, Cal: w.cal, Matter: w.matter, Into: w.into, OrgExists: func(o string) bool { return knownOrgs[o] }}
}

func (w *world) at(s string) { w.now = cst(s) }

func (w *world) apply(e Event) {
	e.CaseID, e.Seq = w.c.ID, len(w.events)+1
	w.events = append(w.events, e)
	w.c.Apply(e)
	b, err := json.Marshal(w.c)
	if err != nil {
		w.t.Fatal(err)
	}
	w.snaps = append(w.snaps, b)
}

// try decides cmd by u on the current case; version 0 means "the current version".
func (w *world) try(u User, cmd Command) (Event, error) {
	if cmd.Version == 0 {
		cmd.Version = w.c.Version
	}
	return Decide(u, &w.c, cmd, w.env())
}

// do decides and applies cmd, failing the test on refusal.
func (w *world) do(u User, cmd Command) Event {
	w.t.Helper()
	e, err := w.try(u, cmd)
	if err != nil {
		w.t.Fatalf("%s by %s in %s: %v", cmd.Action, u.Name, w.c.Status, err)
	}
	w.apply(e)
	return e
}

// sweep runs the sweeper and applies what it returns.
func (w *world) sweep(escalateTo string) []Event {
	evs := Sweep(&w.c, w.now, escalateTo)
	for _, e := range evs {
		w.apply(e)
	}
	return evs
}

type step struct {
	u   User
	cmd Command
}

func plus(base []step, more ...step) []step {
	return append(append([]step{}, base...), more...)
}

// pathTo is how a case honestly reaches each status, step by step. From accepted on,
// ORG_C is whistled (and never reports in); merged is reached straight from reported.
func pathTo(s Status) []step {
	accepted := []step{{uDispatcher, Command{Action: ActAccept}},
		{uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_C"}}}}
	dispatched := plus(accepted, step{uDispatcher, Command{Action: ActDispatch, Org: "ORG_A", CoOrgs: []string{"ORG_E"}}})
	acknowledged := plus(dispatched, step{uLead, Command{Action: ActAcknowledge}})
	inProgress := plus(acknowledged, step{uLead, Command{Action: ActStart}})
	resolved := plus(inProgress, step{uLead, Command{Action: ActResolve, Result: "已更换灯泡"}})
	verified := plus(resolved, step{uGrid, Command{Action: ActVerify}})
	switch s {
	case StatusReported:
		return nil
	case StatusAccepted:
		return accepted
	case StatusDispatched:
		return dispatched
	case StatusAcknowledged:
		return acknowledged
	case StatusInProgress:
		return inProgress
	case StatusResolved:
		return resolved
	case StatusVerified:
		return verified
	case StatusClosed:
		return plus(verified, step{uDispatcher, Command{Action: ActVisit, Satisfaction: Satisfied}},
			step{uDispatcher, Command{Action: ActClose}})
	case StatusRejected:
		return plus(accepted, step{uDispatcher, Command{Action: ActReject, Reason: "不属于受理范围"}})
	case StatusMerged:
		return []step{{uDispatcher, Command{Action: ActMerge, Into: 2}}}
	case StatusReturned:
		return plus(dispatched, step{uLead, Command{Action: ActReturn, Reason: "非本单位职责"}})
	case StatusSuspended:
		return plus(inProgress, step{uDispatcher, Command{Action: ActSuspend, Reason: "等待配件"}})
	}
	panic("no path to " + string(s))
}

// reach walks a new case to status s, ten minutes a step.
func reach(t testing.TB, s Status) *world {
	t.Helper()
	w := newWorld(t)
	for _, st := range pathTo(s) {
		w.now = w.now.Add(10 * time.Minute)
		w.do(st.u, st.cmd)
	}
	if w.c.Status != s {
		t.Fatalf("walked to %s, got %s", s, w.c.Status)
	}
	return w
}

func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	return ErrorCode(err)
}

// ---------------------------------------------------------------------------
// The expectation table, written by hand from DESIGN §3.
// ---------------------------------------------------------------------------

var (
	// states in which the case has been dispatched to ORG_A (co-org ORG_E) on its path
	dispatchedStates = []Status{StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved,
		StatusVerified, StatusClosed, StatusReturned, StatusSuspended}
	// states in which ORG_C has been whistled (and has a pending report-in) on its path
	whistledStates = []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved,
		StatusVerified, StatusClosed, StatusRejected, StatusReturned, StatusSuspended}

	dispatcherActs = []Action{ActAccept, ActReject, ActMerge, ActDispatch, ActWhistle, ActVerify, ActReopen,
		ActVisit, ActClose, ActExtend, ActSuspend, ActResume, ActComment, ActAnswer}
	leadActs     = []Action{ActAcknowledge, ActReturn, ActStart, ActResolve, ActExtend, ActComment}
	summonedActs = []Action{ActReportIn, ActComment}
	verifierActs = []Action{ActVerify, ActReopen, ActComment}
	readerActs   = []Action{ActComment}
	leaderActs   = []Action{ActComment, ActSupervise, ActInstruct}
)

// validFrom: the states each action may be taken from.
var validFrom = map[Action][]Status{
	ActAccept:      {StatusReported},
	ActReject:      {StatusReported, StatusAccepted, StatusReturned},
	ActMerge:       {StatusReported, StatusAccepted, StatusReturned},
	ActDispatch:    {StatusReported, StatusAccepted, StatusReturned},
	ActAcknowledge: {StatusDispatched},
	ActReturn:      {StatusDispatched, StatusAcknowledged},
	ActWhistle:     {StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress},
	// the summons belongs to the street, not to the lead org: a return does not excuse
	// the summoned orgs, whose report-in deadlines keep running (Pending, Sweep)
	ActReportIn: {StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved,
		StatusVerified, StatusSuspended, StatusReturned},
	ActStart:   {StatusAcknowledged},
	ActResolve: {StatusAcknowledged, StatusInProgress},
	ActVerify:  {StatusResolved},
	ActReopen:  {StatusResolved, StatusVerified},
	ActVisit:   {StatusResolved, StatusVerified},
	ActClose:   {StatusResolved, StatusVerified},
	ActExtend:  {StatusDispatched, StatusAcknowledged, StatusInProgress},
	ActSuspend: {StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress},
	ActResume:  {StatusSuspended},
	ActAnswer:  {StatusReported, StatusAccepted}, // the matrix's case is a consultation
	ActComment: {StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved,
		StatusVerified, StatusClosed, StatusRejected, StatusMerged, StatusReturned, StatusSuspended},
	ActSupervise: {StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusReturned, StatusSuspended},
	ActInstruct: {StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress, StatusResolved,
		StatusVerified, StatusReturned, StatusSuspended},
}

// wantTo: the status an allowed action leads to; absent means unchanged.
var wantTo = map[Action]Status{
	ActAccept: StatusAccepted, ActReject: StatusRejected, ActMerge: StatusMerged, ActDispatch: StatusDispatched,
	ActAcknowledge: StatusAcknowledged, ActReturn: StatusReturned, ActStart: StatusInProgress,
	ActResolve: StatusResolved, ActVerify: StatusVerified, ActReopen: StatusInProgress, ActClose: StatusClosed,
	ActSuspend: StatusSuspended, ActAnswer: StatusClosed,
	ActResume: StatusInProgress, // the path suspends from in_progress
}

type matrixRole struct {
	key  string
	u    User
	sees []Status // nil: never sees the case
	may  []Action
}

var matrixRoles = []matrixRole{
	{"admin", uAdmin, Statuses, readerActs},
	{"leader", uLeader, Statuses, leaderActs},
	{"dispatcher", uDispatcher, Statuses, dispatcherActs},
	{"dispatcher_county", uCountyDispatch, Statuses, dispatcherActs},
	{"dispatcher_other_street", uOtherDispatcher, nil, nil},
	{"officer_lead", uLead, dispatchedStates, leadActs},
	{"officer_lead_other_county", uLeadElsewhere, nil, nil},
	{"officer_other_org", uOtherOfficer, nil, nil},
	{"officer_summoned", uSummoned, whistledStates, summonedActs},
	{"officer_co_org", uCoOfficer, dispatchedStates, readerActs},
	{"grid_worker", uGrid, Statuses, verifierActs},
	{"building_head", uBuildingHead, Statuses, verifierActs},
	{"volunteer", uVolunteer, nil, nil},
	{"citizen_reporter", uReporter, Statuses, verifierActs},
	{"citizen_other", uCitizen, nil, nil},
	{"inspector_lead_org", uInspector, dispatchedStates, readerActs},
	{"liaison", uLiaison, nil, nil},
	{"enterprise", uEnterprise, nil, nil},
	{"helper", uHelper, nil, nil},
	{"auditor", uAuditor, nil, nil}, // reads the audit log, never a case
	{"no_grants", uNobody, nil, nil},
}

func expectOutcome(r matrixRole, s Status, a Action) string {
	switch {
	case !oneOf(s, r.sees):
		return ENOTFOUND
	case !oneOf(a, r.may):
		return EFORBIDDEN
	case !oneOf(s, validFrom[a]):
		return ECONFLICT
	}
	return "ok"
}

// validCommand carries every field the action needs, so only role, scope and state decide.
func validCommand(a Action) Command {
	cmd := Command{Action: a}
	switch a {
	case ActReject:
		cmd.Reason = "重复上报"
	case ActMerge:
		cmd.Into = 2
	case ActDispatch:
		cmd.Org, cmd.CoOrgs = "ORG_A", []string{"ORG_E"}
	case ActReturn:
		cmd.Reason = "非本单位职责"
	case ActWhistle:
		cmd.Orgs, cmd.Hours = []string{"ORG_D"}, 4
	case ActResolve:
		cmd.Result = "已更换灯泡"
	case ActAnswer:
		cmd.Result = "路灯报修电话 0738-1234567，已告知来电人"
	case ActReopen:
		cmd.Note = "灯又不亮了"
	case ActVisit:
		cmd.Satisfaction = Satisfied
	case ActExtend:
		cmd.WorkingDays, cmd.Reason = 2, "需采购配件"
	case ActSuspend:
		cmd.Reason = "等待天气好转"
	case ActComment:
		cmd.Note = "已电话联系"
	case ActSupervise:
		cmd.Note, cmd.WorkingDays = "请三日内办结并回复", 3
	case ActInstruct:
		cmd.Note = "请城管局牵头，社区配合"
	}
	return cmd
}

func TestMatrixCoversEverything(t *testing.T) {
	if len(validFrom) != len(CaseActions) {
		t.Fatalf("expectation table has %d actions, CaseActions has %d", len(validFrom), len(CaseActions))
	}
	for _, a := range CaseActions {
		if _, ok := validFrom[a]; !ok {
			t.Errorf("no expectation for action %s", a)
		}
		if r, ok := rules[a]; !ok || r.allowed == nil || r.decide == nil {
			t.Errorf("action %s has no rule with allowed and decide", a)
		}
	}
	roles := map[Role]bool{}
	for _, r := range matrixRoles {
		for _, g := range r.u.Grants {
			roles[g.Role] = true
		}
	}
	for _, r := range Roles {
		if !roles[r] {
			t.Errorf("role %s has no user in the matrix", r)
		}
	}
}

// TestDecideMatrix runs every (status, action, role) and checks the outcome code, that a
// refusal changes nothing, that an allowed action leads to the right status, and that
// AllowedActions agrees.
func TestDecideMatrix(t *testing.T) {
	for _, st := range Statuses {
		w := reach(t, st)
		for _, r := range matrixRoles {
			allowed := AllowedActions(r.u, &w.c)
			for _, a := range CaseActions {
				want := expectOutcome(r, st, a)
				t.Run(fmt.Sprintf("%s/%s/%s", st, r.key, a), func(t *testing.T) {
					before := Fold(w.c.ID, w.events)
					cmd := validCommand(a)
					cmd.Version = w.c.Version
					e, err := Decide(r.u, &w.c, cmd, w.env())
					if got := outcome(err); got != want {
						t.Fatalf("got %s (%v), want %s", got, err, want)
					}
					if !reflect.DeepEqual(w.c, before) {
						t.Fatalf("Decide changed the case")
					}
					if oneOf(a, allowed) != (want == "ok") {
						t.Errorf("AllowedActions %v disagrees with outcome %s", allowed, want)
					}
					if err != nil {
						if ErrorMessage(err) == "" {
							t.Errorf("refusal without a message")
						}
						if !reflect.DeepEqual(e, Event{}) {
							t.Errorf("refusal returned an event: %+v", e)
						}
						return
					}
					to, ok := wantTo[a]
					if !ok {
						to = st
					}
					wantAction := a
					if a == ActExtend && !oneOf(ActAccept, r.may) { // the lead org asks, the dispatcher grants
						wantAction = ActExtendRequest
					}
					if e.Action != wantAction || e.From != st || e.To != to || e.ActorID != r.u.ID || e.CaseID != w.c.ID || !e.At.Equal(w.now) {
						t.Fatalf("event %+v: want action %s %s→%s by %d at %v", e, wantAction, st, to, r.u.ID, w.now)
					}
					after := Fold(w.c.ID, w.events)
					after.Apply(e)
					if after.Status != to || after.Version != before.Version+1 || !after.UpdatedAt.Equal(w.now) {
						t.Fatalf("after apply: status %s version %d, want %s version %d", after.Status, after.Version, to, before.Version+1)
					}
				})
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Stale versions, scope, required fields.
// ---------------------------------------------------------------------------

func TestDecideStaleVersion(t *testing.T) {
	cases := []struct {
		state Status
		u     User
		cmd   Command
		delta int
		want  string
	}{
		{StatusReported, uDispatcher, Command{Action: ActAccept}, -1, ESTALE},
		{StatusReported, uDispatcher, Command{Action: ActAccept}, +1, ESTALE},
		{StatusAccepted, uDispatcher, validCommand(ActDispatch), -1, ESTALE},
		{StatusAccepted, uSummoned, Command{Action: ActReportIn}, -2, ESTALE},
		{StatusDispatched, uLead, Command{Action: ActAcknowledge}, -1, ESTALE},
		{StatusInProgress, uLead, validCommand(ActResolve), -3, ESTALE},
		{StatusResolved, uReporter, Command{Action: ActVerify}, -1, ESTALE},
		{StatusSuspended, uDispatcher, Command{Action: ActResume}, -1, ESTALE},
		{StatusClosed, uDispatcher, validCommand(ActComment), -1, ESTALE},
		// a stale version is told before the state conflict it would also hit: reload first
		{StatusClosed, uDispatcher, Command{Action: ActAccept}, -1, ESTALE},
		// but never before scope or role
		{StatusReported, uOtherDispatcher, Command{Action: ActAccept}, -1, ENOTFOUND},
		{StatusDispatched, uGrid, Command{Action: ActAcknowledge}, -1, EFORBIDDEN},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%s/%s/%+d", tc.state, tc.u.Name, tc.cmd.Action, tc.delta), func(t *testing.T) {
			w := reach(t, tc.state)
			before := Fold(w.c.ID, w.events)
			cmd := tc.cmd
			cmd.Version = w.c.Version + tc.delta
			e, err := Decide(tc.u, &w.c, cmd, w.env())
			if got := outcome(err); got != tc.want {
				t.Fatalf("got %s (%v), want %s", got, err, tc.want)
			}
			if !reflect.DeepEqual(w.c, before) || !reflect.DeepEqual(e, Event{}) {
				t.Fatalf("a stale command changed something")
			}
			// the same command with the right version goes through (or is refused
			// for its real reason), so the version was the only obstacle
			if tc.want == ESTALE {
				cmd.Version = w.c.Version
				_, err := Decide(tc.u, &w.c, cmd, w.env())
				if tc.state == StatusClosed && tc.cmd.Action == ActAccept {
					if ErrorCode(err) != ECONFLICT {
						t.Fatalf("with the current version: %v, want conflict", err)
					}
				} else if err != nil {
					t.Fatalf("with the current version: %v", err)
				}
			}
		})
	}
}

func TestDecideOutOfScopeIsNotFound(t *testing.T) {
	for _, st := range Statuses {
		w := reach(t, st)
		for _, a := range CaseActions {
			cmd := validCommand(a)
			cmd.Version = w.c.Version
			_, err := Decide(uOtherDispatcher, &w.c, cmd, w.env())
			if ErrorCode(err) != ENOTFOUND {
				t.Errorf("%s/%s by a dispatcher of %s: %v, want not_found", st, a, tOtherStreet, err)
			}
		}
	}
	// the same dispatcher does see a case filed in its own street
	w := newWorld(t)
	w.c = Fold(3, []Event{Intake(uCitizen, newCaseInput(tOtherStreet+"001"), "WS-3", testMatter, w.now)})
	if _, err := w.try(uOtherDispatcher, Command{Action: ActAccept}); err != nil {
		t.Fatalf("dispatcher in its own street: %v", err)
	}
	if _, err := w.try(uDispatcher, Command{Action: ActAccept}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("dispatcher of %s on a case of %s: %v", tStreet, tOtherStreet, err)
	}
}

func TestDecideUnknownAction(t *testing.T) {
	w := newWorld(t)
	for _, a := range []Action{"frobnicate", ActReport, ActOverdueAck, ActEscalate, ActExtendRequest} {
		if _, err := w.try(uDispatcher, Command{Action: a}); ErrorCode(err) != ENOTFOUND {
			t.Errorf("action %q: %v, want not_found", a, err)
		}
	}
}

func TestDecideRequiredFields(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	type tc struct {
		name  string
		state Status
		u     User
		cmd   Command
		setup func(w *world)
		want  string
	}
	cases := []tc{
		{"reject without reason", StatusReported, uDispatcher, Command{Action: ActReject}, nil, EINVALID},
		{"reject with blank reason", StatusAccepted, uDispatcher, Command{Action: ActReject, Reason: " \t "}, nil, EINVALID},
		{"reject with a reason too long", StatusReported, uDispatcher, Command{Action: ActReject, Reason: long(2001)}, nil, EINVALID},
		{"reject with a reason of 2000", StatusReported, uDispatcher, Command{Action: ActReject, Reason: long(2000)}, nil, "ok"},
		{"return without reason", StatusDispatched, uLead, Command{Action: ActReturn}, nil, EINVALID},
		{"return from acknowledged without reason", StatusAcknowledged, uLead, Command{Action: ActReturn, Reason: "  "}, nil, EINVALID},
		{"suspend without reason", StatusInProgress, uDispatcher, Command{Action: ActSuspend}, nil, EINVALID},
		{"suspend from accepted without reason", StatusAccepted, uDispatcher, Command{Action: ActSuspend, Note: "a note is no reason"}, nil, EINVALID},
		{"merge without into", StatusReported, uDispatcher, Command{Action: ActMerge}, nil, EINVALID},
		{"merge into itself", StatusReported, uDispatcher, Command{Action: ActMerge, Into: 1}, nil, EINVALID},
		{"merge into a missing case", StatusReported, uDispatcher, Command{Action: ActMerge, Into: 2}, func(w *world) { w.into = nil }, EINVALID},
		{"merge into a case out of scope", StatusReported, uDispatcher, Command{Action: ActMerge, Into: 3}, func(w *world) {
			c := Fold(3, []Event{Intake(uCitizen, newCaseInput(tOtherStreet+"001"), "WS-3", testMatter, w.now)})
			w.into = &c
		}, EINVALID},
		{"merge into a merged case", StatusReported, uDispatcher, Command{Action: ActMerge, Into: 2}, func(w *world) { w.into.Status = StatusMerged }, ECONFLICT},
		{"merge into a rejected case", StatusAccepted, uDispatcher, Command{Action: ActMerge, Into: 2}, func(w *world) { w.into.Status = StatusRejected }, ECONFLICT},
		{"merge into a closed case", StatusReturned, uDispatcher, Command{Action: ActMerge, Into: 2}, func(w *world) { w.into.Status = StatusClosed }, "ok"},
		{"dispatch to an unknown org", StatusAccepted, uDispatcher, Command{Action: ActDispatch, Org: "ORG_X"}, nil, EINVALID},
		{"dispatch with an unknown co-org", StatusAccepted, uDispatcher, Command{Action: ActDispatch, Org: "ORG_A", CoOrgs: []string{"ORG_E", "ORG_X"}}, nil, EINVALID},
		{"dispatch to a known org", StatusReturned, uDispatcher, Command{Action: ActDispatch, Org: "ORG_B", CoOrgs: []string{"ORG_A"}}, nil, "ok"},
		{"whistle without orgs", StatusAccepted, uDispatcher, Command{Action: ActWhistle}, nil, EINVALID},
		{"whistle with blank orgs", StatusInProgress, uDispatcher, Command{Action: ActWhistle, Orgs: []string{"", "  "}}, nil, EINVALID},
		{"whistle an unknown org", StatusDispatched, uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_D", "ORG_X"}}, nil, EINVALID},
		{"whistle with negative hours", StatusAccepted, uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_D"}, Hours: -1}, nil, EINVALID},
		{"whistle with too many hours", StatusAccepted, uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_D"}, Hours: 721}, nil, EINVALID},
		{"whistle with 720 hours", StatusAccepted, uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_D"}, Hours: 720}, nil, "ok"},
		{"whistle an org still owing its report-in", StatusAccepted, uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_D", "ORG_C"}}, nil, ECONFLICT},
		{"report-in for an org not summoned", StatusAccepted, uSummoned, Command{Action: ActReportIn, Org: "ORG_B"}, nil, EINVALID},
		{"resolve without result", StatusInProgress, uLead, Command{Action: ActResolve}, nil, EINVALID},
		{"resolve with blank result", StatusAcknowledged, uLead, Command{Action: ActResolve, Result: "\n "}, nil, EINVALID},
		{"resolve with result too long", StatusInProgress, uLead, Command{Action: ActResolve, Result: long(10001)}, nil, EINVALID},
		{"visit without satisfaction", StatusResolved, uDispatcher, Command{Action: ActVisit}, nil, EINVALID},
		{"visit with an unknown satisfaction", StatusVerified, uDispatcher, Command{Action: ActVisit, Satisfaction: "happy"}, nil, EINVALID},
		{"visit basically satisfied", StatusVerified, uDispatcher, Command{Action: ActVisit, Satisfaction: BasicallySatisfied}, nil, "ok"},
		{"visit dissatisfied", StatusResolved, uDispatcher, Command{Action: ActVisit, Satisfaction: Dissatisfied}, nil, "ok"},
		{"extend with neither days nor until", StatusDispatched, uDispatcher, Command{Action: ActExtend}, nil, EINVALID},
		{"extend with both days and until", StatusAcknowledged, uDispatcher, Command{Action: ActExtend, WorkingDays: 2,
			Until: ptr(cst("2026-03-20 17:30"))}, nil, EINVALID},
		{"extend by 61 days", StatusInProgress, uDispatcher, Command{Action: ActExtend, WorkingDays: 61}, nil, EINVALID},
		{"extend by -1 days", StatusInProgress, uDispatcher, Command{Action: ActExtend, WorkingDays: -1}, nil, EINVALID},
		{"extend by 60 days", StatusInProgress, uDispatcher, Command{Action: ActExtend, WorkingDays: 60}, nil, "ok"},
		{"extend until before the deadline", StatusInProgress, uDispatcher, Command{Action: ActExtend,
			Until: ptr(cst("2026-03-05 09:00"))}, nil, EINVALID},
		{"extend until the deadline itself", StatusInProgress, uDispatcher, Command{Action: ActExtend}, nil, EINVALID}, // Until set below
		{"extend request without reason", StatusAcknowledged, uLead, Command{Action: ActExtend, WorkingDays: 2}, nil, EINVALID},
		{"extend request without days", StatusAcknowledged, uLead, Command{Action: ActExtend, Reason: "需采购配件"}, nil, EINVALID},
		{"reopen without note", StatusResolved, uReporter, Command{Action: ActReopen}, nil, EINVALID},
		{"reopen with a reason but no note", StatusVerified, uGrid, Command{Action: ActReopen, Reason: "仍不亮"}, nil, EINVALID},
		{"comment without note", StatusClosed, uReporter, Command{Action: ActComment}, nil, EINVALID},
		{"note too long", StatusReported, uDispatcher, Command{Action: ActAccept, Note: long(5001)}, nil, EINVALID},
		{"note of 5000", StatusReported, uDispatcher, Command{Action: ActAccept, Note: long(5000)}, nil, "ok"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := reach(t, tc.state)
			if tc.setup != nil {
				tc.setup(w)
			}
			cmd := tc.cmd
			if tc.name == "extend until the deadline itself" {
				cmd.Until = ptr(*w.c.ResolveDue)
			}
			before := Fold(w.c.ID, w.events)
			e, err := w.try(tc.u, cmd)
			if got := outcome(err); got != tc.want {
				t.Fatalf("got %s (%v), want %s", got, err, tc.want)
			}
			if !reflect.DeepEqual(w.c, before) {
				t.Fatalf("Decide changed the case")
			}
			if err != nil && !reflect.DeepEqual(e, Event{}) {
				t.Fatalf("refusal returned an event")
			}
		})
	}
	// OrgExists missing: nothing can be checked, so nothing is accepted
	w := reach(t, StatusAccepted)
	env := w.env()
	env.OrgExists = nil
	if _, err := Decide(uDispatcher, &w.c, Command{Action: ActDispatch, Version: w.c.Version, Org: "ORG_A"}, env); ErrorCode(err) != EINVALID {
		t.Fatalf("dispatch without an org check: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestDispatchRoutesAndDeadlines(t *testing.T) {
	w := newWorld(t)
	w.matter.Routes = []Route{{Region: tCounty, Org: "ORG_B"}, {Region: tStreet, Org: "ORG_D"}, {Region: tOtherStreet, Org: "ORG_F"}}
	w.at("2026-03-02 09:30")
	// no org given: the most specific route holding the case's region wins; the lead
	// org is dropped from the co-orgs, and co-orgs are trimmed and deduplicated
	e := w.do(uDispatcher, Command{Action: ActDispatch, CoOrgs: []string{"ORG_E", " ORG_E", "ORG_D", "", "ORG_B"}})
	if e.Data.Org != "ORG_D" || !reflect.DeepEqual(e.Data.CoOrgs, []string{"ORG_E", "ORG_B"}) {
		t.Fatalf("dispatch chose %s with %v", e.Data.Org, e.Data.CoOrgs)
	}
	// ack 2 working hours, resolve 3 working days (Mon 09:30 → Thu 09:30)
	if !w.c.AckDue.Equal(cst("2026-03-02 11:30")) || !w.c.ResolveDue.Equal(cst("2026-03-05 09:30")) {
		t.Fatalf("deadlines %v %v", w.c.AckDue, w.c.ResolveDue)
	}
	if w.c.LeadOrg != "ORG_D" || !reflect.DeepEqual(w.c.Orgs(), []string{"ORG_D", "ORG_E", "ORG_B"}) || !w.c.DispatchedAt.Equal(w.now) {
		t.Fatalf("case after dispatch: lead %s orgs %v", w.c.LeadOrg, w.c.Orgs())
	}
	// dispatched at 11:00: the ack deadline crosses the lunch break
	w2 := newWorld(t)
	w2.at("2026-03-02 11:00")
	w2.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
	if !w2.c.AckDue.Equal(cst("2026-03-02 15:00")) || !w2.c.ResolveDue.Equal(cst("2026-03-05 11:00")) {
		t.Fatalf("deadlines from 11:00: %v %v", w2.c.AckDue, w2.c.ResolveDue)
	}
}

func TestReturnAndRedispatch(t *testing.T) {
	w := reach(t, StatusAcknowledged)
	w.now = w.now.Add(time.Hour)
	w.do(uLead, Command{Action: ActReturn, Reason: "非本单位职责"})
	if w.c.Returns != 1 || w.c.AckDue != nil || w.c.ResolveDue != nil || w.c.Status != StatusReturned {
		t.Fatalf("after return: %+v", w.c)
	}
	if len(w.c.Pending()) != 1 || w.c.Pending()[0].Kind != DueReportIn { // only ORG_C's report-in still runs
		t.Fatalf("pending after return: %+v", w.c.Pending())
	}
	w.now = w.now.Add(time.Hour)
	w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_B"})
	if w.c.LeadOrg != "ORG_B" || w.c.AckedAt != nil || w.c.AckDue == nil || w.c.Returns != 1 {
		t.Fatalf("after re-dispatch: %+v", w.c)
	}
	// the old lead org is no longer involved: the case is gone from its view
	if _, err := w.try(uLead, Command{Action: ActAcknowledge}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("old lead org acknowledging: %v", err)
	}
	if _, err := w.try(uOtherOfficer, Command{Action: ActAcknowledge}); err != nil {
		t.Fatalf("new lead org acknowledging: %v", err)
	}
}

// ---------------------------------------------------------------------------
// Whistle and report-in.
// ---------------------------------------------------------------------------

func summonsOf(t *testing.T, c *Case, org string) Summons {
	t.Helper()
	for _, s := range c.Summons {
		if s.Org == org {
			return s
		}
	}
	t.Fatalf("org %s not summoned: %+v", org, c.Summons)
	return Summons{}
}

func TestWhistleAndReportIn(t *testing.T) {
	w := newWorld(t) // reported Mon 2026-03-02 09:00
	w.at("2026-03-02 09:05")
	w.do(uDispatcher, Command{Action: ActAccept})
	w.at("2026-03-02 09:10")
	e := w.do(uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_C", " ORG_D ", "ORG_C", ""}, Hours: 2})
	due := cst("2026-03-02 11:10")
	if !reflect.DeepEqual(e.Data.Orgs, []string{"ORG_C", "ORG_D"}) || len(e.Data.Dues) != 2 || !e.Data.Dues["ORG_C"].Equal(due) || !e.Data.Dues["ORG_D"].Equal(due) {
		t.Fatalf("whistle event data %+v", e.Data)
	}
	if e.From != StatusAccepted || e.To != StatusAccepted || w.c.Status != StatusAccepted || len(w.c.Summons) != 2 {
		t.Fatalf("whistle changed status or summons: %s %+v", w.c.Status, w.c.Summons)
	}
	for _, s := range w.c.Summons {
		if !s.Due.Equal(due) || s.ReportedAt != nil || s.Overdue || s.Late() {
			t.Fatalf("summons %+v", s)
		}
	}
	// summoned orgs now see the case; an unsummoned one does not
	if !Visible(uSummoned, &w.c) || !Visible(uMulti, &w.c) || Visible(uOtherOfficer, &w.c) {
		t.Fatalf("visibility after whistle")
	}

	// ORG_C reports in on time
	w.at("2026-03-02 10:00")
	e = w.do(uSummoned, Command{Action: ActReportIn})
	if e.Data.Org != "ORG_C" {
		t.Fatalf("report-in org %q", e.Data.Org)
	}
	if s := summonsOf(t, &w.c, "ORG_C"); s.ReportedAt == nil || !s.ReportedAt.Equal(w.now) || s.Late() {
		t.Fatalf("ORG_C summons %+v", s)
	}
	// ...and only once
	if _, err := w.try(uSummoned, Command{Action: ActReportIn}); ErrorCode(err) != EFORBIDDEN {
		t.Fatalf("second report-in: %v", err)
	}

	// ORG_F is summoned too, with the matter's ack deadline (2h) across lunch
	w.at("2026-03-02 10:30")
	w.do(uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_F"}})
	if s := summonsOf(t, &w.c, "ORG_F"); !s.Due.Equal(cst("2026-03-02 14:30")) {
		t.Fatalf("ORG_F due %v", s.Due)
	}
	// an officer of both ORG_D and ORG_F must say which org reports in
	if _, err := w.try(uMulti, Command{Action: ActReportIn}); ErrorCode(err) != EINVALID {
		t.Fatalf("ambiguous report-in: %v", err)
	}
	if _, err := w.try(uMulti, Command{Action: ActReportIn, Org: "ORG_C"}); ErrorCode(err) != EINVALID {
		t.Fatalf("report-in for someone else's org: %v", err)
	}

	// the sweeper marks ORG_D late exactly once
	w.at("2026-03-02 11:09")
	if evs := w.sweep(""); len(evs) != 0 {
		t.Fatalf("sweep before due: %+v", evs)
	}
	w.at("2026-03-02 11:11")
	evs := w.sweep("")
	if len(evs) != 1 || evs[0].Action != ActOverdueReportIn || evs[0].Data.Org != "ORG_D" || evs[0].ActorID != 0 {
		t.Fatalf("sweep after due: %+v", evs)
	}
	if s := summonsOf(t, &w.c, "ORG_D"); !s.Overdue || !s.Late() || !w.c.Overdue() {
		t.Fatalf("ORG_D after sweep %+v", s)
	}
	if evs := w.sweep(""); len(evs) != 0 {
		t.Fatalf("second sweep: %+v", evs)
	}

	// ORG_D reports in late: still accepted, lateness kept
	w.at("2026-03-02 11:40")
	w.do(uMulti, Command{Action: ActReportIn, Org: "ORG_D"})
	if s := summonsOf(t, &w.c, "ORG_D"); s.ReportedAt == nil || !s.Late() {
		t.Fatalf("ORG_D after late report-in %+v", s)
	}
	// ORG_F is now the only pending org of that officer: no org needed; on time
	w.at("2026-03-02 11:45")
	if e := w.do(uMulti, Command{Action: ActReportIn}); e.Data.Org != "ORG_F" {
		t.Fatalf("default report-in org %q", e.Data.Org)
	}
	if s := summonsOf(t, &w.c, "ORG_F"); s.Late() {
		t.Fatalf("ORG_F on time but late: %+v", s)
	}
	for _, p := range w.c.Pending() {
		if p.Kind == DueReportIn {
			t.Fatalf("report-in still pending after all reported: %+v", p)
		}
	}

	// a reported org may be summoned again; it then owes a new report-in. Late without
	// any sweep: reported after its deadline.
	w.at("2026-03-02 12:00")
	w.do(uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_C"}, Hours: 1})
	s := summonsOf(t, &w.c, "ORG_C")
	if len(w.c.Summons) != 3 || s.ReportedAt != nil || !s.Due.Equal(cst("2026-03-02 15:00")) {
		t.Fatalf("re-whistle: %+v", w.c.Summons)
	}
	w.at("2026-03-02 15:30")
	w.do(uSummoned, Command{Action: ActReportIn})
	if s := summonsOf(t, &w.c, "ORG_C"); s.Overdue || !s.Late() {
		t.Fatalf("late report-in without sweep: %+v", s)
	}
}

// ---------------------------------------------------------------------------
// Extension and suspension.
// ---------------------------------------------------------------------------

func TestExtendRequestAndApproval(t *testing.T) {
	w := newWorld(t)
	w.at("2026-03-02 09:30")
	w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
	w.at("2026-03-02 10:00")
	w.do(uLead, Command{Action: ActAcknowledge})
	oldDue := *w.c.ResolveDue
	if !oldDue.Equal(cst("2026-03-05 09:30")) {
		t.Fatalf("resolve due %v", oldDue)
	}
	// no request pending: the dispatcher must say how long
	if _, err := w.try(uDispatcher, Command{Action: ActExtend}); ErrorCode(err) != EINVALID {
		t.Fatalf("empty extend with nothing pending: %v", err)
	}

	w.at("2026-03-03 16:00")
	e := w.do(uLead, Command{Action: ActExtend, WorkingDays: 2, Reason: " 需采购配件 "})
	if e.Action != ActExtendRequest || e.Note != "需采购配件" || e.Data.WorkingDays != 2 {
		t.Fatalf("request event %+v", e)
	}
	if x := w.c.Extension; x == nil || x.WorkingDays != 2 || x.Until != nil || x.Reason != "需采购配件" || !x.At.Equal(w.now) {
		t.Fatalf("pending extension %+v", x)
	}
	if !w.c.ResolveDue.Equal(oldDue) || w.c.Extended {
		t.Fatalf("a request moved the deadline")
	}

	w.at("2026-03-04 09:00")
	e = w.do(uDispatcher, Command{Action: ActExtend}) // grant the pending request
	if e.Action != ActExtend || e.Data.WorkingDays != 2 {
		t.Fatalf("approval event %+v", e)
	}
	// Thu 09:30 + 2 working days = Fri 09:30, Mon 09:30 (the weekend is skipped)
	if want := cst("2026-03-09 09:30"); !w.c.ResolveDue.Equal(want) || !e.Data.ResolveDue.Equal(want) {
		t.Fatalf("resolve due after approval %v, want %v", w.c.ResolveDue, want)
	}
	if !w.c.Extended || w.c.Extension != nil {
		t.Fatalf("after approval extended=%v extension=%+v", w.c.Extended, w.c.Extension)
	}

	// a request for a date, granted as asked
	until := cst("2026-03-12 17:30")
	w.at("2026-03-05 10:00")
	w.do(uLead, Command{Action: ActExtend, Until: &until, Reason: "施工队排期"})
	w.at("2026-03-05 11:00")
	w.do(uDispatcher, Command{Action: ActExtend})
	if !w.c.ResolveDue.Equal(until) {
		t.Fatalf("resolve due after date grant %v", w.c.ResolveDue)
	}
	// the dispatcher may move it directly, by days, without a request
	w.do(uDispatcher, Command{Action: ActExtend, WorkingDays: 1, Reason: "节前"})
	if !w.c.ResolveDue.Equal(cst("2026-03-13 17:30")) {
		t.Fatalf("resolve due after direct extend %v", w.c.ResolveDue)
	}
	// an overdue resolution is cleared by an extension and the new deadline runs again
	w.at("2026-03-13 17:31")
	if evs := w.sweep(tCounty); len(evs) != 2 || !w.c.OverdueResolve {
		t.Fatalf("sweep past the extended deadline: %+v", evs)
	}
	w.do(uDispatcher, Command{Action: ActExtend, WorkingDays: 1})
	p := w.c.Pending()
	if w.c.OverdueResolve || len(p) != 1 || p[0].Kind != DueResolve || !p[0].Due.Equal(cst("2026-03-16 17:30")) {
		t.Fatalf("after extending an overdue case: overdue=%v pending=%+v", w.c.OverdueResolve, p)
	}
	// resolving drops any pending request
	w.do(uLead, Command{Action: ActExtend, WorkingDays: 3, Reason: "再延"})
	w.do(uLead, Command{Action: ActResolve, Result: "已修复"})
	if w.c.Extension != nil {
		t.Fatalf("extension request survived resolution")
	}
}

func TestSuspendResumeShiftsDeadlines(t *testing.T) {
	w := newWorld(t)
	w.at("2026-03-02 09:05")
	w.do(uDispatcher, Command{Action: ActAccept})
	w.at("2026-03-02 09:10")
	w.do(uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_C", "ORG_D"}, Hours: 8}) // due Tue 10:10
	w.at("2026-03-02 09:30")
	w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"}) // ack Mon 11:30, resolve Thu 09:30
	w.at("2026-03-02 09:40")
	w.do(uLead, Command{Action: ActAcknowledge})
	w.at("2026-03-02 09:50")
	w.do(uLead, Command{Action: ActStart})
	w.at("2026-03-02 10:00")
	w.do(uSummoned, Command{Action: ActReportIn})
	if d := summonsOf(t, &w.c, "ORG_D").Due; !d.Equal(cst("2026-03-03 10:10")) {
		t.Fatalf("ORG_D due %v", d)
	}
	oldAck, oldRes, oldC := *w.c.AckDue, *w.c.ResolveDue, summonsOf(t, &w.c, "ORG_C").Due

	w.at("2026-03-03 10:00")
	w.do(uDispatcher, Command{Action: ActSuspend, Reason: "等待配件"})
	if w.c.Status != StatusSuspended || w.c.Resume != StatusInProgress || !w.c.SuspendedAt.Equal(w.now) {
		t.Fatalf("after suspend: %s resume=%s at=%v", w.c.Status, w.c.Resume, w.c.SuspendedAt)
	}
	// the clock is stopped: nothing pending, nothing swept however late
	if p := w.c.Pending(); p != nil {
		t.Fatalf("pending while suspended: %+v", p)
	}
	if evs := Sweep(&w.c, cst("2026-06-01 09:00"), tCounty); len(evs) != 0 {
		t.Fatalf("sweep while suspended: %+v", evs)
	}
	for _, a := range []Action{ActStart, ActResolve, ActSuspend, ActExtend, ActWhistle} {
		cmd := validCommand(a)
		u := uDispatcher
		if a == ActStart || a == ActResolve {
			u = uLead
		}
		if _, err := w.try(u, cmd); ErrorCode(err) != ECONFLICT {
			t.Errorf("%s while suspended: %v", a, err)
		}
	}

	w.at("2026-03-04 15:00")
	// hand count: Tue 10:00-12:00 (120) + 14:00-17:30 (210) + Wed 08:30-12:00 (210) + 14:00-15:00 (60)
	const spent = 600
	if got := w.cal.WorkingMinutesBetween(*w.c.SuspendedAt, w.now); got != spent {
		t.Fatalf("working minutes suspended %d, want %d", got, spent)
	}
	e := w.do(uDispatcher, Command{Action: ActResume})
	if e.From != StatusSuspended || e.To != StatusInProgress || w.c.Status != StatusInProgress || w.c.Resume != "" || w.c.SuspendedAt != nil {
		t.Fatalf("after resume: %+v / %s", e, w.c.Status)
	}
	checks := []struct {
		name     string
		old, got time.Time
		want     string
	}{
		{"resolve", oldRes, *w.c.ResolveDue, "2026-03-06 14:30"},
		{"ack", oldAck, *w.c.AckDue, "2026-03-03 16:30"},
		{"report-in ORG_D", cst("2026-03-03 10:10"), summonsOf(t, &w.c, "ORG_D").Due, "2026-03-04 15:10"},
	}
	for _, c := range checks {
		if !c.got.Equal(cst(c.want)) {
			t.Errorf("%s due %v, want %s", c.name, c.got, c.want)
		}
		if n := w.cal.WorkingMinutesBetween(c.old, c.got); n != spent {
			t.Errorf("%s moved by %d working minutes, want %d", c.name, n, spent)
		}
	}
	if d := summonsOf(t, &w.c, "ORG_C").Due; !d.Equal(oldC) {
		t.Errorf("a reported org's deadline moved: %v → %v", oldC, d)
	}
	p := w.c.Pending()
	if len(p) != 2 || p[0].Kind != DueReportIn || p[0].Org != "ORG_D" || p[1].Kind != DueResolve {
		t.Fatalf("pending after resume: %+v", p)
	}
}

func TestSuspendResumeReturnsToFormerStatus(t *testing.T) {
	for _, from := range []Status{StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress} {
		t.Run(string(from), func(t *testing.T) {
			w := reach(t, from)
			// suspended Friday evening, resumed Monday before office: no working time spent
			w.at("2026-03-06 17:40")
			w.do(uDispatcher, Command{Action: ActSuspend, Reason: "周末"})
			before := w.c
			w.at("2026-03-09 08:20")
			w.do(uDispatcher, Command{Action: ActResume})
			if w.c.Status != from {
				t.Fatalf("resumed to %s, want %s", w.c.Status, from)
			}
			same := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
			if !same(before.AckDue, w.c.AckDue) || !same(before.ResolveDue, w.c.ResolveDue) {
				t.Fatalf("deadlines moved over a weekend suspension: %v/%v → %v/%v", before.AckDue, before.ResolveDue, w.c.AckDue, w.c.ResolveDue)
			}
			if from == StatusDispatched {
				ack := false
				for _, p := range w.c.Pending() {
					ack = ack || p.Kind == DueAck
				}
				if !ack {
					t.Fatalf("ack deadline not running again: %+v", w.c.Pending())
				}
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Fold.
// ---------------------------------------------------------------------------

var timeType = reflect.TypeOf(time.Time{})

// normTimes puts every time.Time reachable from v into UTC, so that times read back
// from JSON (zone "+08:00") compare equal to times made in China.
func normTimes(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normTimes(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			normTimes(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			normTimes(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			x := reflect.New(v.Type().Elem()).Elem()
			x.Set(v.MapIndex(k))
			normTimes(x)
			v.SetMapIndex(k, x)
		}
	}
}

func normalised(c Case) Case {
	b, _ := json.Marshal(c) // deep copy, so normalising does not touch shared pointers
	var out Case
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	normTimes(reflect.ValueOf(&out).Elem())
	return out
}

// longLife walks one case through nearly every kind of event.
func longLife(t *testing.T) *world {
	w := newWorld(t)
	steps := []struct {
		at string
		u  User
		c  Command
	}{
		{"2026-03-02 09:05", uDispatcher, Command{Action: ActAccept, Note: "受理"}},
		{"2026-03-02 09:10", uDispatcher, Command{Action: ActWhistle, Orgs: []string{"ORG_C", "ORG_D"}, Hours: 1}},
		{"2026-03-02 09:20", uSummoned, Command{Action: ActReportIn}},
		{"2026-03-02 09:30", uDispatcher, Command{Action: ActDispatch, Org: "ORG_B"}},
		{"2026-03-02 09:40", uOtherOfficer, Command{Action: ActReturn, Reason: "非本单位职责"}},
		{"2026-03-02 10:00", uDispatcher, Command{Action: ActDispatch, Org: "ORG_A", CoOrgs: []string{"ORG_E"}}},
		{"", nil0, Command{}}, // sweep at 12:30: ORG_D overdue, ack overdue
		{"2026-03-02 14:10", uLead, Command{Action: ActAcknowledge}},
		{"2026-03-02 14:20", uLead, Command{Action: ActExtend, WorkingDays: 1, Reason: "需采购"}},
		{"2026-03-02 14:30", uDispatcher, Command{Action: ActExtend}},
		{"2026-03-02 15:00", uDispatcher, Command{Action: ActSuspend, Reason: "等待配件"}},
		{"2026-03-03 15:00", uMulti, Command{Action: ActReportIn, Org: "ORG_D"}},
		{"2026-03-04 09:00", uDispatcher, Command{Action: ActResume}},
		{"2026-03-04 09:10", uLead, Command{Action: ActStart}},
		{"2026-03-04 09:20", uCoOfficer, Command{Action: ActComment, Note: "协办单位已到场"}},
		{"2026-03-04 16:00", uLead, Command{Action: ActResolve, Result: "已修复"}},
		{"2026-03-05 09:00", uReporter, Command{Action: ActReopen, Note: "晚上又不亮"}},
		{"", nil0, Command{}}, // sweep far later: resolve overdue + escalation
		{"2026-03-20 10:00", uLead, Command{Action: ActResolve, Result: "更换整套灯具"}},
		{"2026-03-20 11:00", uGrid, Command{Action: ActVerify}},
		{"2026-03-20 15:00", uDispatcher, Command{Action: ActVisit, Satisfaction: BasicallySatisfied}},
		{"2026-03-20 15:10", uDispatcher, Command{Action: ActClose}},
	}
	sweeps := []string{"2026-03-02 12:30", "2026-03-19 09:00"}
	for _, s := range steps {
		if s.at == "" {
			w.at(sweeps[0])
			sweeps = sweeps[1:]
			if evs := w.sweep(tCounty); len(evs) == 0 {
				t.Fatalf("sweep at %v found nothing", w.now)
			}
			continue
		}
		w.at(s.at)
		w.do(s.u, s.c)
	}
	return w
}

var nil0 User

func TestFoldEqualsStepByStep(t *testing.T) {
	w := longLife(t)
	if w.c.Status != StatusClosed || w.c.Version != len(w.events) {
		t.Fatalf("long life ended %s version %d after %d events", w.c.Status, w.c.Version, len(w.events))
	}
	seen := map[Action]bool{}
	for _, e := range w.events {
		seen[e.Action] = true
	}
	for _, a := range []Action{ActReport, ActAccept, ActWhistle, ActReportIn, ActDispatch, ActReturn, ActAcknowledge,
		ActExtendRequest, ActExtend, ActSuspend, ActResume, ActStart, ActComment, ActResolve, ActReopen, ActVerify,
		ActVisit, ActClose, ActOverdueAck, ActOverdueResolve, ActOverdueReportIn, ActEscalate} {
		if !seen[a] {
			t.Errorf("long life has no %s event", a)
		}
	}
	// folding the very events gives the very case
	if got := Fold(w.c.ID, w.events); !reflect.DeepEqual(got, w.c) {
		t.Fatalf("Fold differs from the step-by-step case:\n%+v\n%+v", got, w.c)
	}
	// events as stored (JSON) fold to the same case, up to time zones
	b, err := json.Marshal(w.events)
	if err != nil {
		t.Fatal(err)
	}
	var stored []Event
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	got, want := normalised(Fold(w.c.ID, stored)), normalised(w.c)
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		t.Fatalf("Fold of stored events differs:\n%s\n%s", gb, wb)
	}
	// and every prefix folds to the case as it was then
	for i := range stored {
		pb, _ := json.Marshal(Fold(w.c.ID, stored[:i+1]))
		if string(pb) != string(w.snaps[i]) {
			t.Fatalf("prefix of %d events (%s) folds to\n%s\nwas\n%s", i+1, stored[i].Action, pb, w.snaps[i])
		}
	}
	// a few values the history must have left behind
	c := w.c
	if c.Returns != 1 || !c.Extended || c.Escalated != tCounty || !c.OverdueAck || !c.OverdueResolve ||
		c.Satisfaction != BasicallySatisfied || c.Result != "更换整套灯具" || c.ClosedAt == nil || c.LeadOrg != "ORG_A" {
		t.Fatalf("folded case: %+v", c)
	}
	if s := summonsOf(t, &c, "ORG_D"); !s.Overdue || s.ReportedAt == nil {
		t.Fatalf("ORG_D summons: %+v", s)
	}
}

// ---------------------------------------------------------------------------
// Deadlines: Pending and Sweep.
// ---------------------------------------------------------------------------

func countActions(evs []Event) map[Action]int {
	m := map[Action]int{}
	for _, e := range evs {
		m[e.Action]++
	}
	return m
}

func TestPendingAndSweep(t *testing.T) {
	w := newWorld(t)
	if p := w.c.Pending(); len(p) != 0 {
		t.Fatalf("pending on a reported case: %+v", p)
	}
	w.at("2026-03-02 09:30")
	w.do(uDispatcher, Command{Action: ActDispatch, Org: "ORG_A"})
	want := []PendingDeadline{{DueAck, "ORG_A", cst("2026-03-02 11:30")}, {DueResolve, "ORG_A", cst("2026-03-05 09:30")}}
	if p := w.c.Pending(); !samePending(p, want) {
		t.Fatalf("pending %+v, want %+v", p, want)
	}
	w.at("2026-03-02 11:29")
	if evs := w.sweep(tCounty); len(evs) != 0 {
		t.Fatalf("sweep before the ack deadline: %+v", evs)
	}
	w.at("2026-03-02 11:31")
	evs := w.sweep(tCounty)
	if len(evs) != 1 || evs[0].Action != ActOverdueAck || evs[0].Data.Org != "ORG_A" || evs[0].From != StatusDispatched ||
		evs[0].To != StatusDispatched || evs[0].ActorID != 0 || evs[0].ActorName != "system" || !evs[0].At.Equal(w.now) {
		t.Fatalf("ack sweep: %+v", evs)
	}
	if !w.c.OverdueAck || !w.c.Overdue() || !samePending(w.c.Pending(), want[1:]) {
		t.Fatalf("after ack sweep: overdue=%v pending=%+v", w.c.OverdueAck, w.c.Pending())
	}
	if evs := w.sweep(tCounty); len(evs) != 0 {
		t.Fatalf("ack swept twice: %+v", evs)
	}
	// acknowledging late is still allowed, and the lateness stays on record
	w.at("2026-03-02 14:00")
	w.do(uLead, Command{Action: ActAcknowledge})
	if !w.c.OverdueAck || !w.c.AckedAt.After(*w.c.AckDue) {
		t.Fatalf("late ack lost its lateness")
	}
	// the resolve deadline passes: overdue + escalation, once
	w.at("2026-03-05 09:31")
	evs = w.sweep(tCounty)
	if len(evs) != 2 || evs[0].Action != ActOverdueResolve || evs[1].Action != ActEscalate || evs[1].Data.Region != tCounty ||
		evs[0].From != StatusAcknowledged {
		t.Fatalf("resolve sweep: %+v", evs)
	}
	if !w.c.OverdueResolve || w.c.Escalated != tCounty || len(w.c.Pending()) != 0 {
		t.Fatalf("after resolve sweep: %+v", w.c)
	}
	w.at("2026-03-06 09:00")
	if evs := w.sweep(tCounty); len(evs) != 0 {
		t.Fatalf("second sweep after resolve: %+v", evs)
	}
	// an extension restarts the deadline; missing it again marks it, but escalates no more
	w.do(uDispatcher, Command{Action: ActExtend, WorkingDays: 1})
	w.at("2026-03-09 09:00")
	evs = w.sweep(tCounty)
	if c := countActions(evs); len(evs) != 1 || c[ActOverdueResolve] != 1 {
		t.Fatalf("sweep after the extension passed: %+v", evs)
	}
}

func samePending(a, b []PendingDeadline) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].Org != b[i].Org || !a[i].Due.Equal(b[i].Due) {
			return false
		}
	}
	return true
}

func TestSweepTable(t *testing.T) {
	far := "2026-06-01 09:00"
	cases := []struct {
		state      Status
		escalateTo string
		want       map[Action]int
	}{
		// every path from accepted on whistles ORG_C, who never reports in
		{StatusReported, tCounty, map[Action]int{}},
		{StatusAccepted, tCounty, map[Action]int{ActOverdueReportIn: 1}},
		{StatusDispatched, tCounty, map[Action]int{ActOverdueAck: 1, ActOverdueResolve: 1, ActEscalate: 1, ActOverdueReportIn: 1}},
		{StatusDispatched, "", map[Action]int{ActOverdueAck: 1, ActOverdueResolve: 1, ActOverdueReportIn: 1}},
		{StatusAcknowledged, tCounty, map[Action]int{ActOverdueResolve: 1, ActEscalate: 1, ActOverdueReportIn: 1}},
		{StatusInProgress, tCounty, map[Action]int{ActOverdueResolve: 1, ActEscalate: 1, ActOverdueReportIn: 1}},
		{StatusResolved, tCounty, map[Action]int{ActOverdueReportIn: 1}},
		{StatusVerified, tCounty, map[Action]int{ActOverdueReportIn: 1}},
		{StatusReturned, tCounty, map[Action]int{ActOverdueReportIn: 1}},
		{StatusSuspended, tCounty, map[Action]int{}},
		{StatusClosed, tCounty, map[Action]int{}},
		{StatusRejected, tCounty, map[Action]int{}},
		{StatusMerged, tCounty, map[Action]int{}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/escalate=%q", tc.state, tc.escalateTo), func(t *testing.T) {
			w := reach(t, tc.state)
			w.at(far)
			evs := w.sweep(tc.escalateTo)
			if got := countActions(evs); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("sweep gave %v, want %v", got, tc.want)
			}
			for _, e := range evs {
				if e.From != tc.state || e.To != tc.state {
					t.Errorf("sweep event %s changes status %s→%s", e.Action, e.From, e.To)
				}
			}
			if w.c.Status != tc.state {
				t.Fatalf("sweep moved the case to %s", w.c.Status)
			}
			if p := w.c.Pending(); len(p) != 0 {
				t.Fatalf("still pending after sweep: %+v", p)
			}
			if evs := w.sweep(tc.escalateTo); len(evs) != 0 {
				t.Fatalf("second sweep: %+v", evs)
			}
			if len(tc.want) > 0 && !w.c.Overdue() {
				t.Fatalf("swept case not overdue")
			}
		})
	}
}

func TestPendingSorted(t *testing.T) {
	w := reach(t, StatusDispatched)
	p := w.c.Pending()
	if len(p) != 3 || !sort.SliceIsSorted(p, func(i, j int) bool { return p[i].Due.Before(p[j].Due) }) {
		t.Fatalf("pending %+v", p)
	}
	// whistled at 09:20 with 2h → 11:20; dispatched 09:30 → ack 11:30; resolve Thu 09:30
	if p[0].Kind != DueReportIn || p[0].Org != "ORG_C" || !p[0].Due.Equal(cst("2026-03-02 11:20")) ||
		p[1].Kind != DueAck || p[2].Kind != DueResolve {
		t.Fatalf("pending order %+v", p)
	}
}

// ---------------------------------------------------------------------------
// Small helpers of the case.
// ---------------------------------------------------------------------------

func TestStatusTerminal(t *testing.T) {
	want := map[Status]bool{StatusClosed: true, StatusRejected: true, StatusMerged: true}
	for _, s := range Statuses {
		if s.Terminal() != want[s] {
			t.Errorf("%s.Terminal() = %v", s, s.Terminal())
		}
	}
	if len(Statuses) != 12 {
		t.Errorf("%d statuses, DESIGN §3 names 12", len(Statuses))
	}
}

func TestNewCaseValidate(t *testing.T) {
	lat, lon, bad := 27.7, 111.7, 91.0
	cases := []struct {
		name string
		edit func(n *NewCase)
		want string
	}{
		{"ok", func(n *NewCase) {}, ""},
		{"defaults", func(n *NewCase) { n.Channel, n.Kind = "", "" }, ""},
		{"no matter", func(n *NewCase) { n.Matter = "" }, EINVALID},
		{"blank title", func(n *NewCase) { n.Title = "   " }, EINVALID},
		{"title of 200 runes", func(n *NewCase) { n.Title = strings.Repeat("灯", 200) }, ""},
		{"title of 201 runes", func(n *NewCase) { n.Title = strings.Repeat("灯", 201) }, EINVALID},
		{"no region", func(n *NewCase) { n.Region = "" }, EINVALID},
		{"unknown channel", func(n *NewCase) { n.Channel = "pigeon" }, EINVALID},
		{"unknown kind", func(n *NewCase) { n.Kind = "rumour" }, EINVALID},
		{"lat without lon", func(n *NewCase) { n.Lat = &lat }, EINVALID},
		{"position", func(n *NewCase) { n.Lat, n.Lon = &lat, &lon }, ""},
		{"lat out of range", func(n *NewCase) { n.Lat, n.Lon = &bad, &lon }, EINVALID},
		{"phone too long", func(n *NewCase) { n.Reporter.Phone = strings.Repeat("1", 41) }, EINVALID},
	}
	for _, tc := range cases {
		n := newCaseInput(tBuilding)
		tc.edit(&n)
		if got := ErrorCode(n.Validate()); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
		if tc.name == "defaults" && (n.Channel != "online" || n.Kind != "request") {
			t.Errorf("defaults: %s %s", n.Channel, n.Kind)
		}
	}
}

func TestIntake(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 123456789, time.UTC)
	e := Intake(uReporter, NewCase{Matter: "M01", Title: "t", Region: tBuilding}, "WS-9", testMatter, now)
	if e.Action != ActReport || e.To != StatusReported || e.Data.Number != "WS-9" || e.Data.Priority != 2 ||
		e.Data.Intake.Reporter.UserID != uReporter.ID || e.Data.Intake.Reporter.Name != uReporter.Name || e.At.Nanosecond() != 0 {
		t.Fatalf("intake event %+v", e)
	}
	c := Fold(9, []Event{e})
	if c.ID != 9 || c.Version != 1 || c.Status != StatusReported || c.Number != "WS-9" || c.CoOrgs == nil || c.Summons == nil || !c.CreatedAt.Equal(e.At) {
		t.Fatalf("folded intake %+v", c)
	}
	// the public with no account: the reporter's own name stays
	e = Intake(User{}, NewCase{Matter: "M01", Title: "t", Region: tBuilding, Reporter: Reporter{Name: "李四"}}, "WS-10", testMatter, now)
	if e.Data.Intake.Reporter.UserID != 0 || e.Data.Intake.Reporter.Name != "李四" {
		t.Fatalf("anonymous intake %+v", e.Data.Intake.Reporter)
	}
}

// TestIntakeFound: a report of something found before it was entered is received when
// it was found (CreatedAt, and so the rollup's day) while its event and UpdatedAt keep
// the entry; a found time not before the entry changes nothing; deadlines set at the
// dispatch count from the dispatch.
func TestIntakeFound(t *testing.T) {
	entered := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // Monday 09:00 in China
	found := time.Date(2026, 2, 25, 2, 30, 0, 999, time.UTC)
	e := Intake(uGrid, NewCase{Matter: "M01", Title: "t", Region: tGrid}, "WS-11", testMatter, entered)
	e.Found(found)
	if e.Data.FoundAt == nil || !e.Data.FoundAt.Equal(found.Truncate(time.Second)) || !e.At.Equal(entered) {
		t.Fatalf("found intake %+v", e)
	}
	c := Fold(11, []Event{e})
	if !c.CreatedAt.Equal(found.Truncate(time.Second)) || !c.UpdatedAt.Equal(entered) {
		t.Fatalf("folded: created %s updated %s", c.CreatedAt, c.UpdatedAt)
	}
	if k, _ := c.Rollup(); k.Day != "2026-02-25" {
		t.Errorf("rollup day %s, want the day it was found", k.Day)
	}
	for _, later := range []time.Time{{}, entered, entered.Add(time.Hour)} {
		e := Intake(uGrid, NewCase{Matter: "M01", Title: "t", Region: tGrid}, "WS-12", testMatter, entered)
		e.Found(later)
		if c := Fold(12, []Event{e}); e.Data.FoundAt != nil || !c.CreatedAt.Equal(entered) {
			t.Errorf("found %s: %+v created %s", later, e.Data.FoundAt, c.CreatedAt)
		}
	}
}

// TestPendingDeadlinesAreActionable: every deadline the sweeper may mark late is one the
// responsible org can still meet in that state; nobody is marked late for a deadline
// they were refused the chance to meet.
func TestPendingDeadlinesAreActionable(t *testing.T) {
	officers := map[string]User{"ORG_A": uLead, "ORG_C": uSummoned}
	for _, st := range Statuses {
		w := reach(t, st)
		for _, p := range w.c.Pending() {
			u, ok := officers[p.Org]
			if !ok {
				t.Fatalf("%s: pending deadline of unexpected org %s", st, p.Org)
			}
			var cmd Command
			switch {
			case p.Kind == DueReportIn:
				cmd = Command{Action: ActReportIn}
			case p.Kind == DueAck, p.Kind == DueResolve && st == StatusDispatched:
				cmd = Command{Action: ActAcknowledge}
			case p.Kind == DueResolve:
				cmd = Command{Action: ActResolve, Result: "已办结"}
			}
			if _, err := w.try(u, cmd); err != nil {
				t.Errorf("%s: %s deadline of %s runs, but %s is refused: %v", st, p.Kind, p.Org, cmd.Action, err)
			}
		}
	}
}

// TestAnswerDirectly: a consultation answered on the call is closed with the answer as
// its result, never dispatched, and counts once as received, accepted, closed and
// answered, and in no rate; a request is not answered so, nor an answer left empty.
func TestAnswerDirectly(t *testing.T) {
	w := reach(t, StatusReported)
	cmd := Command{Action: ActAnswer, Version: w.c.Version, Result: "报修电话 0738-1234567"}
	e, err := Decide(uDispatcher, &w.c, cmd, w.env())
	if err != nil || e.To != StatusClosed || e.Data.Result != cmd.Result {
		t.Fatalf("answer: %v %+v", err, e)
	}
	c := Fold(w.c.ID, append(w.events, e))
	if !c.Answered() || c.Result != cmd.Result || c.ClosedAt == nil || c.DispatchedAt != nil || c.ResolvedAt != nil {
		t.Fatalf("the case after: %+v", c)
	}
	if _, tl := c.Rollup(); tl.Answered != 1 || tl.Closed != 1 || tl.Accepted != 1 || tl.Dispatched != 0 || tl.Resolved != 0 {
		t.Errorf("tally %+v", tl)
	}
	empty := cmd
	empty.Result = "  "
	if _, err := Decide(uDispatcher, &w.c, empty, w.env()); ErrorCode(err) != EINVALID {
		t.Errorf("an empty answer: %v", err)
	}
	req := w.c
	req.Kind = "request"
	if _, err := Decide(uDispatcher, &req, cmd, w.env()); ErrorCode(err) != ECONFLICT {
		t.Errorf("a request answered directly: %v", err)
	}
}
