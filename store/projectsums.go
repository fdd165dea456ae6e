package store

import (
	"strings"
)

// The projects dashboard's sums (migration 0018): project_sums, project_item_sums and
// project_month_sums, kept in the writer's transaction. Every statement that changes a
// row of projects, project_items or project_progress is bracketed: the rows it will
// change are taken out of the sums (sign -1) before, and added back (+1) after, each by
// one INSERT … SELECT … ON CONFLICT that folds the rows' shares into the sums. So the
// sums equal a recount (DB.ProjectFiguresRecount) whatever a writer changes, and a new
// writer of those tables keeps them so by calling the same three helpers.

// sumsUpsert folds a SELECT of key columns and sums into table, adding sign times
// each sum.
func (tx *Tx) sumsUpsert(table string, keys, sums []string, sign int, sel string, args []any) error {
	set := make([]string, len(sums))
	for i, c := range sums {
		set[i] = c + " = " + table + "." + c + " + excluded." + c
	}
	q := `INSERT INTO ` + table + ` (` + strings.Join(append(append([]string{}, keys...), sums...), ", ") + `) ` + sel +
		` ON CONFLICT (` + strings.Join(keys, ", ") + `) DO UPDATE SET ` + strings.Join(set, ", ")
	if sign < 0 {
		q = strings.ReplaceAll(q, "{{SIGN}}", "-1")
	} else {
		q = strings.ReplaceAll(q, "{{SIGN}}", "1")
	}
	_, err := tx.exec(q, args...)
	return err
}

// sumProjects adds (sign 1) or takes away (-1) the shares of the projects p that where
// (over projects p) chooses.
func (tx *Tx) sumProjects(sign int, where string, args ...any) error {
	return tx.sumsUpsert("project_sums", []string{"region", "park", "stage", "tier"}, []string{"projects", "year_plan"}, sign,
		`SELECT p.region, p.park, p.stage, p.tier, {{SIGN}} * COUNT(*), {{SIGN}} * SUM(p.year_plan) FROM projects p
		WHERE p.status <> 'stopped' AND `+where+` GROUP BY p.region, p.park, p.stage, p.tier`, args)
}

// sumItems adds or takes away the shares of the items i that where (over project_items
// i joined with projects p) chooses.
func (tx *Tx) sumItems(sign int, where string, args ...any) error {
	return tx.sumsUpsert("project_item_sums", []string{"region", "org", "stage"},
		[]string{"open_n", "decided_n", "late_n", "taken_n", "minutes", "statutory", "limit_days"}, sign,
		`SELECT p.region, i.org, i.stage, {{SIGN}} * SUM(CASE WHEN i.decided_at IS NULL THEN 1 ELSE 0 END),
		{{SIGN}} * SUM(CASE WHEN i.decided_at IS NULL THEN 0 ELSE 1 END), {{SIGN}} * SUM(CASE WHEN i.late_at IS NULL THEN 0 ELSE 1 END),
		{{SIGN}} * SUM(CASE WHEN i.taken IS NULL THEN 0 ELSE 1 END), {{SIGN}} * COALESCE(SUM(i.taken), 0),
		{{SIGN}} * SUM(CASE WHEN i.taken IS NULL THEN 0 ELSE i.statutory END), {{SIGN}} * SUM(CASE WHEN i.taken IS NULL THEN 0 ELSE i.limit_days END)
		FROM project_items i JOIN projects p ON p.id = i.project_id WHERE `+where+` GROUP BY p.region, i.org, i.stage`, args)
}

// sumMonths adds or takes away the shares of the monthly reports g that where (over
// project_progress g joined with projects p) chooses.
func (tx *Tx) sumMonths(sign int, where string, args ...any) error {
	return tx.sumsUpsert("project_month_sums", []string{"region", "park", "month", "stopped"}, []string{"reports", "amount"}, sign,
		`SELECT p.region, p.park, g.month, CASE WHEN p.status = 'stopped' THEN 1 ELSE 0 END, {{SIGN}} * COUNT(*), {{SIGN}} * SUM(g.amount)
		FROM project_progress g JOIN projects p ON p.id = g.project_id WHERE `+where+`
		GROUP BY p.region, p.park, g.month, CASE WHEN p.status = 'stopped' THEN 1 ELSE 0 END`, args)
}

// resumProject brackets a change to project id's row (its region, park, stage, tier,
// status or plan move its shares, and those of its items and reports).
func (tx *Tx) resumProject(id int64, change func() error) error {
	sums := []func(int, string, ...any) error{tx.sumProjects, tx.sumItems, tx.sumMonths}
	for _, f := range sums {
		if err := f(-1, `p.id = ?`, id); err != nil {
			return err
		}
	}
	failed := change()
	for _, f := range sums {
		if err := f(1, `p.id = ?`, id); err != nil && failed == nil {
			return err
		}
	}
	return failed
}

// resum brackets change with sum(-1, where, args) before and sum(1, …) after; the
// shares are added back also when change fails having changed nothing (a stale
// version), so a caller that goes on after the error keeps the sums right.
func resum(sum func(int, string, ...any) error, where string, args []any, change func() error) error {
	if err := sum(-1, where, args...); err != nil {
		return err
	}
	failed := change()
	if err := sum(1, where, args...); err != nil && failed == nil {
		return err
	}
	return failed
}

// idsIn is "col IN (?, …)" with the distinct ids as its arguments.
func idsIn(col string, ids []int64) (string, []any) {
	args, seen := []any{}, map[int64]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return "1 = 0", nil
	}
	return col + " IN (" + placeholders(len(args)) + ")", args
}
