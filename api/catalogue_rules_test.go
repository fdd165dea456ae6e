package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// hMatter is a matter of the test's own catalogue, led by org, with a hazard category
// when cat is not empty.
func hMatter(name, org, cat string) map[string]any {
	m := map[string]any{"name": name, "class": "安全隐患", "category": "event", "lead_org": org,
		"ack_deadline": map[string]any{"n": 1, "unit": "day"}, "resolve_deadline": map[string]any{"n": 5, "unit": "day"}, "priority": 2}
	if cat != "" {
		m["hazard_category"] = cat
	}
	return m
}

// TestHazardCategoryOnTheMatter: a district's own catalogue says under which ledger
// category its matters' hazards count: a hazard filed without a category takes its
// matter's, a matter without one counts under other, a category outside the known
// ones is refused on the matter and in the catalogue import, and the export carries it.
func TestHazardCategoryOnTheMatter(t *testing.T) {
	h := hServer(t, 0)
	h.hRun(0, []hStep{
		{"org", "demo.admin", "PUT", "/api/v1/orgs/ZZ-AJ", map[string]any{"name": "安全检查站", "kind": "department"}, 200, ""},
		{"gas matter", "demo.admin", "PUT", "/api/v1/matters/ZZ-903", hMatter("管道燃气隐患", "ZZ-AJ", "gas"), 200, `{"hazard_category":"gas"}`},
		{"plain matter", "demo.admin", "PUT", "/api/v1/matters/ZZ-904", hMatter("其他安全隐患", "ZZ-AJ", ""), 200, ""},
		{"unknown category", "demo.admin", "PUT", "/api/v1/matters/ZZ-905", hMatter("坏类别", "ZZ-AJ", "space"), 400, ""},
		{"read back", "demo.grid", "GET", "/api/v1/matters/ZZ-903", nil, 200, `{"hazard_category":"gas"}`},
	})
	ledger := func() map[string]int64 {
		_, l := h.hAs("demo.leader", "GET", "/api/v1/ledgers/hazards?by=category&region=431382001", nil)
		out := map[string]int64{}
		for _, r := range l["rows"].([]any) {
			out[hStr(r.(map[string]any), "key")] = hNum(r.(map[string]any), "found")
		}
		return out
	}
	before := ledger()
	for _, f := range []struct{ matter, want string }{{"ZZ-903", "gas"}, {"ZZ-903", "gas"}, {"ZZ-904", "other"}} {
		s, got := h.hAs("demo.grid", "POST", "/api/v1/hazards", map[string]any{"matter": f.matter, "title": "隐患", "region": "431382001001001"})
		if s != http.StatusCreated || hStr(got, "category") != f.want {
			t.Fatalf("hazard of %s: %d %v, want category %s", f.matter, s, got, f.want)
		}
	}
	after := ledger()
	if after["gas"] != before["gas"]+2 || after["other"] != before["other"]+1 || after["fire"] != before["fire"] {
		t.Errorf("ledger before %v after %v: want 2 more gas, 1 more other", before, after)
	}
	_, raw, _ := h.hRaw("GET", "/api/v1/matters.csv", h.hLogin("demo.admin"), nil)
	if !bytes.Contains(raw, []byte("hazard_category")) || !bytes.Contains(raw, []byte("ZZ-903,管道燃气隐患,安全隐患,event,ZZ-AJ,1d,5d,2,false,,,,gas,false\n")) {
		t.Errorf("the export lacks the hazard category: %.200s", raw)
	}
	bad := "code,name,class,category,lead_org,ack_deadline,resolve_deadline,priority,public,keywords,description,hazard_category\n" +
		"ZZ-906,坏类别,安全隐患,event,ZZ-AJ,1d,5d,2,true,,,space\n"
	if s, raw, _ := h.hRaw("POST", "/api/v1/matters.csv", h.hLogin("demo.admin"), bad); s != http.StatusBadRequest || !strings.Contains(string(raw), "space") {
		t.Errorf("import with an unknown category: %d %s", s, raw)
	}
	good := strings.ReplaceAll(bad, "space", "electric")
	h.hRun(0, []hStep{
		{"import", "demo.admin", "POST", "/api/v1/matters.csv", good, 200, ""},
		{"imported", "demo.grid", "GET", "/api/v1/matters/ZZ-906", nil, 200, `{"hazard_category":"electric"}`},
	})
}

// TestCatalogueIsTheInstallations: the region tree, the orgs, the matters and the
// calendar serve the whole installation (the demo's county), so its administrator
// changes them and an administrator of one street is refused (403), whatever part of
// the catalogue the change is about.
func TestCatalogueIsTheInstallations(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	h.hRun(0, []hStep{{"a street's administrator", "demo.admin", "POST", "/api/v1/users", `{"login":"street.admin","name":"街道管理员",
		"password":"secret-pass-1","grants":[{"role":"admin","region":"431382001"}]}`, 201, ""}})
	tok := h.hLoginWith("street.admin", "secret-pass-1")
	h.tokens["street.admin"] = tok
	matter := hMatter("街道自定事项", "LY-CGJ", "")
	calendar := `{"days":[{"date":"2031-01-01","kind":"holiday","name":"元旦"}]}`
	h.hRun(0, []hStep{
		{"street: a grid of its own street", "street.admin", "PUT", "/api/v1/regions/431382001001099", `{"name":"新网格","kind":"网格"}`, 403, `{"error":{"code":"forbidden"}}`},
		{"street: an org", "street.admin", "PUT", "/api/v1/orgs/LT-NEW", `{"name":"街道新科室","kind":"department","region":"431382001"}`, 403, ""},
		{"street: a matter", "street.admin", "PUT", "/api/v1/matters/ZZ-950", matter, 403, ""},
		{"street: the calendar", "street.admin", "PUT", "/api/v1/calendar/2031", calendar, 403, ""},
		{"installation: a grid", "demo.admin", "PUT", "/api/v1/regions/431382001001099", `{"name":"新网格","kind":"网格"}`, 200, ""},
		{"installation: an org", "demo.admin", "PUT", "/api/v1/orgs/LT-NEW", `{"name":"街道新科室","kind":"department","region":"431382001"}`, 200, ""},
		{"installation: a matter", "demo.admin", "PUT", "/api/v1/matters/ZZ-950", matter, 200, ""},
		{"installation: the calendar", "demo.admin", "PUT", "/api/v1/calendar/2031", calendar, 200, ""},
	})
}
