package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"whistle/api"
	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// hEmpty starts the API over an empty database, as a new installation is: its first
// administrator added as `whistle user add` adds one, and nothing else (no demo).
func hEmpty(t *testing.T) *hEnv {
	t.Helper()
	db, clock := whistletest.DB(t)
	svc := service.New(db)
	svc.TokenTTL, svc.SessionIdle = 60*24*time.Hour, 60*24*time.Hour
	admin := domain.User{Login: "xh.admin", Name: "区管理员", Grants: []domain.Grant{{Role: domain.RoleAdmin}}}
	if _, err := svc.AddUser(context.Background(), admin, demo.Password); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(svc, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return &hEnv{t: t, srv: srv, svc: svc, users: demo.Users{}, clock: clock, tokens: map[string]string{}}
}

// The district the bulletin is about: 西湖区 with two streets, three communities and
// a grid in each, built from nothing through the API.
const (
	bDistrict = "330106"
	bBeishan  = "330106002"
	bXixi     = "330106004"
	bComm1    = "330106002001" // 北山街道 first community
	bComm2    = "330106002002"
	bComm3    = "330106004001" // 西溪街道
)

// bulletinDistrict makes the regions, the calendar, two departments, three matters and
// the people who work there.
func bulletinDistrict(h *hEnv) {
	h.t.Helper()
	user := func(login, name string, g map[string]any) map[string]any {
		return map[string]any{"login": login, "name": name, "password": demo.Password, "grants": []map[string]any{g}}
	}
	steps := []hStep{
		{"province", "xh.admin", "PUT", "/api/v1/regions/33", map[string]any{"name": "浙江省"}, 200, ""},
		{"city", "xh.admin", "PUT", "/api/v1/regions/3301", map[string]any{"name": "杭州市"}, 200, ""},
		{"district", "xh.admin", "PUT", "/api/v1/regions/" + bDistrict, map[string]any{"name": "西湖区"}, 200, ""},
		{"street 1", "xh.admin", "PUT", "/api/v1/regions/" + bBeishan, map[string]any{"name": "北山街道"}, 200, ""},
		{"street 2", "xh.admin", "PUT", "/api/v1/regions/" + bXixi, map[string]any{"name": "西溪街道"}, 200, ""},
		{"community 1", "xh.admin", "PUT", "/api/v1/regions/" + bComm1, map[string]any{"name": "保俶社区"}, 200, ""},
		{"community 2", "xh.admin", "PUT", "/api/v1/regions/" + bComm2, map[string]any{"name": "宝石社区"}, 200, ""},
		{"community 3", "xh.admin", "PUT", "/api/v1/regions/" + bComm3, map[string]any{"name": "嘉绿苑社区"}, 200, ""},
		{"calendar", "xh.admin", "PUT", "/api/v1/calendar/2026", map[string]any{"office_hours": "08:30-12:00,14:00-17:30",
			"days": []map[string]any{{"date": "2026-02-16", "kind": "holiday", "name": "春节"}, {"date": "2026-02-17", "kind": "holiday", "name": "春节"}}}, 200, ""},
		{"safety office", "xh.admin", "PUT", "/api/v1/orgs/XH-AJ", map[string]any{"name": "区应急管理局", "region": bDistrict, "kind": "department"}, 200, ""},
		{"enterprise service", "xh.admin", "PUT", "/api/v1/orgs/XH-QF", map[string]any{"name": "区企业服务中心", "region": bDistrict, "kind": "department"}, 200, ""},
		{"hazard matter", "xh.admin", "PUT", "/api/v1/matters/XH-AQ-1", map[string]any{"name": "消防安全隐患", "class": "安全生产", "category": "event",
			"lead_org": "XH-AJ", "hazard_category": "fire", "ack_deadline": map[string]any{"n": 1, "unit": "day"}, "resolve_deadline": map[string]any{"n": 5, "unit": "day"}, "priority": 2}, 200, ""},
		{"street lamp matter", "xh.admin", "PUT", "/api/v1/matters/XH-SZ-1", map[string]any{"name": "路灯损坏", "class": "市政设施", "category": "event",
			"lead_org": "XH-AJ", "ack_deadline": map[string]any{"n": 1, "unit": "day"}, "resolve_deadline": map[string]any{"n": 3, "unit": "day"}, "priority": 3}, 200, ""},
		{"enterprise matter", "xh.admin", "PUT", "/api/v1/matters/XH-QY-1", map[string]any{"name": "企业诉求", "class": "企业服务", "category": "event",
			"lead_org": "XH-QF", "ack_deadline": map[string]any{"n": 1, "unit": "day"}, "resolve_deadline": map[string]any{"n": 5, "unit": "day"}, "priority": 3}, 200, ""},
		{"consultation matter", "xh.admin", "PUT", "/api/v1/matters/XH-ZH-1", map[string]any{"name": "综合咨询", "class": "政务服务", "category": "event",
			"lead_org": "XH-QF", "comprehensive": true, "ack_deadline": map[string]any{"n": 1, "unit": "day"}, "resolve_deadline": map[string]any{"n": 3, "unit": "day"}, "priority": 3}, 200, ""},
		{"civil affairs", "xh.admin", "PUT", "/api/v1/orgs/XH-MZ", map[string]any{"name": "区民政局", "region": bDistrict, "kind": "department"}, 200, ""},
		{"problem matter", "xh.admin", "PUT", "/api/v1/settings/liaison", map[string]any{"problem_matter": "XH-QY-1"}, 200, ""},
		{"dispatcher", "xh.admin", "POST", "/api/v1/users", user("xh.disp", "区调度员", map[string]any{"role": "dispatcher", "region": bDistrict}), 201, ""},
		{"leader", "xh.admin", "POST", "/api/v1/users", user("xh.leader", "区领导", map[string]any{"role": "leader", "region": bDistrict}), 201, ""},
		{"safety officer", "xh.admin", "POST", "/api/v1/users", user("xh.aj", "应急局承办人", map[string]any{"role": "officer", "org": "XH-AJ"}), 201, ""},
		{"service officer", "xh.admin", "POST", "/api/v1/users", user("xh.qf", "企服承办人", map[string]any{"role": "officer", "org": "XH-QF"}), 201, ""},
		{"grid worker 1", "xh.admin", "POST", "/api/v1/users", user("xh.grid1", "北山网格员", map[string]any{"role": "grid_worker", "region": bBeishan}), 201, ""},
		{"grid worker 2", "xh.admin", "POST", "/api/v1/users", user("xh.grid2", "西溪网格员", map[string]any{"role": "grid_worker", "region": bXixi}), 201, ""},
		{"cadre 1", "xh.admin", "POST", "/api/v1/users", user("xh.cadre1", "联企干部甲", map[string]any{"role": "liaison", "region": bDistrict}), 201, ""},
		{"cadre 2", "xh.admin", "POST", "/api/v1/users", user("xh.cadre2", "联企干部乙", map[string]any{"role": "liaison", "region": bDistrict}), 201, ""},
	}
	h.hRun(0, steps)
}

// bAt moves the clock to a day of February 2026 at a time of day in China.
func (h *hEnv) bAt(day int, hour int) {
	h.clock.Set(time.Date(2026, 2, day, hour, 0, 0, 0, domain.China))
}

// bServe carries a case from dispatch to the officer's resolution; satisfaction, when
// given, is the return visit's answer, and the case is closed after it.
func (h *hEnv) bServe(id int64, org, officer, satisfaction string) {
	h.t.Helper()
	h.hAct("xh.disp", id, "accept", nil)
	h.hAct("xh.disp", id, "dispatch", map[string]any{"org": org})
	h.hAct(officer, id, "acknowledge", nil)
	h.hAct(officer, id, "resolve", map[string]any{"result": "已办结"})
	if satisfaction != "" {
		h.hAct("xh.disp", id, "visit", map[string]any{"satisfaction": satisfaction})
		h.hAct("xh.disp", id, "close", nil)
	}
}

// bPatrol records a grid worker's patrol of an hour from start, with a finding per
// title, and answers the hazard cases it filed.
func (h *hEnv) bPatrol(who, region string, start time.Time, titles ...string) []int64 {
	h.t.Helper()
	var findings []map[string]any
	for _, title := range titles {
		findings = append(findings, map[string]any{"matter": "XH-AQ-1", "title": title, "measures": "限期整改", "region": region})
	}
	body := map[string]any{"region": region, "started_at": start.Format(time.RFC3339), "ended_at": start.Add(time.Hour).Format(time.RFC3339)}
	if len(findings) > 0 {
		body["findings"] = findings
	}
	status, got := h.hAs(who, "POST", "/api/v1/patrols", body)
	if status != http.StatusCreated {
		h.t.Fatalf("patrol by %s in %s: %d %v", who, region, status, got)
	}
	var ids []int64
	if raw, ok := got["hazard_case_ids"].([]any); ok {
		for _, id := range raw {
			ids = append(ids, int64(id.(float64)))
		}
	}
	return ids
}

// TestBulletinFromNothing builds 西湖区 from an empty database through the API, lives
// through February 2026 in it, and reads back, from the application's own statistics,
// the figures a district bulletin quotes: cases received and their rates, patrols and
// the hazards found and rectified (with a week of patrols entered only on 2 March), and
// the liaison cadres' enterprises and problems. Every figure is asserted exactly.
func TestBulletinFromNothing(t *testing.T) {
	h := hEmpty(t)
	h.bAt(2, 9)
	bulletinDistrict(h)

	// Cases: two hotline calls in each street, served; one dissatisfied.
	h.bAt(3, 10)
	var cases []int64
	for i, region := range []string{bComm1, bComm1, bComm2, bComm3} {
		call := map[string]any{"matter": "XH-SZ-1", "title": fmt.Sprintf("路灯不亮 %d", i+1), "description": "夜间路灯不亮", "region": region,
			"address": "北山路", "channel": "hotline", "kind": "request"}
		status, got := h.hAs("xh.disp", "POST", "/api/v1/intake", map[string]any{"case": call, "caller_phone": fmt.Sprintf("1380000000%d", i)})
		if status != http.StatusCreated {
			t.Fatalf("hotline call %d: %d %v", i, status, got)
		}
		cases = append(cases, hNum(got["case"].(map[string]any), "id"))
	}
	h.bAt(4, 10)
	for i, id := range cases[:3] {
		h.bServe(id, "XH-AJ", "xh.aj", []string{"satisfied", "basically_satisfied", "dissatisfied"}[i])
	}

	// Patrols: in the first half of the month, entered as they happened; in the week
	// of the 23rd, entered only on Monday 2 March.
	var hazards []int64
	h.bAt(5, 9)
	hazards = append(hazards, h.bPatrol("xh.grid1", bComm1, h.clock.Now().Add(-2*time.Hour), "灭火器过期", "消防通道堵塞")...)
	h.bAt(6, 9)
	hazards = append(hazards, h.bPatrol("xh.grid2", bComm3, h.clock.Now().Add(-2*time.Hour), "电动车楼道充电")...)
	h.bAt(10, 9)
	h.bPatrol("xh.grid1", bComm2, h.clock.Now().Add(-2*time.Hour)) // nothing found
	h.bAt(12, 9)
	for _, id := range hazards[:2] { // rectified and verified on site
		h.bServe(id, "XH-AJ", "xh.aj", "")
		h.hAct("xh.grid1", id, "verify", map[string]any{"note": "现场复核"})
	}
	h.clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China))
	late := h.bPatrol("xh.grid2", bComm3, time.Date(2026, 2, 25, 15, 0, 0, 0, domain.China), "堆放易燃物")
	h.bPatrol("xh.grid1", bComm1, time.Date(2026, 2, 26, 15, 0, 0, 0, domain.China))
	if len(hazards) != 3 || len(late) != 1 {
		t.Fatalf("hazards filed: %v then %v", hazards, late)
	}

	// Liaison: two cadres, three enterprises; four problems collected in February.
	h.bAt(9, 9)
	csv := "uscc,name,region,industry,liaison\n" +
		eUSCC("MA2XH0001") + ",杭州甲科技有限公司," + bComm1 + ",manufacturing,xh.cadre1\n" +
		eUSCC("MA2XH0002") + ",杭州乙贸易有限公司," + bComm2 + ",manufacturing,xh.cadre1\n" +
		eUSCC("MA2XH0003") + ",杭州丙食品有限公司," + bComm3 + ",manufacturing,xh.cadre2\n"
	h.hRun(0, []hStep{{"enterprises", "xh.admin", "POST", "/api/v1/enterprises/import", csv, 200, `{"created":3,"linked":3}`}})
	enterprise := func(cadre string) []int64 {
		_, mine := h.hAs(cadre, "GET", "/api/v1/enterprises?linked=me", nil)
		var ids []int64
		for _, e := range mine["enterprises"].([]any) {
			ids = append(ids, hNum(e.(map[string]any), "id"))
		}
		return ids
	}
	visit := func(cadre string, eid int64, titles ...string) []int64 {
		var problems []map[string]any
		for _, title := range titles {
			problems = append(problems, map[string]any{"title": title})
		}
		got := h.hRun(eid, []hStep{{"visit", cadre, "POST", "/api/v1/enterprises/{id}/visits", map[string]any{"problems": problems}, 201, ""}})
		var ids []int64
		for _, id := range got["problem_case_ids"].([]any) {
			ids = append(ids, int64(id.(float64)))
		}
		return ids
	}
	e1, e2 := enterprise("xh.cadre1"), enterprise("xh.cadre2")
	problems := visit("xh.cadre1", e1[0], "招工难", "用电报装慢")
	problems = append(problems, visit("xh.cadre1", e1[1], "排水不畅")...)
	problems = append(problems, visit("xh.cadre2", e2[0], "道路破损")...)
	h.bAt(11, 10)
	for _, id := range problems[:3] {
		h.bServe(id, "XH-QF", "xh.qf", "")
	}
	h.hAct("xh.disp", problems[0], "close", nil)

	bulletinWindows(h)
	group := bulletinAid(h)

	h.clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, domain.China))
	bulletinFigures(h)
	bulletinWindowFigures(h)
	bulletinAidFigures(h, group)
}

