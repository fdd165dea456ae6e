package web

import (
	"fmt"
	"strings"
	"time"

	"whistle/domain"
)

// caseList is what the "caselist" and "caserows" templates show.
type caseList struct {
	Cases []*domain.Case
	Names Names
	More  string // the next page's address, "" at the end
	Now   time.Time
	Quick string // an action each row offers as a button (htmx swaps the row), "" none
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
