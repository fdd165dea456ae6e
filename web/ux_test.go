package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
)

// TestHomeIsWhereEachRoleWorksFirst (issue 19): after signing in (at /) each role lands
// where it works first, and that page answers with what the role does there.
func TestHomeIsWhereEachRoleWorksFirst(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	for _, tc := range []struct {
		login, home, want string
	}{
		{"demo.leader", "/dashboard", `page-dashboard`},
		{"demo.dispatcher", "/dispatch", `page-dispatch`},
		{"demo.officer", "/inbox", `page-inbox`},
		{"demo.grid", "/m", `id="tile-report"`},
		{"demo.building", "/m", `id="tile-report"`},
		{"demo.volunteer", "/m", `id="tile-report"`},
		{"demo.helper", "/h", `page-grouphome`},
		{"demo.inspector", "/inspections", `id="scan-button"`},
		{"demo.liaison", "/intake/liaison", `page-liaison`},
		{"demo.enterprise", "/inspections", `page-inspections`},
		{"demo.admin", "/admin", `page-admin`},
		{"demo.auditor", "/audit", `page-audit`},
		{"demo.citizen", "/me", `id="report-button"`},
	} {
		c := s.client()
		c.login(tc.login)
		resp, err := c.http.Get(s.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != tc.home {
			t.Errorf("%s: / answers %d to %q, want %s", tc.login, resp.StatusCode, loc, tc.home)
			continue
		}
		if status, body := c.get(tc.home); status != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %s answers %d without %s", tc.login, tc.home, status, tc.want)
		}
	}
	if got := HomeOf(domain.User{Grants: []domain.Grant{{Role: domain.RoleLeader}, {Role: domain.RoleDispatcher}}}); got != "/dispatch" {
		t.Errorf("a leader who dispatches lands on %s, want the queue first", got)
	}
}

var inspectionCard = regexp.MustCompile(`<section class="card" id="inspection-\d+"`)

