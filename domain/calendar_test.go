package domain

import (
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// cn2026Path is the real 2026 calendar (国务院办公厅 2025-11-04) the binary ships
// (importer/calendars, embedded and seeded into every new database), relative to this
// package: the calendar a deployment counts deadlines on is the one tested.
var cn2026Path = filepath.Join("..", "importer", "calendars", "cn-2026.csv")

// loadCN2026 parses the real 2026 calendar; every row must pass ValidateDay.
func loadCN2026(t *testing.T) (*Calendar, []CalendarDay) {
	t.Helper()
	f, err := os.Open(cn2026Path)
	if err != nil {
		t.Fatalf("the shipped 2026 calendar: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = 3
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", cn2026Path, err)
	}
	var days []CalendarDay
	for i, rec := range recs {
		if i == 0 && rec[0] == "date" {
			continue
		}
		d := CalendarDay{Date: rec[0], Kind: DayKind(rec[1]), Name: rec[2]}
		if err := ValidateDay(d); err != nil {
			t.Errorf("%s row %d: %v", cn2026Path, i+1, err)
		}
		days = append(days, d)
	}
	if len(days) < 30 {
		t.Fatalf("%s: only %d days", cn2026Path, len(days))
	}
	return NewCalendar(days, nil), days
}

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, China)
	if err != nil {
		panic(err)
	}
	return t
}

func TestIsWorkday2026(t *testing.T) {
	cal, days := loadCN2026(t)
	cases := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-01-01", false, "元旦, a Thursday"},
		{"2026-01-02", false, "元旦, a Friday"},
		{"2026-01-03", false, "元旦, a Saturday"},
		{"2026-01-04", true, "Sunday worked for 元旦 (调休)"},
		{"2026-01-05", true, "ordinary Monday"},
		{"2026-02-14", true, "Saturday worked for 春节"},
		{"2026-02-16", false, "春节, a Monday"},
		{"2026-02-23", false, "春节, a Monday"},
		{"2026-02-24", true, "first Tuesday after 春节"},
		{"2026-02-28", true, "Saturday worked for 春节"},
		{"2026-03-07", false, "ordinary Saturday"},
		{"2026-03-08", false, "ordinary Sunday"},
		{"2026-03-09", true, "ordinary Monday"},
		{"2026-05-09", true, "Saturday worked for 劳动节"},
		{"2026-09-20", true, "Sunday worked for 国庆"},
		{"2026-09-25", false, "中秋, a Friday"},
		{"2026-09-30", true, "ordinary Wednesday"},
		{"2026-10-01", false, "国庆"},
		{"2026-10-02", false, "国庆"},
		{"2026-10-03", false, "国庆"},
		{"2026-10-04", false, "国庆"},
		{"2026-10-05", false, "国庆"},
		{"2026-10-06", false, "国庆"},
		{"2026-10-07", false, "国庆"},
		{"2026-10-08", true, "Thursday after 国庆"},
		{"2026-10-10", true, "Saturday worked for 国庆"},
		{"2026-10-11", false, "ordinary Sunday"},
		{"2027-01-04", true, "a Monday of a year with no data: the ordinary week"},
	}
	for _, tc := range cases {
		d := day(tc.date)
		if got := cal.IsWorkday(d); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tc.date, got, tc.want, tc.why)
		}
		// any instant of the China date, whatever zone it is given in
		late := d.Add(23*time.Hour + 59*time.Minute).UTC()
		if got := cal.IsWorkday(late); got != tc.want {
			t.Errorf("IsWorkday(%s 23:59 CST as UTC %v) = %v", tc.date, late, got)
		}
	}
	// 2026-10-07 20:00 UTC is already 2026-10-08 in China
	if !cal.IsWorkday(time.Date(2026, 10, 7, 20, 0, 0, 0, time.UTC)) {
		t.Errorf("IsWorkday reads the UTC date instead of the China date")
	}
	// Days gives back the year's exceptions, sorted
	got := cal.Days(2026)
	if len(got) != len(days) {
		t.Fatalf("Days(2026) has %d entries, file has %d", len(got), len(days))
	}
	for i := range got {
		if i > 0 && got[i-1].Date >= got[i].Date {
			t.Fatalf("Days not sorted at %d: %s %s", i, got[i-1].Date, got[i].Date)
		}
	}
	if n := len(cal.Days(2025)); n != 0 {
		t.Errorf("Days(2025) of a 2026 calendar has %d entries", n)
	}
}

