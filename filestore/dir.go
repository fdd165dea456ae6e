// Package filestore keeps attachments' bytes in a content-addressed store: a file is
// named by the SHA-256 of its bytes, so the same photo sent twice is kept once and a
// name never lies about its content. Two stores: a directory (Dir) and an
// S3-compatible bucket (S3). A missing file is os.ErrNotExist from either.
package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Dir is the directory store: a file lives at dir/ab/cd/abcd… by its SHA-256.
type Dir string

// name checks that sum is a SHA-256 in hex, so a name cannot leave the store.
func name(sum string) error {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return fmt.Errorf("bad blob name %q", sum)
	}
	return nil
}

func (d Dir) path(sum string) (string, error) {
	if err := name(sum); err != nil {
		return "", err
	}
	return filepath.Join(string(d), sum[:2], sum[2:4], sum), nil
}

// Put stores data and gives its SHA-256; it is written to a temporary file and renamed,
// so a reader never sees half a file.
func (d Dir) Put(_ context.Context, data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	p, _ := d.path(sum)
	if _, err := os.Stat(p); err == nil {
		return sum, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return sum, os.Rename(f.Name(), p)
}

// Open opens a stored file by its SHA-256.
func (d Dir) Open(_ context.Context, sum string) (io.ReadSeekCloser, error) {
	p, err := d.path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err // a nil *os.File must not become a non-nil interface
	}
	return f, nil
}
