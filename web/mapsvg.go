package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"whistle/domain"
)

// Maps drawn on the server from the polygons Whistle holds, as inline SVG: no tile
// server, no script, a few kilobytes, and they print. A longitude degree is drawn
// cos(latitude) as wide as a latitude degree, which at a street's size is true to a
// fraction of a percent.

// mapShape is a region's outline on a map, drawn in its own style.
type mapShape struct {
	name  string
	rings [][][2]float64
	class string // community (its own outline), sibling (another grid of it), grid (the case's), shade, parcel (labelled in its middle) or parcel-other
	fill  string // a shade's colour
	href  string // where the shape leads ("" nowhere)
	title string // its tooltip, the name when ""
	code  string // its region's code, as data-code for the page's script ("" none)
	named bool   // its name drawn whatever its class
}

// mapPoint is a position on a map.
type mapPoint struct{ lat, lon float64 }

// mapMark is a dot on a map: a case's position, a hazard, or a grid's count (label in it).
type mapMark struct {
	lat, lon float64
	r        float64
	class    string
	fill     string
	ink      string // the outline's and the label's colour, white when ""
	href     string // where the dot leads ("" nowhere)
	title    string
	label    string // drawn in the dot ("" none)
}

const mapWidth = 640.0

// caseMap draws the case's grid (region, or the grid above it when region is a
// micro-grid) among the other grids of its community or village, so the community's
// outline shows even where it has no polygon of its own, and the community's own
// outline where it has one, with the case's position; "" when none has a polygon.
// ancestors are region's, grids its community's (with their micro-grids).
func caseMap(ancestors, grids []domain.Region, region string, lat, lon *float64) template.HTML {
	own := map[string]bool{region: true}
	var shapes []mapShape
	add := func(r domain.Region, class string) {
		if r.Polygon == "" {
			return
		}
		if p, err := domain.ParsePolygon(r.Polygon); err == nil {
			shapes = append(shapes, mapShape{name: r.Name, rings: p.Rings(), class: class})
		}
	}
	for _, r := range ancestors {
		switch r.Level {
		case domain.LevelVillage:
			add(r, "community")
		case domain.LevelGrid, domain.LevelMicroGrid:
			own[r.Code] = true
		}
	}
	for _, g := range grids { // micro-grids other than the case's would hide their grids
		if !own[g.Code] && g.Level == domain.LevelGrid {
			add(g, "sibling")
		}
	}
	for _, g := range grids { // on top, the grid before its micro-grid
		if own[g.Code] {
			add(g, "grid")
		}
	}
	if len(shapes) == 0 {
		return ""
	}
	var pt *mapPoint
	if lat != nil && lon != nil {
		pt = &mapPoint{*lat, *lon}
	}
	return drawMap(shapes, pt)
}

// drawMap fits the shapes and the point into the map's width, keeping the aspect.
func drawMap(shapes []mapShape, pt *mapPoint) template.HTML {
	var marks []mapMark
	if pt != nil {
		marks = []mapMark{{lat: pt.lat, lon: pt.lon, r: 7, class: "case-point", fill: "#c0392b", title: fmt.Sprintf("%.6f, %.6f", pt.lat, pt.lon)}}
	}
	return drawMarks(shapes, marks)
}

