package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// staffWorld is the demo with the city's staffing office (officer.ly-bb), the street's
// leader (the leading group over the street's units), a department's officer and the
// street's dispatcher (neither reads the establishment), and one new unit of the
// street, on 2026-03-10.
type staffWorld struct {
	svc                           *service.Service
	office, leader, officer, disp domain.User
	unit                          domain.StaffUnit
	day                           func(int) string
	raw                           whistletest.Raw
	clock                         *whistletest.Clock
}

func newStaffWorld(t *testing.T) staffWorld {
	t.Helper()
	whistletest.KeysInTemp(t)
	svc, users, clock := whistletest.Demo(t, 0)
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, domain.China)
	clock.Set(start.AddDate(0, 0, 9))
	w := staffWorld{svc: svc, office: users["officer.ly-bb"], leader: users["demo.leader"], officer: users["demo.officer"],
		disp: users["demo.dispatcher"], clock: clock, raw: whistletest.OpenRaw(t, whistletest.StoreOf(svc)),
		day: func(d int) string { return start.AddDate(0, 0, d-1).Format("2006-01-02") }}
	if w.office.ID == 0 {
		t.Fatal("the demo has no officer.ly-bb")
	}
	unit := domain.StaffUnit{Region: "431382001", Name: "蓝田街道综合服务中心", Kind: "public1", DocNo: "涟编发〔2025〕12号", DocDate: "2025-06-01"}
	if _, err := svc.CreateStaffUnit(context.Background(), w.leader, unit); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a leader registered a unit: %v", err)
	}
	var err error
	if w.unit, err = svc.CreateStaffUnit(context.Background(), w.office, unit); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w staffWorld) quota(t *testing.T, u domain.User, q domain.StaffQuota) (domain.StaffQuota, error) {
	t.Helper()
	return w.svc.SetStaffQuota(context.Background(), u, w.unit.ID, q)
}

func (w staffWorld) move(t *testing.T, item domain.StaffItem, day string, delta int) error {
	t.Helper()
	_, err := w.svc.RecordStaffMove(context.Background(), w.office, w.unit.ID,
		service.StaffMoveRequest{StaffMove: domain.StaffMove{Item: item, Day: day, Delta: delta, DocNo: "涟人社〔2026〕1号", Kind: extraKind(item)}})
	return err
}

// extraKind is the kind the tests' 编外 movements carry (none for the other items).
func extraKind(item domain.StaffItem) domain.ExtraKind {
	if item == domain.StaffExtra {
		return domain.ExtraDispatch
	}
	return ""
}

func extraTotal(v int, day string, exc int64) domain.StaffQuota {
	return domain.StaffQuota{Item: domain.StaffExtra, Value: v, Day: day, DocNo: "涟编办〔2026〕3号", ExceptionID: exc,
		Method: domain.MethodRatio, Inputs: map[string]float64{"establishment": 100, "ratio": 0.2}}
}

