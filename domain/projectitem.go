package domain

import (
	"slices"
	"strings"
	"time"
)

// ItemState is where a project's approval item stands.
type ItemState string

const (
	ItemApplied       ItemState = "applied"       // 已申报
	ItemAccepted      ItemState = "accepted"      // 已受理 (or 容缺受理): the clock runs
	ItemSupplementing ItemState = "supplementing" // 补正中: the clock stops
	ItemApproved      ItemState = "approved"      // 已办结
	ItemRefused       ItemState = "refused"       // 不予许可
)

// ItemStateNames are the states in the pages' words.
var ItemStateNames = map[ItemState]string{ItemApplied: "已申报", ItemAccepted: "已受理", ItemSupplementing: "补正中",
	ItemApproved: "已办结", ItemRefused: "不予许可"}

// ItemAction is what is done to an item.
type ItemAction string

const (
	ItemApply      ItemAction = "apply"              // the agent or investor files it
	ItemAccept     ItemAction = "accept"             // the department accepts (受理)
	ItemAcceptGaps ItemAction = "accept_with_gaps"   // 容缺受理: documents named, due by a day
	ItemSupplement ItemAction = "request_supplement" // 补正: the clock stops
	ItemResubmit   ItemAction = "resubmit"           // the applicant resubmits: the clock resumes
	ItemSupplyGaps ItemAction = "supply_gaps"        // the 容缺 documents arrive
	ItemApprove    ItemAction = "approve"            // 办结, with the permit number
	ItemCommit     ItemAction = "approve_on_commitment"
	ItemRefuse     ItemAction = "refuse"
	ItemCheck      ItemAction = "check" // a 告知承诺制 approval checked afterwards
)

// ItemActions lists every action.
var ItemActions = []ItemAction{ItemApply, ItemAccept, ItemAcceptGaps, ItemSupplement, ItemResubmit, ItemSupplyGaps,
	ItemApprove, ItemCommit, ItemRefuse, ItemCheck}

// ByApplicant tells whether the applicant's side (the agent, the investor) does a: the
// department does the others.
func (a ItemAction) ByApplicant() bool {
	return a == ItemApply || a == ItemResubmit || a == ItemSupplyGaps
}

// ProjectItem is one approval item of one project, an instance of the catalogue's.
// Its clock counts working minutes from Accepted; Paused holds the working minutes
// spent in 补正 so far, and PausedAt when one runs. Due is when the promised limit ends
// (nil while paused or once decided), LateAt when the sweeper flagged it late.
type ProjectItem struct {
	ID         int64      `json:"id"`
	ProjectID  int64      `json:"project_id"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Stage      Stage      `json:"stage"`
	Org        string     `json:"org"`
	State      ItemState  `json:"state"`
	Statutory  int        `json:"statutory_days"`
	Limit      int        `json:"limit_days"` // the promised limit for the project's tier
	VIP        bool       `json:"vip"`        // first in the department's queue
	Applied    time.Time  `json:"applied_at"`
	Accepted   *time.Time `json:"accepted_at,omitempty"`
	Gaps       []string   `json:"gaps,omitempty"`     // 容缺: the documents to follow
	GapsDue    string     `json:"gaps_due,omitempty"` // by this day
	Supplement string     `json:"supplement,omitempty"`
	PausedAt   *time.Time `json:"paused_at,omitempty"`
	Paused     int        `json:"paused_minutes"`
	Due        *time.Time `json:"due_at,omitempty"`
	Decided    *time.Time `json:"decided_at,omitempty"`
	Permit     string     `json:"permit,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	Commitment bool       `json:"commitment"` // approved on the applicant's written commitment
	CheckedAt  *time.Time `json:"checked_at,omitempty"`
	LateAt     *time.Time `json:"late_at,omitempty"`
	Used       *int       `json:"taken_minutes,omitempty"` // working minutes used, once decided
	Version    int        `json:"version"`
}

// ItemInput carries what an action needs beyond its name.
type ItemInput struct {
	Gaps    []string `json:"gaps,omitempty"`
	GapsDue string   `json:"gaps_due,omitempty"`
	Note    string   `json:"note,omitempty"` // what to supplement, or the refusal's reason
	Permit  string   `json:"permit,omitempty"`
	Version int      `json:"version"`
}

// NewProjectItem files catalogue item a for a project of tier t at time at.
func NewProjectItem(projectID int64, a ApprovalItem, t Tier, at time.Time) ProjectItem {
	return ProjectItem{ProjectID: projectID, Code: a.Code, Name: a.Name, Stage: a.Stage, Org: a.Org, State: ItemApplied,
		Statutory: a.Statutory, Limit: a.LimitFor(t), VIP: t == TierVIP, Applied: at.Truncate(time.Minute)}
}

