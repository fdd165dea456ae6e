package store

import (
	"context"
	"strings"
	"time"

	"whistle/domain"
)

// CaseFilter selects cases for a list. Empty fields do not filter.
type CaseFilter struct {
	Status   []domain.Status
	Region   string // subtree
	Org      string // lead, co-handling or summoned
	Matter   string
	Channel  string
	Kind     string
	Overdue  *bool
	Q        string // words in the number, title, description or address
	From, To *time.Time
	After    int64 // cursor: ids below this one
	Limit    int
}

// pageRows is the page size the choice in inRegion is tuned for, with room for filters
// that pass only some of the cases walked.
const pageRows = 200

// inRegion is the SQL for "case in root's subtree". A list reads a subtree either as an
// index range, sorting its n cases, or, written as an expression no index serves, by
// walking the primary key newest first until a page is full: about pageRows × total / n
// rows. The range is cheaper while n² < pageRows × total, so a street stays a range in
// a province of ten million cases while the province itself is walked. n and the total
// are read from the rollup (a few rows per month), not counted.
func (db *DB) inRegion(ctx context.Context, root string) (string, []any, error) {
	if root == "" {
		return "1 = 1", nil, nil
	}
	lo, hi := domain.SubtreeRange(root)
	rangeSQL, rangeArgs := "c.region >= ? AND c.region < ?", []any{lo, hi}
	if len(root) > domain.RollupDepth {
		return rangeSQL, rangeArgs, nil // below the rollup's deepest level: a few cases
	}
	var n, total int64
	received := `SELECT COALESCE(SUM(received), 0) FROM case_rollup WHERE dim = '' AND depth = ? AND region = ?`
	if err := db.read.QueryRowContext(ctx, received, len(root), root).Scan(&n); err != nil {
		return "", nil, err
	}
	if err := db.read.QueryRowContext(ctx, received, 0, "").Scan(&total); err != nil {
		return "", nil, err
	}
	if n*n < pageRows*total {
		return rangeSQL, rangeArgs, nil
	}
	return "substr(c.region, 1, ?) = ?", []any{len(root), root}, nil
}

// visibility is domain.Visible written as SQL: the cases a user may see.
func (db *DB) visibility(ctx context.Context, u domain.User) (string, []any, error) {
	where, args, _, err := db.scope(ctx, u)
	return where, args, err
}

// scope is visibility, and whether every region the user sees is read as a range (see
// inRegion): a list then reads the user's cases by region and sorts them, and
// its other filters must not lead the planner to walk a whole-table index instead.
func (db *DB) scope(ctx context.Context, u domain.User) (string, []any, bool, error) {
	var or []string
	var args []any
	small := true
	if u.ID != 0 {
		or = append(or, `c.reporter_user_id = ?`)
		args = append(args, u.ID)
	}
	for _, g := range u.Grants {
		if !regionScoped(g.Role) {
			continue
		}
		region, rargs, err := db.inRegion(ctx, g.Region)
		if err != nil {
			return "", nil, false, err
		}
		small = small && g.Region != "" && !strings.HasPrefix(region, "substr")
		switch g.Role {
		case domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleGridWorker, domain.RoleBuildingHead:
			or = append(or, `(`+region+`)`)
			args = append(args, rargs...)
		case domain.RoleOfficer, domain.RoleInspector:
			or = append(or, `(`+region+` AND EXISTS (SELECT 1 FROM case_orgs o WHERE o.case_id = c.id AND o.org = ?))`)
			args = append(append(args, rargs...), g.Org)
		}
	}
	if len(or) == 0 {
		return "1 = 0", nil, true, nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args, small, nil
}

// regionScoped tells whether a role's grant lets it see cases by region (and org).
func regionScoped(r domain.Role) bool {
	switch r {
	case domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleGridWorker, domain.RoleBuildingHead,
		domain.RoleOfficer, domain.RoleInspector:
		return true
	}
	return false
}

// Cases lists the cases u may see that match f, newest first, one page at a time; next
// is the cursor of the following page, 0 at the end.
func (db *DB) Cases(ctx context.Context, u domain.User, f CaseFilter) (cases []*domain.Case, next int64, err error) {
	where, args, small, err := db.scope(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	// In a small scope the status, overdue and cursor conditions and the order are
	// written so no index serves them ("+" on a number, "|| ''" on text, no-ops on both
	// engines): otherwise the planner may walk the overdue or primary-key index through
	// the whole table looking for the scope's few cases (SQLite did, for a county's cases
	// in progress: 4.3 s instead of a range read and a sort).
	col, text := func(c string) string { return c }, func(c string) string { return c }
	if small {
		col, text = func(c string) string { return "+" + c }, func(c string) string { return c + " || ''" }
	}
	cond := []string{where}
	add := func(c string, a ...any) {
		cond = append(cond, c)
		args = append(args, a...)
	}
	if len(f.Status) > 0 {
		add(text(`c.status`)+` IN (?`+strings.Repeat(", ?", len(f.Status)-1)+`)`, anySlice(f.Status)...)
	}
	if f.Region != "" {
		region, rargs, err := db.inRegion(ctx, f.Region)
		if err != nil {
			return nil, 0, err
		}
		add(region, rargs...)
	}
	if f.Org != "" {
		add(`EXISTS (SELECT 1 FROM case_orgs fo WHERE fo.case_id = c.id AND fo.org = ?)`, f.Org)
	}
	if f.Matter != "" {
		add(`c.matter = ?`, f.Matter)
	}
	if f.Channel != "" {
		add(`c.channel = ?`, f.Channel)
	}
	if f.Kind != "" {
		add(`c.kind = ?`, f.Kind)
	}
	if f.Overdue != nil {
		add(col(`c.overdue`)+` = ?`, boolInt(*f.Overdue))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		add(`(c.number = ? OR c.title LIKE ? ESCAPE '\' OR c.description LIKE ? ESCAPE '\' OR c.address LIKE ? ESCAPE '\')`, q, like, like, like)
	}
	if f.From != nil {
		add(`c.created_at >= ?`, f.From.Unix())
	}
	if f.To != nil {
		add(`c.created_at < ?`, f.To.Unix())
	}
	if f.After > 0 {
		add(col(`c.id`)+` < ?`, f.After)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args = append(args, f.Limit+1)
	rows, err := db.read.QueryContext(ctx, `SELECT `+prefixCols("c.", caseCols)+` FROM cases c WHERE `+strings.Join(cond, " AND ")+` ORDER BY `+col(`c.id`)+` DESC LIMIT ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, err
		}
		cases = append(cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(cases) > f.Limit {
		cases = cases[:f.Limit]
		next = cases[len(cases)-1].ID
	}
	return cases, next, loadOrgs(ctx, db.read, cases...)
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
