package demo_test

import (
	"testing"

	"whistle/demo"
	"whistle/whistletest"
)

// TestDemoTrainingClass: the demo's joint class holds 120 trainees, 60 from each school,
// mixed into 12 groups and 60 rooms with every hard rule met; the school's officer and
// the county's administrator see it.
func TestDemoTrainingClass(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	school, err := whistletest.StoreOf(svc).UserByLogin(t.Context(), "officer."+demo.TrainingSchool)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := svc.TrainingClasses(t.Context(), school)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%v %v", cs, err)
	}
	v, err := svc.TrainingClass(t.Context(), users["demo.admin"], cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	src := map[string]int{}
	for _, tr := range v.Trainees {
		src[tr.Source]++
	}
	if len(v.Trainees) != 120 || src["株洲市委党校"] != 60 || src["萍乡市委党校"] != 60 {
		t.Errorf("%d trainees: %v", len(v.Trainees), src)
	}
	if v.Report == nil || !v.Report.HardOK || v.Report.Groups != 12 || v.Report.Rooms != 60 {
		t.Fatalf("%+v", v.Report)
	}
	for _, c := range v.Report.Checks {
		t.Logf("%s %d: %s", c.Name, c.Score, c.Detail)
	}
	prog, err := svc.TrainingProgramme(t.Context(), school, cs[0].ID)
	if err != nil || len(prog) != 5 {
		t.Fatalf("%d sessions: %v", len(prog), err)
	}
	if a := prog[0].Attendance; a.Expected != 120 || a.Rate == nil || a.Feedback != 5 {
		t.Errorf("the first lecture: %+v", a)
	}
	if a := prog[4].Attendance; prog[4].Group == 0 || a.Expected != 10 {
		t.Errorf("a visit: %+v %+v", prog[4], a)
	}
}
