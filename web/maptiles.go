package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The installation's tile server beneath the maps drawn from the polygons (mapsvg.go):
// unset, the maps have no tiles and the pages load images from nowhere else; set, a map
// gets the tiles covering it as SVG images, and the page's CSP lets images come from
// that host alone.

// csp is the pages' Content-Security-Policy; tileHost ("" none) may serve images.
func csp(tileHost string) string {
	img := "img-src 'self' data: blob:"
	if tileHost != "" {
		img += " " + tileHost
	}
	return "default-src 'self'; " + img + "; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
}

// tiled puts the installation's tiles beneath a map, when a tile server is set, and
// notes its host for the page's CSP.
func (a *App) tiled(ctx context.Context, q *Req, svg template.HTML) (template.HTML, error) {
	if svg == "" {
		return svg, nil
	}
	tmpl, host, err := a.svc.MapTiles(ctx)
	if err != nil || tmpl == "" {
		return svg, err
	}
	out := withTiles(svg, tmpl)
	if out != svg {
		q.tileHost = host
	}
	return out, nil
}

// mapTilesMax bounds the tiles under one map.
const mapTilesMax = 36

var mapProjection = regexp.MustCompile(`^<svg class="map" width="[\d.]+" viewBox="0 0 ([\d.]+) ([\d.]+)"[^>]* data-minlon="([-\d.]+)" data-maxlat="([-\d.]+)" data-kx="([\d.]+)" data-scale="([\d.]+)" data-pad="([\d.]+)">`)

// withTiles adds the slippy-map tiles (Web Mercator, 256 px) that cover a map drawn by
// drawMap, at the zoom whose tiles are about a third of the map wide, under its shapes,
// and lets the tiles show through the shapes' fills. A tile's corners are placed at
// their latitudes and longitudes: across one tile of a street's map Mercator differs
// from the map's projection by far less than a pixel. The map is kept as it is when it
// is not drawMap's or would need more than mapTilesMax tiles.
func withTiles(svg template.HTML, tmpl string) template.HTML {
	m := mapProjection.FindStringSubmatch(string(svg))
	if m == nil {
		return svg
	}
	var v [7]float64
	for i := range v {
		v[i], _ = strconv.ParseFloat(m[i+1], 64)
	}
	w, h, minLon, maxLat, kx, scale, pad := v[0], v[1], v[2], v[3], v[4], v[5], v[6]
	if kx <= 0 || scale <= 0 {
		return svg
	}
	lonOf := func(x float64) float64 { return minLon + (x-pad)/(kx*scale) }
	latOf := func(y float64) float64 { return maxLat - (y-pad)/scale }
	west, east, north, south := lonOf(0), lonOf(w), latOf(0), latOf(h)
	z := int(math.Round(math.Log2(360 / ((east - west) / 3))))
	z = max(1, min(z, 19))
	n := math.Exp2(float64(z))
	tx := func(lon float64) int { return int(math.Floor((lon + 180) / 360 * n)) }
	ty := func(lat float64) int {
		r := lat * math.Pi / 180
		return int(math.Floor((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n))
	}
	x0, x1, y0, y1 := tx(west), tx(east), ty(north), ty(south)
	if (x1-x0+1)*(y1-y0+1) > mapTilesMax {
		return svg
	}
	tileLon := func(x int) float64 { return float64(x)/n*360 - 180 }
	tileLat := func(y int) float64 { return math.Atan(math.Sinh(math.Pi*(1-2*float64(y)/n))) * 180 / math.Pi }
	xOf := func(lon float64) float64 { return pad + (lon-minLon)*kx*scale }
	yOf := func(lat float64) float64 { return pad + (maxLat-lat)*scale }
	var b strings.Builder
	b.WriteString(`<g class="tiles">`)
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			left, top := xOf(tileLon(x)), yOf(tileLat(y))
			right, bottom := xOf(tileLon(x+1)), yOf(tileLat(y+1))
			href := strings.NewReplacer("{z}", strconv.Itoa(z), "{x}", strconv.Itoa(x), "{y}", strconv.Itoa(y)).Replace(tmpl)
			fmt.Fprintf(&b, `<image href="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" preserveAspectRatio="none"/>`,
				html.EscapeString(href), left, top, right-left, bottom-top)
		}
	}
	b.WriteString(`</g><style>svg.tiled path { fill-opacity: .45 }</style>`)
	head := strings.Replace(m[0], `class="map"`, `class="map tiled"`, 1)
	return template.HTML(head + b.String() + string(svg)[len(m[0]):]) // the template checked by domain.TileHost
}
