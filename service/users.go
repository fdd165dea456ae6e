package service

import (
	"context"

	"whistle/domain"
)

// Users and their grants, for administrators.

// SaveUser creates (id 0) or changes a user, for administrators. A user needs at least
// one grant, and a new one a password; a login is never renamed; a changed user keeps
// their password when none is given, and their language.
func (s *Service) SaveUser(ctx context.Context, by domain.User, id int64, u domain.User, password string) (domain.User, error) {
	if err := adminOnly(by); err != nil {
		return u, err
	}
	if id != 0 {
		old, err := s.db.User(ctx, id)
		if err != nil {
			return u, err
		}
		if err := s.grantsWithin(ctx, by, old.Grants, "the user's role"); err != nil {
			return u, err
		}
		if u.Login != "" && u.Login != old.Login {
			return u, domain.Errorf(domain.EINVALID, "a login cannot be renamed")
		}
		u.ID, u.Login = old.ID, old.Login
		if u.Lang == "" {
			u.Lang = old.Lang
		}
	}
	if err := s.checkGrants(ctx, u.Grants); err != nil {
		return u, err
	}
	if err := s.grantsWithin(ctx, by, u.Grants, "grant"); err != nil {
		return u, err
	}
	return s.putUser(ctx, by, u, password, id == 0)
}

// grantsWithin refuses (403) grants that reach beyond what by administers: an
// administrator of a street may make a grid worker of one of its grids, never a leader
// of the county or an administrator of the whole installation, and may not change a
// user who holds such a grant. A grant's place is its region, else its org's region,
// else (an auditor, an administrator of everything) the installation's; a citizen's or
// an enterprise's account has no place and any administrator keeps it.
func (s *Service) grantsWithin(ctx context.Context, by domain.User, gs []domain.Grant, what string) error {
	for i, g := range gs {
		place := g.Region
		if place == "" && g.Org != "" {
			o, err := s.db.Org(ctx, g.Org)
			if err != nil {
				return err
			}
			place = o.Region
		}
		if place == "" && (g.Role == domain.RoleCitizen || g.Role == domain.RoleEnterprise) {
			continue
		}
		if place == "" {
			err := s.installationAdmin(ctx, by) // the one test of who administers everything
			if domain.ErrorCode(err) == domain.EFORBIDDEN {
				return domain.Errorf(domain.EFORBIDDEN, "%s %d (%s): an installation-wide role, given only by the installation's administrator", what, i+1, g.Role)
			}
			if err != nil {
				return err
			}
			continue
		}
		if !domain.Administers(by, place) {
			return domain.Errorf(domain.EFORBIDDEN, "%s %d (%s in %s): outside the region you administer", what, i+1, g.Role, place)
		}
	}
	return nil
}

// UserByLogin reads the user with a login, for administrators (the linkage form names
// its cadre by login).
func (s *Service) UserByLogin(ctx context.Context, by domain.User, login string) (domain.User, error) {
	if err := adminOnly(by); err != nil {
		return domain.User{}, err
	}
	return s.db.UserByLogin(ctx, login)
}

// Users lists every user, for administrators.
func (s *Service) Users(ctx context.Context, u domain.User) ([]domain.User, error) {
	if err := adminOnly(u); err != nil {
		return nil, err
	}
	return s.db.Users(ctx)
}

// User reads one user, for administrators.
func (s *Service) User(ctx context.Context, u domain.User, id int64) (domain.User, error) {
	if err := adminOnly(u); err != nil {
		return domain.User{}, err
	}
	return s.db.User(ctx, id)
}

// checkGrants checks each of a user's grants and that its region and org exist, naming
// the grant that is wrong by its place in the list.
func (s *Service) checkGrants(ctx context.Context, gs []domain.Grant) error {
	if err := domain.ValidateGrants(gs); err != nil {
		return err
	}
	for i, g := range gs {
		if g.Region != "" {
			if _, err := s.db.Region(ctx, g.Region); domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.Invalidf("grant.region_unknown", "grant %d: region %s does not exist", i+1, g.Region)
			} else if err != nil {
				return err
			}
		}
		if g.Org != "" {
			if _, err := s.db.Org(ctx, g.Org); domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.Invalidf("grant.org_unknown", "grant %d: org %s does not exist", i+1, g.Org)
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}
