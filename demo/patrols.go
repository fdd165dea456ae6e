package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
)

// Patrols loads the demo street's patrol side: the checklists ("八个一" and the safety
// patrol), plans from the community linkages plus a grid worker's daily and a building
// head's weekly plan, a year of patrol records closing most of their tasks, the hazard
// terms of the history's hazard cases, "八个一" progress, the enterprise registry with
// liaison cadres, visits and problems, annual inspection plans and two years of
// inspections. It runs after History, whose hazard and liaison cases it uses.
func Patrols(ctx context.Context, db *store.DB, users Users) error {
	svc := service.New(db)
	rng := rand.New(rand.NewPCG(20261201, 431382001))
	now := db.Now().In(domain.China)
	start := now.AddDate(-1, 0, 0)
	lists, err := svc.EnsureChecklists(ctx)
	if err != nil {
		return err
	}
	var eight, patrolList domain.Checklist
	for _, c := range lists {
		switch c.Code {
		case domain.EightOnes.Code:
			eight = c
		case domain.SafetyPatrol.Code:
			patrolList = c
		}
	}
	admin := users["demo.admin"]
	from, to := start.Format("2006-01-02"), time.Date(now.Year(), 12, 31, 0, 0, 0, 0, domain.China).Format("2006-01-02")
	if _, err := svc.PlansFromLinkages(ctx, admin, Street, from, to, 2, patrolList.ID); err != nil {
		return fmt.Errorf("demo patrol plans: %w", err)
	}
	for _, p := range []domain.PatrolPlan{
		{Name: "网格员日常巡查 民光社区第1网格", Kind: "grid", UserID: users["demo.grid"].ID, Region: "431382001001001", Times: 1, Period: "day", Checklist: patrolList.ID, From: from, To: to},
		{Name: "楼栋长每周巡查", Kind: "grid", UserID: users["demo.building"].ID, Region: "431382001001001001", Times: 1, Period: "week", From: from, To: to},
	} {
		if _, _, err := svc.CreatePlan(ctx, admin, p); err != nil {
			return fmt.Errorf("demo patrol plan %s: %w", p.Name, err)
		}
	}
	if err := patrolHistory(ctx, db, rng, users, patrolList, now); err != nil {
		return err
	}
	if err := hazardTerms(ctx, db, rng); err != nil {
		return err
	}
	if err := eightOnes(ctx, db, rng, eight, users, now); err != nil {
		return err
	}
	return enterprises(ctx, db, svc, rng, users, now)
}

// patrolHistory records a patrol for most past tasks: most on time, some late, some
// missed; answers mostly fine.
func patrolHistory(ctx context.Context, db *store.DB, rng *rand.Rand, users Users, list domain.Checklist, now time.Time) error {
	plans, err := db.PatrolPlans(ctx, domain.PlanFilter{Region: Street})
	if err != nil {
		return err
	}
	byID := map[int64]domain.PatrolPlan{}
	for _, p := range plans {
		byID[p.ID] = p
	}
	tasks, err := db.PatrolTasks(ctx, store.TaskFilter{Region: Street, From: now.AddDate(-2, 0, 0), To: now})
	if err != nil {
		return err
	}
	byLogin := map[int64]domain.User{}
	for _, u := range users {
		byLogin[u.ID] = u
	}
	places, err := subtree(ctx, db, Street, 15)
	if err != nil {
		return err
	}
	return db.Update(ctx, func(tx *store.Tx) error {
		for _, t := range tasks {
			plan := byID[t.PlanID]
			r := rng.Float64()
			if r < 0.07 { // missed
				continue
			}
			span := t.Due.Sub(t.Start)
			at := t.Start.Add(time.Duration(rng.Float64() * float64(span)))
			late := r < 0.12
			if late {
				at = t.Due.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			}
			y, m, d := at.Date()
			at = time.Date(y, m, d, 8+rng.IntN(10), rng.IntN(60), 0, 0, domain.China)
			if at.Before(t.Start) {
				at = t.Start.Add(9 * time.Hour)
			}
			if at.After(now) {
				continue
			}
			user := byLogin[plan.UserID]
			if plan.Kind == "department" {
				user = users["officer."+plan.Org]
			}
			p := domain.Patrol{TaskID: t.ID, PlanID: plan.ID, UserID: user.ID, Org: plan.Org, Region: plan.Region, StartedAt: at,
				EndedAt: at.Add(time.Duration(30+rng.IntN(90)) * time.Minute), Late: late, Photos: []string{}, HazardIDs: []int64{}, RecordedAt: at}
			for _, pl := range places {
				if domain.Within(pl.Code, plan.Region) && pl.Lat != nil {
					lat, lon := *pl.Lat+(rng.Float64()-0.5)*0.002, *pl.Lon+(rng.Float64()-0.5)*0.002
					p.Lat, p.Lon = &lat, &lon
					break
				}
			}
			if plan.Checklist == list.ID {
				p.Checklist = list.ID
				for _, it := range list.Items {
					a := domain.ChecklistAnswer{Item: it.Code, OK: true}
					if rng.IntN(25) == 0 {
						a.OK, a.Note = false, "发现问题，已现场督促整改并上报"
					}
					p.Answers = append(p.Answers, a)
				}
			}
			if p.Answers == nil {
				p.Answers = []domain.ChecklistAnswer{}
			}
			if err := tx.InsertPatrol(&p); err != nil {
				return err
			}
		}
		return nil
	})
}

