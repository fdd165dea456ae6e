package service_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"

	_ "modernc.org/sqlite"
)

var ctx = context.Background()

// fixture is the demo district without history, and a side connection to its file.
type fixture struct {
	svc   *service.Service
	db    *store.DB
	users demo.Users
	clock *whistletest.Clock
	raw   whistletest.Raw
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	svc, users, clock := whistletest.Demo(t, 0)
	return &fixture{svc: svc, db: whistletest.StoreOf(svc), users: users, clock: clock, raw: whistletest.OpenRaw(t, whistletest.StoreOf(svc))}
}

// user gives a demo user by login; logins are stored in lower case.
func (f *fixture) user(login string) domain.User {
	u, ok := f.users[strings.ToLower(login)]
	if !ok {
		panic("no demo user " + login)
	}
	return u
}

func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.raw.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// snapshot counts every table a case write touches, to show that a refusal wrote nothing.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	var out string
	for _, table := range []string{"cases", "case_events", "case_orgs", "deadlines", "notifications", "counters"} {
		out += fmt.Sprintf("%s=%d ", table, f.count(t, `SELECT COUNT(*) FROM `+table))
	}
	var versions, rollup sql.NullInt64
	if err := f.raw.QueryRowContext(ctx, `SELECT SUM(version) FROM cases`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if err := f.raw.QueryRowContext(ctx, `SELECT SUM(received + accepted + dispatched + rejected + acked + overdue)
		FROM (SELECT * FROM case_rollup UNION ALL SELECT * FROM rollup_pending) r`).Scan(&rollup); err != nil {
		t.Fatal(err)
	}
	return out + fmt.Sprintf("versions=%d rollup=%d", versions.Int64, rollup.Int64)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if domain.ErrorCode(err) != code {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

const region = "431382001001" // 民光社区, in the demo street

func (f *fixture) file(t *testing.T, login string) *domain.Case {
	t.Helper()
	return f.fileAt(t, login, region)
}

// fileAt files a call by the hotline as a dispatcher, or what a grid worker found on
// patrol: each by the channel their role files by.
func (f *fixture) fileAt(t *testing.T, login, region string) *domain.Case {
	t.Helper()
	u, ch := f.user(login), domain.Channel("hotline")
	if !u.Has(domain.RoleDispatcher) {
		ch = "grid_patrol"
	}
	c, err := f.svc.File(ctx, u, domain.NewCase{Matter: "SR-001", Title: "路边垃圾未清运", Region: region,
		Channel: ch, Kind: "request", Reporter: domain.Reporter{Name: "张三", Phone: "13800001111"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// act takes an action at the case's current version.
func (f *fixture) act(t *testing.T, login string, id int64, cmd domain.Command) *domain.Case {
	t.Helper()
	c, err := f.db.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Version = c.Version
	after, err := f.svc.Act(ctx, f.user(login), id, cmd)
	if err != nil {
		t.Fatalf("%s %s: %v", login, cmd.Action, err)
	}
	return after
}

// check holds a stored case to its events and its deadlines rows to its pending ones.
func (f *fixture) check(t *testing.T, id int64) *domain.Case {
	t.Helper()
	c, err := f.db.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	folded := domain.Fold(c.ID, c.Events)
	if got, want := whistletest.Canonical(*c), whistletest.Canonical(folded); !reflect.DeepEqual(got, want) {
		t.Errorf("case %d: row differs from the fold of its events\nrow:  %+v\nfold: %+v", id, got, want)
	}
	want := map[string]bool{}
	for _, p := range c.Pending() {
		want[fmt.Sprintf("%s/%s/%d", p.Kind, p.Org, p.Due.Unix())] = true
	}
	got := map[string]bool{}
	rows, err := f.raw.QueryContext(ctx, `SELECT kind, org, due_at FROM deadlines WHERE case_id = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, org string
		var due int64
		if err := rows.Scan(&kind, &org, &due); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprintf("%s/%s/%d", kind, org, due)] = true
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("case %d: deadlines rows %v, pending %v", id, got, want)
	}
	return c
}

// checkRollup holds the statistics of the whole street, by lead org, to a recount of
// the tallies of every stored case.
func (f *fixture) checkRollup(t *testing.T) {
	t.Helper()
	want := map[string][]int64{}
	for _, id := range f.raw.IDs(t, `SELECT id FROM cases`) {
		c, err := f.db.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		k, tally := c.Rollup()
		sums := want[k.Org]
		if sums == nil {
			sums = make([]int64, len(domain.CounterNames))
			want[k.Org] = sums
		}
		for i, p := range tally.Counters() {
			sums[i] += *p
		}
	}
	stats, err := f.db.Stats(ctx, domain.StatsQuery{Region: demo.Street, From: "2000-01-01", To: "2100-12-31", By: "org"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int64{}
	for _, st := range stats {
		sums := make([]int64, len(domain.CounterNames))
		zero := true
		for i, p := range st.Counters() {
			sums[i] = *p
			zero = zero && *p == 0
		}
		if !zero {
			got[st.Group] = sums
		}
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("rollup by org %v\nrecount       %v\n(counters %v)", got, want, domain.CounterNames)
	}
}

// ---- File ----

// TestFileRefusalsWriteNothing: a refused filing, direct or through a door, leaves the
// database as it was.
func TestFileRefusalsWriteNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := f.snapshot(t)
	disp := f.user("demo.dispatcher")
	refused := func(t *testing.T, err error, code string) {
		wantCode(t, err, code)
		if after := f.snapshot(t); after != before {
			t.Fatalf("refused filing wrote something:\nbefore %s\nafter  %s", before, after)
		}
	}
	for name, tc := range map[string]struct {
		u    domain.User
		n    domain.NewCase
		code string
	}{
		"unknown matter":          {disp, domain.NewCase{Matter: "NO-SUCH", Title: "x", Region: region}, domain.EINVALID},
		"unknown region":          {disp, domain.NewCase{Matter: "SR-001", Title: "x", Region: "431382001999"}, domain.EINVALID},
		"malformed region":        {disp, domain.NewCase{Matter: "SR-001", Title: "x", Region: "not-a-code"}, domain.EINVALID},
		"no title":                {disp, domain.NewCase{Matter: "SR-001", Title: "  ", Region: region}, domain.EINVALID},
		"unknown channel":         {disp, domain.NewCase{Matter: "SR-001", Title: "x", Region: region, Channel: "pigeon"}, domain.EINVALID},
		"lat without lon":         {disp, domain.NewCase{Matter: "SR-001", Title: "x", Region: region, Lat: new(float64)}, domain.EINVALID},
		"outside the filer scope": {f.user("demo.other"), domain.NewCase{Matter: "SR-001", Title: "x", Region: region}, domain.EFORBIDDEN},
		"leader does not file":    {f.user("demo.leader"), domain.NewCase{Matter: "SR-001", Title: "x", Region: region}, domain.EFORBIDDEN},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.File(ctx, tc.u, tc.n)
			refused(t, err, tc.code)
		})
	}
	// a door's jurisdiction and details
	for name, tc := range map[string]struct {
		in   service.Intake
		says string
	}{
		"outside the jurisdiction": {service.Intake{Case: domain.NewCase{Matter: "SR-001", Title: "x", Region: region}, Within: "431382001205"},
			"outside jurisdiction 431382001205"},
		"unknown matter at a door": {service.Intake{Case: domain.NewCase{Matter: "NO-SUCH", Title: "x", Region: region}, Within: "431382001"},
			"unknown matter"},
		"liaison without enterprise": {service.Intake{Case: domain.NewCase{Matter: "SR-001", Title: "x", Region: region, Channel: "liaison"}},
			"give its code"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.FileIntake(ctx, disp, tc.in)
			refused(t, err, domain.EINVALID)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("refusal %v does not say %q", err, tc.says)
			}
		})
	}
}

func TestFileRecordsCaseAndNotifiesDispatchers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	citizen := f.user("demo.citizen")
	c, err := f.svc.File(ctx, citizen, domain.NewCase{Matter: "SR-001", Title: "垃圾", Region: region,
		Reporter: domain.Reporter{Name: "张三", Phone: "13800001111"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != domain.StatusReported || c.Version != 1 || c.Reporter.UserID != citizen.ID || c.Channel != "online" || c.Priority == 0 {
		t.Fatalf("filed case: %+v", c)
	}
	if c.Reporter.Phone != "13800001111" {
		t.Errorf("the reporter sees their own phone masked: %q", c.Reporter.Phone)
	}
	wantNumber := whistletest.Start.Format("20060102") + "-000001"
	if c.Number != wantNumber {
		t.Errorf("number %s, want %s", c.Number, wantNumber)
	}
	f.check(t, c.ID)
	// the street's dispatcher and the county's hear of it; a grid worker sees it masked
	for _, login := range []string{"demo.dispatcher", "demo.county"} {
		ns, err := f.db.Notifications(ctx, f.user(login).ID, true, 10)
		if err != nil || len(ns) != 1 || ns[0].CaseID != c.ID || ns[0].Kind != "new_case" {
			t.Errorf("%s notifications: %+v, %v", login, ns, err)
		}
	}
	if ns, err := f.db.Notifications(ctx, f.user("demo.other").ID, true, 10); err != nil || len(ns) != 0 {
		t.Errorf("another street's dispatcher was notified: %+v (%v)", ns, err)
	}
	seen, err := f.svc.Case(ctx, f.user("demo.leader"), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if seen.Reporter.Phone == "13800001111" || seen.Reporter.Name == "张三" {
		t.Errorf("leader sees personal data: %+v", seen.Reporter)
	}
	// the intake event carries the report as filed: it is masked the same way
	if len(seen.Events) == 0 || seen.Events[0].Data.Intake == nil {
		t.Fatalf("case read without its intake event: %+v", seen.Events)
	}
	if r := seen.Events[0].Data.Intake.Reporter; r.Phone == "13800001111" || r.Name == "张三" {
		t.Errorf("leader sees personal data in the intake event: %+v", r)
	}
	// the answer to File is built in memory: it reads exactly as the case read back
	again, err := f.svc.Case(ctx, citizen, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := jsonText(t, c), jsonText(t, again); a != b {
		t.Errorf("File answered\n%s\nbut the case reads back as\n%s", a, b)
	}
	for _, login := range []string{"demo.dispatcher", "demo.citizen"} { // who calls back, and the reporter
		full, err := f.svc.Case(ctx, f.user(login), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Reporter.Phone != "13800001111" || full.Events[0].Data.Intake.Reporter.Phone != "13800001111" {
			t.Errorf("%s sees the phone masked: %+v", login, full.Reporter)
		}
	}
	_, err = f.svc.Case(ctx, f.user("demo.other"), c.ID)
	wantCode(t, err, domain.ENOTFOUND)
}

// ---- Act ----

func TestActRefusalsWriteNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.file(t, "demo.dispatcher")
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept})
	before := f.snapshot(t)
	disp := f.user("demo.dispatcher")
	for name, tc := range map[string]struct {
		u    domain.User
		cmd  domain.Command
		code string
	}{
		"stale version":      {disp, domain.Command{Action: domain.ActDispatch, Version: 1}, domain.ESTALE},
		"future version":     {disp, domain.Command{Action: domain.ActDispatch, Version: 9}, domain.ESTALE},
		"stale same action":  {disp, domain.Command{Action: domain.ActAccept, Version: 1}, domain.ESTALE},
		"wrong state":        {disp, domain.Command{Action: domain.ActClose, Version: 2}, domain.ECONFLICT},
		"wrong role":         {f.user("demo.leader"), domain.Command{Action: domain.ActDispatch, Version: 2}, domain.EFORBIDDEN},
		"out of scope":       {f.user("demo.other"), domain.Command{Action: domain.ActDispatch, Version: 2}, domain.ENOTFOUND},
		"unknown org":        {disp, domain.Command{Action: domain.ActDispatch, Version: 2, Org: "NO-SUCH"}, domain.EINVALID},
		"reject sans reason": {disp, domain.Command{Action: domain.ActReject, Version: 2}, domain.EINVALID},
		"unknown action":     {disp, domain.Command{Action: "teleport", Version: 2}, domain.ENOTFOUND},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Act(ctx, tc.u, c.ID, tc.cmd)
			wantCode(t, err, tc.code)
			if after := f.snapshot(t); after != before {
				t.Fatalf("refused action wrote something:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	_, err := f.svc.Act(ctx, disp, 987654, domain.Command{Action: domain.ActAccept, Version: 1})
	wantCode(t, err, domain.ENOTFOUND)
	if got := f.check(t, c.ID); got.Version != 2 || len(got.Events) != 2 {
		t.Fatalf("case changed: version %d, %d events", got.Version, len(got.Events))
	}
}

// Twenty people press the same button on the same version at once: one wins.
func TestConcurrentActOneWins(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	disp := f.user("demo.dispatcher")
	for _, tc := range []struct {
		name string
		cmd  func(i int) domain.Command
	}{
		{"same action", func(int) domain.Command { return domain.Command{Action: domain.ActAccept, Version: 1} }},
		{"different actions", func(i int) domain.Command {
			return []domain.Command{{Action: domain.ActAccept, Version: 1}, {Action: domain.ActDispatch, Version: 1},
				{Action: domain.ActReject, Version: 1, Reason: "重复"}, {Action: domain.ActComment, Version: 1, Note: "已阅"}}[i%4]
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.file(t, "demo.dispatcher")
			const n = 20
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = f.svc.Act(ctx, disp, c.ID, tc.cmd(i))
				}()
			}
			close(start)
			wg.Wait()
			wins := 0
			for i, err := range errs {
				switch domain.ErrorCode(err) {
				case "":
					wins++
				case domain.ESTALE:
				default:
					t.Errorf("goroutine %d: %v, want success or %s", i, err, domain.ESTALE)
				}
			}
			if wins != 1 {
				t.Fatalf("%d of %d concurrent actions on version 1 succeeded, want exactly 1", wins, n)
			}
			got := f.check(t, c.ID)
			if got.Version != 2 || len(got.Events) != 2 {
				t.Fatalf("version %d with %d events after one winning action", got.Version, len(got.Events))
			}
		})
	}
}

// ---- Sweep ----

// seedDispatched records n dispatched cases at the given time through the store's one
// write path, the way the demo history does, in one transaction.
func (f *fixture) seedDispatched(t *testing.T, at time.Time, n int) []int64 {
	t.Helper()
	disp := f.user("demo.dispatcher")
	var ids []int64
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.Matter("SR-001")
		if err != nil {
			return err
		}
		cal, err := tx.Calendar()
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			number, err := tx.NextNumber(at)
			if err != nil {
				return err
			}
			intake := domain.Intake(disp, domain.NewCase{Matter: m.Code, Title: fmt.Sprintf("垃圾 %d", i), Region: region, Channel: "hotline", Kind: "request"}, number, m, at)
			c := &domain.Case{}
			c.Apply(intake)
			e, err := domain.Decide(disp, c, domain.Command{Action: domain.ActDispatch, Version: 1}, domain.Env{Now: at, Cal: cal, Matter: m, OrgExists: tx.OrgExists})
			if err != nil {
				return err
			}
			c.Apply(e)
			if err := tx.Record(nil, c, []domain.Event{intake, e}); err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// sweepCounts counts, per case, the sweeper's events of each action.
func (f *fixture) sweepCounts(t *testing.T) map[int64]map[string]int {
	t.Helper()
	rows, err := f.raw.QueryContext(ctx, `SELECT case_id, action, COUNT(*) FROM case_events
		WHERE action IN ('overdue_ack', 'overdue_resolve', 'overdue_report_in', 'escalate') GROUP BY case_id, action`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var id int64
		var action string
		var n int
		if err := rows.Scan(&id, &action, &n); err != nil {
			t.Fatal(err)
		}
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][action] = n
	}
	return out
}

// sweepScene is more cases falling due than one sweep batch takes, with one case
// whose two deadlines both come first, so a batch's deadline rows name fewer cases
// than the batch size.
func sweepScene(t *testing.T) (*fixture, []int64) {
	f := newFixture(t)
	early := f.seedDispatched(t, whistletest.Start.AddDate(0, 0, -4), 1) // Thu 26 Feb 09:00
	rest := f.seedDispatched(t, whistletest.Start, service.SweepBatch+20)
	if n := f.count(t, `SELECT COUNT(*) FROM deadlines`); n != 2*len(rest)+2 {
		t.Fatalf("%d deadline rows, want %d", n, 2*len(rest)+2)
	}
	return f, append(early, rest...)
}

func (f *fixture) wantAllSweptOnce(t *testing.T, ids []int64) {
	t.Helper()
	counts := f.sweepCounts(t)
	for _, id := range ids {
		want := map[string]int{"overdue_ack": 1, "overdue_resolve": 1, "escalate": 1}
		if !reflect.DeepEqual(counts[id], want) {
			t.Errorf("case %d: sweeper events %v, want %v", id, counts[id], want)
		}
		c := f.check(t, id)
		if !c.OverdueAck || !c.OverdueResolve || c.Escalated != "431382" {
			t.Errorf("case %d not marked: ack %v resolve %v escalated %q", id, c.OverdueAck, c.OverdueResolve, c.Escalated)
		}
	}
	if n := f.count(t, `SELECT COUNT(*) FROM deadlines WHERE due_at <= ?`, f.clock.Now().Unix()); n != 0 {
		t.Errorf("%d deadlines past due left unmarked", n)
	}
	f.checkRollup(t)
	// each escalation reaches the county's dispatcher once
	if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'escalate' AND user_id = ?`, f.user("demo.county").ID); n != len(ids) {
		t.Errorf("county dispatcher has %d escalation notices, want %d", n, len(ids))
	}
}

func TestSweepMarksEachDeadlineOnceAndIsIdempotent(t *testing.T) {
	t.Parallel()
	f, ids := sweepScene(t)
	f.clock.Add(30 * 24 * time.Hour)
	n, err := f.svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * len(ids); n != want {
		t.Errorf("first sweep wrote %d events, want %d (ack, resolve, escalate for %d cases)", n, want, len(ids))
	}
	f.wantAllSweptOnce(t, ids)
	before := f.snapshot(t)
	n, err = f.svc.Sweep(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second sweep: %d, %v; want 0", n, err)
	}
	if after := f.snapshot(t); after != before {
		t.Fatalf("second sweep wrote something:\nbefore %s\nafter  %s", before, after)
	}
}

// Sweepers at once never mark a deadline twice: two in one process, and two more on a
// second handle of the same database file, as a second server process would have.
func TestConcurrentSweepsNeverDoubleMark(t *testing.T) {
	t.Parallel()
	f, ids := sweepScene(t)
	f.clock.Add(30 * 24 * time.Hour)
	db2, err := store.Open(ctx, f.db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	db2.Now = f.clock.Now
	services := []*service.Service{f.svc, f.svc, service.New(db2), service.New(db2)}
	sweepers := len(services)
	got := make([]int, sweepers)
	errs := make([]error, sweepers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < sweepers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], errs[i] = services[i].Sweep(ctx)
		}()
	}
	close(start)
	wg.Wait()
	total := 0
	for i := range got {
		if errs[i] != nil {
			t.Fatalf("sweeper %d: %v", i, errs[i])
		}
		total += got[i]
	}
	// together they mark everything (a late one may find nothing left to do)
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Errorf("a sweep after both found %d more events (%v)", n, err)
	}
	if want := 3 * len(ids); total != want {
		t.Errorf("the sweepers wrote %v events, %d in all; want %d", got, total, want)
	}
	t.Logf("events per sweeper: %v", got)
	f.wantAllSweptOnce(t, ids)
}

// A sweep with nothing due touches nothing; with one case due it touches that case only.
func TestSweepCostFollowsDueDeadlines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ids := f.seedDispatched(t, whistletest.Start, 30)
	before := f.snapshot(t)
	for i := 0; i < 2; i++ {
		n, err := f.svc.Sweep(ctx)
		if err != nil || n != 0 {
			t.Fatalf("sweep with nothing due: %d, %v", n, err)
		}
	}
	f.clock.Add(119 * time.Minute) // ack due at 11:00; not yet passed
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before the deadline passed: %d, %v", n, err)
	}
	if after := f.snapshot(t); after != before {
		t.Fatalf("a sweep with nothing due wrote something:\nbefore %s\nafter  %s", before, after)
	}
	// one case dispatched earlier is due; the 30 others are not touched
	f.clock.Set(whistletest.Start)
	early := f.seedDispatched(t, whistletest.Start.Add(-3*time.Hour), 1)[0] // 06:00 → ack due 10:30
	f.clock.Set(whistletest.Start.Add(90*time.Minute + time.Second))
	n, err := f.svc.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("sweep with one ack due: %d, %v; want 1 event", n, err)
	}
	c := f.check(t, early)
	if !c.OverdueAck || c.OverdueResolve {
		t.Errorf("early case: overdue ack %v resolve %v", c.OverdueAck, c.OverdueResolve)
	}
	for _, id := range ids {
		if c, _ := f.db.Case(ctx, id); c.Version != 2 {
			t.Errorf("case %d was touched (version %d) though nothing of it was due", id, c.Version)
		}
	}
	// the lead org's officer and the dispatchers hear of the missed acknowledgement
	for _, login := range []string{"officer.LY-CGJ", "demo.dispatcher"} {
		if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'overdue_ack' AND user_id = ? AND case_id = ?`, f.user(login).ID, early); n != 1 {
			t.Errorf("%s has %d overdue_ack notices, want 1", login, n)
		}
	}
}

func TestSweepMarksMissedReportIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.file(t, "demo.dispatcher")
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept})
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-YJJ", "LT-PCS"}, Hours: 4})
	f.clock.Add(time.Hour)
	f.act(t, "officer.LT-PCS", c.ID, domain.Command{Action: domain.ActReportIn})
	f.clock.Set(whistletest.Start.Add(24 * time.Hour))
	n, err := f.svc.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v; want the one missed report-in", n, err)
	}
	got := f.check(t, c.ID)
	for _, s := range got.Summons {
		if s.Overdue != (s.Org == "LY-YJJ") {
			t.Errorf("summons %s overdue %v", s.Org, s.Overdue)
		}
	}
	if !got.Overdue() {
		t.Error("case with a missed report-in is not overdue")
	}
	yes := true
	list, _, err := f.db.Cases(ctx, f.user("demo.dispatcher"), domain.CaseFilter{Overdue: &yes})
	if err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Errorf("overdue filter: %d cases, %v", len(list), err)
	}
}

// ---- suspend and resume ----

// Suspending stops the clock: on resume every running deadline moves by the working
// minutes the case was suspended, and while suspended nothing falls due.
func TestSuspendResumeMovesDeadlines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at := func(day, hour, min int) time.Time { return time.Date(2026, 3, day, hour, min, 0, 0, domain.China) }
	c := f.file(t, "demo.dispatcher") // Mon 2 Mar 09:00; SR-001: acknowledge 2h, resolve 1d
	c = f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActDispatch})
	c = f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-YJJ"}, Hours: 4})
	if !c.AckDue.Equal(at(2, 11, 0)) || !c.ResolveDue.Equal(at(3, 9, 0)) || !c.Summons[0].Due.Equal(at(2, 15, 0)) {
		t.Fatalf("deadlines at dispatch: ack %v resolve %v report-in %v", c.AckDue, c.ResolveDue, c.Summons[0].Due)
	}
	f.clock.Set(at(2, 10, 0))
	c = f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActSuspend, Reason: "等待产权单位确认"})
	if c.Status != domain.StatusSuspended || c.Resume != domain.StatusDispatched {
		t.Fatalf("suspended: %s resume %s", c.Status, c.Resume)
	}
	f.check(t, c.ID)
	if n := f.count(t, `SELECT COUNT(*) FROM deadlines WHERE case_id = ?`, c.ID); n != 0 {
		t.Fatalf("a suspended case keeps %d running deadlines", n)
	}
	f.clock.Set(at(3, 10, 0)) // every original deadline has passed meanwhile
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep of a suspended case: %d, %v", n, err)
	}
	c = f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActResume})
	// suspended Mon 10:00 → Tue 10:00: 120 + 210 + 90 = 420 working minutes, one office day
	cal, err := f.db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stopped := cal.WorkingMinutesBetween(at(2, 10, 0), at(3, 10, 0))
	if stopped != 420 {
		t.Fatalf("stopped %d working minutes, want 420", stopped)
	}
	for name, got := range map[string]*time.Time{"ack": c.AckDue, "resolve": c.ResolveDue, "report-in": &c.Summons[0].Due} {
		want := map[string]time.Time{"ack": at(3, 11, 0), "resolve": at(4, 9, 0), "report-in": at(3, 15, 0)}[name]
		if got == nil || !got.Equal(want) {
			t.Errorf("%s due after resume %v, want %v", name, got, want)
		}
	}
	if c.Status != domain.StatusDispatched || c.SuspendedAt != nil || c.Resume != "" {
		t.Errorf("resumed: status %s suspended_at %v resume %q", c.Status, c.SuspendedAt, c.Resume)
	}
	f.check(t, c.ID)
	if n := f.count(t, `SELECT COUNT(*) FROM deadlines WHERE case_id = ?`, c.ID); n != 3 {
		t.Errorf("%d running deadlines after resume, want 3", n)
	}
	// nothing is due until the moved deadline passes
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep right after resume: %d, %v", n, err)
	}
	f.clock.Set(at(3, 11, 1))
	if n, err := f.svc.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after the moved ack deadline: %d, %v", n, err)
	}
	f.check(t, c.ID)
	f.checkRollup(t)
}

// A case walked through its whole life by the service stays the fold of its events at
// every step, and its statistics add up.
func TestLifecycleThroughService(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d, lead := "demo.dispatcher", "officer.LY-CGJ"
	c := f.fileAt(t, "demo.grid", "431382001001001") // the grid worker's own grid
	steps := []struct {
		login string
		cmd   domain.Command
		wait  time.Duration
	}{
		{d, domain.Command{Action: domain.ActAccept}, 5 * time.Minute},
		{d, domain.Command{Action: domain.ActDispatch, Org: "LT-ZFDD", CoOrgs: []string{"LY-CGJ"}}, 5 * time.Minute},
		{"officer.LT-ZFDD", domain.Command{Action: domain.ActReturn, Reason: "不属于本单位"}, 10 * time.Minute},
		{d, domain.Command{Action: domain.ActDispatch, CoOrgs: []string{"LT-ZFDD"}}, 10 * time.Minute},
		{lead, domain.Command{Action: domain.ActAcknowledge}, 30 * time.Minute},
		{d, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-YJJ"}, Hours: 2}, time.Minute},
		{"officer.LY-YJJ", domain.Command{Action: domain.ActReportIn}, 20 * time.Minute},
		{lead, domain.Command{Action: domain.ActStart}, time.Hour},
		{lead, domain.Command{Action: domain.ActExtend, WorkingDays: 2, Reason: "需协调"}, 10 * time.Minute},
		{d, domain.Command{Action: domain.ActExtend}, 10 * time.Minute},
		{lead, domain.Command{Action: domain.ActResolve, Result: "已清运"}, time.Hour},
		{"demo.grid", domain.Command{Action: domain.ActReopen, Note: "仍有垃圾"}, time.Hour},
		{lead, domain.Command{Action: domain.ActResolve, Result: "已彻底清运"}, time.Hour},
		{"demo.grid", domain.Command{Action: domain.ActVerify}, 10 * time.Minute},
		{d, domain.Command{Action: domain.ActVisit, Satisfaction: domain.BasicallySatisfied}, 10 * time.Minute},
		{d, domain.Command{Action: domain.ActComment, Note: "回访记录已存档"}, time.Minute},
		{d, domain.Command{Action: domain.ActClose}, time.Minute},
	}
	for _, s := range steps {
		f.clock.Add(s.wait)
		f.act(t, s.login, c.ID, s.cmd)
		f.check(t, c.ID)
		f.checkRollup(t) // the case moves between rollup keys as its lead org changes
	}
	got := f.check(t, c.ID)
	if got.Status != domain.StatusClosed || got.Returns != 1 || !got.Extended || got.Satisfaction != domain.BasicallySatisfied || got.Version != len(steps)+1 {
		t.Fatalf("closed case: %+v", got)
	}
	st, err := f.db.Stats(ctx, domain.StatsQuery{Region: demo.Street, From: "2026-03-02", To: "2026-03-02"})
	if err != nil || len(st) != 1 {
		t.Fatalf("stats: %v, %v", st, err)
	}
	s := st[0]
	if s.Received != 1 || s.Closed != 1 || s.Returned != 1 || s.Resolved != 1 || s.Visited != 1 || s.BasicallySatisfied != 1 || s.Dispatched != 1 {
		t.Errorf("stats of one closed case: %+v", s)
	}
	// the officer's view: a closed case of theirs, masked nothing (officers call back)
	seen, err := f.svc.Case(ctx, f.user(lead), c.ID)
	if err != nil || seen.Reporter.Phone != "13800001111" {
		t.Errorf("lead officer's view: %+v, %v", seen, err)
	}
}

// An extension to a date given to the nanosecond (as a JSON client may send it) is
// stored as the event says: the row stays the fold of its events.
func TestExtendUntilFractionalSeconds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.file(t, "demo.dispatcher")
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActDispatch})
	until := time.Date(2026, 3, 10, 1, 0, 0, 123456789, time.UTC)
	f.act(t, "officer.LY-CGJ", c.ID, domain.Command{Action: domain.ActExtend, Until: &until, Reason: "需协调"})
	f.check(t, c.ID)
	got := f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActExtend})
	f.check(t, c.ID)
	if want := until.Truncate(time.Second); got.ResolveDue == nil || !got.ResolveDue.Equal(want) || !got.Extended {
		t.Fatalf("resolve due %v extended %v, want %v", got.ResolveDue, got.Extended, want)
	}
}

func TestAddUserChecksPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.svc.AddUser(ctx, domain.User{Login: "short.pw", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, "short")
	wantCode(t, err, domain.EINVALID)
	if _, err := f.db.UserByLogin(ctx, "short.pw"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("user with a refused password exists: %v", err)
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
