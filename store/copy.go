package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// copyTables are the tables an installation consists of, parents before children, and
// identityTables those with an auto-numbered id whose counter must follow copied rows.
// Both are read from the migrations (tables are created after the tables they
// reference), so a capability's new tables are moved without anyone listing them.
var copyTables, identityTables = schemaTables()

func schemaTables() (tables, identity []string) {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	create := regexp.MustCompile(`(?is)CREATE TABLE (\w+) \((.*?)\n\);|ALTER TABLE (\w+) RENAME TO (\w+);`)
	for _, name := range names {
		if migrationEngine(name) != "" {
			continue // one engine's tables: derived (a text index), rebuilt on the target
		}
		body, _ := migrations.ReadFile(name)
		for _, m := range create.FindAllStringSubmatch(string(body), -1) {
			if m[3] != "" { // a table renamed keeps its place
				tables[slices.Index(tables, m[3])] = m[4]
				if i := slices.Index(identity, m[3]); i >= 0 {
					identity[i] = m[4]
				}
				continue
			}
			tables = append(tables, m[1])
			if strings.Contains(m[2], "{{ID}}") {
				identity = append(identity, m[1])
			}
		}
	}
	return tables, identity
}

// copyBatch is how many rows one insert statement and one target transaction carry.
const copyBatch = 400

// snapshotTx is how a copy reads its source: one read-only transaction that sees the
// database as it was at its first read, whatever is filed meanwhile. PostgreSQL gives
// that at REPEATABLE READ; a SQLite read transaction in WAL mode always does (the
// driver takes no isolation level and begins a plain deferred transaction).
var snapshotTx = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

// Copy moves a whole installation from one database to another (SQLite to PostgreSQL
// or back). Every table is read in one snapshot of the source, so the source may go on
// filing cases meanwhile: a case is copied with all its rows or not at all. Each row of
// the snapshot is upserted into the target, a batch per transaction, so a copy that was
// cut off resumes when run again, and a run after the source has moved on brings the
// target up to it: new rows are added, changed rows updated, removed rows removed. The
// numbering comes last, after every row it numbers: the counters (each day's case
// numbers, checked against the numbers the copied cases use) and, on PostgreSQL, the id
// sequences. It ends by comparing every table of the target with the snapshot.
func Copy(ctx context.Context, from, to *DB, log io.Writer) error {
	snap, err := from.read.BeginTx(ctx, snapshotTx)
	if err != nil {
		return err
	}
	defer snap.Rollback()
	var v1 int // SQLite takes the snapshot at this first read
	if err := snap.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v1); err != nil {
		return err
	}
	fmt.Fprintf(log, "snapshot of the source taken at %s\n", time.Now().Format(time.RFC3339))
	if v2, err := to.Version(ctx); err != nil || v1 != v2 {
		return fmt.Errorf("schema versions differ (%d and %d): run whistle migrate on both first", v1, v2)
	}
	if _, err := to.write.ExecContext(ctx, `DELETE FROM rollup_pending`); err != nil { // its cells come folded (copySource)
		return err
	}
	rows := slices.DeleteFunc(slices.Clone(copyTables), func(t string) bool { return t == "counters" })
	sums := map[string]tableSum{}
	if err := copyRows(ctx, snap, to, rows, sums, log); err != nil {
		return err
	}
	if err := copyRows(ctx, snap, to, []string{"counters"}, sums, log); err != nil {
		return err
	}
	raised, err := to.followCaseNumbers(ctx)
	if err != nil {
		return err
	}
	if raised > 0 {
		fmt.Fprintf(log, "counters         %9d case-number counters of the source were behind its cases; raised\n", raised)
	}
	if to.eng.followIDs != "" {
		for _, table := range identityTables {
			if _, err := to.write.ExecContext(ctx, fmt.Sprintf(to.eng.followIDs, table)); err != nil {
				return err
			}
		}
	}
	return verify(ctx, sums, to, log)
}

