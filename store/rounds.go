package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"whistle/domain"
)

// AddRound writes a round, setting its ID.
func (tx *Tx) AddRound(r *domain.Round, by int64) error {
	r.CreatedAt = tx.now
	return tx.queryRow(`INSERT INTO monitoring_rounds (group_id, name, region, starts, due, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.GroupID, r.Name, r.Region, r.Starts, r.Due, by, tx.now.Unix()).Scan(&r.ID)
}

const roundColumns = `SELECT r.id, r.group_id, r.name, r.region, r.starts, r.due, r.created_at,
	(SELECT COUNT(*) FROM visits v WHERE v.round_id = r.id) FROM monitoring_rounds r`

// Rounds lists a group's rounds (0: every group's), newest first.
func (db *DB) Rounds(ctx context.Context, group int64) ([]domain.Round, error) {
	rows, err := db.read.QueryContext(ctx, roundColumns+` WHERE (? = 0 OR r.group_id = ?) ORDER BY r.id DESC`, group, group)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Round{}
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRound(row scanner) (domain.Round, error) {
	var r domain.Round
	var created int64
	err := row.Scan(&r.ID, &r.GroupID, &r.Name, &r.Region, &r.Starts, &r.Due, &created, &r.Tasks)
	r.CreatedAt = fromUnix(created)
	return r, err
}

// Round reads one round.
func (db *DB) Round(ctx context.Context, id int64) (domain.Round, error) {
	r, err := scanRound(db.read.QueryRowContext(ctx, roundColumns+` WHERE r.id = ?`, id))
	return r, notFound(err, "round %d not found", id)
}

// Round reads one round inside the transaction.
func (tx *Tx) Round(id int64) (domain.Round, error) {
	r, err := scanRound(tx.queryRow(roundColumns+` WHERE r.id = ?`, id))
	return r, notFound(err, "round %d not found", id)
}

// AddVisit writes an open visit task.
func (tx *Tx) AddVisit(v *domain.Visit) error {
	var helper any
	if v.HelperID != 0 {
		helper = v.HelperID
	}
	return tx.queryRow(`INSERT INTO visits (round_id, subject_id, region, helper_id, due, status) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		v.RoundID, v.Subject, v.Region, helper, v.Due, domain.VisitOpen).Scan(&v.ID)
}

// RecordVisit closes a visit task with its record.
func (tx *Tx) RecordVisit(v *domain.Visit) error {
	answers, _ := json.Marshal(v.Answers)
	risks, _ := json.Marshal(v.Risks)
	res, err := tx.exec(`UPDATE visits SET status = ?, day = ?, done_at = ?, done_by = ?, answers = ?, risks = ?, note = ? WHERE id = ? AND status = ?`,
		domain.VisitDone, v.Day, tx.now.Unix(), v.DoneBy, string(answers), string(risks), v.Note, v.ID, domain.VisitOpen)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "visit %d is already recorded", v.ID)
	}
	v.Status, v.DoneAt = domain.VisitDone, &tx.now
	return nil
}

// VisitFilter selects visit tasks.
type VisitFilter struct {
	IDs    []int64
	Round  int64
	Helper int64
	Region string
	Status domain.VisitStatus
	Limit  int
}

