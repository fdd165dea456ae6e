package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/demo"
)

// hWindowCounty sets up, through the API, a county the demo knows nothing of (冷水江市)
// with its administrator, leader and two street dispatchers.
func (h *hEnv) hWindowCounty() map[string]int64 {
	h.t.Helper()
	// the installation grows a second county: its catalogue is then kept by an
	// administrator of all of it, no longer by the demo county's
	h.hRun(0, []hStep{{"the installation's administrator", "demo.admin", "POST", "/api/v1/users",
		map[string]any{"login": "root", "name": "root", "password": demo.Password, "grants": []any{map[string]any{"role": "admin"}}}, 201, ""}})
	for _, r := range [][2]string{{"431381", "冷水江市"}, {"431381001", "锑都街道"}, {"431381001001", "锑都社区"}, {"431381002", "沙塘湾街道"}} {
		if s, got := h.hAs("root", "PUT", "/api/v1/regions/"+r[0], map[string]any{"name": r[1]}); s != http.StatusOK {
			h.t.Fatalf("region %s: %d %v", r[0], s, got)
		}
	}
	ids := map[string]int64{}
	for login, g := range map[string]map[string]any{"lsj.admin": {"role": "admin", "region": "431381"}, "lsj.leader": {"role": "leader", "region": "431381"},
		"lsj.a": {"role": "dispatcher", "region": "431381001"}, "lsj.b": {"role": "dispatcher", "region": "431381002"}} {
		s, got := h.hAs("root", "POST", "/api/v1/users", map[string]any{"login": login, "name": login, "password": demo.Password, "grants": []any{g}})
		if s != http.StatusCreated {
			h.t.Fatalf("user %s: %d %v", login, s, got)
		}
		ids[login] = hNum(got, "id")
	}
	return ids
}

// hCreate posts body to path as who, wants 201 with a Location, and answers the id.
func (h *hEnv) hCreate(who, path string, body map[string]any) int64 {
	h.t.Helper()
	status, raw, header := h.hRaw("POST", path, h.hTok(who), body)
	if status != http.StatusCreated {
		h.t.Fatalf("POST %s %v: %d %s", path, body, status, raw)
	}
	_, got := h.hAs(who, "GET", header.Get("Location"), nil)
	if hNum(got, "id") == 0 || hStr(got, "code") != body["code"] {
		h.t.Fatalf("Location %s gives %v", header.Get("Location"), got)
	}
	return hNum(got, "id")
}

func TestWindowsThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	users := h.hWindowCounty()
	// 无差别综合受理 through the matter's own PUT
	_, sr := h.hAs("root", "GET", "/api/v1/matters/SR-001", nil)
	sr["comprehensive"] = true
	delete(sr, "code")
	if s, got := h.hAs("root", "PUT", "/api/v1/matters/SR-001", sr); s != http.StatusOK || got["comprehensive"] != true {
		t.Fatalf("marking SR-001 comprehensive: %d %v", s, got)
	}
	if _, fw := h.hAs("lsj.a", "GET", "/api/v1/matters/FW-004", nil); fw["comprehensive"] != false {
		t.Fatalf("FW-004: %v, want it not comprehensive", fw)
	}
	centre := h.hCreate("lsj.admin", "/api/v1/halls", map[string]any{"code": "LSJ-ZWFW", "name": "冷水江市政务服务中心", "region": "431381", "kind": "service_centre"})
	street := h.hCreate("lsj.admin", "/api/v1/halls", map[string]any{"code": "LSJ-TD", "name": "锑都街道便民服务中心", "region": "431381001", "kind": "convenience_centre"})
	win := map[string]int64{}
	for _, w := range []map[string]any{
		{"hall_id": street, "code": "TD-01", "name": "综合窗口1号", "kind": "comprehensive", "set_up": "2025-01-01", "staff": []int64{users["lsj.a"]}},
		{"hall_id": street, "code": "TD-02", "name": "综合窗口2号", "kind": "comprehensive"},
		{"hall_id": centre, "code": "ZW-BC", "name": "办不成事反映窗口", "kind": "cannot_do", "set_up": "2025-01-01"},
		{"hall_id": centre, "code": "ZW-BDC", "name": "不动产专窗", "kind": "specialised", "set_up": "2025-01-01", "matters": []string{"FW-004"}},
	} {
		win[w["code"].(string)] = h.hCreate("lsj.admin", "/api/v1/windows", w)
	}
	hWindowRefusals(h, street, win)
	path := func(id int64) string { return fmt.Sprintf("/api/v1/windows/%d", id) }
	s, got := h.hAs("lsj.admin", "PUT", path(win["TD-02"]), map[string]any{"hall_id": street, "code": "TD-02", "name": "综合窗口二号", "kind": "comprehensive"})
	if s != http.StatusOK || hStr(got, "name") != "综合窗口二号" || got["active"] != true {
		t.Fatalf("rename TD-02: %d %v", s, got)
	}

	file := func(ch, matter, window string) (int, map[string]any) {
		return h.hAs("lsj.a", "POST", "/api/v1/intake", map[string]any{"window": window,
			"case": map[string]any{"matter": matter, "title": "窗口受理", "region": "431381001001", "channel": ch}})
	}
	var ids []int64
	for _, f := range [][3]string{{"window", "SR-001", "TD-01"}, {"cannot_do_window", "FW-004", fmt.Sprint(win["ZW-BC"])}, {"window", "FW-004", "ZW-BDC"}} {
		s, got := file(f[0], f[1], f[2])
		if s != http.StatusCreated || hStr(got["window"].(map[string]any), "code") == "" || got["secret"] == "" {
			t.Fatalf("filing at %s: %d %v", f[2], s, got)
		}
		ids = append(ids, hNum(got["case"].(map[string]any), "id"))
	}
	for _, c := range []struct{ name, ch, matter, window, want string }{
		{"a matter the window does not accept", "window", "FW-004", "TD-01", "does not accept matter FW-004"},
		{"no window where windows serve", "window", "SR-001", "", "TD-01（综合窗口1号）, TD-02（综合窗口二号）"},
		{"办不成事 at a comprehensive window", "cannot_do_window", "SR-001", "TD-01", "comes through a cannot_do window"},
	} {
		if s, got := file(c.ch, c.matter, c.window); s != http.StatusBadRequest || !strings.Contains(fmt.Sprint(got), c.want) {
			t.Errorf("%s: %d %v, want 400 saying %q", c.name, s, got, c.want)
		}
	}
	h.hAct("lsj.a", ids[0], "accept", nil)
	h.hAct("lsj.a", ids[0], "dispatch", map[string]any{"org": "LY-CGJ"})
	for _, a := range []string{"acknowledge", "start"} {
		h.hAct("officer.LY-CGJ", ids[0], a, nil)
	}
	h.hAct("officer.LY-CGJ", ids[0], "resolve", map[string]any{"result": "已清运"})
	h.hAct("lsj.a", ids[0], "verify", nil)
	h.hAct("lsj.a", ids[0], "visit", map[string]any{"satisfaction": "satisfied"})
	hWindowFigures(h, win)
	hWindowScope(h, win)
}

