package demo

import (
	"cmp"
	"context"
	"fmt"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
)

// The demo's 机构编制: 涟源市委编办 (LY-BB, its officer officer.ly-bb) keeps eleven units of
// the city and two of its streets. Three are over their establishment after the 2025
// reform cut their quotas, each under a 出二进一 digestion plan (one of them past its
// target); a street's enforcement team has digested its excess; 蓝田街道 lowered its
// 编外 total under 只减不增 and has three staff by name, ID numbers sealed. All through
// the service, with the office's documents and days, so the figures read back as of
// any day from 2025.

// staffUnitSeed is one unit and its history: its approved figures on 2025-01-01 with as
// many on staff, then each change on its day.
type staffUnitSeed struct {
	region, name, parent string
	kind                 domain.StaffUnitKind
	est                  map[domain.StaffItem]int // approved and on staff on 2025-01-01
	actual               map[domain.StaffItem]int // on staff where it differs from est
	extra                *domain.StaffQuota       // the 编外 total with its method
	extraActual          map[domain.ExtraKind]int // 编外 on staff on 2025-01-01, by kind
	chiefAt, deputyAt    domain.LeadLevel         // the levels of its 正职 and 副职 (正科, 副科 when not said)
	steps                []staffStep
}

// staffStep is one dated change after the start: a new approved figure (quota), staff
// in or out (delta), or a digestion plan from that day (plan, its target).
type staffStep struct {
	day    string
	item   domain.StaffItem
	quota  int
	delta  int
	plan   string
	inputs map[string]float64 // a new 编外 total's method inputs
	doc    string
}

// kinds is how many 编外 staff of each kind: 劳务派遣, 合同制, 临聘, 公益性岗位.
func kinds(dispatch, contract, temporary, welfare int) map[domain.ExtraKind]int {
	return map[domain.ExtraKind]int{domain.ExtraDispatch: dispatch, domain.ExtraContract: contract, domain.ExtraTemporary: temporary, domain.ExtraWelfare: welfare}
}

func extraBy(m domain.StaffMethod, v int, a, b float64) *domain.StaffQuota {
	names := domain.StaffMethodInputs[m]
	return &domain.StaffQuota{Item: domain.StaffExtra, Value: v, Method: m, Inputs: map[string]float64{names[0]: a, names[1]: b}}
}

