package service

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"whistle/domain"
	"whistle/store"
)

// DuplicateRuleSetting names the setting that holds the duplicate rule as JSON:
// {"distance_m": 150, "window_hours": 72}.
const DuplicateRuleSetting = "duplicate_rule"

type ruleJSON struct {
	Distance float64 `json:"distance_m"`
	Hours    float64 `json:"window_hours"`
}

// DuplicateRule reads the configured rule, or the default.
func (s *Service) DuplicateRule(ctx context.Context) (domain.DuplicateRule, error) {
	v, err := s.db.Setting(ctx, DuplicateRuleSetting)
	if err != nil || v == "" {
		return domain.DefaultDuplicateRule, err
	}
	var j ruleJSON
	if err := json.Unmarshal([]byte(v), &j); err != nil {
		return domain.DefaultDuplicateRule, nil
	}
	r := domain.DuplicateRule{Distance: j.Distance, Window: time.Duration(j.Hours * float64(time.Hour))}
	if r.Validate() != nil {
		return domain.DefaultDuplicateRule, nil
	}
	return r, nil
}

// SetDuplicateRule changes the rule (administrators only).
func (s *Service) SetDuplicateRule(ctx context.Context, u domain.User, r domain.DuplicateRule) error {
	if !u.Has(domain.RoleAdmin) {
		return domain.Errorf(domain.EFORBIDDEN, "administrators only")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(ruleJSON{Distance: r.Distance, Hours: r.Window.Hours()})
	return s.putSetting(ctx, u, DuplicateRuleSetting, string(b))
}

// duplicatesOf finds the open cases c likely repeats, nearest first, through the cell
// index: only the cells around c's point, for c's matter and period, are read. Every
// located case is in the index, whichever door it came by.
func (s *Service) duplicatesOf(ctx context.Context, q *store.Tx, c *domain.Case, rule domain.DuplicateRule) ([]domain.Duplicate, error) {
	out := []domain.Duplicate{}
	if c.Lat == nil || c.Lon == nil {
		return out, nil
	}
	dy, dx := domain.CellRings(*c.Lat, rule.Distance)
	from, to := c.CreatedAt.Add(-rule.Window), c.CreatedAt.Add(rule.Window)
	var cands []*domain.Case
	var err error
	if q != nil {
		cands, err = s.db.Nearby(ctx, q, c.Matter, *c.Lat, *c.Lon, dy, dx, from, to)
	} else {
		cands, err = s.db.Nearby(ctx, nil, c.Matter, *c.Lat, *c.Lon, dy, dx, from, to)
	}
	if err != nil {
		return nil, err
	}
	for _, o := range cands {
		if d, ok := domain.LikelyDuplicate(c, o, rule); ok {
			out = append(out, domain.Duplicate{CaseID: o.ID, Number: o.Number, Title: o.Title, Status: o.Status, Distance: d, CreatedAt: o.CreatedAt})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Distance < out[j].Distance })
	return out, nil
}

// Duplicates lists the open cases a case the user may see likely repeats (or is
// repeated by), among those the user may see, nearest first.
func (s *Service) Duplicates(ctx context.Context, u domain.User, id int64) ([]domain.Duplicate, error) {
	c, err := s.Case(ctx, u, id)
	if err != nil {
		return nil, err
	}
	rule, err := s.DuplicateRule(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.duplicatesOf(ctx, nil, c, rule)
	if err != nil {
		return nil, err
	}
	out := []domain.Duplicate{}
	for _, d := range all {
		if _, err := s.Case(ctx, u, d.CaseID); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// MergeDuplicate merges a case into the one it repeats: the merge action, which tells
// both reporters (and the dispatchers) in the same transaction. Reporters without an
// account follow it on the public page or through Open311, where the merged case reads
// closed with a note naming the other.
func (s *Service) MergeDuplicate(ctx context.Context, u domain.User, id, into int64, version int, note string) (*domain.Case, error) {
	return s.Act(ctx, u, id, domain.Command{Action: domain.ActMerge, Version: version, Into: into, Note: note})
}

// DuplicateFlags tells, for the cases of a queue page (ids the caller was already
// shown), how many likely duplicates intake found for each, so the queue can mark them.
func (s *Service) DuplicateFlags(ctx context.Context, ids []int64) (map[int64]int, error) {
	if len(ids) > 500 {
		return nil, domain.Errorf(domain.EINVALID, "at most 500 cases at once")
	}
	return s.db.FlaggedDuplicates(ctx, ids)
}
