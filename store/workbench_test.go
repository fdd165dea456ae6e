package store_test

import (
	"context"
	"testing"
	"time"

	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// TestCasesInPeriodPagesMatchCases walks a period a bounded page at a time and checks
// that it yields exactly the cases Cases finds with the same filters, newest first.
func TestCasesInPeriodPagesMatchCases(t *testing.T) {
	svc, users, clock := whistletest.Demo(t, 400)
	ctx := context.Background()
	defer store.SetPeriodScan(37)()
	to := clock.Now()
	from := to.AddDate(0, -6, 0)
	yes := true
	for _, tc := range []struct {
		name string
		user string
		f    domain.CaseFilter
	}{
		{"all", "demo.county", domain.CaseFilter{}},
		{"overdue in a community", "demo.dispatcher", domain.CaseFilter{Region: "431382001001", Overdue: &yes}},
		{"closed of one org", "demo.leader", domain.CaseFilter{Status: []domain.Status{domain.StatusClosed}, Org: "LY-CGJ"}},
		{"an officer", "demo.officer", domain.CaseFilter{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := users[tc.user]
			f := tc.f
			f.From, f.To, f.Limit = &from, &to, 200
			want := map[int64]bool{}
			for after := int64(0); ; {
				f.After = after
				cs, next, err := whistletest.StoreOf(svc).Cases(ctx, u, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cs {
					want[c.ID] = true
				}
				if after = next; next == 0 {
					break
				}
			}
			f.After, f.Limit = 0, 5
			got := map[int64]bool{}
			var atPrev int64 = 1 << 62
			var idPrev int64 = 1 << 62
			pages := 0
			for at, id := int64(0), int64(0); ; pages++ {
				cs, nextAt, nextID, err := whistletest.StoreOf(svc).CasesInPeriod(ctx, u, f, at, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) > 5 {
					t.Fatalf("page of %d", len(cs))
				}
				for _, c := range cs {
					if got[c.ID] {
						t.Fatalf("case %d twice", c.ID)
					}
					got[c.ID] = true
					a := c.CreatedAt.Unix()
					if a > atPrev || (a == atPrev && c.ID >= idPrev) {
						t.Fatalf("case %d out of order", c.ID)
					}
					atPrev, idPrev = a, c.ID
					if !domain.Visible(u, c) {
						t.Fatalf("case %d is not visible to %s", c.ID, tc.user)
					}
				}
				if nextAt == 0 {
					break
				}
				at, id = nextAt, nextID
				if pages > 10000 {
					t.Fatal("paging does not end")
				}
			}
			if len(got) != len(want) {
				t.Fatalf("period pages gave %d cases, Cases %d", len(got), len(want))
			}
			for id := range want {
				if !got[id] {
					t.Fatalf("case %d missing from the period pages", id)
				}
			}
			if len(want) < 3 {
				t.Fatalf("only %d cases in the period: the test proves little", len(want))
			}
			t.Logf("%d cases in %d pages", len(want), pages+1)
		})
	}
	if _, _, _, err := whistletest.StoreOf(svc).CasesInPeriod(ctx, users["demo.county"], domain.CaseFilter{}, 0, 0); err == nil {
		t.Error("a period without from and to was accepted")
	}
}

// TestWebSessions holds a web session to its idle limit and sweeps out old rows.
func TestWebSessions(t *testing.T) {
	db, clock := whistletest.DB(t)
	ctx := context.Background()
	u, err := db.PutUser(ctx, domain.User{Login: "web.user", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	token := func(s string) string {
		if err := db.PutToken(ctx, s, u.ID, clock.Now().Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := token("token-a-000000000000")
	if live, err := db.TouchSession(ctx, a, time.Hour); err != nil || !live {
		t.Fatalf("new session: %v %v", live, err)
	}
	clock.Add(50 * time.Minute)
	if live, _ := db.TouchSession(ctx, a, time.Hour); !live {
		t.Fatal("session ended before its idle limit")
	}
	clock.Add(61 * time.Minute)
	if live, _ := db.TouchSession(ctx, a, time.Hour); live {
		t.Fatal("idle session still live")
	}
	if _, err := db.TokenUser(ctx, a); err == nil {
		t.Fatal("the idle session's token was not revoked")
	}
	clock.Add(8 * 24 * time.Hour)
	token("token-b-000000000000")
	if live, _ := db.TouchSession(ctx, "token-b-000000000000", time.Hour); !live {
		t.Fatal("second session")
	}
	r := whistletest.OpenRaw(t, db)
	var n int
	if err := r.QueryRowContext(ctx, `SELECT COUNT(*) FROM web_sessions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("web_sessions rows after the sweep: %d %v", n, err)
	}
	if err := db.SetUserLang(ctx, u.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.User(ctx, u.ID); got.Lang != "en" {
		t.Fatalf("lang %q", got.Lang)
	}
}
