package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"whistle/store"
)

// FilesDirSetting names the setting that places the attachment store; without it the
// store is a directory beside a SQLite file (whistle.db → whistle.db-files), or
// whistle-files in the working directory for PostgreSQL. Servers sharing a PostgreSQL
// database need the setting to point at a shared directory.
const FilesDirSetting = "attachments_dir"

// blobStore is a content-addressed store: a file is named by the SHA-256 of its bytes,
// so the same photo sent twice is kept once and a name never lies about its content.
type blobStore interface {
	put(data []byte) (string, error)
	open(sum string) (io.ReadSeekCloser, error)
}

// blobs is the directory store.
type blobs struct{ dir string }

// blobs gives the attachment store: the S3-compatible one when S3Setting is set, else
// the directory.
func (s *Service) blobs(ctx context.Context) (blobStore, error) {
	if st, ok, err := s.s3From(ctx); err != nil || ok {
		return st, err
	}
	dir, err := s.db.Setting(ctx, FilesDirSetting)
	if err != nil {
		return blobs{}, err
	}
	if dir == "" {
		if store.IsPostgres(s.db.DSN) {
			dir = "whistle-files"
		} else {
			dir = s.db.DSN + "-files"
		}
	}
	return blobs{dir: dir}, nil
}

func (b blobs) path(sum string) (string, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return "", fmt.Errorf("bad blob name %q", sum)
	}
	return filepath.Join(b.dir, sum[:2], sum[2:4], sum), nil
}

// put stores data and gives its SHA-256; it is written to a temporary file and renamed,
// so a reader never sees half a file.
func (b blobs) put(data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	p, _ := b.path(sum)
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

// open opens a stored file by its SHA-256.
func (b blobs) open(sum string) (io.ReadSeekCloser, error) {
	p, err := b.path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err // a nil *os.File must not become a non-nil interface
	}
	return f, nil
}
