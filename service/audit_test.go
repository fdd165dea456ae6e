package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// auditAll reads every entry of the log matching f, newest first, as an auditor, page
// by page.
func auditAll(t *testing.T, svc *service.Service, auditor domain.User, f domain.AuditFilter) []domain.AuditEntry {
	t.Helper()
	var out []domain.AuditEntry
	for {
		page, next, err := svc.AuditLog(context.Background(), auditor, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if next == 0 {
			return out
		}
		f.Before = next
	}
}

// verified checks the chain holds, and gives its length.
func verified(t *testing.T, svc *service.Service) int64 {
	t.Helper()
	n, broken, err := svc.VerifyAudit(context.Background())
	if err != nil || broken != nil {
		t.Fatalf("the chain does not hold after %d entries: %v %v", n, broken, err)
	}
	return n
}

// TestAuditLogsUserAdministration: creating a user, changing their roles and phone,
// resetting their password and disabling them are four entries, each with who, from
// where, what and the fields before and after; no password, hash or clear phone
// reaches the log.
func TestAuditLogsUserAdministration(t *testing.T) {
	svc, users, clock := whistletest.Demo(t, 0)
	admin, auditor := users["demo.admin"], users["demo.auditor"]
	ctx := service.WithClient(context.Background(), "10.0.0.7")
	clock.Add(time.Hour)
	began := clock.Now()
	u, err := svc.SaveUser(ctx, admin, 0, domain.User{Login: "Zhou.Wei", Name: "周伟", Phone: "13912345678",
		Grants: []domain.Grant{{Role: domain.RoleGridWorker, Region: "431382001001001"}}}, "first-password")
	if err != nil {
		t.Fatal(err)
	}
	u.Grants = append(u.Grants, domain.Grant{Role: domain.RoleDispatcher, Region: "431382001"})
	u.Phone = "13987654321"
	steps := []struct {
		u        domain.User
		password string
	}{{u, ""}, {u, "second-password"}, {func() domain.User { d := u; d.Disabled = true; return d }(), ""}}
	for _, st := range steps {
		clock.Add(time.Minute)
		if _, err := svc.SaveUser(ctx, admin, u.ID, st.u, st.password); err != nil {
			t.Fatal(err)
		}
	}
	got := auditAll(t, svc, auditor, domain.AuditFilter{Object: "user/zhou.wei"})
	if len(got) != 4 {
		t.Fatalf("%d entries for the user, want 4: %+v", len(got), got)
	}
	want := []struct{ action, change string }{
		{"user.update", `{"after":{"disabled":true},"before":{"disabled":false}}`},
		{"user.update", `{"password":"******"}`},
		{"user.update", `{"after":{"grants":[{"region":"431382001","role":"dispatcher"},{"region":"431382001001001","role":"grid_worker"}],"phone":"139****4321"},"before":{"grants":[{"region":"431382001001001","role":"grid_worker"}],"phone":"139****5678"}}`},
	}
	for i, w := range want {
		e := got[i]
		if e.Action != w.action || e.Change != w.change || e.Login != "demo.admin" || e.UserID != admin.ID || e.Addr != "10.0.0.7" {
			t.Errorf("entry %d: %s %s by %s (%d) from %s, want %s %s", i, e.Action, e.Change, e.Login, e.UserID, e.Addr, w.action, w.change)
		}
	}
	created := got[3]
	var c struct {
		Before   map[string]any
		After    map[string]any
		Password string
	}
	if err := json.Unmarshal([]byte(created.Change), &c); err != nil || created.Action != "user.create" || c.After["login"] != "zhou.wei" ||
		c.After["phone"] != "139****5678" || c.Before != nil || c.Password != "******" {
		t.Errorf("creation: %s %s (%v)", created.Action, created.Change, err)
	}
	if !created.At.Equal(began) || !got[0].At.Equal(began.Add(3*time.Minute)) {
		t.Errorf("times %v and %v, want %v and 3 minutes on", created.At, got[0].At, began)
	}
	// nothing secret or personal in clear anywhere in the log
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(svc))
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%password%' AND changes NOT LIKE '%"password":"******"%'
		OR changes LIKE '%argon2%' OR changes LIKE '%13912345678%' OR changes LIKE '%13987654321%' OR changes LIKE '%-password%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d entries hold a password, a hash or a clear phone (%v)", n, err)
	}
	// the filters: an actor's, an action family's, a period's
	if by := auditAll(t, svc, auditor, domain.AuditFilter{Actor: "DEMO.ADMIN", Action: "user", Object: "user"}); len(by) != 4 {
		t.Errorf("the admin's user entries: %d, want 4", len(by))
	}
	from, to := began.Add(time.Minute), began.Add(3*time.Minute)
	if period := auditAll(t, svc, auditor, domain.AuditFilter{From: &from, To: &to, Limit: 1}); len(period) != 2 || period[0].Change != want[1].change {
		t.Errorf("entries in [+1 min, +3 min), a page of one at a time: %+v", period)
	}
	if none := auditAll(t, svc, auditor, domain.AuditFilter{Action: "user.up"}); len(none) != 0 {
		t.Errorf("action user.up matched %d entries: a family ends at a dot", len(none))
	}
	// administrators read the log too; nobody else
	if _, _, err := svc.AuditLog(ctx, admin, domain.AuditFilter{}); err != nil {
		t.Errorf("admin reads the log: %v", err)
	}
	for _, who := range []string{"demo.dispatcher", "demo.leader", "demo.helper", "demo.citizen"} {
		if _, _, err := svc.AuditLog(ctx, users[who], domain.AuditFilter{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s reads the log: %v", who, err)
		}
	}
	verified(t, svc)
}

