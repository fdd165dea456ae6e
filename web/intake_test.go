package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"whistle/service"
	"whistle/whistletest"
)

var (
	receiptNumber = regexp.MustCompile(`id="receipt-number">([^<]+)<`)
	receiptSecret = regexp.MustCompile(`id="receipt-secret">([^<]+)<`)
)

// filesInTemp keeps a test's attachments in its temporary folder (on PostgreSQL the
// store's default is the working directory).
func filesInTemp(t *testing.T, svc *service.Service) {
	if err := whistletest.StoreOf(svc).PutSetting(t.Context(), service.FilesDirSetting, t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

func TestIntakePages(t *testing.T) {
	s := newSite(t, 0)
	filesInTemp(t, s.svc)

	// the call-taker: matter search, then a hotline case opens its case page
	c := s.client()
	c.login("demo.dispatcher")
	if status, body := c.get("/intake/hotline"); status != 200 || !strings.Contains(body, `name="caller_phone"`) {
		t.Fatalf("hotline form: %d", status)
	}
	if status, body := c.get("/intake/matters?q=" + url.QueryEscape("垃圾")); status != 200 || !strings.Contains(body, "SR-001") || strings.Contains(body, "<html") {
		t.Fatalf("matter search fragment: %d %.200s", status, body)
	}
	c.get("/intake/hotline")
	form := url.Values{"caller_phone": {"13800002222"}, "recording": {"REC-1"}, "matter": {"SR-001"}, "description": {"民光社区门口垃圾堆积"},
		"region": {"431382001001"}}
	status, loc, body := c.post("/intake/hotline", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("hotline filing: %d %q %.300s", status, loc, body)
	}
	c.get("/intake/hotline")
	form.Del("caller_phone")
	if status, _, body := c.post("/intake/hotline", form); status != 400 || !strings.Contains(body, "role=\"alert\"") {
		t.Fatalf("hotline without the caller's number: %d", status)
	}

	// the 办不成事 window prints a receipt; the public page follows it by number and secret
	c.get("/intake/window")
	status, _, body = c.post("/intake/window", url.Values{"channel": {"cannot_do_window"}, "window": {"LT-BC"}, "matter": {"SR-001"},
		"description": {"证明开不出来，跑了三趟"}, "region": {"431382001001"}, "name": {"王五"}, "phone": {"13800003333"}})
	num, sec := receiptNumber.FindStringSubmatch(body), receiptSecret.FindStringSubmatch(body)
	if status != http.StatusCreated || num == nil || sec == nil || !strings.Contains(body, "领导督办") {
		t.Fatalf("window receipt: %d %.500s", status, body)
	}
	// the receipt as a PDF, for the number and secret it was given
	status, _, doc := c.post("/receipt.pdf", url.Values{"number": {num[1]}, "secret": {sec[1]}})
	if haveFont(t) && (status != 200 || !strings.HasPrefix(doc, "%PDF-")) {
		t.Fatalf("PDF receipt: %d %.100s", status, doc)
	}
	if status, _, _ := c.post("/receipt.pdf", url.Values{"number": {num[1]}, "secret": {"WRONGONE"}}); status != 404 {
		t.Fatalf("PDF receipt with a wrong secret: %d", status)
	}
	p := s.client()
	p.get("/public/track")
	status, _, body = p.post("/public/track", url.Values{"number": {num[1]}, "secret": {sec[1]}})
	if status != 200 || !strings.Contains(body, num[1]) || strings.Contains(body, "13800003333") || strings.Contains(body, "王五") {
		t.Fatalf("track: %d %.400s", status, body)
	}
	p.get("/public/track")
	if status, _, _ := p.post("/public/track", url.Values{"number": {num[1]}, "secret": {"WRONGWRONG"}}); status != 404 {
		t.Fatalf("track with a wrong secret: %d", status)
	}
	if status, _, _ := p.post("/public/track", url.Values{"_csrf": {"forged"}, "number": {num[1]}, "secret": {sec[1]}}); status != 403 {
		t.Fatalf("track with a forged token: %d", status)
	}

	// the public page files without login and answers a receipt
	if status, body := p.get("/public/report"); status != 200 || !strings.Contains(body, "SR-001") {
		t.Fatalf("public form: %d", status)
	}
	status, _, body = p.post("/public/report", url.Values{"matter": {"SR-001"}, "description": {"路口垃圾桶满了"}, "region": {"431382001001"}})
	if status != http.StatusCreated || receiptSecret.FindStringSubmatch(body) == nil {
		t.Fatalf("public report: %d %.400s", status, body)
	}
	p.get("/public/report")
	if status, _, _ := p.post("/public/report", url.Values{"matter": {"NOT-PUBLIC"}, "description": {"x"}, "region": {"431382001001"}}); status != 400 {
		t.Fatalf("public report of an unknown matter: %d", status)
	}

	// client apps: administrators register one and see its key once
	a := s.client()
	a.login("demo.admin")
	a.get("/admin/open311")
	status, _, body = a.post("/admin/open311/clients", url.Values{"name": {"随手拍"}})
	if status != http.StatusCreated || !regexp.MustCompile(`<code id="new-key">[A-Za-z0-9_-]{40,}</code>`).MatchString(body) {
		t.Fatalf("register client app: %d %.300s", status, body)
	}
	if status, body := a.get("/admin/open311"); status != 200 || strings.Contains(body, "new-key") || !strings.Contains(body, "随手拍") {
		t.Fatalf("client list shows a key again: %d", status)
	}
	if status, _ := c.get("/admin/open311"); status != 403 {
		t.Fatalf("a dispatcher opened the client apps page: %d", status)
	}
}

func TestLiaisonPage(t *testing.T) {
	s := newSite(t, 0)
	filesInTemp(t, s.svc)
	c := s.client()
	c.login("demo.liaison")
	status, body := c.get("/intake/liaison")
	if status != 200 || !strings.Contains(body, "91431382MA4L0DEMO1") {
		t.Fatalf("liaison form: %d", status)
	}
	form := url.Values{"enterprise": {"91431382MA4L0DEMO1"}, "matter": {"SR-001"}, "description": {"厂区门口道路积水"}, "region": {"431382001001"}}
	status, loc, body := c.post("/intake/liaison", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("liaison filing: %d %q %.300s", status, loc, body)
	}
	c.get("/intake/liaison")
	form.Set("enterprise", "91430000NOTLINKED")
	if status, _, _ := c.post("/intake/liaison", form); status != http.StatusForbidden {
		t.Fatalf("filing for an enterprise not linked: %d", status)
	}
	d := s.client()
	d.login("demo.dispatcher")
	if status, _ := d.get("/intake/liaison"); status != http.StatusForbidden {
		t.Fatalf("a dispatcher opened the liaison form: %d", status)
	}
}
