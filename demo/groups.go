package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"whistle/domain"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
)

// Villages are 蓝田街道's four villages, where its retired fishermen (退捕渔民) live.
var Villages = []string{"431382001205", "431382001209", "431382001211", "431382001212"}

// FishermenGroup is the demo key group's code.
const FishermenGroup = "tuibu-yumin"

// fishermenSchema is the register of retired fishermen, after the one 赫山区 keeps: who
// is insured and how, who wants work and how they work, housing, and the household.
func fishermenSchema() domain.Group {
	return domain.Group{Code: FishermenGroup, Name: "退捕渔民", Kind: domain.KindHousehold, Region: Street,
		Description: "长江十年禁渔退捕渔民转产安置动态监测：一对一帮扶，每年两轮全面监测。",
		Fields: []domain.Field{
			{Key: "id_number", Label: "身份证号", Type: domain.FieldIDNumber, Required: true},
			{Key: "phone", Label: "联系电话", Type: domain.FieldPhone, Roles: []domain.Role{domain.RoleAdmin, domain.RoleHelper, domain.RoleGridWorker, domain.RoleDispatcher}},
			{Key: "gender", Label: "性别", Type: domain.FieldChoice, Options: []string{"男", "女"}, Required: true},
			{Key: "insurance", Label: "参保类型", Type: domain.FieldChoice, Required: true, Options: []string{"企业职工养老保险", "城乡居民养老保险", "未参保"}},
			{Key: "work_intent", Label: "就业意愿", Type: domain.FieldBool},
			{Key: "employment", Label: "就业方式", Type: domain.FieldChoice, Options: []string{"企业务工", "灵活就业", "公益岗位", "自主创业", "种养殖", "未就业"}},
			{Key: "skills", Label: "职业技能", Type: domain.FieldMulti, Options: []string{"水产养殖", "种植", "驾驶", "电工", "厨师", "家政"}},
			{Key: "income", Label: "家庭年收入", Type: domain.FieldMoney, On: domain.KindHousehold, Roles: []domain.Role{domain.RoleAdmin, domain.RoleHelper, domain.RoleLeader, domain.RoleDispatcher}},
			{Key: "housing", Label: "住房保障", Type: domain.FieldChoice, On: domain.KindHousehold, Options: []string{"自有住房", "已落实基本住房", "住房租赁补贴", "住房困难"}},
			{Key: "boats", Label: "拆解船只数", Type: domain.FieldNumber, On: domain.KindHousehold, Min: ptr(0.0), Max: ptr(20.0)},
			{Key: "retired_on", Label: "退捕日期", Type: domain.FieldDate, On: domain.KindHousehold},
		}}
}

func ptr[T any](v T) *T { return &v }

var (
	surnames    = []rune("刘李王张陈周彭曾谭胡邓黄罗肖易段袁龚贺颜梁吴唐朱郭")
	maleNames   = []string{"国兵", "建国", "志强", "红军", "光明", "德胜", "海波", "长生", "新华", "春生", "水清", "满仓", "桂生", "立平", "小龙", "伟", "强", "军", "勇", "斌"}
	femaleNames = []string{"桂英", "秀兰", "冬梅", "玉兰", "春花", "小红", "丽娟", "淑珍", "芳", "敏", "艳", "霞", "琴", "娟", "平"}
)

// helperLogins are the demo's grid informants (网格信息员) who help the fishermen, one
// or two per village; demo.helper is the first of 联兴村.
var helperLogins = []struct{ login, name, village string }{
	{"demo.helper", "", "431382001205"},
	{"helper.rs1", "网格信息员 谭志华", "431382001209"},
	{"helper.rs2", "网格信息员 曾美玲", "431382001209"},
	{"helper.xz1", "网格信息员 彭建军", "431382001211"},
	{"helper.xz2", "网格信息员 易小燕", "431382001211"},
	{"helper.lh1", "网格信息员 段国庆", "431382001212"},
}

// person is one generated fisherman or family member.
type person struct {
	name, relation, id, phone, gender, insurance, intent, employment, skills string
}

