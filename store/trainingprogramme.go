package store

import (
	"context"

	"whistle/domain"
)

// A class's programme: sessions, attendance and feedback.

// TrainingSessions reads a class's sessions in time order.
func (db *DB) TrainingSessions(ctx context.Context, class int64) ([]domain.TrainingSession, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, title, starts_at, place, speaker, grp FROM training_sessions WHERE class_id = ? ORDER BY starts_at, id`, class)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.TrainingSession{}
	for rows.Next() {
		var s domain.TrainingSession
		if err := rows.Scan(&s.ID, &s.Kind, &s.Title, &s.StartsAt, &s.Place, &s.Speaker, &s.Group); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// InsertTrainingSession adds a session to a class, numbering it.
func (tx *Tx) InsertTrainingSession(class int64, s *domain.TrainingSession) error {
	return tx.queryRow(`INSERT INTO training_sessions (class_id, kind, title, starts_at, place, speaker, grp) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		class, s.Kind, s.Title, s.StartsAt, s.Place, s.Speaker, s.Group).Scan(&s.ID)
}

// TrainingSession reads a session of a class in tx.
func (tx *Tx) TrainingSession(class, id int64) (domain.TrainingSession, error) {
	var s domain.TrainingSession
	err := tx.queryRow(`SELECT id, kind, title, starts_at, place, speaker, grp FROM training_sessions WHERE id = ? AND class_id = ?`, id, class).
		Scan(&s.ID, &s.Kind, &s.Title, &s.StartsAt, &s.Place, &s.Speaker, &s.Group)
	return s, notFound(err, "session %d not found", id)
}

// ClassAttendance reads the marks of a class's sessions: session → trainee → mark.
func (db *DB) ClassAttendance(ctx context.Context, class int64) (map[int64]map[int64]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.session_id, a.trainee_id, a.status FROM training_attendance a
		JOIN training_sessions s ON s.id = a.session_id WHERE s.class_id = ?`, class)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[int64]string{}
	for rows.Next() {
		var sid, tid int64
		var st string
		if err := rows.Scan(&sid, &tid, &st); err != nil {
			return nil, err
		}
		if out[sid] == nil {
			out[sid] = map[int64]string{}
		}
		out[sid][tid] = st
	}
	return out, rows.Err()
}

// MarkAttendance sets trainees' marks for a session, replacing earlier ones.
func (tx *Tx) MarkAttendance(session int64, marks map[int64]string) error {
	for tid, st := range marks {
		if _, err := tx.exec(`DELETE FROM training_attendance WHERE session_id = ? AND trainee_id = ?`, session, tid); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO training_attendance (session_id, trainee_id, status) VALUES (?, ?, ?)`, session, tid, st); err != nil {
			return err
		}
	}
	return nil
}

// ClearAttendance removes a class's marks and feedback (a new roster).
func (tx *Tx) ClearAttendance(class int64) error {
	_, err := tx.exec(`DELETE FROM training_attendance WHERE session_id IN (SELECT id FROM training_sessions WHERE class_id = ?)`, class)
	return err
}

// AddFeedback records a feedback on a session.
func (tx *Tx) AddFeedback(session int64, f *domain.Feedback) error {
	return tx.queryRow(`INSERT INTO training_feedback (session_id, rating, comment, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		session, f.Rating, f.Comment, tx.now.Unix()).Scan(&f.ID)
}

// ClassFeedback reads the feedback on a class's sessions: session → feedback, newest
// first.
func (db *DB) ClassFeedback(ctx context.Context, class int64) (map[int64][]domain.Feedback, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT f.session_id, f.id, f.rating, f.comment FROM training_feedback f
		JOIN training_sessions s ON s.id = f.session_id WHERE s.class_id = ? ORDER BY f.id DESC`, class)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]domain.Feedback{}
	for rows.Next() {
		var sid int64
		var f domain.Feedback
		if err := rows.Scan(&sid, &f.ID, &f.Rating, &f.Comment); err != nil {
			return nil, err
		}
		out[sid] = append(out[sid], f)
	}
	return out, rows.Err()
}