// drawMarks fits the shapes and the marks into the map's width, keeping the aspect,
// the marks over the shapes.
func drawMarks(shapes []mapShape, marks []mapMark) template.HTML {
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	grow := func(lat, lon float64) {
		minLat, maxLat, minLon, maxLon = min(minLat, lat), max(maxLat, lat), min(minLon, lon), max(maxLon, lon)
	}
	for _, s := range shapes {
		for _, ring := range s.rings {
			for _, p := range ring {
				grow(p[1], p[0])
			}
		}
	}
	for _, m := range marks {
		grow(m.lat, m.lon)
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	w, h := (maxLon-minLon)*kx, maxLat-minLat
	if w <= 0 || h <= 0 {
		return ""
	}
	const pad = 12.0
	scale := (mapWidth - 2*pad) / w
	height := h*scale + 2*pad
	xy := func(lat, lon float64) (float64, float64) {
		return pad + (lon-minLon)*kx*scale, pad + (maxLat-lat)*scale
	}
	var b strings.Builder
	// the projection, for a script that turns a tap into a position (pickmap.js)
	fmt.Fprintf(&b, `<svg class="map" width="%.0f" viewBox="0 0 %.0f %.0f" role="img" xmlns="http://www.w3.org/2000/svg" data-minlon="%.7f" data-maxlat="%.7f" data-kx="%.9f" data-scale="%.4f" data-pad="%.0f">`,
		mapWidth*0.6, mapWidth, height, minLon, maxLat, kx, scale, pad)
	style := map[string]string{
		"community":    `fill="#f4f1ea" stroke="#8a7f6a" stroke-width="1.5" stroke-dasharray="6 3"`,
		"sibling":      `fill="#f8f8f6" stroke="#b8b2a6" stroke-width="1"`,
		"grid":         `fill="#fde3dd" stroke="#c0392b" stroke-width="2"`,
		"pick":         `fill="#f6f4ef" stroke="#9c9585" stroke-width="1"`,
		"parcel":       `fill="#e4f2dc" stroke="#2e6b2e" stroke-width="1.5"`,
		"parcel-other": `fill="#f8f8f6" stroke="#b8b2a6" stroke-width="1"`,
		"context":      `fill="#f8f8f6" stroke="#b8b2a6" stroke-width="1"`,
		"edit-old":     `fill="none" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"`,
		"frame":        `fill="none" stroke="none"`,
	}
	for _, s := range shapes {
		var d strings.Builder
		for _, ring := range s.rings {
			for i, p := range ring {
				x, y := xy(p[1], p[0])
				op := "L"
				if i == 0 {
					op = "M"
				}
				fmt.Fprintf(&d, "%s%.1f %.1f", op, x, y)
			}
			d.WriteString("Z")
		}
		look, title := style[s.class], s.title
		if s.fill != "" {
			look = `fill="` + s.fill + `" stroke="#fff" stroke-width="1.5"`
		}
		if title == "" {
			title = s.name
		}
		data := ""
		if s.code != "" {
			data = ` data-code="` + html.EscapeString(s.code) + `"`
		}
		path := fmt.Sprintf(`<path class="%s"%s d="%s" fill-rule="evenodd" %s><title>%s</title></path>`, s.class, data, d.String(), look, html.EscapeString(title))
		if s.href != "" {
			path = `<a href="` + html.EscapeString(s.href) + `">` + path + `</a>`
		}
		b.WriteString(path)
	}
	for _, s := range shapes { // names over the outlines that matter, at the top middle of each
		if !s.named && (s.class == "sibling" || s.class == "shade" || s.class == "pick" || s.class == "parcel-other" || s.class == "edit-old" || s.class == "frame") {
			continue
		}
		lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
		for _, p := range s.rings[0] {
			lo, hi = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}, [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		x, y := xy(hi[1], (lo[0]+hi[0])/2)
		if s.class == "parcel" { // a parcel's number in its middle
			x, y = xy((lo[1]+hi[1])/2, (lo[0]+hi[0])/2)
			fmt.Fprintf(&b, `<text class="parcel-label" x="%.1f" y="%.1f" text-anchor="middle" dominant-baseline="middle" font-size="22" fill="#1e4620">%s</text>`, x, y, html.EscapeString(s.name))
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="20" fill="#444">%s</text>`, x, y+24, html.EscapeString(s.name))
	}
	for _, m := range marks {
		x, y := xy(m.lat, m.lon)
		ink := m.ink
		if ink == "" {
			ink = "#fff"
		}
		dot := fmt.Sprintf(`<circle class="%s" cx="%.1f" cy="%.1f" r="%.0f" fill="%s" stroke="%s" stroke-width="2.5"><title>%s</title></circle>`,
			m.class, x, y, m.r, m.fill, ink, html.EscapeString(m.title))
		if m.label != "" {
			dot += fmt.Sprintf(`<text x="%.1f" y="%.1f" text-anchor="middle" dominant-baseline="central" font-size="%.0f" font-weight="bold" fill="%s" pointer-events="none">%s</text>`,
				x, y, max(14, m.r*1.1), ink, html.EscapeString(m.label))
		}
		if m.href != "" {
			dot = `<a href="` + html.EscapeString(m.href) + `">` + dot + `</a>`
		}
		b.WriteString(dot)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // numbers and escaped names only
}

// overdueShades are the grid map's colours, from no overdue case to the most.
// shadeOf picks n's shade among shades: the first for none, the others scaled to the
// most any grid has (top).
func shadeOf(shades []string, n, top int64) string {
	if n <= 0 || top <= 0 {
		return shades[0]
	}
	return shades[1+int(float64(len(shades)-2)*float64(n)/float64(top)+0.5)]
}

// gridRings gives a grid's outline to draw; false for a region that is no grid or has
// no readable polygon, which the grid maps leave out.
func gridRings(g domain.Region) ([][][2]float64, bool) {
	if g.Level != domain.LevelGrid || g.Polygon == "" {
		return nil, false
	}
	p, err := domain.ParsePolygon(g.Polygon)
	if err != nil {
		return nil, false
	}
	return p.Rings(), true
}

var overdueShades = []string{"#eef2ee", "#fde0c5", "#f9b384", "#ef7b52", "#c0392b"}

// gridMapMax is the most grids a grid map draws: a street's or a town's (a county's
// thousands would be specks; its dashboard reads by street).
const gridMapMax = 600

// gridMap draws the grids of a region shaded by their overdue cases in the period,
// each leading to its overdue cases; "" when the region has no grid with a polygon or
// more than gridMapMax. link gives a grid's list.
func gridMap(grids []domain.Region, cells []domain.GridCell, L *Locale, link func(code string) string) template.HTML {
	if len(grids) == 0 || len(grids) > gridMapMax {
		return ""
	}
	overdue, received := map[string]int64{}, map[string]int64{}
	var top int64
	for _, c := range cells {
		overdue[c.Region] += c.Overdue
		received[c.Region] += c.Received
		top = max(top, overdue[c.Region])
	}
	var shapes []mapShape
	for _, g := range grids {
		rings, ok := gridRings(g)
		if !ok {
			continue
		}
		shapes = append(shapes, mapShape{name: g.Name, rings: rings, class: "shade", fill: shadeOf(overdueShades, overdue[g.Code], top), href: link(g.Code),
			title: L.T("dash.grid_map_title", g.Name, received[g.Code], overdue[g.Code])})
	}
	if len(shapes) == 0 {
		return ""
	}
	return drawMap(shapes, nil)
}

// pickMap draws the grids a report may be placed in, for the report forms (public,
// phone, seat): a tap on it sets the report's position and names the grid it falls in
// (pickmap.js); "" when there is none to draw or too many. With within, only the grids
// in it may be picked and the others are drawn around them, so a grid worker sees where
// their grid ends.
func pickMap(grids []domain.Region, within string) template.HTML {
	var shapes, picks []mapShape
	for _, g := range grids {
		rings, ok := gridRings(g)
		if !ok {
			continue
		}
		if within == "" || domain.Within(g.Code, within) {
			picks = append(picks, mapShape{name: g.Name, rings: rings, class: "pick", code: g.Code})
		} else {
			shapes = append(shapes, mapShape{name: g.Name, rings: rings, class: "sibling"})
		}
	}
	if len(picks) == 0 || len(shapes)+len(picks) > gridMapMax {
		return ""
	}
	for i := range picks { // a grid worker's own grid or few are named among the others
		picks[i].named = within != "" && len(picks) <= 4
	}
	return drawMap(append(shapes, picks...), nil)
}

// editMap draws the map an administrator draws a region's outline on (drawmap.js): the
// other regions under its parent with their names, the region's outline as it is now
// (dashed), and, when none of them has a polygon, a frame about the parent's centre (or
// polygon) to draw in; "" with nothing to place the map by.
func editMap(parent domain.Region, others []domain.Region, own *domain.Region) template.HTML {
	var shapes []mapShape
	for _, g := range others {
		if g.Polygon == "" || (own != nil && g.Code == own.Code) {
			continue
		}
		if p, err := domain.ParsePolygon(g.Polygon); err == nil {
			shapes = append(shapes, mapShape{name: g.Name, rings: p.Rings(), class: "context"})
		}
	}
	if len(shapes) > gridMapMax {
		return ""
	}
	if own != nil && own.Polygon != "" {
		if p, err := domain.ParsePolygon(own.Polygon); err == nil {
			shapes = append(shapes, mapShape{name: own.Name, rings: p.Rings(), class: "edit-old"})
		}
	}
	if len(shapes) == 0 {
		if p, err := domain.ParsePolygon(parent.Polygon); parent.Polygon != "" && err == nil {
			shapes = append(shapes, mapShape{name: parent.Name, rings: p.Rings(), class: "community"})
		} else if parent.Lat != nil && parent.Lon != nil { // about 1 km each way
			lat, lon, d := *parent.Lat, *parent.Lon, 0.01
			shapes = append(shapes, mapShape{rings: [][][2]float64{{{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}, {lon - d, lat - d}}}, class: "frame"})
		}
	}
	if len(shapes) == 0 {
		return ""
	}
	return drawMap(shapes, nil)
}
