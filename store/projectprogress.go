package store

import (
	"context"
	"time"

	"whistle/domain"
)

// Monthly reports due and missing (domain.ProgressDeadline), and the sweeper's flags.

// progressDueWhere is the condition, over projects p, of the projects whose report of
// month is missing: active, at a stage that owes reports, at 开工 by the month's end (or
// with no day of 开工 recorded), and no report of the month kept.
func progressDueWhere(month string) (string, []any) {
	args := []any{}
	for _, s := range domain.ProgressStages() {
		args = append(args, string(s))
	}
	return `p.status = 'active' AND p.stage IN (` + placeholders(len(args)) + `)
		AND NOT EXISTS (SELECT 1 FROM project_progress g WHERE g.project_id = p.id AND g.month = ?)
		AND NOT EXISTS (SELECT 1 FROM project_stages s WHERE s.project_id = p.id AND s.stage = 'started' AND s.actual > ?)`,
		append(args, month, domain.MonthEnd(month))
}

// ProgressDueCount counts the projects of region's subtree whose report of month is missing.
func (db *DB) ProgressDueCount(ctx context.Context, region, month string) (int, error) {
	lo, hi := domain.SubtreeRange(region)
	where, args := progressDueWhere(month)
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p WHERE p.region >= ? AND p.region < ? AND `+where,
		append([]any{lo, hi}, args...)...).Scan(&n)
	return n, err
}

// ProgressDueAmong tells which of the projects ids miss their report of month.
func (db *DB) ProgressDueAmong(ctx context.Context, ids []int64, month string) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := idsIn("p.id", ids)
	where, more := progressDueWhere(month)
	err := db.each(ctx, `SELECT p.id FROM projects p WHERE `+in+` AND `+where, append(args, more...), func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		out[id] = true
		return err
	})
	return out, err
}

// UnflaggedProgressDue lists up to limit projects whose report of month is missing and
// not yet flagged.
func (tx *Tx) UnflaggedProgressDue(month string, limit int) ([]*domain.Project, error) {
	where, args := progressDueWhere(month)
	return scanProjects(tx.query(`SELECT `+projectCols+projectFrom+` WHERE `+where+`
		AND NOT EXISTS (SELECT 1 FROM project_progress_flags f WHERE f.project_id = p.id AND f.month = ?) ORDER BY p.id LIMIT ?`,
		append(args, month, limit)...))
}

// FlagProgress claims project id's month as missing at now: true only for the one
// transaction that flags it, however many servers sweep at once.
func (tx *Tx) FlagProgress(id int64, month string, now time.Time) (bool, error) {
	res, err := tx.exec(`INSERT INTO project_progress_flags (project_id, month, flagged_at) VALUES (?, ?, ?)
		ON CONFLICT (project_id, month) DO NOTHING`, id, month, now.Unix())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ProgressFlags reads the months of a project flagged missing, newest first, and
// whether each was reported since.
func (db *DB) ProgressFlags(ctx context.Context, projectID int64) ([]domain.ProgressFlag, error) {
	out := []domain.ProgressFlag{}
	err := db.each(ctx, `SELECT f.month, f.flagged_at, CASE WHEN g.project_id IS NULL THEN 0 ELSE 1 END FROM project_progress_flags f
		LEFT JOIN project_progress g ON g.project_id = f.project_id AND g.month = f.month WHERE f.project_id = ? ORDER BY f.month DESC`,
		[]any{projectID}, func(s scanner) error {
			var f domain.ProgressFlag
			var at int64
			var reported int
			err := s.Scan(&f.Month, &at, &reported)
			f.FlaggedAt, f.Reported = fromUnix(at), reported == 1
			out = append(out, f)
			return err
		})
	return out, err
}
