package demo

import (
	"context"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
)

// The demo's 考核: 蓝田街道 scores its communities and its 1+N departments every month,
// the communities also on 发回重办率 and on their year's 八个一 as it stood at each
// month's end.
// The twelve months before the demo's today are published; before that, two cases were
// left out (a dispatcher's 不合理诉求 and a department's 免责, both approved by the
// street's leader), the street rated the report-ins it found, and the leader scored the
// manual items; after, 城管局 appealed its leader's score of the last month and the
// leader accepted it.

// CommunitySystem and DepartmentSystem are the demo's indicator systems.
var (
	CommunitySystem = domain.AssessSystem{Name: "蓝田街道社区接诉即办月度考核", Region: Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessCommunities, AppealDays: 5, Indicators: []domain.Indicator{
			{Code: "resp", Name: "响应率", Source: domain.SrcResponseRate, Weight: 25, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.6, Target: 1, MinVolume: 5},
			{Code: "solve", Name: "解决率", Source: domain.SrcResolution, Weight: 20, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.6, Target: 1, MinVolume: 5},
			{Code: "sat", Name: "满意率", Source: domain.SrcSatisfaction, Weight: 25, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.7, Target: 1, MinVolume: 3},
			{Code: "overdue", Name: "超期率", Source: domain.SrcOverdueRate, Weight: 10, Direction: domain.LowerBetter, Rule: domain.RuleLinear, Floor: 0.2, Target: 0, MinVolume: 5},
			{Code: "rework", Name: "发回重办率", Source: domain.SrcReworkRate, Weight: 5, Direction: domain.LowerBetter, Rule: domain.RuleLinear, Floor: 0.3, Target: 0, MinVolume: 3},
			{Code: "eight", Name: "八个一进度", Source: domain.SrcEightOnes, Weight: 5, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1},
			{Code: "cannot", Name: "办不成事", Source: domain.SrcCannotDo, Weight: 5, Direction: domain.LowerBetter, Rule: domain.RuleDeduct, PerEvent: 20},
			{Code: "lead", Name: "领导评价", Source: domain.SrcManual, Weight: 5, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 100},
		}}
	DepartmentSystem = domain.AssessSystem{Name: "蓝田街道1+N部门月度考核", Region: Street, PeriodKind: domain.PeriodMonth,
		AssesseeKind: domain.AssessDepartments, AppealDays: 5, Indicators: []domain.Indicator{
			{Code: "resp", Name: "响应率", Source: domain.SrcResponseRate, Weight: 20, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.6, Target: 1, MinVolume: 5},
			{Code: "ontime", Name: "按时办结率", Source: domain.SrcResolveOnTime, Weight: 20, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.6, Target: 1, MinVolume: 5},
			{Code: "sat", Name: "满意率", Source: domain.SrcSatisfaction, Weight: 15, Direction: domain.HigherBetter, Rule: domain.RuleRank, MinVolume: 3},
			{Code: "return", Name: "退单率", Source: domain.SrcReturnRate, Weight: 10, Direction: domain.LowerBetter, Rule: domain.RuleLinear, Floor: 0.3, Target: 0, MinVolume: 5},
			{Code: "reportin", Name: "报到率", Source: domain.SrcReportIn, Weight: 5, Direction: domain.HigherBetter, Rule: domain.RulePass, Target: 0.9, MinVolume: 1},
			{Code: "rating", Name: "吹哨报到评价", Source: domain.SrcRating, Weight: 10, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 1, MinVolume: 1},
			{Code: "rect", Name: "整改销号率", Source: domain.SrcRectClosed, Weight: 10, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0.5, Target: 1, MinVolume: 1},
			{Code: "lead", Name: "领导评价", Source: domain.SrcManual, Weight: 10, Direction: domain.HigherBetter, Rule: domain.RuleLinear, Floor: 0, Target: 100},
		}}
)

// AppealOrg is the department whose appeal the demo accepted.
const AppealOrg = "LY-CGJ"

