package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"whistle/domain"
)

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
	sql, args, _, err := db.regionRange(ctx, root)
	return sql, args, err
}

// regionRange is inRegion with the number of cases received in root's subtree as the
// rollup has it: 1 below its deepest level (a few cases), 0 for the whole tree.
func (db *DB) regionRange(ctx context.Context, root string) (string, []any, int64, error) {
	if root == "" {
		return "1 = 1", nil, 0, nil
	}
	lo, hi := domain.SubtreeRange(root)
	rangeSQL, rangeArgs := "c.region >= ? AND c.region < ?", []any{lo, hi}
	if len(root) > domain.RollupDepth {
		return rangeSQL, rangeArgs, 1, nil // below the rollup's deepest level: a few cases
	}
	var n, total int64
	received := func(region string, n *int64) error {
		cells, args := rollupRead("received", `dim = '' AND depth = ? AND region = ?`, len(region), region)
		return db.read.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) FROM `+cells, args...).Scan(n)
	}
	if err := received(root, &n); err != nil {
		return "", nil, 0, err
	}
	if err := received("", &total); err != nil {
		return "", nil, 0, err
	}
	if n*n < pageRows*total {
		return rangeSQL, rangeArgs, max(n, 1), nil
	}
	return "substr(c.region, 1, ?) = ?", []any{len(root), root}, max(n, 1), nil
}

// visibility is domain.Visible written as SQL: the cases a user may see.
func (db *DB) visibility(ctx context.Context, u domain.User) (string, []any, error) {
	branches, _, err := db.scope(ctx, u)
	where, args := anyOf(branches)
	return where, args, err
}

// clause is a piece of SQL with its arguments.
type clause struct {
	sql  string
	args []any
	// own marks the branch of the cases the user reported, read by its own index
	// (listQuery)
	own bool
	// cases is how many cases a region's branch holds, as the rollup counts them
	cases int64
}

// anyOf joins branches with OR; none gives a condition no case meets.
func anyOf(branches []clause) (string, []any) {
	if len(branches) == 0 {
		return "1 = 0", nil
	}
	var or []string
	var args []any
	for _, b := range branches {
		or = append(or, b.sql)
		args = append(args, b.args...)
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

// scope is visibility as its branches (a case is visible when it meets any), and
// whether every region the user sees is read as a range (see inRegion): a list then
// reads the user's cases by region and sorts them, and its other filters must not
// lead the planner to walk a whole-table index instead.
func (db *DB) scope(ctx context.Context, u domain.User) ([]clause, bool, error) {
	var branches []clause
	small := true
	if u.ID != 0 {
		branches = append(branches, clause{sql: `c.reporter_user_id = ?`, args: []any{u.ID}, own: true})
	}
	for _, g := range u.Grants {
		if !regionScoped(g.Role) {
			continue
		}
		region, rargs, n, err := db.regionRange(ctx, g.Region)
		if err != nil {
			return nil, false, err
		}
		small = small && g.Region != "" && !strings.HasPrefix(region, "substr")
		switch g.Role {
		case domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleGridWorker, domain.RoleBuildingHead:
			branches = append(branches, clause{sql: `(` + region + `)`, args: rargs, cases: n})
		case domain.RoleOfficer, domain.RoleInspector:
			branches = append(branches, clause{sql: `(` + region + ` AND EXISTS (SELECT 1 FROM case_orgs o WHERE o.case_id = c.id AND o.org = ?))`,
				args: append(slices.Clip(rargs), g.Org), cases: n})
		}
	}
	return branches, small, nil
}

// listScope is the scope a list and its count read: u's (scope), or, when f names a
// region u sees whole (domain.SeesAll), that region alone, as a small scope's range
// where it is one, and f without it. A province's dispatcher filtering a town's closed
// cases then reads the town's range instead of walking the province's newest cases for
// the town's (SQLite 71 ms at 1M; PostgreSQL walked the primary key backwards).
func (db *DB) listScope(ctx context.Context, u domain.User, f domain.CaseFilter) ([]clause, bool, domain.CaseFilter, error) {
	if f.Region == "" || !domain.SeesAll(u, f.Region) {
		branches, small, err := db.scope(ctx, u)
		return branches, small, f, err
	}
	region, args, n, err := db.regionRange(ctx, f.Region)
	if err != nil {
		return nil, false, f, err
	}
	f.Region = ""
	return []clause{{sql: "(" + region + ")", args: args, cases: n}}, !strings.HasPrefix(region, "substr"), f, nil
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
func (db *DB) Cases(ctx context.Context, u domain.User, f domain.CaseFilter) (cases []*domain.Case, next int64, err error) {
	branches, small, f, err := db.listScope(ctx, u, f)
	if err != nil {
		return nil, 0, err
	}
	lq, err := db.listQuery(ctx, f, small, rangeCases(branches), false)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q, qargs := caseList(branches, small, lq, f.Limit+1)
	rows, err := db.read.QueryContext(ctx, q, qargs...)
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

// condShape says how a list writes the columns of its conditions: as they are, or as
// expressions no index serves (a unary plus on a number, an empty string appended to
// text: no-ops on both engines)
// where the list walks another index and the planner must not be tempted off it.
type condShape struct {
	num, text, matter func(string) string
	// orgSet writes the org condition as a set the planner may start from
	// (case_orgs_org) rather than a probe of each case read: a whole scope's count of
	// one department's 3,388 cases of 20,000 read all 20,000 before (22 ms, now 4.7),
	// while a street's range read as a set its department's 44,000 cases at 1M (0.8 ms
	// as a probe, 360 as a set).
	orgSet bool
	// words narrows a word search by the text index. The user's own reports are few:
	// checking their rows costs less than reading the index's set of a common word.
	words bool
	// cases is how many cases a small scope's ranges hold: the index narrows a search
	// only where it names fewer cases than some multiple of them (wordIndex.narrow).
	cases int64
	// walkPeriod reads a walked scope's period by walking the cases newest first, not by
	// cases_created (walkPeriod).
	walkPeriod bool
	// count is set for a count, which reads every case that matches (up to its bound)
	// where a list stops at its page: the index may name more cases for it to narrow.
	count bool
}

func plainCol(c string) string    { return c }
func numOffIndex(c string) string { return "+" + c }

// plainShape leaves every condition to the planner: a scope read whole (a province
// as substr) has no range of its own to read.
var plainShape = condShape{num: plainCol, text: plainCol, matter: plainCol, orgSet: true, words: true}

// smallShape keeps the status, overdue, channel, period and cursor conditions off
// their indexes, so a small scope's range is read by region; the matter and the lead
// org stay: cases_matter_region serves a matter within a region.
func (db *DB) smallShape() condShape {
	return condShape{num: numOffIndex, text: db.eng.textOff, matter: plainCol, words: true}
}

// offShape keeps every condition off its index: the user's own reports are read by
// cases_reporter whatever the planner's statistics say of reporters (at 1M SQLite read
// all 7,000 cases of a matter for a street dispatcher who reported none).
func (db *DB) offShape() condShape {
	return condShape{num: numOffIndex, text: db.eng.textOff, matter: db.eng.textOff}
}

// conds are a list's conditions: those an entry of cases_region (region, status,
// overdue, id) answers without the case's row (index), and those that read the row.
// A small scope's branch reads its range's ids from that index, newest first, and
// reads rows only until a page meets the row conditions (caseList).
type conds struct {
	index, row         []string
	indexArgs, rowArgs []any
	// a matter's cases, and a period's, are read by cases_matter_region instead: its
	// (matter, region, created_at) answers a range's period without a row (SQLite skips
	// over the matters: a county's last 30 days 1.8 ms at 1M, 8 ms sorting its range)
	byMatter bool
	period   bool // a period is among the conditions
}

func (c *conds) add(row bool, sql string, args ...any) {
	if row {
		c.row, c.rowArgs = append(c.row, sql), append(c.rowArgs, args...)
		return
	}
	c.index, c.indexArgs = append(c.index, sql), append(c.indexArgs, args...)
}

// all gives every condition, those of the index first.
func (c conds) all() ([]string, []any) {
	return append(slices.Clip(c.index), c.row...), append(slices.Clip(c.indexArgs), c.rowArgs...)
}

// caseConds writes f's conditions but the scope, the period and the cursor, which each
// list bounds its own way.
func (db *DB) caseConds(ctx context.Context, f domain.CaseFilter, shape condShape) (conds, error) {
	var c conds
	if len(f.Status) > 0 {
		c.add(false, shape.text(`c.status`)+` IN (?`+strings.Repeat(", ?", len(f.Status)-1)+`)`, anySlice(f.Status)...)
	}
	if f.Region != "" {
		region, rargs, err := db.inRegion(ctx, f.Region)
		if err != nil {
			return c, err
		}
		c.add(false, region, rargs...)
	}
	if f.Org != "" { // both forms read case_orgs by the case's id, not its row
		if shape.orgSet {
			c.add(false, `c.id IN (SELECT fo.case_id FROM case_orgs fo WHERE fo.org = ?)`, f.Org)
		} else {
			c.add(false, `EXISTS (SELECT 1 FROM case_orgs fo WHERE fo.case_id = c.id AND fo.org = ?)`, f.Org)
		}
	}
	if f.Lead != "" {
		c.add(true, shape.matter(`c.lead_org`)+` = ?`, f.Lead)
	}
	if f.Matter != "" {
		c.add(true, shape.matter(`c.matter`)+` = ?`, f.Matter)
		c.byMatter = true
	}
	if f.Channel != "" {
		c.add(true, shape.text(`c.channel`)+` = ?`, f.Channel)
	}
	if f.Kind != "" {
		c.add(true, shape.text(`c.kind`)+` = ?`, f.Kind)
	}
	if len(f.Window) > 0 { // the window's cases from its index (case_intake_window)
		c.add(false, `c.id IN (SELECT case_id FROM case_intake WHERE window_id IN (?`+strings.Repeat(", ?", len(f.Window)-1)+`))`, anySlice(f.Window)...)
	}
	if f.Overdue != nil {
		c.add(false, shape.num(`c.overdue`)+` = ?`, boolInt(*f.Overdue))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// the text index narrows to the cases holding the words' pieces, and the case
		// numbered so (words.go), without reading a row; each row left is read to check
		// the words themselves. One letter, or three digits, has no piece: such a search
		// reads every row of the scope. A whole scope reads the index's cases newest
		// first; a range checks its ids against them (a street's 7 of the 14,419 cases
		// holding 高空 at 1M: reading those to find the street's took SQLite 147 ms)
		if pieces := domain.SearchPieces(q); len(pieces) > 0 && shape.words {
			cond, args, ok, err := db.eng.words.narrow(ctx, db, q, pieces, shape)
			if err != nil {
				return c, err
			}
			if ok {
				c.add(false, fmt.Sprintf(cond, shape.num(`c.id`)), args...)
			}
		}
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		c.add(true, `(c.number = ? OR c.title LIKE ? ESCAPE '\' OR c.description LIKE ? ESCAPE '\' OR c.address LIKE ? ESCAPE '\')`, q, like, like, like)
	}
	return c, nil
}

