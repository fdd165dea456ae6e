package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
)

// The department officer's inbox (承办): cases dispatched to their org waiting to be
// acknowledged, cases in hand with their resolve deadlines counting down, and cases
// their org was whistled to and must report in to. The list refreshes itself every
// minute (htmx), so countdowns stay true on a screen left open.

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.inbox", Path: "/inbox", Roles: []domain.Role{domain.RoleOfficer}, Order: 20})
		a.Page("GET /inbox", []domain.Role{domain.RoleOfficer}, a.inbox)
	})
}

var inboxTabs = []queueTab{
	{Key: "todo", Statuses: []domain.Status{domain.StatusDispatched}},
	{Key: "working", Statuses: []domain.Status{domain.StatusAcknowledged, domain.StatusInProgress}},
	{Key: "summoned"},
	{Key: "all"}, // every case the org leads, whatever its status
}

type inboxData struct {
	queueData
	Org  string
	Orgs []string
}

func (a *App) inbox(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	v := r.URL.Query()
	orgs := domain.UserOrgs(q.User)
	d := inboxData{Orgs: orgs, Org: orgs[0]}
	for _, o := range orgs {
		if o == v.Get("org") {
			d.Org = o
		}
	}
	tab := inboxTabs[0]
	for _, t := range inboxTabs {
		if t.Key == v.Get("tab") {
			tab = t
		}
	}
	d.Tab = tab.Key
	page := func(after int64, n int) ([]*domain.Case, int64, error) {
		var cases []*domain.Case
		var err error
		if tab.Key == "summoned" {
			cases, err = a.svc.SummonedCases(ctx, q.User, d.Org, after, n+1)
		} else {
			cases, err = a.svc.LeadCases(ctx, q.User, d.Org, tab.Statuses, after, n+1)
		}
		if len(cases) > n {
			return cases[:n], cases[n-1].ID, err
		}
		return cases, 0, err
	}
	if v.Get("format") == "xlsx" {
		return a.exportCases(w, r, q, "inbox_"+tab.Key, q.L.T("inbox.tab."+tab.Key), func(after int64) ([]*domain.Case, int64, error) {
			return page(after, 200)
		})
	}
	after, _ := strconv.ParseInt(v.Get("after"), 10, 64)
	var err error
	if d.Cases, d.Next, err = page(after, pageSize); err != nil {
		return err
	}
	if d.Names, err = a.names(ctx, d.Cases); err != nil {
		return err
	}
	if after > 0 {
		return a.Fragment(w, q, http.StatusOK, "inbox", "rows", d)
	}
	for _, t := range inboxTabs {
		var n int
		switch t.Key {
		case "summoned":
			n, err = a.svc.SummonedCount(ctx, q.User, d.Org, countCap)
		case "all":
			d.Tabs = append(d.Tabs, tabView{Key: t.Key, Count: -1}) // history: no count
			continue
		default:
			n, err = a.svc.LeadCount(ctx, q.User, d.Org, t.Statuses, countCap)
		}
		if err != nil {
			return err
		}
		d.Tabs = append(d.Tabs, tabView{Key: t.Key, Count: n, Cap: n >= countCap})
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		return a.Fragment(w, q, http.StatusOK, "inbox", "queue", d)
	}
	return a.Render(w, q, http.StatusOK, "inbox", d)
}
