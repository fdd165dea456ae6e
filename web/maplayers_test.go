package web

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
)

// threeGrids are three grids side by side, 0.01° each, with their centres.
func threeGrids() []domain.Region {
	var out []domain.Region
	for i, name := range []string{"甲网格", "乙网格", "丙网格"} {
		lon := 111.60 + 0.01*float64(i)
		f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
		lat, clon := 27.705, lon+0.005
		out = append(out, domain.Region{Code: "43138200100100" + strconv.Itoa(i+1), Name: name, Level: domain.LevelGrid, Lat: &lat, Lon: &clon,
			Polygon: `{"type":"Polygon","coordinates":[[[` + f(lon) + `,27.7],[` + f(lon+0.01) + `,27.7],[` + f(lon+0.01) + `,27.71],[` + f(lon) + `,27.71],[` + f(lon) + `,27.7]]]}`})
	}
	return out
}

// gridXs are the left and right x of each grid drawn as a shape, by its data-code.
func gridXs(t *testing.T, svg string) map[string][2]float64 {
	t.Helper()
	out := map[string][2]float64{}
	for _, m := range regexp.MustCompile(`data-code="(\d+)" d="M([\d.]+) [\d.]+L([\d.]+) `).FindAllStringSubmatch(svg, -1) {
		x0, _ := strconv.ParseFloat(m[2], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		out[m[1]] = [2]float64{x0, x1}
	}
	return out
}

// TestHazardMap: each hazard is a dot inside the grid it was found in, coloured by what
// it needs and leading to its case; each grid leads to its hazard cases of the period;
// counted per grid, a grid's count sits in it and leads to its ledger.
func TestHazardMap(t *testing.T) {
	L := testLocale(t)
	grids := threeGrids()
	pts := []domain.HazardPoint{
		{CaseID: 7, Number: "20261201-000007", Title: "消防通道堵塞", Region: grids[1].Code, Lat: 27.705, Lon: 111.615, Level: domain.HazardMajor, Status: domain.StatusDispatched},
		{CaseID: 8, Number: "20261201-000008", Title: "电线老化", Region: grids[2].Code, Lat: 27.702, Lon: 111.622, Level: domain.HazardGeneral, Status: domain.StatusDispatched, Overdue: true},
		{CaseID: 9, Number: "20261201-000009", Title: "<护栏>", Region: grids[0].Code, Lat: 27.708, Lon: 111.603, Level: domain.HazardGeneral, Status: domain.StatusClosed},
	}
	svg := string(hazardMap(service.HazardMap{Region: "431382001", Grids: grids, Points: pts}, L, "2026-01-01", "2026-12-31"))
	xs := gridXs(t, svg)
	dots := regexp.MustCompile(`<a href="/cases/(\d+)"><circle class="hazard-point (\w+)" cx="([\d.]+)" cy="[\d.]+" r="7" fill="(#\w+)"`).FindAllStringSubmatch(svg, -1)
	if len(dots) != 3 || len(xs) != 3 {
		t.Fatalf("%d dots, %d grids: %s", len(dots), len(xs), svg)
	}
	want := map[string]struct{ grid, state string }{"7": {grids[1].Code, "major"}, "8": {grids[2].Code, "overdue"}, "9": {grids[0].Code, "rectified"}}
	for _, d := range dots {
		w := want[d[1]]
		cx, _ := strconv.ParseFloat(d[3], 64)
		if x := xs[w.grid]; cx <= x[0] || cx >= x[1] || d[2] != w.state || d[4] != hazardColours[w.state] {
			t.Errorf("hazard %s: %s at x=%.1f, want %s inside %s %v", d[1], d[2], cx, w.state, w.grid, x)
		}
	}
	if !strings.Contains(svg, `<a href="/cases?from=2026-01-01&amp;kind=hazard&amp;region=`+grids[0].Code+`&amp;to=2026-12-31">`) || !strings.Contains(svg, "&lt;护栏&gt;") {
		t.Errorf("a grid's link or an escaped title: %s", svg)
	}
	counted := string(hazardMap(service.HazardMap{Region: "431382001", Grids: grids, PerGrid: map[string]service.GridHazards{grids[2].Code: {Found: 412, Major: 3, Overdue: 9}}}, L, "2026-01-01", "2026-12-31"))
	if strings.Contains(counted, "hazard-point") || !strings.Contains(counted, `<a href="/ledgers/hazards?region=`+grids[2].Code+`&amp;from=2026-01-01&amp;to=2026-12-31"><circle class="hazard-count overdue"`) ||
		!strings.Contains(counted, ">412</text>") || strings.Count(counted, "hazard-count") != 1 {
		t.Errorf("counted per grid: %s", counted)
	}
	if got := hazardMap(service.HazardMap{Region: "431382"}, L, "", ""); got != "" {
		t.Error("a map without grids")
	}
}

// TestOpenMap: the dashboard's second layer shades the grids by their open cases, each
// with its count inside it, grid and count leading to the grid's open cases.
func TestOpenMap(t *testing.T) {
	L := testLocale(t)
	grids := threeGrids()
	cells := []domain.GridCell{{Region: grids[0].Code, Month: "2026-10", Received: 9, Open: 2}, {Region: grids[0].Code, Month: "2026-11", Received: 4, Open: 3},
		{Region: grids[2].Code, Month: "2026-11", Received: 1, Open: 1}}
	link := func(code string) string { return casesURL(code, "2026-10", "2026-11", "status", unendedStatuses()) }
	svg := string(openMap(grids, cells, L, link))
	if !strings.Contains(svg, L.T("dash.open_map_title", "甲网格", int64(5))) || !strings.Contains(svg, `fill="`+openShades[len(openShades)-1]+`"`) || !strings.Contains(svg, `fill="`+openShades[0]+`"`) {
		t.Errorf("shades and titles: %s", svg)
	}
	counts := regexp.MustCompile(`<a href="([^"]+)"><circle class="open-count" cx="([\d.]+)"[^>]*>.*?</circle><text[^>]*>(\d+)</text></a>`).FindAllStringSubmatch(svg, -1)
	if len(counts) != 2 || counts[0][3] != "5" || counts[1][3] != "1" {
		t.Fatalf("counts: %v", counts)
	}
	cx, _ := strconv.ParseFloat(counts[0][2], 64)
	if x := gridXsOf(svg, 0); cx <= x[0] || cx >= x[1] {
		t.Errorf("the count %.1f outside its grid %v", cx, x)
	}
	if !strings.Contains(counts[0][1], "status=reported%2Caccepted") || strings.Contains(counts[0][1], "closed") || !strings.Contains(counts[0][1], "region="+grids[0].Code) {
		t.Errorf("a count's link: %s", counts[0][1])
	}
}

// gridXsOf is the left and right x of the i-th shade drawn.
func gridXsOf(svg string, i int) [2]float64 {
	m := regexp.MustCompile(`class="shade" d="M([\d.]+) [\d.]+L([\d.]+) `).FindAllStringSubmatch(svg, -1)
	x0, _ := strconv.ParseFloat(m[i][1], 64)
	x1, _ := strconv.ParseFloat(m[i][2], 64)
	return [2]float64{x0, x1}
}

// TestPickMapWithin: with a region, only its grids may be picked and the others are
// drawn around them.
func TestPickMapWithin(t *testing.T) {
	grids := threeGrids()
	svg := string(pickMap(grids, grids[1].Code))
	if strings.Count(svg, `class="pick"`) != 1 || !strings.Contains(svg, `data-code="`+grids[1].Code+`"`) || strings.Count(svg, `class="sibling"`) != 2 {
		t.Errorf("within a grid: %s", svg)
	}
	if svg := string(pickMap(grids, "")); strings.Count(svg, `class="pick"`) != 3 {
		t.Errorf("every grid: %s", svg)
	}
	if pickMap(grids, "431382009") != "" {
		t.Error("a map with nothing to pick")
	}
}

// TestEditMap: the outline editor's map draws the parent's other children named, the
// region's outline dashed, and a frame about the parent's centre when nothing else has
// a polygon.
func TestEditMap(t *testing.T) {
	grids := threeGrids()
	village := domain.Region{Code: "431382001001", Name: "民光社区", Level: domain.LevelVillage}
	svg := string(editMap(village, grids, &grids[1]))
	if strings.Count(svg, `class="context"`) != 2 || strings.Count(svg, `class="edit-old"`) != 1 || !strings.Contains(svg, "甲网格</text>") || !strings.Contains(svg, "data-scale=") {
		t.Errorf("the editor's map: %s", svg)
	}
	lat, lon := 27.7, 111.6
	village.Lat, village.Lon = &lat, &lon
	if svg := string(editMap(village, nil, nil)); !strings.Contains(svg, `class="frame"`) {
		t.Errorf("a new community's frame: %s", svg)
	}
	village.Lat = nil
	if editMap(village, nil, nil) != "" {
		t.Error("a map with nothing to place it by")
	}
}

// TestWithTiles: the tiles covering a map lie under its shapes, their corners where
// their latitudes and longitudes fall on the map, and bounded in number; a map that is
// not drawMap's is kept.
func TestWithTiles(t *testing.T) {
	grids := threeGrids()
	svg := pickMap(grids, "")
	out := string(withTiles(svg, "https://t.example.cn/{z}/{x}/{y}.png"))
	imgs := regexp.MustCompile(`<image href="https://t\.example\.cn/(\d+)/(\d+)/(\d+)\.png" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"`).FindAllStringSubmatch(out, -1)
	if len(imgs) == 0 || len(imgs) > mapTilesMax || strings.Index(out, "<image") > strings.Index(out, "<path") || !strings.Contains(out, `class="map tiled"`) {
		t.Fatalf("%d tiles: %.400s", len(imgs), out)
	}
	// the tiles cover the map: the leftmost starts left of the first grid, the rightmost ends right of the last
	minX, maxX := 1e9, -1e9
	for _, m := range imgs {
		x, _ := strconv.ParseFloat(m[4], 64)
		w, _ := strconv.ParseFloat(m[6], 64)
		minX, maxX = min(minX, x), max(maxX, x+w)
	}
	xs := gridXs(t, out)
	if minX > xs[grids[0].Code][0] || maxX < xs[grids[2].Code][1] {
		t.Errorf("tiles from %.1f to %.1f, grids from %.1f to %.1f", minX, maxX, xs[grids[0].Code][0], xs[grids[2].Code][1])
	}
	if got := withTiles("<p>no map</p>", "https://t.example.cn/{z}/{x}/{y}.png"); got != "<p>no map</p>" {
		t.Error("something not a map was changed")
	}
	if c := csp("https://t.example.cn"); !strings.Contains(c, "img-src 'self' data: blob: https://t.example.cn;") || !strings.Contains(csp(""), "img-src 'self' data: blob:;") {
		t.Errorf("CSP: %s", c)
	}
}

// TestPickMapNames: one's own few grids are named on the map, a street's many are not.
func TestPickMapNames(t *testing.T) {
	grids := threeGrids()
	if svg := string(pickMap(grids, grids[1].Code)); !strings.Contains(svg, ">乙网格</text>") || strings.Contains(svg, ">甲网格</text>") {
		t.Errorf("one's own grid: %s", svg)
	}
	if svg := string(pickMap(grids, "")); strings.Contains(svg, "</text>") {
		t.Errorf("the public map names its grids: %s", svg)
	}
}
