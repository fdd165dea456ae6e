package store

import (
	"context"

	"whistle/domain"
)

// KnowledgeAll reads the knowledge base, by matter then id (a few hundred entries: the
// seat ranks them in memory).
func (db *DB) KnowledgeAll(ctx context.Context) ([]domain.Knowledge, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, matter, title, body, phones, links, version FROM knowledge ORDER BY matter, id LIMIT 5000`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Knowledge{}
	for rows.Next() {
		var k domain.Knowledge
		if err := rows.Scan(&k.ID, &k.Matter, &k.Title, &k.Body, &k.Phones, &k.Links, &k.Version); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// KnowledgeEntry reads one entry in tx.
func (tx *Tx) KnowledgeEntry(id int64) (domain.Knowledge, error) {
	var k domain.Knowledge
	err := tx.queryRow(`SELECT id, matter, title, body, phones, links, version FROM knowledge WHERE id = ?`, id).
		Scan(&k.ID, &k.Matter, &k.Title, &k.Body, &k.Phones, &k.Links, &k.Version)
	return k, notFound(err, "knowledge entry %d not found", id)
}

// PutKnowledge adds an entry (ID 0, numbering it) or changes one at its version.
func (tx *Tx) PutKnowledge(k *domain.Knowledge, by int64) error {
	if k.ID == 0 {
		k.Version = 1
		return tx.queryRow(`INSERT INTO knowledge (matter, title, body, phones, links, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			k.Matter, k.Title, k.Body, k.Phones, k.Links, by, tx.now.Unix()).Scan(&k.ID)
	}
	res, err := tx.exec(`UPDATE knowledge SET matter = ?, title = ?, body = ?, phones = ?, links = ?, updated_by = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, k.Matter, k.Title, k.Body, k.Phones, k.Links, by, tx.now.Unix(), k.ID, k.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ESTALE, "knowledge entry %d changed since you saw it (version %d); reload and try again", k.ID, k.Version)
	}
	k.Version++
	return nil
}
