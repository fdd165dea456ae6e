package store

import "context"

// Classified is an earlier case's words and the matter it was filed under.
type Classified struct {
	Matter, Text string
}

// RecentTexts reads the titles and descriptions of the last n cases with their
// matters, newest first: what the matter suggestion learns from.
func (db *DB) RecentTexts(ctx context.Context, n int) ([]Classified, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT matter, title, description FROM cases ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Classified
	for rows.Next() {
		var c Classified
		var title, desc string
		if err := rows.Scan(&c.Matter, &title, &desc); err != nil {
			return nil, err
		}
		if len(desc) > 600 {
			desc = desc[:600] // the start says what it is about; a bigram cut in two is harmless
		}
		c.Text = title + " " + desc
		out = append(out, c)
	}
	return out, rows.Err()
}

// CallerCases lists the cases a caller's number (its digits, domain.PhoneDigits) filed
// through the hotline or a window, newest first.
func (db *DB) CallerCases(ctx context.Context, digits string, limit int) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT case_id FROM case_intake WHERE caller_digits = ? AND caller_digits <> ''
		ORDER BY case_id DESC LIMIT ?`, digits, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
