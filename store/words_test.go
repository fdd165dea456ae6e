package store_test

import (
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// Indexing a database's words from empty, as after migration 0043 (which empties the
// index of pairs it replaced), leaves every case indexed as before.
func TestIndexAllWordsFromEmpty(t *testing.T) {
	svc, _, _ := whistletest.Demo(t, 300)
	db := whistletest.StoreOf(svc)
	r := raw(t, db)
	defer r.Close()
	empty := []string{`INSERT INTO case_words (case_words) VALUES ('delete-all')`, `UPDATE case_words_mark SET upto = 0`}
	indexed := `SELECT COUNT(*) FROM case_words WHERE case_words MATCH '"路灯" OR "垃圾" OR "2026"'`
	if db.Engine() == "postgres" {
		empty = []string{`TRUNCATE case_words`, `INSERT INTO case_words_todo (case_id) SELECT id FROM cases ON CONFLICT DO NOTHING`}
		indexed = `SELECT COUNT(*) FROM case_words WHERE pairs && ARRAY[` + keys("路灯", "垃圾", "2026") + `]::bigint[]`
	}
	want := count(t, r, indexed)
	if want == 0 {
		t.Fatal("the demo's index names no case for 路灯, 垃圾 or 2026")
	}
	for _, q := range empty {
		if _, err := r.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	cases := count(t, r, `SELECT COUNT(*) FROM cases`)
	if n, err := db.WordsBehind(ctx); err != nil || n != cases {
		t.Fatalf("behind after emptying: %d, %v, want %d", n, err, cases)
	}
	n, err := db.IndexAllWords(ctx)
	if err != nil || n != cases {
		t.Fatalf("indexed %d, %v, want %d", n, err, cases)
	}
	if n, err := db.WordsBehind(ctx); err != nil || n != 0 {
		t.Fatalf("behind after: %d, %v", n, err)
	}
	if got := count(t, r, indexed); got != want {
		t.Errorf("the index names %d cases for the words, before %d", got, want)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM set_aside`); n != 0 {
		t.Errorf("%d left set aside", n)
	}
	if db.Engine() == "postgres" {
		if n := count(t, r, `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'case_words_pairs'`); n != 1 {
			t.Errorf("case_words_pairs: %d", n)
		}
	}
}

// keys is pieces as PostgreSQL's index keeps them, for an array's text.
func keys(pieces ...string) string {
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = strconv.FormatInt(domain.WordPiece(p).Key(), 10)
	}
	return strings.Join(out, ", ")
}
