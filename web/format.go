package web

import (
	"strconv"
	"strings"
	"time"

	"whistle/domain"
)

// Dates, numbers and durations as each locale writes them. Times are shown in China
// time, the time every deadline is computed in.

// Date writes a day: 2026年3月2日 / 2 Mar 2026.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(domain.China)
	if l.Chinese() {
		return t.Format("2006年1月2日")
	}
	return t.Format("2 Jan 2006")
}

// DateTime writes a moment to the minute: 2026年3月2日 09:05 / 2 Mar 2026 09:05.
func (l *Locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.Date(t) + " " + t.In(domain.China).Format("15:04")
}

// Short writes a moment briefly: 3月2日 09:05 / 2 Mar 09:05.
func (l *Locale) Short(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(domain.China)
	if l.Chinese() {
		return t.Format("1月2日 15:04")
	}
	return t.Format("2 Jan 15:04")
}

// Month writes a month: 2026年3月 / Mar 2026.
func (l *Locale) Month(t time.Time) string {
	if l.Chinese() {
		return t.Format("2006年1月")
	}
	return t.Format("Jan 2006")
}

// Num writes an integer with thousands separators (both locales group by three).
func (l *Locale) Num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Pct writes a rate (a fraction, domain.Ratio) as a percentage with one decimal, by
// domain.PercentText, the one rule of pages and briefings; no rate is a dash.
func (l *Locale) Pct(r *float64) string { return domain.PercentText(r) }

// Duration writes a span to the minute, largest units first, at most two of them:
// 2天3小时 / 2 d 3 h.
func (l *Locale) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	mins := int64(d / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	type part struct {
		n    int64
		unit string
	}
	var parts []part
	if days > 0 {
		parts = append(parts, part{days, "d"})
	}
	if hours > 0 {
		parts = append(parts, part{hours, "h"})
	}
	if m > 0 || len(parts) == 0 {
		parts = append(parts, part{m, "m"})
	}
	if len(parts) > 2 {
		parts = parts[:2]
	}
	var out []string
	for _, p := range parts {
		out = append(out, l.T("unit."+p.unit, p.n))
	}
	if l.Chinese() {
		return strings.Join(out, "")
	}
	return strings.Join(out, " ")
}

// Countdown writes the time left until due, or how long it is overdue.
func (l *Locale) Countdown(due, now time.Time) string {
	if due.After(now) {
		return l.T("countdown.left", l.Duration(due.Sub(now)))
	}
	return l.T("countdown.over", l.Duration(now.Sub(due)))
}
