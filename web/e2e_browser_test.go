package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// testPhoto writes a small JPEG photo for the file inputs.
func testPhoto(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 96, 64))
	for x := 0; x < 96; x++ {
		for y := 0; y < 64; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 3), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "pothole.jpg")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// waitFor polls a JavaScript condition until it holds.
func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failure")
	flash, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector('.flash') || {}).innerText || ''`))
	b.t.Fatalf("waiting for %s (%s) at %s; message: %q", what, cond, b.location(), flash)
}

// act clicks an action's button on the case page and waits for the case to reach
// status (the page reloads after each action; waiting on the new status avoids acting
// on the old page).
func (b *browser) act(button string, status domain.Status) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID(button)))
	b.waitFor(string(status), `!!document.querySelector('.badges .st-`+string(status)+`')`)
}

// open goes to a page and waits for its heading.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.url(path)), chromedp.WaitVisible(chromedp.CSS("#main h1")))
}

// TestCaseLifecycleInBrowser carries one case from a grid worker's phone through
// dispatch, whistle, report-in, resolution, verification, return visit and closing,
// each step by the role that does it, in Chromium.
func TestCaseLifecycleInBrowser(t *testing.T) {
	b := startBrowser(t, 300)
	ctx := context.Background()
	photo := testPhoto(t)
	grid, err := b.svc.Region(ctx, "431382001001001")
	if err != nil || grid.Lat == nil {
		t.Fatalf("demo grid: %v", err)
	}
	matters, err := b.svc.Matters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := matters[0]
	lead := m.LeadOrgFor(grid.Code)
	whistled := "LY-YJJ"
	if lead == whistled {
		whistled = "LY-CGJ"
	}

	// 1. the grid worker reports from a 360-px phone with a photo and the phone's position
	id := reportFromPhone(b, grid, m.Code, photo)
	caseURL := "/cases/" + strconv.FormatInt(id, 10)
	caseLink := chromedp.CSS(`a[href="` + caseURL + `"]`)

	// 2. the dispatcher finds it in the queue, accepts, dispatches to the suggested lead
	// org and whistles another org
	b.login("demo.dispatcher")
	b.open("/dispatch")
	b.do(chromedp.WaitVisible(caseLink))
	b.shot("dispatch-queue")
	b.do(chromedp.Click(caseLink), chromedp.WaitVisible(chromedp.ID("act-accept")))
	b.act("act-accept", domain.StatusAccepted)
	if got := eval[string](b, `document.getElementById('dispatch-org').value`); got != lead {
		t.Errorf("suggested lead org %s, want %s", got, lead)
	}
	b.act("act-dispatch", domain.StatusDispatched)
	b.do(
		chromedp.Evaluate[chromedp.Void](`document.getElementById('form-whistle').closest('details').open = true`),
		chromedp.WaitVisible(chromedp.ID("act-whistle")),
		chromedp.Click(chromedp.CSS(`#form-whistle input[value="`+whistled+`"]`)),
		chromedp.Click(chromedp.ID("act-whistle")),
	)
	b.waitFor("the summons", `document.body.innerText.includes('吹哨报到')`)
	b.shot("dispatched")
	b.noConsoleErrors()

	// 3. the whistled org reports in from its inbox
	b.login("officer." + whistled)
	b.open("/inbox?tab=summoned")
	b.do(chromedp.WaitVisible(caseLink), chromedp.Click(caseLink), chromedp.WaitVisible(chromedp.ID("act-report-in")))
	b.do(chromedp.Click(chromedp.ID("act-report-in")), chromedp.WaitNotPresent(chromedp.ID("act-report-in")))

	// 4. the lead org acknowledges and resolves with a result and a photo
	b.login("officer." + lead)
	b.open("/inbox")
	b.do(chromedp.WaitVisible(caseLink))
	b.shot("inbox")
	b.do(chromedp.Click(caseLink), chromedp.WaitVisible(chromedp.ID("act-acknowledge")))
	b.act("act-acknowledge", domain.StatusAcknowledged)
	b.do(
		chromedp.SendKeys(chromedp.ID("resolve-result"), "已修补路面，恢复通行。"),
		chromedp.SetUploadFiles(chromedp.ID("resolve-photos"), []string{photo}),
		chromedp.Click(chromedp.ID("act-resolve")),
	)
	b.waitFor("the resolution", `!document.getElementById('act-resolve') && document.querySelectorAll('.photos img').length === 2`)
	b.noConsoleErrors()

	// 5. the grid worker verifies on site from the phone
	b.login("demo.grid")
	b.do(chromedp.EmulateViewport(360, 740))
	b.open("/m/verify")
	b.do(chromedp.WaitVisible(chromedp.ID("verify-" + strconv.FormatInt(id, 10))))
	b.shot("phone-verify")
	b.do(chromedp.Click(chromedp.ID("verify-"+strconv.FormatInt(id, 10))), chromedp.WaitNotPresent(chromedp.ID("verify-"+strconv.FormatInt(id, 10))))
	b.do(chromedp.EmulateViewport(1280, 900))

	// 6. the dispatcher makes the return visit and closes the case
	b.login("demo.dispatcher")
	b.open(caseURL)
	b.do(chromedp.Click(chromedp.CSS(`input[name="satisfaction"][value="satisfied"]`)), chromedp.Click(chromedp.ID("act-visit")))
	b.waitFor("the visit", `document.body.innerText.includes('回访满意度')`)
	b.act("act-close", domain.StatusClosed)
	if s := b.text(".badges .status"); s != "已结案" {
		t.Errorf("status shows %q", s)
	}
	b.shot("closed")
	c, err := b.svc.Case(ctx, b.users["demo.admin"], id)
	if err != nil || c.Status != domain.StatusClosed || c.Satisfaction != domain.Satisfied || len(c.Summons) != 1 || c.Summons[0].ReportedAt == nil {
		t.Fatalf("case after the lifecycle: %+v, %v", c, err)
	}

	// 7. switching to English keeps the page and changes every label
	switchesToEnglish(b, caseURL)
}

