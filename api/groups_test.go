package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// gID makes a valid resident ID number from its first 17 characters.
func gID(first17 string) string { return first17 + string(domain.IDCheckDigit(first17)) }

// hGroup defines a small household group through the API and imports its register.
func (h *hEnv) hGroup() (int64, map[string]int64) {
	h.t.Helper()
	status, g := h.hAs("demo.admin", "POST", "/api/v1/groups", map[string]any{"code": "api-test", "name": "退捕渔民（接口测试）", "kind": "household", "region": "431382001",
		"fields": []map[string]any{
			{"key": "id_number", "label": "身份证号", "type": "id_number", "required": true},
			{"key": "phone", "label": "联系电话", "type": "phone"},
			{"key": "insurance", "label": "参保类型", "type": "choice", "required": true, "options": []string{"企业社保", "城乡居民社保", "未参保"}},
			{"key": "employment", "label": "就业方式", "type": "choice", "options": []string{"企业务工", "灵活就业", "未就业"}},
			{"key": "income", "label": "家庭年收入", "type": "money", "on": "household"},
		}})
	if status != http.StatusCreated {
		h.t.Fatalf("create group: %d %v", status, g)
	}
	id := int64(g["id"].(float64))
	csv := "户编号,姓名,与户主关系,区划,身份证号,联系电话,参保类型,就业方式,家庭年收入\n" +
		"A1,甲,户主,431382001205001," + gID("43138219700101001") + ",13873810001,企业社保,企业务工,30000\n" +
		"A1,乙,配偶,431382001205001," + gID("43138219720202002") + ",,城乡居民社保,未就业,\n" +
		"A2,丙,户主,431382001209001," + gID("43138219800303003") + ",13873810003,未参保,灵活就业,12000.5\n"
	status, body := h.hAs("demo.admin", "POST", fmt.Sprintf("/api/v1/groups/%d/register?as_of=2025-01-01", id), csv)
	if status != http.StatusOK || body["written"] != true {
		h.t.Fatalf("import: %d %v", status, body)
	}
	status, list := h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/subjects?group=%d", id), nil)
	if status != http.StatusOK {
		h.t.Fatalf("subjects: %d %v", status, list)
	}
	refs := map[string]int64{}
	for _, s := range list["subjects"].([]any) {
		m := s.(map[string]any)
		refs[m["ref"].(string)] = int64(m["id"].(float64))
	}
	return id, refs
}

