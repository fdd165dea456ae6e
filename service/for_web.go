package service

import (
	"context"

	"whistle/domain"
)

// What the pages ask that the API did not need yet; each answers only what its user may
// know, as every service method does.

// CountLimit is the most cases CountCases counts. It reads the cases it counts (20 to
// 40 µs a case on SQLite here): a count of 1,000 costs about ten pages of the list.
const CountLimit = 1000

// countPage is how many cases one read of a count takes: the list's largest page.
const countPage = 200

// CaseCount is how many cases match a filter: N exactly, or at least N when More is set
// (the count stopped at its bound).
type CaseCount struct {
	N    int
	More bool
}

// CountCases counts the cases u may see that match f: the total a case list shows above
// its first page, to check a dashboard figure against. It reads the list's own pages
// (CasesInPeriod when f has a period, as the list then does, else Cases), so it counts
// exactly what the list shows, through the same indexes; the store has no count of a
// filtered list yet. It stops at limit cases (at most CountLimit), or, for a filter
// matching few of a period's many cases, after limit/200+1 reads of the period's
// bounded window, so its cost stays bounded in any scope; a count that stops says "at
// least" (More). The demo's community years (about 700 cases) are counted whole.
func (s *Service) CountCases(ctx context.Context, u domain.User, f domain.CaseFilter, limit int) (CaseCount, error) {
	if limit <= 0 || limit > CountLimit {
		limit = CountLimit
	}
	f.Limit, f.After = countPage, 0
	period := f.From != nil && f.To != nil
	var n CaseCount
	var at, id int64 // a period's cursor
	for reads := 0; ; reads++ {
		if n.N >= limit || reads > limit/countPage {
			n.N, n.More = min(n.N, limit), true
			return n, nil
		}
		var page []*domain.Case
		var err error
		if period {
			page, at, id, err = s.db.CasesInPeriod(ctx, u, f, at, id)
		} else {
			page, f.After, err = s.db.Cases(ctx, u, f)
		}
		if err != nil {
			return n, err
		}
		n.N += len(page)
		if period && at == 0 || !period && f.After == 0 {
			return n, nil
		}
	}
}

// UserByLogin reads the user with a login, for administrators (the linkage form names
// its cadre by login).
func (s *Service) UserByLogin(ctx context.Context, by domain.User, login string) (domain.User, error) {
	if err := adminOnly(by); err != nil {
		return domain.User{}, err
	}
	return s.db.UserByLogin(ctx, login)
}

// SaveUser creates a user (id 0, a password required) or changes user id, whose login
// and language stay theirs; a password given replaces theirs. Administrators only.
func (s *Service) SaveUser(ctx context.Context, by domain.User, id int64, u domain.User, password string) (domain.User, error) {
	if err := adminOnly(by); err != nil {
		return u, err
	}
	if len(u.Grants) == 0 {
		return u, domain.Errorf(domain.EINVALID, "a user needs at least one grant {role, region, org}")
	}
	if id == 0 {
		return s.CreateUser(ctx, u, password)
	}
	old, err := s.db.User(ctx, id)
	if err != nil {
		return u, err
	}
	u.ID, u.Login, u.Lang = old.ID, old.Login, old.Lang
	return s.AddUser(ctx, u, password)
}

// LinkedEnterprises lists the enterprise linkages (联企) u answers for today: the
// enterprises a liaison cadre may file for.
func (s *Service) LinkedEnterprises(ctx context.Context, u domain.User) ([]domain.Linkage, error) {
	all, err := s.db.Linkages(ctx, "enterprise", "")
	if err != nil {
		return nil, err
	}
	today := domain.Today(s.now())
	out := []domain.Linkage{}
	for _, l := range all {
		if domain.LinkedTo([]domain.Linkage{l}, u.ID, l.Target, today) {
			out = append(out, l)
		}
	}
	return out, nil
}

// SubjectGroup reads the group of a subject u may see (a helper visiting their subject
// needs its fields, wherever the group's area lies).
func (s *Groups) SubjectGroup(ctx context.Context, u domain.User, subjectID int64) (*domain.Group, error) {
	_, g, err := s.subject(ctx, u, subjectID)
	return g, err
}
