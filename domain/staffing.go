package domain

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// 机构编制: the staffing office (编办) keeps a tree of units (机构) per region, each with
// its approved establishment (编制) by kind, its leadership posts (领导职数), its staff on
// establishment (实有人员, by person or by count), its approved non-establishment
// headcount (编外员额总量, fixed by one of 四种方式 and "只减不增") and the digestion plans
// (消化计划, e.g. 出二进一) of what is over. Every change is a dated row citing its
// document, never an update, so any past day's figures are read back by folding the
// rows up to that day (StaffFold).

// StaffUnitKind is what kind of unit a 机构 is.
type StaffUnitKind string

// StaffUnitKindNames are the kinds of unit in the office's words, in the order tables list them.
var StaffUnitKindNames = map[StaffUnitKind]string{
	"party_gov": "党政机关", "ref_civil": "参照公务员法管理事业单位", "public1": "公益一类事业单位",
	"public2": "公益二类事业单位", "business": "生产经营类事业单位", "other": "其他",
}

// StaffItem is one line of a unit's figures: an establishment kind, a level of
// leadership posts or the non-establishment headcount.
type StaffItem string

const (
	StaffAdmin     StaffItem = "administrative"  // 行政编制
	StaffInstitute StaffItem = "institutional"   // 事业编制
	StaffPolitical StaffItem = "political_legal" // 政法专项编制
	StaffWorker    StaffItem = "worker"          // 工勤编制
	StaffLeadChief StaffItem = "lead_chief"      // 领导职数：正职
	StaffLeadDep   StaffItem = "lead_deputy"     // 领导职数：副职
	StaffExtra     StaffItem = "extra"           // 编外员额
)

// Lead tells whether the item is a kind of leadership post (领导职数, by level).
func (i StaffItem) Lead() bool { return i == StaffLeadChief || i == StaffLeadDep }

// LeadLevel is the rank (级别) a leadership post is approved at.
type LeadLevel string

// The levels of leadership posts; LevelUnset is for rows recorded before levels were.
const (
	LevelTing       LeadLevel = "ting"   // 正厅级
	LevelFuting     LeadLevel = "futing" // 副厅级
	LevelChu        LeadLevel = "chu"    // 正处级
	LevelFuchu      LeadLevel = "fuchu"  // 副处级
	LevelKe         LeadLevel = "ke"     // 正科级
	LevelFuke       LeadLevel = "fuke"   // 副科级
	LevelGu         LeadLevel = "gu"     // 股级
	LevelUnset      LeadLevel = ""       // 未定级 (recorded before levels were)
	leadLevelChoice           = "ting, futing, chu, fuchu, ke, fuke, gu"
)

// LeadLevels are the levels in the order tables show them (unset last).
var LeadLevels = []LeadLevel{LevelTing, LevelFuting, LevelChu, LevelFuchu, LevelKe, LevelFuke, LevelGu, LevelUnset}

// LeadLevelNames are the levels in the office's words.
var LeadLevelNames = map[LeadLevel]string{LevelTing: "正厅级", LevelFuting: "副厅级", LevelChu: "正处级", LevelFuchu: "副处级",
	LevelKe: "正科级", LevelFuke: "副科级", LevelGu: "股级", LevelUnset: "未定级"}

// Key is the level as JSON and forms name it ("unset" for the empty level).
func (l LeadLevel) Key() string {
	if l == LevelUnset {
		return "unset"
	}
	return string(l)
}

// LevelFigure is a leadership-post item's figure at one level.
type LevelFigure struct {
	Approved int  `json:"approved"`
	Set      bool `json:"set"`
	Actual   int  `json:"actual"`
	Vacant   int  `json:"vacant"`
	Over     int  `json:"over"`
}

// LeadByLevel are a leadership-post item's figures per level (indexed as LeadLevels);
// an array so that figures stay comparable. JSON is an object by level, of the levels
// set or staffed.
type LeadByLevel [8]LevelFigure

// Of is the figure at level l.
func (b LeadByLevel) Of(l LeadLevel) LevelFigure { return b[slices.Index(LeadLevels, l)] }

