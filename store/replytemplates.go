package store

import (
	"context"

	"whistle/domain"
)

const replyTemplateCols = `id, org, use, title, body, version`

func scanReplyTemplate(s scanner) (domain.ReplyTemplate, error) {
	var t domain.ReplyTemplate
	err := s.Scan(&t.ID, &t.Org, &t.Use, &t.Title, &t.Body, &t.Version)
	return t, err
}

// ReplyTemplates reads the reply templates of one use ("" for every use), shared ones
// first, then by org and title (a few hundred: the service picks what a user sees).
func (db *DB) ReplyTemplates(ctx context.Context, use string) ([]domain.ReplyTemplate, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+replyTemplateCols+` FROM reply_templates
		WHERE ? = '' OR use = ? ORDER BY org, use, title, id LIMIT 5000`, use, use)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ReplyTemplate{}
	for rows.Next() {
		t, err := scanReplyTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ReplyTemplate reads one template in tx.
func (tx *Tx) ReplyTemplate(id int64) (domain.ReplyTemplate, error) {
	t, err := scanReplyTemplate(tx.queryRow(`SELECT `+replyTemplateCols+` FROM reply_templates WHERE id = ?`, id))
	return t, notFound(err, "reply template %d not found", id)
}

// PutReplyTemplate adds a template (ID 0, numbering it) or changes one at its version.
func (tx *Tx) PutReplyTemplate(t *domain.ReplyTemplate, by int64) error {
	if t.ID == 0 {
		t.Version = 1
		return tx.queryRow(`INSERT INTO reply_templates (org, use, title, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			t.Org, t.Use, t.Title, t.Body, by, tx.now.Unix()).Scan(&t.ID)
	}
	res, err := tx.exec(`UPDATE reply_templates SET org = ?, use = ?, title = ?, body = ?, updated_by = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, t.Org, t.Use, t.Title, t.Body, by, tx.now.Unix(), t.ID, t.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ESTALE, "reply template %d changed since you saw it (version %d); reload and try again", t.ID, t.Version)
	}
	t.Version++
	return nil
}

// DeleteReplyTemplate removes a template at its version.
func (tx *Tx) DeleteReplyTemplate(id int64, version int) error {
	res, err := tx.exec(`DELETE FROM reply_templates WHERE id = ? AND version = ?`, id, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ESTALE, "reply template %d changed since you saw it (version %d); reload and try again", id, version)
	}
	return nil
}
