package store

import (
	"context"

	"whistle/domain"
)

// LinkProjectProblem ties a filed case to the project whose problem it is.
func (tx *Tx) LinkProjectProblem(caseID, projectID int64, category domain.ProblemCategory, userID int64) error {
	_, err := tx.exec(`INSERT INTO project_problems (case_id, project_id, category, user_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		caseID, projectID, category, userID, tx.now.Unix())
	return err
}

// ProjectProblems lists a project's problems with their cases' numbers and states,
// newest first.
func (db *DB) ProjectProblems(ctx context.Context, projectID int64) ([]domain.ProblemRow, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.number, c.title, c.status, pp.category, pp.created_at
		FROM project_problems pp JOIN cases c ON c.id = pp.case_id WHERE pp.project_id = ? ORDER BY pp.case_id DESC LIMIT 500`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ProblemRow{}
	for rows.Next() {
		var p domain.ProblemRow
		var at int64
		if err := rows.Scan(&p.CaseID, &p.Number, &p.Title, &p.Status, &p.Category, &at); err != nil {
			return nil, err
		}
		p.Filed = fromUnix(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddProjectFile records a file of a project (its bytes are in the file store).
func (tx *Tx) AddProjectFile(f *domain.ProjectFile) error {
	f.CreatedAt = fromUnix(tx.now.Unix())
	return tx.queryRow(`INSERT INTO project_files (project_id, stage, month, sha256, name, content_type, size, thumb_sha256, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.ProjectID, f.Stage, f.Month, f.SHA256, f.Name, f.ContentType, f.Size,
		f.ThumbSHA256, f.UploadedBy, f.CreatedAt.Unix()).Scan(&f.ID)
}

// ProjectFiles lists a project's files (projectID), or the one file id names (id).
func (db *DB) ProjectFiles(ctx context.Context, projectID, id int64) ([]domain.ProjectFile, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, project_id, stage, month, sha256, name, content_type, size, thumb_sha256, uploaded_by, created_at
		FROM project_files WHERE (project_id = ? OR id = ?) ORDER BY id LIMIT 1000`, projectID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ProjectFile{}
	for rows.Next() {
		var f domain.ProjectFile
		var at int64
		if err := rows.Scan(&f.ID, &f.ProjectID, &f.Stage, &f.Month, &f.SHA256, &f.Name, &f.ContentType, &f.Size, &f.ThumbSHA256, &f.UploadedBy, &at); err != nil {
			return nil, err
		}
		f.CreatedAt = fromUnix(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// EnterpriseID is the registry's id of the enterprise with unified social credit code
// uscc (ENOTFOUND when the registry does not hold it).
func (tx *Tx) EnterpriseID(uscc string) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT id FROM enterprises WHERE uscc = ?`, uscc).Scan(&id)
	return id, notFound(err, "no enterprise %s", uscc)
}
