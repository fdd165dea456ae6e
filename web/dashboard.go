package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"time"

	"whistle/domain"
)

// The leader's dashboard (领导驾驶舱): received and closed per month, 响应率/解决率/满意率
// by region and by department, rankings, and overdue heat by grid, for a region and a
// period of whole months. Everything is read from the statistics rollup (store.Stats,
// store.GridOverdue), so its cost follows months × groups, never cases. Each bar, line
// point and heat cell links to the case list with the same filters.

var dashRoles = []domain.Role{domain.RoleLeader, domain.RoleDispatcher, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.dashboard", Path: "/dashboard", Roles: dashRoles, Order: 50})
		a.Page("GET /dashboard", dashRoles, a.dashboard)
	})
}

// dashScopes lists the regions whose statistics u may read: those of their leader,
// dispatcher and administrator grants (as GET /api/v1/stats/cases allows).
func dashScopes(u domain.User) []string {
	var out []string
	for _, g := range u.Grants {
		if g.Role == domain.RoleLeader || g.Role == domain.RoleDispatcher || g.Role == domain.RoleAdmin {
			out = append(out, g.Region)
		}
	}
	return out
}

// dashRegion picks the asked region when it lies in u's scopes, else u's first scope.
func dashRegion(u domain.User, asked string) string {
	scopes := dashScopes(u)
	for _, sc := range scopes {
		if asked != "" && domain.Within(asked, sc) {
			return asked
		}
	}
	return scopes[0]
}

type dashRow struct {
	Code string
	Name string
	domain.Stats
}

type dashData struct {
	Region     domain.Region
	Ancestors  []domain.Region
	Children   []domain.Region
	From, To   string // YYYY-MM
	Total      domain.Stats
	ByRegion   []dashRow
	ByOrg      []dashRow
	Ranking    []dashRow // regions by resolution rate, best first
	OrgRanking []dashRow
	Chart      template.JS // the charts' data as JSON for dashboard.js (in a JSON script tag)
	CasesURL   string
}

// month names a period end: YYYY-MM, or the default when bad.
func month(v string, def time.Time) time.Time {
	if t, err := time.ParseInLocation("2006-01", v, domain.China); err == nil {
		return t
	}
	return time.Date(def.Year(), def.Month(), 1, 0, 0, 0, 0, domain.China)
}