// LoadGroups loads the demo's key group: a register of retired fishermen in 蓝田街道's
// villages (generated, realistic), their helpers, two monitoring rounds (the last one
// done, the current one under way) and an aid ledger, all through the key-group service.
func LoadGroups(ctx context.Context, db *store.DB, users Users) error {
	svc := service.New(db)
	gs, err := service.OpenGroups(ctx, svc)
	if err != nil {
		return err
	}
	groups, err := db.Groups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.Code == FishermenGroup {
			return nil
		}
	}
	admin := users["demo.admin"]
	g, err := gs.CreateGroup(ctx, admin, fishermenSchema())
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(11, 43138))
	today := time.Now()
	if db.Now != nil {
		today = db.Now()
	}
	day := func(offset int) string { return domain.Today(today.AddDate(0, 0, offset)) }

	if err := importRegister(ctx, gs, db, admin, rng, g, day(-420)); err != nil {
		return err
	}
	// helpers, paired a week after the register
	helpers, err := helperUsers(ctx, db, users)
	if err != nil {
		return err
	}
	subjects, err := db.Subjects(ctx, store.SubjectFilter{Group: g.ID, Top: true})
	if err != nil {
		return err
	}
	if err := pairHelpers(ctx, db, subjects, helpers, day(-413)); err != nil {
		return err
	}
	// a helper of 峡中村 changed posts two months ago and handed over
	if _, err := gs.Handover(ctx, admin, g.ID, users["helper.xz2"].ID, users["helper.xz1"].ID, day(-60), "岗位调整，交接帮扶对象"); err != nil {
		return err
	}
	if err := monitorRounds(ctx, gs, db, users, rng, g, day); err != nil {
		return err
	}
	return aidLedger(ctx, gs, db, users, rng, g, subjects, day)
}

