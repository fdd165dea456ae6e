package store

import "context"

// Follow makes a user follow a case (on) or stop following it.
func (tx *Tx) Follow(caseID, userID int64, on bool) error {
	if !on {
		_, err := tx.exec(`DELETE FROM case_follows WHERE case_id = ? AND user_id = ?`, caseID, userID)
		return err
	}
	_, err := tx.exec(`INSERT INTO case_follows (case_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT (case_id, user_id) DO NOTHING`, caseID, userID, tx.now.Unix())
	return err
}

// Followers lists a case's followers.
func (tx *Tx) Followers(caseID int64) ([]int64, error) {
	return tx.userIDs(`SELECT user_id FROM case_follows WHERE case_id = ? ORDER BY user_id`, caseID)
}

// Follows tells whether a user follows a case.
func (db *DB) Follows(ctx context.Context, caseID, userID int64) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_follows WHERE case_id = ? AND user_id = ?`, caseID, userID).Scan(&n)
	return n > 0, err
}
