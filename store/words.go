package store

import (
	"context"
	"encoding/json"
	"strings"

	"whistle/domain"
)

// The text index of the cases' words (migration 0042): which cases hold each pair of
// neighbouring letters or digits (domain.WordPairs) of their title, description and
// address. A word search reads the rows of only the cases holding all its pairs,
// plus those not indexed yet, and LIKE decides among them (caseConds). Filings do not
// write the index: IndexWords adds what was filed since, in batches, in the background.

// wordIndex is the index's SQL in each engine's form: an FTS5 table and a mark of the
// highest id indexed on SQLite, an array under GIN and a list of cases to index on
// PostgreSQL (the migration's two files say why).
type wordIndex struct {
	// narrow gives a condition on a case's id (%s): that it is among the cases holding
	// every pair of a search (q), numbered q, or not indexed yet; none (ok false) where
	// reading the scope's rows costs less: a small scope's ranges of cases (0: a
	// whole scope) read whole where the index names more than wordsPerRange times
	// as many. A case's number is not in the index: its pairs of digits are every case's.
	narrow func(ctx context.Context, db *DB, q string, pairs []domain.WordPair, cases int64) (cond string, args []any, ok bool, err error)
	// doc is a case's pairs as the index keeps them.
	doc func([]domain.WordPair) any
	// todo lists up to ? cases to index with their texts, lowest id first.
	todo string
	// clear runs before the rows are put, with the batch's lowest and highest id:
	// SQLite's FTS5 takes no upsert, and a row above the mark may be left from a copy.
	clear string
	// put is the index's target, and what follows its values.
	put, putThen string
	// done forgets what was indexed, given the batch's highest id and its ids.
	done func(tx *Tx, last int64, ids []int64) error
	// behind counts the cases not indexed yet.
	behind string
	// tidy runs, outside a transaction, after a long run of indexing: PostgreSQL's list
	// of cases to index has then had many rows deleted, which a search would scan.
	tidy string
}

