package service_test

import (
	"fmt"
	"reflect"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
	"whistle/whistletest"
)

// rosterXLSX is a roster of n trainees from two schools, with the rows extra added.
func rosterXLSX(t *testing.T, n int, extra ...[]string) []byte {
	t.Helper()
	rows := [][]string{domain.TraineeColumns}
	ranks := []string{"正处", "副处", "正科", "副科"}
	fields := []string{"党政", "经济", "政法", "教育", "卫健"}
	for i := 0; i < n; i++ {
		src := []string{"株洲市委党校", "萍乡市委党校"}[i%2]
		gender := domain.GenderMale
		if i%5 < 2 {
			gender = domain.GenderFemale
		}
		rows = append(rows, []string{fmt.Sprintf("学员%03d", i+1), src, fmt.Sprintf("%s单位%d", src[:6], i%17), ranks[i%4], gender,
			fmt.Sprint(30 + i%25), fields[i%5]})
	}
	rows = append(rows, extra...)
	b, err := sheets.Write("名册", rows)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrainingClassMixing: the school opens a class, previews a roster (nothing
// written), is refused a roster with wrong rows (each named by row and column), imports
// a good one, mixes it (every hard rule met, the same seed the same placement), keeps
// two trainees apart and two together, moves one by hand and sees it scored again.
// Another school does not see the class; the street's leader reads it and may not mix.
func TestTrainingClassMixing(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	ctx := t.Context()
	school, other, leader := users["demo.officer"], users["demo.officer2"], users["demo.leader"]
	c, err := svc.CreateTrainingClass(ctx, school, domain.TrainingClass{Name: "株萍两地中青班", Org: "LY-CGJ", Region: "431382001", GroupSize: 10, RoomSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateTrainingClass(ctx, other, domain.TrainingClass{Name: "冒名", Org: "LY-CGJ"}); domain.ErrorCode(err) != domain.EOUTOFSCOPE {
		t.Errorf("another org's officer opened the class: %v", err)
	}
	bad := rosterXLSX(t, 10, []string{"错一", "株洲市委党校", "某局", "正科", "未知", "40", ""}, []string{"错二", "萍乡市委党校", "某局", "正科", "女", "四十", ""})
	imp, err := svc.ImportTrainees(ctx, school, c.ID, bad, false)
	if domain.ErrorCode(err) != domain.EINVALID || imp.Written || len(imp.Errors) != 2 || imp.Errors[0].Row != 12 || imp.Errors[0].Column != "性别" || imp.Errors[1].Column != "年龄" {
		t.Fatalf("a roster with two wrong rows: %+v %v", imp.Errors, err)
	}
	good := rosterXLSX(t, 120)
	if imp, err = svc.ImportTrainees(ctx, school, c.ID, good, true); err != nil || imp.Written || len(imp.Trainees) != 120 {
		t.Fatalf("preview: %d %v %v", len(imp.Trainees), imp.Written, err)
	}
	if v, _ := svc.TrainingClass(ctx, school, c.ID); len(v.Trainees) != 0 {
		t.Fatalf("the preview wrote %d trainees", len(v.Trainees))
	}
	if imp, err = svc.ImportTrainees(ctx, school, c.ID, good, false); err != nil || !imp.Written {
		t.Fatalf("import: %v", err)
	}
	v, err := svc.TrainingClass(ctx, school, c.ID)
	if err != nil || len(v.Trainees) != 120 {
		t.Fatalf("%d trainees, %v", len(v.Trainees), err)
	}
	ids := func(i int) int64 { return v.Trainees[i].ID }
	rules := []domain.MixRule{{Kind: domain.RuleApart, A: ids(0), B: ids(2)}, {Kind: domain.RuleTogether, A: ids(1), B: ids(3)}}
	if _, err := svc.SetMixRules(ctx, school, c.ID, rules); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetMixRules(ctx, school, c.ID, []domain.MixRule{{Kind: "near", A: ids(0), B: ids(1)}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a rule of no kind: %v", err)
	}
	mixed, err := svc.MixTrainingClass(ctx, school, c.ID, service.MixIn{GroupSize: 10, RoomSize: 2, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if mixed.Report == nil || !mixed.Report.HardOK || mixed.Report.Groups != 12 {
		t.Fatalf("mixed: %+v", mixed.Report)
	}
	by := map[int64]domain.Trainee{}
	for _, tr := range mixed.Trainees {
		by[tr.ID] = tr
	}
	if by[ids(0)].Group == by[ids(2)].Group || by[ids(1)].Group != by[ids(3)].Group {
		t.Error("the hand rules do not hold")
	}
	again, err := svc.MixTrainingClass(ctx, school, c.ID, service.MixIn{GroupSize: 10, RoomSize: 2, Seed: 7})
	if err != nil || !reflect.DeepEqual(again.Trainees, mixed.Trainees) {
		t.Errorf("the same seed mixed differently (%v)", err)
	}
	moved, err := svc.MoveTrainee(ctx, school, c.ID, service.TraineeMove{Trainee: ids(5), Group: by[ids(5)].Group%12 + 1})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(moved.Report.Checks, mixed.Report.Checks) {
		t.Error("the move was not scored again")
	}
	if got, _ := svc.TrainingClass(ctx, school, c.ID); got.Trainees[5].Group != by[ids(5)].Group%12+1 {
		t.Error("the move was not recorded")
	}
	if _, err := svc.MoveTrainee(ctx, school, c.ID, service.TraineeMove{Trainee: ids(5), Group: 13}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("group 13 of 12: %v", err)
	}
	if _, err := svc.TrainingClass(ctx, other, c.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("another org's officer: %v", err)
	}
	if _, err := svc.TrainingClass(ctx, leader, c.ID); err != nil {
		t.Errorf("the street's leader: %v", err)
	}
	if _, err := svc.MixTrainingClass(ctx, leader, c.ID, service.MixIn{Seed: 1}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the leader mixed: %v", err)
	}
	if list, err := svc.TrainingClasses(ctx, users["demo.grid"]); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a grid worker listed classes: %v %v", list, err)
	}
}

// TestTrainingProgramme: a lecture for the class and a study visit by group 2; the
// visit's attendance takes only group 2's trainees; marks and feedback are summed; a
// new roster clears the marks.
func TestTrainingProgramme(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	ctx := t.Context()
	school := users["demo.officer"]
	c, err := svc.CreateTrainingClass(ctx, school, domain.TrainingClass{Name: "调研班", Org: "LY-CGJ", Region: "431382001"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportTrainees(ctx, school, c.ID, rosterXLSX(t, 40), false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddTrainingSession(ctx, school, c.ID, domain.TrainingSession{Kind: domain.SessionVisit, Title: "醴陵陶瓷产业调研", StartsAt: "2026-11-18 14:00", Group: 2}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a visit before the mixing: %v", err)
	}
	v, err := svc.MixTrainingClass(ctx, school, c.ID, service.MixIn{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	lecture, err := svc.AddTrainingSession(ctx, school, c.ID, domain.TrainingSession{Kind: domain.SessionLecture, Title: "湘赣边区域合作", StartsAt: "2026-11-17 08:30", Speaker: "李教授"})
	if err != nil {
		t.Fatal(err)
	}
	visit, err := svc.AddTrainingSession(ctx, school, c.ID, domain.TrainingSession{Kind: domain.SessionVisit, Title: "醴陵陶瓷产业调研", StartsAt: "2026-11-18T14:00", Group: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddTrainingSession(ctx, school, c.ID, domain.TrainingSession{Kind: domain.SessionVisit, Title: "x", StartsAt: "2026-11-18 14:00", Group: 5}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("group 5 of 4: %v", err)
	}
	var inGroup2, outside int64
	for _, tr := range v.Trainees {
		if tr.Group == 2 && inGroup2 == 0 {
			inGroup2 = tr.ID
		} else if tr.Group != 2 && outside == 0 {
			outside = tr.ID
		}
	}
	if _, err := svc.MarkAttendance(ctx, school, c.ID, visit.ID, service.AttendanceMarks{Marks: map[int64]string{outside: domain.AttendPresent}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a trainee of another group marked for the visit: %v", err)
	}
	d, err := svc.MarkAttendance(ctx, school, c.ID, visit.ID, service.AttendanceMarks{Marks: map[int64]string{inGroup2: domain.AttendLeave}})
	if err != nil || len(d.Expected) != 10 || d.Session.Attendance.Marked[domain.AttendLeave] != 1 || *d.Session.Attendance.Rate != 0 {
		t.Fatalf("%+v %v", d.Session.Attendance, err)
	}
	if _, err := svc.MarkAttendance(ctx, school, c.ID, lecture.ID, service.AttendanceMarks{Marks: map[int64]string{inGroup2: domain.AttendPresent, outside: domain.AttendLate}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []int{5, 4} {
		if _, err := svc.AddFeedback(ctx, school, c.ID, lecture.ID, domain.Feedback{Rating: r, Comment: "受益匪浅"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.AddFeedback(ctx, school, c.ID, lecture.ID, domain.Feedback{Rating: 6}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a rating of 6: %v", err)
	}
	prog, err := svc.TrainingProgramme(ctx, users["demo.leader"], c.ID)
	if err != nil || len(prog) != 2 || prog[0].ID != lecture.ID {
		t.Fatalf("%+v %v", prog, err)
	}
	if a := prog[0].Attendance; a.Expected != 40 || *a.Rate != 0.05 || a.Feedback != 2 || *a.Rating != 4.5 {
		t.Errorf("the lecture: %+v", a)
	}
	if _, err := svc.AddFeedback(ctx, users["demo.leader"], c.ID, lecture.ID, domain.Feedback{Rating: 5}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the leader entered feedback: %v", err)
	}
	if _, err := svc.ImportTrainees(ctx, school, c.ID, rosterXLSX(t, 20), false); err != nil {
		t.Fatalf("a new roster over marked sessions: %v", err)
	}
	if prog, _ := svc.TrainingProgramme(ctx, school, c.ID); prog[0].Attendance.Rate != nil {
		t.Errorf("the marks outlived the roster: %+v", prog[0].Attendance)
	}
}