// TestStaffOnlyLowerNeverRaise: the office fixes a unit's 编外 total by one of the four
// methods (capped by its inputs), lowers it, and is refused a raise ("只减不增"); the
// office asks an exception, may not decide it itself nor use it while pending; the
// leading group approves it; the raise then passes up to the exception's value, once.
// Hiring past the total is refused with the figures; who does not read the
// establishment does not see the unit.
func TestStaffOnlyLowerNeverRaise(t *testing.T) {
	ctx := context.Background()
	w := newStaffWorld(t)
	if _, err := w.quota(t, w.office, extraTotal(21, w.day(1), 0)); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "allows") {
		t.Fatalf("past the method's cap (20): %v", err)
	}
	if _, err := w.quota(t, w.office, domain.StaffQuota{Item: domain.StaffExtra, Value: 5, Day: w.day(1), DocNo: "x"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("without a method: %v", err)
	}
	if _, err := w.quota(t, w.office, extraTotal(12, w.day(1), 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.quota(t, w.office, extraTotal(10, w.day(2), 0)); err != nil {
		t.Fatalf("lowering: %v", err)
	}
	_, err := w.quota(t, w.office, extraTotal(11, w.day(3), 0))
	if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "只减不增") {
		t.Fatalf("a raise: %v", err)
	}
	if _, err := w.quota(t, w.office, extraTotal(9, w.day(1), 0)); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a change dated before the last: %v", err)
	}
	for _, u := range []domain.User{w.officer, w.disp} {
		if _, err := w.quota(t, u, extraTotal(9, w.day(3), 0)); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("%s changed a unit it does not see: %v", u.Login, err)
		}
	}
	if _, err := w.quota(t, w.leader, extraTotal(9, w.day(3), 0)); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the leader changed a figure: %v", err)
	}

	// the exception path
	if _, err := w.svc.RequestStaffException(ctx, w.office, w.unit.ID, domain.StaffException{Value: 8, Reason: "x"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an exception to lower: %v", err)
	}
	e, err := w.svc.RequestStaffException(ctx, w.office, w.unit.ID, domain.StaffException{Value: 12, Reason: "新增社区服务站点"})
	if err != nil || e.Status != domain.ExceptionPending {
		t.Fatalf("request: %v %+v", err, e)
	}
	if _, err := w.quota(t, w.office, extraTotal(12, w.day(4), e.ID)); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "pending") {
		t.Fatalf("a raise citing a pending exception: %v", err)
	}
	if _, err := w.svc.DecideStaffException(ctx, w.office, e.ID, true, "涟编委〔2026〕1号", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the office decided its own exception: %v", err)
	}
	if _, err := w.svc.DecideStaffException(ctx, w.leader, e.ID, true, "", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a decision without its document: %v", err)
	}
	if e, err = w.svc.DecideStaffException(ctx, w.leader, e.ID, true, "涟编委〔2026〕1号", "同意"); err != nil || e.Status != domain.ExceptionApproved {
		t.Fatalf("approve: %v %+v", err, e)
	}
	if _, err := w.quota(t, w.office, extraTotal(13, w.day(4), e.ID)); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("past the exception's value: %v", err)
	}
	if _, err := w.quota(t, w.office, extraTotal(12, w.day(4), e.ID)); err != nil {
		t.Fatalf("the approved raise: %v", err)
	}
	if _, err := w.quota(t, w.office, extraTotal(12, w.day(5), e.ID)); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("citing an exception without a raise: %v", err)
	}
	if _, err := w.quota(t, w.office, extraTotal(11, w.day(5), 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.quota(t, w.office, extraTotal(12, w.day(6), e.ID)); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "used") {
		t.Fatalf("an exception used twice: %v", err)
	}

	// hiring past the total
	if err := w.move(t, domain.StaffExtra, w.day(6), 11); err != nil {
		t.Fatal(err)
	}
	if err := w.move(t, domain.StaffExtra, w.day(6), 1); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "approved 11, on staff 11") {
		t.Fatalf("hiring past the total: %v", err)
	}
	if err := w.move(t, domain.StaffExtra, w.day(6), -12); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("more leaving than on staff: %v", err)
	}
	for _, action := range []string{"staff_exception.request", "staff_exception.decide"} {
		var n int
		if err := w.raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ?`, action, "staff_exception/"+strconv.FormatInt(e.ID, 10)).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s audited %d times (%v)", action, n, err)
		}
	}
	v, err := w.svc.StaffUnitOn(ctx, w.leader, w.unit.ID, "")
	if err != nil || v.Figures[domain.StaffExtra] != (domain.StaffFigure{Approved: 11, Actual: 11, Set: true, ByKind: domain.ExtraByKind{11}}) || !v.MayDecide || v.MayAct {
		t.Fatalf("the unit today: %v %+v", err, v)
	}
	for action, want := range map[string]int{"staff_quota.set": 4, "staff_move.record": 1} {
		var n int
		if err := w.raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ?`, action, "staff_unit/"+strconv.FormatInt(w.unit.ID, 10)).Scan(&n); err != nil || n != want {
			t.Errorf("%s audited %d times (%v), want %d", action, n, err, want)
		}
	}
}

