package service_test

import (
	"context"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
)

// TestStaffExtraByKind: 编外 staff come in and leave by kind (劳务派遣, 合同制, …); a
// movement without a kind, or with one on another item, is refused naming the field; a
// kind cannot lose more than it has; the approved total bounds the sum of the kinds;
// the figures per unit, per region and as of a past day give the count per kind; a
// named person leaves as the kind they came in as.
func TestStaffExtraByKind(t *testing.T) {
	ctx := context.Background()
	w := newStaffWorld(t)
	if _, err := w.quota(t, w.office, extraTotal(10, w.day(1), 0)); err != nil {
		t.Fatal(err)
	}
	move := func(day string, delta int, kind domain.ExtraKind, item domain.StaffItem) error {
		_, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, service.StaffMoveRequest{StaffMove: domain.StaffMove{
			Item: item, Day: day, Delta: delta, Kind: kind, DocNo: "涟人社〔2026〕2号"}})
		return err
	}
	for _, c := range []struct {
		name string
		kind domain.ExtraKind
		item domain.StaffItem
	}{{"no kind", "", domain.StaffExtra}, {"unknown kind", "volunteer", domain.StaffExtra}, {"kind on 编制", domain.ExtraDispatch, domain.StaffAdmin}} {
		if err := move(w.day(2), 1, c.kind, c.item); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "kind") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, m := range []struct {
		day   int
		delta int
		kind  domain.ExtraKind
	}{{2, 4, domain.ExtraDispatch}, {2, 3, domain.ExtraContract}, {3, 2, domain.ExtraWelfare}, {5, -1, domain.ExtraDispatch}} {
		if err := move(w.day(m.day), m.delta, m.kind, domain.StaffExtra); err != nil {
			t.Fatalf("%+v: %v", m, err)
		}
	}
	if err := move(w.day(5), -1, domain.ExtraTemporary, domain.StaffExtra); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "临聘") {
		t.Errorf("a kind leaving more than it has: %v", err)
	}
	// 8 of 10 on staff: 3 more of any kind pass the total
	if err := move(w.day(5), 3, domain.ExtraTemporary, domain.StaffExtra); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "approved 10, on staff 8") {
		t.Errorf("the kinds' sum past the total: %v", err)
	}
	// a named person comes in as 临聘 and leaves as one, the kind taken from them
	in, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, service.StaffMoveRequest{StaffMove: domain.StaffMove{Item: domain.StaffExtra,
		Day: w.day(6), Delta: 1, Kind: domain.ExtraTemporary, DocNo: "涟人社〔2026〕3号"},
		Person: &service.NewStaffPerson{Name: "李四", IDNumber: "43138219900101" + "002" + string(domain.IDCheckDigit("43138219900101002"))}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, service.StaffMoveRequest{StaffMove: domain.StaffMove{Item: domain.StaffExtra,
		Day: w.day(7), Delta: -1, PersonID: in.PersonID, Kind: domain.ExtraContract, DocNo: "x"}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a 临聘 person leaving as 合同制: %v", err)
	}
	if _, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, service.StaffMoveRequest{StaffMove: domain.StaffMove{Item: domain.StaffExtra,
		Day: w.day(7), Delta: -1, PersonID: in.PersonID, DocNo: "解聘"}}); err != nil {
		t.Fatal(err)
	}

	want := map[string]domain.ExtraByKind{
		w.day(2): {4, 3, 0, 0, 0, 0},
		w.day(5): {3, 3, 0, 2, 0, 0},
		w.day(6): {3, 3, 1, 2, 0, 0},
		w.day(7): {3, 3, 0, 2, 0, 0},
	}
	for day, kinds := range want {
		v, err := w.svc.StaffUnitOn(ctx, w.office, w.unit.ID, day)
		if err != nil {
			t.Fatal(err)
		}
		f := v.Figures[domain.StaffExtra]
		sum := 0
		for _, n := range f.ByKind {
			sum += n
		}
		if f.ByKind != kinds || sum != f.Actual {
			t.Errorf("on %s: by kind %v (actual %d), want %v", day, f.ByKind, f.Actual, kinds)
		}
	}
	// the street's report sums the kinds over its units (the demo's street units too)
	before, err := w.svc.StaffFigures(ctx, w.office, "431382001", w.day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := w.svc.StaffFigures(ctx, w.office, "431382001", w.day(6), "")
	if err != nil {
		t.Fatal(err)
	}
	got, was := rep.Totals[domain.StaffExtra].ByKind, before.Totals[domain.StaffExtra].ByKind
	for i, k := range domain.ExtraKinds {
		if got[i]-was[i] != want[w.day(6)][i] {
			t.Errorf("the street's %s rose by %d, want %d", domain.ExtraKindNames[k], got[i]-was[i], want[w.day(6)][i])
		}
	}
	if len(rep.Regions) != 1 || rep.Regions[0].Figures[domain.StaffExtra] != rep.Totals[domain.StaffExtra] {
		t.Errorf("the region's row differs from the total: %+v", rep.Regions)
	}
	table := service.StaffTable(rep)
	if head := strings.Join(table[1], ","); !strings.Contains(head, "编外员额实有（劳务派遣）") || !strings.Contains(head, "编外员额实有（公益性岗位）") {
		t.Errorf("the table's head has no kinds: %s", head)
	}
}

