package store

import (
	"strings"

	"whistle/domain"
)

// itemBatch is how many items one multi-row INSERT of InsertProjectItems carries: 25
// columns each, well under both engines' limit on a statement's parameters.
const itemBatch = 500

// InsertProjectItems adds new items (their IDs 0, left so) in multi-row statements, for
// loads of many items at once (the benchmark, demo data): the rows PutProjectItem would
// write, without reading back their ids; the dashboard's sums are kept as by
// PutProjectItem.
func (tx *Tx) InsertProjectItems(its []domain.ProjectItem) error {
	ids := make([]int64, len(its))
	for i := range its {
		ids[i] = its[i].ProjectID
	}
	where, args := idsIn("i.project_id", ids)
	return resum(tx.sumItems, where, args, func() error { return tx.insertItems(its) })
}

func (tx *Tx) insertItems(its []domain.ProjectItem) error {
	const cols = `(project_id, code, name, stage, org, state, statutory, limit_days, vip, applied_at, accepted_at, gaps,
		gaps_due, supplement, paused_at, paused, due_at, decided_at, permit, reason, commitment, checked_at, late_at, taken, version)`
	row := "(" + placeholders(24) + ", 1)"
	for lo := 0; lo < len(its); lo += itemBatch {
		hi := min(lo+itemBatch, len(its))
		args := make([]any, 0, 24*(hi-lo))
		for i := lo; i < hi; i++ {
			args = append(args, itemArgs(&its[i])...)
		}
		q := `INSERT INTO project_items ` + cols + ` VALUES ` + row + strings.Repeat(", "+row, hi-lo-1)
		if _, err := tx.exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

// InsertProgress adds monthly reports none of which is kept yet, in multi-row
// statements, for loads of many at once; reported_at is the transaction's time. The
// dashboard's sums are kept as by PutProgress.
func (tx *Tx) InsertProgress(ps []domain.ProjectProgress) error {
	ids := make([]int64, len(ps))
	for i := range ps {
		ids[i] = ps[i].ProjectID
	}
	where, args := idsIn("g.project_id", ids)
	return resum(tx.sumMonths, where, args, func() error { return tx.insertProgress(ps) })
}

func (tx *Tx) insertProgress(ps []domain.ProjectProgress) error {
	row := "(" + placeholders(7) + ")"
	for lo := 0; lo < len(ps); lo += itemBatch {
		hi := min(lo+itemBatch, len(ps))
		args := make([]any, 0, 7*(hi-lo))
		for _, p := range ps[lo:hi] {
			args = append(args, p.ProjectID, p.Month, p.Amount, p.Physical, p.Note, nullID(p.ReportedBy), tx.now.Unix())
		}
		q := `INSERT INTO project_progress (project_id, month, amount, physical, note, reported_by, reported_at) VALUES ` +
			row + strings.Repeat(", "+row, hi-lo-1)
		if _, err := tx.exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

// ProjectNamed gives the id of a project of investor named name, 0 when none is kept.
func (tx *Tx) ProjectNamed(name, investor string) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT COALESCE(MIN(id), 0) FROM projects WHERE name = ? AND investor = ?`, name, investor).Scan(&id)
	return id, err
}
