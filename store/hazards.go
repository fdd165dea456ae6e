package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"whistle/domain"
)

// InsertHazard stores what a hazard case carries beyond the case, in the caller's
// transaction (the one that filed the case, or a later one).
func (tx *Tx) InsertHazard(h domain.Hazard) error {
	if h.Evidence == nil {
		h.Evidence = []string{}
	}
	_, err := tx.exec(`INSERT INTO hazards (case_id, level, category, measures, deadline, org, patrol_id, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		h.CaseID, h.Level, h.Category, h.Measures, h.Deadline.Unix(), h.Org, nullID(h.PatrolID), jsonText(h.Evidence))
	return err
}

// InsertHazards stores many hazard rows at once (the demo's generated history).
func (tx *Tx) InsertHazards(hs []domain.Hazard) error {
	rows := make([][]any, len(hs))
	for i, h := range hs {
		rows[i] = []any{h.CaseID, h.Level, h.Category, h.Measures, h.Deadline.Unix(), h.Org, nullID(h.PatrolID), "[]"}
	}
	return tx.insertRows(`hazards (case_id, level, category, measures, deadline, org, patrol_id, evidence)`, "", rows)
}

// UpdateHazard changes a hazard's level, category, measures, deadline and org.
func (tx *Tx) UpdateHazard(h domain.Hazard) error {
	_, err := tx.exec(`UPDATE hazards SET level = ?, category = ?, measures = ?, deadline = ?, org = ? WHERE case_id = ?`,
		h.Level, h.Category, h.Measures, h.Deadline.Unix(), h.Org, h.CaseID)
	return err
}

// AddHazardEvidence appends rectification photos to a hazard.
func (tx *Tx) AddHazardEvidence(caseID int64, photos []string) error {
	var raw string
	if err := tx.queryRow(`SELECT evidence FROM hazards WHERE case_id = ?`+tx.db.eng.lockRow, caseID).Scan(&raw); err != nil {
		return notFound(err, "hazard %d not found", caseID)
	}
	var have []string
	if err := json.Unmarshal([]byte(raw), &have); err != nil {
		return err
	}
	if len(have)+len(photos) > domain.MaxPatrolPhotos {
		return domain.Errorf(domain.EINVALID, "a hazard keeps at most %d evidence photos", domain.MaxPatrolPhotos)
	}
	_, err := tx.exec(`UPDATE hazards SET evidence = ? WHERE case_id = ?`, jsonText(append(have, photos...)), caseID)
	return err
}

// hazardRow reads a hazard's own row; ok is false for a hazard case without one, which
// takes its figures from the case and the catalog.
func hazardRow(ctx context.Context, q querier, caseID int64) (domain.Hazard, bool, error) {
	h := domain.Hazard{CaseID: caseID}
	var deadline int64
	var patrol sql.NullInt64
	var evidence string
	err := rowOf(q.QueryContext(ctx, `SELECT level, category, measures, deadline, org, patrol_id, evidence FROM hazards WHERE case_id = ?`, caseID)).
		Scan(&h.Level, &h.Category, &h.Measures, &deadline, &h.Org, &patrol, &evidence)
	if err == sql.ErrNoRows {
		return h, false, nil
	}
	if err != nil {
		return h, false, err
	}
	h.Deadline, h.PatrolID = fromUnix(deadline), patrol.Int64
	return h, true, json.Unmarshal([]byte(evidence), &h.Evidence)
}

// HazardOf completes a hazard case with its hazard row (or defaults from the case).
func (db *DB) HazardOf(ctx context.Context, c *domain.Case) (domain.Hazard, error) {
	h, ok, err := hazardRow(ctx, db.read, c.ID)
	if err == nil && !ok {
		h.Category, err = matterHazardCategory(ctx, db.read, c.Matter)
	}
	if err != nil {
		return h, err
	}
	fillHazard(&h, ok, c)
	for _, e := range c.Events {
		if e.Action == domain.ActVerify {
			at := e.At
			h.VerifiedAt, h.VerifiedBy = &at, e.ActorName
		}
	}
	return h, nil
}

// HazardOf reads a hazard inside a transaction (the events are not read).
func (tx *Tx) HazardOf(c *domain.Case) (domain.Hazard, bool, error) {
	h, ok, err := hazardRow(tx.ctx, tx, c.ID)
	if err == nil && !ok {
		h.Category, err = matterHazardCategory(tx.ctx, tx, c.Matter)
	}
	fillHazard(&h, ok, c)
	return h, ok, err
}

// matterHazardCategory reads the hazard category of a matter ("" when it has none or
// the matter is gone).
func matterHazardCategory(ctx context.Context, q querier, code string) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT hazard_category FROM matters WHERE code = ?`, code)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var cat string
	if rows.Next() {
		if err := rows.Scan(&cat); err != nil {
			return "", err
		}
	}
	return cat, rows.Err()
}

