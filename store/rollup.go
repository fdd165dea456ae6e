package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"whistle/domain"
)

// rollupCols are the rollup's counter columns: the tally counters, then the two
// duration histograms, in the order rollupValues gives them.
var rollupCols = func() []string {
	cols := append([]string{}, domain.CounterNames...)
	for _, h := range []string{"ack_h", "res_h"} {
		for i := range domain.DurationBuckets {
			cols = append(cols, fmt.Sprintf("%s%d", h, i))
		}
	}
	return cols
}()

// rollupSet is the upsert's conflict clause: a cell already there gets the deltas added.
var rollupSet = func() string {
	set := make([]string, len(rollupCols))
	for i, c := range rollupCols {
		set[i] = c + " = case_rollup." + c + " + excluded." + c
	}
	return ` ON CONFLICT (dim, depth, region, month, value) DO UPDATE SET ` + strings.Join(set, ", ")
}()

// rollupTarget names the rollup's columns in the order of a cell's row.
var rollupTarget = `case_rollup (dim, depth, region, month, value, ` + strings.Join(rollupCols, ", ") + `)`

// rollupValues spreads a tally over the rollup columns, times sign.
func rollupValues(t domain.Tally, sign int64) []int64 {
	n := len(domain.DurationBuckets)
	out := make([]int64, len(rollupCols))
	for i, p := range t.Counters() {
		out[i] = *p * sign
	}
	base := len(domain.CounterNames)
	if t.AckBucket >= 0 {
		out[base+t.AckBucket] = sign
	}
	if t.ResolveBucket >= 0 {
		out[base+n+t.ResolveBucket] = sign
	}
	return out
}

// rollupDeltas sums the changes of many cases per cell before they are written, so a
// batch of cases costs one upsert per touched cell, not one per case. A change is
// first only noted (a savepoint's layer holds one filing's; summing it into cells of
// its own would cost a map of some twenty cells per filing) and summed into cells when
// the deltas are written, or when many are waiting.
type rollupDeltas struct {
	changes []rollupChange
	cells   map[domain.RollupCell][]int64
	order   []domain.RollupCell
}

// rollupChange is one case counted in (sign +1) or taken out of (-1) its cells.
type rollupChange struct {
	key   domain.RollupKey
	tally domain.Tally
	sign  int64
}

// foldAt is how many changes wait before they are summed: a bulk load's batch of
// thousands of cases then holds cells, not one change per case.
const foldAt = 4096

// add counts c in its cells with sign +1, or takes it out with -1.
func (r *rollupDeltas) add(c *domain.Case, sign int64) {
	k, t := c.Rollup()
	r.changes = append(r.changes, rollupChange{k, t, sign})
	if len(r.changes) >= foldAt {
		r.fold()
	}
}

// fold sums the waiting changes into cells.
func (r *rollupDeltas) fold() {
	if r.cells == nil {
		r.cells = map[domain.RollupCell][]int64{}
	}
	for _, ch := range r.changes {
		v := rollupValues(ch.tally, ch.sign)
		var set []int // a case counts in a few of the columns: add only those
		for i, x := range v {
			if x != 0 {
				set = append(set, i)
			}
		}
		for _, cell := range ch.key.Cells() {
			d, ok := r.cells[cell]
			if !ok {
				d = make([]int64, len(v))
				r.cells[cell] = d
				r.order = append(r.order, cell)
			}
			for _, i := range set {
				d[i] += v[i]
			}
		}
	}
	r.changes = r.changes[:0]
}

// merge adds o's deltas to r's.
func (r *rollupDeltas) merge(o *rollupDeltas) {
	r.changes = append(r.changes, o.changes...)
	if len(o.order) > 0 && r.cells == nil {
		r.cells = map[domain.RollupCell][]int64{}
	}
	for _, cell := range o.order {
		d, ok := r.cells[cell]
		if !ok {
			r.cells[cell] = o.cells[cell]
			r.order = append(r.order, cell)
			continue
		}
		for i, x := range o.cells[cell] {
			d[i] += x
		}
	}
	if len(r.changes) >= foldAt {
		r.fold()
	}
}

// rollupChunk is how many cells write hands on at a time, bounding the memory a month
// of generated history (up to two million cells) takes on its way out.
const rollupChunk = 20000