// LoadAssessments defines the two systems and publishes the twelve months before today.
func LoadAssessments(ctx context.Context, db *store.DB, svc *service.Service, users Users) error {
	admin, leader := users["demo.admin"], users["demo.leader"]
	comm, err := svc.CreateAssessSystem(ctx, admin, CommunitySystem)
	if err != nil {
		return err
	}
	dept, err := svc.CreateAssessSystem(ctx, admin, DepartmentSystem)
	if err != nil {
		return err
	}
	today := db.Now().In(domain.China)
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, domain.China)
	start := first.AddDate(-1, 0, 0)
	if err := assessFairness(ctx, db, svc, users, start, first); err != nil {
		return err
	}
	communities, err := db.Children(ctx, Street)
	if err != nil {
		return err
	}
	orgs, err := db.Orgs(ctx)
	if err != nil {
		return err
	}
	var periods []string
	for m := start; m.Before(first); m = m.AddDate(0, 1, 0) {
		p := m.Format("2006-01")
		periods = append(periods, p)
		for i, c := range communities { // the leader's view of each community's month, 70 to 98
			if err := svc.SetManualScore(ctx, leader, comm.ID, p, c.Code, "lead", float64(70+(i*7+int(m.Month()))%29), "月度工作评价"); err != nil {
				return err
			}
		}
		for i, o := range orgs {
			if o.Region != Street && o.Region != County {
				continue
			}
			points := float64(75 + (i*5+int(m.Month()))%21)
			if o.Code == AppealOrg && m.AddDate(0, 1, 0).Equal(first) {
				points = 70 // the last month's score 城管局 appeals
			}
			if err := svc.SetManualScore(ctx, leader, dept.ID, p, o.Code, "lead", points, "月度工作评价"); err != nil {
				return err
			}
		}
	}
	for _, p := range periods {
		for _, id := range []int64{comm.ID, dept.ID} {
			if _, err := svc.PublishAssess(ctx, leader, id, p); err != nil {
				return err
			}
		}
	}
	last := periods[len(periods)-1]
	a, err := svc.FileAppeal(ctx, users["officer."+AppealOrg], domain.Appeal{SystemID: dept.ID, Period: last, Assessee: AppealOrg, Indicator: "lead",
		Reason: "本月牵头完成占道经营专项整治，领导评价未计入"})
	if err != nil {
		return err
	}
	_, err = svc.DecideAppeal(ctx, leader, a.ID, service.AppealDecision{Accept: true, Decision: "经核实，专项整治成效明显，领导评价更正为 88 分", Num: 88})
	return err
}

// assessFairness leaves two of the year's cases out (one 不合理诉求, one 免责) and rates
// the report-ins the street finds, before the months are published.
func assessFairness(ctx context.Context, db *store.DB, svc *service.Service, users Users, from, to time.Time) error {
	leader, disp := users["demo.leader"], users["demo.dispatcher"]
	var cases []*domain.Case
	for after := int64(0); len(cases) < 5000; { // the year's cases of the street, newest first
		page, next, err := db.Cases(ctx, disp, domain.CaseFilter{Region: Street, From: &from, To: &to, After: after, Limit: 200})
		if err != nil {
			return err
		}
		cases = append(cases, page...)
		if after = next; next == 0 {
			break
		}
	}
	var unreasonable, exempt bool
	rated := 0
	for _, c := range cases {
		if c.LeadOrg == "" || c.DispatchedAt == nil {
			continue
		}
		var x domain.Exclusion
		var err error
		switch {
		case !unreasonable:
			x, err = svc.RequestExclusion(ctx, disp, domain.Exclusion{CaseID: c.ID, Kind: domain.Unreasonable,
				Sources: []domain.AssessSource{domain.SrcResponseRate, domain.SrcResolution, domain.SrcSatisfaction}, Reason: "同一诉求人反复来电，诉求超出政策规定"})
			unreasonable = true
		case !exempt:
			x, err = svc.RequestExclusion(ctx, users["officer."+c.LeadOrg], domain.Exclusion{CaseID: c.ID, Kind: domain.Exempt,
				Sources: []domain.AssessSource{domain.SrcResponseRate, domain.SrcResolveOnTime}, Reason: "事项属上级部门职权，本单位无权处置"})
			exempt = true
		}
		if err != nil {
			return err
		}
		if x.ID != 0 {
			if _, err := svc.DecideExclusion(ctx, leader, x.ID, true, "经核实，同意"); err != nil {
				return err
			}
		}
		for _, s := range c.Summons {
			if s.ReportedAt == nil || rated >= 20 {
				continue
			}
			grade := []domain.RatingGrade{domain.RatingSatisfied, domain.RatingSatisfied, domain.RatingBasically, domain.RatingNot}[rated%4]
			if _, err := svc.RateReportIn(ctx, disp, domain.ReportInRating{CaseID: c.ID, Org: s.Org, Grade: grade, Timely: !s.Late()}); err != nil {
				return err
			}
			rated++
		}
	}
	return nil
}
