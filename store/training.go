package store

import (
	"context"
	"strings"

	"whistle/domain"
)

// 混编培训: joint classes, their trainees and the mixing's hand rules.

const classCols = `c.id, c.name, c.org, c.region, c.starts_on, c.ends_on, c.group_size, c.room_size, c.seed, c.mixed_at, c.version,
	(SELECT COUNT(*) FROM training_trainees t WHERE t.class_id = c.id)`

func scanClass(sc scanner) (domain.TrainingClass, error) {
	var c domain.TrainingClass
	var mixed int64
	err := sc.Scan(&c.ID, &c.Name, &c.Org, &c.Region, &c.StartsOn, &c.EndsOn, &c.GroupSize, &c.RoomSize, &c.Seed, &mixed, &c.Version, &c.Trainees)
	if mixed != 0 {
		c.MixedAt = fromUnix(mixed)
	}
	return c, err
}

// TrainingClasses lists the classes of the orgs, or held in the region subtrees,
// newest first (at most 500).
func (db *DB) TrainingClasses(ctx context.Context, orgs, regions []string) ([]domain.TrainingClass, error) {
	var conds []string
	var args []any
	for _, o := range orgs {
		conds, args = append(conds, "c.org = ?"), append(args, o)
	}
	for _, r := range regions {
		lo, hi := domain.SubtreeRange(r)
		conds, args = append(conds, "(c.region >= ? AND c.region < ?)"), append(args, lo, hi)
	}
	out := []domain.TrainingClass{}
	if len(conds) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+classCols+` FROM training_classes c WHERE `+strings.Join(conds, " OR ")+` ORDER BY c.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanClass(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// TrainingClass reads one class.
func (db *DB) TrainingClass(ctx context.Context, id int64) (domain.TrainingClass, error) {
	return trainingClass(ctx, db.read, id)
}

// TrainingClass reads one class in tx, locking it for change.
func (tx *Tx) TrainingClass(id int64) (domain.TrainingClass, error) {
	var got int64
	if err := tx.queryRow(`SELECT id FROM training_classes WHERE id = ?`+tx.db.eng.lockRow, id).Scan(&got); err != nil {
		return domain.TrainingClass{}, notFound(err, "training class %d not found", id)
	}
	return trainingClass(tx.ctx, tx, id)
}

func trainingClass(ctx context.Context, q querier, id int64) (domain.TrainingClass, error) {
	c, err := scanClass(rowOf(q.QueryContext(ctx, `SELECT `+classCols+` FROM training_classes c WHERE c.id = ?`, id)))
	return c, notFound(err, "training class %d not found", id)
}

// InsertTrainingClass adds a class, numbering it.
func (tx *Tx) InsertTrainingClass(c *domain.TrainingClass, by int64) error {
	c.Version = 1
	return tx.queryRow(`INSERT INTO training_classes (name, org, region, starts_on, ends_on, group_size, room_size, seed, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.Name, c.Org, c.Region, c.StartsOn, c.EndsOn, c.GroupSize, c.RoomSize, c.Seed,
		by, tx.now.Unix()).Scan(&c.ID)
}

// SetClassMixed records the mixing asked for (sizes, seed) and when, or clears it
// (mixed false), and moves the class's version on.
func (tx *Tx) SetClassMixed(c *domain.TrainingClass, mixed bool) error {
	at := int64(0)
	if mixed {
		at = tx.now.Unix()
		c.MixedAt = tx.now
	} else {
		c.MixedAt = domain.TrainingClass{}.MixedAt
	}
	_, err := tx.exec(`UPDATE training_classes SET group_size = ?, room_size = ?, seed = ?, mixed_at = ?, version = version + 1 WHERE id = ?`,
		c.GroupSize, c.RoomSize, c.Seed, at, c.ID)
	c.Version++
	return err
}

const traineeCols = `id, name, source, unit, rank, gender, age, field, grp, room`

// Trainees reads a class's trainees in the order they were entered.
func (db *DB) Trainees(ctx context.Context, class int64) ([]domain.Trainee, error) {
	return trainees(ctx, db.read, class)
}

// Trainees reads a class's trainees in tx.
func (tx *Tx) Trainees(class int64) ([]domain.Trainee, error) { return trainees(tx.ctx, tx, class) }

func trainees(ctx context.Context, q querier, class int64) ([]domain.Trainee, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+traineeCols+` FROM training_trainees WHERE class_id = ? ORDER BY id`, class)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Trainee{}
	for rows.Next() {
		var t domain.Trainee
		if err := rows.Scan(&t.ID, &t.Name, &t.Source, &t.Unit, &t.Rank, &t.Gender, &t.Age, &t.Field, &t.Group, &t.Room); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ReplaceTrainees puts a new roster in place of the class's: its rules and trainees go.
func (tx *Tx) ReplaceTrainees(class int64, ts []domain.Trainee) error {
	if _, err := tx.exec(`DELETE FROM training_rules WHERE class_id = ?`, class); err != nil {
		return err
	}
	if _, err := tx.exec(`DELETE FROM training_trainees WHERE class_id = ?`, class); err != nil {
		return err
	}
	for i := range ts {
		t := &ts[i]
		if err := tx.queryRow(`INSERT INTO training_trainees (class_id, name, source, unit, rank, gender, age, field) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			class, t.Name, t.Source, t.Unit, t.Rank, t.Gender, t.Age, t.Field).Scan(&t.ID); err != nil {
			return err
		}
	}
	return nil
}

// PlaceTrainees writes each trainee's group and room.
func (tx *Tx) PlaceTrainees(class int64, ts []domain.Trainee) error {
	for _, t := range ts {
		if _, err := tx.exec(`UPDATE training_trainees SET grp = ?, room = ? WHERE id = ? AND class_id = ?`, t.Group, t.Room, t.ID, class); err != nil {
			return err
		}
	}
	return nil
}

// MixRules reads a class's hand rules.
func (db *DB) MixRules(ctx context.Context, class int64) ([]domain.MixRule, error) {
	return mixRules(ctx, db.read, class)
}

// MixRules reads a class's hand rules in tx.
func (tx *Tx) MixRules(class int64) ([]domain.MixRule, error) { return mixRules(tx.ctx, tx, class) }

func mixRules(ctx context.Context, q querier, class int64) ([]domain.MixRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, a, b FROM training_rules WHERE class_id = ? ORDER BY id`, class)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.MixRule{}
	for rows.Next() {
		var r domain.MixRule
		if err := rows.Scan(&r.Kind, &r.A, &r.B); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReplaceMixRules puts rules in place of the class's.
func (tx *Tx) ReplaceMixRules(class int64, rules []domain.MixRule) error {
	if _, err := tx.exec(`DELETE FROM training_rules WHERE class_id = ?`, class); err != nil {
		return err
	}
	for _, r := range rules {
		if _, err := tx.exec(`INSERT INTO training_rules (class_id, kind, a, b) VALUES (?, ?, ?, ?)`, class, r.Kind, r.A, r.B); err != nil {
			return err
		}
	}
	return nil
}
