package demo

import (
	"context"
	"fmt"
	"math/rand"
	"time"

	"whistle/domain"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
)

// 渌口区 (株洲市, 430212) and its investment projects: the departments of 极速审批, their
// officers, the 首席服务官 and 金牌代办员, the catalogue of approval items, and about forty
// projects signed over two years, spread over every stage and tier, with approval
// histories that hold 容缺受理, 补正 and items late against their promised limits.

// Lukou is the demo's district of investment projects.
const Lukou = "430212"

var lukouRegions = []domain.Region{{Code: "4302", Name: "株洲市"}, {Code: Lukou, Name: "渌口区"},
	{Code: "430212100", Name: "渌口镇"}, {Code: "430212101", Name: "南洲镇"}, {Code: "430212102", Name: "淦田镇"},
	{Code: "430212103", Name: "古岳峰镇"}, {Code: "430212104", Name: "龙船镇"}}

var lukouOrgs = []domain.Org{{Code: "LK-ZSJ", Name: "渌口区招商和商务局"}, {Code: "LK-FGJ", Name: "渌口区发展和改革局"},
	{Code: "LK-ZRJ", Name: "株洲市自然资源和规划局渌口分局"}, {Code: "LK-ZJJ", Name: "渌口区住房和城乡建设局"},
	{Code: "LK-SPJ", Name: "渌口区行政审批服务局"}, {Code: "LK-HBJ", Name: "株洲市生态环境局渌口分局"}}

// ApprovalCatalogue is the demo's catalogue of approval items (审批事项) of 渌口区.
var ApprovalCatalogue = []domain.ApprovalItem{
	{Code: "ZS-01", Name: "项目投资合同备案", Stage: "signed", Org: "LK-ZSJ", Statutory: 5, Promised: 3, VIP: 1, Required: true},
	{Code: "ZR-01", Name: "国有建设用地使用权出让", Stage: "land", Org: "LK-ZRJ", Statutory: 30, Promised: 15, VIP: 10, Required: true},
	{Code: "FG-01", Name: "企业投资项目备案", Stage: "approval", Org: "LK-FGJ", Statutory: 5, Promised: 2, VIP: 1, Commitment: true, Required: true},
	{Code: "FG-02", Name: "固定资产投资项目节能审查", Stage: "approval", Org: "LK-FGJ", Statutory: 20, Promised: 10},
	{Code: "HB-01", Name: "建设项目环境影响评价审批", Stage: "approval", Org: "LK-HBJ", Statutory: 60, Promised: 20, VIP: 10, Commitment: true},
	{Code: "ZR-02", Name: "建设用地规划许可证", Stage: "land_planning", Org: "LK-ZRJ", Statutory: 20, Promised: 7, Required: true},
	{Code: "ZR-03", Name: "建设工程规划许可证", Stage: "works_planning", Org: "LK-ZRJ", Statutory: 20, Promised: 7, Required: true},
	{Code: "SP-01", Name: "施工图设计文件审查", Stage: "works_planning", Org: "LK-SPJ", Statutory: 15, Promised: 5},
	{Code: "ZJ-01", Name: "建筑工程施工许可证", Stage: "construction_permit", Org: "LK-ZJJ", Statutory: 15, Promised: 3, VIP: 1, Required: true},
	{Code: "ZJ-02", Name: "工程质量安全监督登记", Stage: "construction_permit", Org: "LK-ZJJ", Statutory: 5, Promised: 2},
	{Code: "ZJ-03", Name: "竣工联合验收", Stage: "completed", Org: "LK-ZJJ", Statutory: 20, Promised: 10, Required: true},
	{Code: "HB-02", Name: "排污许可证", Stage: "operating", Org: "LK-HBJ", Statutory: 20, Promised: 10},
}