// MarshalJSON writes the levels set or staffed.
func (b LeadByLevel) MarshalJSON() ([]byte, error) {
	m := map[string]LevelFigure{}
	for i, l := range LeadLevels {
		if b[i].Set || b[i].Actual != 0 {
			m[l.Key()] = b[i]
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads figures by level.
func (b *LeadByLevel) UnmarshalJSON(data []byte) error {
	var m map[string]LevelFigure
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*b = LeadByLevel{}
	for i, l := range LeadLevels {
		b[i] = m[l.Key()]
	}
	return nil
}

// validLevel checks the level a row of item carries: one of the levels on a
// leadership-post item (unset allowed only where allowUnset), none on the others.
func validLevel(item StaffItem, l LeadLevel, allowUnset bool) error {
	if !item.Lead() {
		if l != LevelUnset {
			return staffRefusal(EINVALID, "staff.level_lead_only", "level belongs to leadership posts (items lead_chief, lead_deputy) only")
		}
		return nil
	}
	if !slices.Contains(LeadLevels, l) || (l == LevelUnset && !allowUnset) {
		return staffRefusal(EINVALID, "staff.level", "level %q: leadership posts are approved and filled by level, one of %s", l, leadLevelChoice)
	}
	return nil
}

// StaffItems are the items in the order tables show them.
var StaffItems = []StaffItem{StaffAdmin, StaffInstitute, StaffPolitical, StaffWorker, StaffLeadChief, StaffLeadDep, StaffExtra}

// StaffItemNames are the items in the office's words.
var StaffItemNames = map[StaffItem]string{StaffAdmin: "行政编制", StaffInstitute: "事业编制", StaffPolitical: "政法专项编制",
	StaffWorker: "工勤编制", StaffLeadChief: "领导职数（正职）", StaffLeadDep: "领导职数（副职）", StaffExtra: "编外员额"}

// Establishment tells whether the item is a kind of 编制 (what 超编 and its digestion are about).
func (i StaffItem) Establishment() bool {
	return i == StaffAdmin || i == StaffInstitute || i == StaffPolitical || i == StaffWorker
}

// Valid tells whether i is a known item.
func (i StaffItem) Valid() bool { return slices.Contains(StaffItems, i) }

func staffItemList() string {
	s := make([]string, len(StaffItems))
	for k, i := range StaffItems {
		s[k] = string(i)
	}
	return strings.Join(s, ", ")
}

// StaffUnit is a 机构: a node of its region's tree.
type StaffUnit struct {
	ID        int64         `json:"id"`
	ParentID  int64         `json:"parent_id,omitempty"`
	Region    string        `json:"region"`
	Name      string        `json:"name"`
	Kind      StaffUnitKind `json:"kind"`
	DocNo     string        `json:"doc_no"`   // 批准文号
	DocDate   string        `json:"doc_date"` // YYYY-MM-DD
	CreatedAt time.Time     `json:"created_at"`
}

// Validate checks a unit's own fields; whether its region and parent exist is the service's question.
func (u *StaffUnit) Validate() error {
	u.Name, u.DocNo = strings.TrimSpace(u.Name), strings.TrimSpace(u.DocNo)
	if u.Name == "" || len([]rune(u.Name)) > 100 {
		return Errorf(EINVALID, "name is required, at most 100 characters")
	}
	if _, ok := StaffUnitKindNames[u.Kind]; !ok {
		return Errorf(EINVALID, "kind %q is not one of party_gov, ref_civil, public1, public2, business, other", u.Kind)
	}
	if u.Region == "" {
		return Errorf(EINVALID, "region is required")
	}
	if u.DocNo == "" || len([]rune(u.DocNo)) > 100 {
		return Errorf(EINVALID, "doc_no (the approving document) is required, at most 100 characters")
	}
	if !validDay(u.DocDate) {
		return Errorf(EINVALID, "doc_date must be a date YYYY-MM-DD")
	}
	return nil
}

// StaffMethod is one of the office's 四种方式 of fixing a non-establishment total.
type StaffMethod string

// The four methods, each with the inputs it needs (StaffMethodInputs).
const (
	MethodWorkload   StaffMethod = "workload"   // 按工作量: hours ÷ hours_per_person
	MethodPopulation StaffMethod = "population" // 按服务人口: population × per_10000 ÷ 10000
	MethodRatio      StaffMethod = "ratio"      // 按编制比例: establishment × ratio
	MethodHistory    StaffMethod = "history"    // 按历史数据: average × (1 − cut)
)

// StaffMethodNames are the methods in the office's words.
var StaffMethodNames = map[StaffMethod]string{MethodWorkload: "按工作量核定", MethodPopulation: "按服务人口核定",
	MethodRatio: "按编制比例核定", MethodHistory: "按历史数据核定"}

// StaffMethodInputs are the inputs each method needs, in order.
var StaffMethodInputs = map[StaffMethod][]string{
	MethodWorkload:   {"hours", "hours_per_person"},
	MethodPopulation: {"population", "per_10000"},
	MethodRatio:      {"establishment", "ratio"},
	MethodHistory:    {"average", "cut"},
}

// Cap is the largest total the method's inputs allow (rounded down), or an error
// naming the input that is missing or out of range.
func (m StaffMethod) Cap(in map[string]float64) (int, error) {
	need, ok := StaffMethodInputs[m]
	if !ok {
		return 0, Errorf(EINVALID, "method %q is not one of workload, population, ratio, history", m)
	}
	for k := range in {
		if !slices.Contains(need, k) {
			return 0, Errorf(EINVALID, "inputs.%s is not an input of method %s (it takes %s)", k, m, strings.Join(need, ", "))
		}
	}
	for _, k := range need {
		v, ok := in[k]
		if !ok || math.IsNaN(v) || v < 0 || v > 1e9 {
			return 0, Errorf(EINVALID, "inputs.%s is required for method %s, a number from 0 to 1e9", k, m)
		}
	}
	var v float64
	switch m {
	case MethodWorkload:
		if in["hours_per_person"] <= 0 {
			return 0, Errorf(EINVALID, "inputs.hours_per_person must be above 0")
		}
		v = in["hours"] / in["hours_per_person"]
	case MethodPopulation:
		v = in["population"] * in["per_10000"] / 10000
	case MethodRatio:
		if in["ratio"] > 1 {
			return 0, Errorf(EINVALID, "inputs.ratio is a share of the establishment, from 0 to 1")
		}
		v = in["establishment"] * in["ratio"]
	case MethodHistory:
		if in["cut"] > 1 {
			return 0, Errorf(EINVALID, "inputs.cut is a share, from 0 to 1")
		}
		v = in["average"] * (1 - in["cut"])
	}
	return int(math.Floor(v + 1e-9)), nil
}

// StaffQuota is one dated change of a unit's approved figure for an item: 编制, 领导职数
// or 编外员额总量 (with the method and inputs it was fixed by). Never updated.
type StaffQuota struct {
	ID          int64              `json:"id"`
	UnitID      int64              `json:"unit_id"`
	Item        StaffItem          `json:"item"`
	Value       int                `json:"value"`
	Level       LeadLevel          `json:"level,omitempty"` // leadership posts' level (items lead_chief, lead_deputy)
	Day         string             `json:"day"`             // in force from, YYYY-MM-DD
	DocNo       string             `json:"doc_no"`
	Method      StaffMethod        `json:"method,omitempty"`
	Inputs      map[string]float64 `json:"inputs,omitempty"`
	ExceptionID int64              `json:"exception_id,omitempty"`
	Note        string             `json:"note,omitempty"`
	UserID      int64              `json:"user_id,omitempty"`
	CreatedAt   time.Time          `json:"created_at"`
}

// StaffMaxFigure bounds every figure and count.
const StaffMaxFigure = 100000

// validChangeDay checks a change's day: a date, not after today, not before the last
// change of the same line (history is appended to, never rewritten).
func validChangeDay(day, last, today string) error {
	if !validDay(day) {
		return Errorf(EINVALID, "day must be a date YYYY-MM-DD")
	}
	if day > today {
		return staffRefusal(EINVALID, "staff.day_future", "day %s is after today (%s): record a change when it takes effect", day, today)
	}
	if day < last {
		return staffRefusal(ECONFLICT, "staff.day_order", "day %s is before the last change of this line (%s): history is appended to, never rewritten", day, last)
	}
	return nil
}

// StaffQuotaState is what a quota change is decided against: the item's figure in
// force now (Has false when none was ever set), the day of its last change, today,
// and the exception the change cites (nil when none).
type StaffQuotaState struct {
	Has       bool
	Current   int
	LastDay   string
	Today     string
	Exception *StaffException
}

// DecideQuota checks a change of an approved figure. 编外员额总量 ("只减不增") is fixed by
// a method whose inputs cap it, and may be lowered but never raised, except by an
// exception the leading group approved for that unit, up to its value, used once.
func DecideQuota(q *StaffQuota, st StaffQuotaState) error {
	q.DocNo, q.Note = strings.TrimSpace(q.DocNo), strings.TrimSpace(q.Note)
	if !q.Item.Valid() {
		return Errorf(EINVALID, "item %q is not one of %s", q.Item, staffItemList())
	}
	if q.Value < 0 || q.Value > StaffMaxFigure {
		return Errorf(EINVALID, "value must be from 0 to %d", StaffMaxFigure)
	}
	if q.DocNo == "" || len([]rune(q.DocNo)) > 100 {
		return Errorf(EINVALID, "doc_no (the document of the change) is required, at most 100 characters")
	}
	if len([]rune(q.Note)) > 500 {
		return Errorf(EINVALID, "note is longer than 500 characters")
	}
	if err := validChangeDay(q.Day, st.LastDay, st.Today); err != nil {
		return err
	}
	if err := validLevel(q.Item, q.Level, q.Value == 0); err != nil { // unset only to retire the line recorded before levels
		return err
	}
	if q.Item != StaffExtra {
		if q.Method != "" || len(q.Inputs) > 0 || q.ExceptionID != 0 {
			return Errorf(EINVALID, "method, inputs and exception_id belong to the 编外 total (item extra) only")
		}
		return nil
	}
	limit, err := q.Method.Cap(q.Inputs)
	if err != nil {
		return err
	}
	if q.Value > limit {
		return staffRefusal(EINVALID, "staff.method_cap", "value %d is more than method %s allows from its inputs (%d)", q.Value, StaffMethodNames[q.Method], limit)
	}
	if !st.Has || q.Value <= st.Current {
		if q.ExceptionID != 0 {
			return Errorf(EINVALID, "exception_id is only for raising a total; this change does not raise it")
		}
		return nil
	}
	e := st.Exception
	if e == nil {
		return staffRefusal(ECONFLICT, "staff.only_lower", "只减不增: the approved 编外 total is %d and may only be lowered; raising it to %d needs an exception approved by the leading group", st.Current, q.Value)
	}
	switch {
	case e.UnitID != q.UnitID:
		return Errorf(ECONFLICT, "exception %d is for another unit", e.ID)
	case e.Status != ExceptionApproved:
		return staffRefusal(ECONFLICT, "staff.exception_state", "exception %d is %s, not approved by the leading group", e.ID, e.Status)
	case q.Value > e.Value:
		return staffRefusal(ECONFLICT, "staff.exception_value", "exception %d allows a total of at most %d, not %d", e.ID, e.Value, q.Value)
	}
	return nil
}

// ExceptionStatus is where an exception to "只减不增" stands.
type ExceptionStatus string

const (
	ExceptionPending  ExceptionStatus = "pending"  // asked by the office
	ExceptionApproved ExceptionStatus = "approved" // approved by the leading group, not yet used
	ExceptionRefused  ExceptionStatus = "refused"
	ExceptionUsed     ExceptionStatus = "used" // a raise cited it
)

// StaffException is the office's request to raise a unit's 编外 total to Value, decided
// by the leading group (机构编制委员会: the region's leaders).
type StaffException struct {
	ID          int64           `json:"id"`
	UnitID      int64           `json:"unit_id"`
	Value       int             `json:"value"`
	Reason      string          `json:"reason"`
	DocNo       string          `json:"doc_no,omitempty"` // the leading group's decision, when decided
	Status      ExceptionStatus `json:"status"`
	RequestedBy int64           `json:"requested_by"`
	DecidedBy   int64           `json:"decided_by,omitempty"`
	Note        string          `json:"note,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	DecidedAt   *time.Time      `json:"decided_at,omitempty"`
}

// Validate checks a new request's own fields.
func (e *StaffException) Validate() error {
	e.Reason = strings.TrimSpace(e.Reason)
	if e.Value < 0 || e.Value > StaffMaxFigure {
		return Errorf(EINVALID, "value must be from 0 to %d", StaffMaxFigure)
	}
	if e.Reason == "" || len([]rune(e.Reason)) > 1000 {
		return Errorf(EINVALID, "reason is required, at most 1000 characters")
	}
	return nil
}

// StaffMove is one dated movement of a unit's staff on an item: in (Delta > 0) or out
// (Delta < 0), of a named person (PersonID) or of a count where the office keeps only
// counts. Never updated.
type StaffMove struct {
	ID        int64     `json:"id"`
	UnitID    int64     `json:"unit_id"`
	Item      StaffItem `json:"item"`
	Day       string    `json:"day"`
	Delta     int       `json:"delta"`
	PersonID  int64     `json:"person_id,omitempty"`
	Kind      ExtraKind `json:"kind,omitempty"`  // what kind of 编外 staff (item extra only)
	Level     LeadLevel `json:"level,omitempty"` // the level of the post (leadership items only)
	DocNo     string    `json:"doc_no"`
	Note      string    `json:"note,omitempty"`
	UserID    int64     `json:"user_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ExtraKind is what kind of non-establishment staff (编外人员) someone is employed as.
type ExtraKind string

// The kinds of 编外 staff; ExtraUnclassified is for movements recorded before kinds were.
const (
	ExtraDispatch     ExtraKind = "dispatch"  // 劳务派遣
	ExtraContract     ExtraKind = "contract"  // 合同制
	ExtraTemporary    ExtraKind = "temporary" // 临聘
	ExtraWelfare      ExtraKind = "welfare"   // 公益性岗位
	ExtraOther        ExtraKind = "other"     // 其他
	ExtraUnclassified ExtraKind = ""          // 未分类 (recorded before kinds were)
)

// ExtraKinds are the kinds in the order tables show them (unclassified last).
var ExtraKinds = []ExtraKind{ExtraDispatch, ExtraContract, ExtraTemporary, ExtraWelfare, ExtraOther, ExtraUnclassified}

// ExtraKindNames are the kinds in the office's words.
var ExtraKindNames = map[ExtraKind]string{ExtraDispatch: "劳务派遣", ExtraContract: "合同制", ExtraTemporary: "临聘",
	ExtraWelfare: "公益性岗位", ExtraOther: "其他", ExtraUnclassified: "未分类"}

// Key is the kind as JSON and forms name it ("unclassified" for the empty kind).
func (k ExtraKind) Key() string {
	if k == ExtraUnclassified {
		return "unclassified"
	}
	return string(k)
}

// ExtraByKind is the 编外 staff actually employed, per kind (indexed as ExtraKinds);
// an array so that figures stay comparable. JSON is an object by kind, zeros left out.
type ExtraByKind [6]int

// Of is the count of kind k.
func (b ExtraByKind) Of(k ExtraKind) int { return b[slices.Index(ExtraKinds, k)] }

// MarshalJSON writes the non-zero counts by kind.
func (b ExtraByKind) MarshalJSON() ([]byte, error) {
	m := map[string]int{}
	for i, k := range ExtraKinds {
		if b[i] != 0 {
			m[k.Key()] = b[i]
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads counts by kind.
func (b *ExtraByKind) UnmarshalJSON(data []byte) error {
	var m map[string]int
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*b = ExtraByKind{}
	for i, k := range ExtraKinds {
		b[i] = m[k.Key()]
	}
	return nil
}

// StaffPerson is one person on a unit's staff; the ID number is sealed, IDMasked shown.
type StaffPerson struct {
	ID       int64     `json:"id"`
	UnitID   int64     `json:"unit_id"`
	Item     StaffItem `json:"item"`
	Name     string    `json:"name"`
	Kind     ExtraKind `json:"kind,omitempty"`  // 编外 staff's kind
	Level    LeadLevel `json:"level,omitempty"` // a leadership post's level
	IDMasked string    `json:"id_number_masked"`
	OnStaff  bool      `json:"on_staff"`
}

// StaffPlan is a digestion plan (消化计划) for what a unit is over on an item: while
// over, In may come in for every Out that left since From ("出二进一": Out 2, In 1).
type StaffPlan struct {
	ID       int64         `json:"id"`
	UnitID   int64         `json:"unit_id"`
	Item     StaffItem     `json:"item"`
	Out      int           `json:"out"`
	In       int           `json:"in"`
	From     string        `json:"from"`
	Target   string        `json:"target"` // the day it should be digested by
	DocNo    string        `json:"doc_no"`
	BaseOver int           `json:"base_over"` // over on From, when made
	Progress *PlanProgress `json:"progress,omitempty"`
}

// PlanProgress is a plan's state on a day.
type PlanProgress struct {
	Day      string   `json:"day"`
	Ins      int      `json:"ins"`  // came in since From
	Outs     int      `json:"outs"` // left since From
	Over     int      `json:"over"` // over now
	Digested int      `json:"digested"`
	Percent  *float64 `json:"percent"` // digested ÷ base over, a fraction (domain.Ratio)
	Done     bool     `json:"done"`
	Late     bool     `json:"late"`     // past its target and still over
	MayHire  int      `json:"may_hire"` // how many more may come in now under the rule
}

// Validate checks a new plan's own fields.
func (p *StaffPlan) Validate() error {
	p.DocNo = strings.TrimSpace(p.DocNo)
	if !p.Item.Establishment() {
		return Errorf(EINVALID, "item must be an establishment kind (administrative, institutional, political_legal, worker)")
	}
	if p.Out < 1 || p.In < 0 || p.In >= p.Out || p.Out > 10 {
		return Errorf(EINVALID, "out and in are the rule (出二进一: out 2, in 1): in below out, out from 1 to 10")
	}
	if !validDay(p.From) || !validDay(p.Target) || p.Target < p.From {
		return Errorf(EINVALID, "from and target must be dates YYYY-MM-DD, target on or after from")
	}
	if p.DocNo == "" || len([]rune(p.DocNo)) > 100 {
		return Errorf(EINVALID, "doc_no is required, at most 100 characters")
	}
	return nil
}

// Progress folds the plan's state on day from the unit's moves on its item and the
// item's figure that day.
func (p StaffPlan) ProgressOn(day string, f StaffFigure, moves []StaffMove) PlanProgress {
	pr := PlanProgress{Day: day, Over: f.Over}
	for _, m := range moves {
		if m.UnitID != p.UnitID || m.Item != p.Item || m.Day < p.From || m.Day > day {
			continue
		}
		if m.Delta > 0 {
			pr.Ins += m.Delta
		} else {
			pr.Outs -= m.Delta
		}
	}
	pr.Digested = max(0, p.BaseOver-pr.Over)
	pr.Percent = Ratio(pr.Digested, p.BaseOver)
	pr.Done = pr.Over == 0
	pr.Late = !pr.Done && day > p.Target
	if pr.Done {
		pr.MayHire = max(0, f.Approved-f.Actual)
	} else {
		pr.MayHire = max(0, pr.Outs*p.In/p.Out-pr.Ins)
	}
	return pr
}

// StaffFigure is one item of a unit on a day.
type StaffFigure struct {
	Approved int  `json:"approved"`
	Set      bool `json:"set"` // an approved figure was ever set on or before the day
	Actual   int  `json:"actual"`
	Vacant   int  `json:"vacant"`
	Over     int  `json:"over"`
	// ByKind is the 编外 staff actually employed per kind (item extra only); they sum to Actual.
	ByKind ExtraByKind `json:"by_kind,omitzero"`
	// ByLevel is a leadership-post item's figures per level; Approved is their sum.
	ByLevel LeadByLevel `json:"by_level,omitzero"`
}

func (f *StaffFigure) settle() {
	f.Vacant, f.Over = max(0, f.Approved-f.Actual), max(0, f.Actual-f.Approved)
	for i, l := range f.ByLevel {
		f.ByLevel[i].Vacant, f.ByLevel[i].Over = max(0, l.Approved-l.Actual), max(0, l.Actual-l.Approved)
	}
}

// Add sums o into f (a region's total).
func (f *StaffFigure) Add(o StaffFigure) {
	f.Approved += o.Approved
	f.Actual += o.Actual
	f.Vacant += o.Vacant
	f.Over += o.Over
	f.Set = f.Set || o.Set
	for i := range f.ByKind {
		f.ByKind[i] += o.ByKind[i]
	}
	for i, l := range o.ByLevel {
		b := &f.ByLevel[i]
		b.Approved, b.Actual, b.Vacant, b.Over, b.Set = b.Approved+l.Approved, b.Actual+l.Actual, b.Vacant+l.Vacant, b.Over+l.Over, b.Set || l.Set
	}
}

// StaffFigures are one unit's figures by item.
type StaffFigures map[StaffItem]StaffFigure

// StaffFold folds the changes and moves on or before day into each unit's figures:
// the last approved figure in force (by day, then order of recording) and the sum of
// movements.
func StaffFold(day string, quotas []StaffQuota, moves []StaffMove) map[int64]StaffFigures {
	qs := slices.Clone(quotas)
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].Day != qs[j].Day {
			return qs[i].Day < qs[j].Day
		}
		return qs[i].ID < qs[j].ID
	})
	out := map[int64]StaffFigures{}
	at := func(unit int64) StaffFigures {
		if out[unit] == nil {
			out[unit] = StaffFigures{}
		}
		return out[unit]
	}
	for _, q := range qs {
		if q.Day > day {
			continue
		}
		fs := at(q.UnitID)
		f := fs[q.Item]
		f.Approved, f.Set = q.Value, true
		if q.Item.Lead() { // the item is the sum of its levels
			l := &f.ByLevel[slices.Index(LeadLevels, q.Level)]
			l.Approved, l.Set = q.Value, true
			f.Approved = 0
			for _, l := range f.ByLevel {
				f.Approved += l.Approved
			}
		}
		fs[q.Item] = f
	}
	for _, m := range moves {
		if m.Day > day {
			continue
		}
		fs := at(m.UnitID)
		f := fs[m.Item]
		f.Actual += m.Delta
		if m.Item == StaffExtra {
			f.ByKind[slices.Index(ExtraKinds, m.Kind)] += m.Delta
		}
		if m.Item.Lead() {
			f.ByLevel[slices.Index(LeadLevels, m.Level)].Actual += m.Delta
		}
		fs[m.Item] = f
	}
	for _, fs := range out {
		for i, f := range fs {
			f.settle()
			fs[i] = f
		}
	}
	return out
}

// StaffMoveState is what a movement is decided against: the item's figure now, the
// day of the last movement on it, today, and the plan in force with its progress (nil
// when none).
type StaffMoveState struct {
	Figure  StaffFigure
	LastDay string
	Today   string
	Plan    *StaffPlan
}

// DecideMove checks a movement: out never below nobody; in never past the approved
// figure, except while over under a digestion plan, as its rule allows (出二进一: one
// in for every two that left since the plan began).
func DecideMove(m *StaffMove, st StaffMoveState) error {
	m.DocNo, m.Note = strings.TrimSpace(m.DocNo), strings.TrimSpace(m.Note)
	if !m.Item.Valid() {
		return Errorf(EINVALID, "item %q is not one of %s", m.Item, staffItemList())
	}
	if m.Delta == 0 || m.Delta > StaffMaxFigure || m.Delta < -StaffMaxFigure {
		return Errorf(EINVALID, "delta is how many came in (above 0) or left (below 0), never 0")
	}
	if m.DocNo == "" || len([]rune(m.DocNo)) > 100 {
		return Errorf(EINVALID, "doc_no (the document of the movement) is required, at most 100 characters")
	}
	if len([]rune(m.Note)) > 500 {
		return Errorf(EINVALID, "note is longer than 500 characters")
	}
	if err := validChangeDay(m.Day, st.LastDay, st.Today); err != nil {
		return err
	}
	f := st.Figure
	if m.Item != StaffExtra {
		if m.Kind != "" {
			return staffRefusal(EINVALID, "staff.kind_extra_only", "kind belongs to 编外 staff (item extra) only")
		}
	} else if !slices.Contains(ExtraKinds, m.Kind) || (m.Kind == ExtraUnclassified && (m.Delta > 0 || f.ByKind.Of(m.Kind) == 0)) {
		// staff recorded before kinds were may still leave unclassified
		return staffRefusal(EINVALID, "staff.extra_kind", "kind %q: 编外 staff come in and leave by kind, one of dispatch, contract, temporary, welfare, other", m.Kind)
	}
	lv := f.ByLevel.Of(m.Level)
	if err := validLevel(m.Item, m.Level, m.Delta < 0 && lv.Actual > 0); err != nil { // unset only for who was recorded before levels
		return err
	}
	if m.Delta < 0 {
		if f.Actual+m.Delta < 0 {
			return Errorf(ECONFLICT, "only %d on staff (%s): %d cannot leave", f.Actual, StaffItemNames[m.Item], -m.Delta)
		}
		if n := f.ByKind.Of(m.Kind); m.Item == StaffExtra && n+m.Delta < 0 {
			return staffRefusal(ECONFLICT, "staff.extra_kind_out", "only %d %s on staff (编外): %d cannot leave", n, ExtraKindNames[m.Kind], -m.Delta)
		}
		if m.Item.Lead() && lv.Actual+m.Delta < 0 {
			return staffRefusal(ECONFLICT, "staff.level_out", "only %d at %s (%s): %d cannot leave", lv.Actual, LeadLevelNames[m.Level], StaffItemNames[m.Item], -m.Delta)
		}
		return nil
	}
	if m.Item.Lead() && lv.Actual+m.Delta > lv.Approved {
		return staffRefusal(ECONFLICT, "staff.level_past", "filling %d %s at %s past its approved posts: approved %d, filled %d",
			m.Delta, StaffItemNames[m.Item], LeadLevelNames[m.Level], lv.Approved, lv.Actual)
	}
	if f.Actual+m.Delta <= f.Approved {
		return nil
	}
	name := StaffItemNames[m.Item]
	if st.Plan != nil && f.Over > 0 {
		p := st.Plan
		if m.Delta <= p.Progress.MayHire {
			return nil
		}
		return staffRefusal(ECONFLICT, "staff.plan_rule", "over the approved %s by %d under %s: %d left and %d came in since %s, so %d may come in now, not %d",
			name, f.Over, p.RuleName(), p.Progress.Outs, p.Progress.Ins, p.From, p.Progress.MayHire, m.Delta)
	}
	return staffRefusal(ECONFLICT, "staff.hire_past", "hiring %d past the approved %s: approved %d, on staff %d, so at most %d may come in",
		m.Delta, name, f.Approved, f.Actual, max(0, f.Approved-f.Actual))
}

// RuleName is the plan's rule in the office's words (出二进一 for 2 and 1).
func (p StaffPlan) RuleName() string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	return "出" + digits[p.Out] + "进" + digits[p.In]
}

// StaffOfficeKind is the org kind of a staffing office (机构编制委员会办公室, 编办).
const StaffOfficeKind = "staffing_office"

// StaffOffice tells whether u acts as the staffing office over region: an officer of an
// org of kind staffing_office whose region holds it, or an administrator of the region.
// orgOf reads the org catalogue.
func StaffOffice(u User, region string, orgOf func(code string) (Org, bool)) bool {
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin:
			if Within(region, g.Region) {
				return true
			}
		case RoleOfficer:
			if o, ok := orgOf(g.Org); ok && o.Kind == StaffOfficeKind && o.Region != "" && Within(region, o.Region) {
				return true
			}
		}
	}
	return false
}

// StaffLeadingGroup tells whether u decides for the leading group (机构编制委员会) over
// region: a leader whose scope holds it.
func StaffLeadingGroup(u User, region string) bool {
	for _, g := range u.Grants {
		if g.Role == RoleLeader && Within(region, g.Region) {
			return true
		}
	}
	return false
}

// StaffReads tells whether u reads region's establishment: the office and the leading group.
func StaffReads(u User, region string, orgOf func(code string) (Org, bool)) bool {
	return StaffLeadingGroup(u, region) || StaffOffice(u, region, orgOf)
}

// StaffOfficeRegions are the regions u acts in as a staffing office or reads as a
// leader ("" is everywhere): the roots of what a list shows u.
func StaffOfficeRegions(u User, orgOf func(code string) (Org, bool)) []string {
	var out []string
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader:
			out = append(out, g.Region)
		case RoleOfficer:
			if o, ok := orgOf(g.Org); ok && o.Kind == StaffOfficeKind && o.Region != "" {
				out = append(out, o.Region)
			}
		}
	}
	return out
}

