package web

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"whistle/domain"
)

// ledgerWorkbook follows the ledger page's Excel link as the browser has it (with the
// signed-in session) and reads the workbook: the period on the summary sheet and the
// description column of the detail sheet, one entry a hazard.
func ledgerWorkbook(b *browser) (period string, hazards []string) {
	b.t.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.getElementById('ledger-xlsx').href).then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status)).then(a => {
		let s = ''; new Uint8Array(a).forEach(c => { s += String.fromCharCode(c); }); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("following the Excel link: %v", err)
	}
	body, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		b.t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	defer f.Close()
	period, _ = f.GetCellValue("隐患整治汇总表", "A2")
	rows, err := f.GetRows("隐患明细台账")
	if err != nil {
		b.t.Fatal(err)
	}
	for _, r := range rows[2:] { // a title and the headings first
		if len(r) > 7 {
			hazards = append(hazards, r[7])
		}
	}
	return period, hazards
}

// TestFilteredLedgerExportInBrowser: the leader filters the hazard ledger to a month
// and downloads it; the workbook holds exactly that month's hazards, and for a month
// without any it holds none, not the whole year (the link once escaped its query
// string, /ledgers/hazards.xlsx?from%3d…, and the server fell back to twelve months).
func TestFilteredLedgerExportInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := t.Context()
	b.clock.Set(b.clock.Now().AddDate(0, 1, 0)) // a month of its own, after the demo's
	now := b.clock.Now().In(domain.China)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.China)
	titles := []string{"楼道堆放杂物堵塞消防通道", "燃气软管老化"}
	for i, cat := range []string{"fire", "gas"} {
		if _, err := b.svc.ReportHazard(ctx, b.users["demo.grid"], domain.HazardFinding{Matter: "AQ-001", Category: cat, Title: titles[i], Region: "431382001001001", Level: "general"}); err != nil {
			t.Fatal(err)
		}
	}
	b.login("demo.leader")
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		{first, now, titles}, // this month: both
		{first.AddDate(0, -1, 0), first.AddDate(0, 0, -1), nil}, // the month before: none
	} {
		from, to := tc.from.Format("2006-01-02"), tc.to.Format("2006-01-02")
		b.open("/ledgers/hazards")
		b.do(
			chromedp.SetValue(chromedp.CSS(`input[name="from"]`), from),
			chromedp.SetValue(chromedp.CSS(`input[name="to"]`), to),
			chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)),
		)
		b.waitFor("the filtered ledger", `location.search.includes('from=`+from+`')`)
		b.do(chromedp.WaitVisible(chromedp.ID("ledger-found")))
		if found := b.text("#ledger-found"); found != strconv.Itoa(len(tc.want)) {
			t.Errorf("%s – %s: the page found %s, want %d", from, to, found, len(tc.want))
		}
		period, hazards := ledgerWorkbook(b)
		if !strings.Contains(period, "统计时段："+from+" 至 "+to) {
			t.Errorf("%s – %s: the workbook's period: %q", from, to, period)
		}
		if strings.Join(hazards, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s – %s: the workbook lists %q, want %q", from, to, hazards, tc.want)
		}
	}
	b.shot("ledger-filtered")
	b.noConsoleErrors()
}
