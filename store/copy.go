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

// Copy moves a whole installation from one database to another (SQLite to PostgreSQL
// or back), table by table. Rows already in the target are skipped, so a copy that was
// cut off resumes where it stopped when run again. It ends by comparing each table's
// row count and checksum on both sides.
func Copy(ctx context.Context, from, to *DB, log io.Writer) error {
	v1, err := from.Version(ctx)
	if err != nil {
		return err
	}
	if v2, err := to.Version(ctx); err != nil || v1 != v2 {
		return fmt.Errorf("schema versions differ (%d and %d): run whistle migrate on both first", v1, v2)
	}
	for _, table := range copyTables {
		began := time.Now()
		n, err := copyTable(ctx, from, to, table)
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		fmt.Fprintf(log, "%-16s %9d rows read in %s\n", table, n, time.Since(began).Round(time.Millisecond))
	}
	if to.eng.followIDs != "" {
		for _, table := range identityTables {
			if _, err := to.write.ExecContext(ctx, fmt.Sprintf(to.eng.followIDs, table)); err != nil {
				return err
			}
		}
	}
	return Verify(ctx, from, to, log)
}

func copyTable(ctx context.Context, from, to *DB, table string) (int, error) {
	rows, err := from.read.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	one := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	insert := func(batch [][]any) error {
		if len(batch) == 0 {
			return nil
		}
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES ` + one + strings.Repeat(", "+one, len(batch)-1) + ` ON CONFLICT DO NOTHING`
		return to.Update(ctx, func(tx *Tx) error { return tx.execText(to.eng.rebind(q), args...) })
	}
	var batch [][]any
	n := 0
	for rows.Next() {
		vals, err := ScanValues(rows, len(cols))
		if err != nil {
			return n, err
		}
		batch = append(batch, vals)
		n++
		if len(batch) == copyBatch {
			if err := insert(batch); err != nil {
				return n, err
			}
			batch = batch[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, insert(batch)
}

// Verify compares every table's row count and checksum in two databases. The checksum
// adds up a hash of each row, so it does not depend on row order or collation, and it
// renders values the same way whichever engine returned them.
func Verify(ctx context.Context, a, b *DB, log io.Writer) error {
	var bad []string
	for _, table := range copyTables {
		n1, s1, err := checksum(ctx, a, table)
		if err != nil {
			return err
		}
		n2, s2, err := checksum(ctx, b, table)
		if err != nil {
			return err
		}
		ok := "ok"
		if n1 != n2 || s1 != s2 {
			ok = "DIFFERS"
			bad = append(bad, table)
		}
		fmt.Fprintf(log, "verify %-16s %9d / %9d rows  %016x / %016x  %s\n", table, n1, n2, s1, s2, ok)
	}
	if len(bad) > 0 {
		return fmt.Errorf("copies differ in %s", strings.Join(bad, ", "))
	}
	return nil
}

func checksum(ctx context.Context, db *DB, table string) (int, uint64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var sum uint64
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, 0, err
		}
		h := fnv.New64a()
		for _, v := range vals {
			io.WriteString(h, render(v))
			h.Write([]byte{0})
		}
		sum += h.Sum64()
		n++
	}
	return n, sum, rows.Err()
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
