package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/sheets"
)

// TestBulkDispatchPage: the queue's bulk form dispatches the ticked cases it may and
// names the one it may not (changed since its row was shown), and refuses a dispatch
// without a lead org or with nothing ticked, naming what is missing.
func TestBulkDispatchPage(t *testing.T) {
	s := newSite(t, 0)
	ctx := t.Context()
	c := s.client()
	c.login("demo.dispatcher")
	var ids []string
	var cases []*domain.Case
	for _, title := range []string{"批量一", "批量二", "批量三"} {
		k, err := s.svc.File(ctx, s.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: title, Region: "431382001001001"})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, k)
		ids = append(ids, strconv.FormatInt(k.ID, 10)+":"+strconv.Itoa(k.Version))
	}
	ids[1] = strconv.FormatInt(cases[1].ID, 10) + ":7" // a version the row never showed
	status, _, body := c.post("/dispatch/bulk", url.Values{"tab": {"new"}, "action": {"dispatch"}, "org": {"LY-CGJ"}, "id": ids})
	if status != http.StatusOK || !strings.Contains(body, `id="bulk-result"`) || !strings.Contains(body, "已办理 2 件") ||
		!strings.Contains(body, `data-case="`+strconv.FormatInt(cases[1].ID, 10)+`"`) || !strings.Contains(body, cases[1].Number) {
		t.Errorf("the bulk dispatch: %d %.2000s", status, body)
	}
	for i, k := range cases {
		got, err := s.svc.Case(ctx, s.users["demo.dispatcher"], k.ID)
		if want := map[bool]domain.Status{true: domain.StatusReported, false: domain.StatusDispatched}[i == 1]; err != nil || got.Status != want {
			t.Errorf("%s: %s %v, want %s", k.Title, got.Status, err, want)
		}
	}
	if status, _, body := c.post("/dispatch/bulk", url.Values{"tab": {"new"}, "action": {"dispatch"}, "id": ids[1:2]}); status != http.StatusBadRequest || !strings.Contains(body, "请选择牵头单位") {
		t.Errorf("a dispatch without an org: %d", status)
	}
	if status, _, body := c.post("/dispatch/bulk", url.Values{"tab": {"new"}, "action": {"accept"}}); status != http.StatusBadRequest || !strings.Contains(body, "请先勾选") {
		t.Errorf("nothing ticked: %d", status)
	}
}

// workbook reads the first sheet of an XLSX download.
func workbook(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	status, body := c.get(path)
	rows, err := sheets.ReadFirst(bytes.NewReader([]byte(body)), false)
	if status != http.StatusOK || err != nil || len(rows) == 0 {
		t.Fatalf("%s: %d %v", path, status, err)
	}
	return rows
}