// CountCases counts the cases u may see that match f, received in f's period, stopping
// at limit: the total a list shows beside its first page, and the counts on a queue's
// tabs. It reads the same conditions as the list, written the same way (listConds), and
// in a small scope counts each branch's range on its own (caseCount), as the list reads
// it: asked as one OR, SQLite walked every closed case of the table for a street's 301.
func (db *DB) CountCases(ctx context.Context, u domain.User, f domain.CaseFilter, limit int) (int, error) {
	branches, small, f, err := db.listScope(ctx, u, f)
	if err != nil {
		return 0, err
	}
	lq, err := db.listQuery(ctx, f, small, rangeCases(branches), true)
	if err != nil {
		return 0, err
	}
	q, qargs := caseCount(branches, small, lq, limit)
	var n int
	err = db.read.QueryRowContext(ctx, q, qargs...).Scan(&n)
	return n, err
}

// listQuery is a list's or a count's conditions (f's but the scope) as its branches
// read them: in the scope's shape (plainShape, or smallShape for a scope read as
// ranges), and in offShape for the branch of the user's own reports.
type listQuery struct {
	cond, own conds
}

func (db *DB) listQuery(ctx context.Context, f domain.CaseFilter, small bool, cases int64, count bool) (listQuery, error) {
	var q listQuery
	var err error
	var region conds
	if f.Region != "" { // read once for both shapes (inRegion asks the rollup)
		r, a, err := db.inRegion(ctx, f.Region)
		if err != nil {
			return q, err
		}
		region.add(false, r, a...)
		f.Region = ""
	}
	shape := plainShape
	if small {
		shape = db.smallShape()
		shape.cases = cases
	}
	shape.count = count
	if !small && !count && f.From != nil {
		if shape.walkPeriod, err = db.walkPeriod(ctx, *f.From, f.To); err != nil {
			return q, err
		}
	}
	if q.cond, err = db.listConds(ctx, f, shape); err != nil {
		return q, err
	}
	if q.own, err = db.listConds(ctx, f, db.offShape()); err != nil {
		return q, err
	}
	q.cond.index, q.cond.indexArgs = append(slices.Clip(region.index), q.cond.index...), append(slices.Clip(region.indexArgs), q.cond.indexArgs...)
	q.own.index, q.own.indexArgs = append(slices.Clip(region.index), q.own.index...), append(slices.Clip(region.indexArgs), q.own.indexArgs...)
	return q, nil
}