var (
	sqliteWords = wordIndex{
		// SQLite reads the index's set once and checks each id of a range against it
		narrow: func(ctx context.Context, db *DB, q string, pairs []domain.WordPair, cases int64) (string, []any, bool, error) {
			if cases > 0 {
				var n int64
				err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM case_words WHERE case_words MATCH ? LIMIT ?) n`,
					ftsDoc(pairs), wordsPerRange*cases+1).Scan(&n)
				if err != nil || n > wordsPerRange*cases {
					return "", nil, false, err
				}
			}
			return `%s IN (SELECT rowid FROM case_words WHERE case_words MATCH ? UNION ALL SELECT id FROM cases WHERE number = ?
				UNION ALL SELECT id FROM cases NOT INDEXED WHERE id > (SELECT upto FROM case_words_mark))`, []any{ftsDoc(pairs), q}, true, nil
		},
		doc: ftsDoc,
		todo: `SELECT id, title, description, address FROM cases
			WHERE id > (SELECT upto FROM case_words_mark) ORDER BY id LIMIT ?`,
		clear: `DELETE FROM case_words WHERE rowid BETWEEN ? AND ?`,
		put:   `case_words (rowid, pairs)`,
		done: func(tx *Tx, last int64, _ []int64) error {
			_, err := tx.exec(`UPDATE case_words_mark SET upto = ?`, last)
			return err
		},
		behind: `SELECT COUNT(*) FROM cases NOT INDEXED WHERE id > (SELECT upto FROM case_words_mark)`,
	}
	postgresWords = wordIndex{
		narrow: narrowPostgres,
		doc:    pairKeys,
		// a case gone since it was noted indexes as empty texts, and is forgotten
		todo: `SELECT t.case_id, COALESCE(c.title, ''), COALESCE(c.description, ''), COALESCE(c.address, '')
			FROM case_words_todo t LEFT JOIN cases c ON c.id = t.case_id ORDER BY t.case_id LIMIT ? FOR UPDATE OF t SKIP LOCKED`,
		put:     `case_words (case_id, pairs)`,
		putThen: ` ON CONFLICT (case_id) DO UPDATE SET pairs = excluded.pairs`,
		done: func(tx *Tx, _ int64, ids []int64) error {
			_, err := tx.exec(`DELETE FROM case_words_todo WHERE case_id = ANY (?)`, ids)
			return err
		},
		behind: `SELECT COUNT(*) FROM case_words_todo`,
		tidy:   `VACUUM (ANALYZE) case_words_todo`,
	}
)

// ftsDoc is pairs as an FTS5 document, and as a query of them all: tokens in quotes.
func ftsDoc(pairs []domain.WordPair) any {
	quoted := make([]string, len(pairs))
	for i, p := range pairs {
		quoted[i] = `"` + p.String() + `"`
	}
	return strings.Join(quoted, " ")
}

// pairKeys is pairs as PostgreSQL's index keeps them: an array of numbers.
func pairKeys(pairs []domain.WordPair) any {
	keys := make([]int64, len(pairs))
	for i, p := range pairs {
		keys[i] = p.Key()
	}
	return keys
}

// narrowPostgres reads the ids of the cases holding every pair, numbered q, or not
// indexed, and gives them to the list as an array (hashed by PostgreSQL when the plan
// is made for the values: store.customPlans). As a subquery the planner went wrong
// both ways: joined, it probed the index once per case of a street's range (329 × 19
// ms); kept a condition, it guessed the list of cases to index from statistics taken
// while it was long, and scanned it again for every case (a county: 4 s).
//
// Where the planner expects more than wordsNarrowAt cases to hold the pairs, it gives
// none, before reading any: the ids are read from the index's rows (the 14,419 cases
// holding 高空 at 1M lie on 12,199 pages, 18 ms), which costs more than reading a
// street's range whole (329 rows, 5 ms), and a common word fills its page soon where a
// whole scope is walked newest first. The guess is the planner's (the array's most
// common elements, ANALYZE'd): a plan without a run, some 0.3 ms.
func narrowPostgres(ctx context.Context, db *DB, q string, pairs []domain.WordPair, cases int64) (string, []any, bool, error) {
	keys := pairKeys(pairs)
	var plan []byte
	if err := db.read.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT case_id FROM case_words WHERE pairs @> ?`, keys).Scan(&plan); err != nil {
		return "", nil, false, err
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(plan, &est); err != nil || len(est) == 0 || est[0].Plan.Rows > wordsNarrowAt ||
		cases > 0 && est[0].Plan.Rows > float64(wordsPerRange*cases) {
		return "", nil, false, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT case_id FROM case_words WHERE pairs @> ? UNION ALL SELECT id FROM cases WHERE number = ?
		UNION ALL SELECT case_id FROM case_words_todo LIMIT ?`, keys, q, 4*wordsNarrowAt+1)
	if err != nil {
		return "", nil, false, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", nil, false, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) > 4*wordsNarrowAt {
		return "", nil, false, err // the guess was far out, or the index is far behind
	}
	return `%s = ANY (?)`, []any{ids}, true, nil
}

// wordsPerRange is how many times a small scope's cases a search's pairs may name for
// the index to narrow it. Reading the ids the index names costs some tenth of reading
// a case's row, and a range's ids are read from cases_region without their rows: a
// street's 329 cases read whole in 1.5 ms at 1M, against 5 ms for the 14,419 ids of
// 高空 from the index on SQLite; a county's 12,694 in 114 ms, against 10.
const wordsPerRange = 4

// wordsNarrowAt bounds the cases PostgreSQL's planner may expect a search's pairs to
// name for the list to be narrowed to them (narrowPostgres).
const wordsNarrowAt = 2_000

// IndexWords adds up to batch cases not yet in the text index, lowest id first, in one
// transaction, and tells how many it added: 0 when the index is whole.
func (db *DB) IndexWords(ctx context.Context, batch int) (int, error) {
	w := db.eng.words
	n := 0
	err := db.Update(ctx, func(tx *Tx) error {
		rows, err := tx.query(w.todo, batch)
		if err != nil {
			return err
		}
		var put [][]any
		var ids []int64
		for rows.Next() {
			var id int64
			var title, description, address string
			if err := rows.Scan(&id, &title, &description, &address); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			put = append(put, []any{id, w.doc(domain.WordPairs(title, description, address))})
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		if w.clear != "" {
			if _, err := tx.exec(w.clear, ids[0], ids[len(ids)-1]); err != nil {
				return err
			}
		}
		if err := tx.insertRows(w.put, w.putThen, put); err != nil {
			return err
		}
		n = len(ids)
		return w.done(tx, ids[len(ids)-1], ids)
	})
	return n, err
}

// WordsBehind counts the cases filed but not yet in the text index: a search reads
// their rows.
func (db *DB) WordsBehind(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.eng.words.behind).Scan(&n)
	return n, err
}

// IndexAllWords indexes every case not yet in the text index (a bulk load's end, a
// test).
func (db *DB) IndexAllWords(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := db.IndexWords(ctx, WordBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < WordBatch {
			if total >= 10*WordBatch && db.eng.words.tidy != "" {
				_, err = db.write.ExecContext(ctx, db.eng.words.tidy)
			}
			return total, err
		}
	}
}

// WordBatch is how many cases one transaction of the indexer adds. The 1M cases of a
// generated database took SQLite 16 s in all, PostgreSQL 1 min 53 s (GIN takes each
// batch's rows one by one).
const WordBatch = 2000
