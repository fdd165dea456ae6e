package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
)

// The dispatcher's queue (调度台): new, returned and overdue cases, extension requests
// waiting for approval and cases waiting for a return visit, each tab with its count.

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.dispatch", Path: "/dispatch", Roles: []domain.Role{domain.RoleDispatcher}, Order: 10})
		a.Page("GET /dispatch", []domain.Role{domain.RoleDispatcher}, a.dispatchQueue)
	})
}

// queueTab is one tab of the queue: which cases it lists.
type queueTab struct {
	Key      string
	Statuses []domain.Status
	Overdue  bool
}

var openStatuses = []domain.Status{domain.StatusAccepted, domain.StatusDispatched, domain.StatusAcknowledged,
	domain.StatusInProgress, domain.StatusReturned, domain.StatusSuspended}

var queueTabs = []queueTab{
	{Key: "new", Statuses: []domain.Status{domain.StatusReported}},
	{Key: "accepted", Statuses: []domain.Status{domain.StatusAccepted}},
	{Key: "returned", Statuses: []domain.Status{domain.StatusReturned}},
	{Key: "overdue", Statuses: openStatuses, Overdue: true},
	{Key: "extensions"},
	{Key: "visits", Statuses: []domain.Status{domain.StatusResolved, domain.StatusVerified}},
}

// quickFor names the action a queue tab offers on each row: accepting new cases (the
// case page has every other action, most of which need a choice or a text).
func quickFor(tab string) string {
	if tab == "new" {
		return string(domain.ActAccept)
	}
	return ""
}

// countCap is where a tab's count stops: a queue longer than this reads "999+".
const countCap = 1000

// pageSize is how many cases a list shows at once; "load more" fetches the next page.
const pageSize = 30

type tabView struct {
	Key   string
	Count int
	Cap   bool
}

type queueData struct {
	Tabs  []tabView
	Tab   string
	Cases []*domain.Case
	Next  int64
	Names Names
}

func (a *App) dispatchQueue(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	tab := queueTabs[0]
	for _, t := range queueTabs {
		if t.Key == r.URL.Query().Get("tab") {
			tab = t
		}
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	d := queueData{Tab: tab.Key}
	var err error
	if tab.Key == "extensions" {
		d.Cases, err = a.svc.ExtensionRequests(ctx, q.User, after, pageSize+1)
		if len(d.Cases) > pageSize {
			d.Cases = d.Cases[:pageSize]
			d.Next = d.Cases[pageSize-1].ID
		}
	} else {
		f := domain.CaseFilter{Status: tab.Statuses, After: after, Limit: pageSize}
		if tab.Overdue {
			yes := true
			f.Overdue = &yes
		}
		d.Cases, d.Next, err = a.svc.Cases(ctx, q.User, f)
	}
	if err != nil {
		return err
	}
	if d.Names, err = a.names(ctx, d.Cases); err != nil {
		return err
	}
	if after > 0 { // "load more": only the next rows
		return a.Fragment(w, q, http.StatusOK, "dispatch", "rows", d)
	}
	for _, t := range queueTabs {
		var n int
		if t.Key == "extensions" {
			if n, err = a.svc.ExtensionRequestCount(ctx, q.User, countCap); err != nil {
				return err
			}
		} else if n, err = a.svc.QueueCount(ctx, q.User, t.Statuses, t.Overdue, countCap); err != nil {
			return err
		}
		d.Tabs = append(d.Tabs, tabView{Key: t.Key, Count: n, Cap: n >= countCap})
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		return a.Fragment(w, q, http.StatusOK, "dispatch", "queue", d)
	}
	return a.Render(w, q, http.StatusOK, "dispatch", d)
}
