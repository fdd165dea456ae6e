package demo_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"whistle/demo"
	"whistle/pdf"
	"whistle/service"
	"whistle/whistletest"
)

// TestLoadLand loads the land demo, small (30 households in three villages of 桂花园乡;
// the served demo has 300), and finds 茅头园村's first certificate, number 1 of the year,
// issued to the demo holder, and the town's figures.
func TestLoadLand(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := whistletest.Demo(t, 0)
	db := whistletest.StoreOf(svc)
	start := time.Now()
	if err := demo.LoadLand(ctx, db, 30); err != nil {
		t.Fatal(err)
	}
	t.Logf("land demo loaded in %v", time.Since(start))
	users, err := demo.LandSetup(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := service.New(db).LandCertificates(ctx, users["land.holder"], "")
	if err != nil || len(certs) != 1 || certs[0].Unit != demo.LandVillage+"JC00001W00000000" || certs[0].Seq != 1 {
		t.Fatalf("the holder's certificate: %v %+v", err, certs)
	}
	// printed: the certificate's PDF with its 宗地图
	if body, _, err := service.New(db).LandCertificatePDF(ctx, users["land.holder"], certs[0].ID); err != nil && !errors.Is(err, pdf.ErrNoFont) || err == nil && !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("the first certificate's PDF: %v", err)
	}
	start = time.Now()
	f, err := service.New(db).LandFigures(ctx, users["land.registrar"], demo.LandTown, "")
	t.Logf("the town's figures in %v", time.Since(start))
	if err != nil || f.Households != 30 || f.Registered != 28 || f.Mortgages == 0 || len(f.Leases) == 0 || f.Transfers["exchange"] == 0 ||
		f.TransferArea["exchange"] <= 0 || f.HouseholdProgress == nil || f.CertifiedParcels == 0 || f.ContractedParcels <= f.CertifiedParcels || *f.HouseholdProgress != 0.933 {
		t.Errorf("figures: %v %+v", err, f)
	}
	if err := demo.LoadLand(ctx, db, 30); err != nil { // loaded once
		t.Fatal(err)
	}
}
