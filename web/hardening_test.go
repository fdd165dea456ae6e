package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"whistle/demo"
)

// send posts body with contentType to path, with the headers given, and answers the
// status and the response's headers.
func (c *client) send(path, contentType string, body []byte, headers ...string) (int, http.Header) {
	c.s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.s.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		c.s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// multipartBody is a form with one file of size bytes in the part named field.
func multipartBody(field string, size int) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("login", "demo.grid")
	fw, _ := mw.CreateFormFile(field, "big.jpg")
	fw.Write(bytes.Repeat([]byte{'x'}, size))
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// TestPublicFormsAreBounded: a form sent without signing in is read to 1 MiB at most
// and answered 413 past it, before any check of its content; only the public report
// page takes photos, up to its upload limit.
func TestPublicFormsAreBounded(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.get("/login")
	big := []byte("login=demo.grid&password=" + strings.Repeat("x", 2<<20))
	for _, path := range []string{"/login", "/lang", "/public/track", "/public/report", "/receipt.pdf"} {
		if status, _ := c.send(path, "application/x-www-form-urlencoded", big); status != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with a 2 MiB form: %d, want 413", path, status)
		}
	}
	file, ct := multipartBody("photos", 2<<20)
	for _, path := range []string{"/login", "/public/track"} {
		if status, _ := c.send(path, ct, file); status != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with a 2 MiB file: %d, want 413", path, status)
		}
	}
	if status, _ := c.send("/public/report", ct, file); status == http.StatusRequestEntityTooLarge {
		t.Error("the public report page refused a 2 MiB photo")
	}
	huge, ct := multipartBody("photos", maxUpload+1)
	if status, _ := c.send("/public/report", ct, huge); status != http.StatusRequestEntityTooLarge {
		t.Errorf("the public report page with %d bytes: %d, want 413", len(huge), status)
	}
	// a form within the limit is read as before
	if status, _, _ := c.post("/login", url.Values{"login": {"demo.grid"}, "password": {demo.Password}}); status != http.StatusSeeOther {
		t.Fatalf("login after the refusals: %d", status)
	}
}

// TestLoginRedirectStaysOnSite: the page after signing in is a path of this site.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	s := newSite(t, 0)
	for next, want := range map[string]string{"/./\\evil.example": "/", "/cases?status=new": "/cases?status=new"} {
		c := s.client()
		c.get("/login")
		status, loc, _ := c.post("/login", url.Values{"login": {"demo.grid"}, "password": {demo.Password}, "next": {next}})
		if status != http.StatusSeeOther || loc != want {
			t.Errorf("next=%q: %d to %q, want %q", next, status, loc, want)
		}
	}
}

// TestStaticFilesAndHSTS: /static/ answers with the security headers every page has and
// lists no folder; behind TLS every answer carries Strict-Transport-Security.
func TestStaticFilesAndHSTS(t *testing.T) {
	s := newSite(t, 0)
	head := func(path string, headers ...string) (int, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	status, h := head("/static/css/app.css")
	if status != http.StatusOK || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("Strict-Transport-Security") != "" {
		t.Fatalf("a static file: %d %v", status, h)
	}
	for _, dir := range []string{"/static/", "/static/css/", "/static/css", "/static/vendor/", "/static/nothing.css"} {
		if status, h := head(dir); status != http.StatusNotFound || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: %d, want 404 with the security headers", dir, status)
		}
	}
	for _, path := range []string{"/login", "/static/css/app.css"} {
		if _, h := head(path, "X-Forwarded-Proto", "https"); h.Get("Strict-Transport-Security") != "max-age=31536000" {
			t.Errorf("GET %s behind TLS: Strict-Transport-Security %q", path, h.Get("Strict-Transport-Security"))
		}
		if _, h := head(path); h.Get("Strict-Transport-Security") != "" {
			t.Errorf("GET %s over plain HTTP carries HSTS", path)
		}
	}
}
