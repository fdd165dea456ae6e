// Command whistle is the whole of Whistle in one binary: the server (API and background
// work) and the administration commands. Every command migrates the database it opens.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"whistle/domain"
	"whistle/importer"
	"whistle/service"
	"whistle/store"
)

const usage = `whistle — grid governance and case platform (吹哨)

Usage:
  whistle serve [--addr :8080] [--db PATH] [--demo] [--demo-cases N]
                [--metrics-token T | --metrics-addr ADDR]   (/metrics is 404 without either)
                [--max-conns N] [--max-conns-per-addr N]   (0 per address behind a proxy)
                [--trusted-proxies CIDRS]   (whose X-Forwarded-For names the client; loopback)
  whistle migrate [--db PATH]
  whistle backup [--db PATH] [--with-key [--passphrase-file F|-]] FILE
                                           (SQLite: VACUUM INTO; PostgreSQL: pg_dump -Fc; file 0600;
                                           --with-key: the personal-data key sealed with a passphrase
                                           from WHISTLE_BACKUP_PASSPHRASE or F, in FILE.key.sealed)
  whistle restore [--db PATH] [--force] [--passphrase-file F|-] FILE
                                           (a backup, with its key when FILE.key.sealed is beside it;
                                           --force replaces an existing database)
  whistle copy --from DSN --to DSN         (move an installation, e.g. SQLite to PostgreSQL: one
                                           snapshot of a live source; run again to bring it up to date)
  whistle gen [--db PATH] --cases N [--under CODE] [--divisions DIR] [--seed S]
                                           (generated history for load tests)
  whistle import regions [--db PATH] [--under CODE] DIR
  whistle import matters [--db PATH] FILE.csv
  whistle import enterprises [--db PATH] FILE.csv|FILE.xlsx   (enterprise registry, all rows or none)
  whistle export matters [--db PATH]
  whistle user add [--db PATH] --login L --role ROLE [--region CODE] [--org CODE] [--name N] --password-stdin
  whistle open311 key add [--db PATH] --name NAME   (registers a client app; prints its api_key last)
  whistle audit verify [--db PATH]         (checks the audit log's hash chain; exit status 1 at a break)

--db is a SQLite file path (default whistle.db in the working directory) or a
PostgreSQL URL, postgres://user@host:5432/db?sslmode=disable.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "whistle:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	ctx = service.WithClient(ctx, "cli") // what a command changes is logged as from the command line
	cmd, rest := args[0], args[1:]
	if (cmd == "import" || cmd == "export" || cmd == "user" || cmd == "open311" || cmd == "audit") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	if cmd == "open311 key" && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout)
	case "migrate":
		fs, dsn := flags("migrate")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		db, err := open(ctx, *dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		v, err := db.Version(ctx)
		fmt.Fprintf(stdout, "%s at schema version %d\n", *dsn, v)
		return err
	case "backup":
		return backup(ctx, rest, stdin, stdout)
	case "restore":
		return restore(ctx, rest, stdin, stdout)
	case "copy":
		return copyCmd(ctx, rest, stdout)
	case "gen":
		return gen(ctx, rest, stdout)
	case "import regions":
		return importRegions(ctx, rest, stdout)
	case "import matters":
		return importMatters(ctx, rest, stdout)
	case "import enterprises":
		return importEnterprises(ctx, rest, stdout)
	case "export matters":
		fs, dsn := flags("export matters")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		db, err := open(ctx, *dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		ms, err := db.Matters(ctx)
		if err != nil {
			return err
		}
		return importer.WriteMatters(stdout, ms)
	case "user add":
		return userAdd(ctx, rest, stdin, stdout)
	case "open311 key add":
		return open311KeyAdd(ctx, rest, stdout)
	case "audit verify":
		return auditVerify(ctx, rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args[:min(2, len(args))], " "))
}

func flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return fs, fs.String("db", "whistle.db", "database: a SQLite file path or a postgres:// URL")
}

// open opens and migrates the database, and seeds the shipped holiday calendars.
func open(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := importer.SeedCalendars(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func importRegions(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("import regions")
	under := fs.String("under", "", "load only this region's subtree and its ancestors")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import regions needs the china-division folder")
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	began := time.Now()
	n, err := importer.Regions(ctx, db, fs.Arg(0), *under)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d regions in %s\n", n, time.Since(began).Round(time.Millisecond))
	return nil
}

func importMatters(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("import matters")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import matters needs a CSV file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	ms, err := importer.ReadMatters(f)
	if err != nil {
		return err
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.PutMatters(ctx, ms); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d matters\n", len(ms))
	return nil
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, dsn := flags("user add")
	login := fs.String("login", "", "login name")
	role := fs.String("role", "", "role: "+rolesList())
	region := fs.String("region", "", "region code the role is bound to")
	org := fs.String("org", "", "org code the role is bound to")
	name := fs.String("name", "", "the person's name")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*pwStdin {
		return errors.New("give --password-stdin and the password on standard input (never on the command line)")
	}
	pw, err := io.ReadAll(io.LimitReader(stdin, 1024))
	if err != nil {
		return err
	}
	password := strings.TrimRight(string(pw), "\r\n")
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	u := domain.User{Login: *login, Name: *name, Grants: []domain.Grant{{Role: domain.Role(*role), Region: *region, Org: *org}}}
	if old, err := db.UserByLogin(ctx, *login); err == nil {
		u.Grants = append(old.Grants, u.Grants...) // another role for the same person
		if u.Name == "" {
			u.Name = old.Name
		}
		u.Phone = old.Phone
	}
	if u.Name == "" {
		u.Name = *login
	}
	u, err = service.New(db).AddUser(ctx, u, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (id %d) has roles:", u.Login, u.ID)
	for _, g := range u.Grants {
		fmt.Fprintf(stdout, " %s[%s%s]", g.Role, g.Region, g.Org)
	}
	fmt.Fprintln(stdout)
	return nil
}

func rolesList() string {
	s := make([]string, len(domain.Roles))
	for i, r := range domain.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func copyCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "the database to copy: a SQLite file or a postgres:// URL")
	to := fs.String("to", "", "the database to copy into (created and migrated if new)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" || *from == *to {
		return errors.New("copy needs --from and --to, two different databases")
	}
	src, err := store.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := store.Copy(ctx, src, dst, stdout); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "copy of one snapshot complete and verified; run it again to resume a copy that was cut off or to bring the copy up to the source (serve the copy only once the source has stopped)")
	if check, sample, err := dst.Sealing(ctx); err != nil || check == "" && sample == "" {
		return err
	}
	fmt.Fprintf(stdout, "its ID numbers and phones are sealed with the key of the source, %s: give the copy's servers that key (WHISTLE_KEY_FILE), or they refuse to start\n",
		service.KeySource(src).Where())
	return nil
}
