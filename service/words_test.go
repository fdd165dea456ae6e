package service_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/whistletest"
)

// A word search finds exactly the cases whose number, title, description or address
// holds the words, whether they are in the text index yet or not, in the whole scope
// (the leader's street) and in a range (a village's dispatcher), with totals that agree,
// on both engines (store.IndexWords, store/words.go).
func TestWordSearch(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 300)
	ctx := t.Context()
	db := whistletest.StoreOf(svc)
	leader, dispatcher := users["demo.leader"], users["demo.dispatcher"]
	var first []*domain.Case
	for _, c := range []domain.NewCase{
		{Title: "东风路88号路灯不亮", Description: "夜间无照明，abc小区门口", Address: "东风路88号"},
		{Title: "噪音扰民", Description: "工地夜间施工 abc 设备", Address: "解放路 12号"},
		{Title: "路面积水", Description: "100%_积水，见编号20261207-002758", Address: "东风路1288号"},
	} {
		c.Matter, c.Region, c.Channel, c.Kind = "SR-001", "431382001001001", "hotline", "request"
		got, err := svc.File(ctx, dispatcher, c)
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, got)
	}
	all := pageIDs(t, svc, leader, domain.CaseFilter{}, 500)
	cases := map[int64]*domain.Case{}
	for _, id := range all {
		c, err := svc.Case(ctx, leader, id)
		if err != nil {
			t.Fatal(err)
		}
		cases[id] = c
	}
	village := domain.User{ID: 1 << 40, Login: "village.dispatcher", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: "431382001001"}}}
	words := []string{"东风路", "路灯", "积水", "12号", "解放路 12", "abc", "100%_", "%", "水", "照明，abc", first[1].Number, "无此词语",
		"1288", "1288号", "路1288", "128", "2758", "20261207-002758", "61207-0027", "12880", first[1].Number[len(first[1].Number)-6:], string([]rune(cases[all[len(all)-1]].Title)[:2])}
	check := func(stage string) {
		t.Helper()
		for _, w := range words {
			for _, u := range []domain.User{leader, village} {
				var want []int64
				for _, id := range all {
					c := cases[id]
					if (u.Login != village.Login || strings.HasPrefix(c.Region, "431382001001")) && holds(c, w) {
						want = append(want, id)
					}
				}
				got := pageIDs(t, svc, u, domain.CaseFilter{Q: w}, 20)
				if !slices.Equal(got, want) {
					t.Errorf("%s: %s searching %q: %d cases %v, want %d %v", stage, u.Login, w, len(got), got, len(want), want)
				}
				n, err := svc.CountCases(ctx, u, domain.CaseFilter{Q: w}, 0)
				if err != nil || n.N != len(want) {
					t.Errorf("%s: %s counting %q: %+v, %v, want %d", stage, u.Login, w, n, err, len(want))
				}
			}
		}
	}
	// the demo's history was indexed as it loaded; the three filed since are not yet
	check("three not indexed")
	if n, err := db.IndexWords(ctx, 2); err != nil || n != 2 {
		t.Fatalf("a first batch: %d, %v", n, err)
	}
	check("one not indexed")
	if _, err := db.IndexAllWords(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.IndexWords(ctx, 100); err != nil || n != 0 {
		t.Fatalf("all indexed, yet %d more: %v", n, err)
	}
	check("all indexed")

	// serve's indexer keeps up with filings
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { svc.RunWordIndexer(run, 10*time.Millisecond, slog.New(slog.DiscardHandler)); close(done) }()
	defer func() { stop(); <-done }()
	for range 3 {
		c := domain.NewCase{Matter: "SR-001", Region: "431382001001001", Channel: "hotline", Kind: "request", Title: "甲乙丙丁戊己庚辛"}
		if _, err := svc.File(ctx, dispatcher, c); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for n, err := db.WordsBehind(ctx); n > 0 || err != nil; n, err = db.WordsBehind(ctx) {
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("the indexer left %d cases behind after 5 s: %v", n, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := pageIDs(t, svc, leader, domain.CaseFilter{Q: "丙丁戊"}, 20); len(got) != 3 {
		t.Errorf("the indexed filings: %v", got)
	}
}

// holds is the search's meaning: the number is the words, or a text holds them. (The
// words searched hold no capital letter: SQLite's LIKE ignores their case, PostgreSQL's
// does not.)
func holds(c *domain.Case, w string) bool {
	if c.Number == w {
		return true
	}
	for _, s := range []string{c.Title, c.Description, c.Address} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
