package store_test

import (
	"io"
	"path/filepath"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// A whole installation moves from an embedded SQLite file to this run's engine
// (PostgreSQL when WHISTLE_TEST_POSTGRES is set) and back, equal by counts and
// checksums; a copy cut off part-way completes when run again.
func TestCopyMovesAnInstallation(t *testing.T) {
	src, err := store.Open(ctx, filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	src.Now = func() time.Time { return whistletest.Start }
	if _, err := demo.Load(ctx, src, 300); err != nil {
		t.Fatal(err)
	}
	dst, _ := whistletest.DB(t)
	if err := store.Copy(ctx, src, dst, io.Discard); err != nil {
		t.Fatal(err)
	}
	// cut: lose the tail of the events and notifications, then resume
	r := raw(t, dst)
	if _, err := r.ExecContext(ctx, `DELETE FROM notifications`); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ExecContext(ctx, `DELETE FROM deadlines`); err != nil {
		t.Fatal(err)
	}
	if err := store.Verify(ctx, src, dst, io.Discard); err == nil {
		t.Fatal("verify found no difference after rows were deleted")
	}
	if err := store.Copy(ctx, src, dst, io.Discard); err != nil {
		t.Fatalf("resumed copy: %v", err)
	}
	// the target goes on numbering: a case filed there gets an id after the copied ones
	grid, err := dst.UserByLogin(ctx, "demo.grid")
	if err != nil {
		t.Fatal(err)
	}
	c, err := service.New(dst).File(ctx, grid, domain.NewCase{Matter: "SR-001", Title: "复制后新工单", Region: "431382001001001"})
	if err != nil || c.ID <= 300 {
		t.Fatalf("filing after the copy: %+v, %v", c, err)
	}
	back, err := store.Open(ctx, filepath.Join(t.TempDir(), "back.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if err := store.Copy(ctx, dst, back, io.Discard); err != nil {
		t.Fatalf("copy back: %v", err)
	}
}
