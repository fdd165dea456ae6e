package store

import (
	"context"
	"database/sql"

	"whistle/domain"
)

const attachmentCols = `id, case_id, event_seq, sha256, name, content_type, size, width, height, thumb_sha256, lat, lon, uploaded_by, created_at`

func scanAttachment(row scanner) (domain.Attachment, error) {
	var a domain.Attachment
	var lat, lon sql.NullFloat64
	var by sql.NullInt64
	var at int64
	err := row.Scan(&a.ID, &a.CaseID, &a.EventSeq, &a.SHA256, &a.Name, &a.ContentType, &a.Size, &a.Width, &a.Height,
		&a.ThumbSHA256, &lat, &lon, &by, &at)
	if lat.Valid && lon.Valid {
		a.Lat, a.Lon = &lat.Float64, &lon.Float64
	}
	a.UploadedBy, a.CreatedAt = by.Int64, fromUnix(at)
	return a, err
}

// AddAttachment describes a stored file on a case (or one of its events), in the
// caller's transaction; the case must exist and have room for it.
func (tx *Tx) AddAttachment(a *domain.Attachment) error {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM attachments WHERE case_id = ?`, a.CaseID).Scan(&n); err != nil {
		return err
	}
	if n >= domain.MaxAttachmentsPerCase {
		return domain.Errorf(domain.ECONFLICT, "a case holds at most %d files", domain.MaxAttachmentsPerCase)
	}
	if a.EventSeq != 0 {
		if ok, err := tx.exists(`SELECT COUNT(*) FROM case_events WHERE case_id = ? AND seq = ?`, a.CaseID, a.EventSeq); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "case %d has no event %d", a.CaseID, a.EventSeq)
		}
	}
	var lat, lon, by any
	if a.Lat != nil && a.Lon != nil {
		lat, lon = *a.Lat, *a.Lon
	}
	if a.UploadedBy != 0 {
		by = a.UploadedBy
	}
	a.CreatedAt = tx.now.Truncate(1e9)
	return tx.queryRow(`INSERT INTO attachments (case_id, event_seq, sha256, name, content_type, size, width, height, thumb_sha256, lat, lon, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.CaseID, a.EventSeq, a.SHA256, a.Name, a.ContentType, a.Size,
		a.Width, a.Height, a.ThumbSHA256, lat, lon, by, a.CreatedAt.Unix()).Scan(&a.ID)
}

// Attachments lists a case's files in upload order.
func (db *DB) Attachments(ctx context.Context, caseID int64) ([]domain.Attachment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment reads one file's description.
func (db *DB) Attachment(ctx context.Context, id int64) (domain.Attachment, error) {
	a, err := scanAttachment(db.read.QueryRowContext(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE id = ?`, id))
	return a, notFound(err, "attachment %d not found", id)
}