// matterHazardCategories maps the matters that have a hazard category to it.
func (db *DB) matterHazardCategories(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT code, hazard_category FROM matters WHERE hazard_category <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, cat string
		if err := rows.Scan(&code, &cat); err != nil {
			return nil, err
		}
		out[code] = cat
	}
	return out, rows.Err()
}

// fillHazard completes h from its case; a case without a hazard row comes with its
// matter's hazard category in h.Category.
func fillHazard(h *domain.Hazard, ok bool, c *domain.Case) {
	if !ok {
		h.Level, h.Category, h.Org = domain.HazardGeneral, domain.HazardCategoryOr(h.Category), c.LeadOrg
		if c.ResolveDue != nil {
			h.Deadline = *c.ResolveDue
		}
	}
	if h.Evidence == nil {
		h.Evidence = []string{}
	}
	if h.Org == "" {
		h.Org = c.LeadOrg
	}
	h.Number, h.Title, h.Region, h.Address, h.Status, h.FoundAt = c.Number, c.Title, c.Region, c.Address, c.Status, c.CreatedAt
	h.ResolvedAt, h.Result = c.ResolvedAt, c.Result
}

// LedgerCell is one group of hazard cases as the ledger query counts them: a region
// (cut to a depth), a matter, the hazard's own category and level if it has them, a
// status, and whether it is past its deadline unrectified.
type LedgerCell struct {
	Region   string
	Matter   string
	Category string
	Level    string
	Status   domain.Status
	Overdue  bool
	N        int
}

// HazardLedger counts the hazard cases found in [from, to) under region, grouped by the
// region's first depth characters. It reads the partial index cases_hazard_ledger,
// which holds only hazard cases, so its cost follows the hazards of the period and not
// the number of cases.
func (db *DB) HazardLedger(ctx context.Context, region string, depth int, from, to, now time.Time) ([]LedgerCell, error) {
	lo, hi := domain.SubtreeRange(region)
	if depth < len(region) {
		depth = len(region)
	}
	far := int64(1) << 60
	cats, err := db.matterHazardCategories(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT substr(c.region, 1, ?), c.matter, COALESCE(h.category, ''), COALESCE(h.level, ''), c.status,
		CASE WHEN COALESCE(c.resolved_at, ?) > COALESCE(h.deadline, c.resolve_due, ?) THEN 1 ELSE 0 END, COUNT(*)
		FROM cases c LEFT JOIN hazards h ON h.case_id = c.id
		WHERE c.kind = 'hazard' AND c.created_at >= ? AND c.created_at < ? AND c.region >= ? AND c.region < ?
		GROUP BY 1, 2, 3, 4, 5, 6`, depth, now.Unix(), far, from.Unix(), to.Unix(), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerCell
	for rows.Next() {
		var c LedgerCell
		var overdue int
		if err := rows.Scan(&c.Region, &c.Matter, &c.Category, &c.Level, &c.Status, &overdue, &c.N); err != nil {
			return nil, err
		}
		if c.Category == "" {
			c.Category = domain.HazardCategoryOr(cats[c.Matter])
		}
		if c.Level == "" {
			c.Level = domain.HazardGeneral
		}
		c.Overdue = overdue == 1 && !domain.HazardRectified(c.Status)
		out = append(out, c)
	}
	return out, rows.Err()
}

// PatrolCounts counts the patrols started in [from, to) under region by the region's
// first depth characters (index patrols_region).
func (db *DB) PatrolCounts(ctx context.Context, region string, depth int, from, to time.Time) (map[string]int, error) {
	lo, hi := domain.SubtreeRange(region)
	if depth < len(region) {
		depth = len(region)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT substr(region, 1, ?), COUNT(*) FROM patrols
		WHERE region >= ? AND region < ? AND started_at >= ? AND started_at < ? GROUP BY 1`, depth, lo, hi, from.Unix(), to.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, err
		}
		out[key] = n
	}
	return out, rows.Err()
}

