package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"whistle/demo"
	"whistle/domain"
)

// TestPickOnThePhoneInBrowser: on a 390-px phone the grid worker taps the middle of her
// grid on the report form's map: the grid is named before sending, the position set
// (the phone's own position, refused here, does not override it), and the report sent
// is filed in that grid.
func TestPickOnThePhoneInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	b.login("demo.grid")
	b.open("/m/report")
	sel := `document.querySelector('#pick-map path.pick[data-code="` + demo.DemoGrid + `"]')`
	if !eval[bool](b, `!!`+sel) {
		t.Fatal("no map with the worker's grid to pick")
	}
	if n := eval[int](b, `document.querySelectorAll('#pick-map path.pick').length`); n != 1 {
		t.Errorf("%d grids to pick, want the worker's own", n)
	}
	xy := eval[[]float64](b, `(() => { const g = `+sel+`; g.scrollIntoView({block: 'center'});
		const r = g.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2] })()`)
	name := eval[string](b, sel+`.querySelector('title').textContent`)
	b.do(chromedp.MouseClickXY(xy[0], xy[1]))
	if where := b.text("#where"); !strings.Contains(where, name) {
		t.Fatalf("the tapped grid is not named: %q, want %s", where, name)
	}
	if lat := eval[string](b, `document.getElementById('lat').value`); lat == "" {
		t.Fatal("no position set")
	}
	b.shot("phone-picked")
	b.do(chromedp.SetValue(chromedp.ID("matter"), "SR-001"),
		chromedp.SendKeys(chromedp.ID("title"), "井盖破损"),
		chromedp.Click(chromedp.ID("send")))
	b.waitFor("the case page", casePageLoaded)
	cases, _, err := b.svc.Cases(context.Background(), b.user("demo.admin"), domain.CaseFilter{Limit: 1})
	if err != nil || len(cases) == 0 {
		t.Fatal(err)
	}
	if c := cases[0]; !strings.HasPrefix(c.Region, demo.DemoGrid) || c.Lat == nil || c.Title != "井盖破损" {
		t.Errorf("filed in %s (position %v), want the tapped grid %s", c.Region, c.Lat, demo.DemoGrid)
	}
	b.noConsoleErrors()
}

