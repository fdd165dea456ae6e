package domain

import (
	"strings"
	"time"
)

// 督查整改：整改清单 (a rectification list) comes from a source (督查, 巡视反馈, 一把手走流程,
// a leader's 批示) and holds items, each a problem with its measures, the org and person
// answering for it, a deadline and stage milestones; an item is closed (销号) when the
// list's owner approves the responsible org's application with its evidence.

// RectSource is where a rectification list comes from.
type RectSource string

const (
	RectInspection  RectSource = "inspection"  // 督查
	RectPatrolFeed  RectSource = "patrol_feed" // 巡视反馈
	RectWalkthrough RectSource = "walkthrough" // 一把手走流程
	RectInstruction RectSource = "instruction" // 领导批示
	RectOther       RectSource = "other"       // 其他
)

// RectSourceNames are the sources in the lists' words.
var RectSourceNames = map[RectSource]string{RectInspection: "督查", RectPatrolFeed: "巡视反馈", RectWalkthrough: "一把手走流程",
	RectInstruction: "领导批示", RectOther: "其他"}

// RectStatus is an item's state: 整改中 → 申请销号 → 已销号, or back (退回) to be worked on
// and applied for again.
type RectStatus string

const (
	RectOpen     RectStatus = "open"     // 整改中
	RectApplied  RectStatus = "applied"  // 申请销号
	RectClosed   RectStatus = "closed"   // 已销号
	RectReturned RectStatus = "returned" // 退回 (being worked on again)
)

// RectStatusNames are the states in the lists' words.
var RectStatusNames = map[RectStatus]string{RectOpen: "整改中", RectApplied: "申请销号", RectClosed: "已销号", RectReturned: "退回"}

// RectList is a rectification list. Its owner is the leader (or administrator) who made
// it, over its region: the leaders and administrators of that region approve 销号.
type RectList struct {
	ID        int64       `json:"id"`
	Title     string      `json:"title"`
	Source    RectSource  `json:"source"`
	SourceRef string      `json:"source_ref"` // 文号, or the case number of a 批示
	Region    string      `json:"region"`
	OwnerID   int64       `json:"owner_id"`
	OwnerName string      `json:"owner_name,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
	Figures   RectFigures `json:"figures"`
}

// Validate checks a new list's own fields.
func (l *RectList) Validate() error {
	l.Title, l.SourceRef = strings.TrimSpace(l.Title), strings.TrimSpace(l.SourceRef)
	if l.Title == "" || len([]rune(l.Title)) > 200 {
		return Errorf(EINVALID, "title is required, at most 200 characters")
	}
	if _, ok := RectSourceNames[l.Source]; !ok {
		return Errorf(EINVALID, "source must be inspection, patrol_feed, walkthrough, instruction or other")
	}
	if len([]rune(l.SourceRef)) > 100 {
		return Errorf(EINVALID, "source_ref is longer than 100 characters")
	}
	if l.Region == "" {
		return Errorf(EINVALID, "region is required")
	}
	return nil
}

// RectMilestone is a stage of an item with its own due day; Done is the day it was met.
type RectMilestone struct {
	ID     int64  `json:"id"`
	ItemID int64  `json:"item_id"`
	Name   string `json:"name"`
	Due    string `json:"due"`            // YYYY-MM-DD
	Done   string `json:"done,omitempty"` // YYYY-MM-DD
}

// MetOnTime tells whether the milestone was met by its due day, as of day (YYYY-MM-DD).
func (m RectMilestone) MetOnTime(day string) bool {
	return m.Done != "" && m.Done <= m.Due && m.Done <= day
}

// RectEvidence is a document or photo proving an item's progress.
type RectEvidence struct {
	ID          int64     `json:"id"`
	ItemID      int64     `json:"item_id"`
	SHA256      string    `json:"sha256"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	ThumbSHA256 string    `json:"thumb_sha256,omitempty"`
	UploadedBy  int64     `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// RectItem is one problem of a list and its rectification.
type RectItem struct {
	ID         int64           `json:"id"`
	ListID     int64           `json:"list_id"`
	Seq        int             `json:"seq"`
	Problem    string          `json:"problem"`
	Measures   string          `json:"measures"`
	Org        string          `json:"org"`
	Person     string          `json:"person"`
	Deadline   string          `json:"deadline"` // YYYY-MM-DD
	Status     RectStatus      `json:"status"`
	Progress   string          `json:"progress"` // the org's latest account of its work
	Reason     string          `json:"reason,omitempty"`
	CaseID     int64           `json:"case_id,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
	AppliedAt  *time.Time      `json:"applied_at,omitempty"`
	ClosedAt   *time.Time      `json:"closed_at,omitempty"`
	Milestones []RectMilestone `json:"milestones"`
	Evidence   []RectEvidence  `json:"evidence,omitempty"`
}

