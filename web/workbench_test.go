package web

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
)

// postMultipart sends a multipart form with one photo per photos entry.
func (c *client) postMultipart(path string, fields map[string]string, photos [][]byte, accept string) (int, string, string) {
	c.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.WriteField("_csrf", c.csrf)
	for i, p := range photos {
		fw, _ := mw.CreateFormFile("photos", "p"+strconv.Itoa(i)+".jpg")
		fw.Write(p)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.s.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func jpegBytes(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var caseHref = regexp.MustCompile(`/cases/(\d+)`)

// TestPhoneReportIsFiledOnce files a phone report twice with the same key, as the
// outbox does after a lost answer: one case, with its photo.
func TestPhoneReportIsFiledOnce(t *testing.T) {
	s := newSite(t, 0)
	filesInTemp(t, s.svc)
	c := s.client()
	c.login("demo.grid")
	if status, body := c.get("/m/report"); status != http.StatusOK || !strings.Contains(body, `capture="environment"`) {
		t.Fatalf("report form: %d", status)
	}
	if status, body := c.get("/m/locate?lat=27.701667&lon=111.6515"); status != http.StatusOK || !strings.HasPrefix(body, "所在网格：") {
		t.Errorf("locate: %d %q", status, body)
	}
	if status, _ := c.get("/m/locate?lat=north&lon=1"); status != http.StatusBadRequest {
		t.Errorf("locate with a bad position: %d", status)
	}
	fields := map[string]string{"key": "phone-key-0001", "matter": "AQ-001", "title": "楼道堆放杂物", "kind": "hazard", "lat": "27.701667", "lon": "111.6515"}
	status, _, body := c.postMultipart("/m/report", fields, [][]byte{jpegBytes(t)}, "application/json")
	if status != http.StatusCreated {
		t.Fatalf("report: %d %s", status, body)
	}
	first := caseHref.FindString(body)
	status, _, body = c.postMultipart("/m/report", fields, [][]byte{jpegBytes(t)}, "application/json")
	if status != http.StatusOK || caseHref.FindString(body) != first {
		t.Fatalf("resend: %d %s (first %s)", status, body, first)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(first, "/cases/"), 10, 64)
	grid := s.users["demo.grid"]
	mine, err := s.svc.MyReports(t.Context(), grid, 0, 10)
	if err != nil || len(mine) != 1 || mine[0].ID != id || mine[0].Channel != "grid_patrol" || mine[0].Kind != "hazard" {
		t.Fatalf("my reports: %+v %v", mine, err)
	}
	files, err := s.svc.Attachments(t.Context(), grid, id)
	if err != nil || len(files) != 1 {
		t.Fatalf("photos: %+v %v", files, err)
	}
	// the photo is served to whoever may see the case, and to no one else
	if status, _ := c.get("/files/" + strconv.FormatInt(files[0].ID, 10)); status != http.StatusOK {
		t.Errorf("photo: %d", status)
	}
	other := s.client()
	other.login("demo.other")
	if status, _ := other.get("/files/" + strconv.FormatInt(files[0].ID, 10)); status != http.StatusNotFound {
		t.Errorf("photo for another street's dispatcher: %d", status)
	}
	// a form that is not a photo, or lacks a title, is refused and files nothing
	fields["key"], fields["title"] = "phone-key-0002", ""
	if status, _, body := c.postMultipart("/m/report", fields, nil, ""); status != http.StatusBadRequest || !strings.Contains(body, "请填写标题") {
		t.Errorf("no title: %d", status)
	}
	fields["title"] = "x"
	if status, _, _ := c.postMultipart("/m/report", fields, [][]byte{[]byte("<html>not a photo</html>")}, ""); status != http.StatusBadRequest {
		t.Errorf("not a photo: %d", status)
	}
	if mine, _ := s.svc.MyReports(t.Context(), grid, 0, 10); len(mine) != 1 {
		t.Errorf("refused reports filed cases: %d", len(mine))
	}
	_, body = c.get("/m/reports")
	if !strings.Contains(body, "楼道堆放杂物") {
		t.Error("my reports page misses the report")
	}
}

// TestWorkbenchActions takes a case through the officer's return, the dispatcher's
// queues, an extension request and its approval, and the likely duplicates, over
// plain HTTP forms.
func TestWorkbenchActions(t *testing.T) {
	s := newSite(t, 0)
	ctx := t.Context()
	grid := s.users["demo.grid"]
	file := func(title string) *domain.Case {
		c, err := s.svc.File(ctx, grid, domain.NewCase{Matter: "SR-001", Title: title, Region: "431382001001001", Channel: "grid_patrol"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1, c2 := file("路灯不亮"), file("路灯又坏了")
	m, _ := s.svc.Matter(ctx, "SR-001")
	lead := m.LeadOrgFor(c1.Region)
	d := s.client()
	d.login("demo.dispatcher")
	_, body := d.get("/dispatch")
	if !strings.Contains(body, "/cases/"+strconv.FormatInt(c1.ID, 10)) || !strings.Contains(body, `data-tab="new">2<`) {
		t.Fatal("new cases are not in the queue with their count")
	}
	// the second report shows the first as a likely duplicate
	_, body = d.get("/cases/" + strconv.FormatInt(c2.ID, 10))
	if !strings.Contains(body, "疑似重复工单") || !strings.Contains(body, c1.Number) {
		t.Error("likely duplicate not shown")
	}
	act := func(cl *client, id int64, action string, form url.Values) (int, string) {
		t.Helper()
		c, err := s.svc.Case(ctx, s.users["demo.admin"], id)
		if err != nil {
			t.Fatal(err)
		}
		form.Set("version", strconv.Itoa(c.Version))
		status, _, body := cl.post("/cases/"+strconv.FormatInt(id, 10)+"/act/"+action, form)
		return status, body
	}
	if status, body := act(d, c1.ID, "dispatch", url.Values{"org": {lead}}); status != http.StatusSeeOther {
		t.Fatalf("dispatch: %d %s", status, body)
	}
	o := s.client()
	o.login("officer." + lead)
	_, body = o.get("/inbox")
	if !strings.Contains(body, "/cases/"+strconv.FormatInt(c1.ID, 10)) || !strings.Contains(body, "剩余") {
		t.Fatal("dispatched case not in the lead org's inbox with a countdown")
	}
	// the dispatch told the lead org's officers
	_, body = o.get("/notices")
	if !strings.Contains(body, `href="/cases/`+strconv.FormatInt(c1.ID, 10)+`"`) {
		t.Error("the officer's notices do not link the dispatched case")
	}
	// a return needs a reason, said in the user's language
	if status, body := act(o, c1.ID, "return", url.Values{}); status != http.StatusBadRequest || !strings.Contains(body, "请填写理由") {
		t.Fatalf("return without reason: %d", status)
	}
	if status, _ := act(o, c1.ID, "return", url.Values{"reason": {"不属于本单位职责"}}); status != http.StatusSeeOther {
		t.Fatalf("return: %d", status)
	}
	_, body = d.get("/dispatch?tab=returned")
	if !strings.Contains(body, "/cases/"+strconv.FormatInt(c1.ID, 10)) {
		t.Fatal("returned case not in the returned tab")
	}
	// dispatched again, acknowledged, then the officer asks for more time
	act(d, c1.ID, "dispatch", url.Values{"org": {lead}})
	if status, _ := act(o, c1.ID, "acknowledge", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", status)
	}
	if status, body := act(o, c1.ID, "extend", url.Values{"working_days": {"3"}, "reason": {"需要采购灯具"}}); status != http.StatusSeeOther {
		t.Fatalf("extension request: %d %s", status, body)
	}
	_, body = d.get("/dispatch?tab=extensions")
	if !strings.Contains(body, "/cases/"+strconv.FormatInt(c1.ID, 10)) || !strings.Contains(body, `data-tab="extensions">1<`) {
		t.Fatal("extension request not in the dispatcher's queue")
	}
	before, _ := s.svc.Case(ctx, s.users["demo.admin"], c1.ID)
	if status, body := act(d, c1.ID, "extend", url.Values{"approve": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("approve extension: %d %s", status, body)
	}
	after, _ := s.svc.Case(ctx, s.users["demo.admin"], c1.ID)
	if after.Extension != nil || !after.ResolveDue.After(*before.ResolveDue) {
		t.Fatalf("extension not approved: %+v", after)
	}
	// a stale version is refused with a clear message and changes nothing
	status, _, body := d.post("/cases/"+strconv.FormatInt(c1.ID, 10)+"/act/comment", url.Values{"version": {"1"}, "note": {"x"}})
	if status != http.StatusConflict || !strings.Contains(body, "已被他人更新") {
		t.Fatalf("stale: %d", status)
	}
	// merge the second report into the first from the duplicates list
	if status, _ := act(d, c2.ID, "merge", url.Values{"into": {strconv.FormatInt(c1.ID, 10)}}); status != http.StatusSeeOther {
		t.Fatalf("merge: %d", status)
	}
	if c, _ := s.svc.Case(ctx, s.users["demo.admin"], c2.ID); c.Status != domain.StatusMerged || c.MergedInto != c1.ID {
		t.Fatalf("merged case %+v", c)
	}
	htmxFragmentAndHeader(t, s, d, c1.ID)
}

// htmxFragmentAndHeader checks that htmx gets the queue's fragment and writes with the
// CSRF token in its header.
func htmxFragmentAndHeader(t *testing.T, s *site, d *client, id int64) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.srv.URL+"/dispatch?tab=returned", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := d.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(frag), "<html") || !strings.Contains(string(frag), `class="tabs"`) {
		t.Error("htmx request did not get the fragment")
	}
	now, _ := s.svc.Case(t.Context(), s.users["demo.admin"], id)
	req, _ = http.NewRequest("POST", s.srv.URL+"/cases/"+strconv.FormatInt(id, 10)+"/act/comment",
		strings.NewReader(url.Values{"version": {strconv.Itoa(now.Version)}, "note": {"电话已联系"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", d.csrf)
	resp, err = d.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("comment with the CSRF header: %d", resp.StatusCode)
	}
}

// TestQuickAcceptFromTheQueue accepts a new case from its queue row, as htmx does, and
// gets the row back; a second try with the old version gets the row with the reason.
func TestQuickAcceptFromTheQueue(t *testing.T) {
	s := newSite(t, 0)
	c, err := s.svc.File(t.Context(), s.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: "垃圾桶满溢", Region: "431382001001001"})
	if err != nil {
		t.Fatal(err)
	}
	d := s.client()
	d.login("demo.dispatcher")
	_, body := d.get("/dispatch?tab=new")
	if !strings.Contains(body, `id="quick-`+strconv.FormatInt(c.ID, 10)+`"`) {
		t.Fatal("no quick accept on the new case's row")
	}
	post := func() (int, string) {
		form := url.Values{"version": {strconv.Itoa(c.Version)}, "row": {"1"}}
		req, _ := http.NewRequest("POST", s.srv.URL+"/cases/"+strconv.FormatInt(c.ID, 10)+"/act/accept", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", d.csrf)
		resp, err := d.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, row := post()
	if status != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(row), "<tr") || !strings.Contains(row, "已受理") {
		t.Fatalf("quick accept: %d %s", status, row)
	}
	if got, _ := s.svc.Case(t.Context(), s.users["demo.admin"], c.ID); got.Status != domain.StatusAccepted {
		t.Fatalf("status %s", got.Status)
	}
	status, row = post()
	if status != http.StatusConflict || !strings.Contains(row, "已被他人更新") || strings.Contains(row, "<html") {
		t.Fatalf("second accept: %d %s", status, row)
	}
}

// TestSearch finds a case by its number (straight to the case) and by words, within
// the user's scope only.
func TestSearch(t *testing.T) {
	s := newSite(t, 100)
	c, err := s.svc.File(t.Context(), s.users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: "独一无二的搜索词", Region: "431382001001001"})
	if err != nil {
		t.Fatal(err)
	}
	d := s.client()
	d.login("demo.dispatcher")
	status, loc, _ := func() (int, string, string) {
		resp, err := d.http.Get(s.srv.URL + "/cases?q=" + url.QueryEscape(c.Number))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location"), ""
	}()
	if status != http.StatusSeeOther || loc != "/cases/"+strconv.FormatInt(c.ID, 10) {
		t.Fatalf("number search: %d %s", status, loc)
	}
	_, body := d.get("/cases?q=" + url.QueryEscape("无二的搜索"))
	if !strings.Contains(body, `href="/cases/`+strconv.FormatInt(c.ID, 10)+`"`) {
		t.Fatal("word search misses the case")
	}
	o := s.client()
	o.login("demo.other")
	if status, _ := o.get("/cases?q=" + url.QueryEscape(c.Number)); status != http.StatusOK {
		t.Fatalf("another street's number: %d", status)
	}
	if _, body := o.get("/cases?q=" + url.QueryEscape("独一无二")); strings.Contains(body, `href="/cases/`+strconv.FormatInt(c.ID, 10)+`"`) {
		t.Fatal("another street's dispatcher finds the case by words")
	}
}
