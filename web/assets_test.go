package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// fetchStatic asks the site for a path with an Accept-Encoding and more headers (name,
// value, …) and gives the answer and its body as sent.
func fetchStatic(t *testing.T, s *site, method, path, acceptEncoding string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding) // set: the client then leaves the body as sent
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// decoded undoes a content coding.
func decoded(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", coding, err)
	}
	return out
}

// TestStaticAssetsServed: a page names the chart library by its hashed address; that
// address answers brotli or gzip as the browser accepts, with the file's type, Vary,
// an ETag and a year's immutable cache; the plain address and a stale hash still answer
// with a short cache; directories, the precompressed copies by name and unknown files
// are 404.
func TestStaticAssetsServed(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.leader")
	_, page := c.get("/dashboard")
	addr := regexp.MustCompile(`/static/vendor/echarts/echarts\.min\.[0-9a-f]{10}\.js`).FindString(page)
	if addr == "" {
		t.Fatalf("the dashboard names no hashed chart library:\n%.600s", page)
	}
	want, err := fs.ReadFile(staticFS, "static/vendor/echarts/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ accept, coding string }{
		{"gzip, deflate, br, zstd", "br"}, // Chromium
		{"gzip", "gzip"},
		{"br;q=0, gzip;q=0.8", "gzip"},
		{"*", "br"},
		{"*, br;q=0", "gzip"},
		{"", ""},
		{"identity", ""},
		{"gzip;q=0, br;q=0", ""},
	} {
		resp, body := fetchStatic(t, s, "GET", addr, tc.accept)
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Content-Encoding") != tc.coding || h.Get("Content-Type") != "text/javascript; charset=utf-8" ||
			h.Get("Vary") != "Accept-Encoding" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("Accept-Encoding %q: %d %v", tc.accept, resp.StatusCode, h)
			continue
		}
		if resp.ContentLength != int64(len(body)) {
			t.Errorf("Accept-Encoding %q: Content-Length %d for %d bytes", tc.accept, resp.ContentLength, len(body))
		}
		if !bytes.Equal(decoded(t, tc.coding, body), want) {
			t.Errorf("Accept-Encoding %q: the body is not the chart library", tc.accept)
		}
		if tc.coding == "br" && len(body) > len(want)/3 {
			t.Errorf("brotli: %d bytes of %d", len(body), len(want))
		}
		if again, _ := fetchStatic(t, s, "GET", addr, tc.accept, "If-None-Match", h.Get("ETag")); again.StatusCode != http.StatusNotModified {
			t.Errorf("Accept-Encoding %q, If-None-Match %s: %d", tc.accept, h.Get("ETag"), again.StatusCode)
		}
	}
	if resp, body := fetchStatic(t, s, "HEAD", addr, "br"); resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Encoding") != "br" {
		t.Errorf("HEAD: %d %v", resp.StatusCode, resp.Header)
	}
	// a range of the file itself, but a compressed form only whole
	if resp, body := fetchStatic(t, s, "GET", addr, "", "Range", "bytes=0-99"); resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[:100]) {
		t.Errorf("a range: %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, body := fetchStatic(t, s, "GET", addr, "br", "Range", "bytes=0-99"); resp.StatusCode != 200 || !bytes.Equal(decoded(t, "br", body), want) {
		t.Errorf("a range of brotli: %d, %d bytes", resp.StatusCode, len(body))
	}
	for _, p := range []string{"/static/vendor/echarts/echarts.min.js", "/static/vendor/echarts/echarts.min.0123456789.js"} {
		resp, body := fetchStatic(t, s, "GET", p, "gzip")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=300" || !bytes.Equal(decoded(t, "gzip", body), want) {
			t.Errorf("%s: %d %v", p, resp.StatusCode, resp.Header)
		}
	}
	// the application's own files are gzipped when the server starts
	css := regexp.MustCompile(`/static/css/app\.[0-9a-f]{10}\.css`).FindString(page)
	resp, body := fetchStatic(t, s, "GET", css, "gzip, deflate, br")
	own, _ := fs.ReadFile(staticFS, "static/css/app.css")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" || !bytes.Equal(decoded(t, "gzip", body), own) {
		t.Errorf("%s: %d %v", css, resp.StatusCode, resp.Header)
	}
	for _, p := range []string{"/static/", "/static/vendor/", "/static/vendor/echarts/echarts.min.js.br", "/static/js/none.js", "/static/js/app.js/x"} {
		if resp, _ := fetchStatic(t, s, "GET", p, "gzip"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

// TestPrecompressedCopiesAreCurrent: every .br and .gz beside a static file unpacks to
// that file, and the vendored libraries have both. A failure means a file changed
// without its copies: run `go generate ./web` (web/vendor/fetch.sh does it too).
func TestPrecompressedCopiesAreCurrent(t *testing.T) {
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for coding, suffix := range map[string]string{"br": ".br", "gzip": ".gz"} {
			if src, ok := strings.CutSuffix(p, suffix); ok {
				body, _ := fs.ReadFile(staticFS, p)
				want, err := fs.ReadFile(staticFS, src)
				if err != nil || !bytes.Equal(decoded(t, coding, body), want) {
					t.Errorf("%s is not %s compressed (%v): run go generate ./web", p, src, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"static/vendor/echarts/echarts.min.js", "static/vendor/htmx/htmx.min.js"} {
		for _, suffix := range []string{".br", ".gz"} {
			if _, err := fs.Stat(staticFS, p+suffix); err != nil {
				t.Errorf("%s%s: %v", p, suffix, err)
			}
		}
	}
}

// TestTemplatesNameAssetsByHash: no template writes a plain /static/ address (it would
// be cached for five minutes, not a year): {{asset "css/app.css"}} gives the hashed one.
func TestTemplatesNameAssetsByHash(t *testing.T) {
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, p)
		for _, m := range regexp.MustCompile(`["'(]/static/[^"')]*`).FindAllString(string(b), -1) {
			t.Errorf(`%s: %s: write {{asset "%s"}}`, p, m[1:], strings.TrimPrefix(m[1:], "/static/"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assetURL("js/none.js"); err == nil {
		t.Error("an unknown asset has an address")
	}
}

// TestAcceptEncoding: the weights of Accept-Encoding, the name before "*".
func TestAcceptEncoding(t *testing.T) {
	for _, tc := range []struct {
		header, coding string
		want           bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip, deflate", "br", false},
		{"GZIP", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.001", "gzip", true},
		{"gzip;q=0.0", "gzip", false},
		{"gzip;q=x", "gzip", false},
		{"*;q=0.5", "br", true},
		{"*, gzip;q=0", "gzip", false},
		{"gzip;q=0, *", "gzip", false},
		{"", "gzip", false},
	} {
		if got := accepts(tc.header, tc.coding); got != tc.want {
			t.Errorf("accepts(%q, %q) = %v", tc.header, tc.coding, got)
		}
	}
}
