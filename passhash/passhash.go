// Package passhash hashes passwords with argon2id and checks them, in the PHC string
// format ($argon2id$v=19$m=…,t=…,p=…$salt$key), so a hash carries its own parameters
// and old hashes keep checking when the parameters change.
//
// Each hash takes argonMemory (19 MiB) while it runs, so the hashes one process runs at
// once are bounded by a semaphore: a burst of logins waits for a slot, and one that
// cannot get a slot within the wait is refused as unavailable (503) instead of taking
// the memory of the whole server.
package passhash

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"whistle/domain"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes), so a login stays well under
// 100 ms on a small server while a stolen hash stays expensive to guess.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// Memory is what one hash holds while it runs, in bytes, for sizing Limit's slots.
const Memory = argonMemory * 1024

// slots bounds the hashes running at once. Each runs on one core (argonThreads), so
// more slots than cores only add memory and latency.
var slots = struct {
	sync.Mutex
	ch   chan struct{}
	wait time.Duration
}{ch: make(chan struct{}, max(1, runtime.NumCPU())), wait: 3 * time.Second}

// Limit sets how many hashes run at once and how long a check waits for its turn
// before it is refused, and tells the settings it replaced; the serve command sizes it
// from the machine's cores and memory.
func Limit(n int, wait time.Duration) (int, time.Duration) {
	slots.Lock()
	defer slots.Unlock()
	was, waited := cap(slots.ch), slots.wait
	slots.ch, slots.wait = make(chan struct{}, max(1, n)), wait
	return was, waited
}

// acquire takes a slot, waiting no longer than ctx and, when bounded, than the set
// wait; it gives the function that releases the slot.
func acquire(ctx context.Context, bounded bool) (func(), error) {
	slots.Lock()
	ch, wait := slots.ch, slots.wait
	slots.Unlock()
	release := func() { <-ch }
	if bounded {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, wait, errBusy)
		defer cancel()
	}
	select {
	case ch <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// errBusy refuses a check that found no slot within the wait.
var errBusy = domain.Errorf(domain.EUNAVAILABLE, "too many sign-ins at once; try again in a few seconds")

// Hash hashes a password with argon2id in the PHC string format, with a new salt. Only
// administrators, commands and the demo set passwords: it waits for its turn as long as
// it takes.
func Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	release, err := acquire(context.Background(), false)
	if err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	release()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check tells whether pw matches a hash made by Hash, in constant time. A malformed
// hash matches nothing; an error is a check that could not run (no slot in time).
func Check(ctx context.Context, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, nil
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 4*argonMemory || t > 16 || p == 0 || p > 16 {
		return false, nil // a hash that would cost more than ours is no hash of ours
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false, nil
	}
	release, err := acquire(ctx, true)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	release()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
