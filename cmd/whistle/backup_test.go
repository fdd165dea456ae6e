package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// The restore drill: a database with sealed phones is backed up with its key, restored
// into a fresh place and read back exactly; restored without its key, the restore and
// the server say so and refuse, and no new key is made.
func TestBackupRestoreDrill(t *testing.T) {
	ctx := context.Background()
	whistletest.KeysInTemp(t)
	t.Setenv(passphraseEnv, "长江十年禁渔，退捕渔民上岸")
	svc, users, _ := whistletest.Demo(t, 0)
	db := whistletest.StoreOf(svc)
	admin := users["demo.admin"]
	var id int64
	if err := whistletest.OpenRaw(t, db).QueryRowContext(ctx, `SELECT MIN(subject_id) FROM subject_values WHERE field = 'phone' AND hash <> ''`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	want := revealPhone(t, svc, admin, id)
	file := filepath.Join(t.TempDir(), "whistle-backup")
	out := command(t, "backup", "--db", db.DSN, "--with-key", file)
	for _, f := range []string{file, file + sealedKeySuffix} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, %v (want 0600)\n%s", f, st.Mode(), err, out)
		}
	}
	if body, _ := os.ReadFile(file + sealedKeySuffix); bytes.Contains(body, mustRead(t, service.KeySource(db))) {
		t.Fatal("the key travels in clear")
	}

	// with its key: the same phone, exactly
	target := whistletest.Empty(t, db.DSN)
	out = command(t, "restore", "--db", target, file)
	back, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if got := revealPhone(t, service.New(back), admin, id); got != want {
		t.Fatalf("restored phone %q, want %q\n%s", got, want, out)
	}
	if err := run(ctx, []string{"restore", "--db", target, file}, nil, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("a restore over an existing database: %v", err)
	}

	// without its key: refused with its reason, at the restore and at the start
	plain := filepath.Join(t.TempDir(), "whistle-backup")
	if err := os.WriteFile(plain, mustReadFile(t, file), 0o600); err != nil {
		t.Fatal(err)
	}
	out = command(t, "backup", "--db", db.DSN, plain+".again")
	if !strings.Contains(out, service.KeySource(db).Where()) || !strings.Contains(out, "--with-key") {
		t.Errorf("a backup without the key does not say where the key is:\n%s", out)
	}
	bare := whistletest.Empty(t, db.DSN)
	err = run(ctx, []string{"restore", "--db", bare, plain}, nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "refuse") || !strings.Contains(err.Error(), "fingerprint") {
		t.Fatalf("restore without the key: %v", err)
	}
	stop, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err = run(stop, []string{"serve", "--db", bare, "--addr", "127.0.0.1:0"}, nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "refusing to start") || !strings.Contains(err.Error(), "whistle restore") {
		t.Fatalf("serve without the key: %v", err)
	}
	bareDB, err := store.Open(ctx, bare)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(service.KeySource(bareDB).Fallback); !os.IsNotExist(err) {
		t.Fatalf("a key was made for a database sealed with another: %v", err)
	}
	bareDB.Close()
	// the key put back later, by a restore over it with --force: it opens again
	command(t, "restore", "--db", bare, "--force", file)
	if bareDB, err = store.Open(ctx, bare); err != nil {
		t.Fatal(err)
	}
	defer bareDB.Close()
	if got := revealPhone(t, service.New(bareDB), admin, id); got != want {
		t.Fatalf("phone after the key came back: %q, want %q", got, want)
	}
}

// command runs a whistle command that must succeed and gives what it printed.
func command(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), args, nil, &out); err != nil {
		t.Fatalf("whistle %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

func revealPhone(t *testing.T, svc *service.Service, u domain.User, id int64) string {
	t.Helper()
	gs, err := svc.KeyGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := gs.Subject(context.Background(), u, id, "", []string{"phone"}, "恢复演练")
	phone := s.Values["phone"]
	if err != nil || len(phone) != 11 || strings.Contains(phone, "*") {
		t.Fatalf("revealed phone of subject %d: %q, %v", id, phone, err)
	}
	return phone
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustRead gives the key file's text (the key in hex).
func mustRead(t *testing.T, src interface{ Where() string }) []byte {
	t.Helper()
	path := strings.TrimPrefix(src.Where(), "the key file ")
	return bytes.TrimSpace(mustReadFile(t, path))
}
