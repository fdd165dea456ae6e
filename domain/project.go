package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// 项目全生命周期与极速审批: an investment project from 洽谈 to 达产, the approval items
// (审批事项) of each stage at the departments, and the service tier (首席/金牌/VIP) that
// sets how fast the departments promise to answer. An item's clock runs in working
// minutes on the calendar from its acceptance (受理), stops to the minute while the
// applicant supplements (补正) and resumes on resubmission, as a suspended case's does.

// Amount is a quantity with two decimals held exactly as an integer of hundredths:
// 万元 (1 = 0.01 万元 = 100 元) for investment, 亩 for land. Never a float.
type Amount int64

// ParseAmount reads "1234", "1234.5" or "1234.56" (at most two decimals, not negative).
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if s == "" || whole == "" || len(frac) > 2 || (dot && frac == "") || len(whole) > 13 {
		return 0, Errorf(EINVALID, "%q is not an amount with at most two decimals", s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, Errorf(EINVALID, "%q is not an amount with at most two decimals", s)
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "%q is not an amount", s)
	}
	return Amount(n), nil
}

// String writes the amount with its two decimals, "1234.50".
func (a Amount) String() string {
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s%d.%02d", sign, a/100, a%100)
}

// MarshalJSON writes the amount as a decimal string, so no client reads it as a float.
func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON reads a decimal string (or a JSON number written the same way).
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*a = 0
		return nil
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// ProjectKind is what a project builds.
type ProjectKind string

// ProjectKinds: 产业, 基础设施, 民生.
var ProjectKinds = []ProjectKind{"industry", "infrastructure", "livelihood"}

// ProjectKindNames are the kinds in the reports' words.
var ProjectKindNames = map[ProjectKind]string{"industry": "产业", "infrastructure": "基础设施", "livelihood": "民生"}

// Priorities are a project's key-project levels: 省重点, 市重点, 区重点, or none.
var Priorities = []string{"province", "city", "district", ""}

// PriorityNames are the levels in the reports' words.
var PriorityNames = map[string]string{"province": "省重点", "city": "市重点", "district": "区重点", "": "一般"}

// Tier is a project's service tier (极速审批).
type Tier string

const (
	TierNormal Tier = "normal" // 普通
	TierChief  Tier = "chief"  // 首席: a 首席服务官 owns the project
	TierGold   Tier = "gold"   // 金牌: and a 金牌代办员 files every item
	TierVIP    Tier = "vip"    // VIP通道: and the items' VIP limits apply, first in the queues
)

// Tiers lists the tiers, lowest first.
var Tiers = []Tier{TierNormal, TierChief, TierGold, TierVIP}

// TierNames are the tiers in the reports' words.
var TierNames = map[Tier]string{TierNormal: "普通", TierChief: "首席", TierGold: "金牌", TierVIP: "VIP"}

// Stage is a stage of a project's life.
type Stage string

// Stages are the life stages in order: 洽谈 → 签约 → 供地 → 立项 → 用地规划许可 →
// 工程规划许可 → 施工许可 → 开工 → 竣工验收 → 投产 → 达产.
var Stages = []Stage{"negotiation", "signed", "land", "approval", "land_planning", "works_planning",
	"construction_permit", "started", "completed", "operating", "full_output"}

// StageNames are the stages in the reports' words.
var StageNames = map[Stage]string{"negotiation": "洽谈", "signed": "签约", "land": "供地", "approval": "立项",
	"land_planning": "用地规划许可", "works_planning": "工程规划许可", "construction_permit": "施工许可",
	"started": "开工", "completed": "竣工验收", "operating": "投产", "full_output": "达产"}

// Index is the stage's place in Stages, -1 when unknown.
func (s Stage) Index() int { return slices.Index(Stages, s) }

// ProjectStatus tells whether a project goes on.
type ProjectStatus string

// ProjectStatuses: 推进中, 暂停, 终止.
var ProjectStatuses = []ProjectStatus{"active", "paused", "stopped"}

// Project is one investment project.
type Project struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	Investor string        `json:"investor"` // the enterprise's unified social credit code
	Industry string        `json:"industry"`
	Kind     ProjectKind   `json:"kind"`
	Total    Amount        `json:"total"`     // total investment, 万元
	YearPlan Amount        `json:"year_plan"` // this year's planned investment, 万元
	Land     Amount        `json:"land"`      // 亩
	Parcel   string        `json:"parcel,omitempty"`
	Park     string        `json:"park,omitempty"` // 园区
	Region   string        `json:"region"`
	Priority string        `json:"priority"`
	Tier     Tier          `json:"tier"`
	LeaderID int64         `json:"leader_id,omitempty"` // 首席服务官
	AgentID  int64         `json:"agent_id,omitempty"`  // 金牌代办员
	Status   ProjectStatus `json:"status"`
	Stage    Stage         `json:"stage"` // the last stage reached
	Version  int           `json:"version"`
	// InvestorName and InvestorAccount are read from the registry, never written.
	InvestorName    string `json:"investor_name,omitempty"`
	InvestorAccount int64  `json:"-"`
	// Orgs are the departments with an item of the project, read with it.
	Orgs []string `json:"orgs,omitempty"`
	// ProgressDue is the month whose report is missing, when one is (set by the
	// service's lists and page, never written).
	ProgressDue string `json:"progress_due,omitempty"`
}