// TestListExportsKeepTheirFilters: each list's Excel link holds what the list shows
// with its filters: the case list as many rows as its total, every one of the region
// and status asked; a queue tab its cases; the inbox its tab.
func TestListExportsKeepTheirFilters(t *testing.T) {
	s := newSite(t, 300)
	leader := s.client()
	leader.login("demo.leader")
	_, page := leader.get("/cases?region=431382001001&status=closed&from=2025-04&to=2026-03")
	total, err := strconv.Atoi(regexpFind(page, `data-count="(\d+)"`))
	if err != nil || total == 0 {
		t.Fatalf("the list's total: %v", err)
	}
	rows := workbook(t, leader, hrefOf(t, page, "list-xlsx"))
	if len(rows)-1 != total {
		t.Errorf("the export holds %d cases, the list says %d", len(rows)-1, total)
	}
	for _, r := range rows[1:] {
		if r[4] != "已结案" {
			t.Errorf("a row not of the filter: %q", r)
		}
	}
	dispatcher := s.client()
	dispatcher.login("demo.dispatcher")
	for _, tab := range []string{"new", "accepted", "visits"} {
		_, page := dispatcher.get("/dispatch?tab=" + tab)
		want := regexpFind(page, `data-tab="`+tab+`">([\d,]+)`)
		rows := workbook(t, dispatcher, hrefOf(t, page, "list-xlsx"))
		if strconv.Itoa(len(rows)-1) != strings.ReplaceAll(want, ",", "") {
			t.Errorf("tab %s: %d rows exported, the tab counts %s", tab, len(rows)-1, want)
		}
	}
	// the enterprises: all, then a search, each exported as listed
	admin := s.client()
	admin.login("demo.admin")
	_, page = admin.get("/enterprises")
	all, _ := strconv.Atoi(regexpFind(page, `id="total" data-count="(\d+)"`))
	name := regexpFind(page, `<tbody><tr><td>([^<]+)</td>`)
	if all < 2 || name == "" {
		t.Fatalf("the enterprises: %d, first %q", all, name)
	}
	if rows := workbook(t, admin, hrefOf(t, page, "list-xlsx")); len(rows)-1 != all {
		t.Errorf("enterprises: %d exported, %d listed", len(rows)-1, all)
	}
	_, page = admin.get("/enterprises?q=" + url.QueryEscape(name))
	found, _ := strconv.Atoi(regexpFind(page, `id="total" data-count="(\d+)"`))
	rows = workbook(t, admin, hrefOf(t, page, "list-xlsx"))
	if found < 1 || found >= all || len(rows)-1 != found || rows[1][0] != name {
		t.Errorf("enterprises named %q: %d found of %d, exported %q", name, found, all, rows)
	}
	officer := s.client()
	officer.login("demo.officer")
	_, page = officer.get("/inbox?tab=working")
	want := regexpFind(page, `data-tab="working">([\d,]+)`)
	rows = workbook(t, officer, hrefOf(t, page, "list-xlsx"))
	if strconv.Itoa(len(rows)-1) != want {
		t.Errorf("the inbox: %d rows exported, the tab counts %s", len(rows)-1, want)
	}
}

// regexpFind is the first group of pattern's first match in s ("" for none).
func regexpFind(s, pattern string) string {
	if m := regexp.MustCompile(pattern).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// TestCaseSheet: the routing sheet of a case carries its facts and every event of its
// timeline, in order, and is linked from the case page; outside the reader's scope the
// case does not exist.
func TestCaseSheet(t *testing.T) {
	s := newSite(t, 0)
	ctx := t.Context()
	k, err := s.svc.File(ctx, s.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: "流转单测试", Region: "431382001001001", Address: "民光路 8 号"})
	if err != nil {
		t.Fatal(err)
	}
	disp := s.users["demo.dispatcher"]
	k, _ = s.svc.Act(ctx, disp, k.ID, domain.Command{Action: domain.ActAccept, Version: k.Version})
	if _, err := s.svc.Act(ctx, disp, k.ID, domain.Command{Action: domain.ActDispatch, Version: k.Version, Org: "LY-CGJ", Note: "请尽快处理"}); err != nil {
		t.Fatal(err)
	}
	c := s.client()
	c.login("demo.dispatcher")
	_, page := c.get("/cases/" + strconv.FormatInt(k.ID, 10))
	if !strings.Contains(page, `href="/cases/`+strconv.FormatInt(k.ID, 10)+`/sheet"`) {
		t.Error("the case page does not link its routing sheet")
	}
	status, sheet := c.get("/cases/" + strconv.FormatInt(k.ID, 10) + "/sheet")
	if status != http.StatusOK {
		t.Fatalf("the sheet: %d", status)
	}
	timeline := sheet[strings.Index(sheet, `id="sheet-timeline"`):]
	rows := strings.Count(timeline, "<tr>") - 1 // the headings' row
	for _, want := range []string{k.Number, "流转单测试", "民光路 8 号", "工单流转单"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	if rows != 3 || !strings.Contains(timeline, "请尽快处理") || strings.Index(timeline, "受理") > strings.Index(timeline, "派遣") {
		t.Errorf("the timeline: %d rows %.1500s", rows, timeline)
	}
	other := s.client()
	other.login("demo.other")
	if status, _ := other.get("/cases/" + strconv.FormatInt(k.ID, 10) + "/sheet"); status != http.StatusNotFound {
		t.Errorf("another street's dispatcher: %d", status)
	}
}
