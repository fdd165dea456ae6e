package domain

import (
	"strings"
	"time"
)

// Inspector is one person on an administrative inspection, with the number of their
// law-enforcement certificate (执法证号); an inspection needs two of them.
type Inspector struct {
	UserID      int64  `json:"user_id,omitempty"`
	Name        string `json:"name"`
	Certificate string `json:"certificate"`
}

// Inspection is one administrative inspection of an enterprise (涉企行政检查), opened
// by scanning the enterprise's code on arrival (扫码入企).
type Inspection struct {
	ID           int64       `json:"id"`
	EnterpriseID int64       `json:"enterprise_id"`
	Enterprise   string      `json:"enterprise,omitempty"` // name, for lists
	Region       string      `json:"region"`
	Org          string      `json:"org"`
	Kind         string      `json:"kind"` // what is inspected, e.g. 安全生产
	LegalBasis   string      `json:"legal_basis"`
	Items        []string    `json:"items"`
	Inspectors   []Inspector `json:"inspectors"`
	OpenedBy     int64       `json:"opened_by"`
	OpenedAt     time.Time   `json:"opened_at"`
	Lat          *float64    `json:"lat,omitempty"`
	Lon          *float64    `json:"lon,omitempty"`
	PlanID       int64       `json:"plan_id,omitempty"`
	Flags        []string    `json:"flags"`
	// Status: open (may proceed), pending (flagged, awaiting approval), refused (not
	// approved: the inspectors leave), finished.
	Status        string     `json:"status"`
	ApprovedBy    int64      `json:"approved_by,omitempty"`
	ApprovalNote  string     `json:"approval_note,omitempty"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
	Result        string     `json:"result,omitempty"`
	CaseIDs       []int64    `json:"case_ids"`
	Rating        int        `json:"rating,omitempty"` // 1..5, by the enterprise
	RatingComment string     `json:"rating_comment,omitempty"`
	RatedAt       *time.Time `json:"rated_at,omitempty"`
}

// Inspection flags: why an inspection needs approval before it goes on.
const (
	FlagUnplanned  = "unplanned"  // not in the org's annual inspection plan (计划外)
	FlagTooSoon    = "too_soon"   // the same kind of inspection too soon after another (无事不扰)
	FlagInspectors = "inspectors" // fewer than two inspectors with certificates
	InspectionOpen = "open"
	InspectionHeld = "pending"
	InspectionNo   = "refused"
	InspectionDone = "finished"
)

// InspectionPlan is one entry of an org's annual inspection plan (年度检查计划): the
// enterprises of an industry (or one enterprise) in a region to be inspected for a kind,
// at most Times in the year.
type InspectionPlan struct {
	ID           int64  `json:"id"`
	Org          string `json:"org"`
	Year         int    `json:"year"`
	Kind         string `json:"kind"`
	Region       string `json:"region"`                  // subtree the entry covers
	Industry     string `json:"industry,omitempty"`      // "" any industry
	EnterpriseID int64  `json:"enterprise_id,omitempty"` // 0 any enterprise
	Times        int    `json:"times"`
	Note         string `json:"note,omitempty"`
}

// Validate checks a plan entry.
func (p *InspectionPlan) Validate() error {
	p.Kind = strings.TrimSpace(p.Kind)
	if p.Org == "" || p.Kind == "" || len(p.Kind) > 100 || p.Year < 2000 || p.Year > 2100 {
		return Errorf(EINVALID, "a plan entry needs an org, a kind and a year")
	}
	if p.Times < 1 || p.Times > 52 {
		return Errorf(EINVALID, "times must be between 1 and 52")
	}
	if _, ok := Industries[p.Industry]; p.Industry != "" && !ok {
		return Errorf(EINVALID, "unknown industry %q", p.Industry)
	}
	if _, err := LevelOf(p.Region); err != nil || p.Region == "" {
		return Errorf(EINVALID, "plan region %q is not a region code", p.Region)
	}
	return nil
}

// Covers tells whether the entry plans an inspection of kind of e.
func (p InspectionPlan) Covers(e *Enterprise, kind string) bool {
	return p.Kind == kind && Within(e.Region, p.Region) && (p.Industry == "" || p.Industry == e.Industry) &&
		(p.EnterpriseID == 0 || p.EnterpriseID == e.ID)
}

// ScanIn is what an inspector declares on arrival.
type ScanIn struct {
	Token      string      `json:"token"`
	Org        string      `json:"org"` // which of the inspector's orgs, when several
	Kind       string      `json:"kind"`
	LegalBasis string      `json:"legal_basis"`
	Items      []string    `json:"items"`
	Inspectors []Inspector `json:"inspectors"`
	Lat        *float64    `json:"lat"`
	Lon        *float64    `json:"lon"`
}

// Validate checks the declaration's own fields.
func (s *ScanIn) Validate() error {
	s.Kind, s.LegalBasis = strings.TrimSpace(s.Kind), strings.TrimSpace(s.LegalBasis)
	if s.Kind == "" || len(s.Kind) > 100 {
		return Errorf(EINVALID, "kind (what is inspected) is required")
	}
	if s.LegalBasis == "" || len(s.LegalBasis) > 2000 {
		return Errorf(EINVALID, "legal_basis (the law the inspection rests on) is required")
	}
	items := []string{}
	for _, it := range s.Items {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	if len(items) == 0 || len(items) > 50 {
		return Errorf(EINVALID, "items (what is checked) are required, at most 50")
	}
	s.Items = items
	if len(s.Inspectors) == 0 || len(s.Inspectors) > 10 {
		return Errorf(EINVALID, "inspectors are required, at most 10")
	}
	for i := range s.Inspectors {
		in := &s.Inspectors[i]
		in.Name, in.Certificate = strings.TrimSpace(in.Name), strings.TrimSpace(in.Certificate)
		if in.Name == "" || len(in.Name) > 100 || len(in.Certificate) > 40 {
			return Errorf(EINVALID, "each inspector needs a name; certificate numbers are at most 40 characters")
		}
	}
	if (s.Lat == nil) != (s.Lon == nil) || (s.Lat != nil && !ValidPosition(*s.Lat, *s.Lon)) { // NaN too: a form's "NaN" parses
		return Errorf(EINVALID, "lat and lon go together and must be in range")
	}
	return nil
}

// InspectionFlags decides which rules an inspection about to open breaks. plans are
// the org's plan entries of the year; done counts the org's inspections of e this year
// per plan entry; last is when e last had an inspection of the same kind (by any org,
// refused ones excluded), nil if never. It answers the flags and the plan entry used.
func InspectionFlags(e *Enterprise, s ScanIn, now time.Time, plans []InspectionPlan, done map[int64]int, last *time.Time) ([]string, int64) {
	flags := []string{}
	var planID int64
	for _, p := range plans {
		if p.Covers(e, s.Kind) && done[p.ID] < p.Times {
			planID = p.ID
			break
		}
	}
	if planID == 0 {
		flags = append(flags, FlagUnplanned)
	}
	if last != nil {
		days := Industries[e.Industry]
		if days == 0 {
			days = 30
		}
		if now.Sub(*last) < time.Duration(days)*24*time.Hour {
			flags = append(flags, FlagTooSoon)
		}
	}
	certified, seen := 0, map[string]bool{}
	for _, in := range s.Inspectors {
		if in.Certificate != "" && !seen[in.Certificate] {
			seen[in.Certificate] = true
			certified++
		}
	}
	if certified < 2 {
		flags = append(flags, FlagInspectors)
	}
	return flags, planID
}

// InspectorOrgs lists the orgs u inspects for.
func InspectorOrgs(u User) []string {
	var out []string
	for _, g := range u.Grants {
		if g.Role == RoleInspector && g.Org != "" {
			out = append(out, g.Org)
		}
	}
	return out
}

// InspectionVisible tells whether u may see an inspection: the inspectors' org, the
// enterprise inspected (its account), leaders, dispatchers and administrators of the
// region.
func InspectionVisible(u User, in *Inspection, e *Enterprise) bool {
	if e != nil && e.AccountID != 0 && e.AccountID == u.ID {
		return true
	}
	for _, g := range u.Grants {
		switch g.Role {
		case RoleInspector:
			if g.Org == in.Org && Within(in.Region, g.Region) {
				return true
			}
		case RoleAdmin, RoleLeader, RoleDispatcher:
			if Within(in.Region, g.Region) {
				return true
			}
		}
	}
	return false
}

// CanApproveInspection tells whether u may approve a flagged inspection: a leader or
// administrator whose region holds the enterprise.
func CanApproveInspection(u User, in *Inspection) bool {
	for _, g := range u.Grants {
		if (g.Role == RoleLeader || g.Role == RoleAdmin) && Within(in.Region, g.Region) {
			return true
		}
	}
	return false
}

// ValidRating checks an enterprise's rating of an inspection.
func ValidRating(score int, comment string) error {
	if score < 1 || score > 5 {
		return Errorf(EINVALID, "rating must be 1 to 5")
	}
	if len(comment) > 2000 {
		return Errorf(EINVALID, "comment is longer than 2000 characters")
	}
	return nil
}

// InspectionFilter selects inspections; empty fields do not filter.
type InspectionFilter struct {
	Region       string
	Org          string
	EnterpriseID int64
	AccountID    int64 // the inspections of the enterprises this user answers for
	Status       string
	Flagged      bool
	From, To     time.Time
	After        int64
	Limit        int
}