// lukouUsers are the district's people of the projects, login → name and grant.
var lukouUsers = []struct {
	login, name string
	grant       domain.Grant
}{
	{"lk.admin", "渌口区系统管理员 罗文", domain.Grant{Role: domain.RoleAdmin, Region: Lukou}},
	{"lk.leader", "渌口区委副书记 易志刚", domain.Grant{Role: domain.RoleLeader, Region: Lukou}},
	{"lk.chief1", "首席服务官 副区长 邓海波", domain.Grant{Role: domain.RoleLeader, Region: Lukou}},
	{"lk.chief2", "首席服务官 副区长 谭丽君", domain.Grant{Role: domain.RoleLeader, Region: Lukou}},
	{"lk.agent1", "金牌代办员 刘婷", domain.Grant{Role: domain.RoleLiaison, Org: "LK-ZSJ"}},
	{"lk.agent2", "金牌代办员 彭磊", domain.Grant{Role: domain.RoleLiaison, Org: "LK-ZSJ"}},
	{"lk.investor", "株洲渌湘新材料有限公司", domain.Grant{Role: domain.RoleEnterprise}},
}

var lukouParks = []string{"渌口经济开发区", "南洲产业园", "淦田工业集中区", "古岳峰镇", "龙船镇"}

var projectNames = []string{"新材料产业园", "智能装备制造基地", "陶瓷新材料生产线", "冷链物流中心", "农产品精深加工",
	"生物医药中间体", "新能源电池配件", "服装智造园", "电子元器件", "渌江湿地公园", "湘江风光带", "标准厂房", "污水处理厂提标",
	"乡村振兴示范片", "人民医院综合楼", "职业学校实训楼", "体育中心", "老旧小区改造", "农贸市场改造", "光伏发电"}

