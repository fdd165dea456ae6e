package service_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"whistle/demo"
	"whistle/domain"
	"whistle/secret"
	"whistle/service"
	"whistle/sheets"
	"whistle/store"
	"whistle/whistletest"
)

// groupsFixture is the demo district (no case history) with the key-group service on a
// test key and a second helper in 日升村.
type groupsFixture struct {
	svc    *service.Groups
	users  demo.Users
	clock  *whistletest.Clock
	helper domain.User // demo.helper, 联兴村
	other  domain.User // helper2, 日升村
}

func newGroupsFixture(t *testing.T) *groupsFixture {
	t.Helper()
	gctx := context.Background()
	base, users, clock := whistletest.Demo(t, 0)
	g, err := service.OpenGroups(gctx, base) // the key the demo's register was sealed with
	if err != nil {
		t.Fatal(err)
	}
	other, err := whistletest.StoreOf(base).PutUser(gctx, domain.User{Login: "helper2", Name: "网格信息员 邓强", Grants: []domain.Grant{{Role: domain.RoleHelper, Region: "431382001209"}}}, "x")
	if err != nil {
		t.Fatal(err)
	}
	return &groupsFixture{svc: g, users: users, clock: clock, helper: users["demo.helper"], other: other}
}

// scenarioSchema is a household group like 赫山区's retired fishermen.
func scenarioGroup() domain.Group {
	return domain.Group{Code: "scenario", Name: "退捕渔民（测试）", Kind: domain.KindHousehold, Region: "431382001", Fields: []domain.Field{
		{Key: "id_number", Label: "身份证号", Type: domain.FieldIDNumber, Required: true},
		{Key: "phone", Label: "联系电话", Type: domain.FieldPhone},
		{Key: "insurance", Label: "参保类型", Type: domain.FieldChoice, Required: true, Options: []string{"企业社保", "城乡居民社保", "未参保"}},
		{Key: "work_intent", Label: "就业意愿", Type: domain.FieldBool},
		{Key: "employment", Label: "就业方式", Type: domain.FieldChoice, Options: []string{"企业务工", "灵活就业", "公益岗位", "自主创业", "未就业"}},
		{Key: "housing", Label: "住房保障", Type: domain.FieldChoice, On: domain.KindHousehold, Options: []string{"已落实基本住房", "住房租赁补贴", "自有住房"}},
		{Key: "income", Label: "家庭年收入", Type: domain.FieldMoney, On: domain.KindHousehold},
	}}
}

// id makes a valid resident ID number from its first 17 characters.
func id(first17 string) string { return first17 + string(domain.IDCheckDigit(first17)) }

const registerHeader = "户编号,姓名,与户主关系,区划,身份证号,联系电话,参保类型,就业意愿,就业方式,住房保障,家庭年收入\n"

// goodRegister is the scenario's register: four households, six persons.
var goodRegister = registerHeader +
	"H1,甲,户主,431382001205001," + id("43138219700101001") + ",13873810001,企业社保,是,企业务工,自有住房,30000\n" +
	"H1,乙,配偶,431382001205001," + id("43138219720202002") + ",,城乡居民社保,否,未就业,,\n" +
	"H2,丙,户主,431382001209001," + id("43138219800303003") + ",13873810003,未参保,是,灵活就业,住房租赁补贴,\n" +
	"H3,丁,户主,431382001209002," + id("43138219650404004") + ",,企业社保,是,灵活就业,已落实基本住房,\n" +
	"H3,戊,子女,431382001209002," + id("43138219900505005") + ",,企业社保,是,公益岗位,,\n" +
	"H4,己,户主,431382001211001," + id("43138219550606006") + ",,城乡居民社保,否,未就业,,\n"

