package store

import (
	"context"
	"strings"

	"whistle/domain"
)

// PublicCases lists cases of public matters matching f, newest first. The time range
// reads the created_at index; the specification caps both the span and the count.
func (db *DB) PublicCases(ctx context.Context, f domain.PublicFilter) ([]*domain.Case, error) {
	// enterprises' problems and inspections are not the public's business
	where := []string{`m.public = 1`, `c.channel NOT IN ('liaison', 'inspection')`, `c.kind <> 'enterprise_problem'`}
	var args []any
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		where, args = append(where, `c.region >= ? AND c.region < ?`), append(args, lo, hi)
	}
	if len(f.IDs) > 0 {
		where = append(where, `c.id IN (?`+strings.Repeat(", ?", len(f.IDs)-1)+`)`)
		for _, id := range f.IDs {
			args = append(args, id)
		}
	} else {
		where, args = append(where, `c.created_at >= ? AND c.created_at <= ?`), append(args, f.From.Unix(), f.To.Unix())
		if len(f.Matters) > 0 {
			where = append(where, `c.matter IN (?`+strings.Repeat(", ?", len(f.Matters)-1)+`)`)
			for _, m := range f.Matters {
				args = append(args, m)
			}
		}
		if f.Open != nil {
			not := ""
			if *f.Open {
				not = "NOT "
			}
			where = append(where, `c.status `+not+`IN ('closed', 'rejected', 'merged')`)
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, `SELECT `+prefixed("c.", caseCols)+` FROM cases c JOIN matters m ON m.code = c.matter
		WHERE `+strings.Join(where, " AND ")+` ORDER BY c.created_at DESC, c.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RegionsNamed lists the regions of a subtree whose name appears in text, deepest
// first: an address like "蓝田街道民光社区3栋" names its street and community. A
// community's name counts without its committee suffix (民光社区居委会 → 民光社区).
func (db *DB) RegionsNamed(ctx context.Context, root, text string) ([]domain.Region, error) {
	lo, hi := domain.SubtreeRange(root)
	short := `REPLACE(REPLACE(REPLACE(REPLACE(name, '居民委员会', ''), '村民委员会', ''), '居委会', ''), '村委会', '')`
	return db.regions(ctx, `SELECT `+regionCols+` FROM regions
		WHERE code >= ? AND code < ? AND length(`+short+`) >= 2 AND ? LIKE '%' || `+short+` || '%'
		ORDER BY length(code) DESC, length(name) DESC, code LIMIT 100`, lo, hi, text)
}

// Grids lists the regions below root that have a centroid, for the nearest-grid guess
// when a point lies in no polygon.
func (db *DB) Grids(ctx context.Context, root string) ([]domain.Region, error) {
	lo, hi := domain.SubtreeRange(root)
	return db.regions(ctx, `SELECT `+regionCols+` FROM regions
		WHERE code >= ? AND code < ? AND code <> ? AND lat IS NOT NULL AND length(code) >= 15 ORDER BY code LIMIT 5000`, lo, hi, root)
}