func at(t time.Time) *time.Time {
	t = t.In(China).Truncate(time.Minute)
	return &t
}

// Act applies action a at time now on the calendar, checking the state allows it.
// Who may act is the service's question (ProjectRole).
func (it *ProjectItem) Act(a ItemAction, in ItemInput, now time.Time, cal *Calendar) error {
	if in.Version != 0 && in.Version != it.Version {
		return Errorf(ESTALE, "item %d is at version %d, not %d", it.ID, it.Version, in.Version)
	}
	from := map[ItemAction][]ItemState{ItemAccept: {ItemApplied}, ItemAcceptGaps: {ItemApplied}, ItemCommit: {ItemApplied},
		ItemSupplement: {ItemAccepted}, ItemResubmit: {ItemSupplementing}, ItemSupplyGaps: {ItemAccepted, ItemSupplementing, ItemApproved},
		ItemApprove: {ItemAccepted}, ItemRefuse: {ItemAccepted, ItemApplied}, ItemCheck: {ItemApproved}}
	if !slices.Contains(from[a], it.State) {
		return Errorf(ECONFLICT, "item %d is %s: %s is not possible", it.ID, it.State, a)
	}
	in.Note, in.Permit = strings.TrimSpace(in.Note), strings.TrimSpace(in.Permit)
	if len(in.Note) > 1000 || len(in.Permit) > 100 {
		return Errorf(EINVALID, "note and permit must be short")
	}
	switch a {
	case ItemAccept, ItemAcceptGaps:
		return it.accept(a, in, now, cal)
	case ItemSupplement:
		if in.Note == "" {
			return Errorf(EINVALID, "note: say what is to be supplemented (补正)")
		}
		it.State, it.Supplement, it.PausedAt, it.Due = ItemSupplementing, in.Note, at(now), nil
	case ItemResubmit:
		it.Paused += cal.WorkingMinutesBetween(*it.PausedAt, now)
		it.State, it.PausedAt = ItemAccepted, nil
		it.setDue(cal)
	case ItemSupplyGaps:
		if len(it.Gaps) == 0 {
			return Errorf(ECONFLICT, "item %d awaits no 容缺 documents", it.ID)
		}
		it.Gaps, it.GapsDue = nil, ""
	case ItemApprove, ItemCommit:
		if in.Permit == "" {
			return Errorf(EINVALID, "permit: the permit or approval number (批准文号)")
		}
		if a == ItemCommit {
			it.Accepted, it.Commitment = at(now), true
		}
		it.State, it.Permit, it.Decided, it.Due = ItemApproved, in.Permit, at(now), nil
	case ItemRefuse:
		if in.Note == "" {
			return Errorf(EINVALID, "note: the reason of the refusal")
		}
		it.State, it.Reason, it.Decided, it.Due = ItemRefused, in.Note, at(now), nil
	case ItemCheck:
		if !it.Commitment || it.CheckedAt != nil {
			return Errorf(ECONFLICT, "item %d is no unchecked 告知承诺制 approval", it.ID)
		}
		it.CheckedAt = at(now)
	}
	if (a == ItemApprove || a == ItemRefuse) && it.Accepted != nil {
		m := it.Taken(now, cal)
		it.Used = &m
		if it.Late(now, cal) && it.LateAt == nil {
			it.LateAt = at(now)
		}
	}
	return nil
}

func (it *ProjectItem) accept(a ItemAction, in ItemInput, now time.Time, cal *Calendar) error {
	if a == ItemAcceptGaps {
		gaps := []string{}
		for _, g := range in.Gaps {
			if g = strings.TrimSpace(g); g != "" && len(g) <= 200 {
				gaps = append(gaps, g)
			}
		}
		if len(gaps) == 0 || len(gaps) > 20 || len(gaps) != len(in.Gaps) {
			return Errorf(EINVALID, "gaps: name the documents to follow (1 to 20, each at most 200 bytes)")
		}
		if !validDate(in.GapsDue) || in.GapsDue < now.In(China).Format("2006-01-02") {
			return Errorf(EINVALID, "gaps_due: the day the documents are due, YYYY-MM-DD, not before today")
		}
		it.Gaps, it.GapsDue = gaps, in.GapsDue
	}
	it.State, it.Accepted = ItemAccepted, at(now)
	it.setDue(cal)
	return nil
}

