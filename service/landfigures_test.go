package service_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
)

// TestLandFiguresDatedAreasTransfersAndProgress: a past day's figures read each parcel's
// area as it was that day and stay the same after a correction and a transfer; 转移 are
// counted by kind and area; the unified registration's progress is certified households,
// parcels and area of those contracted.
func TestLandFiguresDatedAreasTransfersAndProgress(t *testing.T) {
	f := newLandFixture(t)
	reg := f.users["land.registrar"]
	_, c1 := f.household(2, 0)
	h2, c2 := f.household(1, 0)
	f.household(1, 0) // contracted, not registered
	f.first(c1)
	f.first(c2)
	day1 := domain.LandDay(f.clock.Now())
	fig1, err := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day1)
	if err != nil {
		t.Fatal(err)
	}
	if fig1.Contracts != 3 || fig1.ContractedParcels != 4 || fig1.ContractedArea != 4*12345 || fig1.ContractArea != 4*12345 ||
		fig1.CertifiedHouseholds != 2 || fig1.CertifiedParcels != 3 || fig1.CertifiedArea != 3*12345 {
		t.Fatalf("day 1: %+v", fig1)
	}
	if *fig1.HouseholdProgress != 0.667 || *fig1.ParcelProgress != 0.75 || *fig1.AreaProgress != 0.75 || len(fig1.Rows) != 1 || fig1.Rows[0].CertifiedParcels != 3 {
		t.Errorf("day 1's progress: %v %v %v rows %+v", *fig1.HouseholdProgress, *fig1.ParcelProgress, *fig1.AreaProgress, fig1.Rows)
	}
	f.clock.Add(48 * time.Hour)
	fix := c1.ParcelIDs[0]
	if _, err := f.through(domain.LandApplication{Kind: domain.LandChange, ContractID: c1.ID,
		Terms: domain.LandTerms{Sub: "area", Areas: []domain.LandAreaFix{{Parcel: fix, ContractArea: 20000, MeasuredArea: 133334}}}}); err != nil {
		t.Fatal(err)
	}
	day3 := domain.LandDay(f.clock.Now())
	f.clock.Add(48 * time.Hour)
	if _, err := f.through(domain.LandApplication{Kind: domain.LandTransfer, ContractID: c1.ID,
		Terms: domain.LandTerms{Sub: "exchange", ToHousehold: h2.ID, ParcelIDs: []int64{fix}}}); err != nil {
		t.Fatal(err)
	}
	day5 := domain.LandDay(f.clock.Now())
	again, err := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day1)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(fig1)
	if b2, _ := json.Marshal(again); string(b1) != string(b2) {
		t.Errorf("day 1's figures moved with a later area correction and transfer:\n%s\n%s", b1, b2)
	}
	fig3, _ := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day3)
	if fig3.ContractArea != 3*12345+20000 || fig3.ContractedArea != 3*12345+20000 || fig3.CertifiedArea != 2*12345+20000 || len(fig3.Transfers) != 0 {
		t.Errorf("day 3 (after the correction): %+v", fig3)
	}
	fig5, _ := f.svc.LandFigures(f.ctx, reg, demo.LandVillage, day5)
	if fig5.Transfers["exchange"] != 1 || fig5.TransferArea["exchange"] != 20000 || fig5.Transfers["sale"] != 0 ||
		fig5.ContractedParcels != 4 || fig5.CertifiedParcels != 3 || fig5.CertifiedHouseholds != 2 {
		t.Errorf("day 5 (after the exchange): %+v", fig5)
	}
	_, book, err := service.LandFiguresXLSX(fig5)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sheets.ReadFirst(bytes.NewReader(book), false)
	if err != nil || len(rows) != 3 { // a village has no row per child: the title, the head, the total
		t.Fatalf("the workbook: %v %q", err, rows)
	}
	head, total := rows[1], rows[2]
	col := func(name string) string {
		i := slices.Index(head, name)
		if i < 0 || i >= len(total) {
			t.Fatalf("no column %s in %q", name, head)
		}
		return total[i]
	}
	if col("互换") != "1" || col("转移面积(亩)") != "2.0000" || col("承包地块") != "4" || col("颁证地块") != "3" || col("颁证户进度") == "" || col("颁证户进度") == "—" {
		t.Errorf("the workbook's total: %q of %q", total, head)
	}
	if fig3again, _ := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day3); fig3again.Transfers["exchange"] != 0 || fig3again.ContractArea != fig3.ContractArea {
		t.Errorf("day 3 after the exchange: %+v", fig3again)
	}
}
