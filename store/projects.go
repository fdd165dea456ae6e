package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"whistle/domain"
)

// Investment projects, their stages, the catalogue of approval items and each
// project's items, and the figures leaders read of them.

// ApprovalItems reads the catalogue in stage order.
func (db *DB) ApprovalItems(ctx context.Context) ([]domain.ApprovalItem, error) {
	return approvalItems(ctx, db.read)
}

// ApprovalItems reads the catalogue in tx.
func (tx *Tx) ApprovalItems() ([]domain.ApprovalItem, error) { return approvalItems(tx.ctx, tx) }

func approvalItems(ctx context.Context, q querier) ([]domain.ApprovalItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, stage, org, statutory, promised, vip, commitment, required
		FROM approval_items ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ApprovalItem{}
	for rows.Next() {
		var a domain.ApprovalItem
		var commitment, required int
		if err := rows.Scan(&a.Code, &a.Name, &a.Stage, &a.Org, &a.Statutory, &a.Promised, &a.VIP, &commitment, &required); err != nil {
			return nil, err
		}
		a.Commitment, a.Required = commitment == 1, required == 1
		out = append(out, a)
	}
	return out, rows.Err()
}

// PutApprovalItem adds or replaces a catalogue entry; position keeps the catalogue's order.
func (tx *Tx) PutApprovalItem(a domain.ApprovalItem) error {
	pos := a.Stage.Index()*1000 + 999
	if _, err := tx.exec(`DELETE FROM approval_items WHERE code = ?`, a.Code); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO approval_items (code, name, stage, org, statutory, promised, vip, commitment, required, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Code, a.Name, a.Stage, a.Org, a.Statutory, a.Promised, a.VIP,
		boolInt(a.Commitment), boolInt(a.Required), pos)
	return err
}

const projectCols = `p.id, p.name, p.investor, p.industry, p.kind, p.total, p.year_plan, p.land, p.parcel, p.park, p.region,
	p.priority, p.tier, COALESCE(p.leader_id, 0), COALESCE(p.agent_id, 0), p.status, p.stage, p.version,
	COALESCE(e.name, ''), COALESCE(e.account_id, 0)`

const projectFrom = ` FROM projects p LEFT JOIN enterprises e ON e.uscc = p.investor`

func scanProject(row scanner) (*domain.Project, error) {
	p := &domain.Project{}
	err := row.Scan(&p.ID, &p.Name, &p.Investor, &p.Industry, &p.Kind, &p.Total, &p.YearPlan, &p.Land, &p.Parcel, &p.Park,
		&p.Region, &p.Priority, &p.Tier, &p.LeaderID, &p.AgentID, &p.Status, &p.Stage, &p.Version, &p.InvestorName, &p.InvestorAccount)
	return p, err
}

// Project reads one project with its departments.
func (db *DB) Project(ctx context.Context, id int64) (*domain.Project, error) {
	return project(ctx, db.read, id)
}

// Project reads one project in tx.
func (tx *Tx) Project(id int64) (*domain.Project, error) { return project(tx.ctx, tx, id) }