// TestDrawOutlineInBrowser: an administrator draws a grid's outline anew on the map of
// its community: clears it, clicks four corners, deletes one and takes it back, drags
// another, and saves; the grid holds the outline drawn. A bow tie is refused with the
// edges named, the drawing kept.
func TestDrawOutlineInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1280, 1000))
	b.login("demo.admin")
	before, err := b.svc.Region(context.Background(), demo.DemoGrid)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := domain.ParsePolygon(before.Polygon)
	_, _, oldWest, oldEast := old.Box()
	b.open("/admin/regions?code=" + demo.DemoGrid)
	if !eval[bool](b, `!!document.querySelector('#outline-editor svg.map path.edit-old')`) {
		t.Fatal("no outline editor with the grid's outline")
	}
	// corners at fractions of the old outline's box, in the page's pixels
	corner := func(fx, fy float64) []float64 {
		return eval[[]float64](b, `(() => { const r = document.querySelector('#outline-editor path.edit-old').getBoundingClientRect();
			return [r.left + r.width * `+ftoa(fx)+`, r.top + r.height * `+ftoa(fy)+`] })()`)
	}
	eval[bool](b, `(document.getElementById('outline-editor').scrollIntoView(), true)`)
	b.do(chromedp.Click(`#outline-editor [data-draw=clear]`))
	if v := eval[string](b, `document.getElementById('outline-polygon').value`); v != "" {
		t.Fatalf("cleared: %q", v)
	}
	for _, f := range [][2]float64{{.1, .1}, {.6, .1}, {.6, .9}, {.1, .9}} {
		p := corner(f[0], f[1])
		b.do(chromedp.MouseClickXY(p[0], p[1]))
	}
	vertices := func() int { return eval[int](b, `document.querySelectorAll('#outline-editor circle.vertex').length`) }
	if n := vertices(); n != 4 {
		t.Fatalf("%d corners drawn, want 4", n)
	}
	// select the third corner and delete it, then take that back
	p := eval[[]float64](b, `(() => { const r = document.querySelectorAll('#outline-editor circle.vertex')[2].getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2] })()`)
	b.do(chromedp.MouseClickXY(p[0], p[1]))
	if eval[bool](b, `document.querySelector('#outline-editor [data-draw=delete]').disabled`) {
		t.Fatal("a clicked corner is not selected")
	}
	b.do(chromedp.Click(`#outline-editor [data-draw=delete]`))
	if n := vertices(); n != 3 {
		t.Fatalf("%d corners after deleting one", n)
	}
	b.do(chromedp.Click(`#outline-editor [data-draw=undo]`))
	if n := vertices(); n != 4 {
		t.Fatalf("%d corners after undoing", n)
	}
	// drag the second corner a little to the right
	from, to := corner(.6, .1), corner(.8, .1)
	b.do(chromedp.MouseEvent(chromedp.MousePressed, from[0], from[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, (from[0]+to[0])/2, from[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, to[0], to[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, to[0], to[1], chromedp.ButtonLeft))
	if n := vertices(); n != 4 {
		t.Fatalf("%d corners after a drag", n)
	}
	b.shot("outline-drawn")
	b.do(chromedp.Click(`#save-outline`))
	b.waitFor("saved", `location.search.includes('saved=1')`)
	g, err := b.svc.Region(context.Background(), demo.DemoGrid)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := domain.ParsePolygon(g.Polygon)
	if err != nil || len(p2.Rings()[0]) != 5 {
		t.Fatalf("stored %q: %v", g.Polygon, err)
	}
	minLat, maxLat, minLon, maxLon := p2.Box()
	if !p2.Contains((minLat+maxLat)/2, (minLon+maxLon)/2) || g.Lat == nil {
		t.Errorf("the stored outline %s", g.Polygon)
	}
	// the dragged corner moved right, from three fifths of the old width to four
	if east := (maxLon - oldWest) / (oldEast - oldWest); east < .75 || east > .85 || (minLon-oldWest)/(oldEast-oldWest) > .15 {
		t.Errorf("the stored outline spans %.2f–%.2f of the old width, want 0.1–0.8", (minLon-oldWest)/(oldEast-oldWest), east)
	}
	b.noConsoleErrors()
	// a bow tie is refused, the drawing kept
	eval[bool](b, `(document.getElementById('outline-editor').scrollIntoView(), true)`)
	b.do(chromedp.Click(`#outline-editor [data-draw=clear]`))
	for _, f := range [][2]float64{{.1, .1}, {.9, .9}, {.9, .1}, {.1, .7}} {
		p := corner(f[0], f[1])
		b.do(chromedp.MouseClickXY(p[0], p[1]))
	}
	// clicked in this order the corners would be re-ordered into a ring: type the bow tie
	eval[bool](b, `(() => { const t = document.getElementById('outline-polygon'); const g = JSON.parse(t.value); const r = g.coordinates[0];
		g.coordinates[0] = [r[0], r[2], r[1], r[3], r[0]]; t.value = JSON.stringify(g); t.dispatchEvent(new Event('input')); return true })()`)
	b.do(chromedp.Click(`#save-outline`))
	b.waitFor("the refusal", `!!document.querySelector('[role=alert]')`)
	if msg := b.text("[role=alert]"); !strings.Contains(msg, "相交") {
		t.Errorf("the refusal: %q", msg)
	}
	if n := vertices(); n != 4 {
		t.Errorf("the refused drawing is not kept: %d corners, %q", n, eval[string](b, `document.getElementById('outline-polygon').value`))
	}
	b.shot("outline-refused") // the refusal's 400 is in the console, as it should be
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// TestLedgerAndDashboardMapsInBrowser: the hazard ledger shows each hazard found as a
// dot inside the grid it was reported in, leading to its case; the dashboard's grid map
// switches between its overdue and open layers without a script.
func TestLedgerAndDashboardMapsInBrowser(t *testing.T) {
	b := startBrowser(t, 40)
	ctx := context.Background()
	grid := b.user("demo.grid")
	g, err := b.svc.Region(ctx, demo.DemoGrid)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePolygon(g.Polygon)
	minLat, maxLat, minLon, maxLon := p.Box()
	for i, level := range []string{"major", "general", "general"} {
		lat, lon := minLat+(maxLat-minLat)*(0.25+0.25*float64(i)), minLon+(maxLon-minLon)*(0.3+0.2*float64(i))
		if _, err := b.svc.ReportHazard(ctx, grid, domain.HazardFinding{Matter: "AQ-001", Title: "消防通道堵塞", Region: g.Code, Lat: &lat, Lon: &lon, Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	b.do(chromedp.EmulateViewport(1366, 1000))
	b.login("demo.leader")
	b.open("/ledgers/hazards?region=" + demo.Street)
	inside := eval[int](b, `(() => { const grid = document.querySelector('#hazard-map path[data-code="`+demo.DemoGrid+`"]'); let n = 0;
		document.querySelectorAll('#hazard-map circle.hazard-point').forEach(c => { const p = grid.ownerSVGElement.createSVGPoint();
		p.x = c.cx.baseVal.value; p.y = c.cy.baseVal.value; if (grid.isPointInFill(p) && c.parentNode.getAttribute('href').startsWith('/cases/')) n++ }); return n })()`)
	if inside < 3 {
		t.Errorf("%d hazards drawn inside their grid, want 3", inside)
	}
	if n := eval[int](b, `document.querySelectorAll('#hazard-map circle.hazard-point.major').length`); n < 1 {
		t.Error("no major hazard coloured as one")
	}
	eval[bool](b, `(document.getElementById('hazard-map').scrollIntoView(), true)`)
	b.shot("ledger-map")
	b.open("/dashboard")
	if !eval[bool](b, `!!document.querySelector('#grid-map .layer-overdue svg') && getComputedStyle(document.querySelector('#grid-map .layer-open')).display === 'none'`) {
		t.Fatal("the dashboard's map does not open on its overdue layer")
	}
	b.do(chromedp.Click(`label[for=layer-open]`))
	if !eval[bool](b, `getComputedStyle(document.querySelector('#grid-map .layer-overdue')).display === 'none' && document.querySelectorAll('#open-map circle.open-count').length > 0`) {
		t.Fatal("the open layer does not show its counts")
	}
	eval[bool](b, `(document.getElementById('grid-map').scrollIntoView(), true)`)
	b.shot("dashboard-open-layer")
	b.noConsoleErrors()
}

// TestSeatMapInBrowser: at the 12345 seat the map is there to click but takes nothing
// from the keyboard: the caller's number still has the focus when the page opens, the
// map holds no tab stop; a click on a grid names it, sets the place list to its
// community, and the call filed by Ctrl+Enter lies in that grid.
func TestSeatMapInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.dispatcher")
	b.open("/intake/hotline")
	if id := eval[string](b, `document.activeElement.id`); id != "caller-phone" {
		t.Fatalf("focus on %q when the page opens", id)
	}
	if n := eval[int](b, `document.querySelectorAll('#pick-map [tabindex], #pick-map a').length`); n != 0 {
		t.Errorf("the map has %d tab stops", n)
	}
	b.do(chromedp.KeyEvent("13800005555"))
	const nth = `document.querySelectorAll('#pick-map path.pick')[20]`
	code := eval[string](b, nth+`.dataset.code`)
	name := eval[string](b, nth+`.querySelector('title').textContent`)
	xy := eval[[]float64](b, `(() => { const g = `+nth+`; g.scrollIntoView({block: 'center'}); const r = g.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2] })()`)
	b.do(chromedp.MouseClickXY(xy[0], xy[1]))
	if where := b.text("#where"); !strings.Contains(where, name) {
		t.Fatalf("the clicked grid is not named: %q, want %s", where, name)
	}
	if place := eval[string](b, `document.querySelector('.intake-form select[name=region]').value`); place != code[:12] {
		t.Errorf("the place list shows %q, want the grid's community %s", place, code[:12])
	}
	b.shot("seat-picked")
	b.do(chromedp.SetValue(chromedp.ID("matter"), "SR-001"), chromedp.SendKeys(chromedp.ID("call-words"), "路口垃圾没人清"),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	b.waitFor("the case page", casePageLoaded)
	id, err := strconv.ParseInt(strings.TrimPrefix(b.location(), "/cases/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.svc.Case(context.Background(), b.user("demo.dispatcher"), id)
	if err != nil || !strings.HasPrefix(c.Region, code) || c.Lat == nil {
		t.Fatalf("filed in %v (%v), want the clicked grid %s", c, err, code)
	}
	b.noConsoleErrors()
}

// TestTilesInBrowser: with a tile server named, the public form's map loads its tiles
// from that host (the CSP lets them through: no refusal in the console) beneath the
// grids, which stay pickable.
func TestTilesInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	var served atomic.Int32
	tile := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range tile.Pix {
		tile.Pix[i] = []byte{200, 220, 235, 255}[i%4]
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, tile); err != nil {
		t.Fatal(err)
	}
	tiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(tiles.Close)
	if err := b.svc.SetMapTiles(context.Background(), b.user("demo.admin"), tiles.URL+"/{z}/{x}/{y}.png"); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(390, 844))
	b.open("/public/report")
	n := eval[int](b, `document.querySelectorAll('#pick-map svg.map image').length`)
	if n == 0 {
		t.Fatal("no tiles under the map")
	}
	b.waitFor("the tiles", `performance.getEntriesByType('resource').filter(e => e.name.startsWith('`+tiles.URL+`')).length >= `+strconv.Itoa(n))
	if int(served.Load()) < n {
		t.Errorf("%d of %d tiles served", served.Load(), n)
	}
	eval[bool](b, `(document.getElementById('pick-map').scrollIntoView(), true)`)
	b.shot("tiles")
	b.noConsoleErrors()
}