// TestAuditEntryIsInTheChangesTransaction: a refused change leaves no entry, and a
// change whose entry cannot be written does not land.
func TestAuditEntryIsInTheChangesTransaction(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	ctx, admin := context.Background(), users["demo.admin"]
	db := whistletest.StoreOf(svc)
	head, _, err := db.AuditHead(ctx)
	if err != nil || head == 0 {
		t.Fatalf("the demo's loading left no entries: %d %v", head, err)
	}
	bad := domain.User{Login: "nobody.here", Name: "x", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "999999"}}}
	if _, err := svc.SaveUser(ctx, admin, 0, bad, "some-password"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a grant in an unknown region: %v", err)
	}
	if after, _, _ := db.AuditHead(ctx); after != head {
		t.Errorf("a refused change left entries %d..%d", head+1, after)
	}
	// an entry already in the next place of the chain: the next change cannot be logged
	raw := whistletest.OpenRaw(t, db)
	if _, err := raw.ExecContext(ctx, `INSERT INTO audit_log (id, at, user_id, login, addr, action, object, changes, hash)
		VALUES (?, 0, 0, 'x', '', 'x', 'x', '{}', 'x')`, head+1); err != nil {
		t.Fatal(err)
	}
	if err := svc.PutOrg(ctx, admin, domain.Org{Code: "AUDIT-1", Name: "无日志单位"}); err == nil {
		t.Fatal("an org was saved whose entry could not be written")
	}
	if _, err := db.Org(ctx, "AUDIT-1"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("the org landed without its entry: %v", err)
	}
	if _, err := raw.ExecContext(ctx, `DELETE FROM audit_log WHERE id = ?`, head+1); err != nil {
		t.Fatal(err)
	}
	if err := svc.PutOrg(ctx, admin, domain.Org{Code: "AUDIT-1", Name: "有日志单位"}); err != nil {
		t.Fatal(err)
	}
	got := auditAll(t, svc, admin, domain.AuditFilter{Object: "org/AUDIT-1"})
	if len(got) != 1 || got[0].ID != head+1 || got[0].Action != "org.put" || got[0].Change != `{"after":{"code":"AUDIT-1","name":"有日志单位"}}` {
		t.Errorf("entries: %+v", got)
	}
	verified(t, svc)
}

