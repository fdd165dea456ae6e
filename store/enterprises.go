package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"strings"

	"whistle/domain"
)

const enterpriseCols = `id, uscc, name, address, region, industry, size, contact, phone, account_id, code_version, created_at`

func scanEnterprise(row scanner) (*domain.Enterprise, error) {
	var e domain.Enterprise
	var account sql.NullInt64
	var created int64
	err := row.Scan(&e.ID, &e.USCC, &e.Name, &e.Address, &e.Region, &e.Industry, &e.Size, &e.Contact, &e.Phone, &account, &e.CodeVersion, &created)
	e.AccountID, e.CreatedAt = account.Int64, fromUnix(created)
	return &e, err
}

// liaisonsOf fills each enterprise's liaison cadres from the linkages in force on day.
func liaisonsOf(ctx context.Context, q querier, day string, es ...*domain.Enterprise) error {
	for _, e := range es {
		rows, err := q.QueryContext(ctx, `SELECT user_id FROM linkages WHERE kind = 'enterprise' AND target = ? AND user_id IS NOT NULL
			AND from_day <= ? AND (to_day = '' OR to_day >= ?) ORDER BY id`, e.USCC, day, day)
		if err != nil {
			return err
		}
		e.Liaisons = []int64{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			e.Liaisons = append(e.Liaisons, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) today() string { return db.Now().In(domain.China).Format("2006-01-02") }

// Enterprise reads one enterprise with its liaison cadres.
func (db *DB) Enterprise(ctx context.Context, id int64) (*domain.Enterprise, error) {
	e, err := scanEnterprise(db.read.QueryRowContext(ctx, `SELECT `+enterpriseCols+` FROM enterprises WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "enterprise %d not found", id)
	}
	return e, liaisonsOf(ctx, db.read, db.today(), e)
}

// Enterprise reads one enterprise inside a transaction, locking it.
func (tx *Tx) Enterprise(id int64) (*domain.Enterprise, error) {
	e, err := scanEnterprise(tx.queryRow(`SELECT `+enterpriseCols+` FROM enterprises WHERE id = ?`+tx.db.eng.lockRow, id))
	if err != nil {
		return nil, notFound(err, "enterprise %d not found", id)
	}
	return e, liaisonsOf(tx.ctx, tx, tx.now.In(domain.China).Format("2006-01-02"), e)
}

// Enterprises lists enterprises matching f in id order, after the cursor.
func (db *DB) Enterprises(ctx context.Context, f domain.EnterpriseFilter) ([]*domain.Enterprise, error) {
	lo, hi := domain.SubtreeRange(f.Region)
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q := `SELECT ` + enterpriseCols + ` FROM enterprises WHERE region >= ? AND region < ? AND id > ? AND (? = '' OR industry = ?)
		AND (? = 0 OR account_id = ?)`
	args := []any{lo, hi, f.After, f.Industry, f.Industry, f.AccountID, f.AccountID}
	if f.Q != "" {
		q += ` AND (name LIKE ? OR uscc LIKE ?)`
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(f.Q) + "%"
		args = append(args, like, like)
	}
	if f.Liaison != 0 {
		q += ` AND uscc IN (SELECT target FROM linkages WHERE kind = 'enterprise' AND user_id = ? AND from_day <= ? AND (to_day = '' OR to_day >= ?))`
		args = append(args, f.Liaison, db.today(), db.today())
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY id LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	var out []*domain.Enterprise
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out == nil {
		out = []*domain.Enterprise{}
	}
	return out, liaisonsOf(ctx, db.read, db.today(), out...)
}

// PutEnterprise creates an enterprise (ID 0; its code must be new) or updates one.
func (tx *Tx) PutEnterprise(e *domain.Enterprise) error {
	if ok, err := tx.exists(`SELECT COUNT(*) FROM regions WHERE code = ?`, e.Region); !ok {
		if err != nil {
			return err
		}
		return domain.Errorf(domain.EINVALID, "unknown region %s", e.Region)
	}
	if e.AccountID != 0 {
		if ok, err := tx.exists(`SELECT COUNT(*) FROM users WHERE id = ?`, e.AccountID); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "unknown account user %d", e.AccountID)
		}
	}
	if e.ID == 0 {
		e.CodeVersion, e.CreatedAt = 1, tx.now
		err := tx.queryRow(`INSERT INTO enterprises (uscc, name, address, region, industry, size, contact, phone, account_id, code_version, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (uscc) DO NOTHING RETURNING id`,
			e.USCC, e.Name, e.Address, e.Region, e.Industry, e.Size, e.Contact, e.Phone, nullID(e.AccountID), tx.now.Unix()).Scan(&e.ID)
		if err == sql.ErrNoRows {
			return domain.Errorf(domain.ECONFLICT, "an enterprise with code %s is registered", e.USCC)
		}
		return err
	}
	res, err := tx.exec(`UPDATE enterprises SET uscc = ?, name = ?, address = ?, region = ?, industry = ?, size = ?, contact = ?, phone = ?, account_id = ? WHERE id = ?`,
		e.USCC, e.Name, e.Address, e.Region, e.Industry, e.Size, e.Contact, e.Phone, nullID(e.AccountID), e.ID)
	if err != nil {
		// the update's own error is the one to give unless the code is taken
		if taken, _ := tx.exists(`SELECT COUNT(*) FROM enterprises WHERE uscc = ? AND id <> ?`, e.USCC, e.ID); taken {
			return domain.Errorf(domain.ECONFLICT, "an enterprise with code %s is registered", e.USCC)
		}
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "enterprise %d not found", e.ID)
	}
	return nil
}

// UpsertEnterprise creates an enterprise or, when its code is registered, updates it
// (an import run twice changes nothing the second time). created tells which.
func (tx *Tx) UpsertEnterprise(e *domain.Enterprise) (created bool, err error) {
	var id int64
	err = tx.queryRow(`SELECT id FROM enterprises WHERE uscc = ?`, e.USCC).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		return false, err
	}
	e.ID = id
	return id == 0, tx.PutEnterprise(e)
}

// RevokeCode moves an enterprise's code version on, so the codes printed before stop
// working; it answers the new version.
func (tx *Tx) RevokeCode(id int64) (int, error) {
	var v int
	err := tx.queryRow(`UPDATE enterprises SET code_version = code_version + 1 WHERE id = ? RETURNING code_version`, id).Scan(&v)
	return v, notFound(err, "enterprise %d not found", id)
}

// CodeKey gives the installation's key for signing inspection codes, made on first use
// (an insert that loses a race to another server reads the winner's key).
func (db *DB) CodeKey(ctx context.Context) ([]byte, error) {
	key, err := db.Setting(ctx, "inspection_code_key")
	if err != nil {
		return nil, err
	}
	if key == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		err := db.Update(ctx, func(tx *Tx) error {
			_, err := tx.exec(`INSERT INTO settings (key, value) VALUES ('inspection_code_key', ?) ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(b))
			return err
		})
		if err != nil {
			return nil, err
		}
		if key, err = db.Setting(ctx, "inspection_code_key"); err != nil {
			return nil, err
		}
	}
	return hex.DecodeString(key)
}

// LinkEnterpriseCase records that a case is about an enterprise: a problem a cadre
// collected on a visit, or a finding of an inspection.
func (tx *Tx) LinkEnterpriseCase(caseID, enterpriseID int64, source string, userID, visitID, inspectionID int64) error {
	_, err := tx.exec(`INSERT INTO enterprise_cases (case_id, enterprise_id, source, user_id, visit_id, inspection_id) VALUES (?, ?, ?, ?, ?, ?)`,
		caseID, enterpriseID, source, nullID(userID), nullID(visitID), nullID(inspectionID))
	return err
}

// LinkEnterpriseCases records many case links at once (the demo).
func (tx *Tx) LinkEnterpriseCases(rows [][]any) error {
	return tx.insertRows(`enterprise_cases (case_id, enterprise_id, source, user_id, visit_id, inspection_id)`, "", rows)
}

// Visit is one liaison cadre's visit to an enterprise (走访).
type Visit struct {
	ID           int64   `json:"id"`
	EnterpriseID int64   `json:"enterprise_id"`
	UserID       int64   `json:"user_id"`
	UserName     string  `json:"user_name,omitempty"`
	At           int64   `json:"-"`
	When         string  `json:"at"`
	Note         string  `json:"note,omitempty"`
	Problems     []int64 `json:"problem_case_ids"`
}

// InsertVisit records a visit.
func (tx *Tx) InsertVisit(v *Visit) error {
	return tx.queryRow(`INSERT INTO liaison_visits (enterprise_id, user_id, at, note, problems) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		v.EnterpriseID, v.UserID, v.At, v.Note, len(v.Problems)).Scan(&v.ID)
}

// Visits lists an enterprise's visits, newest first, with the problems filed on each.
func (db *DB) Visits(ctx context.Context, enterpriseID int64) ([]Visit, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT v.id, v.enterprise_id, v.user_id, u.name, v.at, v.note FROM liaison_visits v
		JOIN users u ON u.id = v.user_id WHERE v.enterprise_id = ? ORDER BY v.at DESC, v.id DESC LIMIT 500`, enterpriseID)
	if err != nil {
		return nil, err
	}
	var out []Visit
	for rows.Next() {
		var v Visit
		if err := rows.Scan(&v.ID, &v.EnterpriseID, &v.UserID, &v.UserName, &v.At, &v.Note); err != nil {
			rows.Close()
			return nil, err
		}
		v.When, v.Problems = fromUnix(v.At).Format("2006-01-02T15:04:05-07:00"), []int64{}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		ids, err := db.int64s(ctx, `SELECT case_id FROM enterprise_cases WHERE visit_id = ? ORDER BY case_id`, out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].Problems = ids
	}
	if out == nil {
		out = []Visit{}
	}
	return out, nil
}

func (db *DB) int64s(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// LiaisonRow is one cadre's line of the liaison service report (联企服务).
type LiaisonRow struct {
	UserID      int64  `json:"user_id"`
	Name        string `json:"name"`
	Enterprises int    `json:"enterprises"`
	Visits      int    `json:"visits"`
	Collected   int    `json:"problems_collected"`
	Resolved    int    `json:"problems_resolved"` // resolved, verified or closed
	Closed      int    `json:"problems_closed"`
	// ResolvedRate is Resolved / Collected; ClosedRate is Closed / Collected (each a
	// domain.Ratio; null when nothing was collected).
	ResolvedRate *float64 `json:"resolved_rate"`
	ClosedRate   *float64 `json:"closed_rate"`
}

// SetRates works out the row's rates from its counts.
func (r *LiaisonRow) SetRates() {
	r.ResolvedRate, r.ClosedRate = domain.Ratio(r.Resolved, r.Collected), domain.Ratio(r.Closed, r.Collected)
}

// LiaisonReport counts, per cadre linked to enterprises under region on day, the
// enterprises linked, the visits and problems collected in [from, to), how many of
// those problems are resolved (resolved, verified or closed) and how many are closed.
func (db *DB) LiaisonReport(ctx context.Context, region, day string, from, to int64) ([]LiaisonRow, error) {
	lo, hi := domain.SubtreeRange(region)
	rows, err := db.read.QueryContext(ctx, `SELECT l.user_id, u.name, COUNT(DISTINCT e.id) FROM linkages l
		JOIN enterprises e ON e.uscc = l.target JOIN users u ON u.id = l.user_id
		WHERE l.kind = 'enterprise' AND l.from_day <= ? AND (l.to_day = '' OR l.to_day >= ?) AND e.region >= ? AND e.region < ?
		GROUP BY l.user_id, u.name ORDER BY l.user_id`, day, day, lo, hi)
	if err != nil {
		return nil, err
	}
	out := []LiaisonRow{}
	at := map[int64]int{}
	for rows.Next() {
		var r LiaisonRow
		if err := rows.Scan(&r.UserID, &r.Name, &r.Enterprises); err != nil {
			rows.Close()
			return nil, err
		}
		at[r.UserID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	count := func(q string, set func(*LiaisonRow, int, int, int)) error {
		rows, err := db.read.QueryContext(ctx, q, from, to, lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var user int64
			var a, b, c int
			if err := rows.Scan(&user, &a, &b, &c); err != nil {
				return err
			}
			if i, ok := at[user]; ok {
				set(&out[i], a, b, c)
			}
		}
		return rows.Err()
	}
	err = count(`SELECT v.user_id, COUNT(*), 0, 0 FROM liaison_visits v JOIN enterprises e ON e.id = v.enterprise_id
		WHERE v.at >= ? AND v.at < ? AND e.region >= ? AND e.region < ? GROUP BY v.user_id`,
		func(r *LiaisonRow, n, _, _ int) { r.Visits = n })
	if err != nil {
		return nil, err
	}
	err = count(`SELECT ec.user_id, COUNT(*), SUM(CASE WHEN c.status IN ('resolved', 'verified', 'closed') THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END)
		FROM enterprise_cases ec JOIN cases c ON c.id = ec.case_id JOIN enterprises e ON e.id = ec.enterprise_id
		WHERE ec.source = 'liaison' AND c.status NOT IN ('rejected', 'merged') AND c.created_at >= ? AND c.created_at < ?
		AND e.region >= ? AND e.region < ? AND ec.user_id IS NOT NULL GROUP BY ec.user_id`,
		func(r *LiaisonRow, n, done, closed int) {
			r.Collected, r.Resolved, r.Closed = n, done, closed
			r.SetRates()
		})
	return out, err
}

// EnterpriseCases lists the cases about an enterprise, newest first.
func (db *DB) EnterpriseCases(ctx context.Context, enterpriseID int64) ([]int64, error) {
	return db.int64s(ctx, `SELECT case_id FROM enterprise_cases WHERE enterprise_id = ? ORDER BY case_id DESC LIMIT 500`, enterpriseID)
}

// LinkCadre links a liaison cadre to an enterprise (联企) from day on.
func (tx *Tx) LinkCadre(userID int64, uscc, day, note string) error {
	_, err := tx.exec(`INSERT INTO linkages (kind, user_id, org, target, from_day, to_day, note) VALUES ('enterprise', ?, '', ?, ?, '', ?)`,
		userID, uscc, day, note)
	return err
}

// LinkedEnterprises counts the distinct enterprises under region with a cadre linked
// on day (only userID's, when own).
func (db *DB) LinkedEnterprises(ctx context.Context, region, day string, own bool, userID int64) (int, error) {
	lo, hi := domain.SubtreeRange(region)
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT e.id) FROM linkages l JOIN enterprises e ON e.uscc = l.target
		WHERE l.kind = 'enterprise' AND l.user_id IS NOT NULL AND l.from_day <= ? AND (l.to_day = '' OR l.to_day >= ?)
		AND e.region >= ? AND e.region < ? AND (? = 0 OR l.user_id = ?)`, day, day, lo, hi, boolInt(own)*int(userID), boolInt(own)*int(userID)).Scan(&n)
	return n, err
}