// hWindowRefusals: who may not set up what, and what is not a window.
func hWindowRefusals(h *hEnv, street int64, win map[string]int64) {
	h.t.Helper()
	good := map[string]any{"hall_id": street, "code": "TD-09", "name": "x", "kind": "comprehensive"}
	for _, c := range []struct {
		name, as, method, path string
		body                   any
		want                   int
	}{
		{"a dispatcher sets up a window", "lsj.a", "POST", "/api/v1/windows", good, 403},
		{"a leader sets up a hall", "lsj.leader", "POST", "/api/v1/halls", map[string]any{"code": "X", "name": "x", "region": "431381", "kind": "service_centre"}, 403},
		{"a hall outside the admin's region", "lsj.admin", "POST", "/api/v1/halls", map[string]any{"code": "X", "name": "x", "region": "431382001", "kind": "convenience_centre"}, 403},
		{"a hall of no kind", "lsj.admin", "POST", "/api/v1/halls", map[string]any{"code": "X", "name": "x", "region": "431381", "kind": "office"}, 400},
		{"an unknown field", "lsj.admin", "POST", "/api/v1/windows", map[string]any{"hall_id": street, "code": "TD-09", "name": "x", "kind": "comprehensive", "colour": 1}, 400},
		{"a specialised window without matters", "lsj.admin", "POST", "/api/v1/windows", map[string]any{"hall_id": street, "code": "TD-09", "name": "x", "kind": "specialised"}, 400},
		{"an unknown matter", "lsj.admin", "POST", "/api/v1/windows", map[string]any{"hall_id": street, "code": "TD-09", "name": "x", "kind": "specialised", "matters": []string{"NOPE"}}, 400},
		{"an unknown hall", "lsj.admin", "POST", "/api/v1/windows", map[string]any{"hall_id": 999999, "code": "TD-09", "name": "x", "kind": "comprehensive"}, 400},
		{"a code taken", "lsj.admin", "POST", "/api/v1/windows", map[string]any{"hall_id": street, "code": "TD-01", "name": "x", "kind": "comprehensive"}, 409},
		{"staff who is no dispatcher there", "lsj.admin", "POST", "/api/v1/windows", map[string]any{"hall_id": street, "code": "TD-09", "name": "x", "kind": "comprehensive", "staff": []int64{1}}, 400},
		{"moving a window to another hall", "lsj.admin", "PUT", fmt.Sprintf("/api/v1/windows/%d", win["TD-01"]), map[string]any{"hall_id": street + 1000, "code": "TD-01", "name": "x", "kind": "comprehensive"}, 400},
		{"another county's administrator", "demo.admin", "PUT", fmt.Sprintf("/api/v1/windows/%d", win["TD-01"]), good, 404},
		{"no such window", "lsj.admin", "PUT", "/api/v1/windows/999999", good, 404},
		{"closing a hall with open windows", "lsj.admin", "PUT", fmt.Sprintf("/api/v1/halls/%d", street), map[string]any{"code": "LSJ-TD", "name": "x", "region": "431381001", "kind": "convenience_centre", "active": false}, 400},
	} {
		if s, got := h.hAs(c.as, c.method, c.path, c.body); s != c.want {
			h.t.Errorf("%s: %d %v, want %d", c.name, s, got, c.want)
		} else {
			hCheckError(h.t, c.name, got)
		}
	}
}

