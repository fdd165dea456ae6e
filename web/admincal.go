package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
)

// The working-day calendar as a month grid (工作日历): every day of the month a button
// that turns, click by click, through ordinary → 节假日 → 调休上班 (the last only on a
// Saturday or Sunday), weekends shaded, a month's arrows either side. The form posts
// each day's kind; the service replaces that month and checks each day.

// calDay is one cell of the month grid; Blank pads the first and last week.
type calDay struct {
	Date    string
	Day     int
	Weekend bool
	Kind    string // "", holiday or workday
	Name    string
	Blank   bool
}

type calMonth struct {
	Year, Month int
	Weeks       [][]calDay
	// the months either side
	PrevYear, PrevMonth, NextYear, NextMonth int
}

// monthOf reads ?year=&month=, the current month when absent or out of range.
func monthOf(r *http.Request, now time.Time) (int, int) {
	y, err1 := strconv.Atoi(r.FormValue("year"))
	m, err2 := strconv.Atoi(r.FormValue("month"))
	if err1 != nil || y < 2000 || y > 2100 {
		y = now.In(domain.China).Year()
	}
	if err2 != nil || m < 1 || m > 12 {
		m = int(now.In(domain.China).Month())
		if err1 == nil && r.FormValue("month") == "" && y != now.In(domain.China).Year() {
			m = 1
		}
	}
	return y, m
}

// monthGrid lays out a month in weeks from Monday, with the year's exceptional days.
func monthGrid(year, month int, days []domain.CalendarDay) calMonth {
	kinds := map[string]domain.CalendarDay{}
	for _, d := range days {
		kinds[d.Date] = d
	}
	first := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, domain.China)
	c := calMonth{Year: year, Month: month}
	week := make([]calDay, (int(first.Weekday())+6)%7) // blanks before the 1st
	for i := range week {
		week[i].Blank = true
	}
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		date := d.Format("2006-01-02")
		x := kinds[date]
		week = append(week, calDay{Date: date, Day: d.Day(), Weekend: d.Weekday() == time.Saturday || d.Weekday() == time.Sunday,
			Kind: string(x.Kind), Name: x.Name})
		if len(week) == 7 {
			c.Weeks, week = append(c.Weeks, week), nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, calDay{Blank: true})
		}
		c.Weeks = append(c.Weeks, week)
	}
	p, n := first.AddDate(0, -1, 0), first.AddDate(0, 1, 0)
	c.PrevYear, c.PrevMonth, c.NextYear, c.NextMonth = p.Year(), int(p.Month()), n.Year(), int(n.Month())
	return c
}

func (a *App) adminCalendar(w http.ResponseWriter, r *http.Request, q *Req) error {
	year, month := monthOf(r, q.Now)
	return a.showCalendar(w, r, q, http.StatusOK, year, month, nil)
}

// showCalendar shows a month; a refused form shows the kinds as posted.
func (a *App) showCalendar(w http.ResponseWriter, r *http.Request, q *Req, status int, year, month int, posted []domain.CalendarDay) error {
	cal, err := a.svc.CalendarYear(r.Context(), year)
	if err != nil {
		return err
	}
	days := cal.Days
	if posted != nil {
		days = posted
	}
	form := map[string]string{"office": domain.FormatOffice(cal.Office)}
	if r.Method == http.MethodPost {
		form["office"] = r.PostFormValue("office")
	}
	return a.admin(w, r, q, status, "calendar", monthGrid(year, month, days), form)
}

// adminSaveCalendar reads the month grid (kind.<date> and name.<date> for each day of the
// month) and the office hours, and hands them to the service, which checks each day.
func (a *App) adminSaveCalendar(w http.ResponseWriter, r *http.Request, q *Req) error {
	year, month := monthOf(r, q.Now)
	days := []domain.CalendarDay{}
	first := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, domain.China)
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		date := d.Format("2006-01-02")
		if kind := r.PostFormValue("kind." + date); kind != "" {
			days = append(days, domain.CalendarDay{Date: date, Kind: domain.DayKind(kind), Name: strings.TrimSpace(r.PostFormValue("name." + date))})
		}
	}
	office, err := domain.ParseOffice(r.PostFormValue("office"))
	if err == nil {
		err = a.svc.PutCalendarMonth(r.Context(), q.User, year, month, office, days)
	}
	if err != nil {
		return a.refused(w, r, q, err, func() error { return a.showCalendar(w, r, q, http.StatusBadRequest, year, month, days) })
	}
	http.Redirect(w, r, "/admin/calendar?saved=1&year="+strconv.Itoa(year)+"&month="+strconv.Itoa(month), http.StatusSeeOther)
	return nil
}
