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
