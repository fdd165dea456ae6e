package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"whistle/filestore"
	"whistle/store"
)

// FilesDirSetting names the setting that places the attachment store; without it the
// store is a directory beside a SQLite file (whistle.db → whistle.db-files), or
// whistle-files in the working directory for PostgreSQL. Servers sharing a PostgreSQL
// database need the setting to point at a shared directory.
const FilesDirSetting = "attachments_dir"

// S3Setting names the setting that moves the attachment store to an S3-compatible
// object store (MinIO, Ceph, a cloud's), as JSON (filestore.S3Config):
//
//	{"endpoint":"https://minio.example:9000","region":"us-east-1","bucket":"whistle",
//	 "access_key":"…","secret_key":"…"}
//
// The key and secret then live in the settings table (and so in backups): give the
// store's account access to that bucket only.
const S3Setting = "attachments_s3"

// blobStore is a content-addressed store: a file is named by the SHA-256 of its bytes,
// so the same photo sent twice is kept once and a name never lies about its content.
// A missing file is os.ErrNotExist.
type blobStore interface {
	Put(ctx context.Context, data []byte) (string, error)
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
}

// blobs gives the attachment store: the S3-compatible one when S3Setting is set, else
// the directory. The settings are read on each use, so a change needs no restart.
func (s *Service) blobs(ctx context.Context) (blobStore, error) {
	v, err := s.db.Setting(ctx, S3Setting)
	if err != nil {
		return nil, err
	}
	if v != "" {
		var cfg filestore.S3Config
		if err := json.Unmarshal([]byte(v), &cfg); err != nil {
			return nil, fmt.Errorf("%s: %w", S3Setting, err)
		}
		st, err := filestore.NewS3(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", S3Setting, err)
		}
		return st, nil
	}
	dir, err := s.db.Setting(ctx, FilesDirSetting)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		if store.IsPostgres(s.db.DSN) {
			dir = "whistle-files"
		} else {
			dir = s.db.DSN + "-files"
		}
	}
	return filestore.Dir(dir), nil
}
