package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpenHash(t *testing.T) {
	k, err := Source{Key: strings.Repeat("ab", 32)}.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := k.Seal("11010519491231002X")
	b, _ := k.Seal("11010519491231002X")
	if a == b || strings.Contains(a, "1101051949") {
		t.Errorf("sealing is not randomised or leaks the value: %q %q", a, b)
	}
	if got, err := k.Open(a); err != nil || got != "11010519491231002X" {
		t.Errorf("Open = %q, %v", got, err)
	}
	tampered := []byte(a)
	tampered[len(tampered)-3] ^= 1
	if _, err := k.Open(string(tampered)); err == nil {
		t.Error("a tampered value opened")
	}
	again, _ := Source{Key: strings.Repeat("ab", 32)}.Load()
	if k.Hash("phone", "13873810001") != again.Hash("phone", "13873810001") || k.Hash("phone", "13873810001") == k.Hash("id_number", "13873810001") {
		t.Error("hash must be stable per kind and differ across kinds")
	}
	other, _ := Source{Key: strings.Repeat("cd", 32)}.Load()
	if _, err := other.Open(a); err == nil || other.Check == k.Check || other.Hash("phone", "1") == k.Hash("phone", "1") {
		t.Error("another key opens, checks or hashes the same")
	}
}

func TestKeySources(t *testing.T) {
	dir := t.TempDir()
	fallback := filepath.Join(dir, "sub", "whistle.key")
	k1, err := Source{Fallback: fallback}.Load()
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fallback); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("fallback key file: %v %v", st, err)
	}
	k2, err := Source{File: fallback}.Load()
	if err != nil || k2.Check != k1.Check {
		t.Fatalf("the key file gives another key: %v", err)
	}
	if _, err := (Source{File: filepath.Join(dir, "absent")}).Load(); err == nil {
		t.Error("a missing WHISTLE_KEY_FILE was accepted")
	}
	if _, err := (Source{Key: "short"}).Load(); err == nil {
		t.Error("a short WHISTLE_KEY was accepted")
	}
	if _, err := (Source{}).Load(); err == nil {
		t.Error("no key at all was accepted")
	}
}

// A backup's key is sealed with a passphrase: the right one opens it exactly, a wrong
// one, a changed parameter or a short passphrase is refused.
func TestSealKeyWithPassphrase(t *testing.T) {
	master, _ := Parse(strings.Repeat("ab", 32))
	sealed, err := SealKey(master, "长江边的退捕渔民2026")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), strings.Repeat("ab", 8)) {
		t.Fatal("the sealed file shows the key")
	}
	if got, err := OpenKey(sealed, "长江边的退捕渔民2026"); err != nil || string(got) != string(master) {
		t.Fatalf("OpenKey = %x, %v", got, err)
	}
	if _, err := OpenKey(sealed, "长江边的退捕渔民2025"); err == nil {
		t.Error("a wrong passphrase opened the key")
	}
	weaker := strings.Replace(string(sealed), "t=3", "t=1", 1)
	if _, err := OpenKey([]byte(weaker), "长江边的退捕渔民2026"); err == nil {
		t.Error("a changed header opened the key")
	}
	if _, err := SealKey(master, "short"); err == nil {
		t.Error("a short passphrase was accepted")
	}
	if _, err := OpenKey([]byte("0123"), "x"); err == nil {
		t.Error("garbage opened")
	}
}

// Existing never makes a key; WriteFile writes one only its owner reads and never
// replaces one unless told.
func TestExistingAndWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k", "whistle.db.key")
	if _, err := (Source{Fallback: path}).Existing(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Existing without a key file: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("Existing made a key file")
	}
	a, _ := Parse(strings.Repeat("ab", 32))
	b, _ := Parse(strings.Repeat("cd", 32))
	if err := WriteFile(path, a, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, b, false); !errors.Is(err, os.ErrExist) {
		t.Fatalf("a key file was replaced: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, b, true); err != nil {
		t.Fatal(err)
	}
	got, err := (Source{File: path}).Master()
	if st, _ := os.Stat(path); err != nil || string(got) != string(b) || st.Mode().Perm() != 0o600 {
		t.Fatalf("replaced key file: %x %v %v", got, err, st.Mode())
	}
}