// copyRows upserts the snapshot's rows of tables into the target, parents first, then
// removes the target's rows the snapshot no longer holds, children first.
func copyRows(ctx context.Context, snap *sql.Tx, to *DB, tables []string, sums map[string]tableSum, log io.Writer) error {
	for _, table := range tables {
		began := time.Now()
		sum, err := upsertTable(ctx, snap, to, table)
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		sums[table] = sum
		fmt.Fprintf(log, "%-16s %9d rows read in %s\n", table, sum.n, time.Since(began).Round(time.Millisecond))
	}
	for _, table := range slices.Backward(tables) {
		gone, err := dropStale(ctx, snap, to, table, sums[table].n)
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		if gone > 0 {
			fmt.Fprintf(log, "%-16s %9d rows no longer in the source removed\n", table, gone)
		}
	}
	return nil
}

// upsertTable writes the snapshot's rows of table into the target and gives their
// count and checksum.
func upsertTable(ctx context.Context, snap *sql.Tx, to *DB, table string) (tableSum, error) {
	var sum tableSum
	key, err := to.primaryKey(ctx, table)
	if err != nil {
		return sum, err
	}
	var cols []string
	var batch [][]any
	write := func() error {
		if len(batch) == 0 {
			return nil
		}
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := to.eng.rebind(upsert(table, cols, key, len(batch)))
		batch = batch[:0]
		return to.Update(ctx, func(tx *Tx) error { return tx.execText(q, args...) })
	}
	src, err := copySource(ctx, snap, table)
	if err != nil {
		return sum, err
	}
	err = eachRow(ctx, snap, `SELECT * FROM `+src, func(c []string, vals []any) error {
		cols = c
		sum.add(vals)
		if batch = append(batch, vals); len(batch) == copyBatch {
			return write()
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	return sum, write()
}

// upsert is the statement that writes rows rows of table: a row whose key is new is
// inserted, one whose other columns differ is updated, one the same is left alone (a
// resume rewrites nothing it need not).
func upsert(table string, cols, key []string, rows int) string {
	one := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES ` + one + strings.Repeat(", "+one, rows-1) +
		` ON CONFLICT (` + strings.Join(key, ", ") + `) DO `
	var set, differs []string
	for _, c := range cols {
		if !slices.Contains(key, c) {
			set = append(set, c+" = excluded."+c)
			differs = append(differs, table+"."+c+" IS DISTINCT FROM excluded."+c)
		}
	}
	if len(set) == 0 {
		return q + "NOTHING"
	}
	return q + "UPDATE SET " + strings.Join(set, ", ") + " WHERE " + strings.Join(differs, " OR ")
}

// dropStale removes the target's rows of table whose key the snapshot does not hold:
// rows the source removed since an earlier copy (a deadline met, a session ended).
// After the upsert the target holds every one of the snapshot's n rows, so a table
// holding n rows has nothing else and is not read again. Keys are compared by a 64-bit
// hash, 8 bytes a row whatever the key; the final comparison would catch a collision.
func dropStale(ctx context.Context, snap *sql.Tx, to *DB, table string, n int) (int, error) {
	var have int
	if err := to.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&have); err != nil || have == n {
		return 0, err
	}
	key, err := to.primaryKey(ctx, table)
	if err != nil {
		return 0, err
	}
	src, err := copySource(ctx, snap, table)
	if err != nil {
		return 0, err
	}
	keys := `SELECT ` + strings.Join(key, ", ") + ` FROM ` + src
	var keep []uint64
	if err := eachRow(ctx, snap, keys, func(_ []string, k []any) error { keep = append(keep, rowHash(k)); return nil }); err != nil {
		return 0, err
	}
	slices.Sort(keep)
	var stale [][]any
	err = eachRow(ctx, to.read, keys, func(_ []string, k []any) error {
		if _, found := slices.BinarySearch(keep, rowHash(k)); !found {
			stale = append(stale, k)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	one := "(" + strings.Join(key, " = ? AND ") + " = ?)"
	for batch := range slices.Chunk(stale, copyBatch) {
		q := to.eng.rebind(`DELETE FROM ` + table + ` WHERE ` + one + strings.Repeat(" OR "+one, len(batch)-1))
		if err := to.Update(ctx, func(tx *Tx) error { return tx.execText(q, slices.Concat(batch...)...) }); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// followCaseNumbers raises each day's case-number counter of db to the highest number
// its cases use, so a server never hands one out again, and tells how many it raised:
// none after a copy of a consistent snapshot.
func (db *DB) followCaseNumbers(ctx context.Context) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`INSERT INTO counters (name, value)
			SELECT 'case:' || substr(number, 1, 8), MAX(CAST(substr(number, 10) AS BIGINT)) FROM cases
			WHERE number LIKE '________-%' GROUP BY substr(number, 1, 8)` + raiseCounter)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// raiseCounter ends an insert of counters: a counter only ever moves up.
const raiseCounter = ` ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE excluded.value > counters.value`

// primaryKey names the columns of table's primary key, as the database has them.
func (db *DB) primaryKey(ctx context.Context, table string) ([]string, error) {
	var key []string
	err := eachRow(ctx, db.read, db.eng.primaryKey, func(_ []string, v []any) error {
		key = append(key, render(v[0]))
		return nil
	}, table)
	if err == nil && len(key) == 0 {
		err = fmt.Errorf("table %s has no primary key", table)
	}
	return key, err
}

// Verify compares every table's row count and checksum in two databases.
func Verify(ctx context.Context, a, b *DB, log io.Writer) error {
	want := map[string]tableSum{}
	for _, table := range copyTables {
		sum, err := checksum(ctx, a.read, table)
		if err != nil {
			return err
		}
		want[table] = sum
	}
	return verify(ctx, want, b, log)
}

// verify compares every table of db with the count and checksum it should have.
func verify(ctx context.Context, want map[string]tableSum, db *DB, log io.Writer) error {
	var bad []string
	for _, table := range copyTables {
		have, err := checksum(ctx, db.read, table)
		if err != nil {
			return err
		}
		ok := "ok"
		if have != want[table] {
			ok = "DIFFERS"
			bad = append(bad, table)
		}
		fmt.Fprintf(log, "verify %-16s %9d / %9d rows  %016x / %016x  %s\n", table, want[table].n, have.n, want[table].sum, have.sum, ok)
	}
	if len(bad) > 0 {
		return fmt.Errorf("copies differ in %s", strings.Join(bad, ", "))
	}
	return nil
}

// tableSum is a table's row count and checksum. The checksum adds up a hash of each
// row, so it does not depend on row order or collation, and it renders values the same
// way whichever engine returned them.
type tableSum struct {
	n   int
	sum uint64
}

func (s *tableSum) add(vals []any) {
	s.n++
	s.sum += rowHash(vals)
}

// rowHash hashes a row's values as render writes them.
func rowHash(vals []any) uint64 {
	h := fnv.New64a()
	for _, v := range vals {
		io.WriteString(h, render(v))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func checksum(ctx context.Context, q querier, table string) (tableSum, error) {
	var sum tableSum
	src, err := copySource(ctx, q, table)
	if err != nil {
		return sum, err
	}
	err = eachRow(ctx, q, `SELECT * FROM `+src, func(_ []string, vals []any) error { sum.add(vals); return nil })
	return sum, err
}

// copySource is what a copy reads of a table: the table, but for the rollup, whose
// changes still waiting in rollup_pending (see foldRollup) are folded into its cells on
// the way, in the table's column order. rollup_pending itself is not copied (Copy empties
// the target's), so the target holds every change in its cells, and two copies compare
// equal whatever each has folded.
func copySource(ctx context.Context, q querier, table string) (string, error) {
	if table != "case_rollup" {
		return table, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT * FROM case_rollup WHERE 1 = 0`)
	if err != nil {
		return "", err
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		return "", err
	}
	key := []string{"dim", "depth", "region", "month", "value"}
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = c
		if !slices.Contains(key, c) {
			sel[i] = "CAST(SUM(" + c + ") AS BIGINT) AS " + c
		}
	}
	return `(SELECT ` + strings.Join(sel, ", ") + ` FROM (SELECT * FROM case_rollup UNION ALL SELECT * FROM rollup_pending) u
		GROUP BY ` + strings.Join(key, ", ") + `) r`, nil
}

// eachRow runs query on q and hands fn each row's columns and values as the driver
// gives them.
func eachRow(ctx context.Context, q querier, query string, fn func(cols []string, vals []any) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals, err := ScanValues(rows, len(cols))
		if err != nil {
			return err
		}
		if err := fn(cols, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// render writes a value the same way whichever engine and driver returned it.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "\x00null"
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return string(x)
	case string:
		return x
	case sql.RawBytes:
		return string(x)
	}
	return fmt.Sprint(v)
}

// ScanValues reads the current row of rows, n columns of any type, as the driver gives
// them: what copy moves, and what the benchmarks' ceiling writes again.
func ScanValues(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}