// bulletinWindows sets up the district's 政务服务中心 and the two streets' 便民服务中心 on
// 1 February, one 办不成事反映窗口 in each and a comprehensive window in two, and takes
// three cases at them.
func bulletinWindows(h *hEnv) {
	h.t.Helper()
	h.bAt(1, 9)
	district := h.hCreate("xh.admin", "/api/v1/halls", map[string]any{"code": "XH-ZWFW", "name": "西湖区政务服务中心", "region": bDistrict, "kind": "service_centre"})
	beishan := h.hCreate("xh.admin", "/api/v1/halls", map[string]any{"code": "XH-BS", "name": "北山街道便民服务中心", "region": bBeishan, "kind": "convenience_centre"})
	xixi := h.hCreate("xh.admin", "/api/v1/halls", map[string]any{"code": "XH-XX", "name": "西溪街道便民服务中心", "region": bXixi, "kind": "convenience_centre"})
	for _, w := range []map[string]any{
		{"hall_id": district, "code": "ZW-01", "name": "综合窗口", "kind": "comprehensive"},
		{"hall_id": district, "code": "ZW-BC", "name": "办不成事反映窗口", "kind": "cannot_do"},
		{"hall_id": beishan, "code": "BS-01", "name": "综合窗口", "kind": "comprehensive"},
		{"hall_id": beishan, "code": "BS-BC", "name": "办不成事反映窗口", "kind": "cannot_do"},
		{"hall_id": xixi, "code": "XX-BC", "name": "办不成事反映窗口", "kind": "cannot_do"},
	} {
		h.hCreate("xh.admin", "/api/v1/windows", w)
	}
	h.bAt(13, 10)
	var ids []int64
	for _, f := range [][3]string{{"window", "XH-ZH-1", "BS-01"}, {"window", "XH-ZH-1", "BS-01"}, {"cannot_do_window", "XH-ZH-1", "ZW-BC"}} {
		status, got := h.hAs("xh.disp", "POST", "/api/v1/intake", map[string]any{"window": f[2],
			"case": map[string]any{"matter": f[1], "title": "窗口受理", "description": "群众来窗口反映", "region": bComm1, "channel": f[0]}})
		if status != http.StatusCreated {
			h.t.Fatalf("filing at %s: %d %v", f[2], status, got)
		}
		ids = append(ids, hNum(got["case"].(map[string]any), "id"))
	}
	h.bServe(ids[0], "XH-QF", "xh.qf", "satisfied")
}