// write upserts the non-zero deltas in key order: a bulk load then fills the key's
// B-tree page after page instead of all over it, and concurrent writers on PostgreSQL
// lock shared cells in one order, so they cannot deadlock.
func (r *rollupDeltas) write(tx *Tx) error {
	r.fold()
	slices.SortFunc(r.order, func(a, b domain.RollupCell) int {
		return cmp.Or(cmp.Compare(a.Dim, b.Dim), cmp.Compare(len(a.Region), len(b.Region)),
			cmp.Compare(a.Region, b.Region), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Value, b.Value))
	})
	months := map[string]bool{}
	for _, cell := range r.order {
		months[cell.Month] = true
	}
	put, finish, err := tx.rollupSink(months, len(r.order))
	if err != nil {
		return err
	}
	var rows [][]any
	for _, cell := range r.order {
		d := r.cells[cell]
		if !slices.ContainsFunc(d, func(x int64) bool { return x != 0 }) {
			continue
		}
		row := make([]any, 0, 5+len(d))
		row = append(row, cell.Dim, len(cell.Region), cell.Region, cell.Month, cell.Value)
		for _, x := range d {
			row = append(row, x)
		}
		if rows = append(rows, row); len(rows) == rollupChunk {
			if err := put(rows); err != nil {
				return err
			}
			rows = nil
		}
	}
	if len(rows) > 0 {
		if err := put(rows); err != nil {
			return err
		}
	}
	return finish()
}

// A transaction of at most pendingCells cells (a filing, an action, a group commit of
// filings in one street) appends them to rollup_pending instead of upserting them, and
// the commit that brings the rows waiting there to foldPendingAt folds them into
// case_rollup. A lone filing's seventeen cells sat on as many pages, each written whole
// to SQLite's WAL at every commit; appended, they fill one or two. foldPendingAt bounds
// what every statistic scans of rollup_pending besides its cells (rollupRead).
const (
	pendingCells  = 64
	foldPendingAt = 256
)

// pendingTarget names rollup_pending's columns in the order of a cell's row.
var pendingTarget = strings.Replace(rollupTarget, "case_rollup", "rollup_pending", 1)

// rollupSink says where write's rows go, for cells cells. A small transaction's: to
// rollup_pending (above). Otherwise: upserts, in multi-row statements.
// A bulk load on PostgreSQL COPYs them: straight into the rollup when none of its
// months has cells yet (every case counts in its month's country cell, and the load
// holds the cases table, so no other writer can add one meanwhile), else into a scratch
// table that one upsert then adds from.
func (tx *Tx) rollupSink(months map[string]bool, cells int) (put func([][]any) error, finish func() error, err error) {
	if !tx.bulk && cells <= pendingCells {
		var n int64
		return func(rows [][]any) error {
				n += int64(len(rows))
				return tx.flushRows(pendingTarget, "", rows)
			}, func() error {
				return tx.foldRollupIf(n)
			}, nil
	}
	upsert := func(rows [][]any) error { return tx.flushRows(rollupTarget, rollupSet, rows) }
	none := func() error { return nil }
	if tx.db.eng.copyIn == nil || !tx.bulk || len(months) == 0 {
		return upsert, none, nil
	}
	args := make([]any, 0, len(months))
	for m := range months {
		args = append(args, m)
	}
	var present int
	if err := tx.queryRow(`SELECT COUNT(*) FROM case_rollup WHERE dim = '' AND depth = 0 AND region = ''
		AND month IN (`+placeholders(len(args))+`)`, args...).Scan(&present); err != nil {
		return nil, nil, err
	}
	table, cols := splitTable(rollupTarget)
	into := func(table string) func([][]any) error {
		return func(rows [][]any) error { return tx.db.eng.copyIn(tx.ctx, tx.conn, table, cols, rows) }
	}
	if present == 0 {
		return into(table), none, nil
	}
	if err := tx.flushWrite(`CREATE TEMP TABLE rollup_in (LIKE case_rollup) ON COMMIT DROP`); err != nil {
		return nil, nil, err
	}
	return into("rollup_in"), func() error {
		return tx.flushWrite(`INSERT INTO ` + table + ` SELECT * FROM rollup_in` + rollupSet)
	}, nil
}

// foldRollupIf folds the rollup's waiting changes when this process has appended
// foldPendingAt rows since its last fold, added counting the rows this transaction
// appended. A rolled back transaction leaves the count a little high: a fold comes a
// little early, which costs nothing in correctness.
func (tx *Tx) foldRollupIf(added int64) error {
	if tx.db.pendingRollup.Add(added) < foldPendingAt {
		return nil
	}
	tx.db.pendingRollup.Store(0)
	return tx.foldRollup()
}

// foldRollup moves every change waiting in rollup_pending into its cell, in this
// transaction.
func (tx *Tx) foldRollup() error {
	for _, q := range tx.db.eng.foldPending {
		if strings.Contains(q, "%[") {
			q = fmt.Sprintf(q, rollupTarget, rollupSums, rollupSet)
		}
		if err := tx.flushWrite(q); err != nil {
			return err
		}
	}
	return nil
}

// FoldRollup folds the waiting rollup changes now (a backup, a test that reads
// case_rollup itself).
func (db *DB) FoldRollup(ctx context.Context) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.foldRollup() })
}

