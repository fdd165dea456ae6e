package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"whistle/api"
	"whistle/demo"
	"whistle/domain"
)

func TestDashboardScopeAndFigures(t *testing.T) {
	s := newSite(t, 300)
	c := s.client()
	c.login("demo.leader")
	status, body := c.get("/dashboard")
	if status != http.StatusOK || !strings.Contains(body, "蓝田街道") || !strings.Contains(body, `id="dash-data"`) {
		t.Fatalf("dashboard: %d", status)
	}
	// the received figure is the statistics', for the last twelve months
	rep, err := s.svc.Stats(t.Context(), s.users["demo.leader"], domain.StatsQuery{})
	if err != nil || len(rep.Rows) != 1 || rep.Rows[0].Received == 0 || rep.Region != demo.Street {
		t.Fatalf("stats %+v %v", rep, err)
	}
	if got := kpis(t, body)["received"].figure; got != rep.Rows[0].Received {
		t.Errorf("received figure %d, statistics %d", got, rep.Rows[0].Received)
	}
	// another street is outside the leader's scope: it does not exist for them
	if status, body := c.get("/dashboard?region=431382002"); status != http.StatusNotFound || strings.Contains(body, "六亩塘") {
		t.Errorf("another street's dashboard: %d", status)
	}
	// going up: only as far as the scope
	if _, body := c.get("/dashboard?region=431382001001"); strings.Contains(body, "涟源市</option>") || !strings.Contains(body, "蓝田街道</option>") {
		t.Error("the leader is offered the city above their scope, or not their street")
	}
	// a community's figures and its grids' heat
	status, body = c.get("/dashboard?region=431382001001&from=2025-01&to=2026-03")
	if status != http.StatusOK || !strings.Contains(body, "民光社区") {
		t.Fatalf("community dashboard: %d", status)
	}
	if status, _ := c.get("/dashboard?from=2020-01&to=2026-03"); status != http.StatusBadRequest {
		t.Errorf("a period longer than the dashboard covers: %d", status)
	}
	g := s.client()
	g.login("demo.grid")
	if status, _ := g.get("/dashboard"); status != http.StatusForbidden {
		t.Errorf("grid worker on the dashboard: %d", status)
	}
}

// The drill-down: every community's row of the leader's ranking, and the key figures
// (received, closed, overdue, hazards), link to a case list that lists exactly the
// cases the figure counts, and says so in its total; so does every department's row,
// which counts the cases the department leads (lead=, not org=, which also takes the
// cases it was whistled to or co-handles).
func TestDashboardDrillDownListsTheFigure(t *testing.T) {
	s := newSite(t, 300)
	c := s.client()
	c.login("demo.leader")
	status, body := c.get("/dashboard")
	if status != http.StatusOK {
		t.Fatalf("dashboard: %d", status)
	}
	doc := parseHTML(t, body)
	ranking := byID(doc, "ranking-regions")
	if ranking == nil {
		t.Fatal("no region ranking")
	}
	rows := all(ranking, func(n *html.Node) bool { return n.DataAtom == atom.Tr && len(all(n, is(atom.Td))) > 0 })
	if len(rows) != 15 {
		t.Fatalf("the ranking has %d communities, the demo street 15", len(rows))
	}
	var figures []figure
	for _, k := range []string{"received", "status", "overdue", "kind"} {
		figures = append(figures, kpis(t, body)[k])
	}
	orgs := all(byID(doc, "ranking-orgs"), func(n *html.Node) bool { return n.DataAtom == atom.Tr && len(all(n, is(atom.Td))) > 0 })
	if len(orgs) < 5 {
		t.Fatalf("the departments' ranking has %d rows", len(orgs))
	}
	for i, row := range append(rows, orgs...) {
		tds := all(row, is(atom.Td))
		a := all(tds[1], is(atom.A))[0]
		name := text(a)
		if i >= len(rows) {
			name = "org " + name
		}
		figures = append(figures, figure{name: name, href: attr(a, "href"), figure: number(t, text(tds[2]))})
	}
	nonzero := 0
	for _, f := range figures {
		u, err := url.Parse(f.href)
		if err != nil || u.Path != "/cases" {
			t.Fatalf("%s links to %q", f.name, f.href)
		}
		q, extra := u.Query(), 0
		if strings.HasPrefix(f.name, "kpi ") && f.name != "kpi received" || strings.HasPrefix(f.name, "org ") {
			extra = 1 // the figure's own filter
		}
		if len(q["region"]) != 1 || len(q["from"]) != 1 || len(q["to"]) != 1 || len(q) != 3+extra {
			t.Errorf("%s: the link carries %v, not one region, the period and the figure's filter", f.name, q)
		}
		total, listed := listAll(t, c, f.href)
		if total != f.figure || listed != f.figure {
			t.Errorf("%s: figure %d, the list says %d and lists %d (%s)", f.name, f.figure, total, listed, f.href)
		}
		if f.figure > 0 {
			nonzero++
		}
	}
	if nonzero < 10 {
		t.Errorf("only %d of the figures count any case: the test checks little", nonzero)
	}
}