// bulletinAid registers three households of 退捕渔民 and records their relief: cash
// under three kinds, one housing need met in kind without a value, and January's
// subsistence allowance, outside the bulletin's month.
func bulletinAid(h *hEnv) int64 {
	h.t.Helper()
	h.bAt(2, 9)
	status, g := h.hAs("xh.admin", "POST", "/api/v1/groups", map[string]any{"code": "fishers", "name": "退捕渔民", "kind": "household", "region": bDistrict,
		"fields": []map[string]any{{"key": "id_number", "label": "身份证号", "type": "id_number", "required": true}}})
	if status != http.StatusCreated {
		h.t.Fatalf("group: %d %v", status, g)
	}
	id := hNum(g, "id")
	csv := "户编号,姓名,与户主关系,区划,身份证号\n" +
		"H1,甲,户主," + bComm1 + "," + gID("33010619700101001") + "\n" +
		"H1,乙,配偶," + bComm1 + "," + gID("33010619720202002") + "\n" +
		"H2,丙,户主," + bComm2 + "," + gID("33010619800303003") + "\n" +
		"H3,丁,户主," + bComm3 + "," + gID("33010619850404004") + "\n"
	if status, body := h.hAs("xh.admin", "POST", fmt.Sprintf("/api/v1/groups/%d/register?as_of=2025-12-01", id), csv); status != http.StatusOK || body["written"] != true {
		h.t.Fatalf("register: %d %v", status, body)
	}
	_, list := h.hAs("xh.admin", "GET", fmt.Sprintf("/api/v1/subjects?group=%d", id), nil)
	refs := map[string]int64{}
	for _, s := range list["subjects"].([]any) {
		refs[hStr(s.(map[string]any), "ref")] = hNum(s.(map[string]any), "id")
	}
	_, h1 := h.hAs("xh.admin", "GET", fmt.Sprintf("/api/v1/subjects/%d", refs["H1"]), nil)
	var jia int64
	for _, m := range h1["members"].([]any) {
		if hStr(m.(map[string]any), "name") == "甲" {
			jia = hNum(m.(map[string]any), "id")
		}
	}
	h.bAt(27, 9)
	for i, e := range []map[string]any{
		{"subject": refs["H1"], "kind": "temporary_relief", "amount": "500", "day": "2026-02-10", "org": "XH-MZ"},
		{"subject": refs["H2"], "kind": "temporary_relief", "amount": "300", "day": "2026-02-12", "org": "XH-MZ"},
		{"subject": jia, "kind": "medical", "amount": "1000", "day": "2026-02-15", "org": "XH-MZ"},
		{"subject": refs["H3"], "kind": "housing_subsidy", "form": "in_kind", "item": "落实基本住房", "day": "2026-02-20", "org": "XH-MZ"},
		{"subject": refs["H2"], "kind": "subsistence", "amount": "600", "day": "2026-01-20", "org": "XH-MZ"},
	} {
		if status, body := h.hAs("xh.disp", "POST", "/api/v1/assistance", e); status != http.StatusCreated {
			h.t.Fatalf("aid %d: %d %v", i, status, body)
		}
	}
	return id
}

