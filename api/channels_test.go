package api_test

import (
	"fmt"
	"testing"
)

// TestChannelRulesOnEveryDoor (issue 18 item 4): the channel rule is the filing's, not
// one door's. A citizen filing through POST /api/v1/cases by any channel but online, or
// a hazard through POST /api/v1/hazards (a patrol's channel), is refused 403 forbidden
// as through /api/v1/intake, and nothing is counted; the roles that staff a channel
// still file by it, on every door.
func TestChannelRulesOnEveryDoor(t *testing.T) {
	h := hServer(t, 0)
	const grid = "431382001001001"
	received := func() map[string]float64 {
		t.Helper()
		status, stats := h.hAs("demo.leader", "GET", "/api/v1/stats/cases?region=431382001&by=channel&from=2026-03&to=2026-03", nil)
		if status != 200 {
			t.Fatalf("statistics: %d %v", status, stats)
		}
		out := map[string]float64{}
		for _, row := range stats["rows"].([]any) {
			r := row.(map[string]any)
			out[fmt.Sprint(r["group"])] = r["received"].(float64)
		}
		return out
	}
	before := received()
	newCase := func(channel string) map[string]any {
		return map[string]any{"matter": "SR-001", "title": "路边垃圾", "region": grid, "channel": channel}
	}
	forbidden := `{"error":{"code":"forbidden"}}`
	var steps []hStep
	for _, ch := range []string{"cannot_do_window", "hotline", "window", "open311", "inspection", "liaison", "grid_patrol"} {
		steps = append(steps,
			hStep{"citizen by " + ch, "demo.citizen", "POST", "/api/v1/cases", newCase(ch), 403, forbidden},
			hStep{"citizen by " + ch + " at the intake", "demo.citizen", "POST", "/api/v1/intake",
				map[string]any{"case": newCase(ch), "caller_phone": "13800001111", "enterprise": "91431382MA4L0DEMO1"}, 403, forbidden})
	}
	hazard := map[string]any{"matter": "SR-001", "title": "井盖缺失", "region": grid}
	steps = append(steps,
		hStep{"citizen reports a hazard", "demo.citizen", "POST", "/api/v1/hazards", hazard, 403, forbidden},
		hStep{"an officer reports a hazard", "demo.officer", "POST", "/api/v1/hazards", hazard, 403, forbidden},
		hStep{"a grid worker by hotline", "demo.grid", "POST", "/api/v1/cases", newCase("hotline"), 403, forbidden},
		hStep{"citizen online", "demo.citizen", "POST", "/api/v1/cases", newCase("online"), 201, `{"channel":"online"}`},
		hStep{"dispatcher by the 办不成事 window", "demo.dispatcher", "POST", "/api/v1/cases", newCase("cannot_do_window"), 201, `{"channel":"cannot_do_window"}`},
		hStep{"grid worker on patrol", "demo.grid", "POST", "/api/v1/cases", newCase("grid_patrol"), 201, `{"channel":"grid_patrol"}`},
		hStep{"grid worker's hazard", "demo.grid", "POST", "/api/v1/hazards", hazard, 201, ""},
	)
	h.hRun(0, steps)
	after := received()
	want := map[string]float64{"online": 1, "cannot_do_window": 1, "grid_patrol": 2}
	for ch := range map[string]bool{"online": true, "cannot_do_window": true, "grid_patrol": true, "hotline": true, "window": true,
		"open311": true, "inspection": true, "liaison": true} {
		if got := after[ch] - before[ch]; got != want[ch] {
			t.Errorf("received by %s: %v more, want %v", ch, got, want[ch])
		}
	}
}
