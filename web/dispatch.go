package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
)

// The dispatcher's queue (调度台): new, returned and overdue cases, extension requests
// waiting for approval and cases waiting for a return visit, each tab with its count.
// The list refreshes itself (htmx, every 15 s; not while rows are ticked for a bulk
// action) so a case filed by someone else appears without a reload, and the tab counts
// refresh after a row's quick action. New, accepted and returned cases can be accepted
// or dispatched in bulk; every tab exports what it lists to Excel and prints.

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.dispatch", Path: "/dispatch", Roles: []domain.Role{domain.RoleDispatcher}, Order: 10})
		a.Page("GET /dispatch", []domain.Role{domain.RoleDispatcher}, a.dispatchQueue)
		a.Action("POST /dispatch/bulk", []domain.Role{domain.RoleDispatcher}, a.dispatchBulk)
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

// bulkFor names the actions a queue tab offers on the rows ticked: accept on new cases,
// dispatch on those not yet dispatched.
func bulkFor(tab string) []domain.Action {
	switch tab {
	case "new":
		return []domain.Action{domain.ActAccept, domain.ActDispatch}
	case "accepted", "returned":
		return []domain.Action{domain.ActDispatch}
	}
	return nil
}

// countCap is where a tab's count stops: a queue longer than this reads "1,000+".
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
	Bulk  []domain.Action // the bulk actions the tab offers
	Orgs  []domain.Org    // where a bulk dispatch may send
	Done  *bulkDone       // what a bulk action came to
	Err   string          // why a bulk action was not taken
}

// bulkDone is what a bulk action came to: how many cases it was done on, and each case
// refused with its reason.
type bulkDone struct {
	Action  domain.Action
	Done    int
	Refused []bulkRefusal
}

type bulkRefusal struct {
	ID             int64
	Number, Reason string
}

func queueTabOf(key string) queueTab {
	for _, t := range queueTabs {
		if t.Key == key {
			return t
		}
	}
	return queueTabs[0]
}

// queuePage reads up to n cases of a tab below the cursor after, and the next cursor.
func (a *App) queuePage(ctx context.Context, q *Req, tab queueTab, after int64, n int) ([]*domain.Case, int64, error) {
	if tab.Key != "extensions" {
		f := domain.CaseFilter{Status: tab.Statuses, After: after, Limit: n}
		if tab.Overdue {
			yes := true
			f.Overdue = &yes
		}
		return a.svc.Cases(ctx, q.User, f)
	}
	cases, err := a.svc.ExtensionRequests(ctx, q.User, after, n+1)
	if len(cases) > n {
		return cases[:n], cases[n-1].ID, err
	}
	return cases, 0, err
}

func (a *App) dispatchQueue(w http.ResponseWriter, r *http.Request, q *Req) error {
	v := r.URL.Query()
	tab := queueTabOf(v.Get("tab"))
	if v.Get("format") == "xlsx" {
		return a.exportCases(w, r, q, "dispatch_"+tab.Key, q.L.T("dispatch.tab."+tab.Key), func(after int64) ([]*domain.Case, int64, error) {
			return a.queuePage(r.Context(), q, tab, after, 200)
		})
	}
	after, _ := strconv.ParseInt(v.Get("after"), 10, 64)
	d, err := a.queue(r.Context(), q, tab, after, v.Get("part") != "tabs")
	if err != nil {
		return err
	}
	switch {
	case v.Get("part") == "tabs": // the counts alone, after a row's quick action
		return a.Fragment(w, q, http.StatusOK, "dispatch", "tabs", d)
	case after > 0: // "load more": only the next rows
		return a.Fragment(w, q, http.StatusOK, "dispatch", "rows", d)
	case r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "":
		return a.Fragment(w, q, http.StatusOK, "dispatch", "queue", d)
	}
	return a.Render(w, q, http.StatusOK, "dispatch", d)
}

// queue reads a tab's page below after (its rows when rows is set) and, on the first
// page, every tab's count.
func (a *App) queue(ctx context.Context, q *Req, tab queueTab, after int64, rows bool) (queueData, error) {
	d := queueData{Tab: tab.Key, Bulk: bulkFor(tab.Key)}
	var err error
	if rows {
		if d.Cases, d.Next, err = a.queuePage(ctx, q, tab, after, pageSize); err != nil {
			return d, err
		}
		if d.Names, err = a.names(ctx, d.Cases); err != nil {
			return d, err
		}
	}
	if after > 0 {
		return d, nil
	}
	if len(d.Bulk) > 0 {
		if d.Orgs, _, err = a.catalog(ctx); err != nil {
			return d, err
		}
	}
	for _, t := range queueTabs {
		var n service.CaseCount
		if t.Key == "extensions" {
			n.N, err = a.svc.ExtensionRequestCount(ctx, q.User, countCap)
			n.More = n.N >= countCap
		} else {
			n, err = a.svc.QueueCount(ctx, q.User, t.Statuses, t.Overdue, countCap)
		}
		if err != nil {
			return d, err
		}
		d.Tabs = append(d.Tabs, tabView{Key: t.Key, Count: n.N, Cap: n.More})
	}
	return d, nil
}

// dispatchBulk accepts or dispatches the ticked cases (id:version each), one at a time
// through the service, and shows the tab again with what each came to.
func (a *App) dispatchBulk(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "form: %v", err)
	}
	var targets []service.ActTarget
	for _, s := range r.PostForm["id"] {
		id, version, _ := strings.Cut(s, ":")
		t := service.ActTarget{}
		t.ID, _ = strconv.ParseInt(id, 10, 64)
		t.Version, _ = strconv.Atoi(version)
		if t.ID > 0 {
			targets = append(targets, t)
		}
	}
	cmd := domain.Command{Action: domain.Action(r.PostFormValue("action")), Org: strings.TrimSpace(r.PostFormValue("org"))}
	var msg string
	done := &bulkDone{Action: cmd.Action}
	switch {
	case len(targets) == 0:
		msg = q.L.T("dispatch.bulk.none")
	case cmd.Action == domain.ActDispatch && cmd.Org == "":
		msg = q.L.T("dispatch.bulk.need_org")
	default:
		results, err := a.svc.ActOnMany(r.Context(), q.User, targets, cmd)
		if err != nil {
			return err
		}
		for _, res := range results {
			if res.Err == nil {
				done.Done++
				continue
			}
			number := "#" + strconv.FormatInt(res.ID, 10)
			if res.Case != nil {
				number = res.Case.Number
			}
			done.Refused = append(done.Refused, bulkRefusal{ID: res.ID, Number: number, Reason: q.ErrorMessage(res.Err)})
		}
	}
	d, err := a.queue(r.Context(), q, queueTabOf(r.PostFormValue("tab")), 0, true)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if d.Err = msg; msg == "" {
		d.Done = done
	} else if r.Header.Get("HX-Request") == "" {
		status = http.StatusBadRequest // htmx swaps only a 200: it shows the message in place
	}
	if r.Header.Get("HX-Request") != "" {
		return a.Fragment(w, q, status, "dispatch", "queue", d)
	}
	return a.Render(w, q, status, "dispatch", d)
}