func (a *App) dashboard(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	v := r.URL.Query()
	now := q.Now
	to := month(v.Get("to"), now)
	from := month(v.Get("from"), now.AddDate(0, -11, 0))
	if from.After(to) || to.Sub(from) > 5*366*24*time.Hour {
		from = to.AddDate(0, -11, 0)
	}
	d := dashData{From: from.Format("2006-01"), To: to.Format("2006-01")}
	code := dashRegion(q.User, v.Get("region"))
	var err error
	if code != "" {
		if d.Region, err = a.svc.Store().Region(ctx, code); err != nil {
			return err
		}
		anc, err := a.svc.Store().Ancestors(ctx, code)
		if err != nil {
			return err
		}
		for _, r := range anc { // offer going up only as far as the user's scope
			for _, sc := range dashScopes(q.User) {
				if domain.Within(r.Code, sc) {
					d.Ancestors = append(d.Ancestors, r)
					break
				}
			}
		}
	}
	if d.Children, err = a.svc.Store().Children(ctx, code); err != nil {
		return err
	}
	sq := domain.StatsQuery{Region: code, From: d.From, To: d.To}
	total, err := a.svc.Store().Stats(ctx, sq)
	if err != nil {
		return err
	}
	if len(total) > 0 {
		d.Total = total[0]
	}
	// the months' trend: one rollup read per month
	type point struct {
		Month            string   `json:"month"`
		Received, Closed int64    `json:"-"`
		Values           [2]int64 `json:"v"`
	}
	var trend []point
	for m := from; !m.After(to); m = m.AddDate(0, 1, 0) {
		ms := m.Format("2006-01")
		rows, err := a.svc.Store().Stats(ctx, domain.StatsQuery{Region: code, From: ms, To: ms})
		if err != nil {
			return err
		}
		p := point{Month: ms}
		if len(rows) > 0 {
			p.Values = [2]int64{rows[0].Received, rows[0].Closed}
		}
		trend = append(trend, p)
	}
	if domain.ChildCodeLength(code) > 0 && domain.ChildCodeLength(code) <= 15 {
		rows, err := a.svc.Store().Stats(ctx, domain.StatsQuery{Region: code, From: d.From, To: d.To, By: "region"})
		if err != nil {
			return err
		}
		codes := make([]string, len(rows))
		for i, row := range rows {
			codes[i] = row.Group
		}
		names, err := a.svc.Store().RegionNames(ctx, codes)
		if err != nil {
			return err
		}
		for _, row := range rows {
			d.ByRegion = append(d.ByRegion, dashRow{row.Group, names[row.Group], row})
		}
	}
	orgRows, err := a.svc.Store().Stats(ctx, domain.StatsQuery{Region: code, From: d.From, To: d.To, By: "org"})
	if err != nil {
		return err
	}
	orgs, _, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	orgName := map[string]string{}
	for _, o := range orgs {
		orgName[o.Code] = o.Name
	}
	for _, row := range orgRows {
		if row.Group == "" {
			continue // not dispatched yet
		}
		d.ByOrg = append(d.ByOrg, dashRow{row.Group, orgName[row.Group], row})
	}
	sort.Slice(d.ByOrg, func(i, j int) bool { return d.ByOrg[i].Received > d.ByOrg[j].Received })
	d.Ranking = ranked(d.ByRegion)
	d.OrgRanking = ranked(d.ByOrg)
	// overdue heat by grid: the grids with most overdue cases, month by month
	cells, err := a.svc.Store().GridOverdue(ctx, code, d.From, d.To)
	if err != nil {
		return err
	}
	perGrid := map[string]int64{}
	for _, c := range cells {
		perGrid[c.Region] += c.Overdue
	}
	var grids []string
	for g, n := range perGrid {
		if n > 0 {
			grids = append(grids, g)
		}
	}
	sort.Slice(grids, func(i, j int) bool {
		if perGrid[grids[i]] != perGrid[grids[j]] {
			return perGrid[grids[i]] > perGrid[grids[j]]
		}
		return grids[i] < grids[j]
	})
	if len(grids) > 15 {
		grids = grids[:15]
	}
	gridNames, err := a.svc.Store().RegionNames(ctx, grids)
	if err != nil {
		return err
	}
	var months []string
	for m := from; !m.After(to); m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	gridIndex, monthIndex := map[string]int{}, map[string]int{}
	for i, g := range grids {
		gridIndex[g] = i
	}
	for i, m := range months {
		monthIndex[m] = i
	}
	heat := [][3]int64{}
	for _, c := range cells {
		gi, ok := gridIndex[c.Region]
		if mi, ok2 := monthIndex[c.Month]; ok && ok2 && c.Overdue > 0 {
			heat = append(heat, [3]int64{int64(mi), int64(gi), c.Overdue})
		}
	}
	// the charts' data, labelled in the user's language
	L := q.L
	series := func(rows []dashRow) map[string]any {
		var names, codes []string
		var resp, res, sat []any
		rate := func(p *float64) any {
			if p == nil {
				return nil
			}
			return float64(int(*p*1000+0.5)) / 10
		}
		for _, row := range rows {
			names, codes = append(names, row.Name), append(codes, row.Code)
			resp, res, sat = append(resp, rate(row.ResponseRate)), append(res, rate(row.ResolutionRate)), append(sat, rate(row.SatisfactionRate))
		}
		return map[string]any{"names": names, "codes": codes, "response": resp, "resolution": res, "satisfaction": sat}
	}
	gridLabels := make([]string, len(grids))
	for i, g := range grids {
		gridLabels[i] = gridNames[g]
	}
	monthLabels := make([]string, len(months))
	for i, m := range months {
		t, _ := time.Parse("2006-01", m)
		monthLabels[i] = L.Month(t)
	}
	trendRecv, trendClosed := make([]int64, len(trend)), make([]int64, len(trend))
	for i, p := range trend {
		trendRecv[i], trendClosed[i] = p.Values[0], p.Values[1]
	}
	chart := map[string]any{
		"labels": map[string]string{"received": L.T("dash.received"), "closed": L.T("dash.closed"),
			"response": L.T("dash.response_rate"), "resolution": L.T("dash.resolution_rate"), "satisfaction": L.T("dash.satisfaction_rate"),
			"overdue": L.T("dash.overdue")},
		"months": months, "monthLabels": monthLabels, "received": trendRecv, "closed": trendClosed,
		"byRegion": series(d.ByRegion), "byOrg": series(top(d.ByOrg, 12)),
		"heat":   map[string]any{"grids": grids, "gridLabels": gridLabels, "cells": heat},
		"region": code, "from": d.From, "to": d.To,
	}
	body, err := json.Marshal(chart)
	if err != nil {
		return err
	}
	d.Chart = template.JS(body)
	d.CasesURL = "/cases?" + url.Values{"region": {code}, "from": {d.From}, "to": {to.AddDate(0, 1, -1).Format("2006-01-02")}}.Encode()
	return a.Render(w, q, http.StatusOK, "dashboard", d)
}

// top keeps the first n rows (the chart shows the busiest departments; the ranking
// table below it has them all).
func top(rows []dashRow, n int) []dashRow {
	if len(rows) > n {
		return rows[:n]
	}
	return rows
}

// ranked orders groups by resolution rate, then response rate, best first; groups
// with nothing dispatched come last.
func ranked(rows []dashRow) []dashRow {
	out := append([]dashRow{}, rows...)
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if val(a.ResolutionRate) != val(b.ResolutionRate) {
			return val(a.ResolutionRate) > val(b.ResolutionRate)
		}
		return val(a.ResponseRate) > val(b.ResponseRate)
	})
	return out
}