// TestStaffLeadByLevel: leadership posts are approved and filled by level; the item's
// approved figure is the sum of its levels; a post is not filled past its level's
// approved number (even when the item has room), nor without a level; a level is
// refused on 编制; the figures per level read back as of a past day.
func TestStaffLeadByLevel(t *testing.T) {
	ctx := context.Background()
	w := newStaffWorld(t)
	set := func(item domain.StaffItem, level domain.LeadLevel, v, day int) error {
		_, err := w.quota(t, w.office, domain.StaffQuota{Item: item, Level: level, Value: v, Day: w.day(day), DocNo: "涟编发〔2026〕4号"})
		return err
	}
	fill := func(item domain.StaffItem, level domain.LeadLevel, delta, day int) error {
		_, err := w.svc.RecordStaffMove(ctx, w.office, w.unit.ID, service.StaffMoveRequest{StaffMove: domain.StaffMove{
			Item: item, Level: level, Day: w.day(day), Delta: delta, DocNo: "涟组〔2026〕1号"}})
		return err
	}
	if err := set(domain.StaffLeadDep, "", 2, 1); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "level") {
		t.Errorf("a leadership quota without a level: %v", err)
	}
	if err := set(domain.StaffAdmin, domain.LevelKe, 2, 1); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a level on 编制: %v", err)
	}
	for _, q := range []struct {
		item  domain.StaffItem
		level domain.LeadLevel
		v     int
	}{{domain.StaffLeadChief, domain.LevelKe, 1}, {domain.StaffLeadDep, domain.LevelFuke, 2}, {domain.StaffLeadDep, domain.LevelGu, 1}} {
		if err := set(q.item, q.level, q.v, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := fill(domain.StaffLeadDep, domain.LevelFuke, 2, 2); err != nil {
		t.Fatal(err)
	}
	// the item has room (3 approved, 2 filled), the level none
	if err := fill(domain.StaffLeadDep, domain.LevelFuke, 1, 2); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "副科级") {
		t.Errorf("filling a level past its posts: %v", err)
	}
	if err := fill(domain.StaffLeadDep, "", 1, 2); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("filling a post without a level: %v", err)
	}
	if err := fill(domain.StaffLeadChief, domain.LevelChu, 1, 2); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("filling a level with no posts approved: %v", err)
	}
	if err := fill(domain.StaffLeadDep, domain.LevelGu, 1, 3); err != nil {
		t.Fatal(err)
	}
	if err := set(domain.StaffLeadDep, domain.LevelFuke, 1, 4); err != nil { // lowered: now over at 副科
		t.Fatal(err)
	}
	for day, want := range map[int][2]domain.LevelFigure{
		2: {{Approved: 2, Set: true, Actual: 2}, {Approved: 1, Set: true, Vacant: 1}},
		4: {{Approved: 1, Set: true, Actual: 2, Over: 1}, {Approved: 1, Set: true, Actual: 1}},
	} {
		v, err := w.svc.StaffUnitOn(ctx, w.office, w.unit.ID, w.day(day))
		if err != nil {
			t.Fatal(err)
		}
		f := v.Figures[domain.StaffLeadDep]
		if got := [2]domain.LevelFigure{f.ByLevel.Of(domain.LevelFuke), f.ByLevel.Of(domain.LevelGu)}; got != want {
			t.Errorf("day %d: 副科, 股级 %+v, want %+v", day, got, want)
		}
		if f.Approved != want[0].Approved+want[1].Approved || f.Actual != want[0].Actual+want[1].Actual {
			t.Errorf("day %d: the item %+v is not the sum of its levels", day, f)
		}
	}
	rep, err := w.svc.StaffFigures(ctx, w.office, "431382001", w.day(4), "")
	if err != nil {
		t.Fatal(err)
	}
	// the demo's street units fill 副科 and not 股级: the new unit's 股级 is the street's
	if got := rep.Totals[domain.StaffLeadDep].ByLevel.Of(domain.LevelGu); got.Approved != 1 || got.Actual != 1 {
		t.Errorf("the street's 副职 at 股级: %+v", got)
	}
	if table := service.StaffTable(rep); !strings.Contains(strings.Join(table[1], ","), "领导职数按级别") {
		t.Errorf("the table has no levels column: %v", table[1])
	}
}