// importRegister writes the register as the street would type it, 72 households in the
// villages' grids, and imports it with its preview as of day.
func importRegister(ctx context.Context, gs *service.Groups, db *store.DB, admin domain.User, rng *rand.Rand, g *domain.Group, day string) error {
	var grids []domain.Region
	for _, v := range Villages {
		kids, err := db.Children(ctx, v)
		if err != nil {
			return err
		}
		grids = append(grids, kids...)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(domain.RegisterHeader(g))
	households := 72
	seq := 0
	for h := 1; h <= households; h++ {
		grid := grids[(h*7)%len(grids)]
		members := 1 + rng.IntN(3)
		surname := string(surnames[rng.IntN(len(surnames))])
		hh := []string{fmt.Sprint(20000 + rng.IntN(60000)), pick(rng, []string{"自有住房", "自有住房", "自有住房", "已落实基本住房", "住房租赁补贴", "住房困难"}),
			fmt.Sprint(1 + rng.IntN(4)), fmt.Sprintf("2019-%02d-%02d", 6+rng.IntN(6), 1+rng.IntN(28))}
		for m := 0; m < members; m++ {
			seq++
			p := makePerson(rng, surname, m, seq)
			row := []string{fmt.Sprintf("LT-TB-%03d", h), p.name, p.relation, grid.Code, p.id, p.phone, p.gender, p.insurance, p.intent, p.employment, p.skills}
			if m == 0 {
				row = append(row, hh...)
			} else {
				row = append(row, "", "", "", "")
			}
			w.Write(row)
		}
	}
	w.Flush()
	table, err := service.ReadTable(buf.Bytes())
	if err != nil {
		return err
	}
	reg, err := gs.ImportRegister(ctx, admin, g.ID, table, day, false)
	if err != nil {
		return fmt.Errorf("demo register: %w (%+v)", err, reg.Errors)
	}
	return nil
}

// helperUsers gives each village's helpers, making those missing from users.
func helperUsers(ctx context.Context, db *store.DB, users Users) (map[string][]int64, error) {
	hash, err := passhash.Hash(Password)
	if err != nil {
		return nil, err
	}
	helpers := map[string][]int64{}
	for i, h := range helperLogins {
		u, ok := users[h.login]
		if !ok {
			u, err = db.PutUser(ctx, domain.User{Login: h.login, Name: h.name, Phone: fmt.Sprintf("1357381%04d", 3000+i),
				Grants: []domain.Grant{{Role: domain.RoleHelper, Region: h.village}}}, hash)
			if err != nil {
				return nil, err
			}
			users[h.login] = u
		}
		helpers[h.village] = append(helpers[h.village], u.ID)
	}
	return helpers, nil
}

// pairHelpers pairs the households with their village's helpers in turn from day, all
// but a few.
func pairHelpers(ctx context.Context, db *store.DB, households []domain.Subject, helpers map[string][]int64, day string) error {
	return db.Update(ctx, func(tx *store.Tx) error {
		for i, s := range households {
			hs := helpers[s.Region[:12]]
			if i%23 == 22 { // a few households wait for a helper: coverage shows them
				continue
			}
			a := domain.Assignment{Subject: s.ID, UserID: hs[i%len(hs)], From: day}
			if err := tx.AddAssignment(&a); err != nil {
				return err
			}
		}
		return nil
	})
}

// monitorRounds starts two rounds and visits: the last half-year's, done (a few late,
// two missed), and the current one, under way.
func monitorRounds(ctx context.Context, gs *service.Groups, db *store.DB, users Users, rng *rand.Rand, g *domain.Group, day func(int) string) error {
	admin := users["demo.admin"]
	r1, err := gs.StartRound(ctx, admin, domain.Round{GroupID: g.ID, Name: "上半年全面动态监测", Starts: day(-300), Due: day(-210)})
	if err != nil {
		return err
	}
	r2, err := gs.StartRound(ctx, admin, domain.Round{GroupID: g.ID, Name: "下半年全面动态监测", Starts: day(-45), Due: day(45)})
	if err != nil {
		return err
	}
	if err := visitRound(ctx, gs, db, users, rng, r1, g, day, -290, 1.0); err != nil {
		return err
	}
	return visitRound(ctx, gs, db, users, rng, r2, g, day, -40, 0.55)
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// makePerson makes the m-th member of a household: the head is a fisherman in his
// forties to sixties, then a spouse, then a grown child.
func makePerson(rng *rand.Rand, surname string, m, seq int) person {
	p := person{relation: []string{"户主", "配偶", "子女"}[min(m, 2)]}
	male := m == 0 || (m == 2 && rng.IntN(2) == 0)
	year := 1958 + rng.IntN(22)
	if m == 2 {
		year = 1985 + rng.IntN(15)
	}
	given := pick(rng, femaleNames)
	p.gender = "女"
	if male {
		given, p.gender = pick(rng, maleNames), "男"
	}
	if m == 1 {
		p.name = string(surnames[rng.IntN(len(surnames))]) + given // spouses keep their own surname
	} else {
		p.name = surname + given
	}
	order := (seq%499)*2 + 1 // odd for men, even for women (GB 11643)
	if !male {
		order++
	}
	first17 := fmt.Sprintf("431382%04d%02d%02d%03d", year, 1+rng.IntN(12), 1+rng.IntN(28), order%1000)
	p.id = first17 + string(domain.IDCheckDigit(first17))
	if rng.IntN(100) < 85 {
		p.phone = fmt.Sprintf("1%d%d%08d", 3+rng.IntN(6), rng.IntN(10), rng.IntN(100000000))
	}
	switch r := rng.IntN(1000); {
	case r < 529:
		p.insurance = "企业职工养老保险"
	case r < 960:
		p.insurance = "城乡居民养老保险"
	default:
		p.insurance = "未参保"
	}
	if year < 1962 || rng.IntN(100) < 15 {
		p.intent, p.employment = "否", "未就业"
	} else {
		p.intent = "是"
		p.employment = pick(rng, []string{"企业务工", "企业务工", "灵活就业", "灵活就业", "公益岗位", "自主创业", "种养殖", "未就业"})
	}
	var skills []string
	for _, s := range []string{"水产养殖", "种植", "驾驶", "电工", "厨师", "家政"} {
		if rng.IntN(5) == 0 {
			skills = append(skills, s)
		}
	}
	p.skills = strings.Join(skills, "、")
	return p
}

// visitRound does a round's visits with the helpers' own hands: share of the tasks,
// each on a day from start on, some late; answers change work and insurance and some
// find risks.
func visitRound(ctx context.Context, gs *service.Groups, db *store.DB, users Users, rng *rand.Rand, r domain.Round, g *domain.Group,
	day func(int) string, start int, share float64) error {
	byID := map[int64]domain.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	visits, err := db.MonitoringVisits(ctx, store.VisitFilter{Round: r.ID})
	if err != nil {
		return err
	}
	for i, v := range visits {
		helper, ok := byID[v.HelperID]
		if !ok {
			helper = users["demo.admin"] // no helper: the street's admin goes
		}
		if rng.Float64() >= share || (share == 1 && i%31 == 30) {
			continue // not yet visited, or missed
		}
		offset := start + rng.IntN(max(1, -start-5))
		if share == 1 {
			offset = start + rng.IntN(100) // some after the due day: late
		}
		rec := domain.VisitRecord{Day: day(offset), Note: pick(rng, []string{"生活稳定", "家中无异常", "了解就业情况", "宣传医保政策", "测算家庭收入"})}
		members, err := db.Subjects(ctx, store.SubjectFilter{Household: v.Subject})
		if err != nil {
			return err
		}
		for _, m := range members {
			switch rng.IntN(10) {
			case 0:
				rec.Answers = append(rec.Answers, domain.Answer{Subject: m.ID, Field: "employment", Value: pick(rng, []string{"企业务工", "灵活就业", "公益岗位"})})
			case 1:
				rec.Answers = append(rec.Answers, domain.Answer{Subject: m.ID, Field: "insurance", Value: "企业职工养老保险"})
			}
		}
		if rng.IntN(4) == 0 {
			rec.Answers = append(rec.Answers, domain.Answer{Subject: v.Subject, Field: "income", Value: fmt.Sprint(30000 + rng.IntN(50000))})
		}
		if rng.IntN(12) == 0 {
			k := pick(rng, domain.RiskKinds[:3])
			rec.Risks = []domain.RiskKind{k}
			rec.Note = riskNotes[k]
		}
		if _, err := gs.RecordVisit(ctx, helper, v.ID, rec); err != nil {
			return fmt.Errorf("demo visit %d: %w", v.ID, err)
		}
	}
	return nil
}

// riskNotes are what a helper writes when a visit finds a risk.
var riskNotes = map[domain.RiskKind]string{
	domain.RiskLostJob: "务工企业停产，本人暂时失业，需就业帮扶",
	domain.RiskIllness: "家庭成员患病住院，医疗支出大",
	domain.RiskHousing: "房屋年久失修，雨季漏水，需住房帮扶",
}

// aidLedger writes a year of assistance: relief and subsistence to members, housing and
// rent subsidies to households (some housing met in kind), training and job placement,
// medical aid.
func aidLedger(ctx context.Context, gs *service.Groups, db *store.DB, users Users, rng *rand.Rand, g *domain.Group, households []domain.Subject, day func(int) string) error {
	clerk := users["demo.dispatcher"]
	orgs := map[domain.AidKind]string{domain.AidSubsistence: "LY-MZJ", domain.AidTemporary: "LY-MZJ", domain.AidHousing: "LY-ZJJ",
		domain.AidRent: "LY-ZJJ", domain.AidTraining: "LY-RSJ", domain.AidJob: "LY-RSJ", domain.AidMedical: "LY-WJJ"}
	amounts := map[domain.AidKind][]string{domain.AidSubsistence: {"3600", "4200", "5400"}, domain.AidTemporary: {"1000", "1500", "2000", "3000"},
		domain.AidHousing: {"15000", "20000"}, domain.AidRent: {"3600", "4800"}, domain.AidTraining: {""}, domain.AidJob: {""}, domain.AidMedical: {"860.50", "2350", "5128.30"}}
	for i, h := range households {
		if i%4 != 1 && i%9 != 0 {
			continue
		}
		members, err := db.Subjects(ctx, store.SubjectFilter{Household: h.ID})
		if err != nil {
			return err
		}
		kind := domain.AidKinds[rng.IntN(len(domain.AidKinds))]
		subject := members[rng.IntN(len(members))].ID
		if kind == domain.AidHousing || kind == domain.AidRent {
			subject = h.ID
		}
		for n := 0; n < 1+rng.IntN(2); n++ {
			a := domain.Aid{Subject: subject, Kind: kind, Amount: pick(rng, amounts[kind]), Day: day(-400 + rng.IntN(395)), Org: orgs[kind], Note: "符合条件，经审批发放"}
			if kind == domain.AidHousing && i%3 == 0 { // a housing need met in kind, with no sum to it
				a.Form, a.Item, a.Amount = domain.AidInKind, "落实基本住房", ""
			}
			if _, err := gs.AddAid(ctx, clerk, a); err != nil {
				return fmt.Errorf("demo aid: %w", err)
			}
		}
	}
	return nil
}
