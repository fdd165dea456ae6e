package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"whistle/domain"
)

// 考核: indicator systems, the frozen tables of published periods, manual scores,
// exclusions, report-in ratings, appeals; and the figures scoring reads (the rollup's
// regions at one depth, the summons falling due).

const assessSystemCols = `id, name, region, period_kind, assessee_kind, appeal_days, indicators, created_by, created_at`

func scanAssessSystems(rows *sql.Rows, err error) ([]domain.AssessSystem, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.AssessSystem{}
	for rows.Next() {
		var s domain.AssessSystem
		var ind string
		var at int64
		if err := rows.Scan(&s.ID, &s.Name, &s.Region, &s.PeriodKind, &s.AssesseeKind, &s.AppealDays, &ind, &s.CreatedBy, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(ind), &s.Indicators); err != nil {
			return nil, err
		}
		s.CreatedAt = fromUnix(at)
		out = append(out, s)
	}
	return out, rows.Err()
}

// InsertAssessSystem adds an indicator system, made now.
func (tx *Tx) InsertAssessSystem(s *domain.AssessSystem) error {
	ind, err := json.Marshal(s.Indicators)
	if err != nil {
		return err
	}
	s.CreatedAt = tx.now.Truncate(time.Second)
	return tx.queryRow(`INSERT INTO assess_systems (name, region, period_kind, assessee_kind, appeal_days, indicators, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.Name, s.Region, s.PeriodKind, s.AssesseeKind, s.AppealDays, string(ind), s.CreatedBy, s.CreatedAt.Unix()).Scan(&s.ID)
}

// AssessSystems lists the systems over the subtrees of regions (and over their
// ancestors: a county's system assesses a street's departments too), newest first.
func (db *DB) AssessSystems(ctx context.Context, regions []string) ([]domain.AssessSystem, error) {
	all, err := scanAssessSystems(db.read.QueryContext(ctx, `SELECT `+assessSystemCols+` FROM assess_systems ORDER BY id DESC`))
	if err != nil {
		return nil, err
	}
	out := []domain.AssessSystem{}
	for _, s := range all {
		for _, r := range regions {
			if domain.Within(s.Region, r) || domain.Within(r, s.Region) {
				out = append(out, s)
				break
			}
		}
	}
	return out, nil
}

// AssessSystem reads one system.
func (db *DB) AssessSystem(ctx context.Context, id int64) (domain.AssessSystem, error) {
	ss, err := scanAssessSystems(db.read.QueryContext(ctx, `SELECT `+assessSystemCols+` FROM assess_systems WHERE id = ?`, id))
	if err == nil && len(ss) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "indicator system %d not found", id)
	}
	if err != nil {
		return domain.AssessSystem{}, err
	}
	return ss[0], nil
}

// AssessRegionStats sums the rollup of the regions at depth (code length) under region
// over the months from to to (YYYY-MM), one statistic per region that received cases.
func (db *DB) AssessRegionStats(ctx context.Context, region string, depth int, from, to string) ([]domain.Stats, error) {
	lo, hi := domain.SubtreeRange(region)
	return db.groupedStats(ctx, "region", `dim = '' AND depth = ? AND region >= ? AND region < ? AND month >= ? AND month <= ?`,
		depth, lo, hi, from, to)
}

// SummonsFigures counts, per org, the summons (吹哨) of cases in region's subtree falling
// due in [start, end) and before asOf, and those reported in by their due time.
func (db *DB) SummonsFigures(ctx context.Context, region string, start, end, asOf time.Time) (map[string][2]int64, error) {
	lo, hi := domain.SubtreeRange(region)
	if asOf.Before(end) {
		end = asOf
	}
	rows, err := db.read.QueryContext(ctx, `SELECT o.org, COUNT(*), SUM(CASE WHEN o.reported_at IS NOT NULL AND o.reported_at <= o.due THEN 1 ELSE 0 END)
		FROM case_orgs o JOIN cases c ON c.id = o.case_id
		WHERE o.role = 'summoned' AND o.due >= ? AND o.due < ? AND c.region >= ? AND c.region < ? GROUP BY o.org`,
		start.Unix(), end.Unix(), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var org string
		var n, onTime int64
		if err := rows.Scan(&org, &n, &onTime); err != nil {
			return nil, err
		}
		out[org] = [2]int64{n, onTime}
	}
	return out, rows.Err()
}

// PutAssessManual records (or replaces) a leader's manual score.
func (tx *Tx) PutAssessManual(sysID int64, period, assessee, indicator string, points float64, reason string, userID int64) error {
	if _, err := tx.exec(`DELETE FROM assess_manual WHERE system_id = ? AND period = ? AND assessee = ? AND indicator = ?`, sysID, period, assessee, indicator); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO assess_manual (system_id, period, assessee, indicator, points, reason, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		sysID, period, assessee, indicator, points, reason, userID, tx.now.Unix())
	return err
}

// AssessManual reads a period's manual scores: assessee → indicator → value (the
// points as Num, the reason as Note).
func (db *DB) AssessManual(ctx context.Context, sysID int64, period string) (map[string]map[string]domain.AssessValue, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT assessee, indicator, points, reason FROM assess_manual WHERE system_id = ? AND period = ?`, sysID, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]domain.AssessValue{}
	for rows.Next() {
		var a, ind, reason string
		var p float64
		if err := rows.Scan(&a, &ind, &p, &reason); err != nil {
			return nil, err
		}
		if out[a] == nil {
			out[a] = map[string]domain.AssessValue{}
		}
		v := domain.CountValue(p, 1)
		v.Note = reason
		out[a][ind] = v
	}
	return out, rows.Err()
}