func TestAddWorkingMinutes2026(t *testing.T) {
	cal, _ := loadCN2026(t)
	cases := []struct {
		name  string
		from  string
		m     int
		want  string
		check string // what the case is about
	}{
		{"zero", "2026-03-02 10:17", 0, "2026-03-02 10:17", ""},
		{"inside a span", "2026-03-02 09:00", 30, "2026-03-02 09:30", ""},
		{"ends exactly at noon", "2026-03-02 11:00", 60, "2026-03-02 12:00", "stays at the close"},
		{"across lunch", "2026-03-02 11:30", 60, "2026-03-02 14:30", ""},
		{"from inside lunch", "2026-03-02 12:30", 15, "2026-03-02 14:15", ""},
		{"before opening", "2026-03-02 07:00", 30, "2026-03-02 09:00", ""},
		{"across the evening", "2026-03-02 17:00", 60, "2026-03-03 09:00", ""},
		{"from the evening", "2026-03-02 20:00", 1, "2026-03-03 08:31", ""},
		{"ends exactly at close", "2026-03-02 17:00", 30, "2026-03-02 17:30", ""},
		{"across a weekend", "2026-03-06 17:00", 60, "2026-03-09 09:00", ""},
		{"from a Saturday", "2026-03-07 10:00", 30, "2026-03-09 09:00", ""},
		{"a whole day", "2026-03-03 10:00", 420, "2026-03-04 10:00", ""},
		{"into 元旦", "2025-12-31 17:00", 60, "2026-01-04 09:00", "the make-up Sunday"},
		{"into 国庆", "2026-09-30 17:00", 60, "2026-10-08 09:00", "seven days off"},
		{"from inside 国庆", "2026-10-03 10:00", 30, "2026-10-08 09:00", ""},
		{"onto the make-up Saturday", "2026-10-09 17:00", 60, "2026-10-10 09:00", ""},
		{"over the make-up Saturday", "2026-10-09 17:00", 480, "2026-10-12 09:00", "30 Fri + 420 Sat + 30 Mon"},
		{"three days over 国庆", "2026-09-30 17:00", 1260, "2026-10-10 17:00", "30 + 420 + 420 + 390"},
		{"into 中秋", "2026-09-24 17:00", 60, "2026-09-28 09:00", ""},
		{"onto the make-up Sunday before 国庆", "2026-09-18 17:00", 60, "2026-09-20 09:00", ""},
		{"seconds are dropped", "2026-03-02 10:00", 1, "2026-03-02 10:01", ""},
	}
	for _, tc := range cases {
		from := cst(tc.from)
		if tc.name == "seconds are dropped" {
			from = from.Add(45 * time.Second)
		}
		got := cal.AddWorkingMinutes(from, tc.m)
		if !got.Equal(cst(tc.want)) {
			t.Errorf("%s: AddWorkingMinutes(%s, %d) = %v, want %s %s", tc.name, tc.from, tc.m, got, tc.want, tc.check)
		}
		if got.Location() != China {
			t.Errorf("%s: result in %v, want China", tc.name, got.Location())
		}
		if n := cal.WorkingMinutesBetween(from, got); n != tc.m {
			t.Errorf("%s: WorkingMinutesBetween gives back %d, want %d", tc.name, n, tc.m)
		}
	}
	// an instant given in UTC is placed in China first
	if got := cal.AddWorkingMinutes(time.Date(2026, 3, 2, 3, 30, 0, 0, time.UTC), 60); !got.Equal(cst("2026-03-02 14:30")) {
		t.Errorf("UTC input: %v", got)
	}
}

