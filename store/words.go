package store

import (
	"context"
	"encoding/json"
	"math"
	"strings"

	"whistle/domain"
)

// The text index of the cases' words (migrations 0042, 0043): which cases hold each
// piece of their title, description and address (domain.WordPieces: two neighbouring
// letters, or four digits). A word search reads the rows of only the cases holding all
// its pieces, plus those not indexed yet, and LIKE decides among them (caseConds).
// Filings do not write the index: IndexWords adds what was filed since, in batches, in
// the background.

// wordIndex is the index's SQL in each engine's form: an FTS5 table and a mark of the
// highest id indexed on SQLite, an array under GIN and a list of cases to index on
// PostgreSQL (the migration's two files say why).
type wordIndex struct {
	// narrow gives a condition on a case's id (%s): that it is among the cases holding
	// every piece of a search (q), numbered q, or not indexed yet; none (ok false) where
	// reading the scope's rows costs less: a small scope's ranges of cases
	// (shape.cases; 0: a whole scope) read whole where the index names more than
	// wordsPerRange times as many. A case's number is not in the index: it is matched whole.
	narrow func(ctx context.Context, db *DB, q string, pieces []domain.WordPiece, shape condShape) (cond string, args []any, ok bool, err error)
	// doc is a case's pieces as the index keeps them.
	doc func([]domain.WordPiece) any
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
	// of cases to index has then had many rows deleted, which a search would scan, and
	// the planner's guess of how many cases hold a piece (narrowPostgres) wants the
	// index's new rows counted.
	tidy string
}