const exclusionCols = `x.id, x.case_id, x.kind, x.sources, x.reason, x.status, x.requested_by, COALESCE(r.name, ''), x.requested_at,
	COALESCE(x.decided_by, 0), COALESCE(d.name, ''), x.decided_at, x.note, x.region, x.org, x.month, c.number, c.title`

// ExclusionFilter picks exclusions: by id, by case, or by the month and region subtree
// of their cases, optionally of one status.
type ExclusionFilter struct {
	ID, CaseID int64
	Region     string
	From, To   string // months YYYY-MM
	Status     string
}

func exclusions(ctx context.Context, q querier, f ExclusionFilter) ([]domain.Exclusion, error) {
	w, args := `1 = 1`, []any{}
	if f.ID != 0 {
		w, args = w+` AND x.id = ?`, append(args, f.ID)
	}
	if f.CaseID != 0 {
		w, args = w+` AND x.case_id = ?`, append(args, f.CaseID)
	}
	if f.From != "" {
		w, args = w+` AND x.month >= ? AND x.month <= ?`, append(args, f.From, f.To)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		w, args = w+` AND x.region >= ? AND x.region < ?`, append(args, lo, hi)
	}
	if f.Status != "" {
		w, args = w+` AND x.status = ?`, append(args, f.Status)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+exclusionCols+` FROM assess_exclusions x JOIN cases c ON c.id = x.case_id
		LEFT JOIN users r ON r.id = x.requested_by LEFT JOIN users d ON d.id = x.decided_by WHERE `+w+` ORDER BY x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Exclusion{}
	for rows.Next() {
		var e domain.Exclusion
		var sources string
		var at int64
		var decided sql.NullInt64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Kind, &sources, &e.Reason, &e.Status, &e.RequestedBy, &e.Requester, &at,
			&e.DecidedBy, &e.Decider, &decided, &e.Note, &e.Region, &e.Org, &e.Month, &e.CaseNo, &e.Title); err != nil {
			return nil, err
		}
		for _, s := range strings.Split(sources, ",") {
			e.Sources = append(e.Sources, domain.AssessSource(s))
		}
		e.RequestedAt = fromUnix(at)
		if decided.Valid {
			t := fromUnix(decided.Int64)
			e.DecidedAt = &t
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Exclusions lists the exclusions f picks, oldest first.
func (db *DB) Exclusions(ctx context.Context, f ExclusionFilter) ([]domain.Exclusion, error) {
	return exclusions(ctx, db.read, f)
}

// Exclusion reads one exclusion in tx.
func (tx *Tx) Exclusion(id int64) (domain.Exclusion, error) {
	xs, err := exclusions(tx.ctx, tx, ExclusionFilter{ID: id})
	if err == nil && len(xs) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "exclusion %d not found", id)
	}
	if err != nil {
		return domain.Exclusion{}, err
	}
	return xs[0], nil
}

// OpenExclusion tells whether the case has an exclusion pending or approved.
func (tx *Tx) OpenExclusion(caseID int64) (bool, error) {
	var n int64
	err := tx.queryRow(`SELECT COUNT(*) FROM assess_exclusions WHERE case_id = ? AND status <> ?`, caseID, domain.ExclusionRejected).Scan(&n)
	return n > 0, err
}

// InsertExclusion adds a request, asked now.
func (tx *Tx) InsertExclusion(e *domain.Exclusion) error {
	src := make([]string, len(e.Sources))
	for i, s := range e.Sources {
		src[i] = string(s)
	}
	e.RequestedAt = tx.now.Truncate(time.Second)
	return tx.queryRow(`INSERT INTO assess_exclusions (case_id, kind, sources, reason, status, requested_by, requested_at, region, org, month)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.CaseID, e.Kind, strings.Join(src, ","), e.Reason, e.Status, e.RequestedBy, e.RequestedAt.Unix(), e.Region, e.Org, e.Month).Scan(&e.ID)
}

