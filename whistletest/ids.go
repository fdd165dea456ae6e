package whistletest

import (
	"context"
	"testing"
)

// IDs runs a ? query of one id column and gives the ids in the order it answers them,
// failing t when the query or a row fails.
func (r Raw) IDs(t testing.TB, q string, args ...any) []int64 {
	t.Helper()
	rows, err := r.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}
