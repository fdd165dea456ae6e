package store

import (
	"context"
	"database/sql"
	"strings"

	"whistle/domain"
)

// AddAid writes a ledger entry, setting its ID.
func (tx *Tx) AddAid(a *domain.Aid) error {
	a.CreatedAt = tx.now
	var hh, person any
	if a.Household != 0 {
		hh = a.Household
	}
	if a.Person != 0 {
		person = a.Person
	}
	return tx.queryRow(`INSERT INTO assistance (group_id, subject_id, household, person, region, kind, form, item, amount_fen, unvalued, day, org, note, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.GroupID, a.Subject, hh, person, a.Region, a.Kind, a.Form, a.Item, a.AmountFen, boolInt(a.Unvalued), a.Day, a.Org, a.Note, a.CreatedBy, tx.now.Unix()).Scan(&a.ID)
}

// AidFilter selects ledger entries.
type AidFilter struct {
	Group     int64
	Region    string
	Household int64 // entries of a household and its members
	Subject   int64
	From, To  string // days, inclusive
	Kind      domain.AidKind
	After     int64
	Limit     int
}

// AidEntries lists ledger entries matching f by day then id.
func (db *DB) AidEntries(ctx context.Context, f AidFilter) ([]domain.Aid, error) {
	var where []string
	var args []any
	add := func(c string, a ...any) { where = append(where, c); args = append(args, a...) }
	if f.Group != 0 {
		add(`group_id = ?`, f.Group)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		add(`region >= ? AND region < ?`, lo, hi)
	}
	if f.Household != 0 {
		add(`household = ?`, f.Household)
	}
	if f.Subject != 0 {
		add(`subject_id = ?`, f.Subject)
	}
	if f.From != "" {
		add(`day >= ?`, f.From)
	}
	if f.To != "" {
		add(`day <= ?`, f.To)
	}
	if f.Kind != "" {
		add(`kind = ?`, f.Kind)
	}
	if f.After != 0 {
		add(`id > ?`, f.After)
	}
	if len(where) == 0 {
		add(`1 = 1`)
	}
	text := `SELECT id, group_id, subject_id, household, person, region, kind, form, item, amount_fen, unvalued, day, org, note, created_by, created_at FROM assistance
		WHERE ` + strings.Join(where, ` AND `) + ` ORDER BY day, id`
	if f.Limit > 0 {
		text += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.read.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Aid{}
	for rows.Next() {
		var a domain.Aid
		var hh, person, by sql.NullInt64
		var created, unvalued int64
		if err := rows.Scan(&a.ID, &a.GroupID, &a.Subject, &hh, &person, &a.Region, &a.Kind, &a.Form, &a.Item, &a.AmountFen, &unvalued, &a.Day, &a.Org, &a.Note, &by, &created); err != nil {
			return nil, err
		}
		a.Household, a.Person, a.CreatedBy, a.CreatedAt = hh.Int64, person.Int64, by.Int64, fromUnix(created)
		if a.Unvalued = unvalued != 0; !a.Unvalued {
			a.Amount = domain.FormatYuan(a.AmountFen)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
