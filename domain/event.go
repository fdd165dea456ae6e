package domain

import "time"

// Action names an event. The API's case actions are these names; report and the
// overdue_* and escalate actions are written by intake and the sweeper.
type Action string

const (
	ActReport          Action = "report"
	ActAccept          Action = "accept"
	ActReject          Action = "reject"
	ActMerge           Action = "merge"
	ActDispatch        Action = "dispatch"
	ActAcknowledge     Action = "acknowledge"
	ActReturn          Action = "return"
	ActWhistle         Action = "whistle"
	ActReportIn        Action = "report-in"
	ActStart           Action = "start"
	ActResolve         Action = "resolve"
	ActVerify          Action = "verify"
	ActReopen          Action = "reopen"
	ActVisit           Action = "visit"
	ActClose           Action = "close"
	ActAnswer          Action = "answer" // 直接答复办结: a consultation answered on the call
	ActExtend          Action = "extend"
	ActExtendRequest   Action = "extend_request"
	ActSuspend         Action = "suspend"
	ActResume          Action = "resume"
	ActComment         Action = "comment"
	ActOverdueAck      Action = "overdue_ack"
	ActOverdueResolve  Action = "overdue_resolve"
	ActOverdueReportIn Action = "overdue_report_in"
	ActEscalate        Action = "escalate"
	// a leader's (domain/supervision.go): 督办 with a deadline, 批示 on the timeline, and
	// the sweeper's mark of a supervision's deadline passed
	ActSupervise        Action = "supervise"
	ActInstruct         Action = "instruct"
	ActOverdueSupervise Action = "overdue_supervise"
)

// CaseActions are the actions a user may ask for through POST /cases/{id}/{action}.
var CaseActions = []Action{ActAccept, ActReject, ActMerge, ActDispatch, ActAcknowledge, ActReturn, ActWhistle,
	ActReportIn, ActStart, ActResolve, ActVerify, ActReopen, ActVisit, ActClose, ActExtend, ActSuspend,
	ActResume, ActComment, ActSupervise, ActInstruct, ActAnswer}

// Event is one append-only change of a case. Data carries every value the change set,
// so folding the events again yields the case row exactly.
type Event struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	Seq       int       `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id,omitempty"` // 0: the system (sweeper)
	ActorName string    `json:"actor"`
	Action    Action    `json:"action"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	Note      string    `json:"note,omitempty"`
	Data      EventData `json:"data"`
}

// EventData holds the values an action sets; each action uses a few of them.
type EventData struct {
	Intake       *NewCase             `json:"intake,omitempty"`
	Number       string               `json:"number,omitempty"`
	Priority     int                  `json:"priority,omitempty"`
	Org          string               `json:"org,omitempty"`
	CoOrgs       []string             `json:"co_orgs,omitempty"`
	Orgs         []string             `json:"orgs,omitempty"`
	Into         int64                `json:"into,omitempty"`
	AckDue       *time.Time           `json:"ack_due,omitempty"`
	ResolveDue   *time.Time           `json:"resolve_due,omitempty"`
	Dues         map[string]time.Time `json:"dues,omitempty"` // org → report-in deadline
	Result       string               `json:"result,omitempty"`
	Satisfaction Satisfaction         `json:"satisfaction,omitempty"`
	WorkingDays  int                  `json:"working_days,omitempty"`
	Until        *time.Time           `json:"until,omitempty"`
	Region       string               `json:"region,omitempty"`
	// FoundAt is when what an intake reports was found, when that was before it was
	// typed in (a hazard found on a patrol entered days later): the case is received
	// then, while the event's At keeps when it was entered.
	FoundAt *time.Time `json:"found_at,omitempty"`
	// SuperviseDue is the deadline a leader's supervision gives the lead org.
	SuperviseDue *time.Time `json:"supervise_due,omitempty"`
}
