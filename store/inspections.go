package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"whistle/domain"
)

// PutInspectionPlan creates (ID 0) or updates an entry of an annual inspection plan.
func (tx *Tx) PutInspectionPlan(p *domain.InspectionPlan) error {
	if ok, err := tx.orgExists(p.Org); !ok {
		if err != nil {
			return err
		}
		return domain.Errorf(domain.EINVALID, "unknown org %s", p.Org)
	}
	if p.EnterpriseID != 0 {
		if ok, err := tx.exists(`SELECT COUNT(*) FROM enterprises WHERE id = ?`, p.EnterpriseID); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "unknown enterprise %d", p.EnterpriseID)
		}
	}
	if p.ID == 0 {
		return tx.queryRow(`INSERT INTO inspection_plans (org, year, kind, region, industry, enterprise_id, times, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.Org, p.Year, p.Kind, p.Region, p.Industry, nullID(p.EnterpriseID), p.Times, p.Note).Scan(&p.ID)
	}
	res, err := tx.exec(`UPDATE inspection_plans SET org = ?, year = ?, kind = ?, region = ?, industry = ?, enterprise_id = ?, times = ?, note = ? WHERE id = ?`,
		p.Org, p.Year, p.Kind, p.Region, p.Industry, nullID(p.EnterpriseID), p.Times, p.Note, p.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "inspection plan %d not found", p.ID)
	}
	return nil
}

// InspectionPlans lists the plan entries of an org ("" every org) for a year.
func (db *DB) InspectionPlans(ctx context.Context, org string, year int) ([]domain.InspectionPlan, error) {
	return inspectionPlans(ctx, db.read, `(? = '' OR org = ?) AND year = ?`, org, org, year)
}

// InspectionPlans is InspectionPlans inside a transaction.
func (tx *Tx) InspectionPlans(org string, year int) ([]domain.InspectionPlan, error) {
	return inspectionPlans(tx.ctx, tx, `(? = '' OR org = ?) AND year = ?`, org, org, year)
}

// InspectionPlan reads one plan entry inside a transaction.
func (tx *Tx) InspectionPlan(id int64) (domain.InspectionPlan, error) {
	ps, err := inspectionPlans(tx.ctx, tx, `id = ?`, id)
	if err != nil || len(ps) == 0 {
		return domain.InspectionPlan{}, notFound(cmp.Or(err, sql.ErrNoRows), "inspection plan %d not found", id)
	}
	return ps[0], nil
}

func inspectionPlans(ctx context.Context, q querier, where string, args ...any) ([]domain.InspectionPlan, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, org, year, kind, region, industry, enterprise_id, times, note FROM inspection_plans
		WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.InspectionPlan{}
	for rows.Next() {
		var p domain.InspectionPlan
		var ent sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Org, &p.Year, &p.Kind, &p.Region, &p.Industry, &ent, &p.Times, &p.Note); err != nil {
			return nil, err
		}
		p.EnterpriseID = ent.Int64
		out = append(out, p)
	}
	return out, rows.Err()
}

// InspectionsByPlan counts an org's inspections of an enterprise since a time, per plan
// entry, refused ones left out: how much of each entry is used up.
func (tx *Tx) InspectionsByPlan(org string, enterpriseID int64, since time.Time) (map[int64]int, error) {
	rows, err := tx.query(`SELECT plan_id, COUNT(*) FROM inspections WHERE org = ? AND enterprise_id = ? AND opened_at >= ? AND status <> 'refused'
		AND plan_id IS NOT NULL GROUP BY plan_id`, org, enterpriseID, since.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// LastInspection tells when an enterprise last had an inspection of kind (refused ones
// left out), nil if never.
func (tx *Tx) LastInspection(enterpriseID int64, kind string) (*time.Time, error) {
	var at sql.NullInt64
	err := tx.queryRow(`SELECT MAX(opened_at) FROM inspections WHERE enterprise_id = ? AND kind = ? AND status <> 'refused'`, enterpriseID, kind).Scan(&at)
	return timeOrNil(at), err
}

// InsertInspection stores a newly opened inspection.
func (tx *Tx) InsertInspection(in *domain.Inspection) error {
	var lat, lon any
	if in.Lat != nil {
		lat, lon = *in.Lat, *in.Lon
	}
	return tx.queryRow(`INSERT INTO inspections (enterprise_id, region, org, kind, legal_basis, items, inspectors, opened_by, opened_at, lat, lon,
		plan_id, flags, flagged, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.EnterpriseID, in.Region, in.Org, in.Kind, in.LegalBasis, jsonText(in.Items), jsonText(in.Inspectors), in.OpenedBy,
		in.OpenedAt.Unix(), lat, lon, nullID(in.PlanID), jsonText(in.Flags), boolInt(len(in.Flags) > 0), in.Status).Scan(&in.ID)
}

// UpdateInspection writes an inspection's later state: approval, finish, rating.
func (tx *Tx) UpdateInspection(in *domain.Inspection) error {
	var rating any
	if in.Rating != 0 {
		rating = in.Rating
	}
	_, err := tx.exec(`UPDATE inspections SET status = ?, approved_by = ?, approval_note = ?, finished_at = ?, result = ?, case_ids = ?,
		rating = ?, rating_comment = ?, rated_at = ? WHERE id = ?`, in.Status, nullID(in.ApprovedBy), in.ApprovalNote,
		unixOrNil(in.FinishedAt), in.Result, jsonText(in.CaseIDs), rating, in.RatingComment, unixOrNil(in.RatedAt), in.ID)
	return err
}

const inspectionCols = `i.id, i.enterprise_id, e.name, i.region, i.org, i.kind, i.legal_basis, i.items, i.inspectors, i.opened_by, i.opened_at,
	i.lat, i.lon, i.plan_id, i.flags, i.status, i.approved_by, i.approval_note, i.finished_at, i.result, i.case_ids, i.rating,
	i.rating_comment, i.rated_at`

func scanInspection(row scanner) (*domain.Inspection, error) {
	var in domain.Inspection
	var items, inspectors, flags, cases string
	var opened int64
	var lat, lon sql.NullFloat64
	var plan, approvedBy, finished, rating, rated sql.NullInt64
	err := row.Scan(&in.ID, &in.EnterpriseID, &in.Enterprise, &in.Region, &in.Org, &in.Kind, &in.LegalBasis, &items, &inspectors,
		&in.OpenedBy, &opened, &lat, &lon, &plan, &flags, &in.Status, &approvedBy, &in.ApprovalNote, &finished, &in.Result, &cases,
		&rating, &in.RatingComment, &rated)
	if err != nil {
		return nil, err
	}
	in.OpenedAt, in.PlanID, in.ApprovedBy, in.FinishedAt = fromUnix(opened), plan.Int64, approvedBy.Int64, timeOrNil(finished)
	in.Rating, in.RatedAt = int(rating.Int64), timeOrNil(rated)
	if lat.Valid && lon.Valid {
		in.Lat, in.Lon = &lat.Float64, &lon.Float64
	}
	for _, f := range []struct {
		raw string
		v   any
	}{{items, &in.Items}, {inspectors, &in.Inspectors}, {flags, &in.Flags}, {cases, &in.CaseIDs}} {
		if err := json.Unmarshal([]byte(f.raw), f.v); err != nil {
			return nil, err
		}
	}
	if in.CaseIDs == nil {
		in.CaseIDs = []int64{}
	}
	return &in, nil
}

// Inspection reads one inspection.
func (db *DB) Inspection(ctx context.Context, id int64) (*domain.Inspection, error) {
	in, err := scanInspection(db.read.QueryRowContext(ctx, `SELECT `+inspectionCols+` FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id WHERE i.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "inspection %d not found", id)
	}
	return in, nil
}

// Inspection reads one inspection for change.
func (tx *Tx) Inspection(id int64) (*domain.Inspection, error) {
	in, err := scanInspection(tx.queryRow(`SELECT `+inspectionCols+` FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id WHERE i.id = ?`+tx.db.eng.lockRow, id))
	if err != nil {
		return nil, notFound(err, "inspection %d not found", id)
	}
	return in, nil
}

// Inspections lists inspections matching f, newest first.
func (db *DB) Inspections(ctx context.Context, f domain.InspectionFilter) ([]*domain.Inspection, error) {
	lo, hi := domain.SubtreeRange(f.Region)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if f.After <= 0 {
		f.After = 1 << 62
	}
	if f.To.IsZero() {
		f.To = time.Unix(1<<40, 0)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+inspectionCols+` FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id
		WHERE i.region >= ? AND i.region < ? AND (? = '' OR i.org = ?) AND (? = 0 OR i.enterprise_id = ?) AND (? = 0 OR e.account_id = ?)
		AND (? = '' OR i.status = ?) AND (? = 0 OR i.flagged = 1) AND i.opened_at >= ? AND i.opened_at < ? AND i.id < ?
		ORDER BY i.id DESC LIMIT ?`, lo, hi, f.Org, f.Org, f.EnterpriseID, f.EnterpriseID, f.AccountID, f.AccountID, f.Status, f.Status,
		boolInt(f.Flagged), f.From.Unix(), f.To.Unix(), f.After, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Inspection{}
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// InspectionTally is one group of the inspection statistics.
type InspectionTally struct {
	Key      string  `json:"key"`
	Name     string  `json:"name"`
	Count    int     `json:"inspections"`
	Flagged  int     `json:"flagged"`
	Refused  int     `json:"refused"`
	Rated    int     `json:"rated"`
	Rating   float64 `json:"average_rating"`
	LastYear int     `json:"last_year"`
	// Drop is (last year - this year) / last year, a domain.Ratio (negative for a rise);
	// null when there were none a year before.
	Drop *float64 `json:"drop"`
}

// InspectionStats counts the inspections under region in [from, to) and in the same
// span a year before, grouped by org or by enterprise.
func (db *DB) InspectionStats(ctx context.Context, region, by string, from, to time.Time) ([]InspectionTally, error) {
	lo, hi := domain.SubtreeRange(region)
	key, name, join := `i.org`, `COALESCE(o.name, i.org)`, `LEFT JOIN orgs o ON o.code = i.org`
	if by == "enterprise" {
		key, name, join = `CAST(i.enterprise_id AS TEXT)`, `e.name`, `JOIN enterprises e ON e.id = i.enterprise_id`
	}
	q := `SELECT ` + key + `, ` + name + `, COUNT(*), SUM(i.flagged), SUM(CASE WHEN i.status = 'refused' THEN 1 ELSE 0 END),
		SUM(CASE WHEN i.rating IS NULL THEN 0 ELSE 1 END), COALESCE(SUM(i.rating), 0)
		FROM inspections i ` + join + ` WHERE i.region >= ? AND i.region < ? AND i.opened_at >= ? AND i.opened_at < ? GROUP BY 1, 2 ORDER BY 1`
	read := func(f, t time.Time) (map[string]*InspectionTally, []string, error) {
		rows, err := db.read.QueryContext(ctx, q, lo, hi, f.Unix(), t.Unix())
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		out, keys := map[string]*InspectionTally{}, []string{}
		for rows.Next() {
			var r InspectionTally
			var sum int
			if err := rows.Scan(&r.Key, &r.Name, &r.Count, &r.Flagged, &r.Refused, &r.Rated, &sum); err != nil {
				return nil, nil, err
			}
			if r.Rated > 0 {
				r.Rating = float64(sum) / float64(r.Rated)
			}
			out[r.Key], keys = &r, append(keys, r.Key)
		}
		return out, keys, rows.Err()
	}
	now, keys, err := read(from, to)
	if err != nil {
		return nil, err
	}
	before, bkeys, err := read(from.AddDate(-1, 0, 0), to.AddDate(-1, 0, 0))
	if err != nil {
		return nil, err
	}
	for _, k := range bkeys {
		if now[k] == nil {
			now[k] = &InspectionTally{Key: k, Name: before[k].Name}
			keys = append(keys, k)
		}
	}
	out := []InspectionTally{}
	for _, k := range keys {
		r := *now[k]
		if b := before[k]; b != nil {
			r.LastYear = b.Count
			r.Drop = domain.Ratio(b.Count-r.Count, b.Count)
		}
		out = append(out, r)
	}
	return out, nil
}