// rangeCases sums the cases of a scope's region branches.
func rangeCases(branches []clause) int64 {
	var n int64
	for _, b := range branches {
		n += b.cases
	}
	return n
}

// of gives the conditions branch b reads.
func (q listQuery) of(b clause) conds {
	if b.own {
		return q.own
	}
	return q.cond
}

// listConds writes f's conditions, period and cursor in a shape.
func (db *DB) listConds(ctx context.Context, f domain.CaseFilter, shape condShape) (conds, error) {
	c, err := db.caseConds(ctx, f, shape)
	if err != nil {
		return c, err
	}
	// a walked period keeps only its start off cases_created: PostgreSQL takes two
	// bounds of one opaque expression for a narrow range (0.5 % of rows) and reads the
	// whole table (the province's last 30 days 271 ms), one bound for a third of them,
	// and walks the primary key (0.7 ms); an end the walk starts from is nearly every case
	from, byIndex := shape.num(`c.created_at`), !shape.walkPeriod
	if shape.walkPeriod {
		from = numOffIndex(`c.created_at`)
	}
	if f.From != nil {
		c.add(true, from+` >= ?`, f.From.Unix())
		c.byMatter, c.period = true, byIndex
	}
	if f.To != nil {
		c.add(true, shape.num(`c.created_at`)+` < ?`, f.To.Unix())
		c.byMatter, c.period = true, byIndex
	}
	if f.After > 0 {
		c.add(false, shape.num(`c.id`)+` < ?`, f.After)
	}
	return c, nil
}

