package store

import (
	"context"

	"whistle/domain"
)

const matterCols = `code, name, class, category, lead_org, ack_n, ack_unit, resolve_n, resolve_unit, priority, public, keywords, description, hazard_category, comprehensive`

func scanMatter(row scanner) (domain.Matter, error) {
	var m domain.Matter
	var public, comprehensive int
	err := row.Scan(&m.Code, &m.Name, &m.Class, &m.Category, &m.LeadOrg, &m.AckDeadline.N, &m.AckDeadline.Unit,
		&m.Deadline.N, &m.Deadline.Unit, &m.Priority, &public, &m.Keywords, &m.Description, &m.HazardCategory, &comprehensive)
	m.Public, m.Comprehensive = public == 1, comprehensive == 1
	return m, err
}

// Matters lists the catalog in code order, with routes.
func (db *DB) Matters(ctx context.Context) ([]domain.Matter, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+matterCols+` FROM matters ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Matter{}
	index := map[string]int{}
	for rows.Next() {
		m, err := scanMatter(rows)
		if err != nil {
			return nil, err
		}
		index[m.Code] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	routes, err := db.read.QueryContext(ctx, `SELECT matter, region, org FROM matter_routes ORDER BY matter, region`)
	if err != nil {
		return nil, err
	}
	defer routes.Close()
	for routes.Next() {
		var code string
		var r domain.Route
		if err := routes.Scan(&code, &r.Region, &r.Org); err != nil {
			return nil, err
		}
		if i, ok := index[code]; ok {
			out[i].Routes = append(out[i].Routes, r)
		}
	}
	return out, routes.Err()
}

// Matter reads one matter with its routes.

// Matter reads one matter inside a transaction.
func (tx *Tx) Matter(code string) (domain.Matter, error) {
	return matterFrom(tx.ctx, tx, code)
}

func matterFrom(ctx context.Context, q querier, code string) (domain.Matter, error) {
	m, err := scanMatter(rowOf(q.QueryContext(ctx, `SELECT `+matterCols+` FROM matters WHERE code = ?`, code)))
	if err != nil {
		return m, notFound(err, "matter %s not found", code)
	}
	rows, err := q.QueryContext(ctx, `SELECT region, org FROM matter_routes WHERE matter = ? ORDER BY region`, code)
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var r domain.Route
		if err := rows.Scan(&r.Region, &r.Org); err != nil {
			return m, err
		}
		m.Routes = append(m.Routes, r)
	}
	return m, rows.Err()
}

// PutMatters validates and stores matters (insert or replace, routes included) in one
// transaction: a bad row stores nothing.
func (db *DB) PutMatters(ctx context.Context, ms []domain.Matter) error {
	return db.Update(ctx, func(tx *Tx) error {
		for _, m := range ms {
			if err := tx.PutMatter(m); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutMatter stores one matter inside a caller's transaction.
func (tx *Tx) PutMatter(m domain.Matter) error {
	if err := m.Validate(); err != nil {
		return err
	}
	for _, org := range append([]string{m.LeadOrg}, routeOrgs(m.Routes)...) {
		if ok, err := tx.orgExists(org); !ok {
			if err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "matter %s: unknown org %q", m.Code, org)
		}
	}
	_, err := tx.exec(`INSERT INTO matters (`+matterCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, class = excluded.class, category = excluded.category,
			lead_org = excluded.lead_org, ack_n = excluded.ack_n, ack_unit = excluded.ack_unit,
			resolve_n = excluded.resolve_n, resolve_unit = excluded.resolve_unit, priority = excluded.priority,
			public = excluded.public, keywords = excluded.keywords, description = excluded.description,
			hazard_category = excluded.hazard_category, comprehensive = excluded.comprehensive`,
		m.Code, m.Name, m.Class, m.Category, m.LeadOrg, m.AckDeadline.N, m.AckDeadline.Unit, m.Deadline.N, m.Deadline.Unit,
		m.Priority, boolInt(m.Public), m.Keywords, m.Description, m.HazardCategory, boolInt(m.Comprehensive))
	if err != nil {
		return err
	}
	if _, err := tx.exec(`DELETE FROM matter_routes WHERE matter = ?`, m.Code); err != nil {
		return err
	}
	for _, r := range m.Routes {
		if _, err := tx.exec(`INSERT INTO matter_routes (matter, region, org) VALUES (?, ?, ?)`, m.Code, r.Region, r.Org); err != nil {
			return err
		}
	}
	return tx.bumpDirectory()
}

func routeOrgs(rs []domain.Route) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Org
	}
	return out
}

// ReportedMatters lists the matters of a reporter's last limit cases, newest first, one
// entry per case (the same matter may repeat).
func (db *DB) ReportedMatters(ctx context.Context, reporter int64, limit int) ([]string, error) {
	return scanColumn[string](db.read.QueryContext(ctx, `SELECT matter FROM cases WHERE reporter_user_id = ? ORDER BY id DESC LIMIT ?`, reporter, limit))
}
