package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// engine is everything that differs between SQLite and PostgreSQL, side by side, so a
// reader sees each difference once. All other SQL is shared and written with ?
// placeholders, which PostgreSQL gets renumbered as $1, $2, ...
type engine struct {
	name string
	// idColumn replaces {{ID}} in migrations: an auto-numbered 64-bit primary key.
	idColumn string
	// lockRow ends a SELECT that reads a row for change. SQLite's write transaction
	// already holds the database lock (BEGIN IMMEDIATE); PostgreSQL locks the row.
	lockRow string
	// claimRows ends a SELECT of queue rows (due deadlines) so concurrent sweepers on
	// other processes skip the rows one is working on instead of waiting for them.
	claimRows string
	// migrationLock, run first in a migration transaction, keeps two processes that
	// start at once from applying the same migration twice.
	migrationLock string
	// lockIDs, run in a write transaction, lets it number rows of a table itself (from
	// MAX(id)) without another writer taking the same numbers: SQLite's write
	// transaction already excludes other writers; PostgreSQL locks the table for writes.
	lockIDs string
	// followIDs moves a table's id counter past rows numbered by hand. SQLite's
	// INTEGER PRIMARY KEY takes MAX(id)+1 anyway; PostgreSQL's identity is a sequence.
	followIDs string
	// reserveIDs takes ids for rows a transaction numbers itself from the table's
	// sequence, so other processes never take them. SQLite has no other writer during a
	// write transaction: ids follow MAX(id) there.
	reserveIDs string
	// copyIn loads many rows at once inside a write transaction, where the engine has a
	// faster way than multi-row INSERTs: PostgreSQL's COPY. SQLite has none; its
	// prepared multi-row INSERT binds in process.
	copyIn func(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error
	// pipeline sends many writes in one round trip inside a write transaction; SQLite
	// runs in process and needs none.
	pipeline func(ctx context.Context, conn *sql.Conn, stmts []queued) error
	// secondaryIndexes lists a table's indexes that no key or unique constraint needs,
	// with the statement that creates each (SetAside).
	secondaryIndexes string
	// foreignKeys lists a table's foreign keys, with the statement that adds each
	// (SetAside). SQLite has none: it checks a key with one B-tree lookup, a tenth of
	// inserting an event row, and cannot drop a key without rebuilding its table.
	foreignKeys string
	// beforeRestore runs before each index or key RestoreSetAside makes: SQLite sorts
	// an index's rows on helper threads; PostgreSQL sorts, and joins to check a key, in
	// maintenance_work_mem, 64 MB by default, and spills a large table's sort to disk.
	beforeRestore string
	// analyze refreshes the planner's statistics after a bulk load. PostgreSQL also
	// vacuums: that marks the loaded pages all-visible, without which a list reads every
	// row of its range instead of only the index (see caseList).
	analyze string
	// afterAnalyze runs once the statistics are refreshed. SQLite (built with STAT4 by
	// modernc, unlike SQLite's default build) drops the value samples of sqlite_stat4
	// and reloads the rest: with samples, it prepares a statement again at every run
	// whose parameters touch a sampled index, and the lists planned no better.
	afterAnalyze []string
	// lockAudit, run in a write transaction before it reads the audit chain's head,
	// keeps two transactions from chaining entries to the same head. SQLite's write
	// transaction already excludes other writers; PostgreSQL takes an advisory lock held
	// to the commit (the head row may not exist yet, so a row lock would not serve).
	lockAudit string
	// primaryKey lists the columns of a table's primary key in order (a copy upserts on
	// them).
	primaryKey string
	// foldPending moves the rollup changes waiting in rollup_pending into their cells
	// (foldRollup: %[1]s is the cells' target, %[2]s the sums of their columns, %[3]s
	// the upsert clause). SQLite's write transaction excludes every other writer, so it
	// sums the rows, then deletes them; PostgreSQL deletes and sums in one statement, so a
	// change another transaction commits meanwhile is neither lost nor counted twice,
	// and adds the cells in key order, so two folds lock shared cells in one order.
	foldPending []string
	// words is the cases' text index in the engine's form (words.go).
	words    wordIndex
	numbered bool
	// columns lists a table's columns in their order, read from the catalog: a
	// "SELECT *" kept prepared fails on PostgreSQL once a later migration adds one.
	columns string
	// textOff writes a text column as an expression no index serves (condShape): SQLite
	// takes a unary plus on any value, a no-op read straight from the index entry;
	// PostgreSQL has no unary plus for text and appends an empty string. SQLite
	// appending one made a county's status tab build 12,600 strings (at 1M: 5.8–8.7 ms
	// against 3.1–3.8 with the plus).
	textOff func(string) string
}

var (
	sqliteEngine = engine{
		name:     "sqlite",
		idColumn: "INTEGER PRIMARY KEY",
		analyze:  "ANALYZE",
		secondaryIndexes: `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?
			AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`,
		beforeRestore: "PRAGMA threads = 4",
		afterAnalyze:  []string{"DELETE FROM sqlite_stat4", "ANALYZE sqlite_schema"},
		primaryKey:    `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`,
		foldPending: []string{`INSERT INTO %[1]s SELECT dim, depth, region, month, value, %[2]s FROM rollup_pending
			WHERE 1 = 1 GROUP BY dim, depth, region, month, value%[3]s`, `DELETE FROM rollup_pending`},
		words:   sqliteWords,
		columns: `SELECT name FROM pragma_table_info(?) ORDER BY cid`,
		textOff: numOffIndex,
	}
	postgresEngine = engine{
		name:          "postgres",
		idColumn:      "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
		lockRow:       " FOR UPDATE",
		claimRows:     " FOR UPDATE SKIP LOCKED",
		migrationLock: "SELECT pg_advisory_xact_lock(7243101)",
		lockIDs:       "LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE",
		followIDs:     "SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), COALESCE((SELECT MAX(id) FROM %[1]s), 0) + 1, false)",
		reserveIDs:    "SELECT '%[1]s', nextval(s) FROM (SELECT pg_get_serial_sequence('%[1]s', 'id') AS s) q, generate_series(1, %[2]d)",
		copyIn:        copyInPostgres,
		pipeline:      pipelinePostgres,
		secondaryIndexes: `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = to_regclass(?) AND NOT i.indisunique AND NOT i.indisprimary ORDER BY c.relname`,
		foreignKeys: `SELECT conname, 'ALTER TABLE ' || conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'f' ORDER BY conname`,
		beforeRestore: "SET LOCAL maintenance_work_mem = '1GB'",
		analyze:       "VACUUM (ANALYZE)",
		lockAudit:     "SELECT pg_advisory_xact_lock(7243102)",
		primaryKey: `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
		foldPending: []string{`WITH moved AS (DELETE FROM rollup_pending RETURNING *)
			INSERT INTO %[1]s SELECT dim, depth, region, month, value, %[2]s FROM moved
			GROUP BY dim, depth, region, month, value ORDER BY dim, depth, region, month, value%[3]s`},
		words:    postgresWords,
		numbered: true,
		columns:  `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
		textOff:  func(c string) string { return "(" + c + " || '')" },
	}
)

// rebind renumbers ? placeholders as $n for PostgreSQL. The shared SQL has no ? inside
// string literals; rebind skips quoted text all the same.
func (e *engine) rebind(q string) string {
	if !e.numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Rebind writes a shared ? query for this database's engine; tests use it for their
// own checking queries.
func (db *DB) Rebind(q string) string { return db.eng.rebind(q) }

// pool is a connection pool that speaks the shared SQL to its engine, with the queries
// it has run kept prepared.
type pool struct {
	*sql.DB
	eng   *engine
	stmts *stmtCache
}

func (p pool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := p.stmts.prepare(ctx, p, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, p.eng.rebind(q), args...)
}

func (p pool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := p.stmts.prepare(ctx, p, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, p.eng.rebind(q), args...)
}

// ExecContext is not kept prepared: outside transactions it runs migrations and other
// statements that may hold several commands, which a prepared statement would cut short.
func (p pool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, p.eng.rebind(q), args...)
}