// The dashboard and GET /api/v1/stats/cases answer the same question the same way:
// the same scope, the same figures, 404 for a region outside it, 400 for a bad period.
func TestDashboardAnswersAsTheAPI(t *testing.T) {
	s := newSite(t, 300)
	rest := httptest.NewServer(api.New(s.svc, slog.New(slog.DiscardHandler)))
	t.Cleanup(rest.Close)
	for _, login := range []string{"demo.leader", "demo.grid"} {
		token := apiToken(t, rest.URL, login)
		c := s.client()
		c.login(login)
		for _, query := range []string{"", "region=431382001001&from=2025-06&to=2026-02", "region=431382001&from=2026-01-15&to=2026-02",
			"region=431382002", "region=431382002001", "region=99", "from=2026-13", "to=2026-02-30", "from=2026-03&to=2025-01"} {
			status, page := c.get("/dashboard?" + query)
			apiStatus, total := apiStats(t, rest.URL, token, query)
			if status != apiStatus {
				t.Errorf("%s, %q: the page answers %d, the API %d", login, query, status, apiStatus)
				continue
			}
			if status != http.StatusOK {
				continue
			}
			if got, want := kpis(t, page)["received"].figure, total.Rows[0].Received; got != want {
				t.Errorf("%s, %q: received %d on the page, %d from the API", login, query, got, want)
			}
			_, byRegion := apiStats(t, rest.URL, token, query+"&by=region")
			if len(byRegion.Rows) == 0 {
				t.Errorf("%s, %q: no rows by region", login, query)
			}
			for _, row := range byRegion.Rows {
				if !strings.Contains(page, `href="`+html.EscapeString(casesURL(row.Group, byRegion.From[:7], byRegion.To[:7]))+`"`) {
					t.Errorf("%s, %q: no ranking row for %s linking to its cases", login, query, row.Group)
				}
			}
		}
	}
}

// figure is a number on the dashboard and the case list it links to.
type figure struct {
	name, href string
	figure     int64
}

// kpis reads the dashboard's key figures that link to cases, by their link's filter.
func kpis(t *testing.T, body string) map[string]figure {
	t.Helper()
	out := map[string]figure{}
	for _, a := range all(parseHTML(t, body), func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "class") == "kpi" }) {
		href := attr(a, "href")
		key := "received"
		for _, k := range []string{"status", "overdue", "kind"} {
			if strings.Contains(href, k+"=") {
				key = k
			}
		}
		v := all(a, func(n *html.Node) bool { return attr(n, "class") == "v" })
		out[key] = figure{name: "kpi " + key, href: href, figure: number(t, text(v[0]))}
	}
	return out
}

// listAll opens a case list and follows its pages to the end: the total it shows and
// the number of cases it lists, each once.
func listAll(t *testing.T, c *client, href string) (total, listed int64) {
	t.Helper()
	status, body := c.get(href)
	if status != http.StatusOK {
		t.Fatalf("%s: %d", href, status)
	}
	doc := parseHTML(t, body)
	tot := byID(doc, "total")
	if tot == nil || attr(tot, "data-more") != "" {
		t.Fatalf("%s: no exact total", href)
	}
	total = number(t, attr(tot, "data-count"))
	seen := map[string]bool{}
	page := byID(doc, "rows")
	for pages := 0; page != nil; pages++ {
		if pages > 100 {
			t.Fatalf("%s: more than 100 pages", href)
		}
		next := ""
		for _, a := range all(page, is(atom.A)) {
			h := attr(a, "href")
			switch {
			case strings.HasPrefix(h, "/cases/"):
				if seen[h] {
					t.Errorf("%s: %s listed twice", href, h)
				}
				seen[h] = true
			case strings.HasPrefix(h, "/cases?"):
				next = h
			}
		}
		if page = nil; next != "" {
			status, body := c.get(next)
			if status != http.StatusOK {
				t.Fatalf("%s: %d", next, status)
			}
			page = parseRows(t, body)
		}
	}
	return total, int64(len(seen))
}

// statsAnswer is GET /api/v1/stats/cases's answer.
type statsAnswer struct {
	From, To string
	Rows     []domain.Stats
}

func apiToken(t *testing.T, base, login string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/auth/token", "application/json",
		strings.NewReader(`{"login":"`+login+`","password":"`+demo.Password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.Token == "" {
		t.Fatalf("token for %s: %d %v", login, resp.StatusCode, err)
	}
	return tok.Token
}

func apiStats(t *testing.T, base, token, query string) (int, statsAnswer) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/stats/cases?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a statsAnswer
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, a
}

func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// parseRows parses a fragment of table rows (a list's next page) inside a tbody.
func parseRows(t *testing.T, body string) *html.Node {
	t.Helper()
	tbody := &html.Node{Type: html.ElementNode, Data: "tbody", DataAtom: atom.Tbody}
	nodes, err := html.ParseFragment(strings.NewReader(body), tbody)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		tbody.AppendChild(n)
	}
	return tbody
}

// all lists the elements under n (n included) that match.
func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, all(c, match)...)
	}
	return out
}

func is(a atom.Atom) func(*html.Node) bool { return func(n *html.Node) bool { return n.DataAtom == a } }

func byID(n *html.Node, id string) *html.Node {
	if found := all(n, func(n *html.Node) bool { return attr(n, "id") == id }); len(found) > 0 {
		return found[0]
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return strings.TrimSpace(b.String())
}

// number reads a figure as the page writes it (1,234).
func number(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("figure %q: %v", s, err)
	}
	return n
}