// caseCount writes a count's query, bounded at limit, shaped as caseList shapes the
// list: in a small scope each branch counts its own range and their union is counted
// (a case in two branches once).
func caseCount(branches []clause, small bool, lq listQuery, limit int) (string, []any) {
	if !small || len(branches) == 0 {
		where, wargs := anyOf(branches)
		cond, args := lq.cond.all()
		return `SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE ` + strings.Join(append([]string{where}, cond...), " AND ") + ` LIMIT ?) n`,
			append(append(wargs, args...), limit)
	}
	var ids []string
	var idArgs []any
	for i, b := range branches {
		q, args := branchCount(b, lq.of(b), limit)
		ids = append(ids, fmt.Sprintf(`SELECT id FROM (%s) AS b%d`, q, i))
		idArgs = append(idArgs, args...)
	}
	return `SELECT COUNT(*) FROM (` + strings.Join(ids, " UNION ") + `) n`, idArgs
}

// branchCount writes the query of one branch's ids for a count, up to limit, read as
// branchPage reads a page, in no order: where conditions read the row, the range's ids
// meeting the others are read from cases_region first and only their rows are read
// (PostgreSQL read all 12,681 rows of a county to count the 32 a search's index had
// named: 19 ms, 2.7 after).
//
// Where nothing but the range narrows before the rows, every row of the range is read
// either way, and the planner reads them best itself (PostgreSQL by table page: a
// county's rows one id at a time took 70–103 ms against 42–59).
func branchCount(b clause, c conds, limit int) (string, []any) {
	if len(c.index) == 0 {
		c.index, c.indexArgs, c.row, c.rowArgs = c.row, c.rowArgs, nil, nil
	}
	return branchIDs(b, c, limit, "")
}

