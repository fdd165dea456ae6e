package demo

import (
	"context"
	"fmt"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
)

// The demo's joint class (混编培训, issue 24): 涟源市委党校 hosts a class of 120 from the
// two schools of the seed, 株洲市委党校 (中青班 and 县干班) and 萍乡市委党校 (科干班 and
// 县干班), 60 each, imported as the school would (an XLSX roster), with two hand rules,
// and mixed into groups of 10 and rooms of 2.

// TrainingSchool is the demo's party school (its officers are officer.LY-DWDX).
const TrainingSchool = "LY-DWDX"

var (
	trainingSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
	trainingGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红文斌辉鹏波宇浩凯晨欣怡佳琳雪梅海燕")
	trainingUnits    = map[string][]string{
		"株洲市委党校": {"株洲市发展和改革委员会", "株洲市教育局", "株洲市财政局", "株洲市自然资源和规划局", "株洲市住房和城乡建设局", "株洲市商务局",
			"株洲市卫生健康委员会", "株洲市应急管理局", "渌口区人民政府", "醴陵市人民政府", "攸县人民政府", "炎陵县人民政府", "株洲市公安局", "株洲市农业农村局"},
		"萍乡市委党校": {"萍乡市发展和改革委员会", "萍乡市教育局", "萍乡市财政局", "萍乡市自然资源局", "萍乡市住房和城乡建设局", "萍乡市商务局",
			"萍乡市卫生健康委员会", "萍乡市应急管理局", "安源区人民政府", "湘东区人民政府", "芦溪县人民政府", "上栗县人民政府", "萍乡市公安局", "莲花县人民政府"},
	}
	trainingFields = []string{"党政综合", "经济发展", "政法", "教育卫生", "城乡建设", "农业农村", "应急安全"}
)

// trainingRoster is the class's roster: for each school its two classes of the seed
// (株洲 23 中青班 + 22 县干班, 萍乡 21 科干班 + 24 县干班, each filled to 60).
func trainingRoster() [][]string {
	rows := [][]string{domain.TraineeColumns}
	type part struct {
		school string
		n      int
		ranks  []string
		age    int
	}
	parts := []part{{"株洲市委党校", 30, []string{"副处", "正科"}, 32}, {"株洲市委党校", 30, []string{"正处", "副处"}, 44},
		{"萍乡市委党校", 28, []string{"正科", "副科"}, 30}, {"萍乡市委党校", 32, []string{"正处", "副处"}, 45}}
	k := 0
	for _, p := range parts {
		units := trainingUnits[p.school]
		for i := 0; i < p.n; i++ {
			name := string(trainingSurnames[(k*7)%len(trainingSurnames)]) + string(trainingGiven[(k*11)%len(trainingGiven)])
			if k%3 == 0 {
				name += string(trainingGiven[(k*5+3)%len(trainingGiven)])
			}
			gender := domain.GenderMale
			if k%10 < 3 {
				gender = domain.GenderFemale
			}
			rows = append(rows, []string{name, p.school, units[(k*5)%len(units)], p.ranks[i%len(p.ranks)], gender,
				fmt.Sprint(p.age + (k*7)%9), trainingFields[(k*3)%len(trainingFields)]})
			k++
		}
	}
	return rows
}

// LoadTraining opens the demo's joint class, imports its roster, keeps two trainees
// apart and two together, and mixes it.
func LoadTraining(ctx context.Context, svc *service.Service, users Users) error {
	school := users["officer."+TrainingSchool]
	c, err := svc.CreateTrainingClass(ctx, school, domain.TrainingClass{Name: "株萍两地党校联合培训班（混编）", Org: TrainingSchool,
		StartsOn: "2026-11-16", EndsOn: "2026-11-27", GroupSize: 10, RoomSize: 2})
	if err != nil {
		return err
	}
	book, err := sheets.Write("学员名册", trainingRoster())
	if err != nil {
		return err
	}
	if _, err := svc.ImportTrainees(ctx, school, c.ID, book, false); err != nil {
		return err
	}
	v, err := svc.TrainingClass(ctx, school, c.ID)
	if err != nil {
		return err
	}
	ts := v.Trainees
	rules := []domain.MixRule{{Kind: domain.RuleApart, A: ts[0].ID, B: ts[1].ID}, {Kind: domain.RuleTogether, A: ts[2].ID, B: ts[70].ID}}
	if _, err := svc.SetMixRules(ctx, school, c.ID, rules); err != nil {
		return err
	}
	mixed, err := svc.MixTrainingClass(ctx, school, c.ID, service.MixIn{GroupSize: 10, RoomSize: 2, Seed: 2026})
	if err != nil {
		return err
	}
	return loadProgramme(ctx, svc, school, c.ID, mixed.Trainees)
}

// trainingSessions are the demo class's first days: lectures and a discussion for the
// class, and study visits (调研) by group on both sides of the border.
var trainingSessions = []domain.TrainingSession{
	{Kind: domain.SessionLecture, Title: "湘赣边区域合作示范区建设专题", StartsAt: "2026-11-16 08:30", Place: "涟源市委党校报告厅", Speaker: "株洲市委党校 刘教授"},
	{Kind: domain.SessionLecture, Title: "革命老区振兴发展的实践与思考", StartsAt: "2026-11-16 14:30", Place: "涟源市委党校报告厅", Speaker: "萍乡市委党校 陈教授"},
	{Kind: domain.SessionDiscussion, Title: "两地干部结对研讨：老工业城市转型", StartsAt: "2026-11-17 08:30", Place: "分组研讨室"},
	{Kind: domain.SessionVisit, Title: "醴陵陶瓷产业调研", StartsAt: "2026-11-18 08:30", Place: "醴陵经济开发区", Group: 1},
	{Kind: domain.SessionVisit, Title: "安源路矿工人运动纪念馆现场教学", StartsAt: "2026-11-18 08:30", Place: "萍乡市安源区", Group: 2},
}

// loadProgramme adds the sessions, marks the first two days' attendance (one on leave
// and one late a session) and records a few feedbacks.
func loadProgramme(ctx context.Context, svc *service.Service, school domain.User, class int64, ts []domain.Trainee) error {
	for i, ses := range trainingSessions {
		added, err := svc.AddTrainingSession(ctx, school, class, ses)
		if err != nil {
			return err
		}
		if i > 2 {
			continue // the visits are still to come
		}
		marks := map[int64]string{}
		for k, t := range added.Expected(ts) {
			marks[t.ID] = domain.AttendPresent
			switch k {
			case i * 7:
				marks[t.ID] = domain.AttendLeave
			case i*7 + 3:
				marks[t.ID] = domain.AttendLate
			}
		}
		if _, err := svc.MarkAttendance(ctx, school, class, added.ID, service.AttendanceMarks{Marks: marks}); err != nil {
			return err
		}
		for k, r := range []int{5, 5, 4, 5, 3 + i%2} {
			if _, err := svc.AddFeedback(ctx, school, class, added.ID, domain.Feedback{Rating: r, Comment: []string{"内容贴近实际", "两地经验互鉴，收获很大", "", "希望增加案例教学", ""}[k]}); err != nil {
				return err
			}
		}
	}
	return nil
}
