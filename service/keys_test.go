package service_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"whistle/service"
	"whistle/whistletest"
)

// A database whose ID numbers and phones are sealed refuses to open without its key or
// with another, whether or not it recorded the key's fingerprint, and never makes a
// new key for itself; a database with nothing sealed gets a key at its first start.
func TestKeyStaysWithItsDatabase(t *testing.T) {
	ctx := context.Background()
	whistletest.KeysInTemp(t)
	svc, _, _ := whistletest.Demo(t, 0) // the demo register, sealed
	db := whistletest.StoreOf(svc)
	path := service.KeySource(db).Fallback
	right, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// a database from before fingerprints: its sealed values tell its key
	if _, err := whistletest.OpenRaw(t, db).ExecContext(ctx, `DELETE FROM settings WHERE key = 'groups_key_check'`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, key, want string
	}{
		{"no key", "", "not here"},
		{"another key", strings.Repeat("cd", 32), "does not open"},
	} {
		os.Remove(path)
		if tc.key != "" {
			if err := os.WriteFile(path, []byte(tc.key), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		err := service.New(db).CheckKey(ctx)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(path); tc.key == "" && !os.IsNotExist(err) {
			t.Errorf("%s: a new key was made: %v", tc.name, err)
		}
	}
	if err := os.WriteFile(path, right, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := service.New(db).CheckKey(ctx); err != nil {
		t.Fatalf("the right key: %v", err)
	}
	if check, _, err := db.Sealing(ctx); err != nil || check == "" {
		t.Fatalf("the fingerprint is not recorded again: %q %v", check, err)
	}
	// a fresh database records the fingerprint of its key at its first start
	fresh, _ := whistletest.DB(t)
	if err := service.New(fresh).CheckKey(ctx); err != nil {
		t.Fatal(err)
	}
	if check, _, err := fresh.Sealing(ctx); err != nil || check == "" {
		t.Fatalf("a fresh database's fingerprint: %q %v", check, err)
	}
}