// Validate checks an item's own fields; the org is checked against the catalogue by the caller.
func (it *RectItem) Validate() error {
	it.Problem, it.Measures, it.Person = strings.TrimSpace(it.Problem), strings.TrimSpace(it.Measures), strings.TrimSpace(it.Person)
	if it.Problem == "" || len([]rune(it.Problem)) > 2000 {
		return Errorf(EINVALID, "problem is required, at most 2000 characters")
	}
	if len([]rune(it.Measures)) > 5000 {
		return Errorf(EINVALID, "measures are longer than 5000 characters")
	}
	if it.Org == "" {
		return Errorf(EINVALID, "org is required")
	}
	if len([]rune(it.Person)) > 50 {
		return Errorf(EINVALID, "person is longer than 50 characters")
	}
	if !validDay(it.Deadline) {
		return Errorf(EINVALID, "deadline must be a date YYYY-MM-DD")
	}
	for i := range it.Milestones {
		m := &it.Milestones[i]
		m.Name = strings.TrimSpace(m.Name)
		if m.Name == "" || len([]rune(m.Name)) > 200 {
			return Errorf(EINVALID, "milestones[%d].name is required, at most 200 characters", i)
		}
		if !validDay(m.Due) {
			return Errorf(EINVALID, "milestones[%d].due must be a date YYYY-MM-DD", i)
		}
	}
	return nil
}

