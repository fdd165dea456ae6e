package demo

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// The demo's 督查整改: 蓝田街道's party secretary walked the 12345 process himself
// (一把手走流程) ninety days before the demo's today and left 60 measures to the street's
// offices and the district's departments, each with two stage milestones. Most are
// closed (销号); a few are being worked on, two are applied for, and some are past their
// deadline, so the figures and the sweeper have something to show.

// rectProblems are the problems the walk found, with their measures and the org answering.
var rectProblems = []struct{ problem, measures, org string }{
	{"工单签收超时，部分单位次日才签收", "建立签收提醒，超时自动督办，纳入月度考核", "LT-ZFDD"},
	{"派单不准，同类诉求多次退单", "梳理职责清单，完善派单目录，退单须说明理由", "LT-ZFDD"},
	{"回访不及时，部分诉求办结后未回访", "办结后两个工作日内回访，回访率纳入考核", "LT-JDB"},
	{"占道经营反复出现，整治后反弹", "划定临时摊点区，城管网格员每日巡查", "LY-CGJ"},
	{"小区路灯损坏报修后长期未修", "建立路灯台账，报修 48 小时内修复", "LY-CGJ"},
	{"背街小巷垃圾清运不及时", "增加清运频次，设立垃圾分类督导员", "LY-CGJ"},
	{"老旧小区燃气管道老化", "开展入户安全检查，分批更换老化管道", "LY-RQGS"},
	{"商铺消防通道堵塞", "联合执法清理，建立商户消防责任书", "LY-XFJY"},
	{"夜间施工噪音扰民投诉多", "严格夜间施工审批，开展噪音巡查", "LY-HBJ"},
	{"学校周边交通拥堵", "上下学时段增派交警，施划临时停车区", "LY-JJDD"},
	{"农贸市场食品安全抽检不足", "每月抽检不少于 30 批次，公示结果", "LY-SJJ"},
	{"居民反映供水压力不足", "排查管网，增设加压设备", "LY-ZLS"},
	{"社区矛盾纠纷调处不及时", "设立社区调解室，重大纠纷 3 日内调处", "LT-JDB"},
	{"治安巡逻覆盖不够，夜间盗窃时有发生", "增加夜间巡逻，安装监控探头", "LT-PCS"},
	{"网格员对政策不熟悉，答复群众不准确", "每月开展网格员业务培训，编印政策问答", "LT-JDB"},
}

// rectPersons answer for the measures in their orgs.
var rectPersons = []string{"刘志强", "陈红梅", "王卫东", "赵丽", "周建华", "吴芳", "孙国平"}

// rectCommunities are where the measures apply, for their wording.
var rectCommunities = []string{"蓝田社区", "光明山社区", "联兴村", "新星社区"}

// LoadRectification makes the demo's rectification list: 60 items over 15 problems in
// four communities, dated from the walk.
func LoadRectification(ctx context.Context, db *store.DB, users Users) error {
	leader := users["demo.leader"]
	today := db.Now().In(domain.China)
	walk := today.AddDate(0, 0, -90)
	day := func(d int) string { return walk.AddDate(0, 0, d).Format("2006-01-02") }
	return db.Update(ctx, func(tx *store.Tx) error {
		l := domain.RectList{Title: "蓝田街道一把手走流程问题整改清单", Source: domain.RectWalkthrough, SourceRef: "蓝办发〔2026〕12号",
			Region: Street, OwnerID: leader.ID, CreatedAt: walk}
		if err := tx.InsertRectList(&l); err != nil {
			return err
		}
		for i := range 60 {
			p := rectProblems[i%len(rectProblems)]
			term := 30 + (i*7)%70 // deadlines 30 to 99 days after the walk: a few still to come
			it := domain.RectItem{ListID: l.ID, Problem: rectCommunities[i/len(rectProblems)] + "：" + p.problem, Measures: p.measures,
				Org: p.org, Person: rectPersons[i%len(rectPersons)], Deadline: day(term), CreatedAt: walk,
				Milestones: []domain.RectMilestone{{Name: "制定整改方案", Due: day(10)}, {Name: "完成主体整改", Due: day(term - 5)}}}
			closing := i%10 < 8 // eight in ten are closed
			if closing || i%5 != 4 {
				it.Milestones[0].Done = day(5 + i%8) // a few late (day 11 and 12)
			}
			if closing {
				it.Milestones[1].Done = day(term - 8 + i%5) // some after the due day
				if it.Milestones[1].Done > today.Format("2006-01-02") {
					it.Milestones[1].Done = ""
				}
			}
			if err := tx.InsertRectItem(&it); err != nil {
				return err
			}
			switch {
			case closing && it.Deadline <= today.Format("2006-01-02"):
				applied, closed := walk.AddDate(0, 0, term-3), walk.AddDate(0, 0, term-1)
				it.Status, it.AppliedAt, it.ClosedAt = domain.RectClosed, &applied, &closed
				it.Progress = "已按措施完成整改，资料已归档"
			case i%10 == 8:
				applied := today.AddDate(0, 0, -1)
				it.Status, it.AppliedAt, it.Progress = domain.RectApplied, &applied, "整改完成，申请销号"
			default:
				it.Progress = "正在整改"
			}
			if err := tx.UpdateRectItem(it); err != nil {
				return err
			}
		}
		return nil
	})
}
