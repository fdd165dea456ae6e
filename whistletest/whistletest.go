// Package whistletest gives tests a real database: a fresh SQLite file per test,
// optionally loaded with the demo district and a clock the test moves.
package whistletest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/service"
	"whistle/store"
)

// Start is the tests' "now": Monday 2 March 2026, 09:00 in China, a working day.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Clock is a settable clock safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now tells the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// DB opens a fresh, migrated database for t, closed when t ends, on the test clock.
func DB(t testing.TB) (*store.DB, *Clock) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &Clock{t: Start}
	db.Now = clock.Now
	return db, clock
}

// Demo opens a fresh database loaded with the demo district and cases history cases.
func Demo(t testing.TB, cases int) (*service.Service, demo.Users, *Clock) {
	t.Helper()
	db, clock := DB(t)
	svc := service.New(db)
	if _, err := demo.Load(context.Background(), svc, cases); err != nil {
		t.Fatal(err)
	}
	users := demo.Users{}
	all, err := db.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range all {
		users[u.Login] = u
	}
	return svc, users, clock
}