var (
	sqliteWords = wordIndex{
		// SQLite reads the index's set once and checks each id of a range against it
		narrow: func(ctx context.Context, db *DB, q string, pieces []domain.WordPiece, shape condShape) (string, []any, bool, error) {
			if cases := shape.cases; cases > 0 {
				var n int64
				err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM case_words WHERE case_words MATCH ? LIMIT ?) n`,
					ftsDoc(pieces), wordsPerRange*cases+1).Scan(&n)
				if err != nil || n > wordsPerRange*cases {
					return "", nil, false, err
				}
			}
			return `%s IN (SELECT rowid FROM case_words WHERE case_words MATCH ? UNION ALL SELECT id FROM cases WHERE number = ?
				UNION ALL SELECT id FROM cases NOT INDEXED WHERE id > (SELECT upto FROM case_words_mark))`, []any{ftsDoc(pieces), q}, true, nil
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
		doc:    pieceKeys,
		// a case gone since it was noted indexes as empty texts, and is forgotten. The
		// batch's ids are taken first: joined as one query, the planner merged the list
		// with cases read from the lowest id, so each batch read all the cases below it
		// (the 250th of a million: 194 ms, against 19 ms)
		todo: `WITH t AS (SELECT case_id FROM case_words_todo ORDER BY case_id LIMIT ? FOR UPDATE SKIP LOCKED)
			SELECT t.case_id, COALESCE(c.title, ''), COALESCE(c.description, ''), COALESCE(c.address, '')
			FROM t LEFT JOIN cases c ON c.id = t.case_id ORDER BY t.case_id`,
		put:     `case_words (case_id, pairs)`,
		putThen: ` ON CONFLICT (case_id) DO UPDATE SET pairs = excluded.pairs`,
		done: func(tx *Tx, _ int64, ids []int64) error {
			_, err := tx.exec(`DELETE FROM case_words_todo WHERE case_id = ANY (?)`, ids)
			return err
		},
		behind: `SELECT COUNT(*) FROM case_words_todo`,
		tidy:   `VACUUM (ANALYZE) case_words_todo, case_words`,
	}
)

// ftsDoc is pieces as an FTS5 document, and as a query of them all: tokens in quotes.
func ftsDoc(pieces []domain.WordPiece) any {
	quoted := make([]string, len(pieces))
	for i, p := range pieces {
		quoted[i] = `"` + p.String() + `"`
	}
	return strings.Join(quoted, " ")
}

// pieceKeys is pieces as PostgreSQL's index keeps them: an array of numbers.
func pieceKeys(pieces []domain.WordPiece) any {
	keys := make([]int64, len(pieces))
	for i, p := range pieces {
		keys[i] = p.Key()
	}
	return keys
}

// narrowPostgres reads the ids of the cases holding every piece, numbered q, or not
// indexed, and gives them to the list as an array (hashed by PostgreSQL when the plan
// is made for the values: store.customPlans). As a subquery the planner went wrong
// both ways: joined, it probed the index once per case of a street's range (329 × 19
// ms); kept a condition, it guessed the list of cases to index from statistics taken
// while it was long, and scanned it again for every case (a county: 4 s).
//
// Where the planner expects more than wordsNarrowAt cases to hold the pieces, it gives
// none, before reading any: the ids are read from the index's rows (the 14,419 cases
// holding 高空 at 1M lie on 12,199 pages, 18 ms), which costs more than reading a
// street's range whole (329 rows, 5 ms), and a common word fills its page soon where a
// whole scope is walked newest first. The guess is the planner's (the array's most
// common elements, ANALYZE'd): a plan without a run, some 0.3 ms. A whole scope's
// count reads every case that matches, up to its bound, so it is narrowed up to
// wordsCountAt: the province's count of a common word read the scope's million rows.
func narrowPostgres(ctx context.Context, db *DB, q string, pieces []domain.WordPiece, shape condShape) (string, []any, bool, error) {
	keys, cases, at := pieceKeys(pieces), shape.cases, float64(wordsNarrowAt)
	switch {
	case cases > 0: // a range: its own bound below
	case shape.count:
		at = wordsCountAt
	default:
		// a whole scope's list walks the cases newest first until its page is full:
		// some N × 50 / found rows for found cases among N, against found ids read from
		// the index, each some quarter of a row; so the index is read while found² <
		// 200 × N, as inRegion reads a subtree as a range (14,142 cases at 1M: 残疾's
		// 7,171 cases took the walk 318 ms)
		var n float64
		if err := db.read.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'cases'::regclass`).Scan(&n); err != nil {
			return "", nil, false, err
		}
		at = max(at, math.Sqrt(200*max(n, 0))) // -1: never counted since made
	}
	var plan []byte
	if err := db.read.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT case_id FROM case_words WHERE pairs @> ?`, keys).Scan(&plan); err != nil {
		return "", nil, false, err
	}
	var est []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(plan, &est); err != nil || len(est) == 0 || est[0].Plan.Rows > at ||
		cases > 0 && est[0].Plan.Rows > float64(wordsPerRange*cases) {
		return "", nil, false, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT case_id FROM case_words WHERE pairs @> ? UNION ALL SELECT id FROM cases WHERE number = ?
		UNION ALL SELECT case_id FROM case_words_todo LIMIT ?`, keys, q, 4*int(at)+1)
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
	if err := rows.Err(); err != nil || len(ids) > 4*int(at) {
		return "", nil, false, err // the guess was far out, or the index is far behind
	}
	return `%s = ANY (?)`, []any{ids}, true, nil
}

// wordsPerRange is how many times a small scope's cases a search's pieces may name for
// the index to narrow it. Reading the ids the index names costs some tenth of reading
// a case's row, and a range's ids are read from cases_region without their rows: a
// street's 329 cases read whole in 1.5 ms at 1M, against 5 ms for the 14,419 ids of
// 高空 from the index on SQLite; a county's 12,694 in 114 ms, against 10.
const wordsPerRange = 4

// wordsNarrowAt bounds the cases PostgreSQL's planner may expect a search's pieces to
// name for the list to be narrowed to them (narrowPostgres).
const wordsNarrowAt = 2_000

// wordsCountAt is wordsNarrowAt for a count.
const wordsCountAt = 20_000

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
			put = append(put, []any{id, w.doc(domain.WordPieces(title, description, address))})
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
// generated database took SQLite 18 s in all, PostgreSQL 31 s with its GIN index kept
// (GIN's list of pending entries takes a batch in one write): setting the index aside
// for a bulk load and building it once after made no difference.
const WordBatch = 2000