// Get is the figure of the item named (pages name items as strings).
func (fs StaffFigures) Get(item string) StaffFigure { return fs[StaffItem(item)] }

// Establishment sums the establishment kinds (编制 in all).
func (fs StaffFigures) Establishment() StaffFigure {
	var t StaffFigure
	for item, f := range fs {
		if item.Establishment() {
			t.Add(f)
		}
	}
	return t
}

// staffRefusal is a refusal the pages word in the reader's language (invalid.<key> in
// their catalogues, taking args as format does).
func staffRefusal(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Key: key, Args: args}
}

// StaffSurvey is a survey round (调研) of the staffing office over chosen units of its
// region, with its form (the questions, one a line); its findings' follow-up items go
// to the rectification list made with it.
type StaffSurvey struct {
	ID         int64     `json:"id"`
	Region     string    `json:"region"`
	Title      string    `json:"title"`
	Form       string    `json:"form"`
	UnitIDs    []int64   `json:"unit_ids"`
	RectListID int64     `json:"rect_list_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks a new round's own fields.
func (s *StaffSurvey) Validate() error {
	s.Title, s.Form = strings.TrimSpace(s.Title), strings.TrimSpace(s.Form)
	if s.Title == "" || len([]rune(s.Title)) > 200 {
		return Errorf(EINVALID, "title is required, at most 200 characters")
	}
	if len([]rune(s.Form)) > 5000 {
		return Errorf(EINVALID, "form is longer than 5000 characters")
	}
	if s.Region == "" {
		return Errorf(EINVALID, "region is required")
	}
	if len(s.UnitIDs) == 0 || len(s.UnitIDs) > 500 {
		return Errorf(EINVALID, "unit_ids: a round covers 1 to 500 units")
	}
	ids := slices.Clone(s.UnitIDs) // the caller's list stays as it was
	slices.Sort(ids)
	s.UnitIDs = slices.Compact(ids)
	return nil
}

// StaffFinding is what a round found at one unit; RectItemID names the rectification
// item it raised (0 when it needs none).
type StaffFinding struct {
	ID         int64     `json:"id"`
	SurveyID   int64     `json:"survey_id"`
	UnitID     int64     `json:"unit_id"`
	Finding    string    `json:"finding"`
	Answers    string    `json:"answers,omitempty"`
	RectItemID int64     `json:"rect_item_id,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Validate checks a finding's own fields.
func (f *StaffFinding) Validate() error {
	f.Finding, f.Answers = strings.TrimSpace(f.Finding), strings.TrimSpace(f.Answers)
	if f.Finding == "" || len([]rune(f.Finding)) > 2000 {
		return Errorf(EINVALID, "finding is required, at most 2000 characters")
	}
	if len([]rune(f.Answers)) > 10000 {
		return Errorf(EINVALID, "answers are longer than 10000 characters")
	}
	return nil
}
