package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The dashboard's windows table: a line per hall and per window, every count linking
// to a case list that lists exactly the cases it counts; the demo's windows carry the
// generated window cases, and a county sees the street whose windows took none.
func TestDashboardWindowsListTheirCases(t *testing.T) {
	s := newSite(t, 300)
	for _, c := range []struct {
		login, query string
		names        []string // lines the table must have
	}{
		{"demo.leader", "", []string{"蓝田街道便民服务中心", "LT-01 综合窗口1号", "LT-BC 办不成事反映窗口", "民光社区便民服务中心"}},
		{"demo.county", "region=431382", []string{"涟源市政务服务中心", "LY-ZW-BDC 不动产登记专窗", "六亩塘街道便民服务中心", "LMT-BC 办不成事反映窗口"}},
	} {
		cl := s.client()
		cl.login(c.login)
		status, body := cl.get("/dashboard?" + c.query)
		if status != http.StatusOK {
			t.Fatalf("%s dashboard: %d", c.login, status)
		}
		table := byID(parseHTML(t, body), "dash-windows")
		if table == nil {
			t.Fatalf("%s: no windows table", c.login)
		}
		lines := map[string]bool{}
		linked, counted := 0, int64(0)
		for _, row := range all(table, func(n *html.Node) bool { return n.DataAtom == atom.Tr && len(all(n, is(atom.Td))) > 0 }) {
			tds := all(row, is(atom.Td))
			name := strings.TrimSpace(text(tds[0]))
			lines[name] = true
			for col := 3; col <= 5; col++ { // received, 办不成事, resolved
				n := number(t, text(tds[col]))
				as := all(tds[col], is(atom.A))
				if len(as) != 1 {
					t.Errorf("%s: %s column %d has no link", c.login, name, col)
					continue
				}
				href := attr(as[0], "href")
				if u, err := url.Parse(href); err != nil || u.Query().Get("window") == "" {
					t.Errorf("%s: %s links to %q", c.login, name, href)
				}
				total, listed := listAll(t, cl, href)
				if total != n || listed != n {
					t.Errorf("%s: %s column %d: figure %d, the list says %d and lists %d (%s)", c.login, name, col, n, total, listed, href)
				}
				linked++
				counted += n
			}
		}
		for _, want := range c.names {
			if !lines[want] {
				t.Errorf("%s: no line %q in %v", c.login, want, lines)
			}
		}
		if linked < 12 || counted == 0 {
			t.Errorf("%s: %d linked figures counting %d cases: the test checks little", c.login, linked, counted)
		}
	}
	cl := s.client()
	cl.login("demo.county")
	if status, body := cl.get("/dashboard?region=431382"); status != http.StatusOK || !strings.Contains(body, "/dashboard/windows.xlsx?from=") {
		t.Fatalf("no XLSX link: %d", status)
	}
	resp, err := cl.http.Get(s.srv.URL + "/dashboard/windows.xlsx?region=431382")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("XLSX: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	other := s.client()
	other.login("demo.other")
	if status, _ := other.get("/dashboard/windows.xlsx?region=431382001"); status != http.StatusNotFound {
		t.Errorf("another street's XLSX: %d", status)
	}
}

// The administrators' page sets up halls and windows as the API does, and refuses
// what the service refuses; the intake form offers the windows the clerk may use.
func TestAdminWindowsPage(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.admin")
	status, body := c.get("/admin/windows")
	if status != http.StatusOK || !strings.Contains(body, "涟源市政务服务中心") || !strings.Contains(body, "LY-ZW-BDC") || !strings.Contains(body, "FW-004") {
		t.Fatalf("admin windows: %d", status)
	}
	status, loc, body := c.post("/admin/halls", url.Values{"code": {"LT-GM"}, "name": {"光明街社区便民服务中心"}, "kind": {"convenience_centre"},
		"region": {"431382001003"}, "active": {"1"}})
	if status != http.StatusSeeOther || loc != "/admin/windows?saved=1" {
		t.Fatalf("new hall: %d %q %.300s", status, loc, body)
	}
	halls, err := s.svc.Halls(t.Context(), s.users["demo.admin"], "431382001003")
	if err != nil || len(halls) != 1 {
		t.Fatalf("the new hall: %v %v", halls, err)
	}
	hall := halls[0].ID
	form := url.Values{"hall": {strconv.FormatInt(hall, 10)}, "code": {"LT-GM-01"}, "name": {"综合窗口"}, "kind": {"specialised"}, "matters": {"FW-003，FW-004"},
		"staff": {"demo.dispatcher"}, "set_up": {"2026-01-05"}, "active": {"1"}}
	if status, loc, body := c.post("/admin/windows", form); status != http.StatusSeeOther {
		t.Fatalf("new window: %d %q %.300s", status, loc, body)
	}
	ws, err := s.svc.Windows(t.Context(), s.users["demo.admin"], "", hall)
	if err != nil || len(ws) != 1 || strings.Join(ws[0].Matters, " ") != "FW-003 FW-004" || len(ws[0].Staff) != 1 || ws[0].Staff[0] != s.users["demo.dispatcher"].ID || ws[0].SetUp != "2026-01-05" {
		t.Fatalf("the new window: %+v %v", ws, err)
	}
	if status, body := c.get("/admin/windows?window=" + strconv.FormatInt(ws[0].ID, 10)); status != http.StatusOK || !strings.Contains(body, `value="demo.dispatcher"`) {
		t.Errorf("editing the window: %d", status)
	}
	form.Set("kind", "comprehensive")
	form.Set("code", "LT-GM-02")
	if status, _, body := c.post("/admin/windows", form); status != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, `value="LT-GM-02"`) {
		t.Errorf("a comprehensive window with matters: %d, want 400 with the form kept", status)
	}
	if ws, _ := s.svc.Windows(t.Context(), s.users["demo.admin"], "", hall); len(ws) != 1 {
		t.Errorf("a refused window was stored: %+v", ws)
	}
	form.Set("staff", "nobody.here")
	if status, _, _ := c.post("/admin/windows", form); status != http.StatusBadRequest {
		t.Errorf("an unknown staff login: %d", status)
	}
	d := s.client()
	d.login("demo.dispatcher")
	if status, _ := d.get("/admin/windows"); status != http.StatusForbidden {
		t.Errorf("a dispatcher on the admin page: %d", status)
	}
	status, body = d.get("/intake/window")
	if status != http.StatusOK || !strings.Contains(body, `<option value="LT-01" selected>`) || !strings.Contains(body, `value="LY-ZW-BC"`) || strings.Contains(body, "LMT-01") {
		t.Errorf("the window form: %d, want the clerk's own window chosen, the district's offered, another street's not", status)
	}
	// the matter's 无差别综合受理 flag on its admin form
	c.get("/admin/matters/SR-001")
	if status, _, _ := c.post("/admin/matters/SR-001", url.Values{"name": {"暴露垃圾"}, "lead_org": {"LY-CGJ"}, "ack": {"2h"}, "resolve": {"1d"}, "priority": {"2"}, "public": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("saving SR-001: %d", status)
	}
	if m, err := s.svc.Matter(t.Context(), "SR-001"); err != nil || m.Comprehensive {
		t.Errorf("SR-001 unticked: %+v %v", m.Comprehensive, err)
	}
}
