package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestAdminUsers: administrators create, read, change and disable users; the rules of
// logins, passwords and grants hold; nobody else may.
func TestAdminUsers(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	newUser := `{"login":"new.dispatcher","name":"新调度员","phone":"13900001111","password":"secret-pass-1",
		"grants":[{"role":"dispatcher","region":"431382001"}]}`
	created := h.hRun(0, []hStep{
		{"create", "demo.admin", "POST", "/api/v1/users", newUser, 201,
			`{"login":"new.dispatcher","name":"新调度员","disabled":false,"grants":[{"role":"dispatcher","region":"431382001"}]}`},
	})
	uid := hNum(created, "id")
	if uid <= 0 {
		t.Fatalf("created user has no id: %v", created)
	}
	u := fmt.Sprintf("/api/v1/users/%d", uid)
	h.hRun(0, []hStep{
		{"duplicate login", "demo.admin", "POST", "/api/v1/users", newUser, 409, `{"error":{"code":"conflict"}}`},
		{"duplicate demo login", "demo.admin", "POST", "/api/v1/users", strings.Replace(newUser, "new.dispatcher", "demo.citizen", 1), 409, `{"error":{"code":"conflict"}}`},
		{"bad role", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[{"role":"emperor"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"dispatcher without region", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[{"role":"dispatcher"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"officer without org", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[{"role":"officer"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown org", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[{"role":"officer","org":"NOPE"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown region", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[{"role":"grid_worker","region":"431382001999"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"no grants", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[]}`, 400, `{"error":{"code":"invalid"}}`},
		{"short password", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"short","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"no password", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad login", "demo.admin", "POST", "/api/v1/users", `{"login":"has space","password":"secret-pass-1","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown field", "demo.admin", "POST", "/api/v1/users", `{"login":"u.bad","password":"secret-pass-1","grants":[{"role":"citizen"}],"admin":true}`, 400, `{"error":{"code":"invalid"}}`},
		{"none of those was made", "demo.admin", "GET", "/api/v1/users/999999", nil, 404, `{"error":{"code":"not_found"}}`},
		{"dispatcher may not create", "demo.dispatcher", "POST", "/api/v1/users", strings.Replace(newUser, "new.dispatcher", "u.sneaky", 1), 403, `{"error":{"code":"forbidden"}}`},
		{"leader may not list", "demo.leader", "GET", "/api/v1/users", nil, 403, `{"error":{"code":"forbidden"}}`},
		{"citizen may not read", "demo.citizen", "GET", u, nil, 403, `{"error":{"code":"forbidden"}}`},
		{"officer may not update", "demo.officer", "PUT", u, `{"name":"x","grants":[{"role":"admin"}]}`, 403, `{"error":{"code":"forbidden"}}`},
		{"no token", "", "GET", "/api/v1/users", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"list", "demo.admin", "GET", "/api/v1/users", nil, 200, `{"users":[{"login":"new.dispatcher"},{"login":"demo.admin"}]}`},
		{"read", "demo.admin", "GET", u, nil, 200, `{"login":"new.dispatcher","phone":"13900001111"}`},
		{"non-numeric id", "demo.admin", "GET", "/api/v1/users/abc", nil, 404, `{"error":{"code":"not_found"}}`},
	})
	// no password hash ever leaves the server
	for _, p := range []string{"/api/v1/users", u} {
		_, raw, _ := h.hRaw("GET", p, h.hLogin("demo.admin"), nil)
		if bytes.Contains(raw, []byte("argon2")) || bytes.Contains(raw, []byte("password")) {
			t.Fatalf("GET %s shows password data: %.300s", p, raw)
		}
	}
	// the new user works: logs in and dispatches in the street
	tok := h.hLoginWith("new.dispatcher", "secret-pass-1")
	id := h.hFile("demo.grid", hGrid, "SR-001", "")
	h.hAct("new.dispatcher", id, "accept", nil)

	h.hRun(0, []hStep{
		{"update name and grants", "demo.admin", "PUT", u, `{"name":"改名调度员","grants":[{"role":"leader","region":"431382001"}]}`, 200,
			`{"login":"new.dispatcher","name":"改名调度员","grants":[{"role":"leader","region":"431382001"}]}`},
		{"a login cannot be renamed", "demo.admin", "PUT", u, `{"login":"other.name","name":"x","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"update with a bad role", "demo.admin", "PUT", u, `{"name":"x","grants":[{"role":"tsar"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"update an absent user", "demo.admin", "PUT", "/api/v1/users/999999", `{"name":"x","grants":[{"role":"citizen"}]}`, 404, `{"error":{"code":"not_found"}}`},
		{"still the leader", "demo.admin", "GET", u, nil, 200, `{"name":"改名调度员","grants":[{"role":"leader"}]}`},
		// the new grants hold at once for the live token: a leader may not dispatch
		{"new grants hold", "!" + tok, "POST", fmt.Sprintf("/api/v1/cases/%d/dispatch", id), `{"version":2,"org":"LY-CGJ"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"disable", "demo.admin", "PUT", u, `{"name":"改名调度员","disabled":true,"grants":[{"role":"leader","region":"431382001"}]}`, 200, `{"disabled":true}`},
		{"disabled: token dead", "!" + tok, "GET", "/api/v1/me", nil, 401, `{"error":{"code":"unauthorized"}}`},
		{"disabled: cannot log in", "", "POST", "/api/v1/auth/token", `{"login":"new.dispatcher","password":"secret-pass-1"}`, 401, `{"error":{"code":"unauthorized"}}`},
		{"enable with a new password", "demo.admin", "PUT", u, `{"name":"改名调度员","password":"another-pass-2","grants":[{"role":"leader","region":"431382001"}]}`, 200, `{"disabled":false}`},
		{"old password no longer", "", "POST", "/api/v1/auth/token", `{"login":"new.dispatcher","password":"secret-pass-1"}`, 401, `{"error":{"code":"unauthorized"}}`},
		{"new password", "", "POST", "/api/v1/auth/token", `{"login":"new.dispatcher","password":"another-pass-2"}`, 200, `{"user":{"login":"new.dispatcher"}}`},
	})
}

// TestAdminOrgsAndRegions: orgs and regions are written by administrators; a grid
// with a polygon then locates points inside it, the deepest region winning.
func TestAdminOrgsAndRegions(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	h.hRun(0, []hStep{
		{"new org", "demo.admin", "PUT", "/api/v1/orgs/LY-TEST", `{"name":"涟源市测试局","region":"431382","kind":"department"}`, 200,
			`{"code":"LY-TEST","name":"涟源市测试局","region":"431382"}`},
		{"listed", "demo.citizen", "GET", "/api/v1/orgs", nil, 200, `{"orgs":[{"code":"LY-TEST","name":"涟源市测试局"},{"code":"LY-CGJ"}]}`},
		{"rename", "demo.admin", "PUT", "/api/v1/orgs/LY-TEST", `{"name":"涟源市测试中心","region":"431382"}`, 200, `{"name":"涟源市测试中心"}`},
		{"renamed", "demo.dispatcher", "GET", "/api/v1/orgs", nil, 200, `{"orgs":[{"code":"LY-TEST","name":"涟源市测试中心"}]}`},
		{"no name", "demo.admin", "PUT", "/api/v1/orgs/LY-TEST", `{"region":"431382"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown region", "demo.admin", "PUT", "/api/v1/orgs/LY-TEST", `{"name":"x","region":"439999"}`, 400, `{"error":{"code":"invalid"}}`},
		{"code too long", "demo.admin", "PUT", "/api/v1/orgs/" + strings.Repeat("X", 40), `{"name":"x"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown field", "demo.admin", "PUT", "/api/v1/orgs/LY-TEST", `{"name":"x","boss":"me"}`, 400, `{"error":{"code":"invalid"}}`},
		{"non-admin", "demo.dispatcher", "PUT", "/api/v1/orgs/LY-TEST", `{"name":"x"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"unchanged by refusals", "demo.admin", "GET", "/api/v1/orgs", nil, 200, `{"orgs":[{"code":"LY-TEST","name":"涟源市测试中心","region":"431382"}]}`},
	})
	// the new org can be dispatched to at once
	id := h.hFile("demo.grid", hGrid, "SR-001", "")
	h.hWant("dispatch to new org", h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-TEST"}), `{"lead_org":"LY-TEST"}`)

	// a grid beside the demo grids (west of the street: outside every polygon, near its
	// community), and a micro-grid in its north-west corner
	grid := `{"type":"Polygon","coordinates":[[[111.62,27.72],[111.63,27.72],[111.63,27.73],[111.62,27.73],[111.62,27.72]]]}`
	micro := `{"type":"Polygon","coordinates":[[[111.620,27.728],[111.622,27.728],[111.622,27.730],[111.620,27.730],[111.620,27.728]]]}`
	far := `{"type":"Polygon","coordinates":[[[27.62,111.72],[27.63,111.72],[27.63,111.73],[27.62,111.73],[27.62,111.72]]]}` // lat and lon swapped
	body := func(name, poly string) string {
		return fmt.Sprintf(`{"name":%q,"kind":"grid","polygon":%q}`, name, poly)
	}
	h.hRun(0, []hStep{
		{"outside every polygon", "demo.grid", "GET", "/api/v1/locate?lat=27.725&lon=111.625", nil, 404, `{"error":{"code":"not_found"}}`},
		{"far from its community", "demo.admin", "PUT", "/api/v1/regions/431382001001099", body("民光社区测试网格", far), 400, `{"error":{"code":"invalid"}}`},
		{"a bow tie", "demo.admin", "PUT", "/api/v1/regions/431382001001099", body("民光社区测试网格",
			`{"type":"Polygon","coordinates":[[[111.62,27.72],[111.63,27.73],[111.63,27.72],[111.62,27.726],[111.62,27.72]]]}`), 400, `{"error":{"code":"invalid"}}`},
		{"add grid", "demo.admin", "PUT", "/api/v1/regions/431382001001099", body("民光社区测试网格", grid), 200,
			`{"code":"431382001001099","name":"民光社区测试网格","level":"grid","parent":"431382001001","stat_code":"431382001001099"}`},
		{"add micro-grid", "demo.admin", "PUT", "/api/v1/regions/431382001001099001", body("测试楼栋", micro), 200,
			`{"code":"431382001001099001","level":"micro_grid","parent":"431382001001099"}`},
		{"locate in the grid", "demo.grid", "GET", "/api/v1/locate?lat=27.723&lon=111.627", nil, 200, `{"code":"431382001001099","level":"grid"}`},
		{"locate in the micro-grid", "demo.citizen", "GET", "/api/v1/locate?lat=27.729&lon=111.621", nil, 200, `{"code":"431382001001099001"}`},
		{"just outside", "demo.grid", "GET", "/api/v1/locate?lat=27.7305&lon=111.625", nil, 404, `{"error":{"code":"not_found"}}`},
		{"a demo grid still locates (its 小区)", "demo.grid", "GET", "/api/v1/locate?lat=27.7015&lon=111.6515", nil, 200, `{"parent":"431382001001001","level":"micro_grid"}`},
		{"get region", "demo.dispatcher", "GET", "/api/v1/regions/431382001001099", nil, 200,
			`{"region":{"code":"431382001001099","level":"grid"},"ancestors":[{"code":"43"},{"code":"431382001001"}],"children":[{"code":"431382001001099001"}]}`},
		{"children", "demo.dispatcher", "GET", "/api/v1/regions?parent=431382001001", nil, 200, `{"regions":[{"code":"431382001001099"},{"code":"431382001001001"}]}`},
		{"bad locate", "demo.grid", "GET", "/api/v1/locate?lat=north&lon=111", nil, 400, `{"error":{"code":"invalid"}}`},
		{"locate out of range", "demo.grid", "GET", "/api/v1/locate?lat=95&lon=111", nil, 400, `{"error":{"code":"invalid"}}`},
		{"bad polygon", "demo.admin", "PUT", "/api/v1/regions/431382001001098", body("x", `{"type":"Polygon","coordinates":[[[1,1],[2,2]]]}`), 400, `{"error":{"code":"invalid"}}`},
		{"open ring", "demo.admin", "PUT", "/api/v1/regions/431382001001098", body("x", `{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2]]]}`), 400, `{"error":{"code":"invalid"}}`},
		{"not GeoJSON", "demo.admin", "PUT", "/api/v1/regions/431382001001098", body("x", `POLYGON((1 1,2 1,2 2,1 1))`), 400, `{"error":{"code":"invalid"}}`},
		{"no name", "demo.admin", "PUT", "/api/v1/regions/431382001001098", `{"polygon":""}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad code", "demo.admin", "PUT", "/api/v1/regions/4313820010010", `{"name":"x"}`, 400, `{"error":{"code":"invalid"}}`},
		{"letters in code", "demo.admin", "PUT", "/api/v1/regions/43138200100109A", `{"name":"x"}`, 400, `{"error":{"code":"invalid"}}`},
		{"no parent", "demo.admin", "PUT", "/api/v1/regions/431382001999001", `{"name":"x"}`, 400, `{"error":{"code":"invalid"}}`},
		{"non-admin", "demo.dispatcher", "PUT", "/api/v1/regions/431382001001098", body("x", grid), 403, `{"error":{"code":"forbidden"}}`},
		{"refused ones were not made", "demo.admin", "GET", "/api/v1/regions/431382001001098", nil, 404, `{"error":{"code":"not_found"}}`},
	})
	// a case filed with a position inside the new grid but no region lands there
	status, c := h.hAs("demo.citizen", "POST", "/api/v1/cases", `{"matter":"SR-001","title":"定位上报","lat":27.723,"lon":111.627}`)
	if status != 201 || hStr(c, "region") != "431382001001099" {
		t.Fatalf("file by position: %d %v", status, c)
	}
	// moving the grid's polygon moves the answer
	moved := `{"type":"Polygon","coordinates":[[[111.61,27.74],[111.62,27.74],[111.62,27.75],[111.61,27.75],[111.61,27.74]]]}`
	h.hRun(0, []hStep{
		{"move grid", "demo.admin", "PUT", "/api/v1/regions/431382001001099", body("民光社区测试网格", moved), 200, `{"code":"431382001001099"}`},
		{"old place: only the micro-grid", "demo.grid", "GET", "/api/v1/locate?lat=27.723&lon=111.627", nil, 404, `{"error":{"code":"not_found"}}`},
		{"new place", "demo.grid", "GET", "/api/v1/locate?lat=27.745&lon=111.615", nil, 200, `{"code":"431382001001099"}`},
	})
}

// TestAdminCalendar: a year of the calendar reads and writes whole; a weekday cannot be
// a make-up workday; a new holiday moves the deadlines computed after it.
func TestAdminCalendar(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	status, cal := h.hAs("demo.citizen", "GET", "/api/v1/calendar/2026", nil)
	if status != 200 {
		t.Fatalf("GET calendar: %d %v", status, cal)
	}
	h.hWant("calendar", cal, `{"year":2026,"office_hours":"08:30-12:00,14:00-17:30","days":[{"date":"2026-01-01","kind":"holiday"},{"date":"2026-10-01","kind":"holiday"}]}`)
	days := cal["days"].([]any)
	hasWorkday := false
	for _, d := range days {
		hasWorkday = hasWorkday || d.(map[string]any)["kind"] == "workday"
	}
	if !hasWorkday {
		t.Fatalf("2026 has no make-up workdays (调休): %v", days)
	}
	withDay := func(d map[string]any) map[string]any {
		return map[string]any{"days": append(append([]any{}, days...), d)}
	}
	h.hRun(0, []hStep{
		{"weekday as workday", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(map[string]any{"date": "2026-03-04", "kind": "workday", "name": "周三"}), 400, `{"error":{"code":"invalid"}}`},
		{"day of another year", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(map[string]any{"date": "2027-03-04", "kind": "holiday"}), 400, `{"error":{"code":"invalid"}}`},
		{"bad kind", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(map[string]any{"date": "2026-03-04", "kind": "party"}), 400, `{"error":{"code":"invalid"}}`},
		{"bad date", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(map[string]any{"date": "2026-02-30", "kind": "holiday"}), 400, `{"error":{"code":"invalid"}}`},
		{"a day twice", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(days[0].(map[string]any)), 400, `{"error":{"code":"invalid"}}`},
		{"year mismatch", "demo.admin", "PUT", "/api/v1/calendar/2026", `{"year":2025,"days":[]}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad office hours", "demo.admin", "PUT", "/api/v1/calendar/2026", `{"office_hours":"09:00-08:00","days":[]}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad year", "demo.admin", "PUT", "/api/v1/calendar/20x6", `{"days":[]}`, 400, `{"error":{"code":"invalid"}}`},
		{"non-admin", "demo.dispatcher", "PUT", "/api/v1/calendar/2026", map[string]any{"days": days}, 403, `{"error":{"code":"forbidden"}}`},
	})
	status, again := h.hAs("demo.admin", "GET", "/api/v1/calendar/2026", nil)
	if status != 200 || !reflect.DeepEqual(again, cal) {
		t.Fatalf("refused writes changed the calendar:\n%v\n%v", cal, again)
	}
	// writing back what was read changes nothing
	status, put := h.hAs("demo.admin", "PUT", "/api/v1/calendar/2026", map[string]any{"year": 2026, "days": days})
	if status != 200 || !reflect.DeepEqual(put, cal) {
		t.Fatalf("round trip: %d\n%v\n%v", status, cal, put)
	}
	// a holiday on Tuesday 3 March: a 1-working-day deadline from Monday 09:00 ends
	// Wednesday 09:00 instead of Tuesday 09:00
	id := h.hFile("demo.grid", hGrid, "SR-001", "")
	h.hRun(0, []hStep{
		{"add a holiday", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(map[string]any{"date": "2026-03-03", "kind": "holiday", "name": "测试假日"}), 200,
			`{"days":[{"date":"2026-03-03","kind":"holiday","name":"测试假日"}]}`},
	})
	h.hWant("deadline over the holiday", h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "LY-CGJ"}),
		`{"ack_due":"2026-03-02T11:00:00+08:00","resolve_due":"2026-03-04T09:00:00+08:00"}`)
	// a Saturday made a workday counts: Saturday 7 March
	h.hRun(0, []hStep{
		{"Saturday workday", "demo.admin", "PUT", "/api/v1/calendar/2026", withDay(map[string]any{"date": "2026-03-07", "kind": "workday", "name": "调休"}), 200, `{"days":[{"date":"2026-03-07","kind":"workday"}]}`},
		{"other years untouched", "demo.admin", "GET", "/api/v1/calendar/2025", nil, 200, `{"year":2025,"days":[{"date":"2025-01-01","kind":"holiday"}]}`},
	})
}

// TestAdminMatters: the catalog exports as CSV and imports back to the same catalog; a
// bad CSV is refused whole, changing nothing.
func TestAdminMatters(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	admin := h.hLogin("demo.admin")
	status, before := h.hAs("demo.admin", "GET", "/api/v1/matters", nil)
	if status != 200 || len(before["matters"].([]any)) < 100 {
		t.Fatalf("matters: %d, %d", status, len(before["matters"].([]any)))
	}
	status, exported, hdr := h.hRaw("GET", "/api/v1/matters.csv", admin, nil)
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", status, hdr.Get("Content-Type"))
	}
	rows, err := csv.NewReader(bytes.NewReader(exported)).ReadAll()
	if err != nil || len(rows) != len(before["matters"].([]any))+1 {
		t.Fatalf("exported CSV: %v, %d rows for %d matters", err, len(rows), len(before["matters"].([]any)))
	}
	status, body := h.hDo("POST", "/api/v1/matters.csv", admin, exported)
	if status != 200 || hNum(body, "imported") != int64(len(rows)-1) {
		t.Fatalf("re-import: %d %v", status, body)
	}
	if _, after := h.hAs("demo.admin", "GET", "/api/v1/matters", nil); !reflect.DeepEqual(after, before) {
		t.Fatalf("export then import changed the catalog")
	}
	status, again, _ := h.hRaw("GET", "/api/v1/matters.csv", admin, nil)
	if status != 200 || !bytes.Equal(again, exported) {
		t.Fatalf("second export differs from the first")
	}

	// a CSV whose first row renames SR-001 and whose last row is bad stores nothing
	col := columns(rows[0])
	bads, renamed := badCatalogs(rows)
	first := rows[1][col["code"]]
	for name, b := range bads {
		status, body := h.hDo("POST", "/api/v1/matters.csv", admin, b)
		if status != 400 || hErrCode(body) != "invalid" {
			t.Errorf("%s: %d %v, want 400", name, status, body)
			continue
		}
		hCheckError(t, name, body)
	}
	if _, after := h.hAs("demo.admin", "GET", "/api/v1/matters", nil); !reflect.DeepEqual(after, before) {
		t.Fatalf("a refused import changed the catalog")
	}
	h.hRun(0, []hStep{
		{"first matter keeps its name", "demo.citizen", "GET", "/api/v1/matters/" + first, nil, 200, fmt.Sprintf(`{"code":%q,"name":%q}`, first, rows[1][col["name"]])},
		{"non-admin export", "demo.dispatcher", "GET", "/api/v1/matters.csv", nil, 403, `{"error":{"code":"forbidden"}}`},
		{"non-admin import", "demo.leader", "POST", "/api/v1/matters.csv", string(exported), 403, `{"error":{"code":"forbidden"}}`},
		{"unknown matter", "demo.citizen", "GET", "/api/v1/matters/NO-1", nil, 404, `{"error":{"code":"not_found"}}`},
	})
	// a good import that renames does rename
	status, body = h.hDo("POST", "/api/v1/matters.csv", admin, renamed)
	if status != 200 {
		t.Fatalf("renaming import: %d %v", status, body)
	}
	h.hRun(0, []hStep{{"renamed", "demo.citizen", "GET", "/api/v1/matters/" + first, nil, 200, `{"name":"改了名的事项"}`}})
}

// columns numbers a CSV's columns by their names in its header.
func columns(header []string) map[string]int {
	col := map[string]int{}
	for i, c := range header {
		col[c] = i
	}
	return col
}

// badCatalogs makes, from an exported catalogue's rows, catalogues whose first row
// renames its matter and whose last row (or shape) is wrong in some way, by name; and
// renamed, the catalogue with only the first row renamed.
func badCatalogs(rows [][]string) (bads map[string][]byte, renamed []byte) {
	rename := func(mod func(rows [][]string) [][]string) []byte {
		cp := make([][]string, len(rows))
		for i := range rows {
			cp[i] = append([]string{}, rows[i]...)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.WriteAll(mod(cp))
		return buf.Bytes()
	}
	col := columns(rows[0])
	firstRenamed := func(rs [][]string) [][]string {
		rs[1][col["name"]] = "改了名的事项"
		return rs
	}
	lastIs := func(column, value string) []byte {
		return rename(func(rs [][]string) [][]string {
			rs = firstRenamed(rs)
			rs[len(rs)-1][col[column]] = value
			return rs
		})
	}
	bads = map[string][]byte{
		"bad deadline":     lastIs("ack_deadline", "soon"),
		"unknown lead org": lastIs("lead_org", "NO-SUCH-ORG"),
		"bad priority":     lastIs("priority", "urgent"),
		"bad category":     lastIs("category", "thing"),
		"bad route":        lastIs("routes", "431382001:NOPE"),
		"missing column": rename(func(rs [][]string) [][]string {
			rs = firstRenamed(rs)
			for i := range rs {
				rs[i] = rs[i][:col["resolve_deadline"]]
			}
			return rs
		}),
		"empty":   []byte(""),
		"not CSV": append(append([]byte{}, rename(firstRenamed)...), []byte("\"unterminated,x\n")...),
	}
	return bads, rename(firstRenamed)
}

// TestAdminLinkages: linkages are made, listed and ended by date, never deleted.
func TestAdminLinkages(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	officer := h.users["demo.officer"].ID
	made := h.hRun(0, []hStep{
		{"create", "demo.admin", "POST", "/api/v1/linkages", fmt.Sprintf(`{"kind":"community","user_id":%d,"org":"LY-CGJ","target":"431382001001","from":"2026-03-01","note":"测试联点"}`, officer), 201,
			`{"kind":"community","org":"LY-CGJ","target":"431382001001","from":"2026-03-01","note":"测试联点"}`},
	})
	lid := hNum(made, "id")
	if lid <= 0 {
		t.Fatalf("linkage without id: %v", made)
	}
	l := fmt.Sprintf("/api/v1/linkages/%d", lid)
	h.hRun(0, []hStep{
		{"list by target", "demo.dispatcher", "GET", "/api/v1/linkages?kind=community&target=431382001001", nil, 200,
			fmt.Sprintf(`{"linkages":[{"id":%d,"org":"LY-CGJ"},{"note":"联点领导"}]}`, lid)},
		{"list all as leader", "demo.leader", "GET", "/api/v1/linkages", nil, 200, `{"linkages":[{"kind":"enterprise","target":"91431382MA4DANFPCB","place":"431382001001"}]}`},
		{"an enterprise not registered, for the administrator", "demo.admin", "GET", "/api/v1/linkages?kind=enterprise&target=91431382MA4L0DEMO1", nil, 200,
			`{"linkages":[{"kind":"enterprise","target":"91431382MA4L0DEMO1"}]}`},
		{"end it", "demo.admin", "PUT", l, fmt.Sprintf(`{"kind":"community","user_id":%d,"org":"LY-CGJ","target":"431382001001","from":"2026-03-01","to":"2026-06-30","note":"测试联点"}`, officer), 200,
			fmt.Sprintf(`{"id":%d,"to":"2026-06-30"}`, lid)},
		{"ended in the list", "demo.admin", "GET", "/api/v1/linkages?kind=community&target=431382001001", nil, 200, fmt.Sprintf(`{"linkages":[{"id":%d,"to":"2026-06-30"}]}`, lid)},
		{"end before start", "demo.admin", "PUT", l, `{"kind":"community","org":"LY-CGJ","target":"431382001001","from":"2026-03-01","to":"2026-02-01"}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad kind", "demo.admin", "POST", "/api/v1/linkages", `{"kind":"friendship","org":"LY-CGJ","target":"431382001001","from":"2026-03-01"}`, 400, `{"error":{"code":"invalid"}}`},
		{"nobody linked", "demo.admin", "POST", "/api/v1/linkages", `{"kind":"community","target":"431382001001","from":"2026-03-01"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown user", "demo.admin", "POST", "/api/v1/linkages", `{"kind":"community","user_id":987654,"target":"431382001001","from":"2026-03-01"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown org", "demo.admin", "POST", "/api/v1/linkages", `{"kind":"community","org":"NOPE","target":"431382001001","from":"2026-03-01"}`, 400, `{"error":{"code":"invalid"}}`},
		{"unknown community", "demo.admin", "POST", "/api/v1/linkages", `{"kind":"community","org":"LY-CGJ","target":"431382001999","from":"2026-03-01"}`, 400, `{"error":{"code":"invalid"}}`},
		{"bad date", "demo.admin", "POST", "/api/v1/linkages", `{"kind":"community","org":"LY-CGJ","target":"431382001001","from":"1 March"}`, 400, `{"error":{"code":"invalid"}}`},
		{"absent linkage", "demo.admin", "PUT", "/api/v1/linkages/987654", `{"kind":"community","org":"LY-CGJ","target":"431382001001","from":"2026-03-01"}`, 404, `{"error":{"code":"not_found"}}`},
		{"non-numeric id", "demo.admin", "PUT", "/api/v1/linkages/abc", `{}`, 404, `{"error":{"code":"not_found"}}`},
		{"non-admin create", "demo.dispatcher", "POST", "/api/v1/linkages", `{"kind":"community","org":"LY-CGJ","target":"431382001001","from":"2026-03-01"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"non-admin end", "demo.leader", "PUT", l, `{"kind":"community","org":"LY-CGJ","target":"431382001001","from":"2026-03-01","to":"2026-03-02"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"citizen list", "demo.citizen", "GET", "/api/v1/linkages", nil, 403, `{"error":{"code":"forbidden"}}`},
		{"officer list", "demo.officer", "GET", "/api/v1/linkages", nil, 403, `{"error":{"code":"forbidden"}}`},
		{"still as ended", "demo.admin", "GET", "/api/v1/linkages?kind=community&target=431382001001", nil, 200, fmt.Sprintf(`{"linkages":[{"id":%d,"from":"2026-03-01","to":"2026-06-30"}]}`, lid)},
	})
}

// TestAdminRoutesNeedAdmin: every administrator route refuses every other role with
// 403 and no token with 401.
func TestAdminRoutesNeedAdmin(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	routes := [][2]string{{"PUT", "/api/v1/regions/431382001001097"}, {"PUT", "/api/v1/orgs/X"}, {"PUT", "/api/v1/matters/SR-001"},
		{"GET", "/api/v1/matters.csv"}, {"POST", "/api/v1/matters.csv"}, {"PUT", "/api/v1/calendar/2026"}, {"GET", "/api/v1/users"},
		{"POST", "/api/v1/users"}, {"GET", "/api/v1/users/1"}, {"PUT", "/api/v1/users/1"}, {"POST", "/api/v1/linkages"}, {"PUT", "/api/v1/linkages/1"}}
	logins := []string{"demo.leader", "demo.dispatcher", "demo.county", "demo.officer", "demo.grid", "demo.building", "demo.volunteer",
		"demo.liaison", "demo.helper", "demo.inspector", "demo.enterprise", "demo.citizen"}
	for _, r := range routes {
		for _, who := range logins {
			status, body := h.hAs(who, r[0], r[1], `{}`)
			if status != http.StatusForbidden || hErrCode(body) != "forbidden" {
				t.Errorf("%s %s as %s: %d %v, want 403", r[0], r[1], who, status, body)
			}
		}
		if status, _ := h.hAs("", r[0], r[1], `{}`); status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", r[0], r[1], status)
		}
	}
	// and nothing was written by the refused calls
	h.hRun(0, []hStep{
		{"no region", "demo.admin", "GET", "/api/v1/regions/431382001001097", nil, 404, `{"error":{"code":"not_found"}}`},
		{"matter intact", "demo.admin", "GET", "/api/v1/matters/SR-001", nil, 200, `{"code":"SR-001","lead_org":"LY-CGJ"}`},
	})
}

// TestMapTilesSetting: the tile server is named, read back and removed through the API
// by the installation's administrator; a template without its placeholders, or one a
// page would have to escape, is refused.
func TestMapTilesSetting(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	h.hRun(0, []hStep{
		{"none by default", "demo.admin", "GET", "/api/v1/settings/map-tiles", nil, 200, `{"template":""}`},
		{"no {y}", "demo.admin", "PUT", "/api/v1/settings/map-tiles", `{"template":"https://t.example.cn/{z}/{x}.png"}`, 400, `{"error":{"code":"invalid"}}`},
		{"a quote", "demo.admin", "PUT", "/api/v1/settings/map-tiles", `{"template":"https://t.example.cn/{z}/{x}/{y}.png\"x"}`, 400, `{"error":{"code":"invalid"}}`},
		{"not http", "demo.admin", "PUT", "/api/v1/settings/map-tiles", `{"template":"javascript:{z}{x}{y}"}`, 400, `{"error":{"code":"invalid"}}`},
		{"named", "demo.admin", "PUT", "/api/v1/settings/map-tiles", `{"template":"https://t.example.cn/{z}/{x}/{y}.png"}`, 200, `{"template":"https://t.example.cn/{z}/{x}/{y}.png"}`},
		{"read back", "demo.admin", "GET", "/api/v1/settings/map-tiles", nil, 200, `{"template":"https://t.example.cn/{z}/{x}/{y}.png"}`},
		{"removed", "demo.admin", "PUT", "/api/v1/settings/map-tiles", `{"template":""}`, 200, `{"template":""}`},
		{"a dispatcher", "demo.dispatcher", "PUT", "/api/v1/settings/map-tiles", `{"template":""}`, 403, `{"error":{"code":"forbidden"}}`},
	})
}