func project(ctx context.Context, q querier, id int64) (*domain.Project, error) {
	p, err := scanProject(rowOf(q.QueryContext(ctx, `SELECT `+projectCols+projectFrom+` WHERE p.id = ?`, id)))
	if err != nil {
		return nil, notFound(err, "project %d not found", id)
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT org FROM project_items WHERE project_id = ? ORDER BY org`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		p.Orgs = append(p.Orgs, o)
	}
	return p, rows.Err()
}

// PutProject adds a project (ID 0, numbering it) or changes one at its version.
func (tx *Tx) PutProject(p *domain.Project) error {
	now := tx.now.Unix()
	args := []any{p.Name, p.Investor, p.Industry, p.Kind, p.Total, p.YearPlan, p.Land, p.Parcel, p.Park, p.Region, p.Priority,
		p.Tier, nullID(p.LeaderID), nullID(p.AgentID), p.Status, p.Stage}
	if p.ID == 0 {
		p.Version = 1
		err := tx.queryRow(`INSERT INTO projects (name, investor, industry, kind, total, year_plan, land, parcel, park, region,
			priority, tier, leader_id, agent_id, status, stage, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, append(args, now, now)...).Scan(&p.ID)
		if err != nil {
			return err
		}
		return tx.sumProjects(1, `p.id = ?`, p.ID)
	}
	return tx.resumProject(p.ID, func() error {
		res, err := tx.exec(`UPDATE projects SET name = ?, investor = ?, industry = ?, kind = ?, total = ?, year_plan = ?, land = ?,
			parcel = ?, park = ?, region = ?, priority = ?, tier = ?, leader_id = ?, agent_id = ?, status = ?, stage = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, append(args, now, p.ID, p.Version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ESTALE, "project %d changed since version %d", p.ID, p.Version)
		}
		p.Version++
		return nil
	})
}

// Projects lists the projects f chooses, newest first.
func (db *DB) Projects(ctx context.Context, f domain.ProjectFilter) ([]*domain.Project, error) {
	where, args := projectWhere(f)
	return scanProjects(db.read.QueryContext(ctx, `SELECT `+projectCols+projectFrom+` WHERE `+where+` ORDER BY p.id DESC LIMIT ?`, append(args, f.Limit)...))
}

// scanProjects reads the projects a query gives.
func scanProjects(rows *sql.Rows, err error) ([]*domain.Project, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Project{}
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// projectWhere is f in SQL over projects p (joined with enterprises e).
func projectWhere(f domain.ProjectFilter) (string, []any) {
	lo, hi := domain.SubtreeRange(f.Region)
	conds, args := []string{`p.region >= ? AND p.region < ?`}, []any{lo, hi}
	add := func(cond string, a ...any) { conds, args = append(conds, cond), append(args, a...) }
	if f.Stage != "" {
		add(`p.stage = ?`, f.Stage)
	}
	if f.Tier != "" {
		add(`p.tier = ?`, f.Tier)
	}
	if f.Kind != "" {
		add(`p.kind = ?`, f.Kind)
	}
	if f.Park != "" {
		add(`p.park = ?`, f.Park)
	}
	if f.Status != "" {
		add(`p.status = ?`, f.Status)
	}
	for on, from := range map[bool]domain.Stage{f.Signed: "signed", f.Started: "started", f.Operating: "operating"} {
		if on {
			add(`p.stage IN (`+placeholders(len(domain.Stages)-from.Index())+`)`, stagesFrom(from)...)
		}
	}
	if f.Late || f.LateOrg != "" {
		q := `EXISTS (SELECT 1 FROM project_items i WHERE i.project_id = p.id AND i.late_at IS NOT NULL`
		if f.LateOrg != "" {
			q += ` AND i.org = ?`
			args = append(args, f.LateOrg)
		}
		conds = append(conds, q+`)`)
	}
	if f.DueMonth != "" {
		cond, a := progressDueWhere(f.DueMonth)
		add(cond, a...)
	}
	if f.Own != 0 || len(f.Orgs) > 0 {
		own := []string{`p.agent_id = ?`, `p.leader_id = ?`, `e.account_id = ?`}
		a := []any{f.Own, f.Own, f.Own}
		if len(f.Orgs) > 0 {
			own = append(own, `EXISTS (SELECT 1 FROM project_items i WHERE i.project_id = p.id AND i.org IN (`+placeholders(len(f.Orgs))+`))`)
			for _, o := range f.Orgs {
				a = append(a, o)
			}
		}
		add(`(`+strings.Join(own, ` OR `)+`)`, a...)
	}
	return strings.Join(conds, ` AND `), args
}

func stagesFrom(s domain.Stage) []any {
	out := []any{}
	for _, x := range domain.Stages[s.Index():] {
		out = append(out, string(x))
	}
	return out
}

// Stages reads a project's stage records in stage order.
func (db *DB) Stages(ctx context.Context, projectID int64) ([]domain.StageRecord, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT stage, planned, actual, facts FROM project_stages WHERE project_id = ?`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[domain.Stage]domain.StageRecord{}
	for rows.Next() {
		var r domain.StageRecord
		var facts string
		if err := rows.Scan(&r.Stage, &r.Planned, &r.Actual, &facts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(facts), &r.Facts); err != nil {
			return nil, err
		}
		got[r.Stage] = r
	}
	out := make([]domain.StageRecord, 0, len(domain.Stages))
	for _, s := range domain.Stages {
		r := got[s]
		r.Stage = s
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutStage writes a project's record of one stage.
func (tx *Tx) PutStage(projectID int64, r domain.StageRecord) error {
	facts, err := json.Marshal(r.Facts)
	if err != nil || r.Facts == nil {
		facts = []byte("{}")
	}
	if _, err := tx.exec(`DELETE FROM project_stages WHERE project_id = ? AND stage = ?`, projectID, r.Stage); err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO project_stages (project_id, stage, planned, actual, facts) VALUES (?, ?, ?, ?, ?)`,
		projectID, r.Stage, r.Planned, r.Actual, string(facts))
	return err
}

// Stage reads one stage record of a project in tx (an empty one when none is kept).
func (tx *Tx) Stage(projectID int64, s domain.Stage) (domain.StageRecord, error) {
	r := domain.StageRecord{Stage: s}
	var facts string
	err := tx.queryRow(`SELECT planned, actual, facts FROM project_stages WHERE project_id = ? AND stage = ?`, projectID, s).Scan(&r.Planned, &r.Actual, &facts)
	if err == sql.ErrNoRows {
		return r, nil
	}
	if err == nil {
		err = json.Unmarshal([]byte(facts), &r.Facts)
	}
	return r, err
}

const itemCols = `id, project_id, code, name, stage, org, state, statutory, limit_days, vip, applied_at, accepted_at, gaps, gaps_due,
	supplement, paused_at, paused, due_at, decided_at, permit, reason, commitment, checked_at, late_at, taken, version`

func scanItem(row scanner) (domain.ProjectItem, error) {
	var it domain.ProjectItem
	var vip, commitment int
	var applied int64
	var accepted, paused, due, decided, checked, late, taken sql.NullInt64
	var gaps string
	err := row.Scan(&it.ID, &it.ProjectID, &it.Code, &it.Name, &it.Stage, &it.Org, &it.State, &it.Statutory, &it.Limit, &vip,
		&applied, &accepted, &gaps, &it.GapsDue, &it.Supplement, &paused, &it.Paused, &due, &decided, &it.Permit, &it.Reason,
		&commitment, &checked, &late, &taken, &it.Version)
	if err != nil {
		return it, err
	}
	it.VIP, it.Commitment, it.Applied = vip == 1, commitment == 1, fromUnix(applied)
	it.Accepted, it.PausedAt, it.Due, it.Decided, it.CheckedAt, it.LateAt = timeOrNil(accepted), timeOrNil(paused), timeOrNil(due),
		timeOrNil(decided), timeOrNil(checked), timeOrNil(late)
	if taken.Valid {
		n := int(taken.Int64)
		it.Used = &n
	}
	return it, json.Unmarshal([]byte(gaps), &it.Gaps)
}

func itemsWhere(ctx context.Context, q querier, tail string, args ...any) ([]domain.ProjectItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+itemCols+` FROM project_items WHERE `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ProjectItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ProjectItems reads a project's items in filing order.
func (db *DB) ProjectItems(ctx context.Context, projectID int64) ([]domain.ProjectItem, error) {
	return itemsWhere(ctx, db.read, `project_id = ? ORDER BY id`, projectID)
}

// ProjectItems reads a project's items in tx.
func (tx *Tx) ProjectItems(projectID int64) ([]domain.ProjectItem, error) {
	return itemsWhere(tx.ctx, tx, `project_id = ? ORDER BY id`, projectID)
}

// ProjectItem reads one item in tx.
func (tx *Tx) ProjectItem(id int64) (domain.ProjectItem, error) {
	its, err := itemsWhere(tx.ctx, tx, `id = ?`, id)
	if err == nil && len(its) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "item %d not found", id)
	}
	if err != nil {
		return domain.ProjectItem{}, err
	}
	return its[0], nil
}

// OrgItems is a department's inbox: the items of orgs still open (applied, accepted or
// in 补正), VIP first, then the soonest due, at most limit.
func (db *DB) OrgItems(ctx context.Context, orgs []string, limit int) ([]domain.ProjectItem, error) {
	if len(orgs) == 0 {
		return []domain.ProjectItem{}, nil
	}
	args := []any{}
	for _, o := range orgs {
		args = append(args, o)
	}
	return itemsWhere(ctx, db.read, `org IN (`+placeholders(len(orgs))+`) AND state IN ('applied', 'accepted', 'supplementing')
		ORDER BY vip DESC, CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id LIMIT ?`, append(args, limit)...)
}

func itemArgs(it *domain.ProjectItem) []any {
	gaps, _ := json.Marshal(it.Gaps)
	if it.Gaps == nil {
		gaps = []byte("[]")
	}
	var taken any
	if it.Used != nil {
		taken = *it.Used
	}
	return []any{it.ProjectID, it.Code, it.Name, it.Stage, it.Org, it.State, it.Statutory, it.Limit, boolInt(it.VIP), it.Applied.Unix(),
		unixOrNil(it.Accepted), string(gaps), it.GapsDue, it.Supplement, unixOrNil(it.PausedAt), it.Paused, unixOrNil(it.Due),
		unixOrNil(it.Decided), it.Permit, it.Reason, boolInt(it.Commitment), unixOrNil(it.CheckedAt), unixOrNil(it.LateAt), taken}
}

// PutProjectItem adds an item (ID 0, numbering it) or writes one at its version.
func (tx *Tx) PutProjectItem(it *domain.ProjectItem) error {
	if it.ID == 0 {
		it.Version = 1
		err := tx.queryRow(`INSERT INTO project_items (project_id, code, name, stage, org, state, statutory, limit_days, vip,
			applied_at, accepted_at, gaps, gaps_due, supplement, paused_at, paused, due_at, decided_at, permit, reason, commitment,
			checked_at, late_at, taken, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			RETURNING id`, itemArgs(it)...).Scan(&it.ID)
		if err != nil {
			return err
		}
		return tx.sumItems(1, `i.id = ?`, it.ID)
	}
	return resum(tx.sumItems, `i.id = ?`, []any{it.ID}, func() error {
		res, err := tx.exec(`UPDATE project_items SET project_id = ?, code = ?, name = ?, stage = ?, org = ?, state = ?, statutory = ?,
			limit_days = ?, vip = ?, applied_at = ?, accepted_at = ?, gaps = ?, gaps_due = ?, supplement = ?, paused_at = ?, paused = ?,
			due_at = ?, decided_at = ?, permit = ?, reason = ?, commitment = ?, checked_at = ?, late_at = ?, taken = ?,
			version = version + 1 WHERE id = ? AND version = ?`, append(itemArgs(it), it.ID, it.Version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ESTALE, "item %d changed since version %d", it.ID, it.Version)
		}
		it.Version++
		return nil
	})
}

// DueItems lists up to limit items whose promised limit ended by now and that are not
// yet flagged late.
func (tx *Tx) DueItems(now time.Time, limit int) ([]domain.ProjectItem, error) {
	return itemsWhere(tx.ctx, tx, `due_at IS NOT NULL AND late_at IS NULL AND due_at < ? ORDER BY due_at LIMIT ?`, now.Unix(), limit)
}

// FlagLate claims item id as late at now: true only for the one transaction that
// flags it, however many servers sweep at once.
func (tx *Tx) FlagLate(id int64, now time.Time) (bool, error) {
	var n int64
	err := resum(tx.sumItems, `i.id = ?`, []any{id}, func() error {
		res, err := tx.exec(`UPDATE project_items SET late_at = ? WHERE id = ? AND late_at IS NULL AND due_at IS NOT NULL AND due_at < ?`,
			now.Unix(), id, now.Unix())
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n == 1, err
}

// NotifyUsers puts a notice about no case in each user's inbox.
func (tx *Tx) NotifyUsers(users []int64, kind, message string) error {
	seen := map[int64]bool{}
	for _, u := range users {
		if seen[u] {
			continue
		}
		seen[u] = true
		tx.add(pendingNotices, []any{u, nil, kind, message, tx.now.Unix()}) // with its messages (outbox.go)
	}
	return nil
}

// PutProgress writes a project's report of one month.
func (tx *Tx) PutProgress(p domain.ProjectProgress) error {
	return resum(tx.sumMonths, `g.project_id = ? AND g.month = ?`, []any{p.ProjectID, p.Month}, func() error {
		if _, err := tx.exec(`DELETE FROM project_progress WHERE project_id = ? AND month = ?`, p.ProjectID, p.Month); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO project_progress (project_id, month, amount, physical, note, reported_by, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ProjectID, p.Month, p.Amount, p.Physical, p.Note, nullID(p.ReportedBy), tx.now.Unix())
		return err
	})
}

// Progress reads a project's monthly reports, oldest first.
func (db *DB) Progress(ctx context.Context, projectID int64) ([]domain.ProjectProgress, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT project_id, month, amount, physical, note, COALESCE(reported_by, 0)
		FROM project_progress WHERE project_id = ? ORDER BY month`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ProjectProgress{}
	for rows.Next() {
		var p domain.ProjectProgress
		if err := rows.Scan(&p.ProjectID, &p.Month, &p.Amount, &p.Physical, &p.Note, &p.ReportedBy); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