// bulletinWindowFigures: 设立办不成事反映窗口3个, the windows' February figures.
func bulletinWindowFigures(h *hEnv) {
	h.t.Helper()
	status, rep := h.hAs("xh.leader", "GET", "/api/v1/stats/windows?region="+bDistrict+"&from=2026-02&to=2026-02", nil)
	if status != http.StatusOK {
		h.t.Fatalf("window statistics: %d %v", status, rep)
	}
	h.hWant("windows of February", rep["total"].(map[string]any), `{"windows":{"total":5,"comprehensive":2,"cannot_do":3,"specialised":0},
		"received":3,"cannot_do":1,"resolved":1,"resolved_on_time":1,"visited":1,"satisfied":1,"satisfaction_rate":1}`)
	halls := map[string]map[string]any{}
	for _, r := range rep["halls"].([]any) {
		halls[hStr(r.(map[string]any), "code")] = r.(map[string]any)
	}
	h.hWant("北山 hall", halls["XH-BS"], `{"windows":{"total":2},"received":2,"cannot_do":0,"resolved":1}`)
	h.hWant("西溪 hall, no case yet", halls["XH-XX"], `{"windows":{"total":1,"cannot_do":1},"received":0,"satisfaction_rate":null}`)
	h.hWant("district hall", halls["XH-ZWFW"], `{"received":1,"cannot_do":1}`)
}

