package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"whistle/secret"
	"whistle/service"
	"whistle/store"
)

// sealedKeySuffix names the file beside a backup that holds its personal-data key,
// sealed with a passphrase.
const sealedKeySuffix = ".key.sealed"

// passphraseEnv names the variable a backup's passphrase may come from.
const passphraseEnv = "WHISTLE_BACKUP_PASSPHRASE"

func backupFlags(name string) (fs *flag.FlagSet, dsn, passFile *string) {
	f, d := flags(name)
	return f, d, f.String("passphrase-file", "", "read the passphrase that seals the key from this file (- for standard input); else "+passphraseEnv)
}

func backup(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, dsn, passFile := backupFlags("backup")
	withKey := fs.Bool("with-key", false, "also write the personal-data key to FILE"+sealedKeySuffix+", sealed with a passphrase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup needs the file to write")
	}
	file := fs.Arg(0)
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var sealed []byte
	if *withKey { // before the backup, so a missing key or passphrase stops it early
		master, err := service.BackupKey(ctx, db)
		if err != nil {
			return err
		}
		pass, err := passphrase(*passFile, stdin)
		if err != nil {
			return err
		}
		if sealed, err = secret.SealKey(master, pass); err != nil {
			return err
		}
	}
	began := time.Now()
	if err := db.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s in %s (readable by its owner only)\n", db.Engine(), file, time.Since(began).Round(time.Millisecond))
	if sealed != nil {
		if err := writeNew(file+sealedKeySuffix, sealed); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "the personal-data key is in %s, sealed with the passphrase: keep the passphrase apart from the backup; whistle restore %s puts both back\n", file+sealedKeySuffix, file)
		return nil
	}
	check, sample, err := db.Sealing(ctx)
	if err != nil {
		return err
	}
	if check == "" && sample == "" {
		fmt.Fprintln(stdout, "the database holds no sealed personal data yet")
		return nil
	}
	fmt.Fprintf(stdout, "the backup does not hold the key that seals its ID numbers and phones (fingerprint %s): it is %s. "+
		"Keep a copy of it apart from the backup, or back up with --with-key: restored without it they cannot be read and the server refuses to start\n",
		cmp.Or(check, "not recorded"), service.KeySource(db).Where())
	return nil
}

func restore(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, dsn, passFile := backupFlags("restore")
	force := fs.Bool("force", false, "replace an existing database, and a different key file, with the backup's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore needs the backup file")
	}
	file := fs.Arg(0)
	var master []byte
	sealed, err := os.ReadFile(file + sealedKeySuffix)
	if err == nil { // open the key before anything is replaced: a wrong passphrase stops here
		pass, err := passphrase(*passFile, stdin)
		if err != nil {
			return err
		}
		if master, err = secret.OpenKey(sealed, pass); err != nil {
			return fmt.Errorf("%s: %w", file+sealedKeySuffix, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := store.Restore(ctx, file, *dsn, *force); err != nil {
		return err
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "restored %s into %s\n", file, *dsn)
	if master != nil {
		where, err := service.RestoreKey(db, master, *force)
		if err != nil {
			return fmt.Errorf("the database is restored, but not its key: %w", err)
		}
		fmt.Fprintf(stdout, "the personal-data key is at %s\n", where)
	}
	if err := service.New(db).CheckKey(ctx); err != nil {
		return fmt.Errorf("the database is restored, but whistle serve will refuse to start on it: %w", err)
	}
	fmt.Fprintln(stdout, "the personal-data key fits the restored database")
	return nil
}

// passphrase reads the passphrase that seals a backup's key: from the file named (-
// for standard input), else from WHISTLE_BACKUP_PASSPHRASE; never from the command
// line, where other users would see it.
func passphrase(file string, stdin io.Reader) (string, error) {
	text := os.Getenv(passphraseEnv)
	if file != "" {
		var b []byte
		var err error
		if file == "-" {
			b, err = io.ReadAll(io.LimitReader(stdin, 4096))
		} else {
			b, err = os.ReadFile(file)
		}
		if err != nil {
			return "", err
		}
		text, _, _ = strings.Cut(string(b), "\n")
	}
	if text = strings.TrimRight(text, "\r\n"); text == "" {
		return "", fmt.Errorf("the key is sealed with a passphrase: give it in %s or with --passphrase-file FILE (- for standard input)", passphraseEnv)
	}
	return text, nil
}

// writeNew writes data to a new file only its owner may read.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
