package store

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
)

// Backup writes a consistent copy of a live database to path. SQLite copies itself with
// VACUUM INTO inside one read transaction, so writers carry on meanwhile; PostgreSQL is
// dumped by pg_dump in its custom format (restore with pg_restore).
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists; a backup never overwrites a file", path)
	}
	if db.eng.name == "postgres" {
		dsn, schema := splitSearchPath(db.DSN)
		args := []string{"--format=custom", "--file=" + path}
		if schema != "" {
			args = append(args, "--schema="+schema)
		}
		out, err := exec.CommandContext(ctx, "pg_dump", append(args, dsn)...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("pg_dump: %v: %s", err, out)
		}
		return nil
	}
	_, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// splitSearchPath takes the search_path parameter (which libpq tools do not know) out
// of a PostgreSQL URL and returns it apart.
func splitSearchPath(dsn string) (string, string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, ""
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}
