package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"whistle/domain"
	"whistle/service"
)

// The leader's dashboard (领导驾驶舱): the service assembles its figures
// (service.Dashboard, from the statistics rollup, with the statistics' scope rule); this
// page labels them, formats the rates and links every figure to the case list with
// exactly that figure's filters: one region, the period in whole months, and the
// figure's own filter (closed, overdue, hazard, org).

var dashRoles = []domain.Role{domain.RoleLeader, domain.RoleDispatcher, domain.RoleAdmin}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.dashboard", Path: "/dashboard", Roles: dashRoles, Order: 50})
		a.Page("GET /dashboard", dashRoles, a.dashboard)
	})
}

// dashRow is a ranking's row with the case list of its figure.
type dashRow struct {
	domain.Stats
	URL string
}

// dashLinks are the case lists of the key figures.
type dashLinks struct {
	Received, Closed, Overdue, Hazards string
}

type dashPage struct {
	service.DashboardData
	RegionRows, OrgRows []dashRow // the rankings
	Links               dashLinks
	Chart               template.JS // the charts' data as JSON for dashboard.js (in a JSON script tag)
	WindowLines         []windowLine
	WindowsXLSX         string
	Trend               trendView
	GridMap             template.HTML // the region's grids shaded by overdue cases (gridMap)
	OpenMap             template.HTML // the same grids by open cases (openMap), the map's other layer
}

// trendView is what the trend says in words: the last whole month against the one
// before (环比), and the current month, counted so far, marked as such so its partial
// figure is not read as a fall.
type trendView struct {
	Month, Prev  string // YYYY-MM: the last whole month of the period and the one before ("" none)
	Received     int64
	PrevReceived int64
	Change       *float64 // received, month on month, as a fraction (nil: nothing before)
	ChangeText   string   // Change in percent with its sign, "+12.5%"; "" without
	SoFar        int      // index in Months of the current month, -1 when the period ends before it
	SoFarCount   int64
}

// trendNote reads the month-on-month change and the current month from the trend.
func trendNote(d service.DashboardData, now time.Time) trendView {
	v := trendView{SoFar: -1}
	this := now.In(domain.China).Format("2006-01")
	last := len(d.Months) - 1
	if last >= 0 && d.Months[last] == this {
		v.SoFar, v.SoFarCount = last, d.Trend[last].Received
		last--
	}
	if last < 0 || last >= len(d.Trend) {
		return v
	}
	v.Month, v.Received = d.Months[last], d.Trend[last].Received
	if last > 0 {
		v.Prev, v.PrevReceived = d.Months[last-1], d.Trend[last-1].Received
		if v.PrevReceived > 0 {
			c := float64(v.Received-v.PrevReceived) / float64(v.PrevReceived)
			v.Change, v.ChangeText = &c, domain.PercentText(&c)
			if c > 0 {
				v.ChangeText = "+" + v.ChangeText
			}
		}
	}
	return v
}

func (a *App) dashboard(w http.ResponseWriter, r *http.Request, q *Req) error {
	v := r.URL.Query()
	d, err := a.svc.Dashboard(r.Context(), q.User, v.Get("region"), v.Get("from"), v.Get("to"))
	if err != nil {
		return err
	}
	p := dashPage{DashboardData: d}
	code := d.Region.Code
	p.Links = dashLinks{Received: casesURL(code, d.From, d.To), Closed: casesURL(code, d.From, d.To, "status", "closed"),
		Overdue: casesURL(code, d.From, d.To, "overdue", "1"), Hazards: casesURL(code, d.From, d.To, "kind", "hazard")}
	for _, row := range d.Ranking {
		p.RegionRows = append(p.RegionRows, dashRow{row, casesURL(row.Group, d.From, d.To)})
	}
	for _, row := range d.OrgRanking {
		p.OrgRows = append(p.OrgRows, dashRow{row, casesURL(code, d.From, d.To, "lead", row.Group)})
	}
	p.WindowLines = windowLines(d.Windows, code, d.From, d.To)
	p.WindowsXLSX = "/dashboard/windows.xlsx?" + url.Values{"region": {code}, "from": {d.From}, "to": {d.To}}.Encode()
	p.Trend = trendNote(d, q.Now)
	if p.GridMap, p.OpenMap, err = a.dashGridMap(r.Context(), q, code, d.From, d.To, d.Heat.Every); err != nil {
		return err
	}
	body, err := json.Marshal(dashChart(q.L, d, p.Trend))
	if err != nil {
		return err
	}
	p.Chart = template.JS(body)
	return a.Render(w, q, http.StatusOK, "dashboard", p)
}