func table(t *testing.T, csv string) [][]string {
	t.Helper()
	rows, err := service.ReadTable([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestRegisterImportPreviewIsAllOrNothing(t *testing.T) {
	gctx := context.Background()
	f := newGroupsFixture(t)
	admin := f.users["demo.admin"]
	g, err := f.svc.CreateGroup(gctx, admin, scenarioGroup())
	if err != nil {
		t.Fatal(err)
	}
	bad := registerHeader +
		"H1,甲,户主,431382001205001,431382197001010019,13873810001,企业社保,是,企业务工,自有住房,30000\n" + // bad check digit
		"H1,,配偶,431382001205001," + id("43138219720202002") + ",,城乡居民社保,否,未就业,,\n" + // no name
		"H2,丙,户主,431382002001," + id("43138219800303003") + ",12345,商业保险,是,灵活就业,住房租赁补贴,1.234\n" + // region outside, phone, choice, money
		"H3,丁,户主,431382001209002," + id("43138219800303003") + ",,企业社保,是,灵活就业,已落实基本住房,\n" // ID number twice
	reg, err := f.svc.ImportRegister(gctx, admin, g.ID, table(t, bad), "2025-01-01", true)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"2/身份证号": true, "3/姓名": true, "4/区划": true, "4/联系电话": true, "4/参保类型": true, "4/家庭年收入": true, "5/身份证号": true}
	got := map[string]bool{}
	for _, e := range reg.Errors {
		got[strconv.Itoa(e.Row)+"/"+e.Column] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("preview misses the mistake at %s; got %+v", k, reg.Errors)
		}
	}
	if len(reg.Errors) != len(want) {
		t.Errorf("preview found %d mistakes, want %d: %+v", len(reg.Errors), len(want), reg.Errors)
	}
	if _, err := f.svc.ImportRegister(gctx, admin, g.ID, table(t, bad), "2025-01-01", false); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("importing a register with mistakes: %v, want invalid", err)
	}
	if subs, err := whistletest.StoreOf(f.svc.Service).Subjects(gctx, store.SubjectFilter{Group: g.ID}); err != nil || len(subs) != 0 {
		t.Fatalf("a refused import wrote %d subjects (%v)", len(subs), err)
	}
	// the same register fixed, as an XLSX workbook
	book, err := sheets.Write("名册", table(t, goodRegister))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := service.ReadTable(book)
	if err != nil {
		t.Fatal(err)
	}
	reg, err = f.svc.ImportRegister(gctx, admin, g.ID, rows, "2025-01-01", false)
	if err != nil || reg.Subjects != 4 || reg.People != 6 {
		t.Fatalf("import: %+v, %v", reg, err)
	}
	// a second import of the same households is refused row by row
	reg, _ = f.svc.ImportRegister(gctx, admin, g.ID, table(t, goodRegister), "2025-01-01", true)
	if len(reg.Errors) < 4 {
		t.Errorf("re-import preview: %+v", reg.Errors)
	}
	// export in the same layout, masked without reveal
	out, err := f.svc.ExportRegister(gctx, admin, g.ID, "", "", false)
	if err != nil || len(out) != 7 || strings.Join(out[0], ",")+"\n" != registerHeader {
		t.Fatalf("export: %v %v", out, err)
	}
	if out[1][4] != "4313**********"+id("43138219700101001")[14:] || out[1][10] != "30000.00" {
		t.Errorf("export row: %v", out[1])
	}
	clear, err := f.svc.ExportRegister(gctx, admin, g.ID, "", "", true)
	if err != nil || clear[1][4] != id("43138219700101001") {
		t.Fatalf("revealed export: %v %v", clear[1], err)
	}
	audit, _ := whistletest.StoreOf(f.svc.Service).Reveals(gctx, g.ID, 10)
	if len(audit) != 1 || audit[0].Subjects != 10 || audit[0].Purpose != "export" {
		t.Errorf("export reveal audit: %+v", audit)
	}
}