var staffSeeds = []staffUnitSeed{
	{region: Street, name: "蓝田街道党工委（办事处）", kind: "party_gov",
		est:    map[domain.StaffItem]int{domain.StaffAdmin: 45, domain.StaffLeadChief: 2, domain.StaffLeadDep: 6},
		actual: map[domain.StaffItem]int{domain.StaffAdmin: 42}, // and three by name (staffPeople)
		extra:  extraBy(domain.MethodPopulation, 22, 52000, 4.5), extraActual: kinds(8, 6, 0, 4),
		steps: []staffStep{{day: "2026-01-10", item: domain.StaffExtra, quota: 20, inputs: map[string]float64{"population": 45000, "per_10000": 4.5}, doc: "涟编办〔2026〕2号"}}},
	{region: Street, name: "蓝田街道综合行政执法大队", parent: "蓝田街道党工委（办事处）", kind: "ref_civil",
		est: map[domain.StaffItem]int{domain.StaffInstitute: 22, domain.StaffLeadChief: 1, domain.StaffLeadDep: 2},
		steps: []staffStep{{day: "2025-04-01", item: domain.StaffInstitute, quota: 20, doc: "涟编发〔2025〕8号"},
			{day: "2025-04-01", item: domain.StaffInstitute, plan: "2025-12-31", doc: "涟编办〔2025〕11号"},
			{day: "2025-12-01", item: domain.StaffInstitute, delta: -2, doc: "涟人社〔2025〕40号"}}},
	{region: Street, name: "蓝田街道便民服务中心", parent: "蓝田街道党工委（办事处）", kind: "public1",
		est: map[domain.StaffItem]int{domain.StaffInstitute: 12, domain.StaffLeadChief: 1}, actual: map[domain.StaffItem]int{domain.StaffInstitute: 10},
		extra: extraBy(domain.MethodWorkload, 6, 10560, 1760), extraActual: kinds(2, 0, 3, 0)},
	{region: "431382002", name: "六亩塘街道党工委（办事处）", kind: "party_gov",
		est: map[domain.StaffItem]int{domain.StaffAdmin: 38, domain.StaffLeadChief: 2, domain.StaffLeadDep: 5}},
	{region: County, name: "中共涟源市委办公室", kind: "party_gov",
		est: map[domain.StaffItem]int{domain.StaffAdmin: 35, domain.StaffWorker: 4, domain.StaffLeadChief: 1, domain.StaffLeadDep: 4}, actual: map[domain.StaffItem]int{domain.StaffAdmin: 33},
		extra: extraBy(domain.MethodWorkload, 8, 14080, 1760), extraActual: kinds(4, 3, 0, 0)},
	{region: County, name: "涟源市人民政府办公室", kind: "party_gov",
		est: map[domain.StaffItem]int{domain.StaffAdmin: 43, domain.StaffLeadChief: 1, domain.StaffLeadDep: 5},
		steps: []staffStep{{day: "2025-06-01", item: domain.StaffAdmin, quota: 40, doc: "涟编发〔2025〕15号"},
			{day: "2025-06-01", item: domain.StaffAdmin, plan: "2026-12-31", doc: "涟编办〔2025〕16号"},
			{day: "2025-08-01", item: domain.StaffAdmin, delta: -1, doc: "退休"}, {day: "2025-10-01", item: domain.StaffAdmin, delta: -1, doc: "调出"},
			{day: "2025-11-01", item: domain.StaffAdmin, delta: 1, doc: "涟人社〔2025〕31号"}, {day: "2026-01-15", item: domain.StaffAdmin, delta: -1, doc: "退休"}}},
	{region: County, name: "涟源市城市管理和综合执法局", kind: "party_gov",
		est: map[domain.StaffItem]int{domain.StaffAdmin: 30, domain.StaffWorker: 5, domain.StaffLeadChief: 1, domain.StaffLeadDep: 4}, actual: map[domain.StaffItem]int{domain.StaffAdmin: 28},
		extra: extraBy(domain.MethodPopulation, 60, 140000, 4.3), extraActual: kinds(40, 6, 4, 8)},
	{region: County, name: "涟源市自然资源局", kind: "party_gov",
		est: map[domain.StaffItem]int{domain.StaffAdmin: 49, domain.StaffLeadChief: 1, domain.StaffLeadDep: 4},
		steps: []staffStep{{day: "2025-03-01", item: domain.StaffAdmin, quota: 45, doc: "涟编发〔2025〕5号"},
			{day: "2025-03-01", item: domain.StaffAdmin, plan: "2025-12-31", doc: "涟编办〔2025〕6号"},
			{day: "2025-05-01", item: domain.StaffAdmin, delta: -1, doc: "退休"}}},
	{region: County, name: "涟源市疾病预防控制中心", kind: "public1",
		est: map[domain.StaffItem]int{domain.StaffInstitute: 60, domain.StaffLeadChief: 1, domain.StaffLeadDep: 3}, actual: map[domain.StaffItem]int{domain.StaffInstitute: 57},
		extra: extraBy(domain.MethodRatio, 10, 60, 0.18), extraActual: kinds(0, 6, 3, 0)},
	{region: County, name: "涟源市人民医院", kind: "public2",
		est: map[domain.StaffItem]int{domain.StaffInstitute: 800, domain.StaffLeadChief: 1, domain.StaffLeadDep: 5}, actual: map[domain.StaffItem]int{domain.StaffInstitute: 780},
		chiefAt: domain.LevelFuchu, deputyAt: domain.LevelKe,
		extra: extraBy(domain.MethodHistory, 200, 230, 0.1), extraActual: kinds(120, 60, 16, 0)},
	{region: County, name: "涟源市城市建设投资服务中心", kind: "business",
		est: map[domain.StaffItem]int{domain.StaffInstitute: 15, domain.StaffLeadChief: 1, domain.StaffLeadDep: 2},
		steps: []staffStep{{day: "2025-07-01", item: domain.StaffInstitute, quota: 12, doc: "涟编发〔2025〕20号"},
			{day: "2025-07-01", item: domain.StaffInstitute, plan: "2026-06-30", doc: "涟编办〔2025〕21号"},
			{day: "2025-09-01", item: domain.StaffInstitute, delta: -2, doc: "调出"}, {day: "2025-10-01", item: domain.StaffInstitute, delta: 1, doc: "涟人社〔2025〕28号"}}},
}

// staffPeople are the street's staff by name (ID numbers made valid by their check digit).
var staffPeople = []struct{ name, first17 string }{{"刘建军", "43138219780312001"}, {"谢玉兰", "43138219850716002"}, {"曾志明", "43138219901105003"}}

