package service

import (
	"context"

	"whistle/domain"
)

// What the pages ask that the API did not need yet; each answers only what its user may
// know, as every service method does.

// CountLimit is the most cases CountCases counts: enough for any figure a street's
// dashboard shows for a year, and a bound on a count over a whole province.
const CountLimit = 20000

// CaseCount is how many cases match a filter: N exactly, or at least N when More is set
// (the count stopped at its bound).
type CaseCount struct {
	N    int
	More bool
}

// CountCases counts the cases u may see that match f (its period included): the total
// a case list shows above its first page, to check a dashboard figure against. It
// counts in the database what the list lists, under the same scope and conditions, and
// stops at limit (at most CountLimit), saying "at least" beyond it.
func (s *Service) CountCases(ctx context.Context, u domain.User, f domain.CaseFilter, limit int) (CaseCount, error) {
	if limit <= 0 || limit > CountLimit {
		limit = CountLimit
	}
	n, err := s.db.CountCases(ctx, u, f, limit+1)
	if err != nil {
		return CaseCount{}, err
	}
	return CaseCount{N: min(n, limit), More: n > limit}, nil
}

// UserByLogin reads the user with a login, for administrators (the linkage form names
// its cadre by login).
func (s *Service) UserByLogin(ctx context.Context, by domain.User, login string) (domain.User, error) {
	if err := adminOnly(by); err != nil {
		return domain.User{}, err
	}
	return s.db.UserByLogin(ctx, login)
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
