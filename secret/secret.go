// Package secret keeps personal data (resident ID numbers, phones) encrypted at rest:
// AES-256-GCM for the value and an HMAC-SHA-256 keyed hash beside it, so a register is
// searchable by exact value without decrypting it. Both keys derive from one 32-byte
// master key read from WHISTLE_KEY_FILE or WHISTLE_KEY.
package secret

import (
	"cmp"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Keys encrypt, decrypt and hash personal data.
type Keys struct {
	aead cipher.AEAD
	mac  []byte
	// Check identifies the master key without revealing it, so a database refuses a key
	// other than the one its data was written with.
	Check string
}

// New derives the encryption and hashing keys from a 32-byte master key.
func New(master []byte) (*Keys, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("secret: the key must be 32 bytes, got %d", len(master))
	}
	derive := func(label string) []byte {
		h := hmac.New(sha256.New, master)
		h.Write([]byte("whistle/" + label))
		return h.Sum(nil)
	}
	block, err := aes.NewCipher(derive("encrypt"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keys{aead: aead, mac: derive("search"), Check: hex.EncodeToString(derive("check")[:8])}, nil
}

// Parse reads a master key written as 64 hex digits or base64 of 32 bytes.
func Parse(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if b, err := hex.DecodeString(text); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(text); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("secret: the key must be 64 hex digits or base64 of 32 bytes")
}

// Source says where the key comes from: a key file, a key in the environment, or, when
// neither is set, a file the process creates on first use (Fallback).
type Source struct {
	File     string // WHISTLE_KEY_FILE
	Key      string // WHISTLE_KEY
	Fallback string // used, and created with a new random key if absent, when both are empty
}

// FromEnv reads WHISTLE_KEY_FILE and WHISTLE_KEY; fallback is the file to use without them.
func FromEnv(fallback string) Source {
	return Source{File: os.Getenv("WHISTLE_KEY_FILE"), Key: os.Getenv("WHISTLE_KEY"), Fallback: fallback}
}

// ErrNoKey says a source names a key that is not there: the key file is absent.
var ErrNoKey = errors.New("secret: no key")

// Where says where the source's key is kept, for messages.
func (s Source) Where() string {
	switch {
	case s.Key != "":
		return "WHISTLE_KEY"
	case s.File != "":
		return "WHISTLE_KEY_FILE " + s.File
	}
	return "the key file " + s.Fallback
}

// Load gives the keys of the source, making the fallback key file, with a new random
// key, when it is absent. Only a database with nothing sealed yet may take a new key:
// Existing is for the others.
func (s Source) Load() (*Keys, error) {
	k, err := s.Existing()
	if errors.Is(err, ErrNoKey) && s.Key == "" && s.File == "" && s.Fallback != "" {
		master := make([]byte, 32)
		if _, err := rand.Read(master); err != nil {
			return nil, err
		}
		err := WriteFile(s.Fallback, master, false)
		if errors.Is(err, os.ErrExist) {
			return s.Existing() // another process made it first
		} else if err != nil {
			return nil, err
		}
		return New(master)
	}
	return k, err
}

// Existing gives the keys of the source, never making a key: ErrNoKey when the key
// file is absent.
func (s Source) Existing() (*Keys, error) {
	master, err := s.Master()
	if err != nil {
		return nil, err
	}
	return New(master)
}

// Master reads the source's 32-byte master key, never making one: ErrNoKey when the
// key file is absent.
func (s Source) Master() ([]byte, error) {
	if s.Key != "" {
		master, err := Parse(s.Key)
		if err != nil {
			return nil, fmt.Errorf("WHISTLE_KEY: %w", err)
		}
		return master, nil
	}
	path := cmp.Or(s.File, s.Fallback)
	if path == "" {
		return nil, errors.New("secret: no key: set WHISTLE_KEY_FILE or WHISTLE_KEY")
	}
	body, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s is absent", ErrNoKey, path)
	} else if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	master, err := Parse(string(body))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return master, nil
}

// WriteFile writes a master key to a key file only its owner reads, as 64 hex digits;
// an existing file is replaced only when replace is set (os.ErrExist otherwise).
func WriteFile(path string, master []byte, replace bool) error {
	if _, err := New(master); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if replace {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(hex.EncodeToString(master) + "\n")
	if err == nil {
		err = f.Chmod(0o600) // a replaced file keeps its mode otherwise
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Seal encrypts a value; the nonce travels in front of the ciphertext, all base64.
func (k *Keys) Seal(plain string) (string, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(k.aead.Seal(nonce, nonce, []byte(plain), nil)), nil
}

// Open decrypts what Seal made; tampered or foreign data is refused.
func (k *Keys) Open(sealed string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < k.aead.NonceSize() {
		return "", errors.New("secret: not a sealed value")
	}
	plain, err := k.aead.Open(nil, b[:k.aead.NonceSize()], b[k.aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("secret: the value does not open with this key")
	}
	return string(plain), nil
}

// Hash is the keyed hash of a value, the same for the same value and key: the column an
// exact search looks up. The kind of value (id_number, phone) is mixed in, so one search
// finds a phone in any phone field and never a look-alike of another kind.
func (k *Keys) Hash(kind, plain string) string {
	h := hmac.New(sha256.New, k.mac)
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(plain))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
