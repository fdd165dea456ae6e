package secret

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// A master key travels with a backup sealed with a passphrase: argon2id stretches the
// passphrase into a key (RFC 9106's second recommended setting: 3 passes over 64 MiB,
// 4 lanes), and XChaCha20-Poly1305 seals the master key with it. The file is two lines
// of text: a header naming the scheme and its parameters, which the seal authenticates,
// then salt, nonce and sealed key in base64.
const (
	sealedTime    = 3
	sealedMemory  = 64 * 1024 // KiB
	sealedThreads = 4
	// MinPassphrase is the shortest passphrase a backup's key is sealed with.
	MinPassphrase = 12
)

const sealedHeader = "whistle sealed key v1 argon2id t=%d m=%d p=%d xchacha20poly1305\n"

// SealKey seals a master key with a passphrase, for a backup.
func SealKey(master []byte, passphrase string) ([]byte, error) {
	if _, err := New(master); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(passphrase) < MinPassphrase {
		return nil, fmt.Errorf("secret: the passphrase must have at least %d characters", MinPassphrase)
	}
	header := fmt.Appendf(nil, sealedHeader, sealedTime, sealedMemory, sealedThreads)
	salt := make([]byte, 16)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(argon2.IDKey([]byte(passphrase), salt, sealedTime, sealedMemory, sealedThreads, chacha20poly1305.KeySize))
	if err != nil {
		return nil, err
	}
	body := aead.Seal(append(salt, nonce...), nonce, master, header)
	return append(header, base64.StdEncoding.EncodeToString(body)+"\n"...), nil
}

// OpenKey opens a master key SealKey sealed; a wrong passphrase or a changed file is
// refused.
func OpenKey(sealed []byte, passphrase string) ([]byte, error) {
	header, rest, ok := bytes.Cut(sealed, []byte("\n"))
	var t, m uint32
	var p uint8
	if _, err := fmt.Sscanf(string(header)+"\n", sealedHeader, &t, &m, &p); !ok || err != nil {
		return nil, errors.New("secret: not a sealed key file")
	}
	if t > 16 || m > 4*1024*1024 || p == 0 { // a changed header must not make opening run for hours
		return nil, errors.New("secret: the sealed key's parameters are out of range")
	}
	body, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(rest)))
	if err != nil || len(body) < 16+chacha20poly1305.NonceSizeX {
		return nil, errors.New("secret: not a sealed key file")
	}
	salt, nonce, box := body[:16], body[16:16+chacha20poly1305.NonceSizeX], body[16+chacha20poly1305.NonceSizeX:]
	aead, err := chacha20poly1305.NewX(argon2.IDKey([]byte(passphrase), salt, t, m, p, chacha20poly1305.KeySize))
	if err != nil {
		return nil, err
	}
	master, err := aead.Open(nil, nonce, box, append(header, '\n'))
	if err != nil {
		return nil, errors.New("secret: the passphrase does not open the sealed key (or the file was changed)")
	}
	return master, nil
}