// TestGroupScenarioFiguresExact runs a year of a small register whose true figures are
// known and checks every statistic, exact to the person and the fen, today and as of a
// past day.
func TestGroupScenarioFiguresExact(t *testing.T) {
	gctx := context.Background()
	f := newGroupsFixture(t)
	admin, leader, dispatcher := f.users["demo.admin"], f.users["demo.leader"], f.users["demo.dispatcher"]
	g, err := f.svc.CreateGroup(gctx, admin, scenarioGroup())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportRegister(gctx, admin, g.ID, table(t, goodRegister), "2025-01-01", false); err != nil {
		t.Fatal(err)
	}
	top, err := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID})
	if err != nil || len(top) != 4 {
		t.Fatalf("register: %d households, %v", len(top), err)
	}
	hh := map[string]domain.Subject{}
	for _, s := range top {
		full, err := f.svc.Subject(gctx, admin, s.ID, "", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		hh[s.Ref] = full
	}
	member := func(ref, name string) int64 {
		for _, m := range hh[ref].Members {
			if m.Name == name {
				return m.ID
			}
		}
		t.Fatalf("no member %s in %s", name, ref)
		return 0
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// helpers from the start; 日升村's helper hands over on 2026-01-10
	_, err = f.svc.AssignHelper(gctx, admin, hh["H1"].ID, f.helper.ID, "2025-01-01", "")
	must(err)
	_, err = f.svc.AssignHelper(gctx, admin, hh["H2"].ID, f.other.ID, "2025-01-01", "")
	must(err)
	_, err = f.svc.AssignHelper(gctx, admin, hh["H3"].ID, f.other.ID, "2025-01-01", "")
	must(err)
	if _, err := f.svc.Subject(gctx, f.helper, hh["H2"].ID, "", nil, ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("demo.helper sees another village's household before the handover: %v", err)
	}
	// round 1 (2025 first half) set up late, so its register is the one of its due day
	r1, err := f.svc.StartRound(gctx, admin, domain.Round{GroupID: g.ID, Name: "2025年上半年", Starts: "2025-06-01", Due: "2025-06-30"})
	must(err)
	if r1.Tasks != 4 {
		t.Fatalf("round 1 has %d tasks, want 4", r1.Tasks)
	}
	visits, err := f.svc.Visits(gctx, admin, service.VisitQuery{Round: r1.ID})
	must(err)
	visitOf := func(vs []domain.Visit, subject int64) domain.Visit {
		for _, v := range vs {
			if v.Subject == subject {
				return v
			}
		}
		t.Fatalf("no visit for %d", subject)
		return domain.Visit{}
	}
	// H1 on time: 乙 found flexible work; only the helper of the visit records it
	if _, err := f.svc.RecordVisit(gctx, f.other, visitOf(visits, hh["H1"].ID).ID, domain.VisitRecord{Day: "2025-06-10"}); err == nil {
		t.Error("another village's helper recorded a visit")
	}
	_, err = f.svc.RecordVisit(gctx, f.helper, visitOf(visits, hh["H1"].ID).ID, domain.VisitRecord{Day: "2025-06-10",
		Answers: []domain.Answer{{Subject: member("H1", "乙"), Field: "employment", Value: "灵活就业"}}})
	must(err)
	// H2 late: 丙 now insured by an enterprise, but lost a job
	_, err = f.svc.RecordVisit(gctx, f.other, visitOf(visits, hh["H2"].ID).ID, domain.VisitRecord{Day: "2025-07-05",
		Answers: []domain.Answer{{Subject: member("H2", "丙"), Field: "参保类型", Value: "企业社保"}}, Risks: []domain.RiskKind{domain.RiskLostJob}, Note: "厂子停工"})
	must(err)
	// the ledger
	aid := []domain.Aid{
		{Subject: member("H1", "甲"), Kind: domain.AidTemporary, Amount: "2000", Day: "2025-03-01", Org: "LY-MZJ"},
		{Subject: member("H1", "甲"), Kind: domain.AidTemporary, Amount: "500.50", Day: "2025-09-01", Org: "LY-MZJ"},
		{Subject: member("H1", "乙"), Kind: domain.AidMedical, Amount: "1234.56", Day: "2026-01-20", Org: "LY-WJJ"},
		{Subject: hh["H2"].ID, Kind: domain.AidRent, Amount: "3600", Day: "2025-08-01", Org: "LY-ZJJ"},
		{Subject: member("H3", "丁"), Kind: domain.AidTraining, Day: "2025-10-01", Org: "LY-RSJ"},
		{Subject: member("H3", "戊"), Kind: domain.AidSubsistence, Amount: "4800", Day: "2026-02-01", Org: "LY-MZJ"},
	}
	if _, err := f.svc.AddAid(gctx, leader, aid[0]); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a leader wrote the ledger: %v", err)
	}
	for _, a := range aid {
		_, err := f.svc.AddAid(gctx, dispatcher, a)
		must(err)
	}
	// the lost job was solved; H4 left the register; the handover
	risks, err := f.svc.Risks(gctx, admin, hh["H2"].ID)
	must(err)
	if len(risks) != 1 || risks[0].Kind != domain.RiskLostJob || risks[0].Raised != "2025-07-05" {
		t.Fatalf("risks of H2: %+v", risks)
	}
	_, err = f.svc.ClearRisk(gctx, admin, hh["H2"].ID, risks[0].ID, "2026-01-05")
	must(err)
	must(f.svc.EndSubject(gctx, admin, hh["H4"].ID, "2026-01-31"))
	n, err := f.svc.Handover(gctx, admin, g.ID, f.other.ID, f.helper.ID, "2026-01-10", "调岗")
	must(err)
	if n != 2 {
		t.Errorf("handover moved %d households, want 2", n)
	}
	if _, err := f.svc.Subject(gctx, f.helper, hh["H2"].ID, "", nil, ""); err != nil {
		t.Errorf("the new helper cannot see the household handed over: %v", err)
	}
	// round 2 (2026 first half), in progress today (2 March 2026)
	r2, err := f.svc.StartRound(gctx, admin, domain.Round{GroupID: g.ID, Name: "2026年上半年", Starts: "2026-02-01", Due: "2026-03-31"})
	must(err)
	if r2.Tasks != 3 {
		t.Fatalf("round 2 has %d tasks, want 3 (H4 left)", r2.Tasks)
	}
	mine, err := f.svc.Visits(gctx, f.helper, service.VisitQuery{Mine: true, Round: r2.ID, Status: domain.VisitOpen})
	must(err)
	if len(mine) != 3 {
		t.Fatalf("demo.helper's open visits: %d, want 3", len(mine))
	}
	_, err = f.svc.RecordVisit(gctx, f.helper, visitOf(mine, hh["H1"].ID).ID, domain.VisitRecord{Day: "2026-02-15", Risks: []domain.RiskKind{domain.RiskIllness}, Note: "住院"})
	must(err)

	type want struct {
		households, persons, helped, unhelped, helpers int
		counts                                         map[string]int // field/value → n
		rates                                          map[string]float64
		aidFen                                         int64
		aidRecords, aidHH, aidPersons                  int
		aidKinds                                       map[domain.AidKind][4]int64 // records, fen, households, persons
		open                                           map[domain.RiskKind]int
	}
	check := func(asOf, among string, w want) {
		t.Helper()
		st, err := f.svc.Stats(gctx, leader, service.StatsQuery{Group: g.ID, AsOf: asOf, Among: among})
		must(err)
		if st.Households != w.households || st.Persons != w.persons || st.Helped != w.helped || st.Unhelped != w.unhelped || st.Helpers != w.helpers {
			t.Errorf("%s: households %d persons %d helped %d unhelped %d helpers %d; want %+v", asOf, st.Households, st.Persons, st.Helped, st.Unhelped, st.Helpers, w)
		}
		for k, n := range w.counts {
			field, value, _ := strings.Cut(k, "/")
			got, rate := -1, (*float64)(nil)
			for _, fs := range st.Fields {
				for _, c := range fs.Counts {
					if fs.Key == field && c.Value == value {
						got, rate = c.N, c.Rate
					}
				}
			}
			if got != n {
				t.Errorf("%s %s: %s = %d, want %d", asOf, among, k, got, n)
			}
			if r, ok := w.rates[k]; ok && (rate == nil || r != *rate) {
				t.Errorf("%s %s: rate of %s = %v, want %v", asOf, among, k, domain.PercentText(rate), r)
			}
		}
		if st.AidTotal.AmountFen != w.aidFen || st.AidTotal.Records != w.aidRecords || st.AidTotal.Households != w.aidHH || st.AidTotal.Persons != w.aidPersons {
			t.Errorf("%s: aid total %+v; want %d fen, %d records, %d households, %d persons", asOf, st.AidTotal, w.aidFen, w.aidRecords, w.aidHH, w.aidPersons)
		}
		if len(st.Aid) != len(w.aidKinds) {
			t.Errorf("%s: aid kinds %+v", asOf, st.Aid)
		}
		for _, a := range st.Aid {
			x := w.aidKinds[a.Kind]
			if int64(a.Records) != x[0] || a.AmountFen != x[1] || int64(a.Households) != x[2] || int64(a.Persons) != x[3] {
				t.Errorf("%s: aid %s = %+v, want %v", asOf, a.Kind, a, x)
			}
		}
		for _, r := range st.Risks {
			if r.Open != w.open[r.Kind] {
				t.Errorf("%s: open %s risks %d, want %d", asOf, r.Kind, r.Open, w.open[r.Kind])
			}
		}
	}
	// today: H4 left; 丙 insured since the July visit; 乙 flexibly employed since June
	today := want{households: 3, persons: 5, helped: 3, unhelped: 0, helpers: 1,
		counts: map[string]int{"insurance/企业社保": 4, "insurance/城乡居民社保": 1, "insurance/未参保": 0, "work_intent/是": 4, "work_intent/否": 1,
			"employment/企业务工": 1, "employment/灵活就业": 3, "employment/公益岗位": 1, "employment/未就业": 0,
			"housing/自有住房": 1, "housing/住房租赁补贴": 1, "housing/已落实基本住房": 1},
		rates:  map[string]float64{"insurance/企业社保": 0.8, "employment/灵活就业": 0.6},
		aidFen: 1213506, aidRecords: 6, aidHH: 3, aidPersons: 4,
		aidKinds: map[domain.AidKind][4]int64{domain.AidTemporary: {2, 250050, 1, 1}, domain.AidRent: {1, 360000, 1, 0},
			domain.AidMedical: {1, 123456, 1, 1}, domain.AidTraining: {1, 0, 1, 1}, domain.AidSubsistence: {1, 480000, 1, 1}},
		open: map[domain.RiskKind]int{domain.RiskIllness: 1}}
	check("", "", today)
	check("2026-03-02", "", today)
	// as of 1 July 2025: all four households, 丙 not yet insured, one aid entry, no risk
	check("2025-07-01", "", want{households: 4, persons: 6, helped: 3, unhelped: 1, helpers: 2,
		counts: map[string]int{"insurance/企业社保": 3, "insurance/城乡居民社保": 2, "insurance/未参保": 1,
			"employment/企业务工": 1, "employment/灵活就业": 3, "employment/公益岗位": 1, "employment/未就业": 1},
		rates:  map[string]float64{"insurance/企业社保": 0.5, "insurance/城乡居民社保": 0.333, "insurance/未参保": 0.167},
		aidFen: 200000, aidRecords: 1, aidHH: 1, aidPersons: 1,
		aidKinds: map[domain.AidKind][4]int64{domain.AidTemporary: {1, 200000, 1, 1}},
		open:     map[domain.RiskKind]int{}})
	// as of 1 December 2025: the lost job open, rent and training given
	check("2025-12-01", "", want{households: 4, persons: 6, helped: 3, unhelped: 1, helpers: 2,
		counts: map[string]int{"insurance/企业社保": 4, "insurance/未参保": 0},
		aidFen: 200000 + 50050 + 360000, aidRecords: 4, aidHH: 3, aidPersons: 2,
		aidKinds: map[domain.AidKind][4]int64{domain.AidTemporary: {2, 250050, 1, 1}, domain.AidRent: {1, 360000, 1, 0}, domain.AidTraining: {1, 0, 1, 1}},
		open:     map[domain.RiskKind]int{domain.RiskLostJob: 1}})
	// among those who want work, today: everyone works (1 enterprise, 2 flexible, 1 public post)
	check("", "work_intent=是", want{households: 3, persons: 5, helped: 3, helpers: 1,
		counts: map[string]int{"employment/企业务工": 1, "employment/灵活就业": 2, "employment/公益岗位": 1, "employment/未就业": 0},
		rates:  map[string]float64{"employment/灵活就业": 0.5},
		aidFen: 1213506, aidRecords: 6, aidHH: 3, aidPersons: 4, aidKinds: today.aidKinds, open: today.open})

	// round progress: round 1 by helper, today
	prog, err := f.svc.RoundProgress(gctx, leader, r1.ID, "helper", "")
	must(err)
	byKey := map[string]domain.Progress{}
	for _, p := range prog {
		byKey[p.Name] = p
	}
	if p := byKey[f.helper.Name]; p.Tasks != 1 || p.Done != 1 || p.Late != 0 {
		t.Errorf("round 1, demo.helper: %+v", p)
	}
	if p := byKey[f.other.Name]; p.Tasks != 2 || p.Done != 1 || p.Late != 1 || p.Missing != 1 {
		t.Errorf("round 1, helper2: %+v", p)
	}
	if p := byKey["无帮扶人"]; p.Tasks != 1 || p.Missing != 1 {
		t.Errorf("round 1, no helper: %+v", p)
	}
	prog, err = f.svc.RoundProgress(gctx, leader, r2.ID, "region", "")
	must(err)
	if len(prog) != 2 || prog[0].Key != "431382001205" || prog[0].Done != 1 || prog[1].Key != "431382001209" || prog[1].Pending != 2 {
		t.Errorf("round 2 by village: %+v", prog)
	}
	// coverage: today everyone has a helper; on 1 July 2025 H4 had none
	if un, total, err := f.svc.Coverage(gctx, leader, g.ID, "", "2025-07-01"); err != nil || total != 4 || len(un) != 1 || un[0].Ref != "H4" {
		t.Errorf("coverage 2025-07-01: %v of %d, %v", un, total, err)
	}
	// the open illness raises a case into the normal lifecycle
	risks, _ = f.svc.Risks(gctx, f.helper, hh["H1"].ID)
	var illness domain.RiskFlag
	for _, r := range risks {
		if r.Kind == domain.RiskIllness {
			illness = r
		}
	}
	c, err := f.svc.RaiseCase(gctx, f.helper, hh["H1"].ID, illness.ID, "", "", "")
	must(err)
	if c.Status != domain.StatusReported || c.Region != "431382001205001" || c.Matter != "MZ-006" {
		t.Errorf("raised case: %+v", c)
	}
	if _, err := f.svc.RaiseCase(gctx, f.helper, hh["H1"].ID, illness.ID, "", "", ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a risk raised a second case: %v", err)
	}
	if _, err := f.svc.Act(gctx, dispatcher, c.ID, domain.Command{Action: domain.ActAccept, Version: c.Version}); err != nil {
		t.Errorf("the dispatcher cannot accept the raised case: %v", err)
	}
}

