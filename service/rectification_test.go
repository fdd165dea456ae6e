package service_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// pngBytes is a small real photo for evidence.
func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRectFiguresAsOfTwoDays walks a list of three items (all of LY-CGJ) through
// progress, milestones, 申请销号, a return and 销号, and reads its figures as of three
// days, hand-computed:
//
//	item 1: deadline day 4, milestone day 2 met day 1; applied day 1, returned, applied again, closed day 3
//	item 2: deadline day 7, milestones day 2 (met day 3, late) and day 8 (never met)
//	item 3: deadline day 20, milestone day 5 met day 4
//
// As of day 2: 3 items, none closed; milestones due 2 (items 1 and 2's day 2), met on
// time 1: 0.0%, 50.0%. As of day 3: item 1 closed: 33.3%; still 2 due, 1 met. As of
// day 9: item 2 past its deadline (overdue 1); milestones due all 4, met on time items
// 1's and 3's: 50.0%.
func TestRectFiguresAsOfTwoDays(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	users := rectUsers(t, svc)
	leader, officer, disp := users["demo.leader"], users["officer.LY-CGJ"], users["demo.dispatcher"]
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China)
	clock.Set(start)
	day := func(d int) string { return start.AddDate(0, 0, d).Format("2006-01-02") }
	if _, err := svc.CreateRectList(ctx, officer, domain.RectList{Title: "x", Source: domain.RectInspection, Region: "431382001"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("an officer made a list: %v", err)
	}
	l, err := svc.CreateRectList(ctx, leader, domain.RectList{Title: "一把手走流程整改清单", Source: domain.RectWalkthrough, SourceRef: "蓝办〔2026〕3号", Region: "431382001"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(deadline int, due ...int) domain.RectItem {
		t.Helper()
		it := domain.RectItem{Problem: "问题", Measures: "措施", Org: "LY-CGJ", Person: "张三", Deadline: day(deadline)}
		for _, d := range due {
			it.Milestones = append(it.Milestones, domain.RectMilestone{Name: "节点", Due: day(d)})
		}
		it, err := svc.AddRectItem(ctx, leader, l.ID, it)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	i1, i2, i3 := add(4, 2), add(7, 2, 8), add(20, 5)
	if _, err := svc.AddRectItem(ctx, disp, l.ID, domain.RectItem{Problem: "p", Org: "LY-CGJ", Deadline: day(3)}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a dispatcher added an item: %v", err)
	}
	clock.Set(start.AddDate(0, 0, 1))
	if _, err := svc.ApplyRect(ctx, officer, i1.ID, service.RectReport{Progress: "已完成"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("applied without evidence: %v", err)
	}
	photo := service.Upload{Name: "现场.png", Body: bytes.NewReader(pngBytes(t))}
	v, err := svc.ApplyRect(ctx, officer, i1.ID, service.RectReport{Progress: "已完成", Milestones: []int64{i1.Milestones[0].ID}, Files: []service.Upload{photo}})
	if err != nil || v.Item.Status != domain.RectApplied || len(v.Item.Evidence) != 1 {
		t.Fatalf("apply: %+v %v", v.Item, err)
	}
	if _, err := svc.DecideRect(ctx, officer, i1.ID, true, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the officer approved: %v", err)
	}
	if v, err = svc.DecideRect(ctx, leader, i1.ID, false, "照片不清"); err != nil || v.Item.Status != domain.RectReturned {
		t.Fatalf("return: %+v %v", v.Item, err)
	}
	if _, err = svc.ApplyRect(ctx, officer, i1.ID, service.RectReport{Progress: "补充照片"}); err != nil {
		t.Fatal(err)
	}
	clock.Set(start.AddDate(0, 0, 3))
	if v, err = svc.DecideRect(ctx, leader, i1.ID, true, ""); err != nil || v.Item.Status != domain.RectClosed {
		t.Fatalf("approve: %+v %v", v.Item, err)
	}
	if _, err := svc.ReportRectProgress(ctx, officer, i2.ID, service.RectReport{Milestones: []int64{i2.Milestones[0].ID}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(start.AddDate(0, 0, 4))
	if _, err := svc.ReportRectProgress(ctx, officer, i3.ID, service.RectReport{Progress: "进行中", Milestones: []int64{i3.Milestones[0].ID}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(start.AddDate(0, 0, 9))
	for _, c := range []struct {
		day                              string
		items, closed, overdue, due, met int
		closedRate, milestoneRate        string
	}{
		{day(3), 3, 1, 0, 2, 1, "33.3%", "50.0%"},
		{day(9), 3, 1, 1, 4, 2, "33.3%", "50.0%"},
		{day(2), 3, 0, 0, 2, 1, "0.0%", "50.0%"},
	} {
		rep, err := svc.RectFigures(ctx, leader, "431382001", "list", c.day)
		if err != nil {
			t.Fatal(err)
		}
		var f domain.RectFigures
		for _, r := range rep.Rows {
			if r.Key == strconv.FormatInt(l.ID, 10) {
				f = r
			}
		}
		if f.Items != c.items || f.Closed != c.closed || f.Overdue != c.overdue || f.MilestonesDue != c.due || f.MilestonesMet != c.met ||
			domain.PercentText(f.ClosedRate) != c.closedRate || domain.PercentText(f.MilestoneRate) != c.milestoneRate {
			t.Errorf("as of %s: %+v (%s, %s)", c.day, f, domain.PercentText(f.ClosedRate), domain.PercentText(f.MilestoneRate))
		}
	}
	byOrg, err := svc.RectFigures(ctx, leader, "431382001", "org", day(9))
	if err != nil || byOrg.Total.Items < 3 {
		t.Fatalf("by org: %+v %v", byOrg, err)
	}
	if _, err := svc.RectFigures(ctx, users["officer.LY-HBJ"], "431382001", "list", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an officer read the region's figures: %v", err)
	}
	if _, err := svc.RectItem(ctx, users["officer.LY-HBJ"], i2.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("another org read the item: %v", err)
	}
}

// TestRectSweepOnce: two sweepers at once flag each due item and milestone once, and the
// responsible org's officer is told once each.
func TestRectSweepOnce(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	users := rectUsers(t, svc)
	leader := users["demo.leader"]
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China)
	clock.Set(start)
	day := func(d int) string { return start.AddDate(0, 0, d).Format("2006-01-02") }
	clock.Set(start.AddDate(0, 0, 3))             // a and its milestone and b are due when made
	if _, err := svc.SweepRect(ctx); err != nil { // what the demo's list has due
		t.Fatal(err)
	}
	l, err := svc.CreateRectList(ctx, leader, domain.RectList{Title: "督查清单", Source: domain.RectInspection, Region: "431382001"})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range []domain.RectItem{
		{Problem: "a", Org: "LY-HBJ", Deadline: day(1), Milestones: []domain.RectMilestone{{Name: "m", Due: day(0)}}},
		{Problem: "b", Org: "LY-HBJ", Deadline: day(2)},
		{Problem: "c", Org: "LY-HBJ", Deadline: day(30), Milestones: []domain.RectMilestone{{Name: "m", Due: day(20)}}},
	} {
		if _, err := svc.AddRectItem(ctx, leader, l.ID, it); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := svc.SweepRect(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 3 {
		t.Errorf("the sweepers flagged %v, want 3 in all", counts)
	}
	if n, err := svc.SweepRect(ctx); err != nil || n != 0 {
		t.Errorf("a third sweep flagged %d: %v", n, err)
	}
	notes, err := svc.Notifications(ctx, users["officer.LY-HBJ"], true, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, n := range notes {
		if n.Kind == "rect_overdue" && strings.Contains(n.Message, "「督查清单」") {
			got++
		}
	}
	if got != 3 {
		t.Errorf("the officer got %d overdue notices, want 3", got)
	}
}

// rectUsers reads the demo's users these tests act as, with their grants.
func rectUsers(t *testing.T, svc *service.Service) map[string]domain.User {
	out := map[string]domain.User{}
	for _, login := range []string{"demo.leader", "demo.dispatcher", "officer.LY-CGJ", "officer.LY-HBJ"} {
		u, err := whistletest.StoreOf(svc).UserByLogin(context.Background(), login)
		if err != nil {
			t.Fatal(err)
		}
		out[login] = u
	}
	return out
}

// TestRectEditRaiseAndAudit: the list's owner changes an item's terms (the responsible
// org may not), raises a case from it by 督查督办 (once), and each administrative act
// is in the audit log with what it changed.
func TestRectEditRaiseAndAudit(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(svc))
	clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China))
	users := rectUsers(t, svc)
	leader, officer := users["demo.leader"], users["officer.LY-CGJ"]
	l, err := svc.CreateRectList(ctx, leader, domain.RectList{Title: "巡察反馈问题整改清单", Source: domain.RectInspection, Region: "431382001"})
	if err != nil {
		t.Fatal(err)
	}
	it, err := svc.AddRectItem(ctx, leader, l.ID, domain.RectItem{Problem: "背街小巷路灯损坏", Org: "LY-CGJ", Deadline: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	terms := domain.RectItem{Problem: "背街小巷路灯损坏12处", Measures: "逐处更换", Org: "LY-CGJ", Person: "李四", Deadline: "2026-05-15"}
	if _, err := svc.EditRectItem(ctx, officer, it.ID, terms); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the responsible org changed the terms: %v", err)
	}
	v, err := svc.EditRectItem(ctx, leader, it.ID, terms)
	if err != nil || v.Item.Problem != terms.Problem || v.Item.Deadline != "2026-05-15" || v.Item.Person != "李四" || !v.MayEdit {
		t.Fatalf("edited: %v %+v", err, v.Item)
	}
	if _, err := svc.EditRectItem(ctx, leader, it.ID, domain.RectItem{Problem: "x", Org: "NOPE", Deadline: "2026-05-15"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown org: %v", err)
	}
	v, err = svc.RaiseRectCase(ctx, leader, it.ID, domain.NewCase{Matter: "SR-001", Region: "431382001205", Kind: "request"})
	if err != nil || v.Item.CaseID == 0 {
		t.Fatalf("the leader raised a case: %v", err)
	}
	c, err := svc.Case(ctx, leader, v.Item.CaseID)
	if err != nil || c.Channel != "supervision" || c.Title != terms.Problem {
		t.Fatalf("the case: %v channel %s title %q", err, c.Channel, c.Title)
	}
	if _, err := svc.RaiseRectCase(ctx, leader, it.ID, domain.NewCase{Matter: "SR-001", Region: "431382001205", Kind: "request"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a second case: %v", err)
	}
	for action, want := range map[string]int{"rect_list.create": 1, "rect_item.create": 1, "rect_item.edit": 1} {
		var n int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND login = 'demo.leader'`, action).Scan(&n); err != nil || n != want {
			t.Errorf("%s audited %d times (%v), want %d", action, n, err, want)
		}
	}
	var change string
	if err := raw.QueryRowContext(ctx, `SELECT changes FROM audit_log WHERE action = 'rect_item.edit'`).Scan(&change); err != nil ||
		!strings.Contains(change, "2026-04-30") || !strings.Contains(change, "2026-05-15") {
		t.Errorf("the edit's change: %v %s", err, change)
	}
}
