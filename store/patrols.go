package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"whistle/domain"
)

// jsonText encodes a value for a TEXT column.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// nullID gives NULL for 0, so optional references stay NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// InsertPlan stores a patrol plan and the tasks it generates.
func (tx *Tx) InsertPlan(p *domain.PatrolPlan) ([]domain.PatrolTask, error) {
	err := tx.queryRow(`INSERT INTO patrol_plans (name, kind, org, user_id, region, times, period, checklist, from_day, to_day, linkage, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Name, p.Kind, p.Org, nullID(p.UserID), p.Region, p.Times, p.Period,
		nullID(p.Checklist), p.From, p.To, nullID(p.Linkage), tx.now.Unix()).Scan(&p.ID)
	if err != nil {
		return nil, err
	}
	tasks := p.Tasks()
	rows := make([][]any, len(tasks))
	for i, t := range tasks {
		rows[i] = []any{p.ID, t.Region, t.Org, nullID(t.UserID), t.Start.Unix(), t.Due.Unix(), t.Seq}
	}
	return tasks, tx.insertRows(`patrol_tasks (plan_id, region, org, user_id, start_at, due_at, seq)`, "", rows)
}

const planCols = `id, name, kind, org, user_id, region, times, period, checklist, from_day, to_day, linkage`

func scanPlan(row scanner) (domain.PatrolPlan, error) {
	var p domain.PatrolPlan
	var user, checklist, linkage sql.NullInt64
	err := row.Scan(&p.ID, &p.Name, &p.Kind, &p.Org, &user, &p.Region, &p.Times, &p.Period, &checklist, &p.From, &p.To, &linkage)
	p.UserID, p.Checklist, p.Linkage = user.Int64, checklist.Int64, linkage.Int64
	return p, err
}

// PatrolPlans lists plans matching f in id order.
func (db *DB) PatrolPlans(ctx context.Context, f domain.PlanFilter) ([]domain.PatrolPlan, error) {
	lo, hi := domain.SubtreeRange(f.Region)
	rows, err := db.read.QueryContext(ctx, `SELECT `+planCols+` FROM patrol_plans
		WHERE region >= ? AND region < ? AND (? = '' OR org = ?) AND (? = 0 OR user_id = ?) ORDER BY id`,
		lo, hi, f.Org, f.Org, f.UserID, f.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.PatrolPlan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PatrolPlan reads one plan.
func (db *DB) PatrolPlan(ctx context.Context, id int64) (domain.PatrolPlan, error) {
	p, err := scanPlan(db.read.QueryRowContext(ctx, `SELECT `+planCols+` FROM patrol_plans WHERE id = ?`, id))
	return p, notFound(err, "patrol plan %d not found", id)
}

// PatrolPlan reads one plan inside a transaction.
func (tx *Tx) PatrolPlan(id int64) (domain.PatrolPlan, error) {
	p, err := scanPlan(tx.queryRow(`SELECT `+planCols+` FROM patrol_plans WHERE id = ?`, id))
	return p, notFound(err, "patrol plan %d not found", id)
}

const taskCols = `id, plan_id, region, org, user_id, start_at, due_at, seq, patrol_id, done_at`

func scanTask(row scanner) (domain.PatrolTask, error) {
	var t domain.PatrolTask
	var user, patrol, done sql.NullInt64
	var start, due int64
	err := row.Scan(&t.ID, &t.PlanID, &t.Region, &t.Org, &user, &start, &due, &t.Seq, &patrol, &done)
	t.UserID, t.PatrolID, t.DoneAt = user.Int64, patrol.Int64, timeOrNil(done)
	t.Start, t.Due = fromUnix(start), fromUnix(due)
	return t, err
}

func tasksOf(ctx context.Context, q querier, query string, args ...any) ([]domain.PatrolTask, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.PatrolTask{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TasksAt lists a plan's tasks whose period holds at, for a patrol to close one.
func (tx *Tx) TasksAt(planID int64, at time.Time) ([]domain.PatrolTask, error) {
	return tasksOf(tx.ctx, tx, `SELECT `+taskCols+` FROM patrol_tasks WHERE plan_id = ? AND start_at <= ? AND due_at > ? ORDER BY due_at, seq`+tx.db.eng.lockRow,
		planID, at.Unix(), at.Unix())
}

// PatrolTask reads one task for change.
func (tx *Tx) PatrolTask(id int64) (domain.PatrolTask, error) {
	t, err := scanTask(tx.queryRow(`SELECT `+taskCols+` FROM patrol_tasks WHERE id = ?`+tx.db.eng.lockRow, id))
	return t, notFound(err, "patrol task %d not found", id)
}

// TaskFilter selects patrol tasks: due in [From, To), of the plans given or in a region.
type TaskFilter struct {
	Region   string
	Plans    []int64 // any of these plans; nil: all plans
	From, To time.Time
	OpenOnly bool
}

// PatrolTasks lists the tasks matching f, earliest due first.
func (db *DB) PatrolTasks(ctx context.Context, f TaskFilter) ([]domain.PatrolTask, error) {
	lo, hi := domain.SubtreeRange(f.Region)
	q := `SELECT ` + taskCols + ` FROM patrol_tasks WHERE due_at > ? AND due_at <= ? AND region >= ? AND region < ?`
	args := []any{f.From.Unix(), f.To.Unix(), lo, hi}
	if f.Plans != nil {
		if len(f.Plans) == 0 {
			return []domain.PatrolTask{}, nil
		}
		q += ` AND plan_id IN (?` + strings.Repeat(", ?", len(f.Plans)-1) + `)`
		for _, p := range f.Plans {
			args = append(args, p)
		}
	}
	if f.OpenOnly {
		q += ` AND done_at IS NULL`
	}
	return tasksOf(ctx, db.read, q+` ORDER BY due_at, id`, args...)
}

// InsertPatrol stores a patrol record and closes its task, if any.
func (tx *Tx) InsertPatrol(p *domain.Patrol) error {
	var lat, lon any
	if p.Lat != nil {
		lat, lon = *p.Lat, *p.Lon
	}
	err := tx.queryRow(`INSERT INTO patrols (task_id, plan_id, user_id, org, region, started_at, ended_at, lat, lon, route, checklist,
		answers, photos, note, late, hazards, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(p.TaskID), nullID(p.PlanID), p.UserID, p.Org, p.Region, p.StartedAt.Unix(), p.EndedAt.Unix(), lat, lon,
		jsonText(p.Route), nullID(p.Checklist), jsonText(p.Answers), jsonText(p.Photos), p.Note, boolInt(p.Late),
		jsonText(p.HazardIDs), p.RecordedAt.Unix()).Scan(&p.ID)
	if err != nil || p.TaskID == 0 {
		return err
	}
	_, err = tx.exec(`UPDATE patrol_tasks SET patrol_id = ?, done_at = ? WHERE id = ? AND done_at IS NULL`, p.ID, p.StartedAt.Unix(), p.TaskID)
	return err
}

// SetPatrolHazards records the hazard cases a patrol found.
func (tx *Tx) SetPatrolHazards(id int64, cases []int64) error {
	_, err := tx.exec(`UPDATE patrols SET hazards = ? WHERE id = ?`, jsonText(cases), id)
	return err
}

const patrolCols = `p.id, p.task_id, p.plan_id, p.user_id, u.name, p.org, p.region, p.started_at, p.ended_at, p.lat, p.lon, p.route,
	p.checklist, p.answers, p.photos, p.note, p.late, p.hazards, p.recorded_at`

func scanPatrol(row scanner, full bool) (domain.Patrol, error) {
	var p domain.Patrol
	var task, plan, checklist sql.NullInt64
	var lat, lon sql.NullFloat64
	var started, ended, recorded int64
	var route, answers, photos, hazards string
	var late int
	err := row.Scan(&p.ID, &task, &plan, &p.UserID, &p.UserName, &p.Org, &p.Region, &started, &ended, &lat, &lon, &route,
		&checklist, &answers, &photos, &p.Note, &late, &hazards, &recorded)
	if err != nil {
		return p, err
	}
	p.TaskID, p.PlanID, p.Checklist, p.Late = task.Int64, plan.Int64, checklist.Int64, late == 1
	p.StartedAt, p.EndedAt, p.RecordedAt = fromUnix(started), fromUnix(ended), fromUnix(recorded)
	if lat.Valid && lon.Valid {
		p.Lat, p.Lon = &lat.Float64, &lon.Float64
	}
	p.Answers, p.Photos, p.HazardIDs = []domain.ChecklistAnswer{}, []string{}, []int64{}
	if err := json.Unmarshal([]byte(answers), &p.Answers); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(hazards), &p.HazardIDs); err != nil {
		return p, err
	}
	if full { // lists leave the photos and route out: they are the bulk of a record
		if err := json.Unmarshal([]byte(route), &p.Route); err != nil {
			return p, err
		}
		if err := json.Unmarshal([]byte(photos), &p.Photos); err != nil {
			return p, err
		}
	}
	return p, nil
}

