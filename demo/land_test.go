package demo_test

import (
	"context"
	"testing"
	"time"

	"whistle/demo"
	"whistle/service"
	"whistle/whistletest"
)

// TestLoadLand loads the land demo (a few hundred households in three villages of
// 桂花园乡) and finds 茅头园村's first certificate, number 1 of the year, issued to the
// demo holder.
func TestLoadLand(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := whistletest.Demo(t, 0)
	db := whistletest.StoreOf(svc)
	start := time.Now()
	if err := demo.LoadLand(ctx, db, 300); err != nil {
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
	f, err := service.New(db).LandFigures(ctx, users["land.registrar"], demo.LandTown, "")
	if err != nil || f.Households != 300 || f.Registered < 290 || f.Mortgages == 0 || len(f.Leases) == 0 {
		t.Errorf("figures: %v %+v", err, f)
	}
	if err := demo.LoadLand(ctx, db, 300); err != nil { // loaded once
		t.Fatal(err)
	}
}
