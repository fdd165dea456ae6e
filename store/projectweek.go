package store

import (
	"context"
	"database/sql"

	"whistle/domain"
)

// WeekRow is one line of the weekly project bulletin (项目周报): a project and what
// happened to it, or is due, in the week.
type WeekRow struct {
	ProjectID int64        `json:"project_id"`
	Project   string       `json:"project"`
	Stage     domain.Stage `json:"stage,omitempty"`
	Day       string       `json:"day,omitempty"` // a stage's actual or planned day
	Item      string       `json:"item,omitempty"`
	Org       string       `json:"org,omitempty"`
	State     string       `json:"state,omitempty"`
	Permit    string       `json:"permit,omitempty"`
	Late      bool         `json:"late,omitempty"`
	Taken     int          `json:"taken_minutes,omitempty"`
	Limit     int          `json:"limit_days,omitempty"`
	CaseID    int64        `json:"case_id,omitempty"`
	Number    string       `json:"number,omitempty"`
	Category  string       `json:"category,omitempty"`
}

// ProjectWeek is what the bulletin of the week [from, to) of a region reads: the stages
// reached, the items decided, the items filed, the items late and still open, the
// problems raised, and the stages planned for the following week (days fromDay ≤ d <
// toDay, next week toDay ≤ d < nextDay).
type ProjectWeek struct {
	Reached  []WeekRow `json:"reached"`
	Decided  []WeekRow `json:"decided"`
	Late     []WeekRow `json:"late"`
	Problems []WeekRow `json:"problems"`
	Planned  []WeekRow `json:"planned"` // next week's
	Filed    int       `json:"filed"`
}

// ProjectWeek reads the week's bulletin of the projects under region.
func (db *DB) ProjectWeek(ctx context.Context, region string, from, to int64, fromDay, toDay, nextDay string) (ProjectWeek, error) {
	lo, hi := domain.SubtreeRange(region)
	var w ProjectWeek
	in := ` JOIN projects p ON p.id = x.project_id WHERE p.region >= ? AND p.region < ?`
	var err error
	if w.Reached, err = weekRows(ctx, db.read, `SELECT p.id, p.name, x.stage, x.actual FROM project_stages x`+in+
		` AND x.actual >= ? AND x.actual < ? ORDER BY x.actual, p.id`, scanStage, lo, hi, fromDay, toDay); err != nil {
		return w, err
	}
	if w.Planned, err = weekRows(ctx, db.read, `SELECT p.id, p.name, x.stage, x.planned FROM project_stages x`+in+
		` AND x.actual = '' AND x.planned >= ? AND x.planned < ? ORDER BY x.planned, p.id`, scanStage, lo, hi, toDay, nextDay); err != nil {
		return w, err
	}
	if w.Decided, err = weekRows(ctx, db.read, `SELECT p.id, p.name, x.name, x.org, x.state, x.permit, x.late_at IS NOT NULL, COALESCE(x.taken, 0), x.limit_days
		FROM project_items x`+in+` AND x.decided_at >= ? AND x.decided_at < ? ORDER BY x.org, x.decided_at, x.id`, scanItemRow, lo, hi, from, to); err != nil {
		return w, err
	}
	if w.Late, err = weekRows(ctx, db.read, `SELECT p.id, p.name, x.name, x.org, x.state, x.permit, x.late_at IS NOT NULL, COALESCE(x.taken, 0), x.limit_days
		FROM project_items x`+in+` AND x.late_at IS NOT NULL AND x.decided_at IS NULL AND x.state <> 'refused' ORDER BY x.org, x.late_at, x.id LIMIT 500`, scanItemRow, lo, hi); err != nil {
		return w, err
	}
	if w.Problems, err = weekRows(ctx, db.read, `SELECT p.id, p.name, c.id, c.number, c.status, x.category FROM project_problems x
		JOIN cases c ON c.id = x.case_id`+in+` AND x.created_at >= ? AND x.created_at < ? ORDER BY x.case_id`, scanProblemRow, lo, hi, from, to); err != nil {
		return w, err
	}
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM project_items x`+in+` AND x.applied_at >= ? AND x.applied_at < ?`, lo, hi, from, to).Scan(&w.Filed)
	return w, err
}

func scanStage(rows *sql.Rows, r *WeekRow) error {
	return rows.Scan(&r.ProjectID, &r.Project, &r.Stage, &r.Day)
}

func scanItemRow(rows *sql.Rows, r *WeekRow) error {
	return rows.Scan(&r.ProjectID, &r.Project, &r.Item, &r.Org, &r.State, &r.Permit, &r.Late, &r.Taken, &r.Limit)
}

func scanProblemRow(rows *sql.Rows, r *WeekRow) error {
	return rows.Scan(&r.ProjectID, &r.Project, &r.CaseID, &r.Number, &r.State, &r.Category)
}

func weekRows(ctx context.Context, q querier, query string, scan func(*sql.Rows, *WeekRow) error, args ...any) ([]WeekRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []WeekRow{}
	for rows.Next() {
		var r WeekRow
		if err := scan(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