func TestDue2026(t *testing.T) {
	cal, _ := loadCN2026(t)
	if cal.DayMinutes() != 420 {
		t.Fatalf("default office day is %d minutes, want 420", cal.DayMinutes())
	}
	cases := []struct {
		from string
		d    Deadline
		want string
	}{
		{"2026-03-03 10:00", Deadline{1, UnitDay}, "2026-03-04 10:00"},
		{"2026-03-03 10:00", Deadline{3, UnitDay}, "2026-03-06 10:00"}, // Tuesday → Friday
		{"2026-03-05 10:00", Deadline{3, UnitDay}, "2026-03-10 10:00"}, // Thursday → Tuesday
		{"2026-03-03 11:00", Deadline{2, UnitHour}, "2026-03-03 15:00"},
		{"2026-03-03 16:30", Deadline{2, UnitHour}, "2026-03-04 09:30"},
		{"2026-03-03 08:00", Deadline{1, UnitDay}, "2026-03-03 17:30"}, // a full day from before opening
		{"2026-09-30 10:00", Deadline{1, UnitDay}, "2026-10-08 10:00"},
		{"2026-10-09 10:00", Deadline{1, UnitDay}, "2026-10-10 10:00"},
		{"2026-10-09 10:00", Deadline{2, UnitDay}, "2026-10-12 10:00"},
		{"2026-02-13 10:00", Deadline{2, UnitDay}, "2026-02-24 10:00"},  // Fri → make-up Sat 14 → after 春节
		{"2026-03-02 08:30", Deadline{7, UnitHour}, "2026-03-02 17:30"}, // 7 hours is one office day
		{"2026-03-02 09:00", Deadline{7, UnitHour}, "2026-03-03 09:00"},
	}
	for _, tc := range cases {
		if got := cal.Due(cst(tc.from), tc.d); !got.Equal(cst(tc.want)) {
			t.Errorf("Due(%s, %s) = %v, want %s", tc.from, tc.d, got, tc.want)
		}
	}
	if cal.Minutes(Deadline{3, UnitDay}) != 1260 || cal.Minutes(Deadline{2, UnitHour}) != 120 {
		t.Errorf("Minutes: %d %d", cal.Minutes(Deadline{3, UnitDay}), cal.Minutes(Deadline{2, UnitHour}))
	}
}

