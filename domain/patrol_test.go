package domain

import (
	"testing"
	"time"
)

func TestPlanTasks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		plan     PatrolPlan
		n        int
		firstDue string
		lastDue  string
	}{
		{"twice a month for a year", PatrolPlan{Times: 2, Period: "month", From: "2026-01-01", To: "2026-12-31"}, 24, "2026-02-01", "2027-01-01"},
		{"daily in March", PatrolPlan{Times: 1, Period: "day", From: "2026-03-01", To: "2026-03-31"}, 31, "2026-03-02", "2026-04-01"},
		// 2026-03-02 is a Monday: whole weeks from there
		{"weekly for four weeks", PatrolPlan{Times: 1, Period: "week", From: "2026-03-02", To: "2026-03-29"}, 4, "2026-03-09", "2026-03-30"},
		// a month mostly outside the plan is not required; one mostly inside is, due at the plan's end
		{"cut months", PatrolPlan{Times: 1, Period: "month", From: "2026-01-20", To: "2026-03-20"}, 2, "2026-03-01", "2026-03-21"},
	} {
		tasks := tc.plan.Tasks()
		if len(tasks) != tc.n {
			t.Errorf("%s: %d tasks, want %d", tc.name, len(tasks), tc.n)
			continue
		}
		day := func(x time.Time) string { return x.In(China).Format("2006-01-02") }
		if day(tasks[0].Due) != tc.firstDue || day(tasks[len(tasks)-1].Due) != tc.lastDue {
			t.Errorf("%s: due %s .. %s, want %s .. %s", tc.name, day(tasks[0].Due), day(tasks[len(tasks)-1].Due), tc.firstDue, tc.lastDue)
		}
		for _, x := range tasks {
			if !x.Start.Before(x.Due) {
				t.Errorf("%s: task %+v starts after it is due", tc.name, x)
			}
		}
	}
}

func TestPlanValidate(t *testing.T) {
	good := PatrolPlan{Name: "联点巡查", Kind: "department", Org: "LY-YJJ", Region: "431382001001", Times: 2, Period: "month", From: "2026-01-01", To: "2026-12-31"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*PatrolPlan){
		"no name":           func(p *PatrolPlan) { p.Name = "" },
		"bad kind":          func(p *PatrolPlan) { p.Kind = "random" },
		"dept without org":  func(p *PatrolPlan) { p.Org = "" },
		"grid without user": func(p *PatrolPlan) { p.Kind = "grid" },
		"bad period":        func(p *PatrolPlan) { p.Period = "year" },
		"zero times":        func(p *PatrolPlan) { p.Times = 0 },
		"to before from":    func(p *PatrolPlan) { p.To = "2025-12-31" },
		"three years":       func(p *PatrolPlan) { p.To = "2028-12-31" },
		"bad region":        func(p *PatrolPlan) { p.Region = "4313820010" },
	} {
		p := good
		mod(&p)
		if ErrorCode(p.Validate()) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}

func TestTaskStatusAndCompliance(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, China)
	due := start.AddDate(0, 1, 0)
	in, after := start.AddDate(0, 0, 5), due.Add(time.Hour)
	tasks := []PatrolTask{
		{Start: start, Due: due, DoneAt: &in},
		{Start: start, Due: due, DoneAt: &after},
		{Start: start, Due: due},
		{Start: due, Due: due.AddDate(0, 1, 0)},
	}
	now := due.Add(2 * time.Hour)
	want := []string{"done", "late", "missed", "open"}
	var c PatrolCompliance
	for i, x := range tasks {
		if got := x.Status(now); got != want[i] {
			t.Errorf("task %d: %s, want %s", i, got, want[i])
		}
		c.Add(x, now)
	}
	if c.Planned != 4 || c.OnTime != 1 || c.Late != 1 || c.Missed != 1 || c.Open != 1 || *c.Rate != 0.667 {
		t.Errorf("compliance %+v", c)
	}
}

func TestMatchTask(t *testing.T) {
	m := time.Date(2026, 3, 1, 0, 0, 0, 0, China)
	done := m.AddDate(0, 0, 1)
	tasks := []PatrolTask{
		{ID: 1, Start: m, Due: m.AddDate(0, 1, 0), Seq: 1, DoneAt: &done},
		{ID: 2, Start: m, Due: m.AddDate(0, 1, 0), Seq: 2},
		{ID: 3, Start: m.AddDate(0, 1, 0), Due: m.AddDate(0, 2, 0), Seq: 1},
	}
	if i := MatchTask(tasks, m.AddDate(0, 0, 10)); i != 1 {
		t.Errorf("March patrol closes task %d, want the open second one", i)
	}
	if i := MatchTask(tasks, m.AddDate(0, 1, 3)); i != 2 {
		t.Errorf("April patrol closes %d, want April's", i)
	}
	tasks[1].DoneAt = &done
	if i := MatchTask(tasks, m.AddDate(0, 0, 10)); i != -1 {
		t.Errorf("a third March patrol closes %d, want none (April's is not yet open)", i)
	}
}