// setDue sets when the promised limit ends: the limit's working minutes plus the
// minutes paused, from acceptance.
func (it *ProjectItem) setDue(cal *Calendar) {
	d := cal.AddWorkingMinutes(*it.Accepted, it.Limit*cal.DayMinutes()+it.Paused)
	it.Due = &d
}

// Running tells whether the item's clock runs.
func (it *ProjectItem) Running() bool { return it.State == ItemAccepted }

// Taken is the working minutes the item has used up to now (or its decision): from
// acceptance, less the pauses. 0 before acceptance.
func (it *ProjectItem) Taken(now time.Time, cal *Calendar) int {
	if it.Accepted == nil {
		return 0
	}
	end := now
	switch {
	case it.Decided != nil:
		end = *it.Decided
	case it.PausedAt != nil:
		end = *it.PausedAt
	}
	return cal.WorkingMinutesBetween(*it.Accepted, end) - it.Paused
}

// Late tells whether the item took, or has taken so far, more than its promised limit.
func (it *ProjectItem) Late(now time.Time, cal *Calendar) bool {
	return it.Accepted != nil && !it.Commitment && it.Taken(now, cal) > it.Limit*cal.DayMinutes()
}

// ProjectRole is what u is to a project: its investor, agent or leader, an officer of
// a department with an item of it, a reader in scope (leader, dispatcher, admin), or
// nothing (the project does not exist for u).
type ProjectRole struct {
	Investor, Agent, Leader, Reader, Admin bool
	Orgs                                   []string // u's departments with items of the project
}

// Sees tells whether u sees the project at all.
func (r ProjectRole) Sees() bool {
	return r.Investor || r.Agent || r.Leader || r.Reader || len(r.Orgs) > 0
}

// Applicant tells whether u files and follows items for the project.
func (r ProjectRole) Applicant() bool { return r.Investor || r.Agent }

// Manages tells whether u changes the project itself and advances its stages: its
// 首席服务官, its 金牌代办员, or an administrator or leader of its region.
func (r ProjectRole) Manages() bool { return r.Agent || r.Leader || r.Admin }

// RoleIn works out u's role in p.
func RoleIn(u User, p *Project) ProjectRole {
	r := ProjectRole{Investor: u.ID != 0 && u.ID == p.InvestorAccount && u.Has(RoleEnterprise),
		Agent: u.ID != 0 && u.ID == p.AgentID, Leader: u.ID != 0 && u.ID == p.LeaderID}
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader:
			if Within(p.Region, g.Region) {
				r.Reader, r.Admin = true, true
			}
		case RoleDispatcher:
			r.Reader = r.Reader || Within(p.Region, g.Region)
		case RoleOfficer:
			if slices.Contains(p.Orgs, g.Org) && Within(p.Region, g.Region) {
				r.Orgs = append(r.Orgs, g.Org)
			}
		}
	}
	return r
}

// MayAct tells whether u (in role r) may do a to item it.
func (r ProjectRole) MayAct(a ItemAction, it *ProjectItem) error {
	if a.ByApplicant() {
		if r.Applicant() || r.Leader {
			return nil
		}
		return Errorf(EFORBIDDEN, "only the investor, its 金牌代办员 or its 首席服务官 may %s an item", a)
	}
	if slices.Contains(r.Orgs, it.Org) {
		return nil
	}
	return Errorf(EFORBIDDEN, "only officers of %s may %s this item", it.Org, a)
}

// CanEnter tells whether a project may enter stage next: the stage after its current
// one, with every item of next decided approved and every required catalogue item of
// next approved.
func CanEnter(p *Project, next Stage, items []ProjectItem, catalogue []ApprovalItem) error {
	if p.Status != "active" {
		return Errorf(ECONFLICT, "project %d is %s", p.ID, p.Status)
	}
	if next.Index() != p.Stage.Index()+1 {
		return Errorf(ECONFLICT, "project %d is at %s: the next stage is not %s", p.ID, StageNames[p.Stage], next)
	}
	approved := map[string]bool{}
	for _, it := range items {
		if it.Stage != next {
			continue
		}
		if it.State != ItemApproved {
			return Errorf(ECONFLICT, "item %s (%s) of stage %s is %s", it.Code, it.Name, StageNames[next], ItemStateNames[it.State])
		}
		approved[it.Code] = true
	}
	for _, a := range catalogue {
		if a.Stage == next && a.Required && !approved[a.Code] {
			return Errorf(ECONFLICT, "stage %s needs item %s (%s) approved", StageNames[next], a.Code, a.Name)
		}
	}
	return nil
}