// RollupTotal sums some counters of the rollup over a region's cells of one dimension's
// value and a run of months (domain.CaseFilter.RollupTotal): a list's total read from a
// few rows a month, never from the cases.
func (db *DB) RollupTotal(ctx context.Context, t domain.RollupTotal) (int64, error) {
	if len(t.Counters) == 0 {
		return 0, domain.Errorf(domain.EINVALID, "no rollup counter")
	}
	for _, c := range t.Counters {
		if !slices.Contains(domain.CounterNames, c) {
			return 0, domain.Errorf(domain.EINVALID, "no rollup counter %q", c)
		}
	}
	to := t.To
	if to == "" {
		to = "9999-12"
	}
	var n int64
	sum := strings.Join(t.Counters, " + ")
	cells, args := rollupRead(sum+` AS n`, `dim = ? AND depth = ? AND region = ? AND month >= ? AND month <= ? AND value = ?`,
		t.Dim, len(t.Region), t.Region, t.From, to, t.Value)
	err := db.read.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM `+cells, args...).Scan(&n)
	return n, err
}

// caseList writes a page's query: the cases meeting any of the scope's branches and
// every condition, newest first, limit rows. A small scope reads ids first: each branch
// sorts the ids of its range, on its own so that each reads one index (an OR of two
// makes PostgreSQL read and recheck every row of both), and only the page's rows are read
// whole. PostgreSQL reads a range's ids from cases_region without its rows (an
// index-only scan): a county of 12,694 cases at 1M read 11,342 table pages for 51 cases
// before, 0 after. A branch whose conditions read the row (a channel, words, a period:
// rangeThenRows) sorts its range's ids before reading any row.
func caseList(branches []clause, small bool, lq listQuery, limit int) (string, []any) {
	cols := `SELECT ` + prefixCols("c.", caseCols) + ` FROM cases c WHERE `
	if !small || len(branches) == 0 {
		where, wargs := anyOf(branches)
		cond, args := lq.cond.all()
		q := strings.Join(append([]string{where}, cond...), " AND ")
		if lq.cond.period {
			// a period is read by cases_created: its ids are sorted, not its rows (the
			// province's last 30 days at 1M sorted 80,000 whole rows: SQLite 300 ms)
			return cols + `c.id IN (SELECT c.id FROM cases c WHERE ` + q + ` ORDER BY c.id DESC LIMIT ?) ORDER BY c.id DESC LIMIT ?`,
				slices.Concat(wargs, args, []any{limit, limit})
		}
		return cols + q + ` ORDER BY c.id DESC LIMIT ?`, append(append(wargs, args...), limit)
	}
	var ids []string
	var idArgs []any
	for i, b := range branches {
		q, args := branchPage(b, lq.of(b), limit)
		ids = append(ids, fmt.Sprintf(`SELECT id FROM (%s) AS b%d`, q, i))
		idArgs = append(idArgs, args...)
	}
	return cols + `c.id IN (` + strings.Join(ids, " UNION ") + `) ORDER BY +c.id DESC LIMIT ?`, append(idArgs, limit)
}

// branchPage writes the query of one branch's newest limit ids. Where conditions read
// the row and cases_matter_region does not serve them (conds.byMatter), the range's ids are sorted from
// cases_region alone and rows are read newest first until limit meet the conditions:
// a county's hotline cases at 1M read 12,694 rows to sort them before (SQLite 52 ms),
// some 200 after. The inner LIMIT keeps the planner from merging the sorted ids into
// the join (SQLite flattens such a subquery and loses its order); the outer loop runs
// over them in that order on both engines (TestListRangeThenRows).
func branchPage(b clause, c conds, limit int) (string, []any) {
	return branchIDs(b, c, limit, ` ORDER BY +c.id DESC`)
}

// branchIDs is branchPage's query, and branchCount's, in order.
func branchIDs(b clause, c conds, limit int, order string) (string, []any) {
	if b.own || c.byMatter || len(c.row) == 0 {
		cond, args := c.all()
		return `SELECT c.id FROM cases c WHERE ` + strings.Join(append([]string{b.sql}, cond...), " AND ") + order + ` LIMIT ?`,
			slices.Concat(b.args, args, []any{limit})
	}
	return `SELECT c.id FROM (SELECT c.id AS rid FROM cases c WHERE ` + strings.Join(append([]string{b.sql}, c.index...), " AND ") +
			order + ` LIMIT 1000000000) AS r JOIN cases c ON c.id = r.rid WHERE ` + strings.Join(c.row, " AND ") + ` LIMIT ?`,
		slices.Concat(b.args, c.indexArgs, c.rowArgs, []any{limit})
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
