package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// aidFigures writes an aid total's counts as one line to compare exactly:
// records, households, persons, amount, in kind, unvalued.
func aidFigures(v any) string {
	m, _ := v.(map[string]any)
	if m == nil {
		return "<none>"
	}
	return fmt.Sprintf("%v records, %v hh, %v persons, %v yuan, %v in kind, %v unvalued",
		m["records"], m["households"], m["persons"], m["amount"], m["in_kind_records"], m["unvalued_records"])
}

// TestGroupsAPIAidInKindAndChosenKinds builds a group, its households and members and
// a ledger through the API, with aid in kind with and without a value, and reads the
// totals over a chosen set of kinds, overall and over a period.
func TestGroupsAPIAidInKindAndChosenKinds(t *testing.T) {
	h := hServer(t, 0)
	id, refs := h.hGroup()
	member := map[string]int64{}
	for _, hh := range []string{"A1", "A2"} {
		_, sub := h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/subjects/%d", refs[hh]), nil)
		for _, m := range sub["members"].([]any) {
			member[m.(map[string]any)["name"].(string)] = int64(m.(map[string]any)["id"].(float64))
		}
	}
	if len(member) != 3 {
		t.Fatalf("members: %v", member)
	}
	post := func(body map[string]any) (int, map[string]any) {
		return h.hAs("demo.dispatcher", "POST", "/api/v1/assistance", body)
	}
	entries := []map[string]any{
		{"subject": member["甲"], "kind": "temporary_relief", "amount": "2000", "day": "2025-03-01", "org": "LY-MZJ"},
		{"subject": member["乙"], "kind": "training", "day": "2025-05-01", "org": "LY-MZJ"}, // no amount, as before
		{"subject": member["甲"], "kind": "subsistence", "form": "cash", "amount": "600.50", "day": "2025-07-01", "org": "LY-MZJ"},
		{"subject": refs["A1"], "kind": "medical", "amount": "1500", "day": "2025-08-01", "org": "LY-WJJ"},
		{"subject": refs["A2"], "kind": "housing_subsidy", "form": "in_kind", "item": "落实基本住房", "day": "2025-09-01", "org": "LY-ZJJ"},
		{"subject": member["乙"], "kind": "subsistence", "form": "in_kind", "item": "发放米油", "amount": "180", "day": "2025-12-01", "org": "LY-MZJ"},
		{"subject": member["丙"], "kind": "medical", "amount": "800", "day": "2026-01-10", "org": "LY-WJJ"},
	}
	for i, e := range entries {
		if s, b := post(e); s != http.StatusCreated {
			t.Fatalf("entry %d: %d %v", i, s, b)
		}
	}
	refused := []struct {
		name string
		body map[string]any
		want string
	}{
		{"housing subsidy without an amount", map[string]any{"subject": refs["A2"], "kind": "housing_subsidy", "day": "2025-09-01", "org": "LY-ZJJ"}, "needs an amount"},
		{"in kind without its item", map[string]any{"subject": refs["A2"], "kind": "housing_subsidy", "form": "in_kind", "day": "2025-09-01", "org": "LY-ZJJ"}, "item"},
		{"in kind worth 0 yuan", map[string]any{"subject": refs["A2"], "kind": "housing_subsidy", "form": "in_kind", "item": "x", "amount": "0", "day": "2025-09-01", "org": "LY-ZJJ"}, "above 0"},
		{"unknown form", map[string]any{"subject": refs["A2"], "kind": "housing_subsidy", "form": "voucher", "item": "x", "day": "2025-09-01", "org": "LY-ZJJ"}, "voucher"},
	}
	for _, c := range refused {
		if s, b := post(c.body); s != http.StatusBadRequest || !strings.Contains(fmt.Sprint(b), c.want) {
			t.Errorf("%s: %d %v, want 400 saying %q", c.name, s, b, c.want)
		}
	}
	// the household's ledger shows the entry in kind without an amount, not as 0 yuan
	s, list := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/assistance?subject=%d", refs["A2"]), nil)
	if s != http.StatusOK || len(list["entries"].([]any)) != 2 {
		t.Fatalf("A2's ledger: %d %v", s, list)
	}
	house := list["entries"].([]any)[0].(map[string]any)
	if v, ok := house["amount"]; !ok || v != nil || house["amount_fen"] != nil || house["form"] != "in_kind" || house["item"] != "落实基本住房" {
		t.Errorf("entry in kind without a value: %v", house)
	}
	if got, want := aidFigures(list["total"]), "2 records, 1 hh, 1 persons, 800.00 yuan, 1 in kind, 1 unvalued"; got != want {
		t.Errorf("A2's total: %s, want %s", got, want)
	}
	checkAidStats(t, h, id)
}

