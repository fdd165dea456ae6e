package domain

import (
	"fmt"
	"strings"
	"time"
)

// Status is a case's place in its lifecycle (DESIGN §3).
type Status string

const (
	StatusReported     Status = "reported"     // 已上报
	StatusAccepted     Status = "accepted"     // 已受理
	StatusDispatched   Status = "dispatched"   // 已派遣
	StatusAcknowledged Status = "acknowledged" // 已签收
	StatusInProgress   Status = "in_progress"  // 办理中
	StatusResolved     Status = "resolved"     // 已办结
	StatusVerified     Status = "verified"     // 已核查
	StatusClosed       Status = "closed"       // 已结案
	StatusRejected     Status = "rejected"     // 不予受理
	StatusMerged       Status = "merged"       // 已合并
	StatusReturned     Status = "returned"     // 已退单
	StatusSuspended    Status = "suspended"    // 已挂起
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusReported, StatusAccepted, StatusDispatched, StatusAcknowledged, StatusInProgress,
	StatusResolved, StatusVerified, StatusClosed, StatusRejected, StatusMerged, StatusReturned, StatusSuspended}

// Terminal tells whether nothing more happens to a case in this status.
func (s Status) Terminal() bool {
	return s == StatusClosed || s == StatusRejected || s == StatusMerged
}

// Channel is the door a case came in by.
type Channel string

// Channels lists the intake channels.
var Channels = []Channel{"grid_patrol", "hotline", "window", "cannot_do_window", "online", "open311", "liaison", "inspection", "supervision"}

// Kind is what sort of case it is.
type Kind string

// Kinds lists the kinds of case.
var Kinds = []Kind{"request", "consultation", "complaint", "suggestion", "hazard", "enterprise_problem", "praise"}

// CallKinds are the kinds a 12345 call-taker asks about (咨询, 求助, 投诉, 建议, 表扬), in
// the order the seat offers them.
var CallKinds = []Kind{"consultation", "request", "complaint", "suggestion", "praise"}

// Satisfaction is the answer of a return visit (回访).
type Satisfaction string

const (
	Satisfied          Satisfaction = "satisfied"           // 满意
	BasicallySatisfied Satisfaction = "basically_satisfied" // 基本满意
	Dissatisfied       Satisfaction = "dissatisfied"        // 不满意
)

// Reporter is who reported a case. Name and phone are personal data.
type Reporter struct {
	Name   string `json:"name,omitempty"`
	Phone  string `json:"phone,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
}

// Summons is one org whistled to a case (吹哨): it must report in (报到) before Due.
type Summons struct {
	Org        string     `json:"org"`
	Due        time.Time  `json:"due"`
	ReportedAt *time.Time `json:"reported_at,omitempty"`
	Overdue    bool       `json:"overdue"`
}

// Late tells whether the org reported in after its deadline or not yet past it.
func (s Summons) Late() bool {
	return s.Overdue || (s.ReportedAt != nil && s.ReportedAt.After(s.Due))
}

// Extension is a pending request of the lead org to move the resolve deadline.
type Extension struct {
	WorkingDays int        `json:"working_days,omitempty"`
	Until       *time.Time `json:"until,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	At          time.Time  `json:"at"`
}

