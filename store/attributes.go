package store

import (
	"context"
	"encoding/json"

	"whistle/domain"
)

// MatterAttributes lists a matter's extra fields in their order.
func (db *DB) MatterAttributes(ctx context.Context, matter string) ([]domain.MatterAttribute, error) {
	return matterAttributes(ctx, db.read, matter)
}

// MatterAttributes lists a matter's extra fields inside a transaction.
func (tx *Tx) MatterAttributes(matter string) ([]domain.MatterAttribute, error) {
	return matterAttributes(tx.ctx, tx, matter)
}

func matterAttributes(ctx context.Context, q querier, matter string) ([]domain.MatterAttribute, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, variable, datatype, required, datatype_description, ord, description, vals
		FROM matter_attributes WHERE matter = ? ORDER BY ord, code`, matter)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.MatterAttribute{}
	for rows.Next() {
		var a domain.MatterAttribute
		var variable, required int
		var vals string
		if err := rows.Scan(&a.Code, &variable, &a.Datatype, &required, &a.DatatypeDescription, &a.Order, &a.Description, &vals); err != nil {
			return nil, err
		}
		a.Variable, a.Required = variable == 1, required == 1
		if err := json.Unmarshal([]byte(vals), &a.Values); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttributedMatters tells which of the matters declare extra fields.
func (db *DB) AttributedMatters(ctx context.Context) (map[string]bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT matter FROM matter_attributes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out[m] = true
	}
	return out, rows.Err()
}

// PutMatterAttributes replaces a matter's extra fields.
func (db *DB) PutMatterAttributes(ctx context.Context, matter string, attrs []domain.MatterAttribute) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.PutMatterAttributes(matter, attrs) })
}

// PutMatterAttributes is PutMatterAttributes inside a caller's transaction.
func (tx *Tx) PutMatterAttributes(matter string, attrs []domain.MatterAttribute) error {
	if err := domain.ValidateAttributes(attrs); err != nil {
		return err
	}
	if ok, err := tx.exists(`SELECT COUNT(*) FROM matters WHERE code = ?`, matter); !ok {
		if err != nil {
			return err
		}
		return domain.Errorf(domain.ENOTFOUND, "matter %s not found", matter)
	}
	if _, err := tx.exec(`DELETE FROM matter_attributes WHERE matter = ?`, matter); err != nil {
		return err
	}
	for _, a := range attrs {
		vals, err := json.Marshal(a.Values)
		if err != nil {
			return err
		}
		if a.Values == nil {
			vals = []byte("[]")
		}
		if _, err := tx.exec(`INSERT INTO matter_attributes (matter, code, variable, datatype, required, datatype_description, ord, description, vals)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, matter, a.Code, boolInt(a.Variable), a.Datatype, boolInt(a.Required),
			a.DatatypeDescription, a.Order, a.Description, string(vals)); err != nil {
			return err
		}
	}
	return nil
}
