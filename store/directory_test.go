package store_test

import (
	"slices"
	"testing"
	"time"

	"whistle/domain"
	"whistle/store"
)

// TestDirectoryCopiesFollowOtherProcesses changes tokens, users, matters and regions
// through a second handle on the same database (another server process) and checks that
// the first, which holds copies of them, sees every change on its next request.
func TestDirectoryCopiesFollowOtherProcesses(t *testing.T) {
	t.Parallel()
	a, clock := small(t)
	b, err := store.Open(ctx, a.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.Now = clock.Now
	rctx := ctx
	fresh := func() { // a's next request: it reads the version once
		t.Helper()
		c, err := a.Fresh(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rctx = c
	}
	u, err := a.PutUser(ctx, domain.User{Login: "disp", Name: "D", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382"}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.PutToken(ctx, "tok", u.ID, clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	m := domain.Matter{Code: "M-1", Name: "旧名", Class: "市容环境", Category: "event", LeadOrg: "ORG-A", AckDeadline: domain.Deadline{N: 2, Unit: domain.UnitHour}, Deadline: domain.Deadline{N: 5, Unit: domain.UnitDay}, Priority: 3}
	if err := a.PutMatters(ctx, []domain.Matter{m}); err != nil {
		t.Fatal(err)
	}

	// fill a's copies
	fresh()
	if got, err := a.TokenUser(rctx, "tok"); err != nil || got.ID != u.ID {
		t.Fatalf("token: %+v %v", got, err)
	}
	if got, err := a.Matter(rctx, "M-1"); err != nil || got.Name != "旧名" {
		t.Fatalf("matter: %+v %v", got, err)
	}
	if got, err := a.Region(rctx, "431382001"); err != nil || got.Name != "r431382001" {
		t.Fatalf("region: %+v %v", got, err)
	}
	if got, err := a.Dispatchers(rctx, "431382001001"); err != nil || !slices.Equal(got, []int64{u.ID}) {
		t.Fatalf("dispatchers: %v %v", got, err)
	}

	// b changes each of them
	m.Name = "新名"
	if err := b.PutMatters(ctx, []domain.Matter{m}); err != nil {
		t.Fatal(err)
	}
	if err := b.PutRegions(ctx, []domain.Region{{Code: "431382001", Name: "改名街道", Level: domain.LevelTown, Parent: "431382"}}); err != nil {
		t.Fatal(err)
	}
	other, err := b.PutUser(ctx, domain.User{Login: "disp2", Name: "E", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382001"}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.RevokeToken(ctx, "tok"); err != nil {
		t.Fatal(err)
	}

	fresh()
	if _, err := a.TokenUser(rctx, "tok"); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Fatalf("a revoked token still works on the other server: %v", err)
	}
	if got, _ := a.Matter(rctx, "M-1"); got.Name != "新名" {
		t.Fatalf("matter renamed elsewhere still reads %q", got.Name)
	}
	if got, _ := a.Region(rctx, "431382001"); got.Name != "改名街道" {
		t.Fatalf("region renamed elsewhere still reads %q", got.Name)
	}
	if got, _ := a.Dispatchers(rctx, "431382001001"); !slices.Equal(got, []int64{u.ID, other.ID}) {
		t.Fatalf("dispatchers after a grant elsewhere: %v", got)
	}
}