// LoadStaffing loads the demo's establishment as the city's staffing office.
func LoadStaffing(ctx context.Context, db *store.DB, svc *service.Service, users Users) error {
	office := users["officer.LY-BB"]
	ids := map[string]int64{}
	for _, s := range staffSeeds {
		unit := domain.StaffUnit{Region: s.region, Name: s.name, Kind: s.kind, DocNo: "涟编发〔2024〕1号", DocDate: "2024-12-20", ParentID: ids[s.parent]}
		unit, err := svc.CreateStaffUnit(ctx, office, unit)
		if err != nil {
			return fmt.Errorf("staffing unit %s: %w", s.name, err)
		}
		ids[s.name] = unit.ID
		if err := loadStaffUnit(ctx, svc, office, unit.ID, s); err != nil {
			return fmt.Errorf("staffing unit %s: %w", s.name, err)
		}
	}
	if err := loadStaffSurvey(ctx, svc, office, ids); err != nil {
		return err
	}
	street := ids[staffSeeds[0].name]
	for _, p := range staffPeople {
		if _, err := svc.RecordStaffMove(ctx, office, street, service.StaffMoveRequest{
			StaffMove: domain.StaffMove{Item: domain.StaffAdmin, Day: "2025-01-01", Delta: 1, DocNo: "涟组干〔2024〕12号"},
			Person:    &service.NewStaffPerson{Name: p.name, IDNumber: p.first17 + string(domain.IDCheckDigit(p.first17))}}); err != nil {
			return err
		}
	}
	return nil
}

func loadStaffUnit(ctx context.Context, svc *service.Service, office domain.User, unit int64, s staffUnitSeed) error {
	quota := func(q domain.StaffQuota) error { _, err := svc.SetStaffQuota(ctx, office, unit, q); return err }
	level := func(item domain.StaffItem) domain.LeadLevel {
		switch {
		case item == domain.StaffLeadChief:
			return cmp.Or(s.chiefAt, domain.LevelKe)
		case item == domain.StaffLeadDep:
			return cmp.Or(s.deputyAt, domain.LevelFuke)
		}
		return ""
	}
	move := func(item domain.StaffItem, day string, n int, doc string, kind ...domain.ExtraKind) error {
		m := domain.StaffMove{Item: item, Level: level(item), Day: day, Delta: n, DocNo: doc}
		if len(kind) > 0 {
			m.Kind = kind[0]
		}
		_, err := svc.RecordStaffMove(ctx, office, unit, service.StaffMoveRequest{StaffMove: m})
		return err
	}
	for _, item := range domain.StaffItems {
		n, ok := s.est[item]
		if !ok {
			continue
		}
		if err := quota(domain.StaffQuota{Item: item, Level: level(item), Value: n, Day: "2025-01-01", DocNo: "涟编发〔2024〕1号"}); err != nil {
			return err
		}
		if a, ok := s.actual[item]; ok {
			n = a
		}
		if err := move(item, "2025-01-01", n, "2025年初在编人数"); err != nil {
			return err
		}
	}
	if s.extra != nil {
		q := *s.extra
		q.Day, q.DocNo = "2025-01-01", "涟编办〔2025〕1号"
		if err := quota(q); err != nil {
			return err
		}
		for _, k := range domain.ExtraKinds {
			if n := s.extraActual[k]; n > 0 {
				if err := move(domain.StaffExtra, "2025-01-01", n, "2025年初编外人数", k); err != nil {
					return err
				}
			}
		}
	}
	for _, st := range s.steps {
		var err error
		switch {
		case st.plan != "":
			_, err = svc.CreateStaffPlan(ctx, office, unit, domain.StaffPlan{Item: st.item, Out: 2, In: 1, From: st.day, Target: st.plan, DocNo: st.doc})
		case st.delta != 0:
			err = move(st.item, st.day, st.delta, st.doc)
		case st.item == domain.StaffExtra:
			q := *s.extra
			q.Value, q.Day, q.DocNo = st.quota, st.day, st.doc
			q.Inputs = st.inputs
			err = quota(q)
		default:
			err = quota(domain.StaffQuota{Item: st.item, Value: st.quota, Day: st.day, DocNo: st.doc})
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", st.day, st.item, err)
		}
	}
	return nil
}

// loadStaffSurvey is the office's 编外人员管理“地毯式”调研 over three of the city's units:
// one finding needs no follow-up, one goes on the round's rectification list.
func loadStaffSurvey(ctx context.Context, svc *service.Service, office domain.User, ids map[string]int64) error {
	zrj, gov := ids["涟源市自然资源局"], ids["涟源市人民政府办公室"]
	v, err := svc.CreateStaffSurvey(ctx, office, domain.StaffSurvey{Region: County, Title: "编外人员管理“地毯式”调研",
		Form: "编外人员是否超出核定员额？\n招聘是否履行规定程序？\n超编消化计划是否按期推进？", UnitIDs: []int64{zrj, gov, ids["涟源市城市建设投资服务中心"]}})
	if err != nil {
		return err
	}
	if _, err := svc.RecordStaffFinding(ctx, office, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: gov,
		Finding: "编外人员管理规范，超编消化按出二进一推进"}}); err != nil {
		return err
	}
	_, err = svc.RecordStaffFinding(ctx, office, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: zrj,
		Finding: "超编消化计划逾期未完成，仍超编 3 名"},
		Rectify: &domain.RectItem{Measures: "制定分年度消化方案，冻结进人直至消化完毕", Org: "LY-ZRJ", Person: "局办公室", Deadline: "2026-06-30"}})
	return err
}
