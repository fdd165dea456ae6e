package transport

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
)

// CaseFilter reads the case list filters of a query string, strictly: a value that does
// not parse is refused (EINVALID), never ignored. Parameters: region, org (lead,
// co-handling or whistled to), lead (the lead org only, as statistics by org count), matter,
// channel, kind, q (words); status (comma-separated); window (window ids, comma-separated,
// at most MaxWindows: the cases that came through any of them); overdue (true or false); from
// and to (a day YYYY-MM-DD, a month YYYY-MM or an RFC 3339 time, China time, to
// including its whole day or month); cursor (the next_cursor of the page before);
// limit (1 to 200).
func CaseFilter(v url.Values) (domain.CaseFilter, error) {
	f := domain.CaseFilter{Region: v.Get("region"), Org: v.Get("org"), Lead: v.Get("lead"), Matter: v.Get("matter"), Channel: v.Get("channel"),
		Kind: v.Get("kind"), Q: v.Get("q")}
	for _, st := range strings.Split(v.Get("status"), ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if !slices.Contains(domain.Statuses, domain.Status(st)) {
			return f, domain.Errorf(domain.EINVALID, "unknown status %q", st)
		}
		f.Status = append(f.Status, domain.Status(st))
	}
	var err error
	if f.Window, err = WindowIDs(v.Get("window")); err != nil {
		return f, err
	}
	if s := v.Get("overdue"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return f, domain.Errorf(domain.EINVALID, "overdue must be true or false")
		}
		f.Overdue = &b
	}
	f.From, f.To, f.After, f.Limit, err = periodPage(v, 200)
	return f, err
}

// periodPage reads what every keyset list takes alike: from and to (domain.ParseBound:
// to includes its whole day or month), cursor (positive) and limit (1 to most).
func periodPage(v url.Values, most int) (from, to *time.Time, cursor int64, limit int, err error) {
	if from, err = domain.ParseBound(v.Get("from"), false); err != nil {
		return
	}
	if to, err = domain.ParseBound(v.Get("to"), true); err != nil {
		return
	}
	if s := v.Get("cursor"); s != "" {
		if cursor, err = strconv.ParseInt(s, 10, 64); err != nil || cursor <= 0 {
			return from, to, 0, 0, domain.Errorf(domain.EINVALID, "bad cursor")
		}
	}
	if s := v.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > most {
			return from, to, cursor, 0, domain.Errorf(domain.EINVALID, "limit must be 1 to %d", most)
		}
	}
	return from, to, cursor, limit, nil
}

// MaxWindows bounds the windows one case-list filter names (a hall's windows).
const MaxWindows = 200

// WindowIDs reads the window filter: window ids separated by commas, "" for none.
func WindowIDs(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, domain.Errorf(domain.EINVALID, "window must be window ids separated by commas, not %q", part)
		}
		out = append(out, id)
	}
	if len(out) > MaxWindows {
		return nil, domain.Errorf(domain.EINVALID, "window names at most %d windows", MaxWindows)
	}
	return out, nil
}
