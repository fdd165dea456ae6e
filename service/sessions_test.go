package service_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"whistle/demo"
	"whistle/domain"
	"whistle/passhash"
)

// addr is the address the tests sign in from.
const addr = "192.0.2.7"

// cheapHash is a PHC argon2id string with tiny parameters, which passhash.Check reads
// from the hash itself, so the throttle test does not pay the production cost.
func cheapHash(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, 1, 64, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func TestLoginThrottleAndTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const pw = "right-password"
	u, err := f.db.PutUser(ctx, domain.User{Login: "throttled", Name: "T", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, cheapHash(pw))
	if err != nil {
		t.Fatal(err)
	}
	token, expires, got, err := f.svc.Login(ctx, addr, "throttled", pw)
	if err != nil || token == "" || got.ID != u.ID || !expires.Equal(f.clock.Now().Add(f.svc.TokenTTL)) {
		t.Fatalf("login: %q %v %+v %v", token, expires, got, err)
	}
	if tu, err := f.db.TokenUser(ctx, token); err != nil || tu.ID != u.ID {
		t.Fatalf("token user: %+v, %v", tu, err)
	}
	for i := 1; i <= 5; i++ {
		_, _, _, err := f.svc.Login(ctx, addr, "throttled", "wrong")
		wantCode(t, err, domain.EUNAUTHORIZED)
	}
	// locked: even the right password is refused, without being checked
	_, _, _, err = f.svc.Login(ctx, addr, "throttled", pw)
	wantCode(t, err, domain.ETOOMANY)
	f.clock.Add(61 * time.Second)
	if _, _, _, err := f.svc.Login(ctx, addr, "throttled", pw); err != nil {
		t.Fatalf("login after the lock ran out: %v", err)
	}
	// the success cleared the failures: four more do not lock
	for i := 0; i < 4; i++ {
		_, _, _, err := f.svc.Login(ctx, addr, "throttled", "wrong")
		wantCode(t, err, domain.EUNAUTHORIZED)
	}
	if _, _, _, err := f.svc.Login(ctx, addr, "throttled", pw); err != nil {
		t.Fatalf("login after four failures and a success: %v", err)
	}
	// an unknown login answers like a wrong password
	_, _, _, err = f.svc.Login(ctx, addr, "nobody.here", "whatever")
	wantCode(t, err, domain.EUNAUTHORIZED)
	// the token dies with its lifetime
	f.clock.Add(f.svc.TokenTTL)
	_, err = f.db.TokenUser(ctx, token)
	wantCode(t, err, domain.EUNAUTHORIZED)
	// a disabled account cannot log in
	u.Disabled = true
	if _, err := f.db.PutUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	_, _, _, err = f.svc.Login(ctx, addr, "throttled", pw)
	wantCode(t, err, domain.EUNAUTHORIZED)
}

// logins signs in n times at once from from, the i-th as try(i) gives, and counts the
// answers by error code ("" for a token).
func (f *fixture) logins(t *testing.T, n int, from string, try func(i int) (login, password string)) map[string]int {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[string]int{}
	for i := range n {
		wg.Go(func() {
			login, password := try(i)
			_, _, _, err := f.svc.Login(ctx, from, login, password)
			mu.Lock()
			got[domain.ErrorCode(err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

// TestLoginBurst: guesses sent at once are held to the limits that hold guesses sent
// one by one: of 60 at once five are checked, after 39 the right password is refused
// too, and of 40 guessed names tried at once from one address 30 are checked.
func TestLoginBurst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, login := range []string{"burst.a", "burst.b"} {
		if _, err := f.db.PutUser(ctx, domain.User{Login: login, Name: "B", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, cheapHash("right-password")); err != nil {
			t.Fatal(err)
		}
	}
	guess := func(login string) func(int) (string, string) {
		return func(i int) (string, string) { return login, fmt.Sprintf("guess-%d", i) }
	}
	if got := f.logins(t, 60, "192.0.2.1", guess("burst.a")); got[domain.EUNAUTHORIZED] != 5 || got[domain.ETOOMANY] != 55 {
		t.Fatalf("60 wrong passwords at once: %v, want 5 unauthorized and 55 too_many_requests", got)
	}
	if got := f.logins(t, 39, "192.0.2.2", guess("burst.b")); got[domain.EUNAUTHORIZED] != 5 || got[domain.ETOOMANY] != 34 {
		t.Fatalf("39 wrong passwords at once: %v", got)
	}
	_, _, _, err := f.svc.Login(ctx, "192.0.2.2", "burst.b", "right-password")
	wantCode(t, err, domain.ETOOMANY)
	names := func(i int) (string, string) { return fmt.Sprintf("no.such.%d", i), "whatever-1" }
	// (each costs a real hash: on a loaded machine a few may find no slot in time)
	if got := f.logins(t, 40, "192.0.2.3", names); got[domain.EUNAUTHORIZED]+got[domain.EUNAVAILABLE] != 30 || got[domain.ETOOMANY] != 10 {
		t.Fatalf("40 unknown logins at once from one address: %v, want 30 checked and 10 too_many_requests", got)
	}
}

// TestLoginCostsOneHashForEveryone: a wrong password, an unknown login and a disabled
// account each cost one hash, so the time of the answer does not tell which it was.
// The three are timed in turn, five rounds, by the CPU time the process spends on each
// (a hash is work for the CPU; the wall clock is the machine's load), and their medians
// compared. Not parallel: it times real hashes.
func TestLoginCostsOneHashForEveryone(t *testing.T) {
	f := newFixture(t)
	for _, u := range []domain.User{{Login: "timed.user"}, {Login: "timed.off", Disabled: true}} {
		u.Name, u.Grants = "T", []domain.Grant{{Role: domain.RoleCitizen}}
		if _, err := f.svc.AddUser(ctx, u, "right-password-1"); err != nil {
			t.Fatal(err)
		}
	}
	tries := []struct{ from, login, password string }{
		{"192.0.2.11", "timed.user", "wrong-password"}, {"192.0.2.12", "no.such.user", "wrong-password"},
		{"192.0.2.13", "timed.off", "right-password-1"}}
	took := make([][]time.Duration, len(tries))
	for range 5 {
		for i, try := range tries {
			began := cpuTime(t)
			_, _, _, err := f.svc.Login(ctx, try.from, try.login, try.password)
			took[i] = append(took[i], cpuTime(t)-began)
			wantCode(t, err, domain.EUNAUTHORIZED)
		}
	}
	median := make([]time.Duration, len(tries))
	for i := range took {
		slices.Sort(took[i])
		median[i] = took[i][2]
	}
	t.Logf("medians: wrong password %s, unknown login %s, disabled account %s", median[0], median[1], median[2])
	for i, m := range median[1:] {
		if m < median[0]/2 || m > median[0]*2 {
			t.Errorf("%s answers in %s, a wrong password in %s", tries[i+1].login, m, median[0])
		}
	}
}

// cpuTime is the CPU time the process has used.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// slowHash costs 32 times a hash of ours (4 × 19 MiB, 16 passes): about a second.
var slowHash = "$argon2id$v=19$m=77824,t=16,p=1$c2FsdHNhbHRzYWx0$" + base64.RawStdEncoding.EncodeToString(make([]byte, 32))

// TestLoginWhenHashesAreBusy: a login that finds no free hash slot within the wait is
// answered unavailable, and its attempt is given back, so the load does not lock a
// person out. Not parallel: it narrows the process's hash slots.
func TestLoginWhenHashesAreBusy(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.AddUser(ctx, domain.User{Login: "busy.user", Name: "B", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, "right-password-1"); err != nil {
		t.Fatal(err)
	}
	slots, wait := passhash.Limit(1, 10*time.Millisecond)
	held := make(chan struct{})
	go func() { // the one slot is taken by a hash of the dearest parameters Check runs
		defer close(held)
		passhash.Check(ctx, slowHash, "x")
	}()
	time.Sleep(50 * time.Millisecond)
	got := f.logins(t, 5, "192.0.2.21", func(int) (string, string) { return "busy.user", "wrong-password" })
	<-held
	passhash.Limit(slots, wait)
	if got[domain.EUNAVAILABLE] != 5 {
		t.Fatalf("5 logins while the one hash slot is taken: %v, want 5 unavailable", got)
	}
	// five attempts were made, but only those checked count: the login is not locked
	if _, _, _, err := f.svc.Login(ctx, "192.0.2.21", "busy.user", "right-password-1"); err != nil {
		t.Fatalf("after logins refused for load: %v", err)
	}
}

// TestTokensEndWithThePassword: a new password and a disable end every token of the
// user at once, the API's and the pages' alike.
func TestTokensEndWithThePassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user("demo.admin")
	u, err := f.svc.SaveUser(ctx, admin, 0, domain.User{Login: "reset.me", Name: "R", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, "first-password-1")
	if err != nil {
		t.Fatal(err)
	}
	login := func(pw string) string {
		t.Helper()
		token, _, _, err := f.svc.Login(ctx, addr, "reset.me", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, got, err := f.svc.Authenticate(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("fresh token: %+v %v", got, err)
		}
		return token
	}
	a, b := login("first-password-1"), login("first-password-1")
	if _, err := f.svc.SaveUser(ctx, admin, u.ID, domain.User{Name: "R", Grants: u.Grants}, "second-password-2"); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{a, b} {
		_, _, err := f.svc.Authenticate(ctx, token)
		wantCode(t, err, domain.EUNAUTHORIZED)
	}
	c := login("second-password-2")
	if _, err := f.svc.SaveUser(ctx, admin, u.ID, domain.User{Name: "R renamed", Grants: u.Grants}, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Authenticate(ctx, c); err != nil {
		t.Fatalf("a change without a new password ended the token: %v", err)
	}
	if _, err := f.svc.SaveUser(ctx, admin, u.ID, domain.User{Name: "R", Grants: u.Grants, Disabled: true}, ""); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Authenticate(ctx, c)
	wantCode(t, err, domain.EUNAUTHORIZED)
}

// TestTokensIdleAndLifetime: a token of the API ends after SessionIdle without a request
// as a page's does, and after TokenTTL however busy.
func TestTokensIdleAndLifetime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	login := func() string {
		t.Helper()
		token, _, _, err := f.svc.Login(ctx, addr, "demo.grid", demo.Password)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	idle := login()
	f.clock.Add(f.svc.SessionIdle - time.Minute) // unused since its issue: still live
	if _, _, err := f.svc.Authenticate(ctx, idle); err != nil {
		t.Fatalf("token ended before its idle limit: %v", err)
	}
	f.clock.Add(f.svc.SessionIdle + time.Minute)
	_, _, err := f.svc.Authenticate(ctx, idle)
	wantCode(t, err, domain.EUNAUTHORIZED)
	if _, _, err := f.svc.Authenticate(ctx, idle); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Fatalf("an idle token came back: %v", err)
	}
	fresh := login()
	f.clock.Add(f.svc.SessionIdle + time.Minute) // never used after its issue
	_, _, err = f.svc.Authenticate(ctx, fresh)
	wantCode(t, err, domain.EUNAUTHORIZED)

	busy := login()
	for used := time.Duration(0); used < f.svc.TokenTTL-time.Hour; used += time.Hour {
		f.clock.Add(time.Hour)
		if _, _, err := f.svc.Authenticate(ctx, busy); err != nil {
			t.Fatalf("token used every hour ended after %s: %v", used+time.Hour, err)
		}
	}
	f.clock.Add(time.Hour)
	_, _, err = f.svc.Authenticate(ctx, busy)
	wantCode(t, err, domain.EUNAUTHORIZED)
}

// TestPasswordRuleOnEveryDoor: the service holds every new password to the domain's
// rule, and nothing is written when it is refused.
func TestPasswordRuleOnEveryDoor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user("demo.admin")
	for _, pw := range []string{"short", "12345678", "password", "QWERTYUIOP", "new.clerk-2026"} {
		_, err := f.svc.SaveUser(ctx, admin, 0, domain.User{Login: "new.clerk", Name: "N", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, pw)
		wantCode(t, err, domain.EINVALID)
		_, err = f.svc.AddUser(ctx, domain.User{Login: "new.clerk", Name: "N", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, pw)
		wantCode(t, err, domain.EINVALID)
	}
	if _, err := f.db.UserByLogin(ctx, "new.clerk"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("user with a refused password exists: %v", err)
	}
	if _, err := f.svc.SaveUser(ctx, admin, 0, domain.User{Login: "new.clerk", Name: "N", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, demo.Password); err != nil {
		t.Fatalf("the demo's password: %v", err)
	}
}
