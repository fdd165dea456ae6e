package store

import (
	"context"
	"database/sql"
	"strings"

	"whistle/domain"
)

// AddSubject writes a new subject of a register, setting its ID.
func (tx *Tx) AddSubject(s *domain.Subject) error {
	var household any
	if s.Household != 0 {
		household = s.Household
	}
	err := tx.queryRow(`INSERT INTO subjects (group_id, kind, household, ref, name, relation, region, from_day, to_day, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.GroupID, s.Kind, household, s.Ref, s.Name, s.Relation, s.Region, s.From, s.To, tx.now.Unix()).Scan(&s.ID)
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "unique") {
		return domain.Errorf(domain.ECONFLICT, "number %s is already in the register", s.Ref)
	}
	return err
}

// EndSubject takes a subject (and a household's members) off the register after day.
func (tx *Tx) EndSubject(id int64, day string) error {
	_, err := tx.exec(`UPDATE subjects SET to_day = ? WHERE (id = ? OR household = ?) AND to_day = ''`, day, id, id)
	return err
}

// PutValue writes one version of an attribute; a second version on the same day
// replaces the first. value is sealed by the caller when the field is personal data,
// and hash is then its keyed hash.
func (tx *Tx) PutValue(v domain.Value, hash string, by int64) error {
	var visit, user any
	if v.VisitID != 0 {
		visit = v.VisitID
	}
	if by != 0 {
		user = by
	}
	_, err := tx.exec(`INSERT INTO subject_values (subject_id, field, from_day, value, hash, source, visit_id, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (subject_id, field, from_day) DO UPDATE SET value = excluded.value, hash = excluded.hash, source = excluded.source,
			visit_id = excluded.visit_id, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
		v.Subject, v.Field, v.From, v.Value, hash, v.Source, visit, user, tx.now.Unix())
	return err
}

// SubjectFilter selects subjects of a register.
type SubjectFilter struct {
	Group     int64
	Region    string  // subtree
	IDs       []int64 // only these
	Household int64   // only this household's members
	Top       bool    // only households, persons or organisations, not members
	Hash      string  // only those with a personal value of this keyed hash
	Query     string  // name or number contains
	AsOf      string  // only those in the register on this day
	HelperOf  int64   // only those this user helps on AsOf
	After     int64   // id cursor
	Limit     int
}

// Subjects lists subjects matching f in id order, without values.
func Subjects(ctx context.Context, q querier, f SubjectFilter) ([]domain.Subject, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.Group != 0 {
		add(`s.group_id = ?`, f.Group)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		add(`s.region >= ? AND s.region < ?`, lo, hi)
	}
	if len(f.IDs) > 0 {
		add(`s.id IN (`+placeholders(len(f.IDs))+`)`, subjectArgs(f.IDs)...)
	}
	if f.Household != 0 {
		add(`s.household = ?`, f.Household)
	}
	if f.Top {
		add(`s.household IS NULL`)
	}
	if f.Hash != "" {
		add(`s.id IN (SELECT subject_id FROM subject_values WHERE hash = ? AND hash <> '')`, f.Hash) // the partial index's condition
	}
	if f.Query != "" {
		add(`(s.name LIKE ? OR s.ref = ?)`, "%"+f.Query+"%", f.Query)
	}
	if f.AsOf != "" {
		add(`s.from_day <= ? AND (s.to_day = '' OR s.to_day >= ?)`, f.AsOf, f.AsOf)
	}
	if f.HelperOf != 0 {
		add(`s.id IN (SELECT subject_id FROM helper_assignments WHERE user_id = ? AND from_day <= ? AND (to_day = '' OR to_day >= ?))`, f.HelperOf, f.AsOf, f.AsOf)
	}
	if f.After != 0 {
		add(`s.id > ?`, f.After)
	}
	sqlText := `SELECT s.id, s.group_id, s.kind, s.household, s.ref, s.name, s.relation, s.region, s.from_day, s.to_day FROM subjects s`
	if len(where) > 0 {
		sqlText += ` WHERE ` + strings.Join(where, ` AND `)
	}
	sqlText += ` ORDER BY s.id`
	if f.Limit > 0 {
		sqlText += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Subject{}
	for rows.Next() {
		var s domain.Subject
		var household sql.NullInt64
		if err := rows.Scan(&s.ID, &s.GroupID, &s.Kind, &household, &s.Ref, &s.Name, &s.Relation, &s.Region, &s.From, &s.To); err != nil {
			return nil, err
		}
		s.Household = household.Int64
		out = append(out, s)
	}
	return out, rows.Err()
}

// Subjects lists subjects matching f from the reader pool.
func (db *DB) Subjects(ctx context.Context, f SubjectFilter) ([]domain.Subject, error) {
	return Subjects(ctx, db.read, f)
}

// Subjects lists subjects matching f inside the transaction.
func (tx *Tx) Subjects(f SubjectFilter) ([]domain.Subject, error) {
	return Subjects(tx.ctx, tx, f)
}

// Subject reads one subject.
func (tx *Tx) Subject(id int64) (domain.Subject, error) {
	s, err := tx.Subjects(SubjectFilter{IDs: []int64{id}})
	if err != nil {
		return domain.Subject{}, err
	}
	if len(s) == 0 {
		return domain.Subject{}, domain.Errorf(domain.ENOTFOUND, "subject %d not found", id)
	}
	return s[0], nil
}

// ValueFilter selects attribute versions: of some subjects, or of a group's register in
// a region, begun on or before AsOf ("" for every version).
type ValueFilter struct {
	Subjects []int64
	Group    int64
	Region   string
	AsOf     string
	Fields   []string // only these fields; all when empty
}

// Values lists attribute versions matching f; personal values come sealed.
func Values(ctx context.Context, q querier, f ValueFilter) ([]domain.Value, error) {
	var where []string
	var args []any
	if len(f.Subjects) > 0 {
		where = append(where, `v.subject_id IN (`+placeholders(len(f.Subjects))+`)`)
		args = append(args, subjectArgs(f.Subjects)...)
	}
	if f.Group != 0 {
		lo, hi := domain.SubtreeRange(f.Region)
		where = append(where, `v.subject_id IN (SELECT id FROM subjects WHERE group_id = ? AND region >= ? AND region < ?)`)
		args = append(args, f.Group, lo, hi)
	}
	if f.AsOf != "" {
		where = append(where, `v.from_day <= ?`)
		args = append(args, f.AsOf)
	}
	if len(f.Fields) > 0 {
		where = append(where, `v.field IN (`+placeholders(len(f.Fields))+`)`)
		for _, k := range f.Fields {
			args = append(args, k)
		}
	}
	if len(where) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "values of what?")
	}
	rows, err := q.QueryContext(ctx, `SELECT v.subject_id, v.field, v.from_day, v.value, v.source, v.visit_id FROM subject_values v
		WHERE `+strings.Join(where, ` AND `)+` ORDER BY v.subject_id, v.field, v.from_day`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Value{}
	for rows.Next() {
		var v domain.Value
		var visit sql.NullInt64
		if err := rows.Scan(&v.Subject, &v.Field, &v.From, &v.Value, &v.Source, &visit); err != nil {
			return nil, err
		}
		v.VisitID = visit.Int64
		out = append(out, v)
	}
	return out, rows.Err()
}

// Values lists attribute versions from the reader pool.
func (db *DB) Values(ctx context.Context, f ValueFilter) ([]domain.Value, error) {
	return Values(ctx, db.read, f)
}

// Values lists attribute versions inside the transaction.
func (tx *Tx) Values(f ValueFilter) ([]domain.Value, error) {
	return Values(tx.ctx, tx, f)
}

// HashTaken tells which subject of the group already holds a personal value with this
// keyed hash in its latest version of field, 0 if none.
func (tx *Tx) HashTaken(group int64, field, hash string) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT v.subject_id FROM subject_values v JOIN subjects s ON s.id = v.subject_id
		WHERE v.hash = ? AND v.hash <> '' AND v.field = ? AND s.group_id = ? AND s.to_day = '' LIMIT 1`, hash, field, group).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// IDHashes maps the keyed hashes of a personal-data field's values in a group's current
// register (subjects still in it) to their subjects: one read for a whole import's check.
func (tx *Tx) IDHashes(group int64, field string) (map[string]int64, error) {
	rows, err := tx.query(`SELECT v.hash, v.subject_id FROM subject_values v JOIN subjects s ON s.id = v.subject_id
		WHERE s.group_id = ? AND s.to_day = '' AND v.field = ? AND v.hash <> ''`, group, field)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var h string
		var id int64
		if err := rows.Scan(&h, &id); err != nil {
			return nil, err
		}
		out[h] = id
	}
	return out, rows.Err()
}

// RefsTaken tells which of refs a group's register already uses.
func (tx *Tx) RefsTaken(group int64) (map[string]bool, error) {
	rows, err := tx.query(`SELECT ref FROM subjects WHERE group_id = ? AND household IS NULL AND ref <> ''`, group)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out[r] = true
	}
	return out, rows.Err()
}

// AddAssignment starts a helper's assignment to a subject.
func (tx *Tx) AddAssignment(a *domain.Assignment) error {
	return tx.queryRow(`INSERT INTO helper_assignments (subject_id, user_id, from_day, to_day, note, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Subject, a.UserID, a.From, a.To, a.Note, tx.now.Unix()).Scan(&a.ID)
}

