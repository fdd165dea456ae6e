package open311_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/open311"
	"whistle/service"
	"whistle/whistletest"
)

type fixture struct {
	t     *testing.T
	svc   *service.Service
	users demo.Users
	clock *whistletest.Clock
	srv   *httptest.Server
	key   string
}

func setup(t *testing.T) *fixture {
	t.Helper()
	svc, users, clock := whistletest.Demo(t, 0)
	ctx := context.Background()
	if err := whistletest.StoreOf(svc).PutSetting(ctx, service.FilesDirSetting, t.TempDir()); err != nil { // not the working directory on PostgreSQL
		t.Fatal(err)
	}
	_, key, err := svc.AddClient(ctx, users["demo.admin"], "conformance", false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.SetMatterAttributes(ctx, users["demo.admin"], "SR-001", []domain.MatterAttribute{
		{Code: "size", Variable: true, Datatype: domain.AttrSingleValueList, Required: true, Order: 1, Description: "垃圾量",
			Values: []domain.AttrValue{{Key: "small", Name: "少量"}, {Key: "large", Name: "大量"}}},
		{Code: "bags", Variable: true, Datatype: domain.AttrNumber, Order: 2, Description: "袋数"},
		{Code: "kinds", Variable: true, Datatype: domain.AttrMultiValueList, Order: 3, Description: "种类",
			Values: []domain.AttrValue{{Key: "food", Name: "厨余"}, {Key: "paper", Name: "纸张"}}},
		{Code: "note", Variable: false, Datatype: domain.AttrText, Order: 0, Description: "请勿填写个人信息"},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(open311.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &fixture{t: t, svc: svc, users: users, clock: clock, srv: srv, key: key}
}

func (f *fixture) do(method, path string, form url.Values) (int, string, string) {
	f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), string(b)
}

// get fetches path in format and decodes the answer into jsonV or xmlV.
func (f *fixture) get(path, format string, want int, into any) string {
	f.t.Helper()
	status, ct, body := f.do("GET", path, nil)
	f.check(path, format, status, ct, body, want, into)
	return body
}

func (f *fixture) check(path, format string, status int, ct, body string, want int, into any) {
	f.t.Helper()
	if status != want {
		f.t.Fatalf("%s: status %d, want %d: %s", path, status, want, body)
	}
	switch format {
	case "json":
		if !strings.HasPrefix(ct, "application/json") {
			f.t.Fatalf("%s: content type %q", path, ct)
		}
		if err := json.Unmarshal([]byte(body), into); err != nil {
			f.t.Fatalf("%s: %v: %s", path, err, body)
		}
	case "xml":
		if !strings.HasPrefix(ct, "text/xml") || !strings.HasPrefix(body, `<?xml version="1.0" encoding="utf-8"?>`) {
			f.t.Fatalf("%s: content type %q, body %.60s", path, ct, body)
		}
		if err := xml.Unmarshal([]byte(body), into); err != nil {
			f.t.Fatalf("%s: %v: %s", path, err, body)
		}
	}
}

type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// wantError checks the specification's error answer in both formats.
func (f *fixture) wantError(method, path string, form url.Values, status int) {
	f.t.Helper()
	for _, format := range []string{"json", "xml"} {
		p := strings.Replace(path, ".FMT", "."+format, 1)
		got, ct, body := f.do(method, p, form)
		if format == "json" {
			var errs []apiError
			f.check(p, format, got, ct, body, status, &errs)
			if len(errs) != 1 || errs[0].Code != status || errs[0].Description == "" {
				f.t.Fatalf("%s: error body %s", p, body)
			}
		} else {
			var errs struct {
				XMLName xml.Name   `xml:"errors"`
				Errors  []apiError `xml:"error"`
			}
			f.check(p, format, got, ct, body, status, &errs)
			if len(errs.Errors) != 1 || errs.Errors[0].Code != status {
				f.t.Fatalf("%s: error body %s", p, body)
			}
		}
	}
}

type service311 struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

type request311 struct {
	ID          int64    `json:"service_request_id" xml:"service_request_id"`
	Token       string   `json:"token" xml:"token"`
	Status      string   `json:"status" xml:"status"`
	StatusNotes string   `json:"status_notes" xml:"status_notes"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	Description string   `json:"description" xml:"description"`
	Agency      string   `json:"agency_responsible" xml:"agency_responsible"`
	Requested   string   `json:"requested_datetime" xml:"requested_datetime"`
	Updated     string   `json:"updated_datetime" xml:"updated_datetime"`
	Expected    string   `json:"expected_datetime" xml:"expected_datetime"`
	Address     string   `json:"address" xml:"address"`
	Lat         *float64 `json:"lat" xml:"lat"`
	Long        *float64 `json:"long" xml:"long"`
	MediaURL    string   `json:"media_url" xml:"media_url"`
}

type requestsXML struct {
	XMLName  xml.Name     `xml:"service_requests"`
	Requests []request311 `xml:"request"`
}

func (f *fixture) countCases() int {
	var n int
	if err := whistletest.OpenRaw(f.t, whistletest.StoreOf(f.svc)).QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func validPost(key string) url.Values {
	return url.Values{"api_key": {key}, "jurisdiction_id": {"431382001"}, "service_code": {"SR-001"},
		"lat": {"27.708334"}, "long": {"111.6515"}, "description": {"联兴村路口有一堆垃圾\n已经三天了，电话13907381234，或 139 1234 5678、０７３８-８１２３４５６，邮箱 li.si@example.com"},
		"attribute[size]": {"large"}, "attribute[bags]": {"4"}, "attribute[kinds][]": {"food", "paper"},
		"email": {"zhang@example.com"}, "first_name": {"三"}, "last_name": {"张"}, "phone": {"13907381234"},
		"media_url": {"https://example.com/p/1.jpg"}, "device_id": {"dev-1"}, "account_id": {"acct-9"}}
}

// TestConformance walks every GeoReport v2 endpoint in both formats, as a client written
// from the specification would: discover, list services, read a definition, post a
// request with attributes and a photo URL, resolve its token, and follow it to closed.
func TestConformance(t *testing.T) {
	f := setup(t)
	for _, format := range []string{"json", "xml"} {
		var d struct {
			Changeset string `json:"changeset" xml:"changeset"`
			Endpoints []struct {
				Specification string   `json:"specification" xml:"specification"`
				URL           string   `json:"url" xml:"url"`
				Type          string   `json:"type" xml:"type"`
				Formats       []string `json:"formats" xml:"formats>format"`
			} `json:"endpoints" xml:"endpoints>endpoint"`
		}
		f.get("/open311/v2/discovery."+format, format, 200, &d)
		if len(d.Endpoints) != 1 || d.Endpoints[0].Specification != open311.Specification || len(d.Endpoints[0].Formats) != 2 ||
			!strings.HasSuffix(d.Endpoints[0].URL, "/open311/v2") {
			t.Fatalf("discovery.%s: %+v", format, d)
		}

		var svcs []service311
		if format == "json" {
			f.get("/open311/v2/services.json?jurisdiction_id=431382001", format, 200, &svcs)
		} else {
			var x struct {
				XMLName  xml.Name     `xml:"services"`
				Services []service311 `xml:"service"`
			}
			f.get("/open311/v2/services.xml", format, 200, &x)
			svcs = x.Services
		}
		found := false
		for _, s := range svcs {
			if s.Type != "realtime" || s.Code == "" || s.Name == "" {
				t.Fatalf("services.%s: %+v", format, s)
			}
			if s.Code == "SR-001" {
				found = true
				if !s.Metadata || s.Name != "暴露垃圾" || s.Group != "市容环境" || !strings.Contains(s.Keywords, "垃圾,") {
					t.Fatalf("services.%s SR-001: %+v", format, s)
				}
			} else if s.Metadata {
				t.Fatalf("services.%s: %s has no attributes but metadata true", format, s.Code)
			}
		}
		if !found {
			t.Fatalf("services.%s lacks SR-001", format)
		}

		var def struct {
			Code       string `json:"service_code" xml:"service_code"`
			Attributes []struct {
				Variable bool   `json:"variable" xml:"variable"`
				Code     string `json:"code" xml:"code"`
				Datatype string `json:"datatype" xml:"datatype"`
				Required bool   `json:"required" xml:"required"`
				Order    int    `json:"order" xml:"order"`
				Values   []struct {
					Key  string `json:"key" xml:"key"`
					Name string `json:"name" xml:"name"`
				} `json:"values" xml:"values>value"`
			} `json:"attributes" xml:"attributes>attribute"`
		}
		f.get("/open311/v2/services/SR-001."+format, format, 200, &def)
		if def.Code != "SR-001" || len(def.Attributes) != 4 || def.Attributes[0].Code != "note" || def.Attributes[0].Variable ||
			def.Attributes[1].Code != "size" || !def.Attributes[1].Required || len(def.Attributes[1].Values) != 2 ||
			def.Attributes[1].Values[1].Key != "large" || def.Attributes[2].Datatype != "number" {
			t.Fatalf("services/SR-001.%s: %+v", format, def)
		}
	}

	before := f.countCases()
	// bad input of every kind: the specification's error answer, nothing filed
	noKey := validPost("")
	f.wantError("POST", "/open311/v2/requests.FMT", noKey, 403)
	wrongKey := validPost("not-a-key")
	f.wantError("POST", "/open311/v2/requests.FMT", wrongKey, 403)
	for name, change := range map[string]func(v url.Values){
		"unknown service": func(v url.Values) { v.Set("service_code", "NOPE") },
		"no service":      func(v url.Values) { v.Del("service_code") },
		"no location":     func(v url.Values) { v.Del("lat"); v.Del("long") },
		"lat alone":       func(v url.Values) { v.Del("long") },
		"lat not number":  func(v url.Values) { v.Set("lat", "north") },
		"lat range":       func(v url.Values) { v.Set("lat", "91") },
		"nan":             func(v url.Values) { v.Set("lat", "NaN") },
		"bad choice":      func(v url.Values) { v.Set("attribute[size]", "huge") },
		"required attr":   func(v url.Values) { v.Del("attribute[size]") },
		"attr type":       func(v url.Values) { v.Set("attribute[bags]", "four") },
		"unknown attr":    func(v url.Values) { v.Set("attribute[color]", "red") },
		"info-only attr":  func(v url.Values) { v.Set("attribute[note]", "x") },
		"two sizes":       func(v url.Values) { v["attribute[size]"] = []string{"small", "large"} },
		"bad email":       func(v url.Values) { v.Set("email", "not mail") },
		"bad phone":       func(v url.Values) { v.Set("phone", "call me") },
		"bad media url":   func(v url.Values) { v.Set("media_url", "javascript:alert(1)") },
		"long text":       func(v url.Values) { v.Set("description", strings.Repeat("长", 4001)) },
		"jurisdiction":    func(v url.Values) { v.Set("jurisdiction_id", "999999") },
		"other place":     func(v url.Values) { v.Set("jurisdiction_id", "431382002") },
		"unknown field":   func(v url.Values) { v.Set("colour", "red") },
		"twice":           func(v url.Values) { v["description"] = []string{"a", "b"} },
		"nul":             func(v url.Values) { v.Set("description", "a\x00b") },
	} {
		v := validPost(f.key)
		change(v)
		status, _, body := f.do("POST", "/open311/v2/requests.json", v)
		if status != 400 {
			t.Fatalf("%s: status %d: %s", name, status, body)
		}
	}
	status, _, body := f.do("POST", "/open311/v2/requests.json?x", nil)
	if status != 403 {
		t.Fatalf("empty post: %d %s", status, body)
	}
	if n := f.countCases(); n != before {
		t.Fatalf("bad posts filed %d cases", n-before)
	}

	// a good post in each format
	ids := map[string]int64{}
	for _, format := range []string{"json", "xml"} {
		status, ct, body := f.do("POST", "/open311/v2/requests."+format, validPost(f.key))
		var got []request311
		if format == "json" {
			f.check("POST requests.json", format, status, ct, body, 200, &got)
		} else {
			var x requestsXML
			f.check("POST requests.xml", format, status, ct, body, 200, &x)
			got = x.Requests
		}
		if len(got) != 1 || got[0].ID == 0 || got[0].Token == "" {
			t.Fatalf("POST requests.%s: %s", format, body)
		}
		if format == "json" && !strings.Contains(body, `"account_id":"acct-9"`) {
			t.Fatalf("POST answer lacks account_id: %s", body)
		}
		ids[format] = got[0].ID
		var tok []request311
		if format == "json" {
			f.get("/open311/v2/tokens/"+got[0].Token+".json", format, 200, &tok)
		} else {
			var x requestsXML
			f.get("/open311/v2/tokens/"+got[0].Token+".xml", format, 200, &x)
			tok = x.Requests
		}
		if len(tok) != 1 || tok[0].ID != got[0].ID || tok[0].Token != got[0].Token {
			t.Fatalf("tokens.%s: %+v", format, tok)
		}
	}
	// a multipart POST may carry the photo itself in "media": it is stored as the
	// case's attachment, its type sniffed from the content
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	for k, vs := range validPost(f.key) {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	part, _ := mw.CreateFormFile("media", "photo.png")
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	png.Encode(part, img)
	mw.Close()
	res, err := http.Post(f.srv.URL+"/open311/v2/requests.json", mw.FormDataContentType(), &mp)
	if err != nil {
		t.Fatal(err)
	}
	var withMedia []request311
	json.NewDecoder(res.Body).Decode(&withMedia)
	res.Body.Close()
	if res.StatusCode != 200 || len(withMedia) != 1 {
		t.Fatalf("multipart POST with media: %d", res.StatusCode)
	}
	atts, err := f.svc.Attachments(context.Background(), f.users["demo.dispatcher"], withMedia[0].ID)
	if err != nil || len(atts) != 1 || atts[0].ContentType != "image/png" || atts[0].Width != 64 {
		t.Fatalf("the media photo was not stored: %+v %v", atts, err)
	}
	if _, err := f.svc.Act(context.Background(), f.users["demo.dispatcher"], withMedia[0].ID, domain.Command{Action: domain.ActReject, Version: 1, Reason: "test"}); err != nil {
		t.Fatal(err)
	}

	// an address alone is placed by the region names it holds
	byAddress := validPost(f.key)
	byAddress.Del("lat")
	byAddress.Del("long")
	byAddress.Set("address_string", "蓝田街道民光社区3栋门口")
	status, _, body = f.do("POST", "/open311/v2/requests.json", byAddress)
	var addressed []request311
	if err := json.Unmarshal([]byte(body), &addressed); status != 200 || err != nil || len(addressed) != 1 {
		t.Fatalf("POST with address_string: %d %s", status, body)
	}
	if c, err := f.svc.Case(context.Background(), f.users["demo.dispatcher"], addressed[0].ID); err != nil || c.Region != "431382001001" {
		t.Fatalf("address_string placed the case in %v (%v)", c, err)
	}
	if _, err := f.svc.Act(context.Background(), f.users["demo.dispatcher"], addressed[0].ID, domain.Command{Action: domain.ActReject, Version: 1, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.Case(context.Background(), f.users["demo.dispatcher"], ids["json"])
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel != "open311" || c.Region != "431382001205001" || c.Reporter.Phone != "13907381234" || c.Reporter.Name != "张三" {
		t.Fatalf("filed case: channel %s region %s reporter %+v", c.Channel, c.Region, c.Reporter)
	}
	queue, _, err := f.svc.Cases(context.Background(), f.users["demo.dispatcher"], storeFilterChannel("open311"))
	if err != nil || len(queue) != 4 {
		t.Fatalf("dispatcher queue of open311 cases: %d, %v", len(queue), err)
	}
	dups, err := f.svc.Duplicates(context.Background(), f.users["demo.dispatcher"], ids["xml"])
	if err != nil || len(dups) != 1 || dups[0].CaseID != ids["json"] {
		t.Fatalf("the second post is a likely duplicate of the first: %+v %v", dups, err)
	}

	// follow it: single request and lists, both formats, no personal data anywhere
	for _, format := range []string{"json", "xml"} {
		var got []request311
		path := "/open311/v2/requests/" + strconv.FormatInt(ids["json"], 10) + "." + format
		var body string
		if format == "json" {
			body = f.get(path, format, 200, &got)
		} else {
			var x requestsXML
			body = f.get(path, format, 200, &x)
			got = x.Requests
		}
		if len(got) != 1 || got[0].Status != "open" || got[0].ServiceCode != "SR-001" || got[0].ServiceName != "暴露垃圾" ||
			got[0].MediaURL != "https://example.com/p/1.jpg" || got[0].Lat == nil || *got[0].Lat != 27.708334 {
			t.Fatalf("%s: %+v", path, got)
		}
		if _, err := time.Parse(time.RFC3339, got[0].Requested); err != nil || !strings.HasSuffix(got[0].Requested, "+08:00") {
			t.Fatalf("%s: requested_datetime %q", path, got[0].Requested)
		}
		for _, secret := range []string{"13907381234", "zhang@example.com", "张三", "dev-1", "acct-9", "1234 5678", "８１２３４５６", "li.si"} {
			if strings.Contains(body, secret) {
				t.Fatalf("%s reveals %q: %s", path, secret, body)
			}
		}
		var list []request311
		lpath := "/open311/v2/requests." + format + "?service_request_id=" + strconv.FormatInt(ids["json"], 10) + "," + strconv.FormatInt(ids["xml"], 10)
		if format == "json" {
			f.get(lpath, format, 200, &list)
		} else {
			var x requestsXML
			f.get(lpath, format, 200, &x)
			list = x.Requests
		}
		if len(list) != 2 {
			t.Fatalf("%s: %d requests", lpath, len(list))
		}
		// two open requests, and the rejected ones with a photo and placed by its address
		for q, want := range map[string]int{"": 4, "?status=open": 2, "?status=closed": 2, "?status=open,closed": 4,
			"?service_code=SR-002": 0, "?service_code=SR-002,SR-001": 4,
			"?start_date=2026-03-01T00:00:00Z&end_date=2026-03-03T00:00:00%2B08:00": 4,
			"?start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z":        0,
			"?end_date=2026-01-01T00:00:00Z":                                        0,
			"?jurisdiction_id=431382001":                                            4,
			"?jurisdiction_id=431382001001":                                         1} {
			var l []request311
			if format == "json" {
				f.get("/open311/v2/requests.json"+q, format, 200, &l)
			} else {
				var x requestsXML
				f.get("/open311/v2/requests.xml"+q, format, 200, &x)
				l = x.Requests
			}
			if len(l) != want {
				t.Fatalf("requests.%s%s: %d, want %d", format, q, len(l), want)
			}
		}
	}
	for _, bad := range []string{"?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "?start_date=yesterday",
		"?status=pending", "?service_request_id=1,x", "?start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z",
		"?colour=red", "?status=open&status=closed", "?start_date=1800-01-01T00:00:00Z", "?%zz"} {
		f.wantError("GET", "/open311/v2/requests.FMT"+bad, nil, 400)
	}
	f.wantError("GET", "/open311/v2/requests/999999.FMT", nil, 404)
	f.wantError("GET", "/open311/v2/requests/abc.FMT", nil, 404)
	f.wantError("GET", "/open311/v2/services/NOPE.FMT", nil, 404)
	f.wantError("GET", "/open311/v2/tokens/NOPE.FMT", nil, 404)
	f.wantError("GET", "/open311/v2/services.FMT?jurisdiction_id=12", nil, 400)
	f.wantError("DELETE", "/open311/v2/requests.FMT", nil, 405)
	f.wantError("GET", "/open311/v2/nothing.FMT", nil, 404)
	if status, _, _ := f.do("OPTIONS", "/open311/v2/requests.json", nil); status != 204 {
		t.Fatalf("CORS preflight: %d", status)
	}
	if status, _, _ := f.do("GET", "/open311/v2/services.html", nil); status != 404 {
		t.Fatalf("services.html: %d", status)
	}

	// follow it to closed: the street works the case, Open311 reads closed
	ctx := context.Background()
	disp, officer := f.users["demo.dispatcher"], f.users["demo.officer"]
	steps := []struct {
		u   domain.User
		cmd domain.Command
	}{
		{disp, domain.Command{Action: domain.ActAccept}},
		{disp, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ"}},
		{officer, domain.Command{Action: domain.ActAcknowledge}},
		{officer, domain.Command{Action: domain.ActResolve, Result: "已清运"}},
		{disp, domain.Command{Action: domain.ActClose}},
	}
	for _, s := range steps {
		c, err := f.svc.Case(ctx, s.u, ids["json"])
		if err != nil {
			t.Fatal(err)
		}
		s.cmd.Version = c.Version
		if _, err := f.svc.Act(ctx, s.u, ids["json"], s.cmd); err != nil {
			t.Fatalf("%s: %v", s.cmd.Action, err)
		}
	}
	// the second post repeats the first: merged, it reads closed with a note naming it
	if _, err := f.svc.MergeDuplicate(ctx, disp, ids["xml"], ids["json"], 1, "同一堆垃圾"); err != nil {
		t.Fatal(err)
	}
	var merged []request311
	f.get("/open311/v2/requests/"+strconv.FormatInt(ids["xml"], 10)+".json", "json", 200, &merged)
	if merged[0].Status != "closed" || !strings.Contains(merged[0].StatusNotes, "merged into request "+strconv.FormatInt(ids["json"], 10)) {
		t.Fatalf("merged request: %+v", merged[0])
	}
	for _, format := range []string{"json", "xml"} {
		var got []request311
		path := "/open311/v2/requests/" + strconv.FormatInt(ids["json"], 10) + "." + format
		if format == "json" {
			f.get(path, format, 200, &got)
		} else {
			var x requestsXML
			f.get(path, format, 200, &x)
			got = x.Requests
		}
		if got[0].Status != "closed" || got[0].StatusNotes != "已清运" || got[0].Agency == "" || got[0].Expected == "" {
			t.Fatalf("%s after close: %+v", path, got[0])
		}
	}
}