// bulletinAidFigures: 2月为退捕渔民临时救助、医疗救助、住房保障3户1人，发放资金1800元，
// 其中1户落实基本住房（实物）.
func bulletinAidFigures(h *hEnv, group int64) {
	h.t.Helper()
	q := fmt.Sprintf("/api/v1/stats/groups/%d?region=%s&as_of=2026-02-28&aid_from=2026-02-01&aid_kinds=temporary_relief,medical,housing_subsidy", group, bDistrict)
	status, st := h.hAs("xh.leader", "GET", q, nil)
	if status != http.StatusOK {
		h.t.Fatalf("group statistics: %d %v", status, st)
	}
	if got, want := aidFigures(st["aid_selected"]), "4 records, 3 hh, 1 persons, 1800.00 yuan, 1 in kind, 1 unvalued"; got != want {
		h.t.Errorf("relief of February: %s, want %s", got, want)
	}
	h.hWant("the register on 28 February", st, `{"households":3,"persons":4}`)
}

// bulletinFigures reads February's figures as the leader and asserts each one.
func bulletinFigures(h *hEnv) {
	h.t.Helper()
	feb := "from=2026-02-01&to=2026-02-28"
	read := func(path string) map[string]any {
		h.t.Helper()
		status, body := h.hAs("xh.leader", "GET", path, nil)
		if status != http.StatusOK {
			h.t.Fatalf("%s: %d %v", path, status, body)
		}
		return body
	}
	// 受理群众诉求4件，办结3件，满意率66.7%
	stats := read("/api/v1/stats/cases?region=" + bDistrict + "&by=matter&from=2026-02&to=2026-02")
	var lamps map[string]any
	for _, r := range stats["rows"].([]any) {
		if r := r.(map[string]any); hStr(r, "group") == "XH-SZ-1" {
			lamps = r
		}
	}
	h.hWant("street lamp cases of February", lamps, `{"received":4,"dispatched":3,"resolved":3,"closed":3,"visited":3,"satisfied":1,
		"basically_satisfied":1,"dissatisfied":1,"resolution_rate":1,"satisfaction_rate":0.667}`)

	// 共开展巡逻检查5次，发现隐患4个，已整改到位2个 — the week of the 23rd entered on 2
	// March; of the two still open, the one of 6 February is past its term today
	ledger := read("/api/v1/ledgers/hazards?region=" + bDistrict + "&" + feb)
	h.hWant("hazard ledger of February", ledger["total"].(map[string]any), `{"patrols":5,"found":4,"rectified":2,"rectifying":1,"overdue":1,"rate":0.5}`)
	streets := map[string]map[string]any{}
	for _, r := range ledger["rows"].([]any) {
		streets[hStr(r.(map[string]any), "key")] = r.(map[string]any)
	}
	h.hWant("北山街道", streets[bBeishan], `{"name":"北山街道","patrols":3,"found":2,"rectified":2,"rate":1}`)
	h.hWant("西溪街道", streets[bXixi], `{"name":"西溪街道","patrols":2,"found":2,"rectified":0,"rate":0}`)
	lastWeek := read("/api/v1/ledgers/hazards?region=" + bDistrict + "&from=2026-02-23&to=2026-03-01")
	h.hWant("the week entered late", lastWeek["total"].(map[string]any), `{"patrols":2,"found":1}`)
	march := read("/api/v1/ledgers/hazards?region=" + bDistrict + "&from=2026-03-01&to=2026-03-31")
	h.hWant("March, when they were entered", march["total"].(map[string]any), `{"patrols":0,"found":0}`)

	// 联企干部2人，联系企业3家，收集企业问题4个，解决3个，解决率75%，办结1个
	liaison := read("/api/v1/reports/liaison?region=" + bDistrict + "&" + feb)
	h.hWant("liaison of February", liaison, `{"cadres":2,"enterprises":3}`)
	h.hWant("liaison total", liaison["total"].(map[string]any), `{"visits":3,"problems_collected":4,"problems_resolved":3,"problems_closed":1,
		"resolved_rate":0.75,"closed_rate":0.25}`)
}
