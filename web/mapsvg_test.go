package web

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
)

// TestCaseMap: the case's grid is drawn among its community's other grids, the point
// inside the grid's outline; no polygon, no map.
func TestCaseMap(t *testing.T) {
	square := func(lon, lat, d float64) string {
		f := func(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
		return `{"type":"Polygon","coordinates":[[[` + f(lon) + `,` + f(lat) + `],[` + f(lon+d) + `,` + f(lat) + `],[` + f(lon+d) + `,` + f(lat+d) + `],[` + f(lon) + `,` + f(lat+d) + `],[` + f(lon) + `,` + f(lat) + `]]]}`
	}
	own := domain.Region{Code: "431382001001001", Name: "第1网格", Level: domain.LevelGrid, Polygon: square(111.650, 27.700, 0.002)}
	other := domain.Region{Code: "431382001001002", Name: "第2网格", Level: domain.LevelGrid, Polygon: square(111.652, 27.700, 0.002)}
	micro := domain.Region{Code: "431382001001001001", Name: "1栋", Level: domain.LevelMicroGrid, Polygon: square(111.6505, 27.7005, 0.0002)}
	village := domain.Region{Code: "431382001001", Name: "民光社区", Level: domain.LevelVillage}
	lat, lon := 27.701, 111.651
	svg := string(caseMap([]domain.Region{village}, []domain.Region{own, other, micro}, own.Code, &lat, &lon))
	if strings.Count(svg, `class="grid"`) != 1 || strings.Count(svg, `class="sibling"`) != 1 || !strings.Contains(svg, "第1网格") {
		t.Fatalf("shapes: %s", svg)
	}
	// the point is drawn inside the grid's outline: its x between the grid's xs
	m := regexp.MustCompile(`class="grid" d="M([\d.]+) [\d.]+L([\d.]+) `).FindStringSubmatch(svg)
	c := regexp.MustCompile(`cx="([\d.]+)" cy="([\d.]+)"`).FindStringSubmatch(svg)
	if m == nil || c == nil {
		t.Fatalf("no grid path or point: %s", svg)
	}
	x0, _ := strconv.ParseFloat(m[1], 64)
	x1, _ := strconv.ParseFloat(m[2], 64)
	cx, _ := strconv.ParseFloat(c[1], 64)
	if cx <= x0 || cx >= x1 {
		t.Errorf("the point at x=%.1f is outside the grid's %.1f–%.1f", cx, x0, x1)
	}
	if got := caseMap([]domain.Region{village}, nil, own.Code, &lat, &lon); got != "" {
		t.Errorf("a map without polygons: %s", got)
	}
	if got := caseMap(nil, []domain.Region{{Code: own.Code, Name: "<b>", Level: domain.LevelGrid, Polygon: own.Polygon}}, own.Code, nil, nil); !strings.Contains(string(got), "&lt;b&gt;") {
		t.Errorf("a name not escaped: %s", got)
	}
}

// TestGridMap: grids are shaded by their overdue cases (none the palest, the most the
// darkest), each links to its list and says its figures; too many grids draw nothing.
func TestGridMap(t *testing.T) {
	square := func(lon float64) string {
		f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
		return `{"type":"Polygon","coordinates":[[[` + f(lon) + `,27.7],[` + f(lon+0.01) + `,27.7],[` + f(lon+0.01) + `,27.71],[` + f(lon) + `,27.71],[` + f(lon) + `,27.7]]]}`
	}
	grids := []domain.Region{
		{Code: "431382001001001", Name: "甲网格", Level: domain.LevelGrid, Polygon: square(111.60)},
		{Code: "431382001001002", Name: "乙网格", Level: domain.LevelGrid, Polygon: square(111.61)},
		{Code: "431382001001003", Name: "丙网格", Level: domain.LevelGrid, Polygon: square(111.62)},
	}
	cells := []domain.GridCell{{Region: "431382001001002", Month: "2026-10", Received: 9, Overdue: 1}, {Region: "431382001001003", Month: "2026-10", Received: 12, Overdue: 4},
		{Region: "431382001001003", Month: "2026-11", Received: 3, Overdue: 4}}
	L := testLocale(t)
	svg := string(gridMap(grids, cells, L, func(code string) string { return "/cases?region=" + code + "&overdue=1" }))
	for _, want := range []string{
		`<a href="/cases?region=431382001001003&amp;overdue=1">`, `fill="` + overdueShades[0] + `"`, `fill="` + overdueShades[len(overdueShades)-1] + `"`,
		L.T("dash.grid_map_title", "丙网格", int64(15), int64(8)),
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %q in %s", want, svg)
		}
	}
	many := make([]domain.Region, gridMapMax+1)
	for i := range many {
		many[i] = grids[0]
	}
	if got := gridMap(many, nil, L, func(string) string { return "" }); got != "" {
		t.Error("a map of more grids than gridMapMax")
	}
}

// testLocale is the Chinese catalogue.
func testLocale(t *testing.T) *Locale {
	t.Helper()
	c, err := LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	return c.Locale("zh-CN")
}
