package api_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestLinkagesAndPlansInScope (issue 18 item 10): linkages and inspection plans are
// read within the reader's region grants like cases. The demo street's dispatcher lists
// exactly the linkages placed in the street (a community, an enterprise's region) and
// the street's plan entries; another street's dispatcher none of them, until a plan
// entry covers the whole county, which concerns both streets; the administrator, who
// keeps the linkages, lists every one, the one to an enterprise not registered too.
func TestLinkagesAndPlansInScope(t *testing.T) {
	h := hServer(t, 0)
	const street, county = "431382001", "431382"
	list := func(who, path, key string) []map[string]any {
		t.Helper()
		status, body := h.hAs(who, "GET", path, nil)
		if status != 200 {
			t.Fatalf("%s %s: %d %v", who, path, status, body)
		}
		var out []map[string]any
		for _, v := range body[key].([]any) {
			out = append(out, v.(map[string]any))
		}
		return out
	}
	all := list("demo.admin", "/api/v1/linkages", "linkages")
	inStreet, unplaced := 0, 0
	for _, l := range all {
		place := fmt.Sprint(l["place"])
		switch {
		case l["place"] == nil:
			unplaced++
		case strings.HasPrefix(place, street):
			inStreet++
		}
	}
	if inStreet == 0 || unplaced != 1 || len(all) != inStreet+unplaced {
		t.Fatalf("the demo's linkages: %d, %d in the street, %d unplaced", len(all), inStreet, unplaced)
	}
	mine := list("demo.dispatcher", "/api/v1/linkages", "linkages")
	for _, l := range mine {
		if !strings.HasPrefix(fmt.Sprint(l["place"]), street) {
			t.Errorf("the street's dispatcher lists a linkage elsewhere: %v", l)
		}
	}
	if len(mine) != inStreet {
		t.Errorf("the street's dispatcher lists %d linkages, want %d", len(mine), inStreet)
	}
	if got := list("demo.other", "/api/v1/linkages", "linkages"); len(got) != 0 {
		t.Errorf("another street's dispatcher lists %d linkages: %v", len(got), got[0])
	}
	if got := list("demo.other", "/api/v1/linkages?kind=community&target=431382001001", "linkages"); len(got) != 0 {
		t.Errorf("another street's dispatcher reads a community of the street: %v", got)
	}

	plans := "/api/v1/inspection-plans?year=2026"
	streetPlans := len(list("demo.dispatcher", plans, "plans"))
	if streetPlans == 0 || len(list("demo.admin", plans, "plans")) != streetPlans {
		t.Fatalf("the demo's plan entries: %d for the street", streetPlans)
	}
	if got := list("demo.other", plans, "plans"); len(got) != 0 {
		t.Errorf("another street's dispatcher lists %d plan entries", len(got))
	}
	h.hRun(0, []hStep{{"a county-wide entry", "officer.LY-SJJ", "POST", "/api/v1/inspection-plans",
		map[string]any{"org": "LY-SJJ", "year": 2026, "kind": "全县食品安全检查", "region": county, "times": 1}, 201, ""}})
	if got := list("demo.other", plans, "plans"); len(got) != 1 || got[0]["region"] != county {
		t.Errorf("another street's dispatcher and the county's entry: %v", got)
	}
	if got := len(list("demo.dispatcher", plans, "plans")); got != streetPlans+1 {
		t.Errorf("the street's dispatcher lists %d entries, want %d", got, streetPlans+1)
	}
}