// reportFromPhone reports a case as the grid worker from a 360-px phone with a photo
// and the phone's position in grid, and gives its id.
func reportFromPhone(b *browser, grid domain.Region, matter, photo string) int64 {
	t := b.t
	t.Helper()
	b.login("demo.grid")
	acc := 8.0
	if _, err := chromedp.CallBrowser(b.ctx, cdbrowser.SetPermission, cdbrowser.SetPermissionParams{
		Permission: &cdbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: cdbrowser.PermissionSettingGranted, Origin: b.srv.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: grid.Lat, Longitude: grid.Lon, Accuracy: &acc}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(360, 740))
	b.open("/m")
	b.shot("phone-home")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the phone page is %d px wide on a 360-px screen", w)
	}
	b.do(chromedp.Click(chromedp.ID("tile-report")), chromedp.WaitVisible(chromedp.ID("report-form")))
	b.waitFor("the phone's position", `document.getElementById('lat').value !== ''`)
	b.waitFor("the grid named", `document.getElementById('where').textContent.includes('所在网格')`)
	b.do(
		chromedp.SetValue(chromedp.ID("matter"), matter),
		chromedp.SendKeys(chromedp.ID("title"), "浏览器测试：路面坑洼"),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}),
	)
	b.shot("phone-report")
	b.do(chromedp.Click(chromedp.ID("send")))
	b.waitFor("the new case's page", casePageLoaded)
	id, err := strconv.ParseInt(strings.TrimPrefix(b.location(), "/cases/"), 10, 64)
	if err != nil {
		t.Fatalf("after reporting: %s", b.location())
	}
	b.waitFor("the photo", `document.querySelectorAll('.photos img').length === 1`)
	c, err := b.svc.Case(context.Background(), b.users["demo.admin"], id)
	if err != nil || c.Region != grid.Code && !domain.Within(c.Region, grid.Code) || c.Lat == nil {
		t.Fatalf("reported case %+v: %v", c, err)
	}
	b.shot("phone-reported")
	b.noConsoleErrors()
	b.do(chromedp.EmulateViewport(1280, 900))
	return id
}

// switchesToEnglish switches the closed case's page to English, which keeps the page
// and changes every label, and back.
func switchesToEnglish(b *browser, caseURL string) {
	t := b.t
	t.Helper()
	b.do(chromedp.Click(chromedp.CSS(`button[name="lang"][value="en"]`)))
	b.waitFor("English", `document.documentElement.lang === 'en'`)
	if s := b.text(".badges .status"); s != "Closed" {
		t.Errorf("status in English shows %q", s)
	}
	if b.location() != caseURL {
		t.Errorf("language switch went to %s", b.location())
	}
	if body := eval[string](b, `document.body.innerText`); strings.Contains(body, "已结案") || strings.Contains(body, "办理过程") {
		t.Error("Chinese UI strings left on the English page")
	}
	b.shot("english")
	b.do(chromedp.Click(chromedp.CSS(`button[name="lang"][value="zh-CN"]`)))
	b.waitFor("Chinese", `document.documentElement.lang === 'zh-CN'`)
	b.noConsoleErrors()
}