// monitoringVisits lists visits matching f with subject and helper names, by due day then id.
func monitoringVisits(ctx context.Context, q querier, f VisitFilter) ([]domain.Visit, error) {
	var where []string
	var args []any
	if len(f.IDs) > 0 {
		where = append(where, `v.id IN (`+placeholders(len(f.IDs))+`)`)
		args = append(args, subjectArgs(f.IDs)...)
	}
	if f.Round != 0 {
		where = append(where, `v.round_id = ?`)
		args = append(args, f.Round)
	}
	if f.Helper != 0 {
		where = append(where, `v.helper_id = ?`)
		args = append(args, f.Helper)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		where = append(where, `v.region >= ? AND v.region < ?`)
		args = append(args, lo, hi)
	}
	if f.Status != "" {
		where = append(where, `v.status = ?`)
		args = append(args, f.Status)
	}
	if len(where) == 0 {
		where = append(where, `1 = 1`)
	}
	text := `SELECT v.id, v.round_id, v.subject_id, s.name, v.region, v.helper_id, COALESCE(u.name, ''), v.due, v.status, v.day, v.done_at,
		v.done_by, v.answers, v.risks, v.note FROM visits v JOIN subjects s ON s.id = v.subject_id LEFT JOIN users u ON u.id = v.helper_id
		WHERE ` + strings.Join(where, ` AND `) + ` ORDER BY v.due, v.id`
	if f.Limit > 0 {
		text += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := q.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Visit{}
	for rows.Next() {
		var v domain.Visit
		var helper, doneAt, doneBy sql.NullInt64
		var answers, risks string
		if err := rows.Scan(&v.ID, &v.RoundID, &v.Subject, &v.SubjectName, &v.Region, &helper, &v.HelperName, &v.Due, &v.Status, &v.Day,
			&doneAt, &doneBy, &answers, &risks, &v.Note); err != nil {
			return nil, err
		}
		v.HelperID, v.DoneAt, v.DoneBy = helper.Int64, timeOrNil(doneAt), doneBy.Int64
		if err := json.Unmarshal([]byte(answers), &v.Answers); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(risks), &v.Risks); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// MonitoringVisits lists visits from the reader pool.
func (db *DB) MonitoringVisits(ctx context.Context, f VisitFilter) ([]domain.Visit, error) {
	return monitoringVisits(ctx, db.read, f)
}

// MonitoringVisit reads one visit inside the transaction.
func (tx *Tx) MonitoringVisit(id int64) (domain.Visit, error) {
	vs, err := monitoringVisits(tx.ctx, tx, VisitFilter{IDs: []int64{id}})
	if err != nil {
		return domain.Visit{}, err
	}
	if len(vs) == 0 {
		return domain.Visit{}, domain.Errorf(domain.ENOTFOUND, "visit %d not found", id)
	}
	return vs[0], nil
}

// Photo is a picture taken on a visit.
type Photo struct {
	ID          int64
	VisitID     int64
	ContentType string
	SHA256      string
	Data        []byte
}

// AddPhoto stores a visit's photo.
func (tx *Tx) AddPhoto(p *Photo) error {
	return tx.queryRow(`INSERT INTO visit_photos (visit_id, content_type, sha256, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		p.VisitID, p.ContentType, p.SHA256, len(p.Data), p.Data, tx.now.Unix()).Scan(&p.ID)
}

// PhotoIDs lists the photos of visits, by visit.
func (db *DB) PhotoIDs(ctx context.Context, visits []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(visits) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT visit_id, id FROM visit_photos WHERE visit_id IN (`+placeholders(len(visits))+`) ORDER BY id`, subjectArgs(visits)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v, id int64
		if err := rows.Scan(&v, &id); err != nil {
			return nil, err
		}
		out[v] = append(out[v], id)
	}
	return out, rows.Err()
}

// Photo reads one photo of a visit.
func (db *DB) Photo(ctx context.Context, visit, id int64) (Photo, error) {
	p := Photo{ID: id, VisitID: visit}
	err := db.read.QueryRowContext(ctx, `SELECT content_type, sha256, data FROM visit_photos WHERE id = ? AND visit_id = ?`, id, visit).
		Scan(&p.ContentType, &p.SHA256, &p.Data)
	return p, notFound(err, "photo %d not found", id)
}

// AddFlag raises a risk flag.
func (tx *Tx) AddFlag(f *domain.RiskFlag) error {
	var visit any
	if f.VisitID != 0 {
		visit = f.VisitID
	}
	return tx.queryRow(`INSERT INTO risk_flags (subject_id, kind, raised, visit_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		f.Subject, f.Kind, f.Raised, visit, f.Note, tx.now.Unix()).Scan(&f.ID)
}

// ClearFlag closes a flag on a day.
func (tx *Tx) ClearFlag(id int64, day string) error {
	_, err := tx.exec(`UPDATE risk_flags SET cleared = ? WHERE id = ?`, day, id)
	return err
}

// FlagCase links the case a flag raised.
func (tx *Tx) FlagCase(id, caseID int64) error {
	_, err := tx.exec(`UPDATE risk_flags SET case_id = ? WHERE id = ?`, caseID, id)
	return err
}

// FlagFilter selects risk flags: of some subjects, or of a group's register in a region.
type FlagFilter struct {
	Subjects []int64
	Group    int64
	Region   string
	IDs      []int64
}

// Flags lists risk flags matching f, oldest first.
func Flags(ctx context.Context, q querier, f FlagFilter) ([]domain.RiskFlag, error) {
	var where []string
	var args []any
	if len(f.Subjects) > 0 {
		where = append(where, `subject_id IN (`+placeholders(len(f.Subjects))+`)`)
		args = append(args, subjectArgs(f.Subjects)...)
	}
	if len(f.IDs) > 0 {
		where = append(where, `id IN (`+placeholders(len(f.IDs))+`)`)
		args = append(args, subjectArgs(f.IDs)...)
	}
	if f.Group != 0 {
		lo, hi := domain.SubtreeRange(f.Region)
		where = append(where, `subject_id IN (SELECT id FROM subjects WHERE group_id = ? AND region >= ? AND region < ?)`)
		args = append(args, f.Group, lo, hi)
	}
	if len(where) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "flags of what?")
	}
	rows, err := q.QueryContext(ctx, `SELECT id, subject_id, kind, raised, cleared, visit_id, note, case_id FROM risk_flags WHERE `+
		strings.Join(where, ` AND `)+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.RiskFlag{}
	for rows.Next() {
		var r domain.RiskFlag
		var visit, c sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Subject, &r.Kind, &r.Raised, &r.Cleared, &visit, &r.Note, &c); err != nil {
			return nil, err
		}
		r.VisitID, r.CaseID = visit.Int64, c.Int64
		out = append(out, r)
	}
	return out, rows.Err()
}

// Flags lists flags from the reader pool.
func (db *DB) Flags(ctx context.Context, f FlagFilter) ([]domain.RiskFlag, error) {
	return Flags(ctx, db.read, f)
}

// Flags lists flags inside the transaction.
func (tx *Tx) Flags(f FlagFilter) ([]domain.RiskFlag, error) {
	return Flags(tx.ctx, tx, f)
}

// ReassignOpenVisits gives a subject's open visit tasks not yet past due on day to its
// new helper; tasks already missed stay with the helper who missed them.
func (tx *Tx) ReassignOpenVisits(subject, helper int64, day string) error {
	_, err := tx.exec(`UPDATE visits SET helper_id = ? WHERE subject_id = ? AND status = ? AND due >= ?`, helper, subject, domain.VisitOpen, day)
	return err
}