// casesURL is the case list of the cases received in region's subtree in the months
// from to to (YYYY-MM, as the list reads them), with more filters as name, value pairs.
func casesURL(region, from, to string, more ...string) string {
	v := url.Values{"from": {from}, "to": {to}}
	if region != "" {
		v.Set("region", region)
	}
	for i := 0; i+1 < len(more); i += 2 {
		v.Set(more[i], more[i+1])
	}
	return "/cases?" + v.Encode()
}

// dashChart is the charts' data, labelled in the user's language; dashboard.js links a
// bar, point or cell to the case list with region, from and to (months) set as here.
func dashChart(L *Locale, d service.DashboardData, trend trendView) map[string]any {
	monthLabels := make([]string, len(d.Months))
	for i, m := range d.Months {
		t, _ := time.Parse("2006-01", m)
		monthLabels[i] = L.Month(t)
	}
	received, closed := make([]int64, len(d.Trend)), make([]int64, len(d.Trend))
	mom := make([]any, len(d.Trend)) // received against the month before, percent with one decimal
	for i, p := range d.Trend {
		received[i], closed[i] = p.Received, p.Closed
		if i > 0 && d.Trend[i-1].Received > 0 {
			mom[i] = domain.Percent(float64(p.Received-d.Trend[i-1].Received) / float64(d.Trend[i-1].Received))
		}
	}
	cells := make([][3]int64, len(d.Heat.Cells))
	for i, c := range d.Heat.Cells {
		cells[i] = [3]int64{int64(c.Month), int64(c.Grid), c.Overdue}
	}
	return map[string]any{
		"labels": map[string]string{"received": L.T("dash.received"), "closed": L.T("dash.closed"),
			"response": L.T("dash.response_rate"), "resolution": L.T("dash.resolution_rate"), "satisfaction": L.T("dash.satisfaction_rate"),
			"overdue": L.T("dash.overdue"), "soFar": L.T("dash.so_far"), "mom": L.T("dash.mom")},
		"mom": mom, "soFar": trend.SoFar,
		"months": d.Months, "monthLabels": monthLabels, "received": received, "closed": closed,
		"byRegion": rateSeries(d.ByRegion), "byOrg": rateSeries(d.ByOrg[:min(len(d.ByOrg), 12)]),
		"heat":   map[string]any{"grids": d.Heat.Grids, "gridLabels": d.Heat.Names, "cells": cells},
		"region": d.Region.Code, "from": d.From, "to": d.To,
	}
}

// rateSeries is the three rates of each group in percent with one decimal
// (domain.Percent, null where there is nothing to divide by), for a bar chart; the chart
// shows the busiest departments, the ranking table below it has them all.
func rateSeries(rows []domain.Stats) map[string]any {
	names, codes := []string{}, []string{}
	var resp, res, sat []any
	rate := func(p *float64) any {
		if p == nil {
			return nil
		}
		return domain.Percent(*p)
	}
	for _, row := range rows {
		names, codes = append(names, row.Name), append(codes, row.Group)
		resp, res, sat = append(resp, rate(row.ResponseRate)), append(res, rate(row.ResolutionRate)), append(sat, rate(row.SatisfactionRate))
	}
	return map[string]any{"names": names, "codes": codes, "response": resp, "resolution": res, "satisfaction": sat}
}

// dashGridMap draws the region's grids shaded by their overdue cases in the months from
// to to (cells, the dashboard's own read of them), each leading to its overdue cases of
// the period, and the same grids by their open cases, each leading to those; none above
// a town.
func (a *App) dashGridMap(ctx context.Context, q *Req, region, from, to string, cells []domain.GridCell) (template.HTML, template.HTML, error) {
	if len(region) < 9 {
		return "", "", nil
	}
	grids, err := a.svc.Grids(ctx, region)
	if err != nil || len(grids) > gridMapMax*3 { // micro-grids counted too
		return "", "", err
	}
	overdue, err := a.tiled(ctx, q, gridMap(grids, cells, q.L, func(code string) string { return casesURL(code, from, to, "overdue", "1") }))
	if err != nil {
		return "", "", err
	}
	open, err := a.tiled(ctx, q, openMap(grids, cells, q.L, func(code string) string { return casesURL(code, from, to, "status", unendedStatuses()) }))
	return overdue, open, err
}