// Patrol reads one patrol record with its route and photos.
func (db *DB) Patrol(ctx context.Context, id int64) (domain.Patrol, error) {
	p, err := scanPatrol(db.read.QueryRowContext(ctx, `SELECT `+patrolCols+` FROM patrols p JOIN users u ON u.id = p.user_id WHERE p.id = ?`, id), true)
	return p, notFound(err, "patrol %d not found", id)
}

// Patrols lists patrol records matching f without their photos and routes.
func (db *DB) Patrols(ctx context.Context, f domain.PatrolFilter) ([]domain.Patrol, error) {
	lo, hi := domain.SubtreeRange(f.Region)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if f.After <= 0 {
		f.After = 1 << 62
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+patrolCols+` FROM patrols p JOIN users u ON u.id = p.user_id
		WHERE p.region >= ? AND p.region < ? AND p.started_at >= ? AND p.started_at < ? AND (? = 0 OR p.user_id = ?)
		AND (? = '' OR p.org = ?) AND p.id < ? ORDER BY p.id DESC LIMIT ?`,
		lo, hi, f.From.Unix(), f.To.Unix(), f.UserID, f.UserID, f.Org, f.Org, f.After, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Patrol{}
	for rows.Next() {
		p, err := scanPatrol(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PutChecklist creates a checklist template (ID 0) or replaces one.
func (tx *Tx) PutChecklist(c *domain.Checklist) error {
	if c.ID == 0 {
		err := tx.queryRow(`INSERT INTO checklists (code, name, kind, items) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING RETURNING id`,
			c.Code, c.Name, c.Kind, jsonText(c.Items)).Scan(&c.ID)
		if err == sql.ErrNoRows {
			return domain.Errorf(domain.ECONFLICT, "a checklist with code %s exists", c.Code)
		}
		return err
	}
	res, err := tx.exec(`UPDATE checklists SET code = ?, name = ?, kind = ?, items = ? WHERE id = ?`, c.Code, c.Name, c.Kind, jsonText(c.Items), c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "checklist %d not found", c.ID)
	}
	return nil
}

func scanChecklist(row scanner) (domain.Checklist, error) {
	var c domain.Checklist
	var items string
	if err := row.Scan(&c.ID, &c.Code, &c.Name, &c.Kind, &items); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(items), &c.Items)
}

// Checklists lists every checklist template.
func (db *DB) Checklists(ctx context.Context) ([]domain.Checklist, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, code, name, kind, items FROM checklists ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Checklist{}
	for rows.Next() {
		c, err := scanChecklist(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Checklist reads one template.
func (db *DB) Checklist(ctx context.Context, id int64) (domain.Checklist, error) {
	c, err := scanChecklist(db.read.QueryRowContext(ctx, `SELECT id, code, name, kind, items FROM checklists WHERE id = ?`, id))
	return c, notFound(err, "checklist %d not found", id)
}

// Checklist reads one template inside a transaction.
func (tx *Tx) Checklist(id int64) (domain.Checklist, error) {
	c, err := scanChecklist(tx.queryRow(`SELECT id, code, name, kind, items FROM checklists WHERE id = ?`, id))
	return c, notFound(err, "checklist %d not found", id)
}

// InsertChecklistEntry records one item done with its evidence.
func (tx *Tx) InsertChecklistEntry(e *domain.ChecklistEntry) error {
	return tx.queryRow(`INSERT INTO checklist_entries (checklist, region, year, item, evidence, photos, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Checklist, e.Region, e.Year, e.Item, e.Evidence, jsonText(e.Photos), e.UserID, e.At.Unix()).Scan(&e.ID)
}

// ChecklistEntries lists the entries of a checklist in a year for the communities of
// a region subtree (photos left out).
func (db *DB) ChecklistEntries(ctx context.Context, checklist int64, year int, region string) ([]domain.ChecklistEntry, error) {
	lo, hi := domain.SubtreeRange(region)
	rows, err := db.read.QueryContext(ctx, `SELECT id, checklist, region, year, item, evidence, user_id, at FROM checklist_entries
		WHERE checklist = ? AND year = ? AND region >= ? AND region < ? ORDER BY id`, checklist, year, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ChecklistEntry{}
	for rows.Next() {
		var e domain.ChecklistEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Checklist, &e.Region, &e.Year, &e.Item, &e.Evidence, &e.UserID, &at); err != nil {
			return nil, err
		}
		e.At, e.Photos = fromUnix(at), []string{}
		out = append(out, e)
	}
	return out, rows.Err()
}
