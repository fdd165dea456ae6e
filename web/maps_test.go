package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
)

// insideGrid is a point inside a grid's polygon: its vertices' mean, which the demo's
// convex grids hold.
func insideGrid(t *testing.T, g domain.Region) (string, string) {
	t.Helper()
	p, err := domain.ParsePolygon(g.Polygon)
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := p.Centroid()
	if !p.Contains(lat, lon) {
		t.Fatalf("grid %s does not hold its centroid", g.Code)
	}
	return strconv.FormatFloat(lat, 'f', 6, 64), strconv.FormatFloat(lon, 'f', 6, 64)
}

// streetGrids are the demo street's grids with a polygon, a few of them.
func streetGrids(t *testing.T, svc *service.Service) []domain.Region {
	t.Helper()
	all, err := svc.Grids(t.Context(), demo.Street)
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Region
	for _, g := range all {
		if g.Level == domain.LevelGrid && g.Polygon != "" {
			out = append(out, g)
		}
	}
	if len(out) < 3 {
		t.Fatalf("the demo street has %d grids with polygons", len(out))
	}
	return out
}

// TestPickOnMapFiling: the grid worker's phone form and the 12345 seat draw the grids
// to pick a point in (the worker's own to pick, the community's others around it), and
// a point picked files the case in the grid holding it; a point outside the worker's
// grid is refused with a reason, not filed elsewhere.
func TestPickOnMapFiling(t *testing.T) {
	s := newSite(t, 0)
	filesInTemp(t, s.svc)
	grids := streetGrids(t, s.svc)
	var own, neighbour, far domain.Region
	for _, g := range grids {
		if g.Code == demo.DemoGrid {
			own = g
		}
	}
	for _, g := range grids {
		if g.Code != own.Code && g.Code[:12] == own.Code[:12] && neighbour.Code == "" {
			neighbour = g
		}
		if g.Code[:12] != own.Code[:12] {
			far = g
		}
	}
	if neighbour.Code == "" || far.Code == "" {
		t.Fatal("no neighbouring grid, or none in another community")
	}
	filedIn := func(loc string) string {
		t.Helper()
		id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/cases/"), 10, 64)
		if err != nil {
			t.Fatalf("not a case page: %q", loc)
		}
		c, err := s.svc.Case(t.Context(), s.user("demo.admin"), id)
		if err != nil {
			t.Fatal(err)
		}
		return c.Region
	}

	w := s.client()
	w.login("demo.grid")
	status, body := w.get("/m/report")
	if status != 200 || !strings.Contains(body, `id="pick-map"`) || !strings.Contains(body, `class="pick" data-code="`+own.Code+`"`) ||
		strings.Contains(body, `data-code="`+neighbour.Code+`"`) || strings.Count(body, `<path class="sibling"`) == 0 {
		t.Fatalf("the phone form's map: %d, own grid pickable and the neighbours around it? %.300s", status, body)
	}
	lat, lon := insideGrid(t, own)
	key := "pick-" + strconv.FormatInt(s.clock.Now().UnixNano(), 36)
	status, loc, body := w.post("/m/report", url.Values{"key": {key}, "matter": {"SR-001"}, "title": {"井盖破损"}, "lat": {lat}, "lon": {lon}})
	if status != http.StatusSeeOther || !strings.HasPrefix(filedIn(loc), own.Code) {
		t.Fatalf("the phone's picked point: %d %q %.300s", status, loc, body)
	}
	w.get("/m/report")
	lat, lon = insideGrid(t, neighbour)
	status, _, body = w.post("/m/report", url.Values{"key": {key + "x"}, "matter": {"SR-001"}, "title": {"井盖破损"}, "lat": {lat}, "lon": {lon}})
	if status != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("a point in the neighbour's grid from the phone: %d %.300s", status, body)
	}

	d := s.client()
	d.login("demo.dispatcher")
	status, body = d.get("/intake/hotline")
	if status != 200 || !strings.Contains(body, `data-code="`+far.Code+`"`) || !strings.Contains(body, `data-code="`+own.Code+`"`) {
		t.Fatalf("the seat's map: %d", status)
	}
	// the map follows the place list: it holds no focusable thing before the address
	if strings.Contains(body[strings.Index(body, `id="pick-map"`):], `tabindex="0"`) {
		t.Error("the seat's map takes the keyboard's focus")
	}
	lat, lon = insideGrid(t, far)
	status, loc, body = d.post("/intake/hotline", url.Values{"caller_phone": {"13800004444"}, "matter": {"SR-001"}, "description": {"路口垃圾没人清"},
		"lat": {lat}, "lon": {lon}})
	if status != http.StatusSeeOther || !strings.HasPrefix(filedIn(loc), far.Code) {
		t.Fatalf("the seat's picked point: %d %q %.300s", status, loc, body)
	}
	// the community chosen in the list and the point in one of its grids agree
	d.get("/intake/hotline")
	status, loc, _ = d.post("/intake/hotline", url.Values{"caller_phone": {"13800004444"}, "matter": {"SR-001"}, "description": {"路口垃圾没人清"},
		"region": {far.Code[:12]}, "lat": {lat}, "lon": {lon}})
	if status != http.StatusSeeOther || !strings.HasPrefix(filedIn(loc), far.Code) {
		t.Fatalf("the seat's picked point with its community: %d %q", status, loc)
	}
	// a point beside the community chosen is refused, not filed in either
	d.get("/intake/hotline")
	lat, lon = insideGrid(t, own)
	if status, _, body = d.post("/intake/hotline", url.Values{"caller_phone": {"13800004444"}, "matter": {"SR-001"}, "description": {"路口垃圾没人清"},
		"region": {far.Code[:12]}, "lat": {lat}, "lon": {lon}}); status != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("a point outside the community chosen: %d", status)
	}
}