// TestAuditChainHoldsUnderConcurrentChanges: changes made at once from many goroutines
// (on PostgreSQL, many connections) each take their own place in the chain, and the
// chain holds.
func TestAuditChainHoldsUnderConcurrentChanges(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	ctx, admin := context.Background(), users["demo.admin"]
	before := verified(t, svc)
	const workers, each = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				code := fmt.Sprintf("CC-%d-%d", w, i)
				if err := svc.PutOrg(ctx, admin, domain.Org{Code: code, Name: code}); err != nil {
					errs <- err
				}
				if err := svc.SetDuplicateRule(ctx, admin, domain.DuplicateRule{Distance: float64(100 + w), Window: time.Duration(i+1) * time.Hour}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := verified(t, svc); n != before+2*workers*each {
		t.Errorf("chain of %d entries, want %d + %d", n, before, 2*workers*each)
	}
	if orgs := auditAll(t, svc, admin, domain.AuditFilter{Object: "org", Action: "org.put"}); len(orgs) < workers*each {
		t.Errorf("%d org entries, want at least %d", len(orgs), workers*each)
	}
}

// TestPersonalSearchNeedsRevealLimitedAndAudited: a dispatcher, who may not reveal
// phones, cannot find a subject by guessing the digits a mask hides (403, and the try
// is logged); who may reveal them searches at most PersonalSearches times in a
// window (429 past it); every search is logged with the value masked and the number
// found, never in clear.
func TestPersonalSearchNeedsRevealLimitedAndAudited(t *testing.T) {
	gctx := context.Background()
	f := newGroupsFixture(t)
	admin, dispatcher := f.users["demo.admin"], f.users["demo.dispatcher"]
	g, err := f.svc.CreateGroup(gctx, admin, scenarioGroup())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportRegister(gctx, admin, g.ID, table(t, goodRegister), "2025-01-01", false); err != nil {
		t.Fatal(err)
	}
	for _, q := range []service.SubjectQuery{{Group: g.ID, Phone: "13873810003"}, {Group: g.ID, IDNumber: id("43138219800303003")}} {
		if _, err := f.svc.Subjects(gctx, dispatcher, q); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("dispatcher searches %+v: %v, want forbidden", q, err)
		}
	}
	refused := auditAll(t, f.svc.Service, admin, domain.AuditFilter{Action: "subject.search_refused"})
	if len(refused) != 2 || refused[0].Login != "demo.dispatcher" || refused[0].Object != domain.GroupObject(g.ID) ||
		refused[0].Change != `{"field":"id_number","value":"4313**********`+id("43138219800303003")[14:]+`"}` ||
		refused[1].Change != `{"field":"phone","value":"138****0003"}` {
		t.Errorf("refused searches: %+v", refused)
	}
	// the admin may reveal phones, so may search by them, PersonalSearches times a window
	for i := range service.PersonalSearches {
		found, err := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID, Phone: fmt.Sprintf("138738100%02d", i)})
		if err != nil || (i == 1 || i == 3) != (len(found) == 1) {
			t.Fatalf("search %d: %d found, %v", i, len(found), err)
		}
	}
	if _, err := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID, Phone: "13873810031"}); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Fatalf("search past the limit: %v, want too many requests", err)
	}
	if _, err := f.svc.Subjects(gctx, dispatcher, service.SubjectQuery{Group: g.ID, Phone: "13873810001"}); err != nil && domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("another user's limit is their own: %v", err)
	}
	f.clock.Add(service.PersonalSearchWindow)
	if found, err := f.svc.Subjects(gctx, admin, service.SubjectQuery{Group: g.ID, Phone: "138 7381 0001"}); err != nil || len(found) != 1 {
		t.Fatalf("search in the next window: %d found, %v", len(found), err)
	}
	searches := auditAll(t, f.svc.Service, admin, domain.AuditFilter{Action: domain.ActSearch, Object: domain.GroupObject(g.ID)})
	if len(searches) != service.PersonalSearches+1 {
		t.Fatalf("%d searches logged, want %d", len(searches), service.PersonalSearches+1)
	}
	if e := searches[0]; e.Login != "demo.admin" || e.Change != `{"field":"phone","results":1,"value":"138****0001"}` {
		t.Errorf("last search: %+v", e)
	}
	if e := searches[len(searches)-1]; e.Change != `{"field":"phone","results":0,"value":"138****0000"}` {
		t.Errorf("first search: %+v", e)
	}
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(f.svc.Service))
	var n int
	if err := raw.QueryRowContext(gctx, `SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%1387381%' OR changes LIKE '%431382198%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d entries hold a searched value in clear (%v)", n, err)
	}
	verified(t, f.svc.Service)
}

// TestOldRevealsStartTheChain: the reveals a database recorded before the log existed
// (reveal_audit) are the chain's first entries, in their order, with their own users
// and times, and the group's reveal list reads them from the log.
func TestOldRevealsStartTheChain(t *testing.T) {
	ctx := context.Background()
	dsn := whistletest.DSN(t)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	raw := whistletest.OpenRaw(t, db)
	for i, row := range [][]any{{7, "helper.a", 3, 70, "phone", "回访核实"}, {8, "demo.admin", 3, nil, "id_number,phone", "export"}} {
		if _, err := raw.ExecContext(ctx, `INSERT INTO reveal_audit (user_id, login, group_id, subject_id, fields, purpose, subjects, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, row[0], row[1], row[2], row[3], row[4], row[5], 1+i*9, 1750000000+i*60); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if db, err = store.Open(ctx, dsn); err != nil { // a database of before 0015, opened again
		t.Fatal(err)
	}
	defer db.Close()
	svc := service.New(db)
	if n := verified(t, svc); n != 2 {
		t.Fatalf("%d entries, want the 2 old reveals", n)
	}
	rs, err := db.Reveals(ctx, 3, 10)
	if err != nil || len(rs) != 2 {
		t.Fatalf("reveals: %+v %v", rs, err)
	}
	if r := rs[1]; r.ID != 1 || r.Action != domain.ActReveal || r.Login != "helper.a" || r.UserID != 7 || r.Subject != 70 ||
		r.Purpose != "回访核实" || r.At != 1750000000 || strings.Join(r.Fields, ",") != "phone" {
		t.Errorf("first reveal: %+v", r)
	}
	if r := rs[0]; r.Action != domain.ActExport || r.Subject != 0 || r.Subjects != 10 || strings.Join(r.Fields, ",") != "id_number,phone" {
		t.Errorf("export: %+v", r)
	}
	// a new entry follows them in the chain
	if err := svc.PutOrg(ctx, domain.User{ID: 1, Login: "root", Grants: []domain.Grant{{Role: domain.RoleAdmin}}}, domain.Org{Code: "X", Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if n := verified(t, svc); n != 3 {
		t.Errorf("%d entries after a new one, want 3", n)
	}
}
