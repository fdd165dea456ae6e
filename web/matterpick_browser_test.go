package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMatterPickerInBrowser: on a phone-sized window the grid worker's report form offers
// her own recent matters first, groups the catalogue by class, and a search box narrows
// the 139 matters to those whose name, keywords or class hold the word; a tap picks one.
func TestMatterPickerInBrowser(t *testing.T) {
	b := startBrowser(t, 300)
	ctx := context.Background()
	b.do(chromedp.EmulateViewport(390, 844))
	b.login("demo.grid")
	recent, err := b.svc.RecentMatters(ctx, b.users["demo.grid"], recentMatters)
	if err != nil || len(recent) == 0 {
		t.Fatalf("demo.grid's recent matters: %v %v", recent, err)
	}
	b.open("/m/report")
	chips := eval[[]string](b, `Array.from(document.querySelectorAll("#recent-matters .chip")).map(b => b.dataset.code)`)
	if strings.Join(chips, " ") != strings.Join(recent, " ") {
		t.Errorf("recent chips %v, want %v (her latest first)", chips, recent)
	}
	if got := eval[string](b, `document.querySelector("#matter optgroup").label`); got != "最近上报" {
		t.Errorf("the first group is %q", got)
	}
	ms, err := b.svc.Matters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]bool{}
	want := 0
	for _, m := range ms {
		classes[m.Class] = true
		if strings.Contains(m.Name+" "+m.Keywords+" "+m.Class, "垃圾") {
			want++
		}
	}
	if n := eval[int](b, `document.querySelectorAll("#matter optgroup:not([data-recent])").length`); n != len(classes) {
		t.Errorf("%d class groups, want %d", n, len(classes))
	}
	if first := eval[string](b, `document.querySelector("#matter optgroup:not([data-recent])").label`); first == "企业诉求" {
		t.Errorf("企业诉求 still comes first on a grid worker's phone")
	}
	b.do(chromedp.SendKeys(chromedp.ID("matter-search"), "垃圾"), chromedp.WaitVisible(chromedp.CSS("#matter-hits button")))
	hits := eval[int](b, `document.querySelectorAll("#matter-hits button").length`)
	if hits != want || hits == 0 || hits >= len(ms) {
		t.Errorf("searching 垃圾 lists %d matters, want %d of %d", hits, want, len(ms))
	}
	b.shot("search")
	code := eval[string](b, `document.querySelector("#matter-hits button").dataset.code`)
	b.do(chromedp.Click(chromedp.CSS("#matter-hits button")))
	if got := eval[string](b, `document.getElementById("matter").value`); got != code {
		t.Errorf("tapping %s picked %q", code, got)
	}
	if eval[string](b, `document.getElementById("title").value`) == "" {
		t.Errorf("picking a matter left the title empty")
	}
	b.do(chromedp.Click(chromedp.CSS("#recent-matters .chip")))
	if got := eval[string](b, `document.getElementById("matter").value`); got != recent[0] {
		t.Errorf("tapping the first recent chip picked %q, want %s", got, recent[0])
	}
	if title, chip := eval[string](b, `document.getElementById("title").value`), b.text("#recent-matters .chip"); title != chip {
		t.Errorf("the title %q does not follow the new pick %q", title, chip)
	}
	b.shot("recent")
	b.noConsoleErrors()
}
