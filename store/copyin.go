package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyInPostgres streams rows into table with COPY, in the transaction open on conn:
// no statement to parse and plan, no thousands of bound parameters to encode one by
// one.
func copyInPostgres(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: connection is %T, not pgx", table, dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}

// pipelinePostgres sends stmts in one round trip (a pgx batch) in the transaction open
// on conn and reports the first error; the server then aborts the transaction.
func pipelinePostgres(ctx context.Context, conn *sql.Conn, stmts []queued) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: connection is %T, not pgx", dc)
		}
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.query, s.args...)
		}
		return c.Conn().SendBatch(ctx, b).Close()
	})
}

// splitTable cuts "table (col, col, ...)" into the table and its columns.
func splitTable(target string) (string, []string) {
	name, list, _ := strings.Cut(target, "(")
	cols := strings.FieldsFunc(strings.TrimSuffix(strings.TrimSpace(list), ")"), func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\t'
	})
	return strings.TrimSpace(name), cols
}
