package web

import (
	"context"
	"strconv"
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
