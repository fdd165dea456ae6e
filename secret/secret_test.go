package secret

import (
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