// rollupRead is the rollup as a statistic reads it, for a FROM clause: the cells and the
// changes still waiting in rollup_pending that where chooses, with cols, in one
// statement and so one snapshot: a statistic never misses a committed case, and sums
// (never reads one row as a cell's whole). args are where's, given again for the second
// arm.
func rollupRead(cols, where string, args ...any) (string, []any) {
	arm := `SELECT ` + cols + ` FROM %s WHERE ` + where
	return `(` + fmt.Sprintf(arm, "case_rollup") + ` UNION ALL ` + fmt.Sprintf(arm, "rollup_pending") + `) r`,
		append(slices.Clip(args), args...)
}

// rollup moves a case's contribution from its old cells and tally to its new ones; the
// change is written with the transaction's others just before commit.
func (tx *Tx) rollup(before, after *domain.Case) {
	r := &tx.layers[len(tx.layers)-1].deltas
	if before != nil {
		r.add(before, -1)
	}
	r.add(after, 1)
}

// Stats sums the rollup for a query. It reads the cells of one region (or its children)
// and dimension over the months asked, so its cost follows months × groups, never the
// number of cases.
func (db *DB) Stats(ctx context.Context, q domain.StatsQuery) ([]domain.Stats, error) {
	if len(q.From) < 7 || len(q.To) < 7 {
		return nil, domain.Errorf(domain.EINVALID, "from and to must be dates YYYY-MM-DD or months YYYY-MM")
	}
	from, to := q.From[:7], q.To[:7]
	var where string
	var args []any
	switch q.By {
	case "org", "matter", "channel":
		if len(q.Region) > domain.DimDepth {
			return db.foldStats(ctx, q.Region, from, to, q.By)
		}
		fallthrough
	case "":
		where, args = `dim = ? AND depth = ? AND region = ?`, []any{q.By, len(q.Region), q.Region}
	case "region":
		n := domain.ChildCodeLength(q.Region)
		if n == 0 || n > 15 {
			return nil, domain.Errorf(domain.EINVALID, "region %s has no child regions to group by", q.Region)
		}
		lo, hi := domain.SubtreeRange(q.Region)
		where, args = `dim = '' AND depth = ? AND region >= ? AND region < ?`, []any{n, lo, hi}
	default:
		return nil, domain.Errorf(domain.EINVALID, "by must be region, org, matter or channel")
	}
	group := "value"
	if q.By == "region" {
		group = "region"
	}
	args = append(args, from, to)
	return db.groupedStats(ctx, group, where+` AND month >= ? AND month <= ?`, args...)
}

// rollupSums are the rollup's columns summed, for a grouped read.
var rollupSums = func() string {
	sums := make([]string, len(rollupCols))
	for i, c := range rollupCols {
		sums[i] = "CAST(SUM(" + c + ") AS BIGINT)" // PostgreSQL sums BIGINT as NUMERIC
	}
	return strings.Join(sums, ", ")
}()

// groupedStats sums the rollup cells where chooses by group (a column), one finished
// statistic per group in group order.
func (db *DB) groupedStats(ctx context.Context, group, where string, args ...any) ([]domain.Stats, error) {
	from, args := rollupRead(group+", "+strings.Join(rollupCols, ", "), where, args...)
	rows, err := db.read.QueryContext(ctx, `SELECT `+group+`, `+rollupSums+`
		FROM `+from+` GROUP BY `+group+` ORDER BY `+group, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Stats{}
	for rows.Next() {
		var s domain.Stats
		n := len(domain.DurationBuckets)
		s.AckHist, s.ResolveHist = make([]int64, n), make([]int64, n)
		dest := []any{&s.Group}
		for _, p := range s.Counters() {
			dest = append(dest, p)
		}
		for i := range s.AckHist {
			dest = append(dest, &s.AckHist[i])
		}
		for i := range s.ResolveHist {
			dest = append(dest, &s.ResolveHist[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		s.Finish()
		out = append(out, s)
	}
	return out, rows.Err()
}

// foldStats folds the cases of a village (or a grid) received in the months from to to
// by a dimension, which the rollup does not keep that deep (domain.DimDepth); a
// village's year is a few hundred cases, read through cases_region.
func (db *DB) foldStats(ctx context.Context, region, from, to, dim string) ([]domain.Stats, error) {
	start, err1 := time.ParseInLocation("2006-01", from, domain.China)
	end, err2 := time.ParseInLocation("2006-01", to, domain.China)
	if err1 != nil || err2 != nil {
		return nil, domain.Errorf(domain.EINVALID, "from and to must be dates YYYY-MM-DD or months YYYY-MM")
	}
	lo, hi := domain.SubtreeRange(region)
	cases, err := db.readCases(ctx, `SELECT `+caseCols+` FROM cases WHERE region >= ? AND region < ? AND created_at >= ? AND created_at < ?`,
		lo, hi, start.Unix(), end.AddDate(0, 1, 0).Unix())
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(cases); i += 1024 { // summoned orgs count in overdue; 1,024 ids a query
		if err := loadOrgs(ctx, db.read, cases[i:min(i+1024, len(cases))]...); err != nil {
			return nil, err
		}
	}
	return domain.FoldStats(cases, from, to, dim), nil
}