// Validate checks a project and completes its defaults (stage 洽谈, status active,
// tier normal). A gold or VIP project names its agent, every tier but normal its leader.
func (p *Project) Validate() error {
	p.Name, p.Investor, p.Park, p.Parcel = strings.TrimSpace(p.Name), strings.ToUpper(strings.TrimSpace(p.Investor)), strings.TrimSpace(p.Park), strings.TrimSpace(p.Parcel)
	if p.Name == "" || len([]rune(p.Name)) > 200 {
		return Errorf(EINVALID, "name: a project needs a name of at most 200 characters")
	}
	if err := ValidUSCC(p.Investor); err != nil {
		return Errorf(EINVALID, "investor: %s", ErrorMessage(err))
	}
	if _, ok := Industries[p.Industry]; !ok {
		return Errorf(EINVALID, "industry: unknown industry %q", p.Industry)
	}
	if !slices.Contains(ProjectKinds, p.Kind) {
		return Errorf(EINVALID, "kind must be industry (产业), infrastructure (基础设施) or livelihood (民生)")
	}
	if p.Total < 0 || p.YearPlan < 0 || p.Land < 0 || p.YearPlan > p.Total {
		return Errorf(EINVALID, "total, year_plan and land are not negative, and year_plan is at most total")
	}
	if _, err := LevelOf(p.Region); err != nil || p.Region == "" {
		return Errorf(EINVALID, "region %q is not a region code", p.Region)
	}
	if !slices.Contains(Priorities, p.Priority) {
		return Errorf(EINVALID, "priority must be province, city, district or empty")
	}
	if len(p.Park) > 200 || len(p.Parcel) > 100 {
		return Errorf(EINVALID, "park and parcel must be short")
	}
	return p.validateService()
}

func (p *Project) validateService() error {
	if p.Tier == "" {
		p.Tier = TierNormal
	}
	if p.Status == "" {
		p.Status = "active"
	}
	if p.Stage == "" {
		p.Stage = Stages[0]
	}
	switch {
	case !slices.Contains(Tiers, p.Tier):
		return Errorf(EINVALID, "tier must be normal, chief, gold or vip")
	case !slices.Contains(ProjectStatuses, p.Status):
		return Errorf(EINVALID, "status must be active, paused or stopped")
	case p.Stage.Index() < 0:
		return Errorf(EINVALID, "stage %q is not a life stage", p.Stage)
	case p.Tier != TierNormal && p.LeaderID == 0:
		return Errorf(EINVALID, "leader_id: a %s project names its 首席服务官", p.Tier)
	case (p.Tier == TierGold || p.Tier == TierVIP) && p.AgentID == 0:
		return Errorf(EINVALID, "agent_id: a %s project names its 金牌代办员", p.Tier)
	}
	return nil
}

// StageRecord is a project's plan and record of one stage: the planned and actual
// days (YYYY-MM-DD) and the facts that prove it (contract number, land certificate...).
type StageRecord struct {
	Stage   Stage             `json:"stage"`
	Planned string            `json:"planned,omitempty"`
	Actual  string            `json:"actual,omitempty"`
	Facts   map[string]string `json:"facts,omitempty"`
}

// Validate checks a stage record.
func (r StageRecord) Validate() error {
	if r.Stage.Index() < 0 {
		return Errorf(EINVALID, "stage %q is not a life stage", r.Stage)
	}
	if (r.Planned != "" && !validDate(r.Planned)) || (r.Actual != "" && !validDate(r.Actual)) {
		return Errorf(EINVALID, "planned and actual are days, YYYY-MM-DD")
	}
	if len(r.Facts) > 20 {
		return Errorf(EINVALID, "facts: at most 20")
	}
	for k, v := range r.Facts {
		if k == "" || len(k) > 100 || len(v) > 500 {
			return Errorf(EINVALID, "facts: names of at most 100 bytes, values of at most 500")
		}
	}
	return nil
}

// ApprovalItem is a catalogue entry: an approval a project needs at one stage, from one
// department, with its limits in working days. The promised limit (承诺时限) is at most
// the statutory one (法定时限); the VIP limit (VIP通道) at most the promised one, and when
// the catalogue gives none it is half the promised limit rounded up.
type ApprovalItem struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Stage      Stage  `json:"stage"`
	Org        string `json:"org"`
	Statutory  int    `json:"statutory_days"`
	Promised   int    `json:"promised_days"`
	VIP        int    `json:"vip_days,omitempty"`
	Commitment bool   `json:"commitment"` // 告知承诺制 allowed
	Required   bool   `json:"required"`   // the stage is not reached without it
}

