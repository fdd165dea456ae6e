package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Unit is the unit of a deadline: working days or working hours.
type Unit string

const (
	UnitDay  Unit = "day"
	UnitHour Unit = "hour"
)

// Deadline is a span of working time, e.g. 2 working hours or 5 working days.
type Deadline struct {
	N    int  `json:"n"`
	Unit Unit `json:"unit"`
}

func (d Deadline) String() string {
	return fmt.Sprintf("%d%s", d.N, map[Unit]string{UnitDay: "d", UnitHour: "h"}[d.Unit])
}

// ParseDeadline reads "5d" or "2h".
func ParseDeadline(s string) (Deadline, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return Deadline{}, Errorf(EINVALID, "deadline %q must look like 5d or 2h", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	d := Deadline{N: n}
	switch s[len(s)-1] {
	case 'd':
		d.Unit = UnitDay
	case 'h':
		d.Unit = UnitHour
	default:
		err = fmt.Errorf("bad unit")
	}
	if err != nil || n <= 0 || n > 365*24 {
		return Deadline{}, Errorf(EINVALID, "deadline %q must look like 5d or 2h", s)
	}
	return d, nil
}

// Validate checks a deadline read from JSON.
func (d Deadline) Validate() error {
	if d.N <= 0 || d.N > 365*24 || (d.Unit != UnitDay && d.Unit != UnitHour) {
		return Errorf(EINVALID, "deadline needs n > 0 and unit day or hour")
	}
	return nil
}

// Route sends a matter to a lead org, optionally only within a region subtree; the most
// specific region wins (e.g. a county's power-supply office instead of the city's).
type Route struct {
	Region string `json:"region,omitempty"`
	Org    string `json:"org"`
}

// Matter is an entry of the catalog (事项目录).
type Matter struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Class       string   `json:"class"`    // GB/T 30428.2-style class, e.g. 市容环境
	Category    string   `json:"category"` // 部件 (component) or 事件 (event)
	LeadOrg     string   `json:"lead_org"`
	Routes      []Route  `json:"routes,omitempty"`
	AckDeadline Deadline `json:"ack_deadline"`
	Deadline    Deadline `json:"resolve_deadline"`
	Priority    int      `json:"priority"` // 1 urgent .. 3 normal
	Public      bool     `json:"public"`
	Keywords    string   `json:"keywords,omitempty"`
	Description string   `json:"description,omitempty"`
	// HazardCategory is the hazard-ledger category (one of HazardCategories) a hazard
	// case of this matter is counted under when it has none of its own; "" for other.
	HazardCategory string `json:"hazard_category,omitempty"`
	// Comprehensive marks a matter for 无差别综合受理: every comprehensive window (综合窗口)
	// accepts it.
	Comprehensive bool `json:"comprehensive"`
}

// Validate checks a matter before it is stored.
func (m Matter) Validate() error {
	if m.Code == "" || len(m.Code) > 32 || m.Name == "" || m.Class == "" {
		return Errorf(EINVALID, "a matter needs a code (at most 32 characters), a name and a class")
	}
	if m.Category != "component" && m.Category != "event" {
		return Errorf(EINVALID, "matter %s: category must be component (部件) or event (事件)", m.Code)
	}
	if m.LeadOrg == "" {
		return Errorf(EINVALID, "matter %s needs a lead org", m.Code)
	}
	if err := m.AckDeadline.Validate(); err != nil {
		return Errorf(EINVALID, "matter %s acknowledge deadline: %s", m.Code, ErrorMessage(err))
	}
	if err := m.Deadline.Validate(); err != nil {
		return Errorf(EINVALID, "matter %s resolve deadline: %s", m.Code, ErrorMessage(err))
	}
	if m.Priority < 1 || m.Priority > 3 {
		return Errorf(EINVALID, "matter %s: priority must be 1 (urgent), 2 or 3 (normal)", m.Code)
	}
	if _, ok := HazardCategoryNames[m.HazardCategory]; m.HazardCategory != "" && !ok {
		return Errorf(EINVALID, "matter %s: hazard category %q is none of %s", m.Code, m.HazardCategory, strings.Join(HazardCategories, ", "))
	}
	return nil
}

// LeadOrgFor picks the lead org for a case in region: the route with the longest
// region prefix that holds region, else the default lead org.
func (m Matter) LeadOrgFor(region string) string {
	best, bestLen := m.LeadOrg, -1
	for _, r := range m.Routes {
		if Within(region, r.Region) && len(r.Region) > bestLen {
			best, bestLen = r.Org, len(r.Region)
		}
	}
	return best
}
