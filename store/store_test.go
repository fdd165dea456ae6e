package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"

	_ "modernc.org/sqlite"
)

var ctx = context.Background()

func raw(t testing.TB, db *store.DB) whistletest.Raw { return whistletest.OpenRaw(t, db) }

func count(t testing.TB, r whistletest.Raw, q string, args ...any) int {
	t.Helper()
	var n int
	if err := r.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if domain.ErrorCode(err) != code {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

// ---- migrations and engine settings ----

// migrationFiles counts the migration versions and gives the highest number among them:
// helpers are given numbers ahead, so a branch may hold 0012 before 0011 lands. A
// version written for each engine (0042_case_words.sqlite.sql) has a file for each.
func migrationFiles(t *testing.T) (n, last int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration files found: %v", err)
	}
	versions := map[int]bool{}
	for _, f := range files {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0])
		if err != nil {
			t.Fatalf("migration %s: %v", f, err)
		}
		versions[v] = true
		last = max(last, v)
	}
	return len(versions), last
}

func TestOpenTwiceIsIdempotent(t *testing.T) {
	t.Parallel()
	want, last := migrationFiles(t)
	path := whistletest.DSN(t)
	for i := 0; i < 2; i++ {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		v, err := db.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != last {
			t.Errorf("open #%d: version %d, want %d (the highest migration file)", i+1, v, last)
		}
		r := raw(t, db)
		if n := count(t, r, `SELECT COUNT(*) FROM schema_migrations`); n != want {
			t.Errorf("open #%d: %d schema_migrations rows, want %d", i+1, n, want)
		}
		if n := count(t, r, `SELECT COUNT(*) FROM schema_migrations WHERE version BETWEEN 1 AND ?`, last); n != want {
			t.Errorf("open #%d: %d versions in 1..%d, want one per file", i+1, n, last)
		}
		if i == 0 { // data put after the first open survives the second
			if err := db.PutOrg(ctx, domain.Org{Code: "ORG", Name: "org"}); err != nil {
				t.Fatal(err)
			}
		} else if _, err := db.Org(ctx, "ORG"); err != nil {
			t.Errorf("org lost on reopen: %v", err)
		}
		r.Close()
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestJournalModeIsWAL(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	whistletest.SkipUnlessSQLite(t, db)
	var mode string
	if err := raw(t, db).QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Fatalf("journal_mode %q, want wal", mode)
	}
}

// The writer enforces foreign keys: a case naming a region and matter that do not
// exist is refused by the engine, and nothing is written.
func TestForeignKeysAreOn(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	u := domain.User{ID: 0, Name: "x"}
	n := domain.NewCase{Matter: "NOPE", Title: "t", Region: "99", Channel: "online", Kind: "request"}
	err := db.Update(ctx, func(tx *store.Tx) error {
		number, err := tx.NextNumber(db.Now())
		if err != nil {
			return err
		}
		e := domain.Intake(u, n, number, domain.Matter{Priority: 3}, db.Now())
		c := &domain.Case{}
		c.Apply(e)
		return tx.Record(nil, c, []domain.Event{e})
	})
	if err == nil || !strings.Contains(strings.ToUpper(err.Error()), "FOREIGN KEY") {
		t.Fatalf("want a foreign key error, got %v", err)
	}
	r := raw(t, db)
	if n := count(t, r, `SELECT COUNT(*) FROM cases`) + count(t, r, `SELECT COUNT(*) FROM case_events`) + count(t, r, `SELECT COUNT(*) FROM counters`); n != 0 {
		t.Fatalf("%d rows left behind by a failed write", n)
	}
}

// The writer waits for a lock held by another connection (busy_timeout) instead of
// failing at once with SQLITE_BUSY.
func TestBusyTimeoutWaitsForOtherWriters(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	whistletest.SkipUnlessSQLite(t, db)
	r := raw(t, db)
	conn, err := r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	const hold = 300 * time.Millisecond
	released := make(chan error, 1)
	go func() {
		time.Sleep(hold)
		_, err := conn.ExecContext(ctx, `COMMIT`)
		released <- err
	}()
	start := time.Now()
	if err := db.PutOrg(ctx, domain.Org{Code: "ORG", Name: "org"}); err != nil {
		t.Fatalf("write while another connection holds the lock: %v (busy_timeout not set?)", err)
	}
	if waited := time.Since(start); waited < hold/2 {
		t.Errorf("write finished after %v although the lock was held for %v", waited, hold)
	}
	if err := <-released; err != nil {
		t.Fatal(err)
	}
}

// ---- users, tokens, login throttle ----

// small gives a database with a little region tree and two orgs.
func small(t *testing.T) (*store.DB, *whistletest.Clock) {
	t.Helper()
	db, clock := whistletest.DB(t)
	var regions []domain.Region
	for _, c := range []string{"43", "4313", "431382", "431382001", "431382001001"} {
		l, _ := domain.LevelOf(c)
		regions = append(regions, domain.Region{Code: c, Name: "r" + c, Level: l, Parent: domain.ParentCode(c)})
	}
	if err := db.PutRegions(ctx, regions); err != nil {
		t.Fatal(err)
	}
	for _, o := range []string{"ORG-A", "ORG-B"} {
		if err := db.PutOrg(ctx, domain.Org{Code: o, Name: o, Region: "431382"}); err != nil {
			t.Fatal(err)
		}
	}
	return db, clock
}

func TestPutUserRejectsBadGrants(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	bad := map[string]domain.Grant{
		"unknown role":              {Role: "emperor", Region: "431382"},
		"officer without org":       {Role: domain.RoleOfficer, Region: "431382"},
		"inspector without org":     {Role: domain.RoleInspector},
		"dispatcher without region": {Role: domain.RoleDispatcher},
		"unknown region":            {Role: domain.RoleDispatcher, Region: "431382999"},
		"malformed region":          {Role: domain.RoleDispatcher, Region: "43a"},
		"unknown org":               {Role: domain.RoleOfficer, Org: "NO-SUCH"},
	}
	for name, g := range bad {
		t.Run(name, func(t *testing.T) {
			u := domain.User{Login: "u." + strings.ReplaceAll(name, " ", "_"), Name: "x",
				Grants: []domain.Grant{{Role: domain.RoleCitizen}, g}}
			_, err := db.PutUser(ctx, u, "hash")
			wantCode(t, err, domain.EINVALID)
			_, err = db.UserByLogin(ctx, u.Login)
			wantCode(t, err, domain.ENOTFOUND)
		})
	}
	// a bad grant on an existing user changes nothing either
	u, err := db.PutUser(ctx, domain.User{Login: "keep", Name: "Keep", Grants: []domain.Grant{{Role: domain.RoleOfficer, Org: "ORG-A"}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.PutUser(ctx, domain.User{Login: "keep", Name: "Changed", Grants: []domain.Grant{{Role: domain.RoleOfficer, Org: "NO-SUCH"}}}, "")
	wantCode(t, err, domain.EINVALID)
	got, err := db.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Keep" || !reflect.DeepEqual(got.Grants, u.Grants) {
		t.Fatalf("refused update changed the user: %+v", got)
	}
	// bad logins and a new user without password
	_, err = db.PutUser(ctx, domain.User{Login: "bad login"}, "hash")
	wantCode(t, err, domain.EINVALID)
	_, err = db.PutUser(ctx, domain.User{Login: "nopw"}, "")
	wantCode(t, err, domain.EINVALID)
}

func TestPutUserStoresGrants(t *testing.T) {
	t.Parallel()
	db, _ := small(t)
	grants := []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382001"}, {Role: domain.RoleOfficer, Region: "431382", Org: "ORG-B"}}
	u, err := db.PutUser(ctx, domain.User{Login: "two.hats", Name: "Two", Phone: "13800000000", Grants: grants}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByLogin(ctx, "two.hats")
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(grants, func(i, j int) bool { return grants[i].Role < grants[j].Role })
	if got.ID != u.ID || got.Phone != "13800000000" || !reflect.DeepEqual(got.Grants, grants) {
		t.Fatalf("got %+v, want grants %+v", got, grants)
	}
	// an update replaces the grants and keeps the password when none is given
	got.Grants = []domain.Grant{{Role: domain.RoleLeader, Region: "431382"}}
	if _, err := db.PutUser(ctx, got, ""); err != nil {
		t.Fatal(err)
	}
	again, _ := db.User(ctx, u.ID)
	if len(again.Grants) != 1 || again.Grants[0].Role != domain.RoleLeader {
		t.Fatalf("grants not replaced: %+v", again.Grants)
	}
	if _, hash, _, err := db.PasswordHash(ctx, "two.hats"); err != nil || hash != "hash" {
		t.Fatalf("password hash %q, %v", hash, err)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	db, clock := small(t)
	u, err := db.PutUser(ctx, domain.User{Login: "tok", Name: "Tok", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	expires := clock.Now().Add(time.Hour)
	for _, tok := range []string{"live", "revoked"} {
		if err := db.PutToken(ctx, tok, u.ID, expires); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.TokenUser(ctx, "live")
	if err != nil || got.ID != u.ID {
		t.Fatalf("live token: %+v, %v", got, err)
	}
	_, err = db.TokenUser(ctx, "never-issued")
	wantCode(t, err, domain.EUNAUTHORIZED)

	if err := db.RevokeToken(ctx, "revoked"); err != nil {
		t.Fatal(err)
	}
	_, err = db.TokenUser(ctx, "revoked")
	wantCode(t, err, domain.EUNAUTHORIZED)
	if _, err := db.TokenUser(ctx, "live"); err != nil {
		t.Fatalf("revoking one token broke another: %v", err)
	}

	// a token stored only by its hash
	r := raw(t, db)
	if n := count(t, r, `SELECT COUNT(*) FROM tokens WHERE hash IN ('live', 'revoked')`); n != 0 {
		t.Fatal("tokens stored in clear")
	}

	clock.Add(59 * time.Minute)
	if _, err := db.TokenUser(ctx, "live"); err != nil {
		t.Fatalf("token refused before it expires: %v", err)
	}
	clock.Add(time.Minute)
	_, err = db.TokenUser(ctx, "live")
	wantCode(t, err, domain.EUNAUTHORIZED)

	// disabling a user revokes their tokens
	clock.Set(whistletest.Start)
	if err := db.PutToken(ctx, "other", u.ID, expires); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if _, err := db.PutUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	_, err = db.TokenUser(ctx, "other")
	wantCode(t, err, domain.EUNAUTHORIZED)
	u.Disabled = false
	if _, err := db.PutUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	_, err = db.TokenUser(ctx, "other")
	wantCode(t, err, domain.EUNAUTHORIZED) // re-enabling does not bring old tokens back
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	db, clock := whistletest.DB(t)
	try := func(login string) error {
		t.Helper()
		err := db.LoginAttempt(ctx, login, "10.0.0.1")
		if err != nil && domain.ErrorCode(err) != domain.ETOOMANY {
			t.Fatal(err)
		}
		return err
	}
	for i := 1; i <= 5; i++ { // the fifth is still checked; it sets the lock
		if err := try("Someone"); err != nil {
			t.Fatalf("attempt %d refused: %v", i, err)
		}
	}
	if try("SOMEONE") == nil { // logins are throttled case-insensitively
		t.Fatal("a sixth attempt within the window was let through")
	}
	if try("someone.else") != nil {
		t.Fatal("another login is locked too")
	}
	clock.Add(61 * time.Second)
	if try("someone") != nil {
		t.Fatal("still locked after the lock ran out")
	}
	clock.Add(61 * time.Second) // that attempt locked for two minutes
	if try("someone") == nil {
		t.Fatal("the lock after the sixth attempt did not double")
	}
	// success clears the login's count: four more attempts and the fifth pass
	if err := db.LoginSucceeded(ctx, "someone", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if try("someone") != nil {
			t.Fatalf("attempt %d after a success refused", i)
		}
	}
	// attempts that could not be checked are given back, and the lock they set lifted
	for range 5 {
		if err := db.LoginRefund(ctx, "someone", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	if try("someone") != nil {
		t.Fatal("refunded attempts still count")
	}
	// attempts spread beyond the window do not add up
	clock.Add(16 * time.Minute)
	for i := 1; i <= 5; i++ {
		if try("spread.out") != nil {
			t.Fatalf("attempt %d of a new window refused", i)
		}
	}
}

// TestLoginAttemptsAtOnce: attempts sent at once are counted one after the other, so
// exactly the limit get through, per login and per address.
func TestLoginAttemptsAtOnce(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	burst := func(n int, login func(i int) string, addr string) (passed int) {
		t.Helper()
		errs := make(chan error, n)
		for i := range n {
			go func() { errs <- db.LoginAttempt(ctx, login(i), addr) }()
		}
		for range n {
			switch err := <-errs; domain.ErrorCode(err) {
			case "":
				passed++
			case domain.ETOOMANY:
			default:
				t.Fatal(err)
			}
		}
		return passed
	}
	if n := burst(60, func(int) string { return "one.login" }, ""); n != 5 {
		t.Fatalf("60 attempts at one login at once: %d got through, want 5", n)
	}
	if n := burst(40, func(i int) string { return fmt.Sprintf("guess.%d", i) }, "10.0.0.9"); n != 30 {
		t.Fatalf("40 logins tried at once from one address: %d got through, want 30", n)
	}
	if err := db.LoginAttempt(ctx, "someone.new", "10.0.0.10"); err != nil {
		t.Fatalf("another address is locked too: %v", err)
	}
}

// ---- cases: the stored row, events, deadlines and rollup agree ----

// demoCases loads the demo with n history cases and reads every case back. The history
// is generated in two runs, so the second adds to months the first wrote: PostgreSQL's
// bulk load then adds its rollup through a scratch table, where the first COPYs it in.
func demoCases(t *testing.T, n int) (*store.DB, demo.Users, []*domain.Case) {
	t.Helper()
	svc, users, _ := whistletest.Demo(t, n/2)
	db := whistletest.StoreOf(svc)
	places, err := db.RegionsAt(ctx, demo.Street, 15)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := demo.GenSpec(ctx, db, demo.Street, places)
	if err != nil {
		t.Fatal(err)
	}
	spec.Cases, spec.Seed = n-n/2, 2
	if err := demo.Generate(ctx, db, spec); err != nil {
		t.Fatal(err)
	}
	ids := raw(t, db).IDs(t, `SELECT id FROM cases ORDER BY id`)
	if len(ids) != n {
		t.Fatalf("demo has %d cases, want %d", len(ids), n)
	}
	cases := make([]*domain.Case, 0, n)
	for _, id := range ids {
		c, err := db.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return db, users, cases
}

func jsonOf(v any) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}

func TestDemoInvariants(t *testing.T) {
	t.Parallel()
	const n = 1200
	db, users, cases := demoCases(t, n)
	r := raw(t, db)

	t.Run("row equals fold of events", func(t *testing.T) {
		statuses := map[domain.Status]int{}
		for _, c := range cases {
			statuses[c.Status]++
			if len(c.Events) != c.Version {
				t.Errorf("case %d: version %d but %d events", c.ID, c.Version, len(c.Events))
			}
			for i, e := range c.Events {
				if e.Seq != i+1 || e.CaseID != c.ID {
					t.Errorf("case %d: event %d has seq %d case %d", c.ID, i, e.Seq, e.CaseID)
				}
			}
			folded := domain.Fold(c.ID, c.Events)
			got, want := whistletest.Canonical(*c), whistletest.Canonical(folded)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("case %d: stored row differs from the fold of its events\nstored: %s\nfolded: %s", c.ID, jsonOf(got), jsonOf(want))
			}
		}
		// the history is varied enough for the check to mean something
		for _, s := range []domain.Status{domain.StatusClosed, domain.StatusRejected} {
			if statuses[s] == 0 {
				t.Errorf("no demo case is %s: %v", s, statuses)
			}
		}
		t.Logf("statuses: %v", statuses)
	})

	t.Run("overdue column and lead org rows", func(t *testing.T) {
		byID := map[int64]*domain.Case{}
		for _, c := range cases {
			byID[c.ID] = c
		}
		rows, err := r.QueryContext(ctx, `SELECT c.id, c.overdue, (SELECT COUNT(*) FROM case_orgs o WHERE o.case_id = c.id AND o.role = 'lead' AND o.org = c.lead_org) FROM cases c`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var overdue, lead int
			if err := rows.Scan(&id, &overdue, &lead); err != nil {
				t.Fatal(err)
			}
			c := byID[id]
			if (overdue == 1) != c.Overdue() {
				t.Errorf("case %d: overdue column %d, case says %v", id, overdue, c.Overdue())
			}
			if wantLead := c.LeadOrg != ""; (lead == 1) != wantLead {
				t.Errorf("case %d: lead org %q has %d lead rows", id, c.LeadOrg, lead)
			}
		}
	})

	t.Run("deadlines are the pending deadlines", func(t *testing.T) {
		want := map[string]bool{}
		for _, c := range cases {
			for _, p := range c.Pending() {
				want[fmt.Sprintf("%d/%s/%s/%d", c.ID, p.Kind, p.Org, p.Due.Unix())] = true
			}
		}
		got := map[string]bool{}
		rows, err := r.QueryContext(ctx, `SELECT case_id, kind, org, due_at FROM deadlines`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, due int64
			var kind, org string
			if err := rows.Scan(&id, &kind, &org, &due); err != nil {
				t.Fatal(err)
			}
			got[fmt.Sprintf("%d/%s/%s/%d", id, kind, org, due)] = true
		}
		for k := range want {
			if !got[k] {
				t.Errorf("pending deadline %s missing from the deadlines table", k)
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("deadlines row %s is not a pending deadline of its case", k)
			}
		}
		if len(want) == 0 {
			t.Error("the demo has no running deadline at all; the check proves nothing")
		}
		t.Logf("%d running deadlines", len(want))
	})

	t.Run("case numbers are unique", func(t *testing.T) {
		format := regexp.MustCompile(`^\d{8}-\d{6}$`)
		seen := map[string]int64{}
		for _, c := range cases {
			if !format.MatchString(c.Number) {
				t.Errorf("case %d number %q", c.ID, c.Number)
			}
			if c.Number != c.CreatedAt.In(domain.China).Format("20060102")+c.Number[8:] {
				t.Errorf("case %d number %q is not of its day %s", c.ID, c.Number, c.CreatedAt)
			}
			if other, ok := seen[c.Number]; ok {
				t.Errorf("cases %d and %d share number %s", other, c.ID, c.Number)
			}
			seen[c.Number] = c.ID
		}
	})

	t.Run("rollup equals recomputation", func(t *testing.T) {
		type sums struct {
			counters []int64
			ack, res []int64
		}
		groupOf := map[string]func(domain.RollupKey) string{
			"":        func(domain.RollupKey) string { return "" },
			"org":     func(k domain.RollupKey) string { return k.Org },
			"matter":  func(k domain.RollupKey) string { return k.Matter },
			"channel": func(k domain.RollupKey) string { return string(k.Channel) },
			"region":  func(k domain.RollupKey) string { return k.Region[:12] },
		}
		// the street reads the rollup; its first community by dimension is folded
		// from its cases (domain.DimDepth), by region and in total read the rollup
		community := demo.Street + "001"
		for _, q := range []domain.StatsQuery{
			{Region: demo.Street, By: ""}, {Region: demo.Street, By: "org"}, {Region: demo.Street, By: "matter"},
			{Region: demo.Street, By: "channel"}, {Region: demo.Street, By: "region"},
			{Region: community, By: ""}, {Region: community, By: "org"}, {Region: community, By: "matter"}, {Region: community, By: "channel"},
		} {
			by, group := q.By, groupOf[q.By]
			want := map[string]*sums{}
			var in int64
			for _, c := range cases {
				if !strings.HasPrefix(c.Region, q.Region) {
					continue
				}
				in++
				k, tally := c.Rollup()
				g := group(k)
				s := want[g]
				if s == nil {
					s = &sums{counters: make([]int64, len(domain.CounterNames)), ack: make([]int64, len(domain.DurationBuckets)), res: make([]int64, len(domain.DurationBuckets))}
					want[g] = s
				}
				for i, p := range tally.Counters() {
					s.counters[i] += *p
				}
				if tally.AckBucket >= 0 {
					s.ack[tally.AckBucket]++
				}
				if tally.ResolveBucket >= 0 {
					s.res[tally.ResolveBucket]++
				}
			}
			q.From, q.To = "2000-01-01", "2100-12-31"
			stats, err := db.Stats(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]*sums{}
			for _, st := range stats {
				s := &sums{counters: make([]int64, len(domain.CounterNames)), ack: st.AckHist, res: st.ResolveHist}
				for i, p := range st.Counters() {
					s.counters[i] = *p
				}
				got[st.Group] = s
			}
			zero := &sums{counters: make([]int64, len(domain.CounterNames)), ack: make([]int64, len(domain.DurationBuckets)), res: make([]int64, len(domain.DurationBuckets))}
			for g := range union(want, got) {
				w, gt := want[g], got[g]
				if w == nil {
					w = zero
				}
				if gt == nil {
					gt = zero
				}
				if !reflect.DeepEqual(w, gt) {
					t.Errorf("%s by=%q group %q:\n stats      %v ack %v res %v\n recomputed %v ack %v res %v", q.Region, by, g,
						gt.counters, gt.ack, gt.res, w.counters, w.ack, w.res)
				}
			}
			if by == "" && (got[""] == nil || got[""].counters[0] != in || in == 0) {
				t.Errorf("%s: total received %v, want %d (and some)", q.Region, got[""], in)
			}
			if q.Region == demo.Street && in != n {
				t.Errorf("%d of the %d cases are in the demo street", in, n)
			}
		}
		// a period outside the history holds nothing
		stats, err := db.Stats(ctx, domain.StatsQuery{Region: demo.Street, From: "2000-01-01", To: "2000-12-31"})
		if err != nil || len(stats) != 0 {
			t.Errorf("stats of an empty period: %v, %v", stats, err)
		}
		_, err = db.Stats(ctx, domain.StatsQuery{Region: demo.Street, By: "weather"})
		wantCode(t, err, domain.EINVALID)
	})

	// The filters of a list narrow what a user sees and never widen it.
	t.Run("filters", func(t *testing.T) {
		admin := users["demo.admin"]
		yes := true
		from := whistletest.Start.AddDate(0, -3, 0)
		filters := map[string]struct {
			f    domain.CaseFilter
			keep func(c *domain.Case) bool
		}{
			"status":  {domain.CaseFilter{Status: []domain.Status{domain.StatusClosed, domain.StatusRejected}}, func(c *domain.Case) bool { return c.Status == domain.StatusClosed || c.Status == domain.StatusRejected }},
			"region":  {domain.CaseFilter{Region: "431382001205"}, func(c *domain.Case) bool { return strings.HasPrefix(c.Region, "431382001205") }},
			"org":     {domain.CaseFilter{Org: "LY-CGJ"}, func(c *domain.Case) bool { return c.Involves("LY-CGJ") }},
			"matter":  {domain.CaseFilter{Matter: cases[0].Matter}, func(c *domain.Case) bool { return c.Matter == cases[0].Matter }},
			"channel": {domain.CaseFilter{Channel: "hotline"}, func(c *domain.Case) bool { return c.Channel == "hotline" }},
			"kind":    {domain.CaseFilter{Kind: "hazard"}, func(c *domain.Case) bool { return c.Kind == "hazard" }},
			"overdue": {domain.CaseFilter{Overdue: &yes}, func(c *domain.Case) bool { return c.Overdue() }},
			"from":    {domain.CaseFilter{From: &from}, func(c *domain.Case) bool { return !c.CreatedAt.Before(from) }},
			"number":  {domain.CaseFilter{Q: cases[7].Number}, func(c *domain.Case) bool { return c.ID == cases[7].ID }},
			"q":       {domain.CaseFilter{Q: "100%_"}, func(c *domain.Case) bool { return false }},
		}
		for name, tc := range filters {
			t.Run(name, func(t *testing.T) {
				want := 0
				for _, c := range cases {
					if tc.keep(c) {
						want++
					}
				}
				tc.f.Limit = 61
				list := listAll(t, db, admin, tc.f)
				for _, c := range list {
					if !tc.keep(c) {
						t.Errorf("case %d does not match the filter", c.ID)
					}
				}
				if len(list) != want {
					t.Errorf("%d cases listed, want %d", len(list), want)
				}
			})
		}
	})

	t.Run("visibility SQL equals domain.Visible", func(t *testing.T) {
		all := []domain.User{
			{ID: 0, Login: "nobody"},
			{ID: 999999, Login: "ghost", Grants: []domain.Grant{{Role: domain.RoleCitizen}}},
			{ID: 999998, Login: "root", Grants: []domain.Grant{{Role: domain.RoleAdmin}}},
			{ID: 999997, Login: "narrow.officer", Grants: []domain.Grant{{Role: domain.RoleOfficer, Org: "LY-CGJ", Region: "431382001001"}}},
			{ID: 999996, Login: "mixed", Grants: []domain.Grant{{Role: domain.RoleGridWorker, Region: "431382001205"}, {Role: domain.RoleInspector, Org: "LY-SJJ"}, {Role: domain.RoleVolunteer, Region: demo.Street}}},
			{ID: 999995, Login: "elsewhere", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382002"}}},
			{ID: 999994, Login: "liaison.helper", Grants: []domain.Grant{{Role: domain.RoleLiaison, Org: "LT-JDB"}, {Role: domain.RoleHelper, Region: demo.Street}}},
		}
		logins := make([]string, 0, len(users))
		for l := range users {
			logins = append(logins, l)
		}
		sort.Strings(logins)
		for _, l := range logins {
			all = append(all, users[l])
		}
		for _, u := range all {
			want := map[int64]bool{}
			for _, c := range cases {
				if domain.Visible(u, c) {
					want[c.ID] = true
				}
			}
			got := map[int64]bool{}
			for _, c := range listAll(t, db, u, domain.CaseFilter{Limit: 199}) {
				got[c.ID] = true
			}
			if !reflect.DeepEqual(want, got) {
				var missing, extra []int64
				for id := range want {
					if !got[id] {
						missing = append(missing, id)
					}
				}
				for id := range got {
					if !want[id] {
						extra = append(extra, id)
					}
				}
				t.Errorf("%s: list and domain.Visible differ: missing %v, extra %v", u.Login, missing, extra)
			}
			t.Logf("%-24s sees %d cases", u.Login, len(want))
		}
	})
}

// listAll walks every page of a list, checking that pages are newest first, never
// repeat a case and end.
func listAll(t *testing.T, db *store.DB, u domain.User, f domain.CaseFilter) []*domain.Case {
	t.Helper()
	var out []*domain.Case
	seen := map[int64]bool{}
	var last int64
	for page := 0; ; page++ {
		list, next, err := db.Cases(ctx, u, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > f.Limit {
			t.Fatalf("%s: page of %d cases, limit %d", u.Login, len(list), f.Limit)
		}
		for _, c := range list {
			if seen[c.ID] {
				t.Fatalf("%s: case %d listed twice", u.Login, c.ID)
			}
			if last != 0 && c.ID >= last {
				t.Fatalf("%s: list not newest first (%d after %d)", u.Login, c.ID, last)
			}
			seen[c.ID], last = true, c.ID
			out = append(out, c)
		}
		if next == 0 {
			return out
		}
		if page > 10000 {
			t.Fatalf("%s: pagination does not end", u.Login)
		}
		f.After = next
	}
}

func union[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
