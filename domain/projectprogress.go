package domain

import "time"

// 月度进展 due and missing: a project under construction reports its investment and
// progress every month. It reports while it is active and has reached 开工 but not yet
// 达产 (开工, 竣工验收 and 投产: investment goes on until full output); a month's report
// is due by the end of the ProgressDueWorkday-th working day of the next month on the
// calendar (the 5th: the statistics offices' own deadline for the month before), and
// missing after it. A project that reached 开工 after the month ended owes nothing for it.

// ProgressDueWorkday is the working day of the next month by whose end a month's
// report is due.
const ProgressDueWorkday = 5

// ReportsProgress tells whether p owes monthly reports.
func ReportsProgress(p *Project) bool {
	i := p.Stage.Index()
	return p.Status == "active" && i >= Stage("started").Index() && i < Stage("full_output").Index()
}

// ProgressStages are the stages whose projects owe monthly reports.
func ProgressStages() []Stage {
	return Stages[Stage("started").Index():Stage("full_output").Index()]
}

// ProgressDeadline is when month's (YYYY-MM) report becomes missing: midnight (China)
// after the ProgressDueWorkday-th working day of the next month.
func ProgressDeadline(month string, cal *Calendar) (time.Time, error) {
	m, err := time.ParseInLocation("2006-01", month, China)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "month must be YYYY-MM")
	}
	d, n := m.AddDate(0, 1, 0), 0
	for {
		if cal.IsWorkday(d) {
			if n++; n == ProgressDueWorkday {
				return d.AddDate(0, 0, 1), nil
			}
		}
		d = d.AddDate(0, 0, 1)
	}
}

// DueProgressMonth is the latest month whose report is missing if not kept at now:
// last month once its deadline has passed, else the month before.
func DueProgressMonth(now time.Time, cal *Calendar) string {
	now = now.In(China)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, China)
	last := first.AddDate(0, -1, 0).Format("2006-01")
	if deadline, err := ProgressDeadline(last, cal); err == nil && !now.Before(deadline) {
		return last
	}
	return first.AddDate(0, -2, 0).Format("2006-01")
}

// MonthEnd is the last day (YYYY-MM-DD) of month (YYYY-MM), "" when it is no month.
func MonthEnd(month string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	return m.AddDate(0, 1, -1).Format("2006-01-02")
}

// ProgressFlag is a month whose report was missing at its deadline: flagged then, and
// whether it was reported (late) since.
type ProgressFlag struct {
	Month     string    `json:"month"`
	FlaggedAt time.Time `json:"flagged_at"`
	Reported  bool      `json:"reported_late"`
}