// TestStaffFiguresAsOfPastDay: a unit's 行政编制 is 20 with 18 on staff on day 1; on day 5
// the establishment is cut to 15 (3 over); on day 6 two leave. Read back on day 1, 5
// and 7 after all of it, for the unit and for the street and the city, and the change
// between day 1 and day 7.
func TestStaffFiguresAsOfPastDay(t *testing.T) {
	ctx := context.Background()
	w := newStaffWorld(t)
	// the demo's own units stand beside the test's: each region's totals are read as
	// the change from what they were before the test's unit moved
	base := map[string]domain.StaffFigure{}
	for _, d := range []int{1, 5, 7} {
		for _, region := range []string{"431382001", "431382"} {
			rep, err := w.svc.StaffFigures(ctx, w.office, region, w.day(d), "")
			if err != nil {
				t.Fatal(err)
			}
			base[region+w.day(d)] = rep.Totals[domain.StaffAdmin]
		}
	}
	less := func(a, b domain.StaffFigure) domain.StaffFigure {
		return domain.StaffFigure{Approved: a.Approved - b.Approved, Actual: a.Actual - b.Actual, Vacant: a.Vacant - b.Vacant, Over: a.Over - b.Over, Set: true}
	}
	set := func(v, d int) {
		t.Helper()
		if _, err := w.quota(t, w.office, domain.StaffQuota{Item: domain.StaffAdmin, Value: v, Day: w.day(d), DocNo: "涟编发〔2026〕" + w.day(d)}); err != nil {
			t.Fatal(err)
		}
	}
	set(20, 1)
	if err := w.move(t, domain.StaffAdmin, w.day(1), 18); err != nil {
		t.Fatal(err)
	}
	set(15, 5)
	if err := w.move(t, domain.StaffAdmin, w.day(6), -2); err != nil {
		t.Fatal(err)
	}
	want := map[int]domain.StaffFigure{
		1: {Approved: 20, Actual: 18, Vacant: 2, Set: true},
		5: {Approved: 15, Actual: 18, Over: 3, Set: true},
		7: {Approved: 15, Actual: 16, Over: 1, Set: true},
	}
	for d, f := range want {
		v, err := w.svc.StaffUnitOn(ctx, w.office, w.unit.ID, w.day(d))
		if err != nil || v.Figures[domain.StaffAdmin] != f || v.Over != (f.Over > 0) {
			t.Errorf("day %d: %v %+v, want %+v", d, err, v.Figures[domain.StaffAdmin], f)
		}
		for _, region := range []string{"431382001", "431382"} {
			rep, err := w.svc.StaffFigures(ctx, w.office, region, w.day(d), "")
			if err != nil || less(rep.Totals[domain.StaffAdmin], base[region+w.day(d)]) != f {
				t.Errorf("day %d, %s: %v %+v", d, region, err, rep.Totals)
			}
		}
	}
	rep, err := w.svc.StaffFigures(ctx, w.leader, "", w.day(7), w.day(1))
	if err != nil || rep.Region != "431382001" || rep.Change[domain.StaffAdmin].Approved != -5 || rep.Change[domain.StaffAdmin].Actual != -2 {
		t.Errorf("the change: %v %+v", err, rep.Change)
	}
	if len(rep.Regions) != 1 || rep.Regions[0].Figures[domain.StaffAdmin] != rep.Totals[domain.StaffAdmin] {
		t.Errorf("the street's row: %+v", rep.Regions)
	}
	found := false
	for _, u := range rep.Units {
		if u.Unit.ID == w.unit.ID {
			found = u.Over && u.Figures[domain.StaffAdmin] == want[7]
		}
	}
	if !found {
		t.Errorf("the unit's row on day 7 is not %+v", want[7])
	}
	if _, err := w.svc.StaffFigures(ctx, w.leader, "431382", "", ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("the street's leader read the city: %v", err)
	}
	if _, err := w.svc.StaffFigures(ctx, w.disp, "", "", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a dispatcher read the establishment: %v", err)
	}
	if _, err := w.svc.StaffFigures(ctx, w.office, "", "2026-13-01", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a bad day: %v", err)
	}
}

