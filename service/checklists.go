package service

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// Checklists lists the checklist templates; every signed-in user may read them.
func (s *Service) Checklists(ctx context.Context) ([]domain.Checklist, error) {
	return s.db.Checklists(ctx)
}

// Checklist reads one template.
func (s *Service) Checklist(ctx context.Context, id int64) (domain.Checklist, error) {
	return s.db.Checklist(ctx, id)
}

// PutChecklist creates (ID 0) or replaces a checklist template: administrators only.
func (s *Service) PutChecklist(ctx context.Context, u domain.User, c domain.Checklist) (domain.Checklist, error) {
	if !u.Has(domain.RoleAdmin) {
		return c, domain.Errorf(domain.EFORBIDDEN, "administrators only")
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		return logPut(ctx, s, tx, u, "checklist", &c.ID, tx.Checklist, func() error { return tx.PutChecklist(&c) })
	})
	return c, err
}

// EnsureChecklists stores the built-in templates ("八个一" and the safety patrol) unless
// templates with their codes exist, and answers all templates.
func (s *Service) EnsureChecklists(ctx context.Context) ([]domain.Checklist, error) {
	have, err := s.db.Checklists(ctx)
	if err != nil {
		return nil, err
	}
	codes := map[string]bool{}
	for _, c := range have {
		codes[c.Code] = true
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for _, c := range []domain.Checklist{domain.EightOnes, domain.SafetyPatrol} {
			if !codes[c.Code] {
				c.Items = append([]domain.ChecklistItem(nil), c.Items...)
				if err := tx.PutChecklist(&c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.db.Checklists(ctx)
}

// RecordChecklistItem records one item of a community checklist as done, with its
// evidence: by who works the community (its grid workers, the street's dispatchers and
// leaders) or an officer of a department linked to it.
func (s *Service) RecordChecklistItem(ctx context.Context, u domain.User, e domain.ChecklistEntry) (domain.ChecklistEntry, error) {
	c, err := s.db.Checklist(ctx, e.Checklist)
	if err != nil {
		return e, err
	}
	if err := e.Validate(c); err != nil {
		return e, err
	}
	if _, err := s.db.Region(ctx, e.Region); err != nil {
		return e, domain.Errorf(domain.EINVALID, "unknown region %s", e.Region)
	}
	allowed := domain.CanRecordPatrol(u, e.Region)
	for _, g := range u.Grants { // grid workers and building heads of a grid in the community
		allowed = allowed || ((g.Role == domain.RoleGridWorker || g.Role == domain.RoleBuildingHead) && domain.Within(g.Region, e.Region))
	}
	if !allowed {
		links, err := s.db.Linkages(ctx, "community", e.Region)
		if err != nil {
			return e, err
		}
		for _, l := range links {
			allowed = allowed || (l.Org != "" && contains(domain.UserOrgs(u), l.Org)) || (l.UserID != 0 && l.UserID == u.ID)
		}
	}
	if !allowed {
		return e, domain.Errorf(domain.EFORBIDDEN, "you do not work in community %s", e.Region)
	}
	e.UserID, e.At = u.ID, s.now()
	if e.Year == 0 {
		e.Year = e.At.In(domain.China).Year()
	}
	if e.Year < 2000 || e.Year > 2100 {
		return e, domain.Errorf(domain.EINVALID, "year out of range")
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertChecklistEntry(&e) })
	return e, err
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ChecklistProgress tells how far each community under region is with a community
// checklist in year.
func (s *Service) ChecklistProgress(ctx context.Context, u domain.User, id int64, region string, year int) ([]domain.ChecklistProgress, error) {
	if !domain.SeesPatrolsOf(u, region, "") {
		return nil, domain.Errorf(domain.ENOTFOUND, "region %s not found", region)
	}
	c, err := s.db.Checklist(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Kind != "community" {
		return nil, domain.Errorf(domain.EINVALID, "checklist %s is a patrol checklist; see the patrols for its answers", c.Code)
	}
	var communities []domain.Region
	switch lvl, _ := domain.LevelOf(region); lvl {
	case domain.LevelVillage:
		r, err := s.db.Region(ctx, region)
		if err != nil {
			return nil, err
		}
		communities = []domain.Region{r}
	case domain.LevelTown:
		if communities, err = s.db.Children(ctx, region); err != nil {
			return nil, err
		}
	default:
		return nil, domain.Errorf(domain.EINVALID, "progress is by community: give a street (9 digits) or a community (12 digits)")
	}
	entries, err := s.db.ChecklistEntries(ctx, id, year, region)
	if err != nil {
		return nil, err
	}
	out := []domain.ChecklistProgress{}
	for _, r := range communities {
		p := c.Progress(r.Code, year, entries)
		p.Name = r.Name
		out = append(out, p)
	}
	return out, nil
}
