package passhash

import (
	"context"
	"errors"
	"testing"
	"time"

	"whistle/domain"
)

var ctx = context.Background()

func TestPasswordHash(t *testing.T) {
	h, err := Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Check(ctx, h, "correct horse"); !ok || err != nil {
		t.Fatalf("the right password: %v %v", ok, err)
	}
	if ok, _ := Check(ctx, h, "correct horsE"); ok {
		t.Fatal("a wrong password checks")
	}
	h2, _ := Hash("correct horse")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$a$b", "$bcrypt$v=1$m=1,t=1,p=1$c2FsdA$",
		"$argon2id$v=19$m=4000000,t=1,p=1$c2FsdHNhbHQ$a2V5", // 4 GiB: would take the server's memory
		"$argon2id$v=19$m=64,t=1000000,p=1$c2FsdHNhbHQ$a2V5"} {
		if ok, err := Check(ctx, bad, ""); ok || err != nil {
			t.Errorf("malformed hash %q: %v %v", bad, ok, err)
		}
	}
}

// TestHashesWaitForASlot: with every slot taken a check waits its turn, is refused as
// unavailable when the wait runs out, stops when its request ends, and runs once a slot
// is free.
func TestHashesWaitForASlot(t *testing.T) {
	h, err := Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	defer Limit(Limit(2, 100*time.Millisecond))
	var held []func()
	for range 2 {
		release, err := acquire(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, release)
	}
	began := time.Now()
	_, err = Check(ctx, h, "correct horse")
	if domain.ErrorCode(err) != domain.EUNAVAILABLE || time.Since(began) < 100*time.Millisecond {
		t.Fatalf("no slot: %v after %s", err, time.Since(began))
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Check(ended, h, "correct horse"); !errors.Is(err, context.Canceled) {
		t.Fatalf("ended request: %v", err)
	}
	go func() { time.Sleep(30 * time.Millisecond); held[0]() }()
	if ok, err := Check(ctx, h, "correct horse"); !ok || err != nil {
		t.Fatalf("after a slot was freed: %v %v", ok, err)
	}
	held[1]()
}
