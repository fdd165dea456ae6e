package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// TestCaseMapInBrowser: a case filed with a position shows its grid among the
// community's grids, with the point inside the grid's outline as drawn.
func TestCaseMapInBrowser(t *testing.T) {
	b := startBrowser(t, 40)
	cases, _, err := b.svc.Cases(context.Background(), b.user("demo.admin"), domain.CaseFilter{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, c := range cases {
		if c.Lat != nil && len(c.Region) == 15 {
			id = c.ID
			break
		}
	}
	if id == 0 {
		t.Fatal("no demo case with a position in a grid")
	}
	b.do(chromedp.EmulateViewport(1366, 1100))
	b.login("demo.dispatcher")
	b.open("/cases/" + strconv.FormatInt(id, 10))
	inside := eval[bool](b, `(() => {
		const g = document.querySelector('#case-map path.grid'), c = document.querySelector('#case-map circle.case-point');
		if (!g || !c) return false;
		const p = g.ownerSVGElement.createSVGPoint(); p.x = c.cx.baseVal.value; p.y = c.cy.baseVal.value;
		return g.isPointInFill(p) })()`)
	if !inside {
		b.shot("case-map-outside")
		t.Fatalf("the case's point is not drawn inside its grid: %s", eval[string](b, `document.getElementById('case-map') ? document.getElementById('case-map').outerHTML.slice(0, 600) : 'no map'`))
	}
	if n := eval[int](b, `document.querySelectorAll('#case-map path.sibling').length`); n == 0 {
		t.Error("the community's other grids are not drawn")
	}
	eval[bool](b, `(document.getElementById("case-map").scrollIntoView(), true)`)
	b.shot("case-map")
}

// TestPickOnTheMapInBrowser: on the public page a citizen taps the middle of a grid on
// the map: the position is set, the grid is named before sending, and the case filed
// lies in that grid.
func TestPickOnTheMapInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.do(chromedp.EmulateViewport(390, 844))
	b.open("/public/report")
	// the middle of the tenth grid's box, in the page's pixels
	xy := eval[[]float64](b, `(() => { const g = document.querySelectorAll('#pick-map path.pick')[9];
		g.scrollIntoView({block: 'center'}); const r = g.getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2] })()`)
	code := eval[string](b, `document.querySelectorAll('#pick-map path.pick')[9].dataset.code`)
	name := eval[string](b, `document.querySelectorAll('#pick-map path.pick')[9].querySelector('title').textContent`)
	b.do(chromedp.MouseClickXY(xy[0], xy[1]))
	if where := b.text("#where"); !strings.Contains(where, name) {
		t.Fatalf("the tapped grid is not named: %q, want %s", where, name)
	}
	if lat := eval[string](b, `document.getElementById('lat').value`); lat == "" {
		t.Fatal("no position set")
	}
	b.shot("picked")
	b.do(chromedp.SetValue(chromedp.CSS(`select[name=matter]`), "SR-001"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), "路边垃圾堆了三天"),
		chromedp.Submit(chromedp.CSS(`textarea[name=description]`)),
		chromedp.WaitVisible(chromedp.ID("receipt-secret")))
	cases, _, err := b.svc.Cases(context.Background(), b.user("demo.admin"), domain.CaseFilter{Limit: 1})
	if err != nil || len(cases) == 0 {
		t.Fatal(err)
	}
	if c := cases[0]; !strings.HasPrefix(c.Region, code) || c.Lat == nil { // the grid, or a building of it
		t.Errorf("filed in %s (position %v), want the tapped grid %s", c.Region, c.Lat, code)
	}
}
