package store

import (
	"context"
	"database/sql"
	"fmt"
)

// setAside is an index or a foreign key SetAside drops: its name, the statement that
// makes it again, and the statement that drops it.
type setAside struct{ name, definition, drop string }

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

// SetAside drops the secondary indexes of tables (not those behind a key or a unique
// constraint), and on PostgreSQL their foreign keys, so a bulk load appends its rows
// without keeping every index in order and checking every key row by row, and
// RestoreSetAside builds each index once, from sorted rows, and checks each key with
// one join. Their definitions are kept in set_aside in the same transaction as the
// drop: a load cut short leaves them there, and the next Open makes them again. Only
// a load that writes alone should do this: until they are back, queries that want
// those indexes read whole tables, and nothing checks those keys.
func (db *DB) SetAside(ctx context.Context, tables ...string) (int, error) {
	var set []setAside
	err := db.Update(ctx, func(tx *Tx) error {
		for _, table := range tables {
			indexes, err := scanSetAside(tx.query(db.eng.secondaryIndexes, table))
			if err != nil {
				return err
			}
			for _, i := range indexes {
				i.drop = `DROP INDEX ` + i.name
				set = append(set, i)
			}
			if db.eng.foreignKeys == "" {
				continue
			}
			keys, err := scanSetAside(tx.query(db.eng.foreignKeys, table))
			if err != nil {
				return err
			}
			for _, k := range keys {
				k.drop = `ALTER TABLE ` + table + ` DROP CONSTRAINT ` + k.name
				set = append(set, k)
			}
		}
		for _, i := range set {
			if _, err := tx.exec(`INSERT INTO set_aside (name, definition) VALUES (?, ?)`, i.name, i.definition); err != nil {
				return err
			}
			if err := tx.execText(i.drop); err != nil {
				return fmt.Errorf("set aside %s: %w", i.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(set), nil
}

// RestoreSetAside makes again the indexes and keys SetAside dropped, each in its own
// transaction with its record, so one cut short is made again by the next call.
func (db *DB) RestoreSetAside(ctx context.Context) (int, error) {
	set, err := scanSetAside(db.write.QueryContext(ctx, `SELECT name, definition FROM set_aside ORDER BY name`))
	if err != nil {
		return 0, err
	}
	for _, i := range set {
		err := db.Update(ctx, func(tx *Tx) error {
			for _, q := range []string{db.eng.beforeRestore, i.definition} {
				if q == "" {
					continue
				}
				if err := tx.execText(q); err != nil {
					return fmt.Errorf("restore %s: %w", i.name, err)
				}
			}
			_, err := tx.exec(`DELETE FROM set_aside WHERE name = ?`, i.name)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	return len(set), nil
}