func TestGroupsAPIValidation(t *testing.T) {
	h := hServer(t, 0)
	cases := []struct {
		name, as, method, url string
		body                  any
		status                int
		want                  string
	}{
		{"no token", "", "GET", "/api/v1/groups", nil, 401, ""},
		{"leader may not define", "demo.leader", "POST", "/api/v1/groups", map[string]any{"code": "x", "name": "x", "kind": "person", "region": "431382001", "fields": []any{}}, 403, ""},
		{"bad kind", "demo.admin", "POST", "/api/v1/groups", map[string]any{"code": "x", "name": "x", "kind": "family", "region": "431382001", "fields": []any{}}, 400, "kind"},
		{"unknown field type", "demo.admin", "POST", "/api/v1/groups", map[string]any{"code": "x", "name": "x", "kind": "person", "region": "431382001",
			"fields": []any{map[string]any{"key": "a", "label": "A", "type": "email"}}}, 400, "unknown type"},
		{"unknown JSON field", "demo.admin", "POST", "/api/v1/groups", map[string]any{"code": "x", "name": "x", "kind": "person", "region": "431382001", "fields": []any{}, "colour": "red"}, 400, "unknown field"},
		{"group outside the admin's region", "demo.admin", "POST", "/api/v1/groups", map[string]any{"code": "x", "name": "x", "kind": "person", "region": "431302", "fields": []any{}}, 403, ""},
		{"no such group", "demo.admin", "GET", "/api/v1/groups/999999", nil, 404, ""},
		{"bad group id", "demo.admin", "GET", "/api/v1/groups/abc", nil, 404, ""},
		{"subjects need a group", "demo.admin", "GET", "/api/v1/subjects", nil, 400, "group"},
		{"bad as_of", "demo.leader", "GET", "/api/v1/stats/groups/1?as_of=2026-02-30", nil, 400, "as_of"},
		{"bad among", "demo.leader", "GET", "/api/v1/stats/groups/1?among=gender", nil, 400, "among"},
		{"bad limit", "demo.admin", "GET", "/api/v1/subjects?group=1&limit=0", nil, 400, "limit"},
		{"bad aid kind", "demo.dispatcher", "POST", "/api/v1/assistance", map[string]any{"subject": 1, "kind": "cash", "amount": "1", "day": "2026-01-01", "org": "LY-MZJ"}, 400, "kind"},
		{"aid with three decimals", "demo.dispatcher", "POST", "/api/v1/assistance", map[string]any{"subject": 1, "kind": "medical", "amount": "1.005", "day": "2026-01-01", "org": "LY-MZJ"}, 400, "two decimals"},
		{"round due before start", "demo.admin", "POST", "/api/v1/rounds", map[string]any{"group_id": 1, "name": "r", "starts": "2026-03-01", "due": "2026-02-01"}, 400, "due"},
		{"empty register", "demo.admin", "POST", "/api/v1/groups/1/register", "", 400, ""},
		{"binary register", "demo.admin", "POST", "/api/v1/groups/1/register", []byte{0xff, 0xfe, 0x00, 0x01}, 400, "UTF-8"},
		{"bad export format", "demo.admin", "GET", "/api/v1/groups/1/register?format=pdf", nil, 400, "format"},
		{"visit not found", "demo.helper", "GET", "/api/v1/visits/999999", nil, 404, ""},
	}
	for _, c := range cases {
		status, body := h.hAs(c.as, c.method, c.url, c.body)
		if status != c.status {
			t.Errorf("%s: %d %v, want %d", c.name, status, body, c.status)
			continue
		}
		if c.want != "" && !strings.Contains(fmt.Sprint(body), c.want) {
			t.Errorf("%s: %v does not mention %q", c.name, body, c.want)
		}
	}
}

