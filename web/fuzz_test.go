package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/transport"
)

// The pages' form readers under any input: no panic, and a refusal is a 4xx domain error.

// refused holds err to the client's fault, as the page answers it.
func refused(t *testing.T, input string, err error) {
	t.Helper()
	if st, known := transport.Status(err); !known || st < 400 || st >= 500 {
		t.Fatalf("%q: error %v answers %d, want a 4xx domain error", input, err, st)
	}
}

// postForm is a POST of an urlencoded body, as a browser sends a form.
func postForm(body string) *http.Request {
	r := httptest.NewRequest("POST", "/cases/1/act/x", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// FuzzActionForm: a case action's form gives a command, or the key of the message
// saying which field it lacks; a command it lets through has what its action needs.
func FuzzActionForm(f *testing.F) {
	for _, s := range [][2]string{{"accept", "version=1"}, {"dispatch", "version=2&org=LY-CGJ&co_orgs=LY-YJJ&co_orgs="},
		{"reject", "version=1&reason=+"}, {"extend-request", "version=3&working_days=5&until=2026-03-09T17:30"},
		{"merge", "version=1&into=%2312"}, {"whistle", "version=2&orgs=LY-YJJ&hours=4"}, {"visit", "satisfaction=satisfied"},
		{"suspend", "until=2026-13-01T25:61"}, {"x", "version=99999999999999999999"}, {"resolve", "%zz"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, action, body string) {
		r := postForm(body)
		r.SetPathValue("action", action)
		cmd, form, missing := commandFrom(r)
		if form == nil || form["action"] != action {
			t.Fatalf("%q: the form to show again is %v", body, form)
		}
		if missing != "" {
			return
		}
		needs := map[domain.Action]bool{domain.ActReject: cmd.Reason != "", domain.ActResolve: cmd.Result != "",
			domain.ActMerge: cmd.Into > 0, domain.ActWhistle: len(cmd.Orgs) > 0, domain.ActVisit: cmd.Satisfaction != ""}
		if ok, listed := needs[cmd.Action]; listed && !ok {
			t.Fatalf("%s %q: let through without what it needs: %+v", action, body, cmd)
		}
	})
}

// FuzzListFilter: the case list's address-bar filter ignores what it cannot read.
func FuzzListFilter(f *testing.F) {
	for _, s := range []string{"", "open=1", "status=reported,closed&overdue=1", "region=431382001&from=2026-01&to=2026-02",
		"region=43%2F..", "after=-5&window=1,x,3", "overdue=false&q=%E8%B7%AF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		c := filterFrom(v)
		if len(c.Region) > 18 || !digits(c.Region) || c.Limit != pageSize || len(c.Window) > transport.MaxWindows {
			t.Fatalf("%q: filter %+v", raw, c)
		}
	})
}

// FuzzGrantRows: the role editor's rows give grants the domain accepts, or a refusal
// that names its row.
func FuzzGrantRows(f *testing.F) {
	for _, s := range []string{"role=dispatcher&region=431382001&org=", "role=officer&region=&org=LY-CGJ&role=admin&region=431382&org=",
		"role=leader&region=&org=", "role=x&region=y&org=z&role=w", "", "role=grid_worker&region=4313820010010019999&org="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := postForm(body)
		if r.ParseForm() != nil {
			return
		}
		rows, err := grantRows(r)
		if err == nil {
			err = domain.ValidateGrants(grantsOf(rows))
		}
		if err != nil {
			refused(t, body, err)
			return
		}
		for _, g := range grantsOf(rows) {
			if err := g.Validate(); err != nil {
				t.Fatalf("%q: accepted %+v: %v", body, g, err)
			}
		}
	})
}

// FuzzGroupForm: the new-group form gives a group its validation accepts or refuses.
func FuzzGroupForm(f *testing.F) {
	for _, s := range []string{"code=tuibu&name=%E9%80%80%E6%8D%95&kind=household&region=431382001&f0_key=phone&f0_label=%E7%94%B5%E8%AF%9D&f0_type=phone&f0_on=person",
		"code=a&name=b&kind=org&region=43&f1_key=k&f1_label=l&f1_type=choice&f1_options=%E7%94%B7%EF%BC%8C%E5%A5%B3&f1_required=1", "code=&f0_key=x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := postForm(body)
		if r.ParseForm() != nil {
			return
		}
		g, _ := groupFromForm(r)
		if err := g.Validate(); err != nil {
			refused(t, body, err)
		}
	})
}

// FuzzScanForm: the scan-in form gives a declaration its validation accepts or refuses.
func FuzzScanForm(f *testing.F) {
	for _, s := range []string{"code=e1v1.abc&kind=%E6%B6%88%E9%98%B2&legal_basis=%E6%B3%95&items=a%0Ab&inspector1=%E8%AE%B8&cert1=A1&lat=27.7&lon=111.6",
		"lat=NaN&lon=Inf", "lat=1", "inspector3=x&cert3=" + strings.Repeat("9", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := postForm(body)
		if r.ParseForm() != nil {
			return
		}
		in := domainScan(r.PostFormValue)
		if err := in.Validate(); err != nil {
			refused(t, body, err)
			return
		}
		if in.Lat != nil && !domain.ValidPosition(*in.Lat, *in.Lon) {
			t.Fatalf("%q: accepted a point out of range", body)
		}
	})
}

// FuzzPhotoForm: a multipart form with photos (the phone's report, a resolution's
// proof) reads as at most maxPhotos uploads or a refusal.
func FuzzPhotoForm(f *testing.F) {
	part := func(name, file, body string) string {
		return "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + file + "\"\r\nContent-Type: image/jpeg\r\n\r\n" + body + "\r\n"
	}
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n" + part("photos", "a.jpg", "\xff\xd8\xff") + "--B--\r\n"))
	f.Add([]byte(strings.Repeat(part("photos", "p.jpg", "x"), 5) + "--B--\r\n"))
	f.Add([]byte(part("photos", "", "") + "--B--"))
	f.Add([]byte("--B\r\n\r\n--B--"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/m/report", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		formValue(r, "_csrf")
		ups, err := photoUploads(r, "photos")
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			refused(t, string(body), err)
			return
		}
		if len(ups) > maxPhotos {
			t.Fatalf("%d photos accepted", len(ups))
		}
	})
}
