package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The case list: every case the user may see, filtered like GET /api/v1/cases, newest
// first, one page at a time, with the number of cases the filter matches (counted by
// the service in the list's own scope, up to its bound). Dashboards link here with the
// filters of their figures, so the total can be checked against the figure.

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.cases", Path: "/cases", Order: 90})
		a.Page("GET /cases", nil, a.caseList)
	})
}

type caseListData struct {
	Cases    []*domain.Case
	Names    Names
	Next     string // the next page's cursor, "" at the end
	MoreURL  string
	XLSX     string            // the list as an Excel workbook, with its filters
	Count    service.CaseCount // how many cases match the filter
	Filter   url.Values
	From, To string // the period's first and last day (YYYY-MM-DD) for the date inputs
	Matters  []domain.Matter
	Orgs     []domain.Org
	Statuses []domain.Status
	Channels []domain.Channel
	Kinds    []domain.Kind
}

// filterFrom reads the list filters of a query; a bad value is ignored rather than
// refused, as a person typing in the address bar expects. A period's ends are days or
// months (domain.ParseBound): from=2026-01&to=2026-03 is January to March whole.
func filterFrom(v url.Values) domain.CaseFilter {
	f := domain.CaseFilter{Region: v.Get("region"), Org: v.Get("org"), Lead: v.Get("lead"), Matter: v.Get("matter"), Channel: v.Get("channel"),
		Kind: v.Get("kind"), Q: v.Get("q"), Limit: pageSize}
	for _, s := range strings.Split(v.Get("status"), ",") {
		for _, known := range domain.Statuses {
			if s == string(known) {
				f.Status = append(f.Status, known)
			}
		}
	}
	if v.Get("open") == "1" && len(f.Status) == 0 {
		f.Status = append([]domain.Status{domain.StatusReported}, openStatuses...)
	}
	switch v.Get("overdue") {
	case "1", "true":
		t := true
		f.Overdue = &t
	case "0", "false":
		t := false
		f.Overdue = &t
	}
	if t, err := domain.ParseBound(v.Get("from"), false); err == nil {
		f.From = t
	}
	if t, err := domain.ParseBound(v.Get("to"), true); err == nil {
		f.To = t
	}
	f.After, _ = strconv.ParseInt(v.Get("after"), 10, 64)
	f.Window, _ = transport.WindowIDs(v.Get("window"))
	if len(f.Region) > 18 || !digits(f.Region) {
		f.Region = ""
	}
	return f
}

// caseNumber is the form of a case number: the day and a serial, 20260302-000001.
var caseNumber = regexp.MustCompile(`^[0-9]{8}-[0-9]{6}$`)

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (a *App) caseList(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	v := r.URL.Query()
	f := filterFrom(v)
	d := caseListData{Filter: v, Statuses: domain.Statuses, Channels: domain.Channels, Kinds: domain.Kinds}
	d.From, d.To = periodDays(f)
	more := url.Values{}
	for k, vs := range v {
		if k != "after" && k != "before" {
			more[k] = vs
		}
	}
	d.MoreURL = "/cases?" + more.Encode()
	d.XLSX = withQuery("/cases", more, "format", "xlsx")
	if number := strings.TrimSpace(f.Q); caseNumber.MatchString(number) && f.After == 0 {
		// a case number goes straight to its case
		c, err := a.svc.CaseByNumber(ctx, q.User, number)
		if err == nil {
			http.Redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
			return nil
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
	}
	counted := f // the total's filter: without the walk's default period, so the rollup may answer it
	if f.Q != "" || f.Kind != "" || f.Channel != "" || f.Matter != "" || f.From != nil || f.To != nil {
		// filters no index serves (words, kind, channel, matter) or a period: walk the
		// received time a bounded window a page, so a filter matching little or nothing
		// never reads every case; without a period, all time
		if f.From == nil {
			t := time.Date(2000, 1, 1, 0, 0, 0, 0, domain.China)
			f.From = &t
		}
		if f.To == nil {
			t := q.Now.Add(24 * time.Hour)
			f.To = &t
		}
	}
	if v.Get("format") == "xlsx" {
		return a.exportPages(w, r, q, "cases", q.L.T("cases.title"), func(after string) ([]*domain.Case, string, error) {
			return a.casesPage(ctx, q, f, after)
		})
	}
	paging, err := a.listPage(r, q, f, &d)
	if err != nil {
		return err
	}
	if d.Names, err = a.names(ctx, d.Cases, f.Region); err != nil {
		return err
	}
	if paging {
		return a.Fragment(w, q, http.StatusOK, "cases", "rows", d)
	}
	if d.Count, err = a.svc.CountCases(ctx, q.User, counted, service.CountLimit); err != nil {
		return err
	}
	if d.Orgs, d.Matters, err = a.catalog(ctx); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "cases", d)
}

// listPage reads one page of the list into d and tells whether it is a later page: a
// period's pages walk the received time (before=time.id), others go by id (after=id).
func (a *App) listPage(r *http.Request, q *Req, f domain.CaseFilter, d *caseListData) (bool, error) {
	cursor := r.URL.Query().Get("after")
	if f.From != nil && f.To != nil {
		cursor = r.URL.Query().Get("before")
		d.MoreURL += "&before={next}"
	}
	var err error
	d.Cases, d.Next, err = a.casesPage(r.Context(), q, f, cursor)
	return cursor != "" && cursor != "0", err
}

// casesPage reads the page of the list of f after cursor ("" the first) and the next
// page's cursor ("" at the end): an id, or time.id where a period's pages walk the
// received time.
func (a *App) casesPage(ctx context.Context, q *Req, f domain.CaseFilter, cursor string) ([]*domain.Case, string, error) {
	if f.From == nil || f.To == nil {
		f.After, _ = strconv.ParseInt(cursor, 10, 64)
		cases, next, err := a.svc.Cases(ctx, q.User, f)
		if next == 0 {
			return cases, "", err
		}
		return cases, strconv.FormatInt(next, 10), err
	}
	var at, id int64
	if b := strings.SplitN(cursor, ".", 2); len(b) == 2 {
		at, _ = strconv.ParseInt(b[0], 10, 64)
		id, _ = strconv.ParseInt(b[1], 10, 64)
	}
	cases, nextAt, nextID, err := a.svc.CasesInPeriod(ctx, q.User, f, at, id)
	if nextAt == 0 {
		return cases, "", err
	}
	return cases, strconv.FormatInt(nextAt, 10) + "." + strconv.FormatInt(nextID, 10), err
}

// periodDays writes a filter's period as the first and the last day it holds, for the
// list's date inputs: a period linked as months (from=2026-01) shows, and is sent
// again, as the same days.
func periodDays(f domain.CaseFilter) (from, to string) {
	if f.From != nil {
		from = f.From.In(domain.China).Format("2006-01-02")
	}
	if f.To != nil {
		to = f.To.Add(-time.Nanosecond).In(domain.China).Format("2006-01-02")
	}
	return from, to
}
