package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"whistle/domain"
)

// Templates: templates/layout.html is the frame of every page, templates/partials/*.html
// define shared pieces (each file its own uniquely named templates), and each
// templates/pages/<page>.html defines "content" (and may define "head" for extra
// scripts, and fragments that htmx asks for). A page is rendered in the language of the
// request: the template funcs (T, label, date ...) are bound to a locale, so each
// language has its own parsed copy, made once at start.
//
//go:embed templates
var templateFS embed.FS

type templates struct {
	byLang map[string]map[string]*template.Template // lang → page → template
}

func loadTemplates(cat *Catalogs) (*templates, error) {
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{byLang: map[string]map[string]*template.Template{}}
	for _, lang := range Langs {
		l := cat.Locale(lang)
		base, err := template.New("layout.html").Funcs(funcs(l)).ParseFS(templateFS, append([]string{"templates/layout.html"}, partials...)...)
		if err != nil {
			return nil, err
		}
		t.byLang[lang] = map[string]*template.Template{}
		for _, p := range pages {
			pt, err := template.Must(base.Clone()).ParseFS(templateFS, p)
			if err != nil {
				return nil, err
			}
			t.byLang[lang][strings.TrimSuffix(path.Base(p), ".html")] = pt
		}
	}
	return t, nil
}

// view is what a page template gets: the request (user, locale, CSRF token, nav) and
// the handler's data.
type view struct {
	*Req
	Page  string
	Title string
	Data  any
}

// Render writes a whole page with status. The page's title is its catalog key
// "<page>.title".
func (a *App) Render(w http.ResponseWriter, q *Req, status int, page string, data any) error {
	return a.execute(w, q, status, page, "layout", data)
}

// Fragment writes one named template of a page, for an htmx request that swaps a part.
func (a *App) Fragment(w http.ResponseWriter, q *Req, status int, page, name string, data any) error {
	return a.execute(w, q, status, page, name, data)
}

func (a *App) execute(w http.ResponseWriter, q *Req, status int, page, name string, data any) error {
	t, ok := a.tmpl.byLang[q.L.Lang][page]
	if !ok {
		return fmt.Errorf("web: no page template %q", page)
	}
	if name == "layout" {
		q.takeFlash(w)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, view{Req: q, Page: page, Title: q.L.T(page + ".title"), Data: data}); err != nil {
		return fmt.Errorf("web: page %s/%s: %w", page, name, err)
	}
	h := w.Header()
	if q.tileHost != "" { // a map on the page draws its tiles from there
		h.Set("Content-Security-Policy", csp(q.tileHost))
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", q.L.Lang)
	h.Set("Vary", "Cookie, HX-Request")
	// the server's own time for the page, readable in the browser's network panel
	h.Set("Server-Timing", fmt.Sprintf("app;dur=%.1f", float64(time.Since(q.start).Microseconds())/1000))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// funcs are the template functions, bound to one locale.
func funcs(l *Locale) template.FuncMap {
	return template.FuncMap{
		"T":     l.T,
		"asset": assetURL, // a static file's address with its content's hash
		"label": l.Label,
		"date":  func(t any) string { return l.Date(timeOf(t)) },
		"datetime": func(t any) string {
			return l.DateTime(timeOf(t))
		},
		"short": func(t any) string { return l.Short(timeOf(t)) },
		"num":   func(n any) string { return l.Num(int64Of(n)) },
		"pct":   l.Pct,
		"dur":   l.Duration,
		"countdown": func(due any, now time.Time) string {
			return l.Countdown(timeOf(due), now)
		},
		"overdue":  func(due any, now time.Time) bool { t := timeOf(due); return !t.IsZero() && t.Before(now) },
		"unix":     func(t any) int64 { return timeOf(t).Unix() },
		"isoTime":  func(t any) string { return timeOf(t).Format(time.RFC3339) },
		"has":      func(u domain.User, role string) bool { return u.Has(domain.Role(role)) },
		"can":      can,
		"add":      func(a, b int) int { return a + b },
		"joinOrgs": func(names map[string]string, codes []string) string { return joinNames(names, codes) },
		"name": func(names map[string]string, code string) string {
			if n, ok := names[code]; ok && n != "" {
				return n
			}
			return code
		},
		"lang": func() string { return l.Lang },
		"parseTime": func(s string) time.Time {
			t, _ := time.Parse(time.RFC3339, s)
			return t
		},
		"caselist": newCaseList,
		"quick":    withQuick,
		"ticks":    withTicks,
		"quickFor": quickFor,
		"deref": func(p *float64) float64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"list": func(xs ...string) []string { return xs },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"dueOf": dueOf,
	}
}

// can tells whether action is among the allowed ones, for showing a button.
func can(actions []domain.Action, action string) bool {
	for _, a := range actions {
		if string(a) == action {
			return true
		}
	}
	return false
}

func joinNames(names map[string]string, codes []string) string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := names[c]; n != "" {
			out = append(out, n)
		} else {
			out = append(out, c)
		}
	}
	return strings.Join(out, "、")
}

func timeOf(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}

func int64Of(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case int32:
		return int64(n)
	}
	return 0
}

// withQuery is path with the query v, and the pairs kv (name, value, …) set on a copy
// of it: a whole address for a link. A template writes it as href="{{.}}", which
// html/template leaves as it is; a query spliced in after a "?" of the template
// (href="/x?{{.Query}}") is escaped as one value, "=" and "&" too, and the link loses
// its filters.
func withQuery(path string, v url.Values, kv ...string) string {
	q := url.Values{}
	for k, vs := range v {
		q[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
