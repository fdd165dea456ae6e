package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// landFixture is the demo with 洪江区's divisions, the registration centre and the land
// demo's users, and a collective of 茅头园村's first group.
type landFixture struct {
	t     *testing.T
	ctx   context.Context
	svc   *service.Service
	users demo.Users
	clock *whistletest.Clock
	col   domain.LandCollective
	n     int
}

func newLandFixture(t *testing.T) *landFixture {
	t.Helper()
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China)) // a Monday
	users, err := demo.LandSetup(ctx, whistletest.StoreOf(svc))
	if err != nil {
		t.Fatal(err)
	}
	f := &landFixture{t: t, ctx: ctx, svc: svc, users: users, clock: clock}
	f.col, err = svc.CreateLandCollective(ctx, users["land.town"], domain.LandCollective{Village: demo.LandVillage, Group: "01", Name: "第一村民小组"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// idNumber makes the n-th valid ID number.
func landID(n int) string {
	s := fmt.Sprintf("43127119800101%03d", n%1000)
	return s + string(domain.IDCheckDigit(s))
}

// household adds a household of one member and parcels of its own, contracted.
func (f *landFixture) household(parcels int, user int64) (domain.LandHousehold, domain.LandContract) {
	f.t.Helper()
	f.n++
	town := f.users["land.town"]
	h, err := f.svc.PutLandHousehold(f.ctx, town, domain.LandHousehold{CollectiveID: f.col.ID, UserID: user,
		Members: []domain.LandMember{{Name: fmt.Sprintf("杨%d", f.n), IDNumber: landID(f.n), Phone: "13974500001"}}})
	if err != nil {
		f.t.Fatal(err)
	}
	c := domain.LandContract{HouseholdID: h.ID, From: "1998-01-01", To: "2057-12-31"}
	for i := 0; i < parcels; i++ {
		c.ParcelIDs = append(c.ParcelIDs, f.parcel().ID)
	}
	if c, err = f.svc.CreateLandContract(f.ctx, town, c); err != nil {
		f.t.Fatal(err)
	}
	return h, c
}

var landParcelN int

func (f *landFixture) parcel() domain.LandParcel {
	f.t.Helper()
	landParcelN++
	n := landParcelN
	p, err := f.svc.CreateLandParcel(f.ctx, f.users["land.town"], domain.LandParcel{Code: domain.LandParcelCode(demo.LandVillage, "01", n),
		CollectiveID: f.col.ID, Name: "大丘", ContractArea: 12345, MeasuredArea: 82345, Use: "水田", Class: 4, BasicFarmland: true,
		Geometry: demo.LandSquare(110+float64(n%50)*0.001, 27.2+float64(n/50)*0.001, 30)})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// n2 adds a household without a contract and gives its id.
func (f *landFixture) n2() int64 {
	f.t.Helper()
	f.n++
	h, err := f.svc.PutLandHousehold(f.ctx, f.users["land.town"], domain.LandHousehold{CollectiveID: f.col.ID,
		Members: []domain.LandMember{{Name: "新户", IDNumber: landID(500 + f.n)}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return h.ID
}

// through accepts a and takes it to 发证.
func (f *landFixture) through(a domain.LandApplication) (domain.LandApplication, error) {
	f.t.Helper()
	a, err := f.svc.ApplyLand(f.ctx, f.users["land.town"], a)
	if err != nil {
		return a, err
	}
	var v service.LandApplicationView
	for _, act := range []domain.LandAct{domain.LandReview, domain.LandBook, domain.LandPrint, domain.LandIssue} {
		if v, err = f.svc.ActOnLand(f.ctx, f.users["land.registrar"], a.ID, service.LandStepInput{Act: act}); err != nil {
			return a, err
		}
	}
	return v.Application, nil
}

func (f *landFixture) first(c domain.LandContract) domain.LandApplication {
	f.t.Helper()
	a, err := f.through(domain.LandApplication{Kind: domain.LandFirst, ContractID: c.ID, Documents: []string{"承包合同"}})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// TestLandParcelInOneLiveContract: a parcel in a live contract is refused by a second
// one, by the service and by the database's own index; once transferred out it may be
// contracted again.
func TestLandParcelInOneLiveContract(t *testing.T) {
	f := newLandFixture(t)
	town := f.users["land.town"]
	_, c1 := f.household(2, 0)
	h2, err := f.svc.PutLandHousehold(f.ctx, town, domain.LandHousehold{CollectiveID: f.col.ID, Members: []domain.LandMember{{Name: "刘一", IDNumber: landID(900)}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.CreateLandContract(f.ctx, town, domain.LandContract{HouseholdID: h2.ID, From: "1998-01-01", To: "2057-12-31", ParcelIDs: c1.ParcelIDs[:1]})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a parcel in two live contracts: %v", err)
	}
	// the database refuses it too, whatever the door
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(f.svc))
	db := whistletest.StoreOf(f.svc)
	if _, err := raw.ExecContext(f.ctx, db.Rebind(`INSERT INTO land_contracts (number, collective_id, household_id, from_day, to_day, live, created_at) VALUES ('X1', ?, ?, '2000-01-01', '2050-01-01', 1, 0)`), f.col.ID, h2.ID); err != nil {
		t.Fatal(err)
	}
	var cid int64
	if err := raw.QueryRowContext(f.ctx, `SELECT id FROM land_contracts WHERE number = 'X1'`).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(f.ctx, db.Rebind(`INSERT INTO land_contract_parcels (contract_id, parcel_id, live) VALUES (?, ?, 1)`), cid, c1.ParcelIDs[0]); err == nil {
		t.Fatal("the database took a parcel into a second live contract")
	}
	// a split (变更) moves a parcel out to another household: its new contract holds it,
	// and it cannot be contracted a third time
	f.first(c1)
	split, err := f.through(domain.LandApplication{Kind: domain.LandChange, ContractID: c1.ID, Terms: domain.LandTerms{Sub: "split", ToHousehold: h2.ID, ParcelIDs: c1.ParcelIDs[1:]}})
	if err != nil || split.CertID == 0 {
		t.Fatalf("split: %v %+v", err, split)
	}
	reg2, err := f.svc.LandRegister(f.ctx, f.users["land.registrar"], h2.Unit, "")
	if err != nil || reg2.Right == nil || len(reg2.Right.Parcels) != 1 || reg2.Right.Parcels[0].ID != c1.ParcelIDs[1] || reg2.Right.Certificate == "" {
		t.Fatalf("the new household's right: %v %+v", err, reg2.Right)
	}
	_, err = f.svc.CreateLandContract(f.ctx, town, domain.LandContract{HouseholdID: f.n2(), From: "1998-01-01", To: "2057-12-31", ParcelIDs: c1.ParcelIDs[1:]})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a split-off parcel contracted again: %v", err)
	}
	// not the town's: 403; bad input names the field
	if _, err := f.svc.CreateLandContract(f.ctx, f.users["land.bank"], domain.LandContract{HouseholdID: h2.ID, From: "1998-01-01", To: "2057-12-31", ParcelIDs: []int64{f.parcel().ID}}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a bank made a contract: %v", err)
	}
	if _, err := f.svc.CreateLandContract(f.ctx, town, domain.LandContract{HouseholdID: h2.ID, From: "2057-12-31", To: "1998-01-01", ParcelIDs: []int64{1}}); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "term") {
		t.Errorf("a reversed term: %v", err)
	}
}

// TestLandMortgageBlocksTransfer: a mortgaged right is not transferred without the
// creditor's consent, neither at acceptance nor at booking (mortgaged meanwhile); with
// consent it moves, the certificates reissued and the old one voided; a discharge ends
// the mortgage.
func TestLandMortgageBlocksTransfer(t *testing.T) {
	f := newLandFixture(t)
	h1, c1 := f.household(2, 0)
	h2, c2 := f.household(1, 0)
	a1 := f.first(c1)
	f.first(c2)
	transfer := domain.LandApplication{Kind: domain.LandTransfer, ContractID: c1.ID, Terms: domain.LandTerms{Sub: "sale", ToHousehold: h2.ID, ParcelIDs: c1.ParcelIDs[:1]}}
	// accepted before the mortgage...
	early, err := f.svc.ApplyLand(f.ctx, f.users["land.town"], transfer)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.through(domain.LandApplication{Kind: domain.LandMortgage, ContractID: c1.ID, Terms: domain.LandTerms{Creditor: "洪江农商银行", AmountFen: 8_000_000, From: "2026-03-02", To: "2029-03-01"}})
	if err != nil {
		t.Fatal(err)
	}
	// ...is refused at booking
	reg := f.users["land.registrar"]
	if _, err := f.svc.ActOnLand(f.ctx, reg, early.ID, service.LandStepInput{Act: domain.LandReview}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ActOnLand(f.ctx, reg, early.ID, service.LandStepInput{Act: domain.LandBook}); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "consent") {
		t.Fatalf("booked a transfer of a mortgaged right: %v", err)
	}
	if v, err := f.svc.ActOnLand(f.ctx, reg, early.ID, service.LandStepInput{Act: domain.LandRefuse, Note: "已抵押，未经抵押权人同意"}); err != nil || v.Application.Reason == "" {
		t.Fatalf("refusal: %v %+v", err, v.Application)
	}
	// and a new one is refused at acceptance
	if _, err := f.svc.ApplyLand(f.ctx, f.users["land.town"], transfer); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("accepted a transfer of a mortgaged right: %v", err)
	}
	transfer.Terms.CreditorConsent = true
	moved, err := f.through(transfer)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := f.svc.LandCertificates(f.ctx, reg, demo.LandVillage)
	if err != nil {
		t.Fatal(err)
	}
	valid := map[string]int{}
	for _, c := range certs {
		if c.Valid {
			valid[c.Unit]++
		}
		if c.ID == a1.CertID && c.Valid {
			t.Errorf("the first certificate of %s stayed valid after the transfer", h1.Unit)
		}
	}
	if valid[h1.Unit] != 1 || valid[h2.Unit] != 1 || moved.CertID == 0 {
		t.Errorf("valid certificates after the transfer: %v", valid)
	}
	reg1, err := f.svc.LandRegister(f.ctx, reg, h1.Unit, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(reg1.Right.Parcels) != 1 || len(reg1.Right.Mortgages) != 1 {
		t.Errorf("the holder's right after moving one of two parcels: %+v", reg1.Right)
	}
	if _, err := f.through(domain.LandApplication{Kind: domain.LandDischarge, ContractID: c1.ID, Terms: domain.LandTerms{Mortgage: m.ID}}); err != nil {
		t.Fatal(err)
	}
	if reg1, _ = f.svc.LandRegister(f.ctx, reg, h1.Unit, ""); len(reg1.Right.Mortgages) != 0 {
		t.Errorf("mortgage after its discharge: %+v", reg1.Right.Mortgages)
	}
}

// TestLandRegisterReadsThePastTheSame: the right on a past day reads the same after
// later entries; the book only grows.
func TestLandRegisterReadsThePastTheSame(t *testing.T) {
	f := newLandFixture(t)
	h, c := f.household(2, 0)
	reg := f.users["land.registrar"]
	f.first(c)
	day1 := domain.LandDay(f.clock.Now())
	before, err := f.svc.LandRegister(f.ctx, reg, h.Unit, day1)
	if err != nil || before.Right == nil {
		t.Fatalf("%v %+v", err, before)
	}
	figBefore, err := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day1)
	if err != nil || figBefore.Registered != 1 || figBefore.Certificates != 1 || figBefore.Pending != 0 || len(figBefore.Rows) != 1 {
		t.Fatalf("figures of day 1: %v %+v", err, figBefore)
	}
	f.clock.Add(48 * time.Hour)
	m, err := f.through(domain.LandApplication{Kind: domain.LandMortgage, ContractID: c.ID, Terms: domain.LandTerms{Creditor: "洪江农商银行", AmountFen: 100, From: "2026-03-04", To: "2027-03-03"}})
	if err != nil {
		t.Fatal(err)
	}
	day3 := domain.LandDay(f.clock.Now())
	f.clock.Add(48 * time.Hour)
	if _, err := f.through(domain.LandApplication{Kind: domain.LandLease, ContractID: c.ID, Terms: domain.LandTerms{Sub: "rent", Lessee: "合作社", ParcelIDs: c.ParcelIDs[:1], From: "2026-03-06", To: "2030-12-31"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.through(domain.LandApplication{Kind: domain.LandDischarge, ContractID: c.ID, Terms: domain.LandTerms{Mortgage: m.ID}}); err != nil {
		t.Fatal(err)
	}
	after, err := f.svc.LandRegister(f.ctx, reg, h.Unit, day1)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if string(b1) != string(b2) {
		t.Errorf("day %s read\n%s\nbefore and\n%s\nafter later entries", day1, b1, b2)
	}
	figAfter, _ := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day1)
	f1, _ := json.Marshal(figBefore)
	if f2, _ := json.Marshal(figAfter); string(f1) != string(f2) {
		t.Errorf("day 1's figures moved with later entries:\n%s\n%s", f1, f2)
	}
	if fig3, _ := f.svc.LandFigures(f.ctx, reg, demo.LandTown, day3); fig3.Mortgages != 1 || fig3.MortgageFen != 100 {
		t.Errorf("day 3's mortgages: %+v", fig3)
	}
	on3, _ := f.svc.LandRegister(f.ctx, reg, h.Unit, day3)
	now, _ := f.svc.LandRegister(f.ctx, reg, h.Unit, "")
	if len(on3.Right.Mortgages) != 1 || len(on3.Right.Leases) != 0 || len(now.Right.Mortgages) != 0 || len(now.Right.Leases) != 1 {
		t.Errorf("day 3: %+v; now: %+v", on3.Right, now.Right)
	}
	if len(now.Entries) != 4 || now.Entries[0].Right.Certificate == "" {
		t.Errorf("entries: %+v", now.Entries)
	}
	if before.Right.ContractArea != 24690 || before.Right.ContractArea.String() != "2.4690" || before.Right.MeasuredArea.String() != "1646.90" {
		t.Errorf("areas: %v %v", before.Right.ContractArea, before.Right.MeasuredArea)
	}
	// an outsider does not see the unit; a bad day names the field
	if _, err := f.svc.LandRegister(f.ctx, f.users["land.bank"], h.Unit, ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a bank read the register: %v", err)
	}
	if _, err := f.svc.LandRegister(f.ctx, reg, h.Unit, "2026-13-01"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("bad day: %v", err)
	}
}

// TestLandCertificateNumbersGapless: numbers run 1, 2, 3 … per office and year without
// gaps whatever is refused, also when bookings race, and start again in a new year.
func TestLandCertificateNumbersGapless(t *testing.T) {
	f := newLandFixture(t)
	reg := f.users["land.registrar"]
	var apps []domain.LandApplication
	for i := 0; i < 6; i++ {
		_, c := f.household(1, 0)
		a, err := f.svc.ApplyLand(f.ctx, f.users["land.town"], domain.LandApplication{Kind: domain.LandFirst, ContractID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ActOnLand(f.ctx, reg, a.ID, service.LandStepInput{Act: domain.LandReview}); err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	// one refused: it takes no number
	if _, err := f.svc.ActOnLand(f.ctx, reg, apps[2].ID, service.LandStepInput{Act: domain.LandRefuse}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a refusal without a reason: %v", err)
	}
	if _, err := f.svc.ActOnLand(f.ctx, reg, apps[2].ID, service.LandStepInput{Act: domain.LandRefuse, Note: "材料不全"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i, a := range apps {
		if i == 2 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.ActOnLand(f.ctx, reg, a.ID, service.LandStepInput{Act: domain.LandBook}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	f.clock.Set(time.Date(2027, 1, 4, 9, 0, 0, 0, domain.China))
	_, c := f.household(1, 0)
	f.first(c)
	certs, err := f.svc.LandCertificates(f.ctx, reg, demo.LandCounty)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range certs {
		got[c.Number] = true
		if !domain.ValidUnitNo(c.Unit) || len(c.Unit) != 28 {
			t.Errorf("unit number %q", c.Unit)
		}
	}
	want := []string{"湘(2026)洪江区不动产权第0000001号", "湘(2026)洪江区不动产权第0000002号", "湘(2026)洪江区不动产权第0000003号",
		"湘(2026)洪江区不动产权第0000004号", "湘(2026)洪江区不动产权第0000005号", "湘(2027)洪江区不动产权第0000001号"}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing %s among %v", w, got)
		}
	}
	if len(certs) != len(want) {
		t.Errorf("%d certificates, want %d: %v", len(certs), len(want), got)
	}
	// the registrar is the only one who steps
	if _, err := f.svc.ActOnLand(f.ctx, f.users["land.town"], apps[0].ID, service.LandStepInput{Act: domain.LandPrint}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the town printed: %v", err)
	}
	if _, err := f.svc.ActOnLand(f.ctx, reg, apps[0].ID, service.LandStepInput{Act: domain.LandIssue}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("issued before printing: %v", err)
	}
}

// TestLandPersonalDataSealed: members' ID numbers and phones are sealed in the
// database, masked in answers, revealed with a purpose (audited) to the town and the
// centre only; an ID number is in one household.
func TestLandPersonalDataSealed(t *testing.T) {
	f := newLandFixture(t)
	h, _ := f.household(1, 0)
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(f.svc))
	var sealed, phone string
	if err := raw.QueryRowContext(f.ctx, `SELECT id_sealed, phone_sealed FROM land_members`).Scan(&sealed, &phone); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, landID(1)[:10]) || strings.Contains(phone, "1397450") {
		t.Errorf("stored in clear: %q %q", sealed, phone)
	}
	if !h.Masked || strings.Contains(h.Members[0].IDNumber, landID(1)[6:14]) || h.Members[0].Phone != "139****0001" {
		t.Errorf("answer not masked: %+v", h.Members[0])
	}
	clear, err := f.svc.LandHousehold(f.ctx, f.users["land.registrar"], h.ID, "核对身份")
	if err != nil || clear.Members[0].IDNumber != landID(1) {
		t.Errorf("reveal: %v %+v", err, clear.Members)
	}
	if _, err := f.svc.LandHousehold(f.ctx, f.users["land.bank"], h.ID, "x"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a bank read a household: %v", err)
	}
	var n int
	if err := raw.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'land_household.reveal'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("reveals audited: %d %v", n, err)
	}
	_, err = f.svc.PutLandHousehold(f.ctx, f.users["land.town"], domain.LandHousehold{CollectiveID: f.col.ID, Members: []domain.LandMember{{Name: "重", IDNumber: landID(1)}}})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("an ID number in two households: %v", err)
	}
	_, err = f.svc.PutLandHousehold(f.ctx, f.users["land.town"], domain.LandHousehold{CollectiveID: f.col.ID, Members: []domain.LandMember{{Name: "错", IDNumber: "430000"}}})
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "member 1") {
		t.Errorf("a bad ID number: %v", err)
	}
	found, err := f.svc.LandHouseholds(f.ctx, f.users["land.town"], demo.LandTown, landID(1))
	if err != nil || len(found) != 1 || found[0].ID != h.ID {
		t.Errorf("search by ID number: %v %+v", err, found)
	}
}

// TestLandBankChecksWithConsent: the holder sees their certificate and gives a code;
// the bank checks the certificate's current state with it; a wrong code, another role
// or an expired code is refused; after a reissue the old certificate is not current.
func TestLandBankChecksWithConsent(t *testing.T) {
	f := newLandFixture(t)
	holder, bank := f.users["land.holder"], f.users["land.bank"]
	_, c := f.household(2, holder.ID)
	a := f.first(c)
	mine, err := f.svc.LandCertificates(f.ctx, holder, "")
	if err != nil || len(mine) != 1 || mine[0].ID != a.CertID {
		t.Fatalf("the holder's certificates: %v %+v", err, mine)
	}
	if _, err := f.svc.CreateLandConsent(f.ctx, bank, a.CertID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a bank made a consent: %v", err)
	}
	consent, err := f.svc.CreateLandConsent(f.ctx, holder, a.CertID)
	if err != nil {
		t.Fatal(err)
	}
	check, err := f.svc.CheckLandCertificate(f.ctx, bank, consent.Certificate, consent.Code)
	if err != nil || !check.Current || check.Right.ContractArea != 24690 || len(check.Right.Mortgages) != 0 {
		t.Fatalf("check: %v %+v", err, check)
	}
	if _, err := f.svc.CheckLandCertificate(f.ctx, bank, consent.Certificate, "WRONG12345"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("wrong code: %v", err)
	}
	if _, err := f.svc.CheckLandCertificate(f.ctx, f.users["land.town"], consent.Certificate, consent.Code); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the town checked as a bank: %v", err)
	}
	if _, err := f.through(domain.LandApplication{Kind: domain.LandChange, ContractID: c.ID, Terms: domain.LandTerms{Sub: "area",
		Areas: []domain.LandAreaFix{{Parcel: c.ParcelIDs[0], ContractArea: 13000, MeasuredArea: 86700}}}}); err != nil {
		t.Fatal(err)
	}
	if check, err = f.svc.CheckLandCertificate(f.ctx, bank, consent.Certificate, consent.Code); err != nil || check.Current || check.Valid || check.Right.ContractArea != 25345 {
		t.Errorf("the old certificate after a change: %v %+v", err, check)
	}
	f.clock.Add(8 * 24 * time.Hour)
	if _, err := f.svc.CheckLandCertificate(f.ctx, bank, consent.Certificate, consent.Code); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("an expired consent: %v", err)
	}
}

// TestLandDeadlineOnTheCalendar: the limit counts working days on the calendar.
func TestLandDeadlineOnTheCalendar(t *testing.T) {
	f := newLandFixture(t)
	_, c := f.household(1, 0)
	f.clock.Set(time.Date(2026, 3, 6, 9, 0, 0, 0, domain.China)) // a Friday
	a, err := f.svc.ApplyLand(f.ctx, f.users["land.town"], domain.LandApplication{Kind: domain.LandMortgage, ContractID: c.ID,
		Terms: domain.LandTerms{Creditor: "银行", AmountFen: 1, From: "2026-03-06", To: "2027-03-05"}})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a mortgage of an unregistered right: %v", err)
	}
	a, err = f.svc.ApplyLand(f.ctx, f.users["land.town"], domain.LandApplication{Kind: domain.LandFirst, ContractID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	// 20 working days from Friday 6 March 09:00: Friday 3 April 09:00 (no holiday between)
	if want := time.Date(2026, 4, 3, 9, 0, 0, 0, domain.China); !a.DueAt.Equal(want) {
		t.Errorf("due %v, want %v", a.DueAt, want)
	}
	if _, err := f.svc.ApplyLand(f.ctx, f.users["land.town"], domain.LandApplication{Kind: "gift", ContractID: c.ID}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
	// the sweeper flags it once past its limit and tells the centre's registrars
	if n, err := f.svc.SweepLand(f.ctx); err != nil || n != 0 {
		t.Errorf("swept before the limit: %d %v", n, err)
	}
	f.clock.Set(time.Date(2026, 4, 3, 9, 1, 0, 0, domain.China))
	for want := 1; want >= 0; want-- {
		if n, err := f.svc.SweepLand(f.ctx); err != nil || n != want {
			t.Errorf("sweep: %d %v, want %d", n, err, want)
		}
	}
	notes, err := f.svc.Notifications(f.ctx, f.users["land.registrar"], true, 10)
	if err != nil || len(notes) != 1 || notes[0].Kind != "land_overdue" {
		t.Errorf("the registrar's notices: %v %+v", err, notes)
	}
	if as, _ := f.svc.LandApplications(f.ctx, f.users["land.registrar"], demo.LandVillage, true); len(as) != 1 || !as[0].Overdue {
		t.Errorf("the open applications: %+v", as)
	}
}

// TestLandParcelAtPoint finds the parcel under a point, and none outside.
func TestLandParcelAtPoint(t *testing.T) {
	f := newLandFixture(t)
	p := f.parcel()
	poly, err := domain.ParsePolygon(p.Geometry)
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := poly.Centroid()
	got, err := f.svc.LandParcelAt(f.ctx, f.users["land.town"], lon, lat)
	if err != nil || got.ID != p.ID {
		t.Errorf("at the centroid: %v %+v", err, got.Code)
	}
	if _, err := f.svc.LandParcelAt(f.ctx, f.users["land.town"], lon+0.01, lat); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("outside: %v", err)
	}
	// a survey's GeoJSON: all or nothing, a bad feature named
	feature := func(n int, area string) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"code":%q,"name":"塘边","contract_area_mu":%s,"measured_area_m2":"700.5","use":"旱地","class":5},"geometry":%s}`,
			domain.LandParcelCode(demo.LandVillage, "01", n), area, demo.LandSquare(111+float64(n-90000)*0.001, 27.5, 20))
	}
	body := `{"type":"FeatureCollection","features":[` + feature(90001, `"1.05"`) + `,` + feature(90002, `1.2`) + `]}`
	if n, err := f.svc.ImportLandParcels(f.ctx, f.users["land.town"], demo.LandVillage, []byte(body)); err != nil || n != 2 {
		t.Fatalf("import: %d %v", n, err)
	}
	bad := `{"type":"FeatureCollection","features":[` + feature(90003, `"1.05"`) + `,` + feature(90004, `"1.23456"`) + `]}`
	if _, err := f.svc.ImportLandParcels(f.ctx, f.users["land.town"], demo.LandVillage, []byte(bad)); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "feature 2") {
		t.Errorf("a bad area: %v", err)
	}
	if got, err := f.svc.LandParcelAt(f.ctx, f.users["land.town"], 111+2*0.001+0.0001, 27.5001); err != nil || got.ContractArea != 12000 {
		t.Errorf("an imported parcel at its point: %v %+v", err, got.Code)
	}
	if ps, _ := f.svc.LandParcels(f.ctx, f.users["land.town"], demo.LandVillage); len(ps) != 3 {
		t.Errorf("parcels after a refused import: %d, want 3", len(ps))
	}
	if _, err := f.svc.CreateLandParcel(f.ctx, f.users["land.town"], domain.LandParcel{Code: domain.LandParcelCode(demo.LandVillage, "01", 99999), CollectiveID: f.col.ID,
		Name: "大", ContractArea: 1, MeasuredArea: 1, Use: "水田", Class: 1, Geometry: demo.LandSquare(110, 27, 5000)}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a 5 km parcel: %v", err)
	}
}