// TestInspectorHomeIsPaged: the inspector's home has the scan button on top and shows
// 20 inspections a page with a link to the next, not every inspection at once.
func TestInspectorHomeIsPaged(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	ctx := context.Background()
	admin, inspector := s.users["demo.admin"], s.users["demo.inspector"]
	before, err := s.svc.Inspections(ctx, inspector, domain.InspectionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.svc.Enterprises(ctx, admin, domain.EnterpriseFilter{Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatalf("enterprises: %v", err)
	}
	_, token, err := s.svc.CodeToken(ctx, admin, es[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(before); i < inspectionsPerPage+5; i++ {
		_, err := s.svc.ScanIn(ctx, inspector, domain.ScanIn{Token: token, Kind: fmt.Sprintf("检查%d", i), LegalBasis: "《安全生产法》",
			Items: []string{"台账"}, Inspectors: []domain.Inspector{{Name: "许强", Certificate: "1"}, {Name: "周建平", Certificate: "2"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	total := max(len(before), inspectionsPerPage+5)
	c := s.client()
	c.login("demo.inspector")
	status, body := c.get("/inspections")
	if status != http.StatusOK || !strings.Contains(body, `id="scan-button"`) || !strings.Contains(body, `href="/inspect/scan"`) {
		t.Fatalf("home: %d, no scan button", status)
	}
	if strings.Index(body, `id="scan-button"`) > strings.Index(body, `id="inspection-`) {
		t.Errorf("the scan button comes after the list")
	}
	// the button opens the camera to photograph a code, not a form without one
	if _, scan := c.get("/inspect/scan"); !strings.Contains(scan, `capture="environment" id="scan-photo"`) || strings.Contains(scan, `id="scan-form"`) {
		t.Errorf("the scan page without a code does not ask for the code's photo")
	}
	if n := len(inspectionCard.FindAllString(body, -1)); n != inspectionsPerPage {
		t.Errorf("first page: %d inspections, want %d", n, inspectionsPerPage)
	}
	more := regexp.MustCompile(`href="(/inspections\?after=\d+)" id="inspections-more"`).FindStringSubmatch(body)
	if more == nil {
		t.Fatal("no link to the next page")
	}
	_, body = c.get(strings.ReplaceAll(more[1], "&amp;", "&"))
	if n := len(inspectionCard.FindAllString(body, -1)); n != min(total-inspectionsPerPage, inspectionsPerPage) {
		t.Errorf("second page: %d inspections of %d", n, total)
	}
	if strings.Contains(body, "市场监督管理局") == false || strings.Contains(body, "· LY-SJJ") {
		t.Errorf("the inspecting org is not named by its name")
	}
}

// dispatchedCase files a case in 民光社区 and dispatches it to lead, as pageThings does.
func dispatchedCase(s *site, lead string, co ...string) *domain.Case {
	s.t.Helper()
	c, err := s.svc.File(context.Background(), s.users["demo.citizen"], domain.NewCase{Matter: "SR-001", Title: "民光社区路灯不亮",
		Region: "431382001001001001", Channel: "online", Kind: "request"})
	if err != nil {
		s.t.Fatal(err)
	}
	s.act(s.users["demo.dispatcher"], c.ID, domain.Command{Action: domain.ActAccept})
	if lead != "" {
		s.act(s.users["demo.dispatcher"], c.ID, domain.Command{Action: domain.ActDispatch, Org: lead, CoOrgs: co})
	}
	c, err = s.svc.Case(context.Background(), s.users["demo.dispatcher"], c.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// TestUnreadCountAndFlash: the header's count of unread notices rises when a case is
// whistled to the officer's org, and an action's page says what was done, once.
func TestUnreadCountAndFlash(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	officer := s.client()
	officer.login("demo.officer")
	if _, body := officer.get("/inbox"); !strings.Contains(body, `hx-get="/notices/count"`) {
		t.Fatal("no unread count in the header")
	}
	count := func() int {
		status, body := officer.get("/notices/count")
		if status != http.StatusOK {
			t.Fatalf("count: %d", status)
		}
		n, _ := strconv.Atoi(body) // "" is none
		return n
	}
	was := count()
	c := dispatchedCase(s, "LT-JDB")
	s.act(s.users["demo.dispatcher"], c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-CGJ"}})
	if now := count(); now != was+1 {
		t.Errorf("unread after a whistle to the officer's org: %d, was %d", now, was)
	}

	d := s.client()
	d.login("demo.dispatcher")
	c = dispatchedCase(s, "")
	status, loc, _ := d.post(fmt.Sprintf("/cases/%d/act/dispatch", c.ID), url.Values{"version": {strconv.Itoa(c.Version)}, "org": {"LY-CGJ"}})
	if status != http.StatusSeeOther {
		t.Fatalf("dispatch: %d", status)
	}
	_, body := d.get(loc)
	if want := "已派遣：工单 " + c.Number; !strings.Contains(body, `id="flash">`+want) {
		t.Errorf("no %q after dispatching", want)
	}
	if _, body := d.get(loc); strings.Contains(body, `id="flash"`) {
		t.Errorf("the message shows again on reload")
	}
}

// TestCasePageSaysWhatItMeans: the countdown names its deadline, merging names both
// cases, co-organisations are checkboxes, the whistle list leaves out the lead org,
// photos are captioned by what they prove, and no internal id or code shows.
func TestCasePageSaysWhatItMeans(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	ctx := context.Background()
	d := s.client()
	d.login("demo.dispatcher")
	fresh := dispatchedCase(s, "")
	_, body := d.get(fmt.Sprintf("/cases/%d", fresh.ID))
	if !strings.Contains(body, `<fieldset class="orgs" id="dispatch-co-orgs">`) || !strings.Contains(body, `type="checkbox" name="co_orgs"`) ||
		strings.Contains(body, `name="co_orgs" multiple`) {
		t.Error("co-organisations are not checkboxes")
	}
	if !strings.Contains(body, "把本工单 "+fresh.Number+" 合并到") {
		t.Error("the merge form does not say which case goes where")
	}

	c := dispatchedCase(s, "LY-CGJ", "LY-SJJ")
	_, body = d.get(fmt.Sprintf("/cases/%d", c.ID))
	if !strings.Contains(body, `<span class="due-name">签收期限</span>`) {
		t.Error("the countdown does not say it counts the acknowledge deadline")
	}
	whistle := body[strings.Index(body, `id="form-whistle"`):]
	whistle = whistle[:strings.Index(whistle, "</form>")]
	if strings.Contains(whistle, `value="LY-CGJ"`) || !strings.Contains(whistle, `value="LY-YJJ"`) {
		t.Error("the whistle list offers the lead org, or not the others")
	}
	for _, raw := range []string{"#" + strconv.FormatInt(c.ID, 10), "<small>SR-001</small>", "<small>431382001001001001</small>", "步的照片"} {
		if strings.Contains(body, raw) {
			t.Errorf("the case page shows %q", raw)
		}
	}
	// merging by the case number a person knows
	status, _, _ := d.post(fmt.Sprintf("/cases/%d/act/merge", fresh.ID), url.Values{"version": {strconv.Itoa(fresh.Version)}, "into": {c.Number}})
	if got, err := s.svc.Case(ctx, s.users["demo.dispatcher"], fresh.ID); status != http.StatusSeeOther || err != nil || got.MergedInto != c.ID {
		t.Errorf("merge by number: %d, merged into %d (want %d) %v", status, got.MergedInto, c.ID, err)
	}

	officer := s.users["demo.officer"]
	s.act(officer, c.ID, domain.Command{Action: domain.ActAcknowledge})
	_, body = d.get(fmt.Sprintf("/cases/%d", c.ID))
	if !strings.Contains(body, `<span class="due-name">办结期限</span>`) {
		t.Error("after acknowledging, the countdown does not say it counts the resolve deadline")
	}
	s.act(officer, c.ID, domain.Command{Action: domain.ActResolve, Result: "已更换灯泡"})
	c, _ = s.svc.Case(ctx, officer, c.ID)
	var photo bytes.Buffer
	png.Encode(&photo, image.NewGray(image.Rect(0, 0, 16, 16)))
	if _, err := s.svc.Attach(ctx, officer, c.ID, c.Events[len(c.Events)-1].Seq, "after.png", &photo); err != nil {
		t.Fatal(err)
	}
	_, body = d.get(fmt.Sprintf("/cases/%d", c.ID))
	if !strings.Contains(body, "<figcaption>办结照片</figcaption>") {
		t.Error("the resolution photo is not captioned 办结照片")
	}
	// the grid worker's verify list shows the after-photo beside the result
	g := s.client()
	g.login("demo.grid")
	_, body = g.get("/m/verify")
	at := strings.Index(body, fmt.Sprintf(`id="verify-%d"`, c.ID))
	card := body[max(0, strings.LastIndex(body[:max(at, 0)], `<li class="card">`)):max(at, 0)]
	if at < 0 || !strings.Contains(card, `class="photos after-photos"`) || !strings.Contains(card, "?thumb=1") {
		t.Errorf("the verify list does not show the after-photo (at %d): %s", at, card)
	}
}

// TestCodeLinksFollowTheRule: the QR and poster links show exactly to those
// domain.PrintsCode lets print them, and each of them can follow the link.
func TestCodeLinksFollowTheRule(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	link := regexp.MustCompile(`href="(/enterprises/\d+/code\.png)"`)
	for _, tc := range []struct {
		login string
		links bool
	}{{"demo.admin", true}, {"demo.dispatcher", true}, {"demo.enterprise", true}, {"demo.liaison", true},
		{"demo.leader", false}, {"demo.inspector", false}} {
		c := s.client()
		c.login(tc.login)
		_, body := c.get("/enterprises")
		m := link.FindAllStringSubmatch(body, -1)
		if tc.links != (len(m) > 0) {
			t.Errorf("%s: %d code links", tc.login, len(m))
		}
		for _, l := range m {
			if status, _ := c.get(l[1]); status != http.StatusOK {
				t.Errorf("%s: %s shown, answers %d", tc.login, l[1], status)
			}
		}
		if !tc.links && !strings.Contains(body, "企业码由调度员、企业本身和联企干部打印") {
			t.Errorf("%s: no word on who prints the code", tc.login)
		}
	}
}

// TestPublicFormNamesTheField: a public report missing a field says which one.
func TestPublicFormNamesTheField(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	c := s.client()
	c.get("/public/report")
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"description": {"路灯不亮"}, "region": {"431382001001"}}, "反映事项"},
		{url.Values{"matter": {"SR-001"}, "region": {"431382001001"}}, "问题描述"},
		{url.Values{"matter": {"SR-001"}, "description": {"路灯不亮"}}, "所在社区"},
		{url.Values{"matter": {"SR-001"}, "description": {"路灯不亮"}, "region": {"431382001001"}, "phone": {"12"}}, "联系电话"},
	} {
		status, _, body := c.post("/public/report", tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, `role="alert">`) || !strings.Contains(body[strings.Index(body, `role="alert">`):], tc.want) {
			t.Errorf("%v: %d, the message does not name %s", tc.form, status, tc.want)
		}
	}
	if _, body := c.get("/public/report"); !strings.Contains(body, `<span id="government">涟源市人民政府</span>`) {
		t.Error("the public page does not name the government")
	}
}

var trackLink = regexp.MustCompile(`id="receipt-track-url" class="url">([^<]+)<`)

// TestReceiptLeadsToTracking: the receipt gives the tracking page as a whole address
// (with a QR code of it), and that address shows the case in one state.
func TestReceiptLeadsToTracking(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	c := s.client()
	c.get("/public/report")
	status, _, body := c.post("/public/report", url.Values{"matter": {"SR-001"}, "description": {"民光社区3栋门口路灯不亮"}, "region": {"431382001001"}})
	if status != http.StatusCreated {
		t.Fatalf("report: %d", status)
	}
	m := trackLink.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatal("no tracking address or QR code on the receipt")
	}
	addr := strings.ReplaceAll(m[1], "&amp;", "&")
	if !strings.HasPrefix(addr, s.srv.URL+"/public/track?number=") || !strings.Contains(addr, "&secret=") {
		t.Fatalf("tracking address %q", addr)
	}
	status, body = c.get(strings.TrimPrefix(addr, s.srv.URL))
	if status != http.StatusOK || !strings.Contains(body, `id="track-state"`) {
		t.Fatalf("tracking page: %d", status)
	}
	state := body[strings.Index(body, `id="track-state"`):]
	state = state[:strings.Index(state, "</p>")]
	if strings.Count(state, `class="status`) != 1 || strings.Contains(state, "办理中") && strings.Contains(state, "已上报") {
		t.Errorf("the tracking page shows more than one state: %s", state)
	}
}

// TestSignedInCitizenReportsAsThemself: a citizen's report from /me is theirs: it is
// listed on their home.
func TestSignedInCitizenReportsAsThemself(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.citizen")
	_, form := c.get("/public/report")
	m := regexp.MustCompile(`id="public-report">\s*<input type="hidden" name="_csrf" value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatal("no form token")
	}
	status, _, _ := c.post("/public/report", url.Values{"_csrf": {m[1]}, "matter": {"SR-001"}, "description": {"小区门口井盖松动"}, "region": {"431382001001"}})
	if status != http.StatusCreated {
		t.Fatalf("report: %d", status)
	}
	_, body := c.get("/me")
	if !strings.Contains(body, "小区门口井盖松动") {
		t.Error("the citizen's report is not on their home")
	}
}

// TestGroupPagesShowNamesNotKeys: the key-group pages name things as people do: the
// group by its name (not its slug), its region by name, and a choice as 性别：男, not
// gender=男.
func TestGroupPagesShowNamesNotKeys(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	g := demoGroup(t, s)
	c := s.client()
	c.login("demo.admin")
	for _, path := range []string{"/groups", fmt.Sprintf("/groups/%d", g.ID)} {
		if _, body := c.get(path); strings.Contains(body, ">"+g.Code+"<") || !strings.Contains(body, g.Name) {
			t.Errorf("%s shows the group's slug %s", path, g.Code)
		}
	}
	_, body := c.get(fmt.Sprintf("/groups/%d/stats?among=%s", g.ID, url.QueryEscape("gender=男")))
	if !strings.Contains(body, `<option value="gender=男" selected>性别：男</option>`) || strings.Contains(body, ">gender=男<") {
		t.Error("the among choice shows its key")
	}
	if strings.Contains(body, "gender=男</") || strings.Contains(body, "：gender") {
		t.Error("the note on the chosen subset shows its key")
	}
}
