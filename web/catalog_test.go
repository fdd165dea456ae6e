package web

import (
	"io/fs"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCatalogs(t *testing.T) {
	c, err := LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keys()) < 100 {
		t.Fatalf("only %d keys", len(c.Keys()))
	}
	zh, en := c.Locale("zh-CN"), c.Locale("en")
	if zh.T("app.name") == en.T("app.name") {
		t.Error("app.name is the same in both languages")
	}
	if c.Locale("xx").Lang != DefaultLang || c.Locale("").Lang != DefaultLang {
		t.Error("unknown languages must fall back to zh-CN")
	}
	if got := zh.T("no.such.key"); !strings.Contains(got, missingMark) {
		t.Errorf("missing key gave %q", got)
	}
	for _, k := range c.Keys() { // every message in both languages says something
		if strings.TrimSpace(zh.T(k)) == "" || strings.TrimSpace(en.T(k)) == "" {
			t.Errorf("key %s has an empty message", k)
		}
	}
}

func TestCatalogDuplicateKeyIsAnError(t *testing.T) {
	fsys := fstest.MapFS{
		"i18n/zh-CN/a.json": {Data: []byte(`{"x.one": "一"}`)},
		"i18n/zh-CN/b.json": {Data: []byte(`{"x.one": "壹"}`)},
		"i18n/en/a.json":    {Data: []byte(`{"x.one": "one"}`)},
	}
	if _, err := loadCatalogs(fsys); err == nil || !strings.Contains(err.Error(), "both") {
		t.Fatalf("duplicate key not refused: %v", err)
	}
	fsys["i18n/zh-CN/b.json"] = &fstest.MapFile{Data: []byte(`{"x.two": "二"}`)}
	if _, err := loadCatalogs(fsys); err == nil || !strings.Contains(err.Error(), "x.two") {
		t.Fatalf("key missing in en not refused: %v", err)
	}
	fsys["i18n/en/b.json"] = &fstest.MapFile{Data: []byte(`{"x.two": "two"}`)}
	if _, err := loadCatalogs(fsys); err != nil {
		t.Fatal(err)
	}
	fsys["i18n/en/b.json"] = &fstest.MapFile{Data: []byte(`{"x.two": 2}`)}
	if _, err := loadCatalogs(fsys); err == nil {
		t.Fatal("a non-string message was accepted")
	}
}

// TestTemplatesUseKnownKeys finds every literal catalog key the templates and Go files
// ask for and checks the catalogs define it.
func TestTemplatesUseKnownKeys(t *testing.T) {
	c, err := LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	zh := c.Locale(DefaultLang)
	tmplKey := regexp.MustCompile(`\{\{-?\s*T "([^"]+)"`)
	inner := regexp.MustCompile(`\(T "([^"]+)"`)
	n := 0
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, _ := fs.ReadFile(templateFS, p)
		for _, re := range []*regexp.Regexp{tmplKey, inner} {
			for _, m := range re.FindAllStringSubmatch(string(body), -1) {
				n++
				if strings.Contains(zh.T(m[1]), missingMark) {
					t.Errorf("%s uses unknown key %q", p, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("found only %d keys in templates", n)
	}
}

func TestFormatting(t *testing.T) {
	c, _ := LoadCatalogs()
	zh, en := c.Locale("zh-CN"), c.Locale("en")
	at := time.Date(2026, 3, 2, 1, 5, 0, 0, time.UTC) // 09:05 in China
	cases := []struct{ got, want string }{
		{zh.DateTime(at), "2026年3月2日 09:05"},
		{en.DateTime(at), "2 Mar 2026 09:05"},
		{zh.Num(1234567), "1,234,567"},
		{en.Num(-1000), "-1,000"},
		{en.Num(999), "999"},
		{zh.Duration(26*time.Hour + 5*time.Minute), "1天2小时"},
		{en.Duration(26*time.Hour + 5*time.Minute), "1 d 2 h"},
		{en.Duration(0), "0 min"},
		{zh.Countdown(at.Add(90*time.Minute), at), "剩余1小时30分钟"},
		{en.Countdown(at, at.Add(3*time.Hour)), "3 h overdue"},
		{zh.Pct(nil), "—"},
	}
	r := 0.9534
	cases = append(cases, struct{ got, want string }{en.Pct(&r), "95.3%"})
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestNavCurrentIsTheClosestEntry(t *testing.T) {
	nav := []NavItem{{Path: "/m"}, {Path: "/m/patrol"}, {Path: "/cases"}, {Path: "/cases?channel=cannot_do_window"}}
	for _, tc := range []struct{ url, want string }{
		{"/m", "/m"}, {"/m/report", "/m"}, {"/m/patrol", "/m/patrol"}, {"/m/patrol/3", "/m/patrol"},
		{"/cases", "/cases"}, {"/cases/12", "/cases"}, {"/cases?channel=cannot_do_window", "/cases?channel=cannot_do_window"},
		{"/cases?status=closed&channel=cannot_do_window", "/cases?channel=cannot_do_window"}, {"/admin", ""},
	} {
		r := httptest.NewRequest("GET", tc.url, nil)
		q := &Req{Path: r.URL.Path, Nav: nav, r: r}
		got := ""
		for _, n := range nav {
			if q.Current(n) {
				if got != "" {
					t.Errorf("%s: both %s and %s are current", tc.url, got, n.Path)
				}
				got = n.Path
			}
		}
		if got != tc.want {
			t.Errorf("%s: current %q, want %q", tc.url, got, tc.want)
		}
	}
}