// TestMapTilesSetting: without a tile server the maps have no tiles and the pages no
// other image host; with one, the maps draw its tiles and the CSP allows its host alone;
// a bad template is refused with the field named.
func TestMapTilesSetting(t *testing.T) {
	s := newSite(t, 0)
	a := s.client()
	a.login("demo.admin")
	p := s.client()
	resp, err := http.Get(s.srv.URL + "/public/report")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := resp.Header.Get("Content-Security-Policy"); !strings.Contains(c, "img-src 'self' data: blob:;") {
		t.Fatalf("CSP without tiles: %s", c)
	}
	if _, body := p.get("/public/report"); strings.Contains(body, "<image") || !strings.Contains(body, `id="pick-map"`) {
		t.Fatal("tiles without a tile server, or no map")
	}
	a.get("/admin")
	if status, _, body := a.post("/admin/map-tiles", url.Values{"tiles": {`https://tiles.example.cn/{z}/{x}.png`}}); status != 400 || !strings.Contains(body, "{y}") {
		t.Fatalf("a template without {y}: %d", status)
	}
	a.get("/admin")
	if status, loc, _ := a.post("/admin/map-tiles", url.Values{"tiles": {`https://tiles.example.cn/{z}/{x}/{y}.png`}}); status != http.StatusSeeOther || loc != "/admin?saved=1" {
		t.Fatalf("a tile server: %d %s", status, loc)
	}
	resp, err = http.Get(s.srv.URL + "/public/report")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := resp.Header.Get("Content-Security-Policy"); !strings.Contains(c, "img-src 'self' data: blob: https://tiles.example.cn;") {
		t.Fatalf("CSP with tiles: %s", c)
	}
	_, body := p.get("/public/report")
	tiles := regexp.MustCompile(`<image href="https://tiles\.example\.cn/(\d+)/(\d+)/(\d+)\.png"`).FindAllStringSubmatch(body, -1)
	if len(tiles) == 0 || len(tiles) > mapTilesMax || !strings.Contains(body, `class="map tiled"`) {
		t.Fatalf("%d tiles under the map", len(tiles))
	}
	entries, _, err := s.svc.AuditLog(t.Context(), s.user("demo.admin"), domain.AuditFilter{Action: "setting.put", Limit: 10})
	if err != nil || len(entries) == 0 || entries[0].Object != "setting/"+service.MapTilesSetting {
		t.Fatalf("the setting is not audited: %v %+v", err, entries)
	}
}