// HazardDetails lists the hazards found in [from, to) under region, oldest first, at most
// limit, for the ledger's detail sheet.
func (db *DB) HazardDetails(ctx context.Context, region string, from, to time.Time, limit int) ([]domain.Hazard, error) {
	lo, hi := domain.SubtreeRange(region)
	cats, err := db.matterHazardCategories(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.number, c.title, c.region, c.address, c.status, c.matter, c.lead_org, c.created_at,
		c.resolved_at, c.resolve_due, c.result, h.level, h.category, h.measures, h.deadline, h.org,
		(SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id AND e.action = 'verify'),
		(SELECT MAX(e.actor_name) FROM case_events e WHERE e.case_id = c.id AND e.action = 'verify')
		FROM cases c LEFT JOIN hazards h ON h.case_id = c.id
		WHERE c.kind = 'hazard' AND c.created_at >= ? AND c.created_at < ? AND c.region >= ? AND c.region < ?
		ORDER BY c.created_at, c.id LIMIT ?`, from.Unix(), to.Unix(), lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Hazard{}
	for rows.Next() {
		var h domain.Hazard
		var matter, lead string
		var created int64
		var resolved, resolveDue, deadline, verified sql.NullInt64
		var level, category, measures, org, verifier sql.NullString
		if err := rows.Scan(&h.CaseID, &h.Number, &h.Title, &h.Region, &h.Address, &h.Status, &matter, &lead, &created, &resolved,
			&resolveDue, &h.Result, &level, &category, &measures, &deadline, &org, &verified, &verifier); err != nil {
			return nil, err
		}
		h.FoundAt, h.ResolvedAt, h.VerifiedAt, h.VerifiedBy = fromUnix(created), timeOrNil(resolved), timeOrNil(verified), verifier.String
		h.Level, h.Category, h.Measures, h.Org = level.String, category.String, measures.String, org.String
		if !level.Valid {
			h.Level, h.Category = domain.HazardGeneral, domain.HazardCategoryOr(cats[matter])
		}
		if h.Org == "" {
			h.Org = lead
		}
		if deadline.Valid {
			h.Deadline = fromUnix(deadline.Int64)
		} else if resolveDue.Valid {
			h.Deadline = fromUnix(resolveDue.Int64)
		}
		h.Evidence = []string{}
		out = append(out, h)
	}
	return out, rows.Err()
}

// HazardCasesWithout lists the hazard cases under region that have no hazard row yet,
// with their matter, lead org, creation and resolve deadline (the demo fills them in).
func (db *DB) HazardCasesWithout(ctx context.Context, region string) ([]domain.Case, error) {
	lo, hi := domain.SubtreeRange(region)
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.matter, c.lead_org, c.created_at, c.resolve_due, c.priority FROM cases c
		WHERE c.kind = 'hazard' AND c.region >= ? AND c.region < ? AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.case_id = c.id) ORDER BY c.id`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Case
	for rows.Next() {
		var c domain.Case
		var created int64
		var due sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Matter, &c.LeadOrg, &created, &due, &c.Priority); err != nil {
			return nil, err
		}
		c.CreatedAt, c.ResolveDue = fromUnix(created), timeOrNil(due)
		out = append(out, c)
	}
	return out, rows.Err()
}

// HazardPoints lists the hazards with a position found under region in [from, to), the
// newest first, at most limit: the ledger's map. The cases are those HazardLedger counts,
// read from its partial index in time order (no tie-break by id: one would make SQLite
// walk every case of the period instead).
func (db *DB) HazardPoints(ctx context.Context, region string, from, to, now time.Time, limit int) ([]domain.HazardPoint, error) {
	lo, hi := domain.SubtreeRange(region)
	far := int64(1) << 60
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.number, c.title, c.region, c.lat, c.lon, COALESCE(h.level, ''), c.status,
		CASE WHEN COALESCE(c.resolved_at, ?) > COALESCE(h.deadline, c.resolve_due, ?) THEN 1 ELSE 0 END
		FROM cases c LEFT JOIN hazards h ON h.case_id = c.id
		WHERE c.kind = 'hazard' AND c.created_at >= ? AND c.created_at < ? AND c.region >= ? AND c.region < ?
		AND c.lat IS NOT NULL AND c.lon IS NOT NULL AND c.status NOT IN ('rejected', 'merged')
		ORDER BY c.created_at DESC LIMIT ?`, now.Unix(), far, from.Unix(), to.Unix(), lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.HazardPoint
	for rows.Next() {
		var p domain.HazardPoint
		var overdue int
		if err := rows.Scan(&p.CaseID, &p.Number, &p.Title, &p.Region, &p.Lat, &p.Lon, &p.Level, &p.Status, &overdue); err != nil {
			return nil, err
		}
		if p.Level == "" {
			p.Level = domain.HazardGeneral
		}
		p.Overdue = overdue == 1 && !domain.HazardRectified(p.Status)
		out = append(out, p)
	}
	return out, rows.Err()
}
