package domain

import (
	"testing"
	"time"
)

// A month's report is due by the end of the fifth working day of the next month, on
// the shipped 2026 calendar with its holidays and 调休 workdays.
func TestProgressDeadline(t *testing.T) {
	cal, _ := loadCN2026(t)
	for _, c := range []struct{ month, deadline, why string }{
		{"2025-12", "2026-01-09", "元旦 1–3 off, Sunday 4 worked: 4, 5, 6, 7, 8"},
		{"2026-01", "2026-02-07", "Monday 2 to Friday 6"},
		{"2026-04", "2026-05-12", "劳动节 1–5 off, Saturday 9 worked: 6, 7, 8, 9, 11"},
		{"2026-05", "2026-06-06", "Monday 1 to Friday 5"},
		{"2026-09", "2026-10-14", "国庆 1–7 off, Saturday 10 worked: 8, 9, 10, 12, 13"},
	} {
		got, err := ProgressDeadline(c.month, cal)
		if err != nil || got.Format("2006-01-02 15:04") != c.deadline+" 00:00" || got.Location() != China {
			t.Errorf("%s: %v %v, want %s (%s)", c.month, got, err, c.deadline, c.why)
		}
	}
	if _, err := ProgressDeadline("2026-13", cal); ErrorCode(err) != EINVALID {
		t.Errorf("a month 13: %v", err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, China)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for now, want := range map[string]string{"2026-05-11 23:59": "2026-03", "2026-05-12 00:00": "2026-04", "2026-05-31 12:00": "2026-04",
		"2026-01-08 10:00": "2025-11", "2026-01-09 08:00": "2025-12"} {
		if got := DueProgressMonth(at(now), cal); got != want {
			t.Errorf("at %s the month due is %s, want %s", now, got, want)
		}
	}
}

func TestReportsProgress(t *testing.T) {
	for _, c := range []struct {
		stage  Stage
		status ProjectStatus
		want   bool
	}{
		{"construction_permit", "active", false}, {"started", "active", true}, {"completed", "active", true},
		{"operating", "active", true}, {"full_output", "active", false}, {"started", "paused", false}, {"started", "stopped", false},
	} {
		if got := ReportsProgress(&Project{Stage: c.stage, Status: c.status}); got != c.want {
			t.Errorf("%s %s: %v", c.stage, c.status, got)
		}
	}
	if got := ProgressStages(); len(got) != 3 || got[0] != "started" || got[2] != "operating" {
		t.Errorf("stages: %v", got)
	}
	if MonthEnd("2026-02") != "2026-02-28" || MonthEnd("2026-12") != "2026-12-31" || MonthEnd("x") != "" {
		t.Error("month ends")
	}
}