func TestPatrolValidate(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, China)
	good := Patrol{Region: "431382001001001", StartedAt: now.Add(-time.Hour), EndedAt: now, Route: []RoutePoint{{Lat: 27.7, Lon: 111.67}}}
	if err := good.Validate(now); err != nil || good.Lat == nil || good.Photos == nil {
		t.Fatalf("Validate = %v %+v", err, good)
	}
	lat := 200.0
	for name, mod := range map[string]func(*Patrol){
		"no times":      func(p *Patrol) { p.StartedAt = time.Time{} },
		"ends before":   func(p *Patrol) { p.EndedAt = p.StartedAt.Add(-time.Minute) },
		"future":        func(p *Patrol) { p.StartedAt, p.EndedAt = now.Add(time.Hour), now.Add(2*time.Hour) },
		"bad lat":       func(p *Patrol) { p.Lat, p.Lon = &lat, &lat },
		"bad photo":     func(p *Patrol) { p.Photos = []string{"http://x/y.jpg"} },
		"ten photos":    func(p *Patrol) { p.Photos = make([]string, 10) },
		"bad region":    func(p *Patrol) { p.Region = "x" },
		"route off map": func(p *Patrol) { p.Route = []RoutePoint{{Lat: 100}} },
	} {
		p := good
		p.Lat, p.Lon = nil, nil
		mod(&p)
		if ErrorCode(p.Validate(now)) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}

func TestPatrolAccess(t *testing.T) {
	dept := PatrolPlan{Kind: "department", Org: "LY-YJJ", Region: "431382001001"}
	grid := PatrolPlan{Kind: "grid", UserID: 5, Region: "431382001001001"}
	officer := User{ID: 1, Grants: []Grant{{Role: RoleOfficer, Org: "LY-YJJ"}}}
	other := User{ID: 2, Grants: []Grant{{Role: RoleOfficer, Org: "LY-CGJ"}}}
	worker := User{ID: 5, Grants: []Grant{{Role: RoleGridWorker, Region: "431382001001001"}}}
	if !CanPatrol(officer, dept) || CanPatrol(other, dept) || CanPatrol(officer, grid) || !CanPatrol(worker, grid) {
		t.Error("CanPatrol")
	}
	if !CanRecordPatrol(worker, "431382001001001001") || CanRecordPatrol(worker, "431382001002001") || CanRecordPatrol(officer, "431382001001") {
		t.Error("CanRecordPatrol")
	}
	if !SeesPatrolsOf(officer, "431382001001", "LY-YJJ") || SeesPatrolsOf(other, "431382001001", "LY-YJJ") || SeesPatrolsOf(worker, "431382001", "") {
		t.Error("SeesPatrolsOf")
	}
}

// TestCanFileFinding: whoever may record a patrol in a place may file what it found
// there; elsewhere only who may report a patrol's case there on their own; a refusal is forbidden.
func TestCanFileFinding(t *testing.T) {
	leader := User{ID: 3, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}
	ledPlan := PatrolPlan{Kind: "leader", UserID: 3, Region: "431382001001"}
	worker := User{ID: 5, Grants: []Grant{{Role: RoleGridWorker, Region: "431382001001001"}}}
	outsider := User{ID: 6, Grants: []Grant{{Role: RoleGridWorker, Region: "431382001002001"}}}
	planned := User{ID: 7, Grants: []Grant{{Role: RoleVolunteer, Region: "431382001002001"}}}
	helperPlan := PatrolPlan{Kind: "grid", UserID: 7, Region: "431382001001"}
	officer := User{ID: 8, Grants: []Grant{{Role: RoleOfficer, Org: "LY-CGJ"}}}
	deptPlan := PatrolPlan{Kind: "department", Org: "LY-CGJ", Region: "431382001001"}
	for _, tc := range []struct {
		name   string
		u      User
		region string
		plan   *PatrolPlan
		want   string
	}{
		{"leader without a plan in their street", leader, "431382001001001", nil, ""},
		{"leader on their plan", leader, "431382001001001", &ledPlan, ""},
		{"leader outside their street", leader, "431382002001", nil, EFORBIDDEN},
		{"leader's plan does not widen their place", leader, "431382002001", &ledPlan, EFORBIDDEN},
		{"grid worker in their grid", worker, "431382001001001001", nil, ""},
		{"grid worker of another grid", outsider, "431382001001001", nil, EFORBIDDEN},
		{"someone else's plan gives nothing", outsider, "431382001001001", &ledPlan, EFORBIDDEN},
		{"a plan's patroller inside the plan", planned, "431382001001001", &helperPlan, ""},
		{"a plan's patroller outside it", planned, "431382001003001", &helperPlan, EFORBIDDEN},
		{"a department's officer on its plan", officer, "431382001001001", &deptPlan, ""},
		{"a department's officer outside its plan", officer, "431382002001", &deptPlan, EFORBIDDEN},
		{"a department's officer without a plan", officer, "431382001001001", nil, EFORBIDDEN},
	} {
		if got := ErrorCode(CanFileFinding(tc.u, tc.region, tc.plan)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
