package service

import (
	"context"
	"strings"

	"whistle/domain"
)

// What the REST API asked of the service when its handlers stopped reaching the store
// (issue 16): each rule is checked here, so the pages that call the same methods keep
// the same rules.

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
		if u.Login != "" && u.Login != old.Login {
			return u, domain.Errorf(domain.EINVALID, "a login cannot be renamed")
		}
		u.ID, u.Login = old.ID, old.Login
		if u.Lang == "" {
			u.Lang = old.Lang
		}
	}
	if len(u.Grants) == 0 {
		return u, domain.Errorf(domain.EINVALID, "a user needs at least one grant {role, region, org}")
	}
	if id == 0 {
		return s.CreateUser(ctx, u, password)
	}
	return s.AddUser(ctx, u, password)
}

// FilePublic files a report from a public door (no login): the matter must be one the
// public may report under and the phone, when given, well formed; a report without a
// title is titled by the first line of its description, else by the matter's name.
// Then it goes as PublicReport does, rate-limited per address.
func (s *Service) FilePublic(ctx context.Context, addr string, in Intake) (*Receipt, error) {
	n := &in.Case
	if n.Reporter.Phone != "" {
		if err := domain.ValidatePhone(n.Reporter.Phone); err != nil {
			return nil, err
		}
	}
	m, err := s.db.Matter(ctx, n.Matter)
	if err != nil || !m.Public {
		return nil, domain.Errorf(domain.EINVALID, "unknown matter %q", n.Matter)
	}
	if n.Title == "" {
		n.Title = firstLine(n.Description, 60)
	}
	if n.Title == "" {
		n.Title = m.Name
	}
	return s.PublicReport(ctx, addr, in)
}

// firstLine is the first line of text, cut to max characters with an ellipsis.
func firstLine(text string, max int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	rs := []rune(strings.TrimSpace(line))
	if len(rs) > max {
		return string(rs[:max]) + "…"
	}
	return string(rs)
}

// Reveals lists the latest reveals of a group's personal data (the audit), newest
// first, for administrators of the group's region; for whoever does not see the group
// it does not exist.
func (s *Groups) Reveals(ctx context.Context, u domain.User, groupID int64, limit int) ([]domain.Reveal, error) {
	g, err := s.Group(ctx, u, groupID)
	if err != nil {
		return nil, err
	}
	if !domain.CanManageGroups(u, g.Region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "administrators of the group's region only")
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	return s.db.Reveals(ctx, groupID, limit)
}