// LoadProjects loads 渌口区, its people, the catalogue and the projects, as of now.
func LoadProjects(ctx context.Context, db *store.DB, users Users) error {
	if err := lukouPeople(ctx, db, users); err != nil {
		return err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return err
	}
	rng, now := rand.New(rand.NewSource(22)), db.Now()
	err = db.Update(ctx, func(tx *store.Tx) error {
		for _, a := range ApprovalCatalogue {
			if err := tx.PutApprovalItem(a); err != nil {
				return err
			}
		}
		for i := 0; i < 40; i++ {
			if err := demoProject(tx, rng, cal, users, i, now); err != nil {
				return fmt.Errorf("demo project %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = service.New(db).SweepProjects(ctx) // the items now past their promise are flagged
	return err
}

func lukouPeople(ctx context.Context, db *store.DB, users Users) error {
	hash, err := passhash.Hash(Password)
	if err != nil {
		return err
	}
	if err := db.PutRegions(ctx, withParents(lukouRegions)); err != nil {
		return err
	}
	for i, o := range lukouOrgs {
		o.Kind, o.Region = "department", Lukou
		if err := db.PutOrg(ctx, o); err != nil {
			return err
		}
		u, err := db.PutUser(ctx, domain.User{Login: "officer." + o.Code, Name: o.Name + "审批员", Phone: fmt.Sprintf("1357331%04d", 100+i),
			Grants: []domain.Grant{{Role: domain.RoleOfficer, Org: o.Code}}}, hash)
		if err != nil {
			return err
		}
		users[u.Login] = u
	}
	for i, l := range lukouUsers {
		u, err := db.PutUser(ctx, domain.User{Login: l.login, Name: l.name, Phone: fmt.Sprintf("1357331%04d", 200+i), Grants: []domain.Grant{l.grant}}, hash)
		if err != nil {
			return err
		}
		users[u.Login] = u
	}
	return nil
}

// withParents completes the regions with their levels and parents.
func withParents(rs []domain.Region) []domain.Region {
	out := make([]domain.Region, len(rs))
	for i, r := range rs {
		r.Level, _ = domain.LevelOf(r.Code)
		r.Parent = domain.ParentCode(r.Code)
		out[i] = r
	}
	return out
}

// InvestorUSCC makes the i-th investor's valid unified social credit code.
func InvestorUSCC(i int) string {
	first := fmt.Sprintf("91430212MA4L%05d", 10000+i)
	c, _ := domain.USCCCheck(first)
	return first + string(c)
}

// demoProject makes project i: signed some time in the last two years and moved on
// through stages i%11 of them, its items filed, accepted (some 容缺), paused for 补正
// (some), approved (some late); the items of its next stage open.
func demoProject(tx *store.Tx, rng *rand.Rand, cal *domain.Calendar, users Users, i int, now time.Time) error {
	investor := &domain.Enterprise{USCC: InvestorUSCC(i), Name: fmt.Sprintf("株洲%s%s有限公司", []string{"渌湘", "南洲", "湘江", "株渌", "龙船"}[i%5], projectNames[i%len(projectNames)]),
		Region: lukouRegions[2+i%5].Code, Industry: []string{"manufacturing", "logistics", "construction", "agriculture", "services"}[i%5], Size: "medium"}
	if i == 0 {
		investor.Name, investor.AccountID = "株洲渌湘新材料有限公司", users["lk.investor"].ID
	}
	if err := tx.PutEnterprise(investor); err != nil {
		return err
	}
	tier := domain.Tiers[i%4]
	p := domain.Project{Name: fmt.Sprintf("%s%s项目", []string{"渌口", "南洲", "淦田", "古岳峰", "龙船"}[i%5], projectNames[i%len(projectNames)]),
		Investor: investor.USCC, Industry: investor.Industry, Kind: domain.ProjectKinds[i%3], Region: investor.Region,
		Park: lukouParks[i%len(lukouParks)], Priority: domain.Priorities[i%4], Tier: tier, Parcel: fmt.Sprintf("渌国用(2025)第%03d号", i+1)}
	p.Total = domain.Amount((5000 + rng.Intn(195000)) * 100)
	p.YearPlan = p.Total / domain.Amount(2+rng.Intn(3)) / 100 * 100
	p.Land = domain.Amount((20 + rng.Intn(300)) * 100)
	if tier != domain.TierNormal {
		p.LeaderID = users[[]string{"lk.chief1", "lk.chief2", "lk.leader"}[i%3]].ID
	}
	if tier == domain.TierGold || tier == domain.TierVIP {
		p.AgentID = users[[]string{"lk.agent1", "lk.agent2"}[i%2]].ID
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := tx.PutProject(&p); err != nil {
		return err
	}
	target := i % len(domain.Stages)
	start := now.AddDate(0, 0, -(30 + rng.Intn(690)))
	span := now.Sub(start) / time.Duration(target+2)
	at := start
	if err := tx.PutStage(p.ID, domain.StageRecord{Stage: domain.Stages[0], Actual: start.Format("2006-01-02")}); err != nil {
		return err // 洽谈 began when the project was first met
	}
	for s := 1; s <= target+1 && s < len(domain.Stages); s++ {
		st := domain.Stages[s]
		planned := at.Add(span)
		open := s == target+1 // the stage being worked towards: its items still run
		if err := demoStageItems(tx, rng, cal, &p, st, at, open, i*31+s, now); err != nil {
			return err
		}
		rec := domain.StageRecord{Stage: st, Planned: planned.Format("2006-01-02")}
		if !open {
			if at = planned.Add(time.Duration(rng.Intn(10)-3) * 24 * time.Hour); at.After(now) {
				at = now // reached, so not after today
			}
			rec.Actual = at.Format("2006-01-02")
			rec.Facts = stageFacts(st, i)
			p.Stage = st
		}
		if err := tx.PutStage(p.ID, rec); err != nil {
			return err
		}
	}
	if i%13 == 12 {
		p.Status = "paused"
	}
	if err := tx.PutProject(&p); err != nil {
		return err
	}
	return demoProgress(tx, rng, &p, start, now)
}

func stageFacts(st domain.Stage, i int) map[string]string {
	switch st {
	case "signed":
		return map[string]string{"合同编号": fmt.Sprintf("渌招合〔%d〕%02d号", 2024+i%3, i+1)}
	case "land":
		return map[string]string{"不动产权证号": fmt.Sprintf("湘(2025)株洲市渌口区不动产权第%07d号", 1000+i)}
	case "started":
		return map[string]string{"开工仪式": "集中开工"}
	}
	return nil
}

// demoStageItems files the catalogue's items of stage st at time at and works them:
// decided for a stage passed, left running (some late already) for the open stage.
func demoStageItems(tx *store.Tx, rng *rand.Rand, cal *domain.Calendar, p *domain.Project, st domain.Stage, at time.Time, open bool, seed int, now time.Time) error {
	for k, a := range ApprovalCatalogue {
		if a.Stage != st || (!a.Required && (seed+k)%3 == 0) {
			continue
		}
		applied := cal.AddWorkingMinutes(at, 60)
		if open { // the items under way were filed in the last weeks
			applied = cal.AddWorkingMinutes(now.AddDate(0, 0, -1-(seed+k)%25), 0)
		}
		if applied.After(now) {
			applied = now.Add(-time.Hour)
		}
		it := domain.NewProjectItem(p.ID, a, p.Tier, applied)
		steps := demoSteps(a, seed+k, open)
		t := applied
		for _, step := range steps {
			t = cal.AddWorkingMinutes(t, step.after)
			if t.After(now) {
				break
			}
			if step.action == domain.ItemAcceptGaps {
				step.in.GapsDue = t.AddDate(0, 0, 10).Format("2006-01-02")
			}
			if err := it.Act(step.action, step.in, t, cal); err != nil {
				return err
			}
		}
		if err := tx.PutProjectItem(&it); err != nil {
			return err
		}
	}
	return nil
}

type demoStep struct {
	action domain.ItemAction
	in     domain.ItemInput
	after  int // working minutes after the step before
}

// demoSteps is one item's history: 容缺受理 one in five, 补正 one in four, late one in
// six, 告知承诺制 for half of the items that allow it; an open stage's items stop short.
func demoSteps(a domain.ApprovalItem, n int, open bool) []demoStep {
	day := 420
	limit := a.Promised
	var steps []demoStep
	if a.Commitment && n%2 == 0 {
		return []demoStep{{domain.ItemCommit, domain.ItemInput{Permit: fmt.Sprintf("承诺-%s-%03d", a.Code, n)}, 120}}
	}
	if n%5 == 0 {
		steps = append(steps, demoStep{domain.ItemAcceptGaps, domain.ItemInput{Gaps: []string{"营业执照副本", "法人授权委托书"}}, 60})
	} else {
		steps = append(steps, demoStep{domain.ItemAccept, domain.ItemInput{}, 60})
	}
	if n%4 == 0 {
		steps = append(steps, demoStep{domain.ItemSupplement, domain.ItemInput{Note: "补充项目选址意见及红线图"}, day / 2},
			demoStep{domain.ItemResubmit, domain.ItemInput{}, day * 2})
	}
	if n%5 == 0 && n%4 != 0 {
		steps = append(steps, demoStep{domain.ItemSupplyGaps, domain.ItemInput{}, day})
	}
	took := (limit*day)*2/3 + 30
	if n%6 == 1 {
		took = (limit + 2) * day // late
	}
	if open {
		if n%3 == 0 {
			return steps[:0] // just filed
		}
		return steps
	}
	return append(steps, demoStep{domain.ItemApprove, domain.ItemInput{Permit: fmt.Sprintf("渌%s〔2025〕%03d号", a.Code, n)}, took})
}

// demoProgress reports the months since a project began, one month in seven missing.
func demoProgress(tx *store.Tx, rng *rand.Rand, p *domain.Project, start, now time.Time) error {
	if p.Stage.Index() < domain.Stage("construction_permit").Index() {
		return nil
	}
	monthly := p.Total / 24 / 100 * 100
	for m, k := start.AddDate(0, 1, 0), 0; m.Before(now); m, k = m.AddDate(0, 1, 0), k+1 {
		if (int(p.ID)+k)%7 == 0 {
			continue
		}
		amt := monthly * domain.Amount(80+rng.Intn(40)) / 100
		if err := tx.PutProgress(domain.ProjectProgress{ProjectID: p.ID, Month: m.Format("2006-01"), Amount: amt, Physical: min(100, 4*(k+1)), ReportedBy: p.AgentID}); err != nil {
			return err
		}
	}
	return nil
}