// EndAssignment ends an assignment on its last day to, or deletes it when it would end
// before it began (replaced on its first day).
func (tx *Tx) EndAssignment(id int64, to string) error {
	if _, err := tx.exec(`DELETE FROM helper_assignments WHERE id = ? AND from_day > ?`, id, to); err != nil {
		return err
	}
	_, err := tx.exec(`UPDATE helper_assignments SET to_day = ? WHERE id = ?`, to, id)
	return err
}

// AssignmentFilter selects helper assignments.
type AssignmentFilter struct {
	Group    int64
	Region   string
	Subjects []int64
	User     int64
	On       string // running on this day
}

// Assignments lists assignments matching f with the helper's name, oldest first.
func Assignments(ctx context.Context, q querier, f AssignmentFilter) ([]domain.Assignment, error) {
	var where []string
	var args []any
	if f.Group != 0 {
		lo, hi := domain.SubtreeRange(f.Region)
		where = append(where, `a.subject_id IN (SELECT id FROM subjects WHERE group_id = ? AND region >= ? AND region < ?)`)
		args = append(args, f.Group, lo, hi)
	}
	if len(f.Subjects) > 0 {
		where = append(where, `a.subject_id IN (`+placeholders(len(f.Subjects))+`)`)
		args = append(args, subjectArgs(f.Subjects)...)
	}
	if f.User != 0 {
		where = append(where, `a.user_id = ?`)
		args = append(args, f.User)
	}
	if f.On != "" {
		where = append(where, `a.from_day <= ? AND (a.to_day = '' OR a.to_day >= ?)`)
		args = append(args, f.On, f.On)
	}
	if len(where) == 0 {
		where = append(where, `1 = 1`)
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.subject_id, a.user_id, u.name, a.from_day, a.to_day, a.note
		FROM helper_assignments a JOIN users u ON u.id = a.user_id WHERE `+strings.Join(where, ` AND `)+` ORDER BY a.from_day, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Assignment{}
	for rows.Next() {
		var a domain.Assignment
		if err := rows.Scan(&a.ID, &a.Subject, &a.UserID, &a.HelperName, &a.From, &a.To, &a.Note); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Assignments lists assignments from the reader pool.
func (db *DB) Assignments(ctx context.Context, f AssignmentFilter) ([]domain.Assignment, error) {
	return Assignments(ctx, db.read, f)
}

// Assignments lists assignments inside the transaction.
func (tx *Tx) Assignments(f AssignmentFilter) ([]domain.Assignment, error) {
	return Assignments(tx.ctx, tx, f)
}

// subjectArgs spreads ids as query arguments.
func subjectArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