// Case is the central object (工单). Its fields are the fold of its events.
type Case struct {
	ID             int64        `json:"id"`
	Number         string       `json:"number"`
	Status         Status       `json:"status"`
	Resume         Status       `json:"resume_status,omitempty"` // the status a suspended case returns to
	Version        int          `json:"version"`
	Matter         string       `json:"matter"`
	Title          string       `json:"title"`
	Description    string       `json:"description,omitempty"`
	Region         string       `json:"region"`
	Lat            *float64     `json:"lat,omitempty"`
	Lon            *float64     `json:"lon,omitempty"`
	Address        string       `json:"address,omitempty"`
	Channel        Channel      `json:"channel"`
	Kind           Kind         `json:"kind"`
	Priority       int          `json:"priority"`
	Reporter       Reporter     `json:"reporter"`
	LeadOrg        string       `json:"lead_org"`
	CoOrgs         []string     `json:"co_orgs"`
	Summons        []Summons    `json:"summons"`
	AckDue         *time.Time   `json:"ack_due"`
	ResolveDue     *time.Time   `json:"resolve_due"`
	DispatchedAt   *time.Time   `json:"dispatched_at,omitempty"`
	AckedAt        *time.Time   `json:"acked_at,omitempty"`
	ResolvedAt     *time.Time   `json:"resolved_at,omitempty"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
	SuspendedAt    *time.Time   `json:"suspended_at,omitempty"`
	OverdueAck     bool         `json:"overdue_ack"`
	OverdueResolve bool         `json:"overdue_resolve"`
	Extended       bool         `json:"extended"`
	Extension      *Extension   `json:"extension_request,omitempty"`
	Escalated      string       `json:"escalated_to,omitempty"` // region whose dispatchers were alerted
	Returns        int          `json:"returns"`
	Reopens        int          `json:"reopens"` // 发回重办: times sent back for rework after its resolution
	Result         string       `json:"result,omitempty"`
	Satisfaction   Satisfaction `json:"satisfaction,omitempty"`
	MergedInto     int64        `json:"merged_into,omitempty"`
	Supervision    *Supervision `json:"supervision,omitempty"` // a leader's 督办
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Events         []Event      `json:"events,omitempty"`
}

// Involves tells whether org leads, co-handles or was summoned to the case.
func (c *Case) Involves(org string) bool {
	if org == "" {
		return false
	}
	if c.LeadOrg == org {
		return true
	}
	for _, o := range c.CoOrgs {
		if o == org {
			return true
		}
	}
	for _, s := range c.Summons {
		if s.Org == org {
			return true
		}
	}
	return false
}

// Orgs lists every org the case involves, lead first, without repeats.
func (c *Case) Orgs() []string {
	var out []string
	seen := map[string]bool{"": true}
	add := func(o string) {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	add(c.LeadOrg)
	for _, o := range c.CoOrgs {
		add(o)
	}
	for _, s := range c.Summons {
		add(s.Org)
	}
	return out
}

// Answered tells whether the case was answered on the call and closed there (直接答复办结):
// closed and never dispatched, which only ActAnswer does (ActClose follows a resolution,
// which follows a dispatch).
func (c *Case) Answered() bool { return c.Status == StatusClosed && c.DispatchedAt == nil }

// Overdue tells whether any deadline of the case has passed unmet.
func (c *Case) Overdue() bool {
	if c.OverdueAck || c.OverdueResolve {
		return true
	}
	for _, s := range c.Summons {
		if s.Overdue {
			return true
		}
	}
	return false
}

// NewCase is what a reporter files.
type NewCase struct {
	Matter      string   `json:"matter"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Region      string   `json:"region"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
	Address     string   `json:"address"`
	Channel     Channel  `json:"channel"`
	Kind        Kind     `json:"kind"`
	Reporter    Reporter `json:"reporter"`
}

// Validate checks a new case's own fields; the matter and region are checked against
// the catalog and the tree by the caller.
func (n *NewCase) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	n.Description = strings.TrimSpace(n.Description)
	if n.Matter == "" {
		return Errorf(EINVALID, "matter is required")
	}
	if n.Title == "" {
		return Errorf(EINVALID, "title is required")
	}
	if len([]rune(n.Title)) > 200 {
		return Errorf(EINVALID, "title is longer than 200 characters")
	}
	if len(n.Description) > 20000 || len(n.Address) > 500 || len(n.Reporter.Name) > 100 || len(n.Reporter.Phone) > 40 {
		return Errorf(EINVALID, "description, address or reporter fields are too long")
	}
	if n.Region == "" {
		return Errorf(EINVALID, "region is required (or lat/lon inside a mapped grid)")
	}
	if n.Channel == "" {
		n.Channel = "online"
	}
	if !oneOf(n.Channel, Channels) {
		return Errorf(EINVALID, "unknown channel %q", n.Channel)
	}
	if n.Kind == "" {
		n.Kind = "request"
	}
	if !oneOf(n.Kind, Kinds) {
		return Errorf(EINVALID, "unknown kind %q", n.Kind)
	}
	if (n.Lat == nil) != (n.Lon == nil) {
		return Errorf(EINVALID, "lat and lon go together")
	}
	if n.Lat != nil && (*n.Lat < -90 || *n.Lat > 90 || *n.Lon < -180 || *n.Lon > 180) {
		return Errorf(EINVALID, "lat/lon out of range")
	}
	return nil
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// NumberDay is the day part of the case numbers given at t (YYYYMMDD, China time): each
// day's cases are numbered from 1, the way call centres read them out.
func NumberDay(t time.Time) string { return t.In(China).Format("20060102") }

// CaseNumber is the seq-th case number of day (a NumberDay), e.g. 20260302-000042.
func CaseNumber(day string, seq int64) string { return fmt.Sprintf("%s-%06d", day, seq) }

// PublicFilter selects the cases the Open311 API shows: cases of public matters only,
// and none of an enterprise's problems or of inspections.
type PublicFilter struct {
	IDs      []int64 // when set, every other field but Region is ignored
	Matters  []string
	Open     *bool // open: not closed, rejected or merged
	From, To time.Time
	Region   string // a jurisdiction's subtree
	Limit    int
}

// CaseFilter selects cases for a list. Empty fields do not filter.
type CaseFilter struct {
	Status   []Status
	Region   string // subtree
	Org      string // lead, co-handling or summoned
	Lead     string // lead org only: the org a statistic by org counts a case under
	Matter   string
	Channel  string
	Kind     string
	Window   []int64 // came through any of these windows (大综窗); a hall's figures list its windows
	Overdue  *bool
	Q        string // words in the number, title, description or address
	From, To *time.Time
	After    int64 // cursor: ids below this one
	Limit    int
}

// TitleFrom makes a case title from a report's description: its first line, cut to 60
// characters with an ellipsis; "" for an empty description.
func TitleFrom(description string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(description), "\n")
	rs := []rune(strings.TrimSpace(line))
	if len(rs) > 60 {
		return string(rs[:60]) + "…"
	}
	return string(rs)
}