func TestWorkingMinutesBetween2026(t *testing.T) {
	cal, _ := loadCN2026(t)
	cases := []struct {
		a, b string
		want int
	}{
		{"2026-03-02 10:00", "2026-03-02 10:00", 0},
		{"2026-03-02 11:00", "2026-03-02 10:00", 0}, // b before a
		{"2026-03-02 08:00", "2026-03-02 18:00", 420},
		{"2026-03-02 11:00", "2026-03-02 15:00", 120},
		{"2026-03-02 12:10", "2026-03-02 13:50", 0},
		{"2026-03-06 17:00", "2026-03-09 09:00", 60},
		{"2026-03-07 00:00", "2026-03-09 00:00", 0},
		{"2026-09-30 00:00", "2026-10-11 00:00", 4 * 420}, // 30th, 8th, 9th, 10th
		{"2026-01-01 00:00", "2026-01-05 00:00", 420},     // only the make-up Sunday
	}
	for _, tc := range cases {
		if got := cal.WorkingMinutesBetween(cst(tc.a), cst(tc.b)); got != tc.want {
			t.Errorf("WorkingMinutesBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestAddAndBetweenAgree: WorkingMinutesBetween(t, AddWorkingMinutes(t, m)) == m, and
// adding in two steps equals adding at once, over random instants of 2026.
func TestAddAndBetweenAgree(t *testing.T) {
	cal, _ := loadCN2026(t)
	small := NewCalendar([]CalendarDay{{Date: "2026-03-04", Kind: Holiday}, {Date: "2026-03-07", Kind: Workday}},
		[]Span{{9 * 60, 12 * 60}, {13 * 60, 13*60 + 45}, {15 * 60, 18 * 60}})
	rng := rand.New(rand.NewPCG(2026, 10))
	start := cst("2026-01-01 00:00")
	for _, c := range []*Calendar{cal, small} {
		inOffice := 0
		for i := 0; i < 3000; i++ {
			tm := start.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute)
			if i%2 == 0 { // half the samples are pulled into office hours
				for !c.IsWorkday(tm) {
					tm = tm.AddDate(0, 0, 1)
				}
				sp := c.Office[rng.IntN(len(c.Office))]
				tm = midnight(tm).Add(time.Duration(sp.From+rng.IntN(sp.To-sp.From)) * time.Minute)
				inOffice++
			}
			m := rng.IntN(10 * c.DayMinutes())
			end := c.AddWorkingMinutes(tm, m)
			if end.Before(tm) {
				t.Fatalf("AddWorkingMinutes(%v, %d) = %v goes back", tm, m, end)
			}
			if got := c.WorkingMinutesBetween(tm, end); got != m {
				t.Fatalf("WorkingMinutesBetween(%v, AddWorkingMinutes(_, %d)=%v) = %d", tm, m, end, got)
			}
			k := rng.IntN(m + 1)
			if two := c.AddWorkingMinutes(c.AddWorkingMinutes(tm, k), m-k); !two.Equal(end) {
				t.Fatalf("adding %d then %d from %v gives %v, at once %v", k, m-k, tm, two, end)
			}
		}
		if inOffice < 1000 {
			t.Fatalf("only %d samples in office hours", inOffice)
		}
	}
}

func TestSmallCalendar(t *testing.T) {
	// Wednesday 2026-03-04 off, Saturday 2026-03-07 worked, office 09:00-12:00 only
	cal := NewCalendar([]CalendarDay{{Date: "2026-03-04", Kind: Holiday, Name: "假日"}, {Date: "2026-03-07", Kind: Workday, Name: "补班"}},
		[]Span{{9 * 60, 12 * 60}})
	if cal.DayMinutes() != 180 {
		t.Fatalf("day of %d minutes", cal.DayMinutes())
	}
	work := map[string]bool{"2026-03-02": true, "2026-03-03": true, "2026-03-04": false, "2026-03-05": true,
		"2026-03-06": true, "2026-03-07": true, "2026-03-08": false, "2026-03-14": false}
	for d, want := range work {
		if cal.IsWorkday(day(d)) != want {
			t.Errorf("IsWorkday(%s) != %v", d, want)
		}
	}
	cases := []struct {
		from string
		d    Deadline
		want string
	}{
		{"2026-03-03 10:00", Deadline{1, UnitDay}, "2026-03-05 10:00"}, // skips the Wednesday holiday
		{"2026-03-03 10:00", Deadline{1, UnitHour}, "2026-03-03 11:00"},
		{"2026-03-03 11:30", Deadline{1, UnitHour}, "2026-03-05 09:30"},
		{"2026-03-06 10:00", Deadline{1, UnitDay}, "2026-03-07 10:00"}, // onto the worked Saturday
		{"2026-03-06 10:00", Deadline{2, UnitDay}, "2026-03-09 10:00"},
		{"2026-03-03 13:00", Deadline{1, UnitDay}, "2026-03-05 12:00"}, // a full day from after hours ends at the close
	}
	for _, tc := range cases {
		if got := cal.Due(cst(tc.from), tc.d); !got.Equal(cst(tc.want)) {
			t.Errorf("Due(%s, %s) = %v, want %s", tc.from, tc.d, got, tc.want)
		}
	}
	if got := cal.WorkingMinutesBetween(cst("2026-03-03 00:00"), cst("2026-03-09 00:00")); got != 4*180 {
		t.Errorf("week minutes %d, want %d", got, 4*180)
	}
	want := []CalendarDay{{Date: "2026-03-04", Kind: Holiday}, {Date: "2026-03-07", Kind: Workday}}
	if got := cal.Days(2026); !reflect.DeepEqual(got, want) {
		t.Errorf("Days(2026) = %+v", got)
	}
	// no office hours given: the default office day
	if def := NewCalendar(nil, nil); def.DayMinutes() != 420 || !reflect.DeepEqual(def.Office, DefaultOffice) {
		t.Errorf("default calendar office %v", def.Office)
	}
}

func TestParseOffice(t *testing.T) {
	good := []struct {
		in   string
		want []Span
	}{
		{"08:30-12:00,14:00-17:30", DefaultOffice},
		{" 09:00-17:00 ", []Span{{540, 1020}}},
		{"00:00-24:00", []Span{{0, 1440}}},
		{"8:00-12:00,", []Span{{480, 720}}},
		{"08:00-10:00,10:00-12:00", []Span{{480, 600}, {600, 720}}}, // touching spans
		{"08:00-09:00, 10:00-11:00 ,13:00-14:00", []Span{{480, 540}, {600, 660}, {780, 840}}},
	}
	for _, tc := range good {
		got, err := ParseOffice(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseOffice(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			continue
		}
		// FormatOffice writes what ParseOffice reads
		again, err := ParseOffice(FormatOffice(got))
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q via %q: %v %v", tc.in, FormatOffice(got), again, err)
		}
	}
	if FormatOffice(DefaultOffice) != "08:30-12:00,14:00-17:30" {
		t.Errorf("FormatOffice(DefaultOffice) = %q", FormatOffice(DefaultOffice))
	}
	bad := []string{
		"", " ", ",", "abc", "08:30", "08:30-", "08-12",
		"12:00-08:30",               // backwards
		"08:30-08:30",               // empty span
		"08:60-12:00",               // minute out of range
		"08:30-12:75",               // minute out of range
		"25:00-26:00",               // past midnight
		"20:00-24:01",               // past midnight
		"-1:00-02:00",               // negative hour
		"08:-30-12:00",              // negative minute
		"08:30-12:00,11:00-13:00",   // overlapping
		"14:00-17:30,08:30-12:00",   // out of order
		"08:30-12:00-13:00",         // trailing garbage
		"08:30-12:00 and then some", // trailing garbage
		"08:30-12:00;14:00-17:30",   // wrong separator
	}
	for _, in := range bad {
		got, err := ParseOffice(in)
		if ErrorCode(err) != EINVALID {
			t.Errorf("ParseOffice(%q) = %v, %v; want invalid", in, got, err)
		}
	}
}

func TestValidateDay(t *testing.T) {
	cases := []struct {
		d    CalendarDay
		want string
	}{
		{CalendarDay{Date: "2026-10-01", Kind: Holiday}, ""}, // a Thursday off
		{CalendarDay{Date: "2026-10-03", Kind: Holiday}, ""}, // a Saturday off (redundant but harmless)
		{CalendarDay{Date: "2026-10-10", Kind: Workday}, ""}, // a Saturday worked
		{CalendarDay{Date: "2026-01-04", Kind: Workday}, ""}, // a Sunday worked
		{CalendarDay{Date: "2026-03-02", Kind: Workday}, EINVALID},
		{CalendarDay{Date: "2026-10-09", Kind: Workday}, EINVALID}, // a Friday is already worked
		{CalendarDay{Date: "2026-13-01", Kind: Holiday}, EINVALID},
		{CalendarDay{Date: "2026-02-30", Kind: Holiday}, EINVALID},
		{CalendarDay{Date: "2026/10/01", Kind: Holiday}, EINVALID},
		{CalendarDay{Date: "", Kind: Holiday}, EINVALID},
		{CalendarDay{Date: "2026-10-01", Kind: "off"}, EINVALID},
		{CalendarDay{Date: "2026-10-01", Kind: ""}, EINVALID},
	}
	for _, tc := range cases {
		if got := ErrorCode(ValidateDay(tc.d)); got != tc.want {
			t.Errorf("ValidateDay(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestParseDeadline(t *testing.T) {
	good := map[string]Deadline{"5d": {5, UnitDay}, "2h": {2, UnitHour}, " 1d ": {1, UnitDay}, "8760h": {8760, UnitHour}}
	for in, want := range good {
		got, err := ParseDeadline(in)
		if err != nil || got != want || got.Validate() != nil {
			t.Errorf("ParseDeadline(%q) = %v, %v", in, got, err)
		}
		if back, _ := ParseDeadline(got.String()); back != got {
			t.Errorf("String round trip of %v: %v", got, back)
		}
	}
	for _, in := range []string{"", "d", "5", "0d", "-1d", "5w", "1.5d", "8761h", "five d"} {
		if _, err := ParseDeadline(in); ErrorCode(err) != EINVALID {
			t.Errorf("ParseDeadline(%q) = %v, want invalid", in, err)
		}
	}
	for _, d := range []Deadline{{0, UnitDay}, {1, "week"}, {8761, UnitHour}} {
		if ErrorCode(d.Validate()) != EINVALID {
			t.Errorf("%+v validated", d)
		}
	}
}
