package store

import (
	"context"
	"database/sql"
	"fmt"
)

// setAside is an index SetAsideIndexes dropped: its name and the statement that
// creates it.
type setAside struct{ name, definition string }

// scanSetAside reads (name, definition) rows, as scanIDs reads ids.
func scanSetAside(rows *sql.Rows, err error) ([]setAside, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []setAside
	for rows.Next() {
		var i setAside
		if err := rows.Scan(&i.name, &i.definition); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// SetAsideIndexes drops the secondary indexes of tables (not those behind a key or a
// unique constraint), so a bulk load appends its rows without keeping every index in
// order row by row, and RestoreIndexes builds each one once, from sorted rows, after
// it. Their definitions are kept in set_aside_indexes in the same transaction as the
// drop: a load cut short leaves them there, and the next Open builds them. Only a
// load that writes alone should do this: until they are back, queries that want those
// indexes read whole tables.
func (db *DB) SetAsideIndexes(ctx context.Context, tables ...string) (int, error) {
	var set []setAside
	err := db.Update(ctx, func(tx *Tx) error {
		for _, table := range tables {
			of, err := scanSetAside(tx.query(db.eng.secondaryIndexes, table))
			if err != nil {
				return err
			}
			set = append(set, of...)
		}
		for _, i := range set {
			if _, err := tx.exec(`INSERT INTO set_aside_indexes (name, definition) VALUES (?, ?)`, i.name, i.definition); err != nil {
				return err
			}
			if _, err := tx.tx.ExecContext(tx.ctx, `DROP INDEX `+i.name); err != nil {
				return fmt.Errorf("set aside index %s: %w", i.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(set), nil
}

// RestoreIndexes builds the indexes SetAsideIndexes dropped, each in its own
// transaction with its record, so one cut short is built again by the next call.
func (db *DB) RestoreIndexes(ctx context.Context) (int, error) {
	set, err := scanSetAside(db.write.QueryContext(ctx, `SELECT name, definition FROM set_aside_indexes ORDER BY name`))
	if err != nil {
		return 0, err
	}
	for _, i := range set {
		err := db.Update(ctx, func(tx *Tx) error {
			for _, q := range []string{db.eng.indexBuild, i.definition} {
				if q == "" {
					continue
				}
				if _, err := tx.tx.ExecContext(tx.ctx, q); err != nil {
					return fmt.Errorf("restore index %s: %w", i.name, err)
				}
			}
			_, err := tx.exec(`DELETE FROM set_aside_indexes WHERE name = ?`, i.name)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	return len(set), nil
}