// DecideExclusion records a leader's decision on a pending request; false when it was
// no longer pending.
func (tx *Tx) DecideExclusion(id int64, status string, by int64, note string) (bool, error) {
	res, err := tx.exec(`UPDATE assess_exclusions SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND status = ?`,
		status, by, tx.now.Unix(), note, id, domain.ExclusionPending)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// InsertRating adds a street's rating of a report-in (counted in r.Month); a second of the same org on the
// same case is a conflict.
func (tx *Tx) InsertRating(r *domain.ReportInRating) error {
	var n int64
	if err := tx.queryRow(`SELECT COUNT(*) FROM assess_ratings WHERE case_id = ? AND org = ?`, r.CaseID, r.Org).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.Errorf(domain.ECONFLICT, "the report-in of %s on this case is rated already", r.Org)
	}
	r.RatedAt = tx.now.Truncate(time.Second)
	return tx.queryRow(`INSERT INTO assess_ratings (case_id, org, grade, timely, note, rated_by, rated_at, region, month)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.CaseID, r.Org, r.Grade, boolInt(r.Timely), r.Note, r.RatedBy, r.RatedAt.Unix(), r.Region, r.Month).Scan(&r.ID)
}

// Ratings lists the ratings of report-ins made in the months from to to of cases in region's
// subtree (or of one case: caseID ≠ 0).
func (db *DB) Ratings(ctx context.Context, region, from, to string, caseID int64) ([]domain.ReportInRating, error) {
	w, args := `month >= ? AND month <= ?`, []any{from, to}
	if caseID != 0 {
		w, args = `case_id = ?`, []any{caseID}
	}
	lo, hi := domain.SubtreeRange(region)
	rows, err := db.read.QueryContext(ctx, `SELECT id, case_id, org, grade, timely, note, rated_by, rated_at, region, month FROM assess_ratings
		WHERE `+w+` AND region >= ? AND region < ? ORDER BY id`, append(args, lo, hi)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.ReportInRating{}
	for rows.Next() {
		var r domain.ReportInRating
		var timely int
		var at int64
		if err := rows.Scan(&r.ID, &r.CaseID, &r.Org, &r.Grade, &timely, &r.Note, &r.RatedBy, &at, &r.Region, &r.Month); err != nil {
			return nil, err
		}
		r.Timely, r.RatedAt = timely == 1, fromUnix(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AssessResult reads a period's published table (ENOTFOUND when not published).
func (db *DB) AssessResult(ctx context.Context, sysID int64, period string) (domain.AssessResult, error) {
	return assessResult(ctx, db.read, sysID, period)
}

// AssessResult reads a period's published table in tx.
func (tx *Tx) AssessResult(sysID int64, period string) (domain.AssessResult, error) {
	return assessResult(tx.ctx, tx, sysID, period)
}

func assessResult(ctx context.Context, q querier, sysID int64, period string) (domain.AssessResult, error) {
	rows, err := q.QueryContext(ctx, `SELECT result FROM assess_results WHERE system_id = ? AND period = ?`, sysID, period)
	if err != nil {
		return domain.AssessResult{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return domain.AssessResult{}, err
		}
		return domain.AssessResult{}, domain.Errorf(domain.ENOTFOUND, "period %s of system %d is not published", period, sysID)
	}
	var body string
	if err := rows.Scan(&body); err != nil {
		return domain.AssessResult{}, err
	}
	var r domain.AssessResult
	return r, json.Unmarshal([]byte(body), &r)
}

// AssessPublished lists the published periods of a system, oldest first.
func (db *DB) AssessPublished(ctx context.Context, sysID int64) ([]domain.AssessResult, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT result FROM assess_results WHERE system_id = ? ORDER BY period`, sysID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.AssessResult{}
	for rows.Next() {
		var body string
		var r domain.AssessResult
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertAssessResult stores a period's frozen table at its first publication; false
// when the period is published already.
func (tx *Tx) InsertAssessResult(r domain.AssessResult) (bool, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(`INSERT INTO assess_results (system_id, period, version, result, published_by, published_at, appeal_until) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (system_id, period) DO NOTHING`, r.SystemID, r.Period, r.Version, string(body), r.PublishedBy, r.PublishedAt.Unix(), r.AppealUntil)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RepublishAssessResult replaces a period's frozen table by r (version + 1) when the
// stored one is still r's previous version; false when another republication came first.
func (tx *Tx) RepublishAssessResult(r domain.AssessResult) (bool, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(`UPDATE assess_results SET version = ?, result = ? WHERE system_id = ? AND period = ? AND version = ?`,
		r.Version, string(body), r.SystemID, r.Period, r.Version-1)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const appealCols = `id, system_id, period, assessee, indicator, reason, status, filed_by, filed_at, COALESCE(decided_by, 0), decided_at, decision, corrected`

func appeals(ctx context.Context, q querier, where string, args ...any) ([]domain.Appeal, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+appealCols+` FROM assess_appeals WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Appeal{}
	for rows.Next() {
		var a domain.Appeal
		var at int64
		var decided sql.NullInt64
		var corrected string
		if err := rows.Scan(&a.ID, &a.SystemID, &a.Period, &a.Assessee, &a.Indicator, &a.Reason, &a.Status, &a.FiledBy, &at,
			&a.DecidedBy, &decided, &a.Decision, &corrected); err != nil {
			return nil, err
		}
		a.FiledAt = fromUnix(at)
		if decided.Valid {
			t := fromUnix(decided.Int64)
			a.DecidedAt = &t
		}
		if corrected != "" {
			a.Corrected = &domain.AssessValue{}
			if err := json.Unmarshal([]byte(corrected), a.Corrected); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Appeals lists a period's appeals, oldest first.
func (db *DB) Appeals(ctx context.Context, sysID int64, period string) ([]domain.Appeal, error) {
	return appeals(ctx, db.read, `system_id = ? AND period = ?`, sysID, period)
}

// Appeal reads one appeal in tx.
func (tx *Tx) Appeal(id int64) (domain.Appeal, error) {
	as, err := appeals(tx.ctx, tx, `id = ?`, id)
	if err == nil && len(as) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "appeal %d not found", id)
	}
	if err != nil {
		return domain.Appeal{}, err
	}
	return as[0], nil
}

// InsertAppeal adds an appeal, filed now.
func (tx *Tx) InsertAppeal(a *domain.Appeal) error {
	a.FiledAt = tx.now.Truncate(time.Second)
	return tx.queryRow(`INSERT INTO assess_appeals (system_id, period, assessee, indicator, reason, status, filed_by, filed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.SystemID, a.Period, a.Assessee, a.Indicator, a.Reason, a.Status, a.FiledBy, a.FiledAt.Unix()).Scan(&a.ID)
}

// DecideAppeal records a decision on a pending appeal; false when it was decided already.
func (tx *Tx) DecideAppeal(a domain.Appeal) (bool, error) {
	corrected := ""
	if a.Corrected != nil {
		b, err := json.Marshal(a.Corrected)
		if err != nil {
			return false, err
		}
		corrected = string(b)
	}
	res, err := tx.exec(`UPDATE assess_appeals SET status = ?, decided_by = ?, decided_at = ?, decision = ?, corrected = ? WHERE id = ? AND status = ?`,
		a.Status, a.DecidedBy, tx.now.Unix(), a.Decision, corrected, a.ID, domain.AppealPending)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// LeadersOf lists the leaders who answer for region: those of the region and of every
// region above it.
func (tx *Tx) LeadersOf(region string) ([]int64, error) {
	codes := append(domain.Ancestors(region), region)
	return tx.userIDs(`SELECT DISTINCT user_id FROM grants WHERE role = 'leader' AND region IN (`+placeholders(len(codes))+`)`, anySlice(codes)...)
}
