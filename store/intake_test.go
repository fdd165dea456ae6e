package store_test

import (
	"context"
	"testing"

	"whistle/whistletest"
)

// TestRateLimitWindows: counts per key and window, shared through the database, and a
// limiter's past windows are dropped as new ones begin.
func TestRateLimitWindows(t *testing.T) {
	db, _ := whistletest.DB(t)
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		ok, err := db.Hit(ctx, "follow:1.2.3.4", 100, 3)
		if err != nil || ok != (i <= 3) {
			t.Fatalf("hit %d: %v %v", i, ok, err)
		}
	}
	if ok, _ := db.Hit(ctx, "follow:5.6.7.8", 100, 3); !ok {
		t.Fatal("another address shares the first one's count")
	}
	if ok, _ := db.Hit(ctx, "report:1.2.3.4", 7, 1); !ok {
		t.Fatal("another limiter shares the count")
	}
	if ok, _ := db.Hit(ctx, "follow:1.2.3.4", 101, 3); !ok {
		t.Fatal("a new window starts from zero")
	}
	var rows int
	if err := whistletest.OpenRaw(t, db).QueryRowContext(ctx, `SELECT COUNT(*) FROM rate_limits`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 2 { // follow:1.2.3.4 in window 101 and report:1.2.3.4
		t.Fatalf("%d rate-limit rows kept, want 2", rows)
	}
}
