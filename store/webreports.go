package store

// Phone reports (web/phone.go) carry a key the phone made; these remember which case
// each key filed.

import (
	"context"
	"database/sql"
	"errors"
)

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