// Validate checks a catalogue entry.
func (a *ApprovalItem) Validate() error {
	a.Code, a.Name = strings.TrimSpace(a.Code), strings.TrimSpace(a.Name)
	if !validRef(a.Code) || a.Name == "" || len(a.Name) > 200 {
		return Errorf(EINVALID, "an approval item needs a code (1-32 letters, digits, - or _) and a name")
	}
	if a.Stage.Index() < 0 || a.Org == "" {
		return Errorf(EINVALID, "approval item %s: a life stage and a department (org)", a.Code)
	}
	if a.Statutory < 1 || a.Promised < 1 || a.Promised > a.Statutory || a.VIP < 0 || a.VIP > a.Promised || a.Statutory > 365 {
		return Errorf(EINVALID, "approval item %s: 1 ≤ vip_days ≤ promised_days ≤ statutory_days ≤ 365 (vip_days 0: half the promised)", a.Code)
	}
	return nil
}

// LimitFor is the promised limit in working days a project of tier t is given.
func (a ApprovalItem) LimitFor(t Tier) int {
	if t != TierVIP {
		return a.Promised
	}
	if a.VIP > 0 {
		return a.VIP
	}
	return (a.Promised + 1) / 2
}

// ProjectFilter chooses projects for a list, a figure's link or an export. The zero
// value is every project the user sees.
type ProjectFilter struct {
	Region    string        `json:"region,omitempty"`
	Stage     Stage         `json:"stage,omitempty"`
	Tier      Tier          `json:"tier,omitempty"`
	Kind      ProjectKind   `json:"kind,omitempty"`
	Park      string        `json:"park,omitempty"`
	Status    ProjectStatus `json:"status,omitempty"`
	LateOrg   string        `json:"late_org,omitempty"`  // with an item of this department flagged late
	Late      bool          `json:"late,omitempty"`      // with any item flagged late
	Started   bool          `json:"started,omitempty"`   // at or past 开工
	Operating bool          `json:"operating,omitempty"` // at or past 投产
	Signed    bool          `json:"signed,omitempty"`    // at or past 签约
	// ProgressDue chooses the projects whose monthly report is missing (the service
	// sets DueMonth, the month due, from the calendar: domain.DueProgressMonth).
	ProgressDue bool   `json:"progress_due,omitempty"`
	DueMonth    string `json:"-"`
	// Own limits the list to the projects the user serves or invests in: set by the
	// service for who reads no region.
	Own     int64    `json:"-"`
	OwnUSCC []string `json:"-"`
	Orgs    []string `json:"-"` // or has an item at one of these departments
	Limit   int      `json:"limit,omitempty"`
}

// Validate checks a filter's values.
func (f *ProjectFilter) Validate() error {
	if f.Region != "" {
		if _, err := LevelOf(f.Region); err != nil {
			return Errorf(EINVALID, "region %q is not a region code", f.Region)
		}
	}
	switch {
	case f.Stage != "" && f.Stage.Index() < 0:
		return Errorf(EINVALID, "stage %q is not a life stage", f.Stage)
	case f.Tier != "" && !slices.Contains(Tiers, f.Tier):
		return Errorf(EINVALID, "tier must be normal, chief, gold or vip")
	case f.Kind != "" && !slices.Contains(ProjectKinds, f.Kind):
		return Errorf(EINVALID, "kind must be industry, infrastructure or livelihood")
	case f.Status != "" && !slices.Contains(ProjectStatuses, f.Status):
		return Errorf(EINVALID, "status must be active, paused or stopped")
	}
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 500
	}
	return nil
}

// ProjectProgress is a project's report of one month (月度进展): the investment completed in
// the month and the physical progress in percent.
type ProjectProgress struct {
	ProjectID  int64  `json:"project_id"`
	Month      string `json:"month"` // YYYY-MM
	Amount     Amount `json:"amount"`
	Physical   int    `json:"physical"`
	Note       string `json:"note,omitempty"`
	ReportedBy int64  `json:"reported_by,omitempty"`
}

// Validate checks a monthly report.
func (p *ProjectProgress) Validate() error {
	if _, err := time.Parse("2006-01", p.Month); err != nil || len(p.Month) != 7 {
		return Errorf(EINVALID, "month must be YYYY-MM")
	}
	if p.Amount < 0 || p.Physical < 0 || p.Physical > 100 || len(p.Note) > 2000 {
		return Errorf(EINVALID, "amount is not negative, physical is 0 to 100 (percent), note is short")
	}
	return nil
}