// checkAidStats reads the statistics of the ledger TestGroupsAPIAidInKindAndChosenKinds
// wrote: the chosen kinds' total, the overall total and the lines by kind, over the whole
// ledger and over a period; an unknown kind is refused by name.
func checkAidStats(t *testing.T, h *hEnv, id int64) {
	t.Helper()
	cases := []struct {
		query, selected, total string
		kindLine               map[string]string
	}{
		{"aid_kinds=temporary_relief,subsistence,medical",
			"5 records, 2 hh, 3 persons, 5080.50 yuan, 1 in kind, 0 unvalued",
			"7 records, 2 hh, 3 persons, 5080.50 yuan, 2 in kind, 1 unvalued",
			map[string]string{"housing_subsidy": "1 records, 1 hh, 0 persons, 0.00 yuan, 1 in kind, 1 unvalued",
				"subsistence": "2 records, 1 hh, 2 persons, 780.50 yuan, 1 in kind, 0 unvalued",
				"training":    "1 records, 1 hh, 1 persons, 0.00 yuan, 0 in kind, 0 unvalued"}},
		{"aid_kinds=medical&aid_kinds=subsistence,temporary_relief&aid_from=2025-06-01&as_of=2025-12-31",
			"3 records, 1 hh, 2 persons, 2280.50 yuan, 1 in kind, 0 unvalued",
			"4 records, 2 hh, 2 persons, 2280.50 yuan, 2 in kind, 1 unvalued",
			map[string]string{"medical": "1 records, 1 hh, 0 persons, 1500.00 yuan, 0 in kind, 0 unvalued"}},
		{"aid_kinds=housing_subsidy&as_of=2025-09-01",
			"1 records, 1 hh, 0 persons, 0.00 yuan, 1 in kind, 1 unvalued",
			"5 records, 2 hh, 2 persons, 4100.50 yuan, 1 in kind, 1 unvalued", nil},
		{"", "<none>", "7 records, 2 hh, 3 persons, 5080.50 yuan, 2 in kind, 1 unvalued", nil},
	}
	for _, c := range cases {
		s, st := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/stats/groups/%d?%s", id, c.query), nil)
		if s != http.StatusOK {
			t.Fatalf("%s: %d %v", c.query, s, st)
		}
		if got := aidFigures(st["aid_selected"]); got != c.selected {
			t.Errorf("%s: aid_selected %s, want %s", c.query, got, c.selected)
		}
		if got := aidFigures(st["aid_total"]); got != c.total {
			t.Errorf("%s: aid_total %s, want %s", c.query, got, c.total)
		}
		for _, line := range st["aid"].([]any) {
			m := line.(map[string]any)
			if want, ok := c.kindLine[m["kind"].(string)]; ok && aidFigures(m) != want {
				t.Errorf("%s: %s line %s, want %s", c.query, m["kind"], aidFigures(m), want)
			}
		}
	}
	_, st := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/stats/groups/%d?aid_kinds=medical,temporary_relief,subsistence&aid_from=2025-06-01", id), nil)
	sel := st["aid_selected"].(map[string]any)
	if fmt.Sprint(sel["kinds"]) != "[subsistence temporary_relief medical]" || sel["label"] != "最低生活保障、临时救助、医疗救助" || st["aid_from"] != "2025-06-01" {
		t.Errorf("the chosen kinds named: %v, aid_from %v", sel, st["aid_from"])
	}
	s, b := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/stats/groups/%d?aid_kinds=temporary_relief,cash", id), nil)
	if s != http.StatusBadRequest || !strings.Contains(fmt.Sprint(b), `"cash"`) {
		t.Errorf("an unknown kind: %d %v, want 400 naming it", s, b)
	}
}