// TestStaffDigestionTwoOutOneIn: 15 approved, 18 on staff (3 over). Without a plan no
// one comes in; under 出二进一 one comes in after two left, not before, and not a
// second; when the unit is back within its quota the plan is done (3 digested, 100%)
// and hiring is bound by the establishment again. The hires are named people whose ID
// numbers are sealed, masked in the list and revealed only with a purpose, audited.
func TestStaffDigestionTwoOutOneIn(t *testing.T) {
	ctx := context.Background()
	w := newStaffWorld(t)
	if _, err := w.quota(t, w.office, domain.StaffQuota{Item: domain.StaffAdmin, Value: 20, Day: w.day(1), DocNo: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := w.move(t, domain.StaffAdmin, w.day(1), 18); err != nil {
		t.Fatal(err)
	}
	plan := domain.StaffPlan{Item: domain.StaffAdmin, Out: 2, In: 1, From: w.day(2), Target: "2027-12-31", DocNo: "涟编办〔2026〕5号"}
	if _, err := w.svc.CreateStaffPlan(ctx, w.office, w.unit.ID, plan); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a plan for a unit within its quota: %v", err)
	}
	if _, err := w.quota(t, w.office, domain.StaffQuota{Item: domain.StaffAdmin, Value: 15, Day: w.day(2), DocNo: "b"}); err != nil {
		t.Fatal(err)
	}
	hire := func(d int, name, first17 string) error {
		_, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, service.StaffMoveRequest{
			StaffMove: domain.StaffMove{Item: domain.StaffAdmin, Day: w.day(d), Delta: 1, DocNo: "涟人社〔2026〕9号"},
			Person:    &service.NewStaffPerson{Name: name, IDNumber: first17 + string(domain.IDCheckDigit(first17))}})
		return err
	}
	if err := hire(2, "甲", "43138219900101001"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "past the approved") {
		t.Fatalf("hiring while over without a plan: %v", err)
	}
	p, err := w.svc.CreateStaffPlan(ctx, w.office, w.unit.ID, plan)
	if err != nil || p.BaseOver != 3 {
		t.Fatalf("the plan: %v %+v", err, p)
	}
	if _, err := w.svc.CreateStaffPlan(ctx, w.office, w.unit.ID, plan); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a second plan in force: %v", err)
	}
	if err := w.move(t, domain.StaffAdmin, w.day(3), -1); err != nil {
		t.Fatal(err)
	}
	if err := hire(3, "甲", "43138219900101001"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "出二进一") {
		t.Fatalf("one in after one out: %v", err)
	}
	if err := w.move(t, domain.StaffAdmin, w.day(4), -1); err != nil {
		t.Fatal(err)
	}
	if err := hire(4, "甲", "43138219900101001"); err != nil {
		t.Fatalf("one in after two out: %v", err)
	}
	if err := hire(4, "乙", "43138219910202002"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a second in after two out: %v", err)
	}
	v, err := w.svc.StaffUnitOn(ctx, w.office, w.unit.ID, w.day(4))
	if err != nil || len(v.Plans) != 1 {
		t.Fatalf("the unit: %v %+v", err, v.Plans)
	}
	if pr := v.Plans[0].Progress; pr.Outs != 2 || pr.Ins != 1 || pr.Over != 2 || pr.Digested != 1 || *pr.Percent != 0.333 || pr.Done || pr.MayHire != 0 {
		t.Errorf("progress on day 4: %+v", *pr)
	}
	if len(v.People) != 1 || v.People[0].IDMasked != "4313**********0016"[:4]+v.People[0].IDMasked[4:] || strings.Contains(v.People[0].IDMasked, "19900101") || !v.People[0].OnStaff {
		t.Errorf("the people: %+v", v.People)
	}
	if err := w.move(t, domain.StaffAdmin, w.day(5), -2); err != nil {
		t.Fatal(err)
	}
	v, _ = w.svc.StaffUnitOn(ctx, w.office, w.unit.ID, "")
	if pr := v.Plans[0].Progress; !pr.Done || pr.Digested != 3 || *pr.Percent != 1 || v.Over {
		t.Errorf("progress when digested: %+v", *pr)
	}
	if err := hire(6, "乙", "43138219910202002"); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "past the approved") {
		t.Fatalf("hiring past the quota after the plan: %v", err)
	}
	pid := v.People[0].ID
	if _, err := w.svc.RevealStaffID(ctx, w.leader, pid, "核对身份"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the leader revealed: %v", err)
	}
	if _, err := w.svc.RevealStaffID(ctx, w.office, pid, ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a reveal without a purpose: %v", err)
	}
	if id, err := w.svc.RevealStaffID(ctx, w.office, pid, "核对身份"); err != nil || id != "43138219900101001"+string(domain.IDCheckDigit("43138219900101001")) {
		t.Errorf("reveal: %v %s", err, id)
	}
	var n int
	if err := w.raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_people WHERE id_sealed LIKE '%19900101%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the ID number is stored in clear: %v %d", err, n)
	}
	if err := w.raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'staff_person.reveal'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("reveals audited: %v %d", err, n)
	}
	// the person leaves by name, once
	leave := service.StaffMoveRequest{StaffMove: domain.StaffMove{Item: domain.StaffAdmin, Day: w.day(7), Delta: -1, PersonID: pid, DocNo: "调出"}}
	if _, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, leave); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, leave); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("leaving twice: %v", err)
	}
}

