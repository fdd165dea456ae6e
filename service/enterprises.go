package service

import (
	"context"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// enterpriseScope narrows an enterprise list to what u may see: a region for
// administrators, leaders, dispatchers and inspectors; a liaison cadre's linked
// enterprises; an enterprise account's own.
func enterpriseScope(u domain.User, f *domain.EnterpriseFilter) error {
	for _, g := range u.Grants {
		switch g.Role {
		case domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleInspector:
			if f.Region == "" || domain.Within(f.Region, g.Region) {
				if f.Region == "" {
					f.Region = g.Region
				}
				return nil
			}
			if domain.Within(g.Region, f.Region) {
				f.Region = g.Region
				return nil
			}
		}
	}
	switch {
	case u.Has(domain.RoleLiaison):
		f.Liaison = u.ID
	case u.Has(domain.RoleEnterprise):
		f.AccountID = u.ID
	default:
		return domain.Errorf(domain.EFORBIDDEN, "your role does not see the enterprise registry")
	}
	return nil
}

// Enterprises lists the enterprises u may see that match f, contact data masked.
func (s *Service) Enterprises(ctx context.Context, u domain.User, f domain.EnterpriseFilter) ([]*domain.Enterprise, error) {
	if err := enterpriseScope(u, &f); err != nil {
		return nil, err
	}
	es, err := s.db.Enterprises(ctx, f)
	for _, e := range es {
		e.MaskFor(u)
	}
	return es, err
}

// Enterprise reads an enterprise u may see; outside their scope it does not exist.
func (s *Service) Enterprise(ctx context.Context, u domain.User, id int64) (*domain.Enterprise, error) {
	e, err := s.db.Enterprise(ctx, id)
	if err != nil {
		return nil, err
	}
	if !domain.EnterpriseVisible(u, e) {
		return nil, domain.Errorf(domain.ENOTFOUND, "enterprise %d not found", id)
	}
	e.MaskFor(u)
	return e, nil
}

// PutEnterprise registers an enterprise (ID 0) or changes one: administrators and
// dispatchers of its region.
func (s *Service) PutEnterprise(ctx context.Context, u domain.User, e domain.Enterprise) (*domain.Enterprise, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if !domain.ManagesEnterprises(u, e.Region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "only administrators and dispatchers of the region register enterprises")
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if e.ID != 0 {
			old, err := tx.Enterprise(e.ID)
			if err != nil {
				return err
			}
			if !domain.ManagesEnterprises(u, old.Region) {
				return domain.Errorf(domain.ENOTFOUND, "enterprise %d not found", e.ID)
			}
		}
		return logPut(ctx, s, tx, u, "enterprise", &e.ID, tx.Enterprise, func() error { return tx.PutEnterprise(&e) })
	})
	if err != nil {
		return nil, err
	}
	return s.Enterprise(ctx, u, e.ID)
}

// ImportResult tells what an import did, or, when any row is wrong, which rows (and
// nothing was written).
type ImportResult struct {
	Created int           `json:"created"`
	Updated int           `json:"updated"`
	Linked  int           `json:"linked"`
	Errors  []ImportError `json:"errors,omitempty"`
}

// ImportError is one wrong row of an import.
type ImportError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// enterpriseColumns are the import's columns, by their English or Chinese heading.
var enterpriseColumns = map[string]string{"uscc": "uscc", "统一社会信用代码": "uscc", "name": "name", "企业名称": "name", "名称": "name",
	"address": "address", "地址": "address", "region": "region", "区划代码": "region", "所在区划": "region", "industry": "industry",
	"行业": "industry", "size": "size", "规模": "size", "contact": "contact", "联系人": "contact", "phone": "phone", "联系电话": "phone",
	"liaison": "liaison", "联企干部": "liaison"}

// industryByName reads an industry given by code or by Chinese name.
func industryByName(v string) string {
	for code, name := range domain.IndustryNames {
		if v == name {
			return code
		}
	}
	return v
}