// measures are typical rectification measures per hazard category.
var measures = map[string]string{"fire": "清理堵塞物，恢复消防通道畅通；更换过期灭火器", "gas": "更换老化软管，加装燃气泄漏报警器",
	"electric": "拆除私拉乱接电线，规范敷设线路", "building": "设置警戒区域，委托鉴定并加固维修", "construction": "停工整改，完善防护设施",
	"special_equipment": "停用检修，经检验合格后恢复使用", "chemical": "依法查扣，督促取得许可后经营", "geological": "设置警示标志，落实监测责任人",
	"drowning": "补设警示牌和救生设施", "traffic": "完善交通标志标线", "other": "督促责任单位限期整改"}

// hazardTerms gives the history's hazard cases their terms: level, measures, deadline.
func hazardTerms(ctx context.Context, db *store.DB, rng *rand.Rand) error {
	ms, err := db.Matters(ctx)
	if err != nil {
		return err
	}
	cats := map[string]string{}
	for _, m := range ms {
		cats[m.Code] = m.HazardCategory
	}
	cases, err := db.HazardCasesWithout(ctx, Street)
	if err != nil {
		return err
	}
	hs := make([]domain.Hazard, 0, len(cases))
	for _, c := range cases {
		level := domain.HazardGeneral
		if c.Priority == 1 && rng.IntN(8) == 0 {
			level = domain.HazardMajor
		}
		cat := domain.HazardCategoryOr(cats[c.Matter])
		y, m, d := c.CreatedAt.Date()
		deadline := time.Date(y, m, d, 0, 0, 0, 0, domain.China).AddDate(0, 0, domain.HazardTerms[level]+1)
		hs = append(hs, domain.Hazard{CaseID: c.ID, Level: level, Category: cat, Measures: measures[cat], Deadline: deadline, Org: c.LeadOrg})
	}
	return db.Update(ctx, func(tx *store.Tx) error { return tx.InsertHazards(hs) })
}

// eightOnes records "八个一" progress: most communities have most items done this year.
func eightOnes(ctx context.Context, db *store.DB, rng *rand.Rand, c domain.Checklist, users Users, now time.Time) error {
	communities, err := db.Children(ctx, Street)
	if err != nil {
		return err
	}
	evidence := map[string]string{"meeting": "召开安全形势研判会商会，确定消防、燃气为重点领域（会议纪要存档）", "duty": "印发社区安全发展责任分工表",
		"log": "建立安全发展巡查记录本，联点部门每月巡查不少于2次", "plan": "制定老旧小区火灾应急响应预案", "training": "开展“大安全屋场会”，居民56人参加",
		"board": "在小区出入口发布安全公示牌3块", "supplies": "配备灭火器40具、应急照明10套", "drill": "开展消防疏散应急演练，120人参加"}
	return db.Update(ctx, func(tx *store.Tx) error {
		for i, r := range communities {
			n := len(c.Items) - rng.IntN(4)
			if i%5 == 4 {
				n = 2 + rng.IntN(3)
			}
			for _, it := range c.Items[:n] {
				at := time.Date(now.Year(), 1, 1, 10, 0, 0, 0, domain.China).Add(time.Duration(rng.Int64N(int64(now.Sub(time.Date(now.Year(), 1, 1, 0, 0, 0, 0, domain.China))) + 1)))
				if at.After(now) {
					at = now
				}
				e := domain.ChecklistEntry{Checklist: c.ID, Region: r.Code, Year: now.Year(), Item: it.Code, Evidence: evidence[it.Code],
					Photos: []string{}, UserID: users["demo.dispatcher"].ID, At: at}
				if err := tx.InsertChecklistEntry(&e); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
