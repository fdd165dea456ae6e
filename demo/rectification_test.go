package demo_test

import (
	"context"
	"testing"

	"whistle/whistletest"
)

// The demo's rectification list: 60 measures of a 一把手走流程 in 蓝田街道, mostly
// closed, some overdue, every item with two milestones.
func TestDemoRectification(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := whistletest.Demo(t, 0)
	leader, err := whistletest.StoreOf(svc).UserByLogin(ctx, "demo.leader")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := svc.RectFigures(ctx, leader, "431382001", "list", "")
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Total
	if len(rep.Rows) != 1 || f.Items != 60 || f.Closed < 40 || f.Closed > 50 || f.Overdue == 0 || f.MilestonesDue < 60 {
		t.Errorf("the demo's list: %d rows, %+v", len(rep.Rows), f)
	}
	t.Logf("demo: %d items, %d closed, %d overdue, milestones %d/%d", f.Items, f.Closed, f.Overdue, f.MilestonesMet, f.MilestonesDue)
}
