package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"whistle/domain"
)

// 机构编制: units, the dated changes of their approved figures, their staff's movements,
// the exceptions to "只减不增" and the digestion plans. Changes and movements are only
// ever inserted.

const staffUnitCols = `id, COALESCE(parent_id, 0), region, name, kind, doc_no, doc_date, created_at`

func scanStaffUnit(s scanner) (domain.StaffUnit, error) {
	var u domain.StaffUnit
	var at int64
	err := s.Scan(&u.ID, &u.ParentID, &u.Region, &u.Name, &u.Kind, &u.DocNo, &u.DocDate, &at)
	u.CreatedAt = fromUnix(at)
	return u, err
}

// staffRows runs q on from and scans each row with scan.
func staffRows[T any](ctx context.Context, from querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := from.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// StaffUnits reads the units in the subtree of region ("" everywhere), by region then id.
func (db *DB) StaffUnits(ctx context.Context, region string) ([]domain.StaffUnit, error) {
	lo, hi := domain.SubtreeRange(region)
	return staffRows(ctx, db.read, scanStaffUnit, `SELECT `+staffUnitCols+` FROM staff_units WHERE region >= ? AND region < ? ORDER BY region, id`, lo, hi)
}

// StaffUnit reads one unit.
func (db *DB) StaffUnit(ctx context.Context, id int64) (domain.StaffUnit, error) {
	u, err := scanStaffUnit(db.read.QueryRowContext(ctx, `SELECT `+staffUnitCols+` FROM staff_units WHERE id = ?`, id))
	return u, notFound(err, "unit %d not found", id)
}

// StaffUnit reads one unit in tx.
func (tx *Tx) StaffUnit(id int64) (domain.StaffUnit, error) {
	u, err := scanStaffUnit(tx.queryRow(`SELECT `+staffUnitCols+` FROM staff_units WHERE id = ?`, id))
	return u, notFound(err, "unit %d not found", id)
}

// InsertStaffUnit adds a unit, numbering it.
func (tx *Tx) InsertStaffUnit(u *domain.StaffUnit, by int64) error {
	u.CreatedAt = fromUnix(tx.now.Unix())
	return tx.queryRow(`INSERT INTO staff_units (parent_id, region, name, kind, doc_no, doc_date, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, nullID(u.ParentID), u.Region, u.Name, u.Kind, u.DocNo, u.DocDate, by, tx.now.Unix()).Scan(&u.ID)
}

const staffQuotaCols = `id, unit_id, item, value, level, day, doc_no, method, inputs, COALESCE(exception_id, 0), note, user_id, created_at`

func scanStaffQuota(s scanner) (domain.StaffQuota, error) {
	var q domain.StaffQuota
	var inputs string
	var at int64
	if err := s.Scan(&q.ID, &q.UnitID, &q.Item, &q.Value, &q.Level, &q.Day, &q.DocNo, &q.Method, &inputs, &q.ExceptionID, &q.Note, &q.UserID, &at); err != nil {
		return q, err
	}
	q.CreatedAt = fromUnix(at)
	if inputs != "" {
		if err := json.Unmarshal([]byte(inputs), &q.Inputs); err != nil {
			return q, err
		}
	}
	return q, nil
}

// StaffQuotas reads the approved-figure changes of the units in region's subtree on or
// before day ("" every day), in the order they were recorded.
func (db *DB) StaffQuotas(ctx context.Context, region, day string) ([]domain.StaffQuota, error) {
	lo, hi := domain.SubtreeRange(region)
	if day == "" {
		day = "9999-12-31"
	}
	return staffRows(ctx, db.read, scanStaffQuota, `SELECT `+staffQuotaCols+` FROM staff_quotas
		WHERE day <= ? AND unit_id IN (SELECT id FROM staff_units WHERE region >= ? AND region < ?) ORDER BY id`, day, lo, hi)
}

// StaffQuotasOf reads one unit's approved-figure changes in tx, in the order recorded.
func (tx *Tx) StaffQuotasOf(unit int64) ([]domain.StaffQuota, error) {
	return staffRows(tx.ctx, tx, scanStaffQuota, `SELECT `+staffQuotaCols+` FROM staff_quotas WHERE unit_id = ? ORDER BY id`, unit)
}

// InsertStaffQuota appends a change of an approved figure.
func (tx *Tx) InsertStaffQuota(q *domain.StaffQuota) error {
	inputs := ""
	if len(q.Inputs) > 0 {
		b, err := json.Marshal(q.Inputs)
		if err != nil {
			return err
		}
		inputs = string(b)
	}
	q.CreatedAt = fromUnix(tx.now.Unix())
	return tx.queryRow(`INSERT INTO staff_quotas (unit_id, item, value, level, day, doc_no, method, inputs, exception_id, note, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, q.UnitID, q.Item, q.Value, q.Level, q.Day, q.DocNo, q.Method, inputs, nullID(q.ExceptionID), q.Note,
		q.UserID, tx.now.Unix()).Scan(&q.ID)
}

const staffMoveCols = `id, unit_id, item, day, delta, COALESCE(person_id, 0), kind, level, doc_no, note, user_id, created_at`

func scanStaffMove(s scanner) (domain.StaffMove, error) {
	var m domain.StaffMove
	var at int64
	err := s.Scan(&m.ID, &m.UnitID, &m.Item, &m.Day, &m.Delta, &m.PersonID, &m.Kind, &m.Level, &m.DocNo, &m.Note, &m.UserID, &at)
	m.CreatedAt = fromUnix(at)
	return m, err
}

// StaffMoves reads the movements of the units in region's subtree on or before day
// ("" every day), in the order they were recorded.
func (db *DB) StaffMoves(ctx context.Context, region, day string) ([]domain.StaffMove, error) {
	lo, hi := domain.SubtreeRange(region)
	if day == "" {
		day = "9999-12-31"
	}
	return staffRows(ctx, db.read, scanStaffMove, `SELECT `+staffMoveCols+` FROM staff_moves
		WHERE day <= ? AND unit_id IN (SELECT id FROM staff_units WHERE region >= ? AND region < ?) ORDER BY id`, day, lo, hi)
}

// StaffMovesOf reads one unit's movements in tx, in the order recorded.
func (tx *Tx) StaffMovesOf(unit int64) ([]domain.StaffMove, error) {
	return staffRows(tx.ctx, tx, scanStaffMove, `SELECT `+staffMoveCols+` FROM staff_moves WHERE unit_id = ? ORDER BY id`, unit)
}

// InsertStaffMove appends a movement.
func (tx *Tx) InsertStaffMove(m *domain.StaffMove) error {
	m.CreatedAt = fromUnix(tx.now.Unix())
	return tx.queryRow(`INSERT INTO staff_moves (unit_id, item, day, delta, person_id, kind, level, doc_no, note, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.UnitID, m.Item, m.Day, m.Delta, nullID(m.PersonID), m.Kind, m.Level, m.DocNo, m.Note, m.UserID, tx.now.Unix()).Scan(&m.ID)
}

const staffPersonCols = `p.id, p.unit_id, p.item, p.name, p.kind, p.level, p.id_masked,
	COALESCE((SELECT SUM(delta) FROM staff_moves m WHERE m.person_id = p.id), 0)`

func scanStaffPerson(s scanner) (domain.StaffPerson, error) {
	var p domain.StaffPerson
	var on int
	err := s.Scan(&p.ID, &p.UnitID, &p.Item, &p.Name, &p.Kind, &p.Level, &p.IDMasked, &on)
	p.OnStaff = on > 0
	return p, err
}

// StaffPeople reads a unit's named staff, on staff or not, by id.
func (db *DB) StaffPeople(ctx context.Context, unit int64) ([]domain.StaffPerson, error) {
	return staffRows(ctx, db.read, scanStaffPerson, `SELECT `+staffPersonCols+` FROM staff_people p WHERE p.unit_id = ? ORDER BY p.id`, unit)
}

// StaffPerson reads one named person in tx.
func (tx *Tx) StaffPerson(id int64) (domain.StaffPerson, error) {
	p, err := scanStaffPerson(tx.queryRow(`SELECT `+staffPersonCols+` FROM staff_people p WHERE p.id = ?`, id))
	return p, notFound(err, "person %d not found", id)
}

// StaffPersonSealed reads one person's sealed ID number and the unit they are of.
func (db *DB) StaffPersonSealed(ctx context.Context, id int64) (domain.StaffPerson, string, error) {
	var sealed string
	p, err := scanStaffPerson(db.read.QueryRowContext(ctx, `SELECT `+staffPersonCols+` FROM staff_people p WHERE p.id = ?`, id))
	if err == nil {
		err = db.read.QueryRowContext(ctx, `SELECT id_sealed FROM staff_people WHERE id = ?`, id).Scan(&sealed)
	}
	return p, sealed, notFound(err, "person %d not found", id)
}

// StaffPersonOnStaff tells which person (0 for none) with the ID number's hash is on
// the staff of any unit now.
func (tx *Tx) StaffPersonOnStaff(hash string) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT p.id FROM staff_people p WHERE p.id_hash = ?
		AND (SELECT COALESCE(SUM(delta), 0) FROM staff_moves m WHERE m.person_id = p.id) > 0 ORDER BY p.id LIMIT 1`, hash).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// InsertStaffPerson adds a named person (their ID number sealed, masked and hashed).
func (tx *Tx) InsertStaffPerson(p *domain.StaffPerson, sealed, hash string) error {
	return tx.queryRow(`INSERT INTO staff_people (unit_id, item, name, kind, level, id_sealed, id_masked, id_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.UnitID, p.Item, p.Name, p.Kind, p.Level, sealed, p.IDMasked, hash, tx.now.Unix()).Scan(&p.ID)
}

const staffPlanCols = `id, unit_id, item, outs, ins, from_day, target_day, doc_no, base_over`

func scanStaffPlan(s scanner) (domain.StaffPlan, error) {
	var p domain.StaffPlan
	err := s.Scan(&p.ID, &p.UnitID, &p.Item, &p.Out, &p.In, &p.From, &p.Target, &p.DocNo, &p.BaseOver)
	return p, err
}

// StaffPlans reads the digestion plans of the units in region's subtree, by id.
func (db *DB) StaffPlans(ctx context.Context, region string) ([]domain.StaffPlan, error) {
	lo, hi := domain.SubtreeRange(region)
	return staffRows(ctx, db.read, scanStaffPlan, `SELECT `+staffPlanCols+` FROM staff_plans
		WHERE unit_id IN (SELECT id FROM staff_units WHERE region >= ? AND region < ?) ORDER BY id`, lo, hi)
}

// StaffPlansOf reads one unit's plans in tx, by id.
func (tx *Tx) StaffPlansOf(unit int64) ([]domain.StaffPlan, error) {
	return staffRows(tx.ctx, tx, scanStaffPlan, `SELECT `+staffPlanCols+` FROM staff_plans WHERE unit_id = ? ORDER BY id`, unit)
}

// InsertStaffPlan adds a digestion plan.
func (tx *Tx) InsertStaffPlan(p *domain.StaffPlan, by int64) error {
	return tx.queryRow(`INSERT INTO staff_plans (unit_id, item, outs, ins, from_day, target_day, doc_no, base_over, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.UnitID, p.Item, p.Out, p.In, p.From, p.Target, p.DocNo, p.BaseOver, by, tx.now.Unix()).Scan(&p.ID)
}

const staffExceptionCols = `id, unit_id, value, reason, doc_no, status, requested_by, COALESCE(decided_by, 0), note, created_at, decided_at`

func scanStaffException(s scanner) (domain.StaffException, error) {
	var e domain.StaffException
	var at int64
	var decided sql.NullInt64
	err := s.Scan(&e.ID, &e.UnitID, &e.Value, &e.Reason, &e.DocNo, &e.Status, &e.RequestedBy, &e.DecidedBy, &e.Note, &at, &decided)
	e.CreatedAt, e.DecidedAt = fromUnix(at), timeOrNil(decided)
	return e, err
}

// StaffExceptions reads the exceptions asked for the units in region's subtree, newest first.
func (db *DB) StaffExceptions(ctx context.Context, region string) ([]domain.StaffException, error) {
	lo, hi := domain.SubtreeRange(region)
	return staffRows(ctx, db.read, scanStaffException, `SELECT `+staffExceptionCols+` FROM staff_exceptions
		WHERE unit_id IN (SELECT id FROM staff_units WHERE region >= ? AND region < ?) ORDER BY id DESC`, lo, hi)
}

// StaffException reads one exception in tx.
func (tx *Tx) StaffException(id int64) (domain.StaffException, error) {
	e, err := scanStaffException(tx.queryRow(`SELECT `+staffExceptionCols+` FROM staff_exceptions WHERE id = ?`, id))
	return e, notFound(err, "exception %d not found", id)
}

// InsertStaffException adds a request for an exception.
func (tx *Tx) InsertStaffException(e *domain.StaffException) error {
	e.CreatedAt = fromUnix(tx.now.Unix())
	return tx.queryRow(`INSERT INTO staff_exceptions (unit_id, value, reason, status, requested_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, e.UnitID, e.Value, e.Reason, e.Status, e.RequestedBy, tx.now.Unix()).Scan(&e.ID)
}

// SetStaffException moves an exception from one status to another (decided by the
// leading group, or used by a raise); a conflict if it is no longer in from.
func (tx *Tx) SetStaffException(e *domain.StaffException, from domain.ExceptionStatus) error {
	res, err := tx.exec(`UPDATE staff_exceptions SET status = ?, doc_no = ?, decided_by = ?, note = ?, decided_at = ? WHERE id = ? AND status = ?`,
		e.Status, e.DocNo, nullID(e.DecidedBy), e.Note, unixOrNil(e.DecidedAt), e.ID, from)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "exception %d is no longer %s", e.ID, from)
	}
	return nil
}

// StaffUnitHistory reads one unit's approved-figure changes, movements and plans, each
// in the order recorded.
func (db *DB) StaffUnitHistory(ctx context.Context, unit int64) ([]domain.StaffQuota, []domain.StaffMove, []domain.StaffPlan, error) {
	qs, err := staffRows(ctx, db.read, scanStaffQuota, `SELECT `+staffQuotaCols+` FROM staff_quotas WHERE unit_id = ? ORDER BY id`, unit)
	if err != nil {
		return nil, nil, nil, err
	}
	ms, err := staffRows(ctx, db.read, scanStaffMove, `SELECT `+staffMoveCols+` FROM staff_moves WHERE unit_id = ? ORDER BY id`, unit)
	if err != nil {
		return nil, nil, nil, err
	}
	ps, err := staffRows(ctx, db.read, scanStaffPlan, `SELECT `+staffPlanCols+` FROM staff_plans WHERE unit_id = ? ORDER BY id`, unit)
	return qs, ms, ps, err
}

const staffSurveyCols = `id, region, title, form, rect_list_id, created_at`

func scanStaffSurvey(s scanner) (domain.StaffSurvey, error) {
	var v domain.StaffSurvey
	var at int64
	err := s.Scan(&v.ID, &v.Region, &v.Title, &v.Form, &v.RectListID, &at)
	v.CreatedAt, v.UnitIDs = fromUnix(at), []int64{}
	return v, err
}

// StaffSurveys reads the survey rounds of region's subtree, newest first, with their units.
func (db *DB) StaffSurveys(ctx context.Context, region string) ([]domain.StaffSurvey, error) {
	lo, hi := domain.SubtreeRange(region)
	out, err := staffRows(ctx, db.read, scanStaffSurvey, `SELECT `+staffSurveyCols+` FROM staff_surveys WHERE region >= ? AND region < ? ORDER BY id DESC`, lo, hi)
	for i := range out {
		if err != nil {
			break
		}
		out[i].UnitIDs, err = staffRows(ctx, db.read, func(s scanner) (int64, error) { var id int64; return id, s.Scan(&id) },
			`SELECT unit_id FROM staff_survey_units WHERE survey_id = ? ORDER BY unit_id`, out[i].ID)
	}
	return out, err
}

// StaffSurvey reads one round with its units and findings.
func (db *DB) StaffSurvey(ctx context.Context, id int64) (domain.StaffSurvey, []domain.StaffFinding, error) {
	v, err := scanStaffSurvey(db.read.QueryRowContext(ctx, `SELECT `+staffSurveyCols+` FROM staff_surveys WHERE id = ?`, id))
	if err != nil {
		return v, nil, notFound(err, "survey %d not found", id)
	}
	if v.UnitIDs, err = staffRows(ctx, db.read, func(s scanner) (int64, error) { var id int64; return id, s.Scan(&id) },
		`SELECT unit_id FROM staff_survey_units WHERE survey_id = ? ORDER BY unit_id`, id); err != nil {
		return v, nil, err
	}
	fs, err := staffRows(ctx, db.read, scanStaffFinding, `SELECT `+staffFindingCols+` FROM staff_findings WHERE survey_id = ? ORDER BY id`, id)
	return v, fs, err
}

// InsertStaffSurvey adds a round and its units.
func (tx *Tx) InsertStaffSurvey(v *domain.StaffSurvey, by int64) error {
	v.CreatedAt = fromUnix(tx.now.Unix())
	if err := tx.queryRow(`INSERT INTO staff_surveys (region, title, form, rect_list_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		v.Region, v.Title, v.Form, v.RectListID, by, tx.now.Unix()).Scan(&v.ID); err != nil {
		return err
	}
	for _, u := range v.UnitIDs {
		if _, err := tx.exec(`INSERT INTO staff_survey_units (survey_id, unit_id) VALUES (?, ?)`, v.ID, u); err != nil {
			return err
		}
	}
	return nil
}

const staffFindingCols = `id, survey_id, unit_id, finding, answers, COALESCE(rect_item_id, 0), recorded_at`

func scanStaffFinding(s scanner) (domain.StaffFinding, error) {
	var f domain.StaffFinding
	var at int64
	err := s.Scan(&f.ID, &f.SurveyID, &f.UnitID, &f.Finding, &f.Answers, &f.RectItemID, &at)
	f.RecordedAt = fromUnix(at)
	return f, err
}

// InsertStaffFinding adds a finding.
func (tx *Tx) InsertStaffFinding(f *domain.StaffFinding, by int64) error {
	f.RecordedAt = fromUnix(tx.now.Unix())
	return tx.queryRow(`INSERT INTO staff_findings (survey_id, unit_id, finding, answers, rect_item_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.SurveyID, f.UnitID, f.Finding, f.Answers, nullID(f.RectItemID), by, tx.now.Unix()).Scan(&f.ID)
}