// hWindowFigures checks each figure of the statistics, and the downloads.
func hWindowFigures(h *hEnv, win map[string]int64) {
	h.t.Helper()
	s, rep := h.hAs("lsj.leader", "GET", "/api/v1/stats/windows?region=431381&from=2026-02&to=2026-03", nil)
	if s != http.StatusOK {
		h.t.Fatalf("window statistics: %d %v", s, rep)
	}
	h.hWant("period", rep, `{"region": "431381", "from": "2026-02-01", "to": "2026-03-31"}`)
	rows := map[string]map[string]any{}
	for _, w := range rep["windows"].([]any) {
		rows[hStr(w.(map[string]any), "code")] = w.(map[string]any)
	}
	for code, want := range map[string]string{
		"TD-01":  `{"received": 1, "cannot_do": 0, "resolved": 1, "resolved_on_time": 1, "visited": 1, "satisfied": 1, "basically_satisfied": 0, "on_time_rate": 1, "satisfaction_rate": 1, "open": true}`,
		"TD-02":  `{"received": 0, "cannot_do": 0, "resolved": 0, "resolved_on_time": 0, "visited": 0, "satisfied": 0, "on_time_rate": null, "satisfaction_rate": null, "open": true, "set_up": "2026-03-02"}`,
		"ZW-BC":  `{"received": 1, "cannot_do": 1, "resolved": 0, "on_time_rate": null, "satisfaction_rate": null, "kind": "cannot_do"}`,
		"ZW-BDC": `{"received": 1, "cannot_do": 0, "resolved": 0, "kind": "specialised"}`,
	} {
		if rows[code] == nil {
			h.t.Fatalf("window %s not in %v", code, rep)
		}
		h.hWant("window "+code, rows[code], want)
	}
	h.hWant("halls", rep, `{"halls": [
		{"code": "LSJ-ZWFW", "windows": {"total": 2, "comprehensive": 0, "cannot_do": 1, "specialised": 1}, "received": 2, "cannot_do": 1, "resolved": 0},
		{"code": "LSJ-TD", "windows": {"total": 2, "comprehensive": 2, "cannot_do": 0, "specialised": 0}, "received": 1, "resolved": 1, "satisfaction_rate": 1}]}`)
	h.hWant("total", rep, `{"total": {"windows": {"total": 4, "comprehensive": 2, "cannot_do": 1, "specialised": 1}, "received": 3, "cannot_do": 1, "resolved": 1, "resolved_on_time": 1, "visited": 1, "satisfaction_rate": 1}}`)
	// the case list behind TD-01's figure
	if _, got := h.hAs("lsj.leader", "GET", fmt.Sprintf("/api/v1/cases?window=%d&from=2026-02&to=2026-03", win["TD-01"]), nil); len(got["cases"].([]any)) != 1 {
		h.t.Errorf("cases at TD-01: %v", got)
	}
	status, raw, header := h.hRaw("GET", "/api/v1/stats/windows?region=431381&from=2026-02&to=2026-03&format=csv", h.hLogin("lsj.leader"), nil)
	if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") || !strings.Contains(string(raw), "TD-02,综合窗口二号,综合窗口,2026-03-02,是,0,0,0,0,—,0,—") {
		h.t.Errorf("CSV: %d %s %s", status, header.Get("Content-Type"), raw)
	}
	status, raw, header = h.hRaw("GET", "/api/v1/stats/windows?format=xlsx", h.hLogin("lsj.leader"), nil)
	if status != http.StatusOK || !strings.Contains(header.Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(string(raw), "PK") {
		h.t.Errorf("XLSX: %d %s", status, header.Get("Content-Type"))
	}
}

// hWindowScope: who reads what, and what is malformed.
func hWindowScope(h *hEnv, win map[string]int64) {
	h.t.Helper()
	for _, c := range []struct {
		name, as, path string
		want           int
	}{
		{"another street's dispatcher asks for this street", "lsj.b", "/api/v1/stats/windows?region=431381001", 404},
		{"another street's dispatcher reads a window", "lsj.b", fmt.Sprintf("/api/v1/windows/%d", win["TD-01"]), 404},
		{"another street's dispatcher lists this street", "lsj.b", "/api/v1/windows?region=431381001", 404},
		{"an officer asks for statistics", "officer.LY-CGJ", "/api/v1/stats/windows", 403},
		{"a bad format", "lsj.leader", "/api/v1/stats/windows?format=pdf", 400},
		{"a bad period", "lsj.leader", "/api/v1/stats/windows?from=2026-13", 400},
		{"a bad window filter", "lsj.leader", "/api/v1/cases?window=abc", 400},
		{"a bad hall filter", "lsj.leader", "/api/v1/windows?hall=x", 400},
		{"no token", "", "/api/v1/halls", 401},
	} {
		if s, got := h.hAs(c.as, "GET", c.path, nil); s != c.want {
			h.t.Errorf("%s: %d %v, want %d", c.name, s, got, c.want)
		}
	}
	if _, got := h.hAs("lsj.b", "GET", "/api/v1/windows", nil); len(got["windows"].([]any)) != 0 {
		h.t.Errorf("lsj.b's street has no window: %v", got)
	}
	if _, got := h.hAs("lsj.leader", "GET", "/api/v1/halls?region=431381", nil); len(got["halls"].([]any)) != 2 {
		h.t.Errorf("the county's halls: %v", got)
	}
}
