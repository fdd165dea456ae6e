package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"whistle/demo"
)

// TestLeaderFilesLastWeeksFindings (issue 17): on a community, an org, a matter and
// people made here, a leader records last Wednesday's patrol on Monday with a hazard it
// found. It is filed (a grid worker of another community is refused it, 403 forbidden),
// and counted in last week and last month everywhere (the hazard ledger and its
// workbook, the case statistics, the case list's period), none in this week or month,
// while the intake event keeps when it was entered and every deadline counts from then.
func TestLeaderFilesLastWeeksFindings(t *testing.T) {
	h := hServer(t, 0)
	const place, grid, elsewhere = "431382001098", "431382001098001", "431382001097"
	user := func(login, name, role, region string) string {
		return fmt.Sprintf(`{"login":%q,"name":%q,"password":%q,"grants":[{"role":%q,"region":%q}]}`, login, name, demo.Password, role, region)
	}
	h.hRun(0, []hStep{
		{"community", "demo.admin", "PUT", "/api/v1/regions/" + place, `{"name":"试点社区"}`, 200, ""},
		{"its grid", "demo.admin", "PUT", "/api/v1/regions/" + grid, `{"name":"试点网格"}`, 200, ""},
		{"another community", "demo.admin", "PUT", "/api/v1/regions/" + elsewhere, `{"name":"邻近社区"}`, 200, ""},
		{"org", "demo.admin", "PUT", "/api/v1/orgs/T-AQB", `{"name":"试点安全办","region":"431382","kind":"department"}`, 200, ""},
		{"matter", "demo.admin", "PUT", "/api/v1/matters/T-AQ-1", `{"name":"试点隐患","class":"安全","category":"event","lead_org":"T-AQB",
			"ack_deadline":{"n":2,"unit":"hour"},"resolve_deadline":{"n":3,"unit":"day"},"priority":2}`, 200, ""},
		{"leader", "demo.admin", "POST", "/api/v1/users", user("t.leader", "试点领导", "leader", place), 201, ""},
		{"grid worker elsewhere", "demo.admin", "POST", "/api/v1/users", user("t.grid", "邻近网格员", "grid_worker", elsewhere), 201, ""},
	})
	entered := h.clock.Now() // Monday 2 March 2026, 09:00
	found := time.Date(2026, 2, 25, 10, 0, 0, 0, entered.Location())
	finding := map[string]any{"matter": "T-AQ-1", "title": "配电箱无防护", "measures": "加装防护罩", "region": grid}
	patrol := func(region string) map[string]any {
		return map[string]any{"region": region, "started_at": found.Format(time.RFC3339), "ended_at": found.Add(time.Hour).Format(time.RFC3339),
			"findings": []map[string]any{finding}}
	}
	got := h.hRun(0, []hStep{
		{"not theirs to file", "t.grid", "POST", "/api/v1/patrols", patrol(elsewhere), 403, `{"error":{"code":"forbidden"}}`},
		{"the leader's patrol", "t.leader", "POST", "/api/v1/patrols", patrol(grid), 201, fmt.Sprintf(`{"region":%q,"user_name":"试点领导"}`, grid)},
	})
	ids := got["hazard_case_ids"].([]any)
	if len(ids) != 1 {
		t.Fatalf("hazards of the patrol: %v", got)
	}
	id := int64(ids[0].(float64))
	c := h.hCase("t.leader", id)
	at := func(v any) time.Time {
		tm, err := time.Parse(time.RFC3339, fmt.Sprint(v))
		if err != nil {
			t.Fatalf("time %v: %v", v, err)
		}
		return tm
	}
	intake := c["events"].([]any)[0].(map[string]any)
	if !at(c["created_at"]).Equal(found) || !at(intake["at"]).Equal(entered) || !at(intake["data"].(map[string]any)["found_at"]).Equal(found) {
		t.Errorf("received %v, entered %v, found %v", c["created_at"], intake["at"], intake["data"])
	}
	h.hRun(id, []hStep{ // the rectification term counts from the filing: 7 days from Monday
		{"hazard", "t.leader", "GET", "/api/v1/hazards/{id}", nil, 200, `{"deadline":"2026-03-10T00:00:00+08:00","found_at":"2026-02-25T10:00:00+08:00","org":"T-AQB"}`},
	})
	h.hAct("demo.dispatcher", id, "accept", nil)
	d := h.hAct("demo.dispatcher", id, "dispatch", map[string]any{"org": "T-AQB"})
	if !at(d["ack_due"]).Equal(entered.Add(2*time.Hour)) || !at(d["resolve_due"]).After(entered) || d["overdue_ack"] != false || d["overdue_resolve"] != false {
		t.Errorf("deadlines of the dispatch: %v %v overdue %v %v", d["ack_due"], d["resolve_due"], d["overdue_ack"], d["overdue_resolve"])
	}

	lastWeek, thisWeek := "from=2026-02-23&to=2026-03-01", "from=2026-03-02&to=2026-03-08"
	count := func(path, list, field string) int64 {
		t.Helper()
		status, body := h.hAs("t.leader", "GET", path, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", path, status, body)
		}
		if field == "" {
			return int64(len(body[list].([]any)))
		}
		var n int64
		for _, r := range body[list].([]any) {
			n += hNum(r.(map[string]any), field)
		}
		return n
	}
	for _, tc := range []struct {
		name, path, list, field string
		want                    int64
	}{
		{"ledger of last week", "/api/v1/ledgers/hazards?region=" + place + "&" + lastWeek, "rows", "found", 1},
		{"ledger of this week", "/api/v1/ledgers/hazards?region=" + place + "&" + thisWeek, "rows", "found", 0},
		{"statistics of February", "/api/v1/stats/cases?region=" + place + "&by=matter&from=2026-02&to=2026-02", "rows", "received", 1},
		{"statistics of March", "/api/v1/stats/cases?region=" + place + "&by=matter&from=2026-03&to=2026-03", "rows", "received", 0},
		{"cases of last week", "/api/v1/cases?region=" + place + "&" + lastWeek, "cases", "", 1},
		{"cases of this week", "/api/v1/cases?region=" + place + "&" + thisWeek, "cases", "", 0},
	} {
		if got := count(tc.path, tc.list, tc.field); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	for period, want := range map[string]int{lastWeek: 1, thisWeek: 0} {
		status, raw, _ := h.hRaw("GET", "/api/v1/ledgers/hazards.xlsx?region="+place+"&"+period, h.hLogin("t.leader"), nil)
		if status != http.StatusOK {
			t.Fatalf("workbook %s: %d", period, status)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		detail, _ := f.GetRows("隐患明细台账")
		f.Close()
		if len(detail)-2 != want {
			t.Errorf("workbook %s lists %d hazards, want %d: %v", period, len(detail)-2, want, detail)
		}
	}
}
