package service

import (
	"context"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// AddAid writes an entry of the assistance ledger for a household, a member or a
// person: administrators and dispatchers of the place. The entry's household and person
// come from the subject, so totals never count one twice.
func (s *Groups) AddAid(ctx context.Context, u domain.User, a domain.Aid) (domain.Aid, error) {
	a.ID = 0
	if err := a.Validate(); err != nil {
		return a, err
	}
	sub, g, err := s.subject(ctx, u, a.Subject)
	if err != nil {
		return a, err
	}
	if !domain.CanRecordAid(u, sub.Region) {
		return a, domain.Errorf(domain.EFORBIDDEN, "only administrators and dispatchers of the place write the assistance ledger")
	}
	if a.Day > s.today() || a.Day < sub.From {
		return a, domain.Errorf(domain.EINVALID, "aid is dated between the subject's entry %s and today", sub.From)
	}
	a.GroupID, a.Region, a.CreatedBy = g.ID, sub.Region, u.ID
	switch {
	case sub.Kind == domain.KindHousehold:
		a.Household = sub.ID
	case sub.Kind == domain.KindPerson && sub.Household != 0:
		a.Household, a.Person = sub.Household, sub.ID
	case sub.Kind == domain.KindPerson:
		a.Person = sub.ID
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if !tx.OrgExists(a.Org) {
			return domain.Errorf(domain.EINVALID, "unknown approving org %s", a.Org)
		}
		if err := tx.AddAid(&a); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "aid.add", domain.SubjectObject(g.ID, sub.ID), domain.Change{After: a})
	})
	return a, err
}

// AidQuery is what a ledger list asks for.
type AidQuery struct {
	Group    int64
	Region   string
	Subject  int64
	Kind     domain.AidKind
	From, To string
	After    int64
	Limit    int
}

// Aid lists ledger entries u may see.
func (s *Groups) Aid(ctx context.Context, u domain.User, q AidQuery) ([]domain.Aid, error) {
	f := store.AidFilter{Kind: q.Kind, From: q.From, To: q.To, After: q.After, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	if q.Subject != 0 {
		sub, _, err := s.subject(ctx, u, q.Subject)
		if err != nil {
			return nil, err
		}
		if sub.Kind == domain.KindHousehold {
			f.Household = sub.ID
		} else {
			f.Subject = sub.ID
		}
		return s.db.AidEntries(ctx, f)
	}
	g, err := s.Group(ctx, u, q.Group)
	if err != nil {
		return nil, err
	}
	region, ok := scopeRegion(u, g, q.Region)
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "region not found in your scope")
	}
	f.Group, f.Region = g.ID, region
	return s.db.AidEntries(ctx, f)
}

// StatsQuery asks for a group's figures in a region as of a day; Among ("field=value")
// narrows the field counts to subjects holding that value; AidFrom starts the aid
// totals at a day instead of the beginning of the ledger; AidKinds, as sent (each value
// may list several kinds with commas), chooses kinds to total together as one line.
type StatsQuery struct {
	Group    int64
	Region   string
	AsOf     string
	Among    string
	AidFrom  string
	AidKinds []string
}

// Stats computes a group's statistics as of a day from the register's versions, the
// ledger, the flags and the assignments, for a region in u's scope.
func (s *Groups) Stats(ctx context.Context, u domain.User, q StatsQuery) (domain.GroupStats, error) {
	g, err := s.Group(ctx, u, q.Group)
	if err != nil {
		return domain.GroupStats{}, err
	}
	region, ok := scopeRegion(u, g, q.Region)
	if !ok {
		return domain.GroupStats{}, domain.Errorf(domain.ENOTFOUND, "region %s not found in your scope", q.Region)
	}
	if q.AsOf, err = dayOrToday(q.AsOf, s.today()); err != nil {
		return domain.GroupStats{}, err
	}
	in := domain.StatsInput{Group: g, AsOf: q.AsOf, Region: region}
	if q.Among != "" {
		k, v, found := strings.Cut(q.Among, "=")
		f, ok := g.Field(k)
		if !found || !ok || !f.Type.Counted() {
			return domain.GroupStats{}, domain.Errorf(domain.EINVALID, "among is field=value over a choice or yes/no field")
		}
		if v, err = f.Normalize(v); err != nil {
			return domain.GroupStats{}, err
		}
		in.Among = []string{f.Key, v}
	}
	if q.AidFrom != "" {
		if in.AidFrom, err = domain.ParseDay(q.AidFrom); err != nil {
			return domain.GroupStats{}, err
		}
	}
	if in.AidKinds, err = domain.ParseAidKinds(q.AidKinds...); err != nil {
		return domain.GroupStats{}, err
	}
	if in.Subjects, err = s.db.Subjects(ctx, store.SubjectFilter{Group: g.ID, Region: region}); err != nil {
		return domain.GroupStats{}, err
	}
	var counted []string // the fields statistics read: choices, yes/no, money and numbers
	for _, f := range g.Fields {
		if f.Type.Counted() || f.Type == domain.FieldMoney || f.Type == domain.FieldNumber {
			counted = append(counted, f.Key)
		}
	}
	if len(counted) == 0 {
		counted = []string{""} // no field is counted: read no values
	}
	if in.Values, err = s.db.Values(ctx, store.ValueFilter{Group: g.ID, Region: region, AsOf: q.AsOf, Fields: counted}); err != nil {
		return domain.GroupStats{}, err
	}
	if in.Aid, err = s.db.AidEntries(ctx, store.AidFilter{Group: g.ID, Region: region, From: in.AidFrom, To: q.AsOf}); err != nil {
		return domain.GroupStats{}, err
	}
	if in.Flags, err = s.db.Flags(ctx, store.FlagFilter{Group: g.ID, Region: region}); err != nil {
		return domain.GroupStats{}, err
	}
	if in.Assignments, err = s.db.Assignments(ctx, store.AssignmentFilter{Group: g.ID, Region: region, On: q.AsOf}); err != nil {
		return domain.GroupStats{}, err
	}
	return domain.ComputeGroupStats(in), nil
}
