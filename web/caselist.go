package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/transport"
)

// caseList is what the "caselist" and "caserows" templates show.
type caseList struct {
	Cases []*domain.Case
	Names Names
	More  string // the next page's address, "" at the end
	Now   time.Time
	Quick string // an action each row offers as a button (htmx swaps the row), "" none
	Tick  bool   // each row has a box to tick for the bulk form (id "bulk")
}

// withTicks gives the list a box on every row for a bulk form when actions are offered.
func withTicks(l caseList, actions []domain.Action) caseList {
	l.Tick = len(actions) > 0
	return l
}

// exportMax is the most cases a list's Excel export holds.
const exportMax = 5000

// exportCases answers a list as an Excel workbook of one sheet: its cases page after page
// as page reads them (the list's own filters and scope), up to exportMax, one row a case
// with the columns the list shows.
func (a *App) exportCases(w http.ResponseWriter, r *http.Request, q *Req, name, sheet string, page func(after int64) ([]*domain.Case, int64, error)) error {
	return a.exportPages(w, r, q, name, sheet, func(after string) ([]*domain.Case, string, error) {
		n, _ := strconv.ParseInt(after, 10, 64)
		cases, next, err := page(n)
		if next == 0 {
			return cases, "", err
		}
		return cases, strconv.FormatInt(next, 10), err
	})
}

// exportPages is exportCases for a list whose cursor is a string ("" first and last).
func (a *App) exportPages(w http.ResponseWriter, r *http.Request, q *Req, name, sheet string, page func(after string) ([]*domain.Case, string, error)) error {
	var all []*domain.Case
	for after := ""; len(all) < exportMax; {
		cases, next, err := page(after)
		if err != nil {
			return err
		}
		all = append(all, cases...)
		if next == "" || len(cases) == 0 {
			break
		}
		after = next
	}
	all = all[:min(len(all), exportMax)]
	names, err := a.names(r.Context(), all)
	if err != nil {
		return err
	}
	return transport.WriteTable(w, name, sheet, "xlsx", caseTable(q, names, all))
}

// caseTable is a list's cases as spreadsheet rows, headings first.
func caseTable(q *Req, n Names, cases []*domain.Case) [][]string {
	L := q.L
	rows := [][]string{{L.T("case.number"), L.T("case.title_col"), L.T("case.matter"), L.T("case.region"), L.T("case.status"),
		L.T("case.received"), L.T("case.lead_org"), L.T("case.deadline")}}
	name := func(m map[string]string, code string) string {
		if v := m[code]; v != "" {
			return v
		}
		return code
	}
	for _, c := range cases {
		due := ""
		if d := dueOf(c, q.Now); d.Due != nil {
			due = L.T(d.Key) + " " + L.DateTime(*d.Due)
		}
		rows = append(rows, []string{c.Number, c.Title, name(n.Matters, c.Matter), name(n.Regions, c.Region), L.Label("status", c.Status),
			L.DateTime(c.CreatedAt), name(n.Orgs, c.LeadOrg), due})
	}
	return rows
}

// withQuick gives the list a quick action on every row, for a queue.
func withQuick(l caseList, action string) caseList {
	l.Quick = action
	return l
}

// newCaseList makes a list whose next page is moreURL with after=next (none when next
// is 0); a moreURL holding "{next}" gets the cursor there instead.
func newCaseList(cases []*domain.Case, names Names, next any, moreURL string, now time.Time) caseList {
	l := caseList{Cases: cases, Names: names, Now: now}
	cursor := fmt.Sprint(next)
	if cursor == "" || cursor == "0" {
		return l
	}
	if strings.Contains(moreURL, "{next}") {
		l.More = strings.Replace(moreURL, "{next}", cursor, 1)
	} else {
		l.More = moreURL + "&after=" + cursor
	}
	return l
}

// due is the deadline that matters now for a case, for countdowns.
type due struct {
	Due  *time.Time
	Over bool
	Key  string // catalog key naming the deadline
	Now  time.Time
}

// dueOf picks the deadline a case is working against in its status: acknowledgement
// after dispatch, resolution after acknowledgement, else a summoned org's report-in.
func dueOf(c *domain.Case, now time.Time) due {
	d := due{Now: now}
	switch c.Status {
	case domain.StatusDispatched:
		d.Due, d.Key = c.AckDue, "due.ack"
	case domain.StatusAcknowledged, domain.StatusInProgress:
		d.Due, d.Key = c.ResolveDue, "due.resolve"
	}
	if d.Due == nil && !c.Status.Terminal() {
		for _, s := range c.Summons {
			if s.ReportedAt == nil && (d.Due == nil || s.Due.Before(*d.Due)) {
				t := s.Due
				d.Due, d.Key = &t, "due.report_in"
			}
		}
	}
	d.Over = d.Due != nil && d.Due.Before(now)
	return d
}
