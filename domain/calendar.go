package domain

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// China keeps one time zone and no summer time, so a fixed zone is exact and needs no
// tz database in the binary.
var China = time.FixedZone("CST", 8*3600)

// DayKind says how a listed date departs from the Monday–Friday week.
type DayKind string

const (
	Holiday DayKind = "holiday" // a day off whatever the weekday (法定节假日)
	Workday DayKind = "workday" // a Saturday or Sunday worked (调休上班)
)

// CalendarDay is one exception to the ordinary week.
type CalendarDay struct {
	Date string  `json:"date"` // YYYY-MM-DD
	Kind DayKind `json:"kind"`
	Name string  `json:"name"`
}

// Span is a stretch of office hours in minutes after midnight, e.g. 08:30–12:00.
type Span struct{ From, To int }

func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// DefaultOffice is the common office day of Chinese government offices.
var DefaultOffice = []Span{{8*60 + 30, 12 * 60}, {14 * 60, 17*60 + 30}}

// ParseOffice reads office hours such as "08:30-12:00,14:00-17:30".
func ParseOffice(s string) ([]Span, error) {
	var out []Span
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		var h1, m1, h2, m2 int
		var rest string // anything after the span is an error, not silently dropped
		if n, _ := fmt.Sscanf(part, "%d:%d-%d:%d%s", &h1, &m1, &h2, &m2, &rest); n != 4 {
			return nil, Invalidf("office.format", "office hours %q must look like 08:30-12:00,14:00-17:30", s)
		}
		sp := Span{h1*60 + m1, h2*60 + m2}
		if m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 || sp.From < 0 || sp.To > 24*60 || sp.From >= sp.To || (len(out) > 0 && sp.From < out[len(out)-1].To) {
			return nil, Invalidf("office.order", "office hours %q: spans must be ordered, within a day and not overlap", s)
		}
		out = append(out, sp)
	}
	if len(out) == 0 {
		return nil, Invalidf("office.empty", "office hours are empty")
	}
	return out, nil
}

// FormatOffice writes office hours the way ParseOffice reads them.
func FormatOffice(spans []Span) string {
	s := ""
	for i, sp := range spans {
		if i > 0 {
			s += ","
		}
		s += sp.String()
	}
	return s
}

// Calendar knows which days are worked and when the office is open; deadlines in
// working days and hours are computed on it. A working day counts as the length of one
// office day, so "3 working days" from Tuesday 10:00 ends Friday 10:00, and a suspended
// case's clock can be stopped and restarted minute by minute.
type Calendar struct {
	days   map[string]DayKind
	Office []Span
}

// NewCalendar builds a calendar from its exceptional days and office hours.
func NewCalendar(days []CalendarDay, office []Span) *Calendar {
	c := &Calendar{days: make(map[string]DayKind, len(days)), Office: office}
	if len(office) == 0 {
		c.Office = DefaultOffice
	}
	for _, d := range days {
		c.days[d.Date] = d.Kind
	}
	return c
}

// ValidateDay checks one calendar entry.
func ValidateDay(d CalendarDay) error {
	t, err := time.ParseInLocation("2006-01-02", d.Date, China)
	if err != nil {
		return Invalidf("calendar.date", "calendar date %q must be YYYY-MM-DD", d.Date)
	}
	switch d.Kind {
	case Holiday:
	case Workday:
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return Invalidf("calendar.workday", "%s is a %s: only a Saturday or Sunday can be a make-up working day", d.Date, wd)
		}
	default:
		return Invalidf("calendar.kind", "%s: calendar kind must be holiday or workday, not %q", d.Date, d.Kind)
	}
	return nil
}

// IsWorkday tells whether the civil date of t (in China) is worked.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(China)
	switch c.days[t.Format("2006-01-02")] {
	case Holiday:
		return false
	case Workday:
		return true
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// DayMinutes is the length of one office day.
func (c *Calendar) DayMinutes() int {
	n := 0
	for _, s := range c.Office {
		n += s.To - s.From
	}
	return n
}

// Minutes converts a deadline into working minutes.
func (c *Calendar) Minutes(d Deadline) int {
	if d.Unit == UnitHour {
		return d.N * 60
	}
	return d.N * c.DayMinutes()
}

// Due tells when a deadline started at t falls due.
func (c *Calendar) Due(t time.Time, d Deadline) time.Time {
	return c.AddWorkingMinutes(t, c.Minutes(d))
}

// AddWorkingMinutes moves t forward by m minutes of office time. A deadline that ends
// exactly at a span's close stays there rather than jumping to the next opening.
func (c *Calendar) AddWorkingMinutes(t time.Time, m int) time.Time {
	t = t.In(China).Truncate(time.Minute)
	if m <= 0 {
		return t
	}
	day := midnight(t)
	for guard := 0; guard < 3700; guard++ { // ten years of days at most
		if c.IsWorkday(day) {
			for _, s := range c.Office {
				from, to := day.Add(time.Duration(s.From)*time.Minute), day.Add(time.Duration(s.To)*time.Minute)
				if !t.Before(to) {
					continue
				}
				if t.Before(from) {
					t = from
				}
				left := int(to.Sub(t) / time.Minute)
				if m <= left {
					return t.Add(time.Duration(m) * time.Minute)
				}
				m -= left
				t = to
			}
		}
		day = day.AddDate(0, 0, 1)
		t = day
	}
	return t
}

// WorkingMinutesBetween counts the office minutes in [a, b); 0 when b is not after a.
func (c *Calendar) WorkingMinutesBetween(a, b time.Time) int {
	a, b = a.In(China).Truncate(time.Minute), b.In(China).Truncate(time.Minute)
	if !b.After(a) {
		return 0
	}
	n := 0
	for day := midnight(a); day.Before(b); day = day.AddDate(0, 0, 1) {
		if !c.IsWorkday(day) {
			continue
		}
		for _, s := range c.Office {
			from, to := day.Add(time.Duration(s.From)*time.Minute), day.Add(time.Duration(s.To)*time.Minute)
			if from.Before(a) {
				from = a
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				n += int(to.Sub(from) / time.Minute)
			}
		}
	}
	return n
}

// Days lists the calendar's exceptional days of one year, in date order.
func (c *Calendar) Days(year int) []CalendarDay {
	var out []CalendarDay
	prefix := fmt.Sprintf("%04d-", year)
	for d, k := range c.days {
		if len(d) == 10 && d[:5] == prefix {
			out = append(out, CalendarDay{Date: d, Kind: k})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

func midnight(t time.Time) time.Time {
	y, m, d := t.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, China)
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