// TestStaffSurveyRaisesRectification: the office opens a round (调研) over a unit of the
// street, records a finding that needs no follow-up and one that raises an item on the
// round's rectification list for 城管局; the street's leader reads the list with the
// item, the org's officer answers for it; who is not the office may not open a round or
// record, and a unit outside the round is refused.
func TestStaffSurveyRaisesRectification(t *testing.T) {
	ctx := context.Background()
	w := newStaffWorld(t)
	round := domain.StaffSurvey{Region: "431382001", Title: "编外人员管理“地毯式”调研", Form: "编外人员是否超员额？\n是否按规定程序招聘？", UnitIDs: []int64{w.unit.ID, w.unit.ID}}
	if _, err := w.svc.CreateStaffSurvey(ctx, w.leader, round); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the leader opened a round: %v", err)
	}
	if _, err := w.svc.CreateStaffSurvey(ctx, w.office, domain.StaffSurvey{Region: "431382002", Title: "x", UnitIDs: []int64{w.unit.ID}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a round over a unit of another street: %v", err)
	}
	v, err := w.svc.CreateStaffSurvey(ctx, w.office, round)
	if err != nil || len(v.UnitIDs) != 1 || v.RectListID == 0 {
		t.Fatalf("the round: %v %+v", err, v)
	}
	if _, err := w.svc.RecordStaffFinding(ctx, w.office, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: w.unit.ID + 1000, Finding: "x"}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a unit outside the round: %v", err)
	}
	if _, err := w.svc.RecordStaffFinding(ctx, w.leader, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: w.unit.ID, Finding: "x"}}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the leader recorded a finding: %v", err)
	}
	if _, err := w.svc.RecordStaffFinding(ctx, w.officer, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: w.unit.ID, Finding: "x"}}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("an officer of another org recorded a finding: %v", err)
	}
	if _, err := w.svc.RecordStaffFinding(ctx, w.office, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: w.unit.ID, Finding: "招聘程序规范"}}); err != nil {
		t.Fatal(err)
	}
	f, err := w.svc.RecordStaffFinding(ctx, w.office, v.ID, service.StaffFindingRequest{StaffFinding: domain.StaffFinding{UnitID: w.unit.ID, Finding: "编外人员超出核定员额 2 名"},
		Rectify: &domain.RectItem{Measures: "按只减不增要求清退", Org: "LY-CGJ", Person: "周峰", Deadline: "2026-06-30"}})
	if err != nil || f.RectItemID == 0 {
		t.Fatalf("a finding with its rectification: %v %+v", err, f)
	}
	for _, u := range []domain.User{w.leader, w.officer, w.office} { // the office made the list: it reads it too
		l, err := w.svc.RectList(ctx, u, v.RectListID)
		if err != nil || len(l.Items) != 1 || l.Items[0].Problem != "编外人员超出核定员额 2 名" || l.Items[0].Org != "LY-CGJ" {
			t.Errorf("the list as %s: %v %+v", u.Login, err, l.Items)
		}
	}
	sv, err := w.svc.StaffSurvey(ctx, w.leader, v.ID)
	if err != nil || len(sv.Findings) != 2 || sv.MayAct {
		t.Errorf("the round as the leader: %v %+v", err, sv)
	}
}
