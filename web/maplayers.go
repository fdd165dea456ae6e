package web

import (
	"html/template"
	"math"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
)

// The layers drawn over the grids: the hazard ledger's hazards (one dot each, or one
// count per grid when they are many) and the dashboard's open cases per grid.

// hazardColours are a hazard's dot by what it needs: overdue, major and open, general
// and open, rectified.
var hazardColours = map[string]string{"overdue": "#c0392b", "major": "#e67e22", "general": "#d4ac0d", "rectified": "#27ae60"}

// hazardState is which of hazardColours a hazard takes.
func hazardState(p domain.HazardPoint) string {
	switch {
	case domain.HazardRectified(p.Status):
		return "rectified"
	case p.Overdue:
		return "overdue"
	case p.Level == domain.HazardMajor:
		return "major"
	}
	return "general"
}

// hazardMap draws the ledger's map: its grids, each leading to its hazard cases of the
// period, and over them the hazards, each leading to its case and coloured by
// hazardColours, or, when they were too many to draw, a count per grid leading to the
// grid's own ledger. "" when no grid has a polygon.
func hazardMap(m service.HazardMap, L *Locale, from, to string) template.HTML {
	var shapes []mapShape
	var marks []mapMark
	for _, g := range m.Grids {
		rings, ok := gridRings(g)
		if !ok {
			continue
		}
		shapes = append(shapes, mapShape{name: g.Name, rings: rings, class: "sibling", code: g.Code,
			href: casesURL(g.Code, from, to, "kind", "hazard"), title: L.T("ledger.map_grid", g.Name)})
		if n, ok := m.PerGrid[g.Code]; ok && n.Found > 0 && g.Lat != nil && g.Lon != nil {
			state := "general"
			if n.Overdue > 0 {
				state = "overdue"
			} else if n.Major > 0 {
				state = "major"
			} else if n.Rectified == n.Found {
				state = "rectified"
			}
			marks = append(marks, mapMark{lat: *g.Lat, lon: *g.Lon, r: 12 + 3*math.Sqrt(float64(n.Found)), class: "hazard-count " + state, fill: hazardColours[state],
				href: "/ledgers/hazards?region=" + g.Code + "&from=" + from + "&to=" + to, label: strconv.Itoa(n.Found),
				title: L.T("ledger.map_count", g.Name, n.Found, n.Major, n.Overdue, n.Rectified)})
		}
	}
	if len(shapes) == 0 {
		return ""
	}
	for i := len(m.Points) - 1; i >= 0; i-- { // the newest on top
		p := m.Points[i]
		state := hazardState(p)
		marks = append(marks, mapMark{lat: p.Lat, lon: p.Lon, r: 7, class: "hazard-point " + state, fill: hazardColours[state],
			href:  "/cases/" + strconv.FormatInt(p.CaseID, 10),
			title: p.Number + " " + p.Title + " · " + L.T("patrol.level_"+p.Level) + " · " + L.Label("status", p.Status)})
	}
	return drawMarks(shapes, marks)
}

// unendedStatuses are the statuses of a case not yet ended (the rollup's open cases),
// for the list a grid's open count leads to.
func unendedStatuses() string {
	var s []string
	for _, st := range domain.Statuses {
		if !st.Terminal() {
			s = append(s, string(st))
		}
	}
	return strings.Join(s, ",")
}

// openMap draws the region's grids shaded by their open cases received in the period
// (cells, the dashboard's own read of the rollup), each with its count in a dot, grid
// and dot leading to its open cases; "" when no grid has a polygon, or more than
// gridMapMax.
func openMap(grids []domain.Region, cells []domain.GridCell, L *Locale, link func(code string) string) template.HTML {
	if len(grids) == 0 || len(grids) > gridMapMax {
		return ""
	}
	open := map[string]int64{}
	var top int64
	for _, c := range cells {
		open[c.Region] += c.Open
		top = max(top, open[c.Region])
	}
	var shapes []mapShape
	var marks []mapMark
	for _, g := range grids {
		rings, ok := gridRings(g)
		if !ok {
			continue
		}
		n := open[g.Code]
		title := L.T("dash.open_map_title", g.Name, n)
		shapes = append(shapes, mapShape{name: g.Name, rings: rings, class: "shade", fill: shadeOf(openShades, n, top), href: link(g.Code), title: title})
		if n > 0 && g.Lat != nil && g.Lon != nil {
			marks = append(marks, mapMark{lat: *g.Lat, lon: *g.Lon, r: 16, class: "open-count", fill: "#fff", ink: "#1f3f66", href: link(g.Code), title: title, label: strconv.FormatInt(n, 10)})
		}
	}
	if len(shapes) == 0 {
		return ""
	}
	return drawMarks(shapes, marks)
}

// openShades are the open map's colours, from no open case to the most.
var openShades = []string{"#eef2ee", "#dbe9f6", "#a9cbe8", "#6aa3d5", "#2f6fae"}