func TestGroupsAPIImportPreviewMaskingScope(t *testing.T) {
	h := hServer(t, 0)
	id, refs := h.hGroup()
	// a register with mistakes: previewed row by row, then refused whole
	bad := "户编号,姓名,与户主关系,区划,身份证号,联系电话,参保类型,就业方式,家庭年收入\n" +
		"B1,丁,户主,431382001205001,431382197001010019,138,企业社保,企业务工,abc\n" +
		"B2,戊,户主,431382001205001," + gID("43138219700101001") + ",,社保,企业务工,\n"
	status, body := h.hAs("demo.admin", "POST", fmt.Sprintf("/api/v1/groups/%d/register?preview=true", id), bad)
	report, _ := body["report"].(map[string]any)
	errs, _ := report["errors"].([]any)
	if status != http.StatusOK || len(errs) != 5 || body["written"] != false {
		t.Fatalf("preview: %d %v", status, body)
	}
	status, body = h.hAs("demo.admin", "POST", fmt.Sprintf("/api/v1/groups/%d/register", id), bad)
	if status != http.StatusBadRequest || body["report"] == nil {
		t.Fatalf("import with mistakes: %d %v", status, body)
	}
	if _, list := h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/subjects?group=%d", id), nil); len(list["subjects"].([]any)) != 2 {
		t.Fatalf("a refused import changed the register: %v", list)
	}
	// at rest the ID numbers and phones are sealed
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(h.svc))
	var n int
	if err := raw.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM subject_values WHERE value LIKE '%19700101%' OR value LIKE '%13873810001%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d personal values in clear at rest", n)
	}
	// masked for the leader, who may not reveal
	path := fmt.Sprintf("/api/v1/subjects/%d", refs["A1"])
	_, sub := h.hAs("demo.leader", "GET", path, nil)
	members := sub["members"].([]any)
	first := members[0].(map[string]any)["values"].(map[string]any)
	if first["id_number"] != "4313**********"+gID("43138219700101001")[14:] || first["phone"] != "138****0001" {
		t.Errorf("leader sees %v", first)
	}
	if sub["values"].(map[string]any)["income"] != "30000.00" {
		t.Errorf("household income shown as %v", sub["values"])
	}
	if status, _ := h.hAs("demo.leader", "POST", path+"/reveal", map[string]any{"fields": []string{"id_number"}, "purpose": "核对"}); status != http.StatusForbidden {
		t.Errorf("leader reveal: %d", status)
	}
	status, clear := h.hAs("demo.admin", "POST", path+"/reveal", map[string]any{"fields": []string{"id_number", "phone"}, "purpose": "核对身份信息"})
	if status != http.StatusOK || clear["members"].([]any)[0].(map[string]any)["values"].(map[string]any)["id_number"] != gID("43138219700101001") {
		t.Fatalf("admin reveal: %d %v", status, clear)
	}
	_, audit := h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/groups/%d/reveals", id), nil)
	if rows := audit["reveals"].([]any); len(rows) != 1 || rows[0].(map[string]any)["purpose"] != "核对身份信息" {
		t.Errorf("audit: %v", audit)
	}
	// exact search by phone: for who may reveal phones (the leader may not)
	_, found := h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/subjects?group=%d&phone=13873810003", id), nil)
	if list, _ := found["subjects"].([]any); len(list) != 1 || list[0].(map[string]any)["name"] != "丙" {
		t.Errorf("search by phone: %v", found)
	}
	if status, body := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/subjects?group=%d&phone=13873810003", id), nil); status != http.StatusForbidden {
		t.Errorf("leader search by phone: %d %v", status, body)
	}
	// scope: another street sees nothing; the helper of 联兴村 not 日升村's household
	for _, c := range []struct{ who, url string }{
		{"demo.other", path},
		{"demo.other", fmt.Sprintf("/api/v1/groups/%d", id)},
		{"demo.other", fmt.Sprintf("/api/v1/stats/groups/%d", id)},
		{"demo.helper", fmt.Sprintf("/api/v1/subjects/%d", refs["A2"])},
		{"demo.citizen", path},
	} {
		if status, body := h.hAs(c.who, "GET", c.url, nil); status != http.StatusNotFound {
			t.Errorf("%s GET %s: %d %v, want 404", c.who, c.url, status, body)
		}
	}
	// export: CSV in the import layout, masked unless revealed
	status, csvBody, hdr := h.hRaw("GET", fmt.Sprintf("/api/v1/groups/%d/register", id), h.hLogin("demo.leader"), nil)
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(string(csvBody), "户编号,姓名,与户主关系,区划,身份证号") || strings.Contains(string(csvBody), gID("43138219700101001")) {
		t.Errorf("export: %d %s", status, csvBody)
	}
	status, xlsx, _ := h.hRaw("GET", fmt.Sprintf("/api/v1/groups/%d/register?format=xlsx&reveal=true", id), h.hLogin("demo.admin"), nil)
	if status != http.StatusOK || !strings.HasPrefix(string(xlsx), "PK") {
		t.Errorf("xlsx export: %d", status)
	}
	// the schema changes, but a field keeps its type once defined
	_, g := h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/groups/%d", id), nil)
	fields := g["fields"].([]any)
	fields[3].(map[string]any)["label"] = "就业情况"
	if s, b := h.hAs("demo.admin", "PUT", fmt.Sprintf("/api/v1/groups/%d", id), map[string]any{"name": "退捕渔民", "fields": fields}); s != http.StatusOK || !strings.Contains(fmt.Sprint(b), "就业情况") {
		t.Errorf("rename a field: %d %v", s, b)
	}
	fields[3].(map[string]any)["type"] = "text"
	delete(fields[3].(map[string]any), "options")
	if s, b := h.hAs("demo.admin", "PUT", fmt.Sprintf("/api/v1/groups/%d", id), map[string]any{"name": "退捕渔民", "fields": fields}); s != http.StatusBadRequest {
		t.Errorf("retype a field: %d %v", s, b)
	}
	if s, _ := h.hAs("demo.leader", "PUT", fmt.Sprintf("/api/v1/groups/%d", id), map[string]any{"name": "x", "fields": []any{}}); s != http.StatusForbidden {
		t.Errorf("leader changes a schema: %d", s)
	}
}

