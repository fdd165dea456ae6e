package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
)

// Photos of phone reports, kept until the attachments store of issue 5 takes them over
// (web/photos.go is the one place that calls these).

// WebPhoto is one stored photo without its bytes.
type WebPhoto struct {
	ID          int64
	CaseID      int64
	ContentType string
	Size        int64
}

// PutWebPhoto stores a photo of a case.
func (db *DB) PutWebPhoto(ctx context.Context, caseID, userID int64, contentType string, data []byte) (int64, error) {
	sum := sha256.Sum256(data)
	var id int64
	err := db.Update(ctx, func(tx *Tx) error {
		return tx.queryRow(`INSERT INTO web_photos (case_id, user_id, content_type, sha256, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			caseID, userID, contentType, hex.EncodeToString(sum[:]), len(data), data, tx.now.Unix()).Scan(&id)
	})
	return id, err
}

// WebPhotos lists a case's photos in the order they came.
func (db *DB) WebPhotos(ctx context.Context, caseID int64) ([]WebPhoto, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, case_id, content_type, size FROM web_photos WHERE case_id = ? ORDER BY id LIMIT 50`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebPhoto
	for rows.Next() {
		var p WebPhoto
		if err := rows.Scan(&p.ID, &p.CaseID, &p.ContentType, &p.Size); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// WebPhoto reads one photo with its bytes.
func (db *DB) WebPhoto(ctx context.Context, id int64) (WebPhoto, []byte, error) {
	var p WebPhoto
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT id, case_id, content_type, size, data FROM web_photos WHERE id = ?`, id).
		Scan(&p.ID, &p.CaseID, &p.ContentType, &p.Size, &data)
	return p, data, notFound(err, "photo %d not found", id)
}

// ReportKey gives the case a phone report key filed before (0: none), so a retried
// upload files nothing twice.
func (db *DB) ReportKey(ctx context.Context, userID int64, key string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT case_id FROM web_report_keys WHERE user_id = ? AND key = ?`, userID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// PutReportKey remembers which case a phone report key filed.
func (db *DB) PutReportKey(ctx context.Context, userID int64, key string, caseID int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO web_report_keys (user_id, key, case_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, userID, key, caseID)
		return err
	})
}
