package store_test

import (
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
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
	// a source whose case counters fell behind its cases (two filed today, the counter
	// at one): the copy's counters follow the cases, and it says the copies differ
	grid, err := src.UserByLogin(ctx, "demo.grid")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := service.New(src).File(ctx, grid, domain.NewCase{Matter: "SR-001", Title: "复制前新工单", Region: "431382001001001"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw(t, src).ExecContext(ctx, `UPDATE counters SET value = 1 WHERE name LIKE 'case:%'`); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	if err := store.Copy(ctx, src, dst, &log); err == nil || !strings.Contains(err.Error(), "counters") || !strings.Contains(log.String(), "raised") {
		t.Fatalf("copy of counters behind their cases: %v\n%s", err, log.String())
	}
	// the target goes on numbering: a case filed there gets an id and a number after the
	// copied ones
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
	// the filings' rollup changes still waiting to be folded (rollup_pending) arrive
	// folded into their cells: the copy's statistics are the source's
	q := domain.StatsQuery{Region: "431382001", From: "2020-01", To: "2030-12", By: "region"}
	want, err := dst.Stats(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Stats(ctx, q)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("statistics of the copy:\n%+v\nwant\n%+v (%v)", got, want, err)
	}
	if n := count(t, raw(t, back), `SELECT COUNT(*) FROM rollup_pending`); n != 0 {
		t.Errorf("%d rollup changes waiting in the copy", n)
	}
}

// hookWriter hands every line a copy logs to a function, which may change the source
// while the copy runs.
type hookWriter func(line string)

func (h hookWriter) Write(p []byte) (int, error) {
	h(string(p))
	return len(p), nil
}

// A copy of a database that goes on filing cases is one snapshot: it neither breaks on
// a case filed between the reads of two tables nor leaves the target's case numbering
// behind its cases. A resume brings new, changed and removed rows up to date, and a
// server on the copy numbers its cases after the copied ones.
func TestCopyOfALiveDatabase(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 300)
	src := whistletest.StoreOf(svc)
	dst, _ := whistletest.DB(t)
	var mu sync.Mutex
	var acked []string // case numbers the source has answered, in order
	file := func(s *service.Service, title string) (*domain.Case, error) {
		c, err := s.File(ctx, users["demo.grid"], domain.NewCase{Matter: "SR-001", Title: title, Region: "431382001001001"})
		if err == nil && s == svc {
			mu.Lock()
			acked = append(acked, c.Number)
			mu.Unlock()
		}
		return c, err
	}
	for i := range 5 {
		if _, err := file(svc, fmt.Sprintf("复制前 %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	stop, filers := make(chan struct{}), sync.WaitGroup{}
	halt := sync.OnceFunc(func() { close(stop); filers.Wait() })
	t.Cleanup(halt)
	for w := range 2 {
		filers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := file(svc, fmt.Sprintf("复制中 %d-%d", w, i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	// one case is answered after the cases table is read and before its events are
	var between *domain.Case
	hook := hookWriter(func(line string) {
		if strings.HasPrefix(line, "cases ") && between == nil {
			var err error
			if between, err = file(svc, "两表之间"); err != nil {
				t.Error(err)
			}
		}
	})
	mu.Lock()
	before := slices.Clone(acked)
	mu.Unlock()
	if err := store.Copy(ctx, src, dst, hook); err != nil {
		t.Fatalf("copy of a live database: %v", err)
	}
	r := raw(t, dst)
	has := func(number string) bool {
		return count(t, r, `SELECT COUNT(*) FROM cases WHERE number = ?`, number) == 1
	}
	for _, n := range before {
		if !has(n) {
			t.Errorf("case %s, answered before the copy began, is not in the copy", n)
		}
	}
	if between == nil || has(between.Number) {
		t.Fatalf("the case filed after the snapshot (%+v) is in it", between)
	}
	// the source changes a copied case and removes notices it had sent
	disp := users["demo.dispatcher"]
	var id int64
	if err := raw(t, src).QueryRowContext(ctx, `SELECT id FROM cases WHERE number = ?`, before[0]).Scan(&id); err != nil {
		t.Fatal(err)
	}
	first, err := src.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, disp, first.ID, domain.Command{Action: domain.ActAccept, Version: first.Version}); err != nil {
		t.Fatal(err)
	}
	res, err := raw(t, src).ExecContext(ctx, `DELETE FROM notifications WHERE case_id IN (SELECT id FROM cases WHERE number = ? OR number = ?)`, before[1], before[2])
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatal("no notice removed")
	}
	if err := store.Copy(ctx, src, dst, io.Discard); err != nil { // still filing
		t.Fatalf("resumed copy of a live database: %v", err)
	}
	halt()
	if err := store.Copy(ctx, src, dst, io.Discard); err != nil {
		t.Fatalf("resumed copy: %v", err)
	}
	if err := store.Verify(ctx, src, dst, io.Discard); err != nil {
		t.Fatalf("after the resumes: %v", err)
	}
	for _, n := range append(acked, between.Number) {
		if !has(n) {
			t.Errorf("case %s is missing after the resume", n)
		}
	}
	// a server on the copy goes on numbering
	target := service.New(dst)
	seen := map[string]bool{}
	for _, n := range acked {
		seen[n] = true
	}
	for i := range 3 {
		c, err := file(target, fmt.Sprintf("复制后 %d", i))
		if err != nil {
			t.Fatalf("filing on the copy: %v", err)
		}
		if seen[c.Number] {
			t.Fatalf("the copy numbered a new case %s again", c.Number)
		}
		seen[c.Number] = true
	}
	t.Logf("%d cases answered while copying", len(acked)-len(before))
}