// validDay tells whether s is a day written YYYY-MM-DD.
func validDay(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// RectDay is the day (YYYY-MM-DD, China time) t falls on.
func RectDay(t time.Time) string { return t.In(China).Format("2006-01-02") }

// Overdue tells whether the item, as of day, is past its deadline and not closed.
func (it RectItem) Overdue(day string) bool {
	return it.Deadline < day && !it.ClosedBy(day)
}

// ClosedBy tells whether the item was closed on or before day.
func (it RectItem) ClosedBy(day string) bool {
	return it.ClosedAt != nil && RectDay(*it.ClosedAt) <= day
}

// RectAction is what someone does to an item.
type RectAction string

const (
	RectProgress  RectAction = "progress" // 报进展: the org's account, a milestone met, evidence
	RectApply     RectAction = "apply"    // 申请销号
	RectApprove   RectAction = "approve"  // 同意销号
	RectReturn    RectAction = "return"   // 退回
	RectEdit      RectAction = "edit"     // the owner changes the item's terms
	RectRaiseCase RectAction = "raise_case"
)

// RectManages tells whether u owns lists in region: a leader or administrator whose
// scope holds it. They make lists and items, approve and return 销号.
func RectManages(u User, region string) bool {
	for _, g := range u.Grants {
		if (g.Role == RoleLeader || g.Role == RoleAdmin) && Within(region, g.Region) {
			return true
		}
	}
	return false
}

// RectAnswers tells whether u is an officer of the org answering for an item.
func RectAnswers(u User, org string) bool {
	for _, g := range u.Grants {
		if g.Role == RoleOfficer && g.Org == org && org != "" {
			return true
		}
	}
	return false
}

// RectReads tells whether u may read a list of region at all (orgs: the orgs answering
// for its items): its owners, the region's dispatchers, and the responsible orgs'
// officers. To anyone else the list does not exist.
func RectReads(u User, region string, orgs []string) bool {
	if ReadsPlace(u, region) {
		return true
	}
	for _, o := range orgs {
		if RectAnswers(u, o) {
			return true
		}
	}
	return false
}

// RectMay decides whether u may do act on it, an item of a list of region: nil, or a
// forbidden or conflict error saying why not.
func RectMay(u User, region string, it RectItem, act RectAction) error {
	manages, answers := RectManages(u, region), RectAnswers(u, it.Org)
	switch act {
	case RectProgress, RectApply:
		if !answers {
			return Errorf(EFORBIDDEN, "only the officers of %s report progress and apply for 销号", it.Org)
		}
		if it.Status == RectClosed || (act == RectApply && it.Status == RectApplied) {
			return Errorf(ECONFLICT, "item %d is %s", it.Seq, RectStatusNames[it.Status])
		}
	case RectApprove, RectReturn:
		if !manages {
			return Errorf(EFORBIDDEN, "only the list's owner (the region's leaders) approves or returns 销号")
		}
		if it.Status != RectApplied {
			return Errorf(ECONFLICT, "item %d is %s, not applied for 销号", it.Seq, RectStatusNames[it.Status])
		}
	case RectEdit:
		if !manages {
			return Errorf(EFORBIDDEN, "only the list's owner (the region's leaders) sets an item's terms")
		}
		if it.Status == RectClosed {
			return Errorf(ECONFLICT, "item %d is closed", it.Seq)
		}
	case RectRaiseCase:
		if !manages && !answers {
			return Errorf(EFORBIDDEN, "only the list's owner or the responsible org raise a case from an item")
		}
		if it.CaseID != 0 {
			return Errorf(ECONFLICT, "item %d has raised a case already", it.Seq)
		}
	default:
		return Errorf(EINVALID, "unknown action %q", act)
	}
	return nil
}

// Next is the item's state after act.
func (act RectAction) Next(s RectStatus) RectStatus {
	switch act {
	case RectApply:
		return RectApplied
	case RectApprove:
		return RectClosed
	case RectReturn:
		return RectReturned
	}
	return s
}

// RectFigures are a list's (or a region's, an org's) figures as of a day: items,
// closed (已销号), overdue; 整改销号率 = closed / items; 阶段性销号率 = milestones met by
// their due day / milestones due so far. Rates are fractions (Ratio), nil when nothing
// is counted.
type RectFigures struct {
	Key           string   `json:"key,omitempty"`
	Name          string   `json:"name,omitempty"`
	Items         int      `json:"items"`
	Closed        int      `json:"closed"`
	Overdue       int      `json:"overdue"`
	MilestonesDue int      `json:"milestones_due"`
	MilestonesMet int      `json:"milestones_met"`
	ClosedRate    *float64 `json:"closed_rate"`
	MilestoneRate *float64 `json:"milestone_rate"`
}

// Count adds an item as of day: an item made after the day does not count, nor do its
// milestones; a milestone counts once its due day is on or before day.
func (f *RectFigures) Count(it RectItem, day string) {
	if RectDay(it.CreatedAt) > day {
		return
	}
	f.Items++
	if it.ClosedBy(day) {
		f.Closed++
	} else if it.Deadline < day {
		f.Overdue++
	}
	for _, m := range it.Milestones {
		if m.Due > day {
			continue
		}
		f.MilestonesDue++
		if m.MetOnTime(day) {
			f.MilestonesMet++
		}
	}
	f.rates()
}

// Sum adds another's counts.
func (f *RectFigures) Sum(o RectFigures) {
	f.Items, f.Closed, f.Overdue = f.Items+o.Items, f.Closed+o.Closed, f.Overdue+o.Overdue
	f.MilestonesDue, f.MilestonesMet = f.MilestonesDue+o.MilestonesDue, f.MilestonesMet+o.MilestonesMet
	f.rates()
}

func (f *RectFigures) rates() {
	f.ClosedRate, f.MilestoneRate = Ratio(f.Closed, f.Items), Ratio(f.MilestonesMet, f.MilestonesDue)
}

// RectEvent is one dated act on an item: what was done, by whom, with its note.
type RectEvent struct {
	At     time.Time  `json:"at"`
	UserID int64      `json:"user_id"`
	Name   string     `json:"name,omitempty"`
	Action RectAction `json:"action"`
	Note   string     `json:"note,omitempty"`
}

// RectChanges says what an edit changed in an item's terms, for its record of events:
// "整改时限 2026-03-22 → 2026-03-27；责任人 周峰 → 周峰、李娟".
func RectChanges(before, after RectItem) string {
	var parts []string
	for _, f := range []struct{ name, a, b string }{
		{"问题", before.Problem, after.Problem}, {"整改措施", before.Measures, after.Measures}, {"责任单位", before.Org, after.Org},
		{"责任人", before.Person, after.Person}, {"整改时限", before.Deadline, after.Deadline},
	} {
		if f.a != f.b {
			parts = append(parts, f.name+" "+short(f.a)+" → "+short(f.b))
		}
	}
	if len(parts) == 0 {
		return "无变化"
	}
	return strings.Join(parts, "；")
}

// short cuts a long text for a one-line record.
func short(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	if s == "" {
		return "（空）"
	}
	return s
}
