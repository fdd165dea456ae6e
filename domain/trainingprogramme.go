package domain

import (
	"strings"
	"time"
)

// A joint class's programme: sessions (lectures, discussions, and study visits 调研 made
// by one group), attendance by session and the trainees' feedback.

// Kinds of sessions.
const (
	SessionLecture    = "lecture"    // 专题授课
	SessionDiscussion = "discussion" // 研讨交流
	SessionVisit      = "visit"      // 调研 (现场教学), by one group
)

// Attendance marks.
const (
	AttendPresent = "present" // 出席
	AttendLate    = "late"    // 迟到
	AttendLeave   = "leave"   // 请假
	AttendAbsent  = "absent"  // 缺席
)

// AttendMarks are the marks in the order the sheets show them.
var AttendMarks = []string{AttendPresent, AttendLate, AttendLeave, AttendAbsent}

// TrainingSession is one session of a class's programme; Group is the group that makes
// a study visit (0: the whole class).
type TrainingSession struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	StartsAt string `json:"starts_at"` // "2026-11-17 08:30"
	Place    string `json:"place,omitempty"`
	Speaker  string `json:"speaker,omitempty"`
	Group    int    `json:"group"`
}

// SessionLayout is how a session's start is written.
const SessionLayout = "2006-01-02 15:04"

// Validate checks a session of a class of groups groups (0 until mixed).
func (s *TrainingSession) Validate(groups int) error {
	s.Title, s.Place, s.Speaker = strings.TrimSpace(s.Title), strings.TrimSpace(s.Place), strings.TrimSpace(s.Speaker)
	s.StartsAt = strings.Replace(strings.TrimSpace(s.StartsAt), "T", " ", 1)
	switch {
	case s.Kind != SessionLecture && s.Kind != SessionDiscussion && s.Kind != SessionVisit:
		return Invalidf("session.kind", "课程类型须为 lecture（专题授课）、discussion（研讨交流）或 visit（调研）")
	case s.Title == "" || len([]rune(s.Title)) > 100:
		return Invalidf("session.title", "课程名称必填，最多 100 字")
	case len([]rune(s.Place)) > 100 || len([]rune(s.Speaker)) > 50:
		return Invalidf("session.place", "地点最多 100 字，授课人最多 50 字")
	case s.Kind == SessionVisit && (s.Group < 1 || s.Group > groups):
		return Invalidf("session.group", "调研须指定由哪个组前往（1 到 %d 组；班级须先混编）", groups)
	case s.Kind != SessionVisit && s.Group != 0:
		return Invalidf("session.group", "只有调研按组安排")
	}
	if _, err := time.Parse(SessionLayout, s.StartsAt); err != nil {
		return Invalidf("session.starts_at", "开始时间须为 YYYY-MM-DD HH:MM")
	}
	return nil
}

// Expected lists the trainees a session expects: the group's for a visit, else all.
func (s TrainingSession) Expected(ts []Trainee) []Trainee {
	if s.Group == 0 {
		return ts
	}
	var out []Trainee
	for _, t := range ts {
		if t.Group == s.Group {
			out = append(out, t)
		}
	}
	return out
}

// Attendance is a session's attendance and feedback summed.
type Attendance struct {
	Expected int            `json:"expected"`
	Marked   map[string]int `json:"marked"` // by mark
	Rate     *float64       `json:"rate"`   // (present + late) / expected, once any is marked
	Feedback int            `json:"feedback"`
	Rating   *float64       `json:"rating"` // mean of 1–5, once any
}

// SumAttendance sums a session's marks (trainee → mark) over the expected trainees.
func SumAttendance(expected []Trainee, marks map[int64]string) Attendance {
	a := Attendance{Expected: len(expected), Marked: map[string]int{}}
	n := 0
	for _, t := range expected {
		if m, ok := marks[t.ID]; ok {
			a.Marked[m]++
			n++
		}
	}
	if n > 0 && len(expected) > 0 {
		a.Rate = Ratio(int64(a.Marked[AttendPresent]+a.Marked[AttendLate]), int64(len(expected)))
	}
	return a
}

// ValidMark tells whether m is an attendance mark.
func ValidMark(m string) bool {
	for _, x := range AttendMarks {
		if x == m {
			return true
		}
	}
	return false
}

// Feedback is one trainee's anonymous feedback on a session.
type Feedback struct {
	ID      int64  `json:"id"`
	Rating  int    `json:"rating"` // 1–5
	Comment string `json:"comment,omitempty"`
}

// Validate checks a feedback.
func (f *Feedback) Validate() error {
	f.Comment = strings.TrimSpace(f.Comment)
	if f.Rating < 1 || f.Rating > 5 {
		return Invalidf("feedback.rating", "评分须为 1 到 5")
	}
	if len([]rune(f.Comment)) > 1000 {
		return Invalidf("feedback.comment", "意见最多 1000 字")
	}
	return nil
}
