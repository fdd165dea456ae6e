package api

import (
	"net/http"
	"strconv"
	"time"

	"whistle/domain"
	"whistle/service"
)

// Query-string readers: each refuses a malformed value (400) rather than ignore it.

// queryInt reads an optional whole number, 0 when absent.
func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, domain.Errorf(domain.EINVALID, "%s must be a whole number", name)
	}
	return n, nil
}

// queryBool reads an optional true/false.
func queryBool(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, domain.Errorf(domain.EINVALID, "%s must be true or false", name)
}

// queryDay reads an optional day.
func queryDay(r *http.Request, name string) (string, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return "", nil
	}
	d, err := domain.ParseDay(v)
	if err != nil {
		return "", domain.Errorf(domain.EINVALID, "%s must be a day YYYY-MM-DD", name)
	}
	return d, nil
}

// queryLimit reads an optional limit of 1 to 1000.
func queryLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return 0, domain.Errorf(domain.EINVALID, "limit must be 1 to 1000")
	}
	return n, nil
}

// firstErr gives the first error of several reads.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// queryYear reads an optional year, this year (China time, on the service's clock)
// when absent.
func (s *Server) queryYear(r *http.Request) (int, error) {
	year, err := queryInt(r, "year")
	if year == 0 {
		year = int64(s.svc.Now().In(domain.China).Year())
	}
	return int(year), err
}

// reportRegion is the region asked in the query, else the one region u reports on.
func reportRegion(r *http.Request, u domain.User) (string, error) {
	if region := r.URL.Query().Get("region"); region != "" {
		return region, nil
	}
	return service.LedgerRegion(u, "")
}

// period reads from and to (days, months or RFC 3339 times, to including its whole day
// or month); by default the year up to the end of today. At most five years.
func (s *Server) period(r *http.Request) (time.Time, time.Time, error) {
	q := r.URL.Query()
	from, err := domain.ParseBound(q.Get("from"), false)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	to, err := domain.ParseBound(q.Get("to"), true)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if to == nil {
		y, m, d := s.svc.Now().In(domain.China).Date()
		t := time.Date(y, m, d, 0, 0, 0, 0, domain.China).AddDate(0, 0, 1)
		to = &t
	}
	if from == nil {
		f := to.AddDate(-1, 0, 0)
		from = &f
	}
	if !from.Before(*to) || to.Sub(*from) > 5*366*24*time.Hour {
		return time.Time{}, time.Time{}, domain.Errorf(domain.EINVALID, "from must be before to, at most five years apart")
	}
	return *from, *to, nil
}

// periodIf is period when from or to is asked; when neither is, from and to are zero
// and asked is false, for the caller to choose.
func (s *Server) periodIf(r *http.Request) (from, to time.Time, asked bool, err error) {
	if q := r.URL.Query(); !q.Has("from") && !q.Has("to") {
		return from, to, false, nil
	}
	from, to, err = s.period(r)
	return from, to, true, err
}

// lastDay is the last day a period ending at to (exclusive) includes.
func lastDay(to time.Time) string { return to.Add(-time.Second).Format("2006-01-02") }

// queryPage reads a keyset page: after (the cursor, 0 for the first page) and limit (0
// for the service's page size).
func queryPage(r *http.Request) (after int64, limit int, err error) {
	after, err1 := queryInt(r, "after")
	n, err2 := queryInt(r, "limit")
	return after, int(n), firstErr(err1, err2)
}

// paging is how the service pages a list: the page size when none is asked or more
// than max is.
type paging struct{ size, max int }

var (
	patrolPages     = paging{size: 100, max: 500}
	enterprisePages = paging{size: 200, max: 1000}
	subjectPages    = paging{size: 100, max: 500}
)

// next is the cursor after a page of n items asked with limit, last giving the last
// one's id: 0 when the page is not full, so none come after it.
func (p paging) next(limit, n int, last func() int64) int64 {
	if limit <= 0 || limit > p.max {
		limit = p.size
	}
	if n == 0 || n < limit {
		return 0
	}
	return last()
}
