package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
)

// Backup writes a consistent copy of a live database to path, a new file only its
// owner may read: it holds every case and the sealed personal data. SQLite copies
// itself with VACUUM INTO inside one read transaction, so writers carry on meanwhile;
// PostgreSQL is dumped by pg_dump in its custom format. Restore puts either back. The
// personal-data key is not in it (see whistle backup --with-key).
func (db *DB) Backup(ctx context.Context, path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists; a backup never overwrites a file", path)
	} else if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if db.eng.name == "postgres" {
		dsn, schema := splitSearchPath(db.DSN)
		args := []string{"--format=custom"}
		if schema != "" {
			args = append(args, "--schema="+schema)
		}
		var stderr bytes.Buffer
		dump := exec.CommandContext(ctx, "pg_dump", append(args, dsn)...)
		dump.Stdout, dump.Stderr = f, &stderr
		if err := dump.Run(); err != nil {
			return fmt.Errorf("pg_dump: %v: %s", err, stderr.Bytes())
		}
		return f.Sync()
	}
	// VACUUM INTO writes into an empty file, which keeps the mode it was made with
	_, err = db.write.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// Restore puts a backup Backup wrote in place of the database dsn names: a SQLite
// file is copied to the path, a PostgreSQL dump is restored by pg_restore in one
// transaction. A database already there is replaced only when force is set (stop its
// servers first).
func Restore(ctx context.Context, file, dsn string, force bool) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil {
		return fmt.Errorf("%s is not a backup: %w", file, err)
	}
	if IsPostgres(dsn) {
		if !bytes.HasPrefix(head, []byte("PGDMP")) {
			return fmt.Errorf("%s is not a PostgreSQL backup (pg_dump's custom format); a SQLite backup restores to a file (--db PATH)", file)
		}
		return restorePostgres(ctx, file, dsn, force)
	}
	if !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return fmt.Errorf("%s is not a SQLite backup; a PostgreSQL backup restores to a postgres:// --db", file)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return restoreSQLite(f, dsn, force)
}

// restoreSQLite copies a backup beside path and renames it over path, so a restore
// cut short leaves no half-written database.
func restoreSQLite(backup io.Reader, path string, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("%s exists: a restore replaces a database only with --force (stop its server first)", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".whistle-restore-*") // made 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, backup)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// the log of the database replaced must not be played onto the backup
	for _, log := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(log); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(tmp.Name(), path)
}

// restorePostgres restores a pg_dump file into the database and schema dsn names.
func restorePostgres(ctx context.Context, file, dsn string, force bool) error {
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	holds := func() (bool, error) {
		var ok bool
		err := conn.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&ok)
		return ok, err
	}
	exists, err := holds()
	if err != nil {
		return fmt.Errorf("connect %s: %w", redact(dsn), err)
	}
	if exists && !force {
		return fmt.Errorf("%s holds a Whistle database: a restore replaces it only with --force (stop its servers first)", redact(dsn))
	}
	target, _ := splitSearchPath(dsn)
	args := []string{"--no-owner", "--single-transaction", "--dbname=" + target}
	if exists {
		args = append(args, "--clean", "--if-exists")
	}
	if out, err := exec.CommandContext(ctx, "pg_restore", append(args, file)...).CombinedOutput(); err != nil {
		return fmt.Errorf("pg_restore: %v: %s", err, out)
	}
	if ok, err := holds(); err != nil || !ok {
		return fmt.Errorf("the backup was restored, but not into the schema %s names: give --db the search_path the backup was taken with (%v)", redact(dsn), err)
	}
	return nil
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
