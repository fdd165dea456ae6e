package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// tabCount reads a queue tab's count as the page shows it.
func tabCount(b *browser, tab string) int {
	b.t.Helper()
	n, err := strconv.Atoi(strings.NewReplacer(",", "", "+", "").Replace(b.text(`#queue-tabs .count[data-tab="` + tab + `"]`)))
	if err != nil {
		b.t.Fatalf("tab %s's count: %v", tab, err)
	}
	return n
}

// TestQueueRefreshesInBrowser: the dispatcher leaves the queue open; a case a grid
// worker files appears in it without a reload, a row's quick accept moves the tab
// counts at once, and two ticked rows are dispatched in one go, with a third refused
// (another dispatcher took it meanwhile) named in the result while the others go on.
func TestQueueRefreshesInBrowser(t *testing.T) {
	b := startBrowser(t, 50)
	ctx := t.Context()
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.dispatcher")
	b.open("/dispatch?tab=new")
	b.do(chromedp.Evaluate[chromedp.Void](`window.__samePage = true`))
	before := tabCount(b, "new")
	file := func(title string) *domain.Case {
		c, err := b.svc.File(ctx, b.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: title, Region: "431382001001001"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := file("轮询出现测试")
	b.waitFor("the new case in the open queue", `document.getElementById('quick-`+strconv.FormatInt(c.ID, 10)+`') !== null`)
	if got := tabCount(b, "new"); got != before+1 {
		t.Errorf("the new tab counts %d after a filing, %d before", got, before)
	}
	b.shot("polled")
	accepted := tabCount(b, "accepted")
	b.do(chromedp.Click(chromedp.ID("quick-" + strconv.FormatInt(c.ID, 10))))
	b.waitFor("the tab counts after the quick accept", `document.querySelector('#queue-tabs .count[data-tab="accepted"]').innerText.replace(/\D/g, '') === '`+strconv.Itoa(accepted+1)+`'`)
	if got := tabCount(b, "new"); got != before {
		t.Errorf("the new tab counts %d after the accept, want %d", got, before)
	}
	// bulk: three new cases ticked, one of them taken by another dispatcher meanwhile
	cs := []*domain.Case{file("批量派遣一"), file("批量派遣二"), file("批量派遣三")}
	b.open("/dispatch?tab=new")
	for _, c := range cs {
		b.do(chromedp.Click(chromedp.ID("tick-" + strconv.FormatInt(c.ID, 10))))
	}
	if _, err := b.svc.Act(ctx, b.users["demo.dispatcher"], cs[2].ID, domain.Command{Action: domain.ActAccept, Version: cs[2].Version}); err != nil {
		t.Fatal(err)
	}
	b.do(
		chromedp.SetValue(chromedp.ID("bulk-action"), "dispatch"),
		chromedp.SetValue(chromedp.ID("bulk-org"), "LY-CGJ"),
		chromedp.Click(chromedp.ID("bulk-go")),
	)
	b.waitFor("the bulk result", `document.getElementById('bulk-result') !== null`)
	result := b.text("#bulk-result")
	if !strings.Contains(result, "已办理 2 件") || !strings.Contains(result, "未能办理 1 件") || !strings.Contains(result, cs[2].Number) {
		t.Errorf("the bulk result: %q", result)
	}
	for i, c := range cs {
		got, err := b.svc.Case(ctx, b.users["demo.dispatcher"], c.ID)
		want := domain.StatusDispatched
		if i == 2 {
			want = domain.StatusAccepted
		}
		if err != nil || got.Status != want {
			t.Errorf("case %s: %v %v, want %s", c.Title, got.Status, err, want)
		}
	}
	b.shot("bulk")
	// the queue and a case's routing sheet as they print: no header, no tools, no boxes
	printed := func(name string) {
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		if eval[bool](b, `[...document.querySelectorAll('header.top, #bulk, #list-print, input[name="id"]')].some(e => e.offsetParent !== null)`) {
			t.Errorf("%s: the header, the tools or the boxes print", name)
		}
		b.shot(name)
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatal(err)
		}
	}
	b.open("/dispatch?tab=accepted")
	printed("queue-print")
	b.open("/cases/" + strconv.FormatInt(cs[0].ID, 10) + "/sheet")
	if rows := eval[int](b, `document.querySelectorAll('#sheet-timeline tbody tr').length`); rows != 2 {
		t.Errorf("the routing sheet's timeline has %d steps, the case 2 (reported, dispatched)", rows)
	}
	b.shot("sheet")
	printed("sheet-print")
	b.noConsoleErrors()
}

// TestRankingRowListsItsFigureInBrowser: the leader clicks a community's row of the
// dashboard's ranking and reads the case list to its end ("load more" until there is no
// more): it lists as many cases as the row counts, and its total says the same. The trend
// marks the current month as counted so far and says the change on the month before.
func TestRankingRowListsItsFigureInBrowser(t *testing.T) {
	b := startBrowser(t, 600)
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.leader")
	b.open("/dashboard")
	b.waitFor("the trend", `document.getElementById('chart-trend').getAttribute('data-drawn') === '1'`)
	if note := b.text("#trend-note"); !strings.Contains(note, "本月至今") || !strings.Contains(note, "环比上月") {
		t.Errorf("the trend's note: %q", note)
	}
	b.shot("dashboard")
	checked := 0
	for row := 1; row <= 3; row++ {
		sel := `#ranking-regions tbody tr:nth-child(` + strconv.Itoa(row) + `) `
		b.open("/dashboard")
		figure, err := strconv.Atoi(strings.ReplaceAll(b.text(sel+`td:nth-child(3)`), ",", ""))
		if err != nil {
			t.Fatal(err)
		}
		b.do(chromedp.Click(chromedp.CSS(sel+`a`)), chromedp.WaitVisible(chromedp.ID("total")))
		rows := `document.querySelectorAll('table.cases tbody tr:not(#more)').length`
		for eval[bool](b, `document.querySelector('#more a') !== null`) {
			n := eval[int](b, rows)
			// a click before htmx has taken the link follows its href: a whole page's
			// navigation, read half-loaded (CI: #total was null)
			b.waitFor("htmx on the link", `document.querySelector('#more a')['htmx-internal-data'] !== undefined`)
			b.do(chromedp.Click(chromedp.CSS(`#more a`)))
			b.waitFor("the next page", rows+` > `+strconv.Itoa(n)+` || document.querySelector('#more a') === null`)
		}
		listed := eval[int](b, rows)
		total := eval[string](b, `document.getElementById('total').dataset.count`)
		if listed != figure || total != strconv.Itoa(figure) {
			t.Errorf("ranking row %d: the figure is %d, the list says %s and lists %d (%s)", row, figure, total, listed, b.location())
		}
		if figure > pageSize {
			checked++
		}
		if row == 1 {
			b.shot("drilldown")
		}
	}
	if checked == 0 {
		t.Error("no row counted more than a page of cases: the walk through the pages went untested")
	}
	b.noConsoleErrors()
}
