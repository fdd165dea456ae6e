package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/store"
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
	{Key: "done", Statuses: []domain.Status{domain.StatusResolved, domain.StatusVerified, domain.StatusClosed}},
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
	after, _ := strconv.ParseInt(v.Get("after"), 10, 64)
	var err error
	if tab.Key == "summoned" {
		d.Cases, err = a.svc.SummonedCases(ctx, q.User, d.Org, after, pageSize+1)
		if len(d.Cases) > pageSize {
			d.Cases = d.Cases[:pageSize]
			d.Next = d.Cases[pageSize-1].ID
		}
	} else {
		f := store.CaseFilter{Status: tab.Statuses, Org: d.Org, After: after, Limit: pageSize}
		if tab.Key != "done" {
			f.Org = "" // lead org only: the lead column is what acknowledges and resolves
			d.Cases, d.Next, err = a.leadCases(r, q, d.Org, f)
		} else {
			d.Cases, d.Next, err = a.svc.Cases(ctx, q.User, f)
		}
	}
	if err != nil {
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
			cs, err := a.svc.SummonedCases(ctx, q.User, d.Org, 0, countCap)
			if err != nil {
				return err
			}
			n = len(cs)
		case "done":
			n = -1 // history: no count
		default:
			f := store.CaseFilter{Status: t.Statuses, Limit: pageSize}
			cs, _, err := a.leadCases(r, q, d.Org, f)
			if err != nil {
				return err
			}
			n = len(cs)
		}
		d.Tabs = append(d.Tabs, tabView{Key: t.Key, Count: n, Cap: t.Key != "summoned" && n >= pageSize})
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		return a.Fragment(w, q, http.StatusOK, "inbox", "queue", d)
	}
	return a.Render(w, q, http.StatusOK, "inbox", d)
}

// leadCases lists the cases org leads in f's statuses, newest first: the case_orgs
// filter with the lead role, read through the service so scope and masking hold.
func (a *App) leadCases(r *http.Request, q *Req, org string, f store.CaseFilter) ([]*domain.Case, int64, error) {
	f.Org = org
	cases, next, err := a.svc.Cases(r.Context(), q.User, f)
	if err != nil {
		return nil, 0, err
	}
	out := cases[:0]
	for _, c := range cases {
		if c.LeadOrg == org {
			out = append(out, c)
		}
	}
	return out, next, nil
}
