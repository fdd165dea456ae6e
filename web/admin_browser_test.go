package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/domain"
)

// TestAdminPickersInBrowser: an administrator edits a user's roles by clicking (adds a
// row, picks its role from the list and its region by searching, adds another whose
// region comes from the tree opened level by level, removes the old row) and a month of
// the working-day calendar by clicking days; both are saved, as the service reads back.
func TestAdminPickersInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	b.do(chromedp.EmulateViewport(1366, 900))
	b.login("demo.admin")
	admin := b.users["demo.admin"]
	u, err := b.svc.UserByLogin(ctx, admin, "demo.volunteer")
	if err != nil {
		t.Fatal(err)
	}
	b.open(fmt.Sprintf("/admin/users/%d", u.ID))
	last := `#grant-rows .grant-row:last-child `
	// a grid worker's grant, its region found by the search box
	b.do(
		chromedp.Click(chromedp.ID("add-grant")),
		chromedp.SetValue(chromedp.CSS(last+`select[name="role"]`), "grid_worker"),
		chromedp.Click(chromedp.CSS(last+`.pick-region`)),
		chromedp.WaitVisible(chromedp.ID("region-search")),
		chromedp.SendKeys(chromedp.ID("region-search"), "民光社区第2"),
		chromedp.WaitVisible(chromedp.CSS(`#region-hits .choose[data-code="431382001001002"]`)),
	)
	b.shot("region-search")
	b.do(chromedp.Click(chromedp.CSS(`#region-hits .choose[data-code="431382001001002"]`)))
	if got := b.text(last + ".region-name"); got != "民光社区第2网格" {
		t.Errorf("the picked region shows %q", got)
	}
	// a leader's grant, its region opened in the tree: 湖南省 ▸ 娄底市 ▸ 涟源市 ▸ 蓝田街道
	b.do(
		chromedp.Click(chromedp.ID("add-grant")),
		chromedp.SetValue(chromedp.CSS(last+`select[name="role"]`), "leader"),
		chromedp.Click(chromedp.CSS(last+`.pick-region`)),
		chromedp.WaitVisible(chromedp.CSS(`#region-tree li[data-code="43"] > .expand`)),
	)
	for _, code := range []string{"43", "4313", "431382"} {
		b.do(chromedp.Click(chromedp.CSS(`#region-tree li[data-code="`+code+`"] > .expand`)), chromedp.WaitVisible(chromedp.CSS(`#region-tree li[data-code="`+code+`"] > ul > li`)))
	}
	b.shot("region-tree")
	b.do(chromedp.Click(chromedp.CSS(`#region-tree .choose[data-code="431382001"]`)))
	// the volunteer's old row goes
	b.do(chromedp.Click(chromedp.CSS(`#grant-rows .grant-row:first-child .remove-grant`)))
	if n := eval[int](b, `document.querySelectorAll("#grant-rows .grant-row").length`); n != 2 {
		t.Fatalf("%d role rows after adding two and removing one", n)
	}
	b.shot("user-roles")
	b.do(chromedp.Click(chromedp.ID("save-user")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	after, err := b.svc.User(ctx, admin, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Grant{{Role: domain.RoleGridWorker, Region: "431382001001002"}, {Role: domain.RoleLeader, Region: "431382001"}}
	if !slices.Equal(after.Grants, want) {
		t.Errorf("saved grants %+v, want %+v", after.Grants, want)
	}
	if got := eval[string](b, `document.querySelector("#grant-rows .grant-row:first-child select[name=role]").selectedOptions[0].textContent`); got != "网格员" {
		t.Errorf("after the reload the first row's role reads %q", got)
	}
	b.shot("user-saved")

	// February 2027: the 11th (a Thursday) off, Sunday the 7th worked, the 8th clicked
	// twice and so back to ordinary
	b.open("/admin/calendar?year=2027&month=2")
	day := func(d string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`.daybtn[data-date="` + d + `"]`))
	}
	b.do(day("2027-02-11"), day("2027-02-07"), day("2027-02-08"), day("2027-02-08"))
	if got := b.text(`.daybtn[data-date="2027-02-07"] .dkind`); got != "调休上班" {
		t.Errorf("a clicked Sunday reads %q", got)
	}
	b.shot("calendar-clicked")
	b.do(chromedp.Click(chromedp.ID("save-calendar")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	y, err := b.svc.CalendarYear(ctx, 2027)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.DayKind{}
	for _, d := range y.Days {
		got[d.Date] = d.Kind
	}
	if len(got) != 2 || got["2027-02-11"] != domain.Holiday || got["2027-02-07"] != domain.Workday {
		t.Errorf("saved February: %+v", y.Days)
	}
	if !strings.Contains(b.text("#month-title"), "2027年2月") || !strings.Contains(eval[string](b, `document.querySelector('.daybtn[data-date="2027-02-11"]').parentNode.className`), "day-holiday") {
		t.Errorf("after saving the page shows another month or lost the holiday")
	}
	b.shot("calendar-saved")
	b.do(chromedp.Click(chromedp.ID("next-month")), chromedp.WaitVisible(chromedp.CSS(`.daybtn[data-date="2027-03-01"]`)))
	if got := b.text("#month-title"); got != "2027年3月" {
		t.Errorf("next month reads %q", got)
	}
	b.noConsoleErrors()
}
