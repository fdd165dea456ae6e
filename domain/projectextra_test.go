package domain

import "testing"

func TestProjectProblemValidate(t *testing.T) {
	long := string(make([]rune, 101))
	for _, tc := range []struct {
		name string
		p    ProjectProblem
		want string
	}{
		{"ok", ProjectProblem{Category: "land", Title: " 用地指标未落实 "}, ""},
		{"unknown category", ProjectProblem{Category: "weather", Title: "雨"}, EINVALID},
		{"no title", ProjectProblem{Category: "power", Title: "  "}, EINVALID},
		{"title too long", ProjectProblem{Category: "other", Title: long}, EINVALID},
	} {
		if got := ErrorCode(tc.p.Validate()); got != tc.want && !(tc.want == "" && tc.p.Validate() == nil) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	p := ProjectProblem{Category: "financing", Title: "贷款未到位"}
	if got := p.CaseTitle("智能装备产业园"); got != "【项目·融资】智能装备产业园：贷款未到位" {
		t.Errorf("case title %q", got)
	}
}

func TestValidFileTarget(t *testing.T) {
	for _, tc := range []struct {
		stage Stage
		month string
		ok    bool
	}{
		{"signed", "", true}, {"", "2026-03", true}, {"", "", false}, {"signed", "2026-03", false},
		{"dreaming", "", false}, {"", "2026-13", false}, {"", "2026-3", false},
	} {
		if err := ValidFileTarget(tc.stage, tc.month); (err == nil) != tc.ok {
			t.Errorf("%q %q: %v", tc.stage, tc.month, err)
		}
	}
}

// TestTimeline: bars fall on one axis from the earliest day to the latest (today
// included), in per mille; a stage reached after its plan, or not reached with its plan
// past, is late.
func TestTimeline(t *testing.T) {
	stages := []StageRecord{
		{Stage: "negotiation", Planned: "2026-01-01", Actual: "2026-01-01"},
		{Stage: "signed", Planned: "2026-02-01", Actual: "2026-03-01"},
		{Stage: "land", Planned: "2026-04-01"},
		{Stage: "approval"},
	}
	bars, first, last, now := Timeline(stages, "2026-05-01")
	if first != "2026-01-01" || last != "2026-05-01" || now != 1000 {
		t.Fatalf("span %s..%s now %d", first, last, now)
	}
	// 2026-01-01 to 2026-05-01 is 120 days: 2026-02-01 is day 31, 2026-03-01 day 59, 2026-04-01 day 90
	for i, want := range []Bar{
		{Stage: "negotiation", PlanAt: 0, ActualAt: 0},
		{Stage: "signed", PlanAt: 258, ActualAt: 492, Late: true, PlanLeft: 0, PlanWidth: 258, ActualLeft: 0, ActualWidth: 492},
		{Stage: "land", PlanAt: 750, ActualAt: -1, Late: true, PlanLeft: 492, PlanWidth: 258}, // ahead: from 签约 reached
		{Stage: "approval", PlanAt: -1, ActualAt: -1},
	} {
		b := bars[i]
		b.Planned, b.Actual = "", ""
		if b != want {
			t.Errorf("bar %d: %+v, want %+v", i, b, want)
		}
	}
	if bars, first, last, now := Timeline(nil, "2026-05-01"); len(bars) != 0 || first != last || now != 0 {
		t.Errorf("no stages: %v %s %s %d", bars, first, last, now)
	}
}
