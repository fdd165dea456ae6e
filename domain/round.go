package domain

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Round is one monitoring round of a group (动态监测), e.g. "2026年上半年": every subject
// in its region gets a visit task due on Due.
type Round struct {
	ID        int64     `json:"id"`
	GroupID   int64     `json:"group_id"`
	Name      string    `json:"name"`
	Region    string    `json:"region"`
	Starts    string    `json:"starts"`
	Due       string    `json:"due"`
	Tasks     int       `json:"tasks"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a new round against its group.
func (r *Round) Validate(g *Group) error {
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || len([]rune(r.Name)) > 100 {
		return Errorf(EINVALID, "a round needs a name of at most 100 characters")
	}
	if r.Region == "" {
		r.Region = g.Region
	}
	if _, err := LevelOf(r.Region); err != nil {
		return err
	}
	if !Within(r.Region, g.Region) {
		return Errorf(EINVALID, "round region %s lies outside the group's region %s", r.Region, g.Region)
	}
	if !validDate(r.Starts) || !validDate(r.Due) || r.Due < r.Starts {
		return Errorf(EINVALID, "starts and due must be YYYY-MM-DD with due on or after starts")
	}
	return nil
}

// RiskKind is a risk a visit finds (返贫致贫风险): it stays open until cleared and may
// raise a case.
type RiskKind string

const (
	RiskLostJob RiskKind = "lost_job" // 失业
	RiskIllness RiskKind = "illness"  // 因病
	RiskHousing RiskKind = "housing"  // 住房困难
	RiskOther   RiskKind = "other"    // 其他
)

// RiskKinds lists the risk kinds in a stable order.
var RiskKinds = []RiskKind{RiskLostJob, RiskIllness, RiskHousing, RiskOther}

// RiskFlag is one risk raised on a subject on a day, open until cleared.
type RiskFlag struct {
	ID      int64    `json:"id"`
	Subject int64    `json:"subject"`
	Kind    RiskKind `json:"kind"`
	Raised  string   `json:"raised"`
	Cleared string   `json:"cleared,omitempty"`
	VisitID int64    `json:"visit_id,omitempty"`
	Note    string   `json:"note,omitempty"`
	CaseID  int64    `json:"case_id,omitempty"`
}

// OpenOn tells whether the flag was open on day.
func (f RiskFlag) OpenOn(day string) bool {
	return f.Raised <= day && (f.Cleared == "" || f.Cleared > day)
}

// VisitStatus is where a visit task stands.
type VisitStatus string

const (
	VisitOpen VisitStatus = "open"
	VisitDone VisitStatus = "done"
)

// Visit is one subject's task in a round and, once done, the visit's record (走访记录).
type Visit struct {
	ID          int64       `json:"id"`
	RoundID     int64       `json:"round_id"`
	Subject     int64       `json:"subject"`
	SubjectName string      `json:"subject_name,omitempty"`
	Region      string      `json:"region"`
	HelperID    int64       `json:"helper_id,omitempty"`
	HelperName  string      `json:"helper_name,omitempty"`
	Due         string      `json:"due"`
	Status      VisitStatus `json:"status"`
	Day         string      `json:"day,omitempty"` // the day of the visit
	DoneAt      *time.Time  `json:"done_at,omitempty"`
	DoneBy      int64       `json:"done_by,omitempty"`
	Answers     []Answer    `json:"answers,omitempty"`
	Risks       []RiskKind  `json:"risks,omitempty"`
	Note        string      `json:"note,omitempty"`
	Photos      []int64     `json:"photos,omitempty"`
}

// Answer is one form answer of a visit: a new value of an attribute of the visited
// subject or one of its members, valid from the visit's day.
type Answer struct {
	Subject int64  `json:"subject"`
	Field   string `json:"field"`
	Value   string `json:"value"`
}

// VisitRecord is what a helper sends to close a visit task.
type VisitRecord struct {
	Day     string     `json:"day"`
	Answers []Answer   `json:"answers"`
	Risks   []RiskKind `json:"risks"`
	Note    string     `json:"note"`
}

// Validate checks a visit record against the task, the group's schema and the subjects
// it may change (the visited one and its members), normalising the answers. today is
// the day it is recorded: a visit cannot be dated in the future nor before the round.
func (rec *VisitRecord) Validate(g *Group, r *Round, v *Visit, kinds map[int64]SubjectKind, today string) error {
	if v.Status == VisitDone {
		return Errorf(ECONFLICT, "visit %d is already recorded", v.ID)
	}
	if rec.Day == "" {
		rec.Day = today
	}
	day, err := ParseDay(rec.Day)
	if err != nil {
		return err
	}
	rec.Day = day
	if day > today || day < r.Starts {
		return Errorf(EINVALID, "the visit day must lie between the round's start %s and today %s", r.Starts, today)
	}
	rec.Note = strings.TrimSpace(rec.Note)
	if len([]rune(rec.Note)) > 2000 || len(rec.Answers) > 500 {
		return Errorf(EINVALID, "note or answers too long")
	}
	seen := map[RiskKind]bool{}
	for _, k := range rec.Risks {
		if !slices.Contains(RiskKinds, k) {
			return Errorf(EINVALID, "unknown risk %q; risks are lost_job, illness, housing, other", k)
		}
		if seen[k] {
			return Errorf(EINVALID, "risk %s given twice", k)
		}
		seen[k] = true
	}
	for i := range rec.Answers {
		a := &rec.Answers[i]
		if a.Subject == 0 {
			a.Subject = v.Subject
		}
		kind, ok := kinds[a.Subject]
		if !ok {
			return Errorf(EINVALID, "answer for subject %d: not the visited subject or one of its members", a.Subject)
		}
		f, ok := g.Field(a.Field)
		if !ok {
			return Errorf(EINVALID, "unknown field %q", a.Field)
		}
		if f.On != kind {
			return Errorf(EINVALID, "field %s belongs to the %s, not the %s", f.Key, f.On, kind)
		}
		val, err := f.Normalize(a.Value)
		if err != nil {
			return err
		}
		a.Field, a.Value = f.Key, val
	}
	return nil
}

// Progress is one line of a round's progress: tasks done on time, done late, missing
// (past due, not done) and pending (not yet due), for a helper or a region.
type Progress struct {
	Key     string `json:"key"` // helper id or region code
	Name    string `json:"name,omitempty"`
	Tasks   int    `json:"tasks"`
	Done    int    `json:"done"` // on time and late together
	Late    int    `json:"late"`
	Missing int    `json:"missing"`
	Pending int    `json:"pending"`
}

// RoundProgress counts a round's tasks as they stood on day, grouped by key (the
// helper, or the region cut to a level). A task done after day counts as not done.
func RoundProgress(visits []Visit, day string, key func(Visit) (string, string)) []Progress {
	rows := map[string]*Progress{}
	for _, v := range visits {
		k, name := key(v)
		p := rows[k]
		if p == nil {
			p = &Progress{Key: k, Name: name}
			rows[k] = p
		}
		p.Tasks++
		switch {
		case v.Status == VisitDone && v.Day <= day:
			p.Done++
			if v.Day > v.Due {
				p.Late++
			}
		case day > v.Due:
			p.Missing++
		default:
			p.Pending++
		}
	}
	out := make([]Progress, 0, len(rows))
	for _, p := range rows {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