// TestDashboardInBrowser opens the leader's dashboard and checks every chart drew,
// with no console error, and that a click leads to the cases.
func TestDashboardInBrowser(t *testing.T) {
	b := startBrowser(t, 2000)
	b.login("demo.leader")
	b.open("/dashboard")
	for _, id := range []string{"chart-trend", "chart-region", "chart-org", "chart-heat"} {
		b.waitFor(id, `document.getElementById('`+id+`').getAttribute('data-drawn') === '1' && document.querySelector('#`+id+` canvas') !== null`)
	}
	b.shot("dashboard")
	b.noConsoleErrors()
	b.do(chromedp.Click(chromedp.CSS(`.kpi[href*="overdue=1"]`)), chromedp.WaitVisible(chromedp.CSS("table.cases")))
	if !strings.HasPrefix(b.location(), "/cases?") {
		t.Errorf("the overdue figure led to %s", b.location())
	}
	b.noConsoleErrors()
	// a community's row in the ranking lists its cases, as many as the row counts
	b.open("/dashboard")
	row := `#ranking-regions tbody tr:first-child `
	figure := strings.ReplaceAll(b.text(row+`td:nth-child(3)`), ",", "")
	b.do(chromedp.Click(chromedp.CSS(row+`a`)), chromedp.WaitVisible(chromedp.ID("total")))
	if got := eval[string](b, `document.getElementById('total').dataset.count`); got != figure {
		t.Errorf("the community's figure is %s, its list says %s (%s)", figure, got, b.location())
	}
	b.shot("drilldown")
	// a bar of the regions' chart opens the list of that one community
	b.open("/dashboard")
	b.waitFor("chart-region", `document.getElementById('chart-region').getAttribute('data-drawn') === '1'`)
	b.do(chromedp.Evaluate[chromedp.Void](`void echarts.getInstanceByDom(document.getElementById('chart-region')).trigger('click', {dataIndex: 1})`))
	b.waitFor("the bar's cases", `location.pathname === '/cases'`)
	if q, err := url.ParseQuery(strings.TrimPrefix(b.location(), "/cases?")); err != nil || len(q["region"]) != 1 || len(q["region"][0]) != 12 || len(q["from"]) != 1 || len(q["to"]) != 1 {
		t.Errorf("the bar led to %s", b.location())
	}
	b.noConsoleErrors()
}

// TestEveryRoleInBrowser signs in as each demo role and opens their home page.
func TestEveryRoleInBrowser(t *testing.T) {
	b := startBrowser(t, 200)
	for _, login := range []string{"demo.admin", "demo.leader", "demo.dispatcher", "demo.county", "demo.officer", "demo.grid",
		"demo.building", "demo.volunteer", "demo.liaison", "demo.helper", "demo.inspector", "demo.enterprise", "demo.citizen"} {
		b.login(login)
		b.do(chromedp.WaitVisible(chromedp.CSS("#main h1")))
		if strings.Contains(eval[string](b, `document.body.innerText`), missingMark) {
			t.Errorf("%s: a catalog key is missing on %s", login, b.location())
		}
		b.shot(login)
		b.noConsoleErrors()
	}
}

// TestQueueQuickAcceptInBrowser accepts a case from the dispatcher's queue with htmx:
// the row changes in place, the page does not reload, nothing is logged.
func TestQueueQuickAcceptInBrowser(t *testing.T) {
	b := startBrowser(t, 50)
	c, err := b.svc.File(context.Background(), b.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: "快速受理测试", Region: "431382001001001"})
	if err != nil {
		t.Fatal(err)
	}
	b.login("demo.dispatcher")
	b.open("/dispatch?tab=new")
	b.do(chromedp.Evaluate[chromedp.Void](`window.__samePage = true`))
	b.do(chromedp.Click(chromedp.ID("quick-" + strconv.FormatInt(c.ID, 10))))
	b.waitFor("the accepted row", `[...document.querySelectorAll('#rows tr')].some(r => r.innerText.includes('快速受理测试') && r.innerText.includes('已受理'))`)
	if !eval[bool](b, `window.__samePage === true`) {
		t.Error("the page reloaded")
	}
	b.shot("accepted")
	b.noConsoleErrors()
}