// hCount is how many subjects a group's statistics count with value in field; -1 when
// they hold no such count.
func hCount(st map[string]any, field, value string) float64 {
	for _, f := range st["fields"].([]any) {
		fm := f.(map[string]any)
		if fm["key"] != field {
			continue
		}
		for _, c := range fm["counts"].([]any) {
			if c.(map[string]any)["value"] == value {
				return c.(map[string]any)["n"].(float64)
			}
		}
	}
	return -1
}

func TestGroupsAPIRoundVisitAidStatsAsOf(t *testing.T) {
	h := hServer(t, 0)
	id, refs := h.hGroup()
	helper := h.users["demo.helper"]
	must := func(name string, status, want int, body map[string]any) map[string]any {
		t.Helper()
		if status != want {
			t.Fatalf("%s: %d %v, want %d", name, status, body, want)
		}
		return body
	}
	s, b := h.hAs("demo.admin", "POST", fmt.Sprintf("/api/v1/subjects/%d/helper", refs["A1"]), map[string]any{"user_id": helper.ID, "from": "2025-01-01"})
	must("assign", s, 201, b)
	s, b = h.hAs("demo.admin", "GET", fmt.Sprintf("/api/v1/groups/%d/coverage", id), nil)
	if must("coverage", s, 200, b); b["unhelped"] != 1.0 || b["subjects"] != 2.0 || b["rate"] != 0.5 {
		t.Errorf("coverage: %v", b)
	}
	s, b = h.hAs("demo.admin", "POST", "/api/v1/rounds", map[string]any{"group_id": id, "name": "2026年上半年", "starts": "2026-02-01", "due": "2026-03-31"})
	if must("round", s, 201, b); b["tasks"] != 2.0 {
		t.Errorf("round: %v", b)
	}
	round := int64(b["id"].(float64))
	s, b = h.hAs("demo.helper", "GET", "/api/v1/visits?mine=true&status=open", nil)
	must("my visits", s, 200, b)
	var visit int64
	for _, v := range b["visits"].([]any) {
		if m := v.(map[string]any); int64(m["subject"].(float64)) == refs["A1"] {
			visit = int64(m["id"].(float64))
		}
	}
	if visit == 0 {
		t.Fatalf("demo.helper's list lacks the household: %v", b)
	}
	// members are answered by id; the spouse found flexible work, the household fell ill
	_, sub := h.hAs("demo.helper", "GET", fmt.Sprintf("/api/v1/subjects/%d", refs["A1"]), nil)
	var spouse float64
	for _, m := range sub["members"].([]any) {
		if m.(map[string]any)["name"] == "乙" {
			spouse = m.(map[string]any)["id"].(float64)
		}
	}
	s, b = h.hAs("demo.helper", "POST", fmt.Sprintf("/api/v1/visits/%d", visit), map[string]any{"day": "2026-02-20",
		"answers": []any{map[string]any{"subject": spouse, "field": "employment", "value": "灵活就业"}}, "risks": []string{"illness"}, "note": "住院"})
	must("record", s, 200, b)
	s, b = h.hAs("demo.helper", "POST", fmt.Sprintf("/api/v1/visits/%d", visit), map[string]any{"day": "2026-02-21"})
	must("second record", s, 409, b)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	s, b = h.hAs("demo.helper", "POST", fmt.Sprintf("/api/v1/visits/%d/photos", visit), png)
	must("photo", s, 201, b)
	status, img, hdr := h.hRaw("GET", b["url"].(string), h.hLogin("demo.helper"), nil)
	if status != 200 || hdr.Get("Content-Type") != "image/png" || len(img) != len(png) {
		t.Errorf("photo back: %d %s", status, hdr.Get("Content-Type"))
	}
	s, b = h.hAs("demo.helper", "POST", fmt.Sprintf("/api/v1/visits/%d/photos", visit), []byte("not an image"))
	must("text as photo", s, 400, b)
	// aid: to the spouse and to the household; the leader may not write it
	s, b = h.hAs("demo.leader", "POST", "/api/v1/assistance", map[string]any{"subject": spouse, "kind": "medical", "amount": "1234.56", "day": "2026-02-25", "org": "LY-WJJ"})
	must("leader aid", s, 403, b)
	s, b = h.hAs("demo.dispatcher", "POST", "/api/v1/assistance", map[string]any{"subject": spouse, "kind": "medical", "amount": "1234.56", "day": "2026-02-25", "org": "LY-WJJ"})
	must("aid", s, 201, b)
	s, b = h.hAs("demo.dispatcher", "POST", "/api/v1/assistance", map[string]any{"subject": refs["A1"], "kind": "rent_subsidy", "amount": "3600", "day": "2025-06-01", "org": "LY-ZJJ"})
	must("aid 2", s, 201, b)
	// statistics today and as of a past day
	s, st := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/stats/groups/%d", id), nil)
	must("stats", s, 200, st)
	total := st["aid_total"].(map[string]any)
	if st["households"] != 2.0 || st["persons"] != 3.0 || hCount(st, "employment", "灵活就业") != 2 || total["amount"] != "4834.56" ||
		total["households"] != 1.0 || total["persons"] != 1.0 || st["open_risks"] != 1.0 || st["unhelped"] != 1.0 {
		t.Errorf("stats today: %v", st)
	}
	_, past := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/stats/groups/%d?as_of=2026-02-19", id), nil)
	total = past["aid_total"].(map[string]any)
	if hCount(past, "employment", "灵活就业") != 1 || hCount(past, "employment", "未就业") != 1 || total["amount"] != "3600.00" || total["persons"] != 0.0 || past["open_risks"] != 0.0 {
		t.Errorf("stats as of 2026-02-19: %v", past)
	}
	_, prog := h.hAs("demo.leader", "GET", fmt.Sprintf("/api/v1/rounds/%d/progress?by=region", round), nil)
	if rows := prog["progress"].([]any); len(rows) != 2 {
		t.Errorf("progress: %v", prog)
	}
	// the illness raises a case under the matter the installation maps illness to (none
	// mapped: refused with what to set), which the street then handles like any other
	_, risks := h.hAs("demo.helper", "GET", fmt.Sprintf("/api/v1/subjects/%d/risks", refs["A1"]), nil)
	risk := int64(risks["risks"].([]any)[0].(map[string]any)["id"].(float64))
	raise := fmt.Sprintf("/api/v1/subjects/%d/risks/%d/case", refs["A1"], risk)
	h.hRun(0, []hStep{
		{"a matter of its own", "demo.admin", "PUT", "/api/v1/matters/ZZ-907", hMatter("因病致贫风险", "LY-WJJ", ""), 200, ""},
		{"map none", "demo.admin", "PUT", "/api/v1/settings/risk-matters", map[string]any{}, 200, `{}`},
	})
	s, c := h.hAs("demo.helper", "POST", raise, map[string]any{})
	if msg := fmt.Sprint(c); s != 400 || !strings.Contains(msg, "/api/v1/settings/risk-matters") {
		t.Errorf("a risk without a matter mapped: %d %v", s, c)
	}
	h.hRun(0, []hStep{
		{"unknown kind", "demo.admin", "PUT", "/api/v1/settings/risk-matters", map[string]any{"debt": "ZZ-907"}, 400, ""},
		{"unknown matter", "demo.admin", "PUT", "/api/v1/settings/risk-matters", map[string]any{"illness": "NOPE"}, 400, ""},
		{"not an administrator", "demo.dispatcher", "PUT", "/api/v1/settings/risk-matters", map[string]any{"illness": "ZZ-907"}, 403, ""},
		{"map illness", "demo.admin", "PUT", "/api/v1/settings/risk-matters", map[string]any{"illness": "ZZ-907"}, 200, `{"illness":"ZZ-907"}`},
		{"read back", "demo.admin", "GET", "/api/v1/settings/risk-matters", nil, 200, `{"illness":"ZZ-907"}`},
	})
	s, c = h.hAs("demo.helper", "POST", raise, map[string]any{})
	if must("raise case", s, 201, c); c["status"] != "reported" || c["matter"] != "ZZ-907" {
		t.Errorf("raised case: %v", c)
	}
	s, _ = h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/cases/%d", int64(c["id"].(float64))), nil)
	if s != 200 {
		t.Errorf("the dispatcher does not see the raised case: %d", s)
	}
}