// sizeNames are the sizes in Chinese.
var sizeNames = map[string]string{"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}

// ImportEnterprises registers or updates the enterprises of a table (CSV or the first
// sheet of an XLSX file; the first row names the columns): all rows or none. A liaison
// column (cadre logins) links the cadres from today.
func (s *Service) ImportEnterprises(ctx context.Context, u domain.User, table [][]string) (ImportResult, error) {
	var res ImportResult
	if !u.Has(domain.RoleAdmin) && !u.Has(domain.RoleDispatcher) { // as PutEnterprise answers them
		return res, domain.Errorf(domain.EFORBIDDEN, "only administrators and dispatchers of the region register enterprises")
	}
	if len(table) < 2 {
		return res, domain.Errorf(domain.EINVALID, "the table needs a heading row and at least one enterprise")
	}
	if len(table) > 20001 {
		return res, domain.Errorf(domain.EINVALID, "at most 20000 enterprises per import")
	}
	col := map[string]int{}
	for i, h := range table[0] {
		if c, ok := enterpriseColumns[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))]; ok {
			col[c] = i
		}
	}
	for _, need := range []string{"uscc", "name", "region", "industry"} {
		if _, ok := col[need]; !ok {
			return res, domain.Errorf(domain.EINVALID, "the heading row lacks the column %s", need)
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	type row struct {
		e       domain.Enterprise
		liaison []int64
	}
	var rows []row
	seen := map[string]int{}
	for n, rec := range table[1:] {
		line := n + 2
		e := domain.Enterprise{USCC: get(rec, "uscc"), Name: get(rec, "name"), Address: get(rec, "address"), Region: get(rec, "region"),
			Industry: industryByName(get(rec, "industry")), Size: get(rec, "size"), Contact: get(rec, "contact"), Phone: get(rec, "phone")}
		if v, ok := sizeNames[e.Size]; ok {
			e.Size = v
		}
		if err := e.Validate(); err != nil {
			res.Errors = append(res.Errors, ImportError{line, domain.ErrorMessage(err)})
			continue
		}
		if first, dup := seen[e.USCC]; dup {
			res.Errors = append(res.Errors, ImportError{line, "the same code as row " + strconv.Itoa(first)})
			continue
		}
		seen[e.USCC] = line
		if !domain.ManagesEnterprises(u, e.Region) { // the whole import is refused, as PutEnterprise refuses the one
			return ImportResult{}, domain.Errorf(domain.EFORBIDDEN, "row %d: region %s lies outside the regions where you register enterprises", line, e.Region)
		}
		r := row{e: e}
		for _, login := range strings.FieldsFunc(get(rec, "liaison"), func(r rune) bool { return r == ';' || r == ',' || r == '；' || r == ' ' }) {
			cadre, err := s.db.UserByLogin(ctx, login)
			if err != nil || !cadre.Has(domain.RoleLiaison) {
				res.Errors = append(res.Errors, ImportError{line, "liaison " + login + " is not a liaison cadre"})
				continue
			}
			r.liaison = append(r.liaison, cadre.ID)
		}
		rows = append(rows, r)
	}
	if len(res.Errors) > 0 {
		return res, nil
	}
	day := s.now().In(domain.China).Format("2006-01-02")
	existing := map[string]map[int64]bool{}
	links, err := s.db.Linkages(ctx, "enterprise", "")
	if err != nil {
		return res, err
	}
	for _, l := range links {
		if l.To == "" || l.To >= day {
			if existing[l.Target] == nil {
				existing[l.Target] = map[int64]bool{}
			}
			existing[l.Target][l.UserID] = true
		}
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for i := range rows {
			r := &rows[i]
			if err := r.e.Validate(); err != nil {
				return err
			}
			created, err := tx.UpsertEnterprise(&r.e)
			if err != nil {
				return domain.Errorf(domain.ErrorCode(err), "row %d: %s", i+2, domain.ErrorMessage(err))
			}
			if created {
				res.Created++
			} else {
				res.Updated++
			}
			for _, id := range r.liaison {
				if existing[r.e.USCC][id] {
					continue
				}
				if err := tx.LinkCadre(id, r.e.USCC, day, r.e.Name); err != nil {
					return err
				}
				res.Linked++
			}
		}
		return s.audit(ctx, tx, u, "enterprise.import", "enterprise", domain.Change{Facts: map[string]any{"created": res.Created, "updated": res.Updated, "linked": res.Linked}})
	})
	return res, err
}

// CodeToken gives the token an enterprise's inspection code carries: for who may print
// the code (administrators and dispatchers of its region, and the enterprise itself).
func (s *Service) CodeToken(ctx context.Context, u domain.User, id int64) (*domain.Enterprise, string, error) {
	e, err := s.Enterprise(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	if !domain.PrintsCode(u, e) {
		return nil, "", domain.Errorf(domain.EFORBIDDEN, "the inspection code is printed by the registry's keepers, the enterprise and its liaison cadre")
	}
	key, err := s.db.CodeKey(ctx)
	if err != nil {
		return nil, "", err
	}
	return e, domain.CodeToken(key, e.ID, e.CodeVersion), nil
}

// RevokeCode withdraws an enterprise's inspection code (lost, copied, misused) and
// issues the next: every code printed before stops working.
func (s *Service) RevokeCode(ctx context.Context, u domain.User, id int64) (*domain.Enterprise, error) {
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		e, err := tx.Enterprise(id)
		if err != nil {
			return err
		}
		if !domain.EnterpriseVisible(u, e) {
			return domain.Errorf(domain.ENOTFOUND, "enterprise %d not found", id)
		}
		if !domain.ManagesEnterprises(u, e.Region) {
			return domain.Errorf(domain.EFORBIDDEN, "only administrators and dispatchers of the region revoke codes")
		}
		v, err := tx.RevokeCode(id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "enterprise.revoke_code", objectID("enterprise", id), domain.Change{Before: map[string]int{"code_version": e.CodeVersion}, After: map[string]int{"code_version": v}})
	})
	if err != nil {
		return nil, err
	}
	return s.Enterprise(ctx, u, id)
}