func TestPersonalDataSealedSearchableMaskedAudited(t *testing.T) {
	gctx := context.Background()
	f := newGroupsFixture(t)
	admin, leader := f.users["demo.admin"], f.users["demo.leader"]
	g, err := f.svc.CreateGroup(gctx, admin, scenarioGroup())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportRegister(gctx, admin, g.ID, table(t, goodRegister), "2025-01-01", false); err != nil {
		t.Fatal(err)
	}
	// at rest: no clear ID number or phone anywhere in subject_values
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(f.svc.Service))
	var n int
	if err := raw.QueryRowContext(gctx, `SELECT COUNT(*) FROM subject_values WHERE value LIKE '%4313821970%' OR value LIKE '%13873810001%'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d clear personal values at rest (%v)", n, err)
	}
	if err := raw.QueryRowContext(gctx, `SELECT COUNT(*) FROM subject_values v JOIN subjects s ON s.id = v.subject_id
		WHERE s.group_id = ? AND v.field IN ('id_number', 'phone') AND v.hash <> ''`, g.ID).Scan(&n); err != nil || n != 8 {
		t.Fatalf("%d sealed values with a search hash, want 8 (%v)", n, err)
	}
	// exact search by phone, however typed, for who may reveal phones
	found, err := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID, Phone: "138 7381 0003"})
	if err != nil || len(found) != 1 || found[0].Name != "丙" {
		t.Fatalf("search by phone: %+v %v", found, err)
	}
	found, err = f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID, IDNumber: strings.ToLower(id("43138219900505005"))})
	if err != nil || len(found) != 1 || found[0].Name != "戊" {
		t.Fatalf("search by ID number: %+v %v", found, err)
	}
	// the leader, who may not reveal, may not search by them either
	if _, err := f.svc.Subjects(gctx, leader, service.SubjectQuery{Group: g.ID, Phone: "13873810003"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("leader search by phone: %v, want forbidden", err)
	}
	// masked for the leader, who may not reveal
	sub, err := f.svc.Subject(gctx, leader, found[0].ID, "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if v := sub.Values["id_number"]; v != "4313**********"+id("43138219900505005")[14:] {
		t.Errorf("leader sees %q", v)
	}
	if _, err := f.svc.Subject(gctx, leader, sub.ID, "", []string{"id_number"}, "核对身份"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("leader reveal: %v, want forbidden", err)
	}
	// the helper reveals, with a purpose, and it is audited
	f.svc.AssignHelper(gctx, admin, sub.Household, f.other.ID, "2025-01-01", "")
	if _, err := f.svc.Subject(gctx, f.other, sub.ID, "", []string{"id_number"}, ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("reveal without a purpose: %v", err)
	}
	clear, err := f.svc.Subject(gctx, f.other, sub.ID, "", []string{"id_number"}, "办理医保")
	if err != nil || clear.Values["id_number"] != id("43138219900505005") {
		t.Fatalf("helper reveal: %v %v", clear.Values, err)
	}
	audit, _ := whistletest.StoreOf(f.svc.Service).Reveals(gctx, g.ID, 10)
	if len(audit) != 3 || audit[0].Login != "helper2" || audit[0].Subject != sub.ID || audit[0].Purpose != "办理医保" ||
		audit[1].Action != domain.ActSearch || audit[1].Login != "demo.admin" || audit[1].Fields[0] != "id_number" || audit[1].Subjects != 1 {
		t.Errorf("audit: %+v", audit)
	}
	// scope: another street's dispatcher sees nothing of it
	other := f.users["demo.other"]
	if _, err := f.svc.Subject(gctx, other, sub.ID, "", nil, ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("another street reads a subject: %v", err)
	}
	if _, err := f.svc.Stats(gctx, other, service.StatsQuery{Group: g.ID, Region: "431382001"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("another street reads the statistics: %v", err)
	}
	// a second key is refused: the data was sealed with the first
	keys2, _ := secret.New([]byte(strings.Repeat("z", 32)))
	if _, err := service.NewGroups(gctx, f.svc.Service, keys2); err == nil {
		t.Error("a database sealed with one key accepted another")
	}
}

// TestXLSXRegisterCells reads a workbook as people make it: a real date cell, a number
// cell for money with a display format, and text for the ID number.
func TestXLSXRegisterCells(t *testing.T) {
	gctx := context.Background()
	f := newGroupsFixture(t)
	admin := f.users["demo.admin"]
	g, err := f.svc.CreateGroup(gctx, admin, domain.Group{Code: "xlsx", Name: "老兵", Kind: domain.KindPerson, Region: "431382001", Fields: []domain.Field{
		{Key: "id_number", Label: "身份证号", Type: domain.FieldIDNumber},
		{Key: "enlisted", Label: "入伍日期", Type: domain.FieldDate},
		{Key: "pension", Label: "抚恤金", Type: domain.FieldMoney},
	}})
	if err != nil {
		t.Fatal(err)
	}
	book := excelize.NewFile()
	book.SetSheetRow("Sheet1", "A1", &[]any{"编号", "姓名", "区划", "身份证号", "入伍日期", "抚恤金"})
	book.SetSheetRow("Sheet1", "A2", &[]any{"V1", "赵六", "431382001001001", id("43138219500101001"), time.Date(1968, 3, 1, 0, 0, 0, 0, time.UTC), 1234.5})
	style, _ := book.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy: what a spreadsheet shows
	book.SetCellStyle("Sheet1", "E2", "E2", style)
	money, _ := book.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	book.SetCellStyle("Sheet1", "F2", "F2", money)
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := service.ReadTable(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := f.svc.ImportRegister(gctx, admin, g.ID, rows, "2025-01-01", false)
	if err != nil {
		t.Fatalf("import: %v %+v", err, reg.Errors)
	}
	subs, _ := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID})
	if len(subs) != 1 || subs[0].Values["enlisted"] != "1968-03-01" || subs[0].Values["pension"] != "1234.50" {
		t.Errorf("read from XLSX: %+v", subs)
	}
}
