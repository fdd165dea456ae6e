package web

import (
	"strings"
	"testing"
	"time"
)

// TestStaffingInBrowser: the city's staffing office (officer.ly-bb) opens 蓝田街道党工委
// from the dashboard, lowers its 编外 total from 20 to 19 by service population (the
// figure and the history show it), then is refused a raise to 20: the page names 只减不增
// and the total stays 19.
func TestStaffingInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	b.login("officer.ly-bb")
	b.open("/staffing?region=431382")
	if got := b.text("#staff-units-over"); got != "3" {
		t.Errorf("units over quota on the dashboard: %q", got)
	}
	b.shot("dashboard")
	// the unit's link is followed by the browser driver (open), and every read waits for
	// the page to have loaded: read while a clicked link's page was still loading, the
	// driver lost the page's context now and then
	href := eval[string](b, `[...document.querySelectorAll('#staff-units a')].find(a => a.innerText.startsWith('蓝田街道党工委')).getAttribute('href')`)
	b.open(href)
	b.waitFor("the unit", `document.readyState === 'complete' && (document.getElementById('staff-unit-name') || {}).innerText === '蓝田街道党工委（办事处）'`)
	total := func() string {
		return strings.TrimSpace(eval[string](b, `(document.querySelector('#staff-row-extra .staff-approved') || {}).innerText || ''`))
	}
	if got := total(); got != "20" {
		t.Fatalf("the 编外 total before: %q", got)
	}
	// the form is filled and sent by the page's own script: the driver's node ids went
	// stale across the form's two posts now and then, and the tab then hung
	setTotal := func(v, doc string) {
		eval[bool](b, `(() => {
			const set = (id, v) => { document.getElementById(id).value = v; };
			set('staff-quota-item', 'extra'); set('staff-quota-value', '`+v+`'); set('staff-quota-doc', '`+doc+`');
			set('staff-quota-method', 'population'); set('staff-quota-a', '45000'); set('staff-quota-b', '4.5');
			document.getElementById('staff-quota-save').form.requestSubmit();
			return true;
		})()`)
	}
	setTotal("19", "涟编办〔2026〕7号")
	b.waitFor("the lowered total", `document.readyState === 'complete' && (document.querySelector('#staff-row-extra .staff-approved') || {}).innerText === '19'`)
	if !strings.Contains(b.text("#staff-quotas"), "涟编办〔2026〕7号") {
		t.Error("the history does not show the change's document")
	}
	b.shot("lowered")
	setTotal("20", "涟编办〔2026〕8号")
	// refused on the unit's page itself, the figures beside the reason
	b.waitFor("the refusal", `document.readyState === 'complete' && ((document.querySelector('.flash.error') || {}).innerText || '').includes('只减不增') && !!document.querySelector('#staff-row-extra')`)
	if got := total(); got != "19" {
		t.Errorf("the total shown with the refusal: %q", got)
	}
	b.shot("refused")
	b.forget("status of 409")
	b.open("/staffing/units/1")
	if got := total(); got != "19" {
		t.Errorf("the total after the refused raise: %q", got)
	}
	// the demo's survey round: one finding went on its rectification list
	b.open("/staffing/surveys/1")
	if got := eval[int](b, `document.querySelectorAll('#staff-findings a[href^="/rectification/items/"]').length`); got != 1 {
		t.Errorf("findings with a rectification item: %d", got)
	}
	b.shot("survey")
	b.noConsoleErrors()
}

// forget drops the browser's log lines holding s: the answer a refused form gets on
// purpose (the page shows why).
func (b *browser) forget(s string) {
	time.Sleep(200 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	kept := b.console[:0]
	for _, e := range b.console {
		if !strings.Contains(e, s) {
			kept = append(kept, e)
		}
	}
	b.console = kept
}
