package service

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"time"

	"whistle/domain"
	"whistle/store"
)

// managesRegion tells whether u administers or dispatches in region: who may make
// patrol plans and checklists there and set a hazard's terms.
func managesRegion(u domain.User, region string) bool {
	for _, g := range u.Grants {
		if (g.Role == domain.RoleAdmin || g.Role == domain.RoleDispatcher) && domain.Within(region, g.Region) {
			return true
		}
	}
	return false
}

// CreatePlan makes a patrol plan and the tasks it generates.
func (s *Service) CreatePlan(ctx context.Context, u domain.User, p domain.PatrolPlan) (domain.PatrolPlan, int, error) {
	if err := p.Validate(); err != nil {
		return p, 0, err
	}
	if !managesRegion(u, p.Region) {
		return p, 0, domain.Errorf(domain.EFORBIDDEN, "only administrators and dispatchers of the region make patrol plans")
	}
	var n int
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.checkPlanRefs(ctx, tx, p); err != nil {
			return err
		}
		tasks, err := tx.InsertPlan(&p)
		if n = len(tasks); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "patrol_plan.create", objectID("patrol_plan", p.ID), domain.Change{After: p})
	})
	return p, n, err
}

func (s *Service) checkPlanRefs(ctx context.Context, tx *store.Tx, p domain.PatrolPlan) error {
	if _, err := s.db.Region(ctx, p.Region); err != nil {
		return domain.Errorf(domain.EINVALID, "unknown region %s", p.Region)
	}
	if p.Org != "" && !tx.OrgExists(p.Org) {
		return domain.Errorf(domain.EINVALID, "unknown org %s", p.Org)
	}
	if p.UserID != 0 {
		if _, err := s.db.User(ctx, p.UserID); err != nil {
			return domain.Errorf(domain.EINVALID, "unknown user %d", p.UserID)
		}
	}
	if p.Checklist != 0 {
		c, err := tx.Checklist(p.Checklist)
		if err != nil || c.Kind != "patrol" {
			return domain.Errorf(domain.EINVALID, "checklist %d is not a patrol checklist", p.Checklist)
		}
	}
	return nil
}

// PlansFromLinkages makes the plans the community linkages (联点) call for, for the
// linkages in force under region: each linked department patrols each of its
// communities times a month (the seed's "不少于2次"), each linked leader once a month.
// A linkage that already has a plan is skipped.
func (s *Service) PlansFromLinkages(ctx context.Context, u domain.User, region, from, to string, times, checklist int64) ([]domain.PatrolPlan, error) {
	if !managesRegion(u, region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "only administrators and dispatchers of the region make patrol plans")
	}
	if times == 0 {
		times = 2
	}
	links, err := s.db.Linkages(ctx, "community", "")
	if err != nil {
		return nil, err
	}
	have, err := s.db.PatrolPlans(ctx, domain.PlanFilter{Region: region})
	if err != nil {
		return nil, err
	}
	planned := map[int64]bool{}
	for _, p := range have {
		planned[p.Linkage] = true
	}
	names, err := s.regionNames(ctx, links)
	if err != nil {
		return nil, err
	}
	var out []domain.PatrolPlan
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for _, l := range links {
			if planned[l.ID] || !domain.Within(l.Target, region) || (l.To != "" && l.To < from) || l.From > to {
				continue
			}
			p := domain.PatrolPlan{Region: l.Target, From: later(from, l.From), To: to, Linkage: l.ID, Period: "month", Checklist: checklist}
			if l.To != "" && l.To < to {
				p.To = l.To
			}
			if l.Org != "" {
				p.Kind, p.Org, p.Times, p.Name = "department", l.Org, int(times), l.Org+" 联点巡查 "+names[l.Target]
			} else {
				p.Kind, p.UserID, p.Times, p.Name = "leader", l.UserID, 1, "领导带队巡查 "+names[l.Target]
			}
			if err := p.Validate(); err != nil {
				return err
			}
			if err := s.checkPlanRefs(ctx, tx, p); err != nil {
				return err
			}
			if _, err := tx.InsertPlan(&p); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, u, "patrol_plan.create", objectID("patrol_plan", p.ID), domain.Change{After: p}); err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if out == nil {
		out = []domain.PatrolPlan{}
	}
	return out, err
}

func later(a, b string) string {
	if a > b {
		return a
	}
	return b
}

func (s *Service) regionNames(ctx context.Context, links []domain.Linkage) (map[string]string, error) {
	var codes []string
	for _, l := range links {
		codes = append(codes, l.Target)
	}
	return s.db.RegionNames(ctx, codes)
}

// planVisible tells whether u may see plan p: who carries it out, and who oversees its
// region or org.
func planVisible(u domain.User, p domain.PatrolPlan) bool {
	return domain.CanPatrol(u, p) || domain.SeesPatrolsOf(u, p.Region, p.Org)
}

// Plans lists the patrol plans u may see that match f.
func (s *Service) Plans(ctx context.Context, u domain.User, f domain.PlanFilter) ([]domain.PatrolPlan, error) {
	all, err := s.db.PatrolPlans(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []domain.PatrolPlan{}
	for _, p := range all {
		if planVisible(u, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Plan reads one plan u may see, with its tasks in [from, to).
func (s *Service) Plan(ctx context.Context, u domain.User, id int64, from, to time.Time) (domain.PatrolPlan, []domain.PatrolTask, error) {
	p, err := s.db.PatrolPlan(ctx, id)
	if err != nil {
		return p, nil, err
	}
	if !planVisible(u, p) {
		return p, nil, domain.Errorf(domain.ENOTFOUND, "patrol plan %d not found", id)
	}
	tasks, err := s.db.PatrolTasks(ctx, store.TaskFilter{Plans: []int64{id}, From: from, To: to})
	return p, tasks, err
}

// MyTasks lists the tasks of the plans u carries out, due in (from, to].
func (s *Service) MyTasks(ctx context.Context, u domain.User, from, to time.Time, openOnly bool) ([]domain.PatrolTask, error) {
	plans, err := s.db.PatrolPlans(ctx, domain.PlanFilter{})
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, p := range plans {
		if domain.CanPatrol(u, p) {
			ids = append(ids, p.ID)
		}
	}
	return s.db.PatrolTasks(ctx, store.TaskFilter{Plans: ids, From: from, To: to, OpenOnly: openOnly})
}

// PatrolInput is a patrol record as sent from the phone, with the hazards found on it.
type PatrolInput struct {
	domain.Patrol
	Findings []domain.HazardFinding `json:"findings"`
}

// RecordPatrol records a patrol: it closes the task it was for (named, or the open task
// of the period for one of the user's plans there), checks the checklist answers, and
// files each finding as a hazard case.
func (s *Service) RecordPatrol(ctx context.Context, u domain.User, in PatrolInput) (domain.Patrol, error) {
	p := in.Patrol
	now := s.now()
	p.ID, p.UserID, p.UserName, p.RecordedAt, p.Late, p.HazardIDs = 0, u.ID, u.Name, now, false, []int64{}
	if p.Region == "" && p.TaskID == 0 && p.PlanID == 0 {
		return p, domain.Errorf(domain.EINVALID, "a patrol needs a region, a plan_id or a task_id")
	}
	if p.Answers == nil {
		p.Answers = []domain.ChecklistAnswer{}
	}
	if len(in.Findings) > domain.MaxPatrolFindings {
		return p, domain.Errorf(domain.EINVALID, "at most %d findings per patrol", domain.MaxPatrolFindings)
	}
	var plan *domain.PatrolPlan
	var newCases []domain.NewCase
	var hazards []domain.Hazard
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if p.TaskID != 0 {
			t, err := tx.PatrolTask(p.TaskID)
			if err != nil {
				return err
			}
			if p.PlanID != 0 && p.PlanID != t.PlanID {
				return domain.Errorf(domain.EINVALID, "task %d is not of plan %d", t.ID, p.PlanID)
			}
			p.PlanID = t.PlanID
		}
		if p.PlanID != 0 {
			pl, err := tx.PatrolPlan(p.PlanID)
			if err != nil {
				return err
			}
			if !domain.CanPatrol(u, pl) {
				if planVisible(u, pl) {
					return domain.Errorf(domain.EFORBIDDEN, "plan %d is not yours to patrol", pl.ID)
				}
				return domain.Errorf(domain.ENOTFOUND, "patrol plan %d not found", pl.ID)
			}
			plan = &pl
			if p.Region == "" {
				p.Region = pl.Region
			}
			if !domain.Within(p.Region, pl.Region) {
				return domain.Errorf(domain.EINVALID, "region %s is outside the plan's region %s", p.Region, pl.Region)
			}
		}
		if err := p.Validate(now); err != nil {
			return err
		}
		if _, err := s.db.Region(ctx, p.Region); err != nil {
			return domain.Errorf(domain.EINVALID, "unknown region %s", p.Region)
		}
		if plan == nil {
			pl, err := s.planFor(ctx, tx, u, p.Region, p.StartedAt)
			if err != nil {
				return err
			}
			plan = pl
			if plan == nil && !domain.CanRecordPatrol(u, p.Region) {
				return domain.Errorf(domain.EFORBIDDEN, "you have no patrol plan in region %s and may not patrol it", p.Region)
			}
		}
		if plan != nil {
			p.PlanID, p.Org = plan.ID, plan.Org
			if plan.Checklist != 0 {
				p.Checklist = plan.Checklist
			}
			if err := s.bindTask(tx, &p); err != nil {
				return err
			}
		}
		if p.Checklist != 0 {
			c, err := tx.Checklist(p.Checklist)
			if err != nil {
				return domain.Errorf(domain.EINVALID, "unknown checklist %d", p.Checklist)
			}
			if err := c.CheckAnswers(p.Answers); err != nil {
				return err
			}
		} else if len(p.Answers) > 0 {
			return domain.Errorf(domain.EINVALID, "answers need a checklist")
		}
		may := func(region string) error { return domain.CanFileFinding(u, region, plan) }
		for i := range in.Findings {
			n, h, err := s.finding(ctx, tx, u, &in.Findings[i], p.Region, now, may)
			if code := domain.ErrorCode(err); code == domain.EINTERNAL {
				return err
			} else if err != nil { // a refusal keeps its code: 403 for permission, 400 for bad input
				return domain.Errorf(code, "finding %d: %s", i+1, domain.ErrorMessage(err))
			}
			newCases, hazards = append(newCases, n), append(hazards, h)
		}
		return tx.InsertPatrol(&p)
	})
	if err != nil {
		return p, err
	}
	found := p.StartedAt // the hazards were found on the patrol, not when it was typed in
	if found.After(now) {
		found = now
	}
	for i := range newCases {
		hazards[i].PatrolID = p.ID
		c, err := s.fileHazard(ctx, u, newCases[i], hazards[i], found, domain.OnPatrol)
		if err != nil {
			return p, err
		}
		p.HazardIDs = append(p.HazardIDs, c.ID)
	}
	if len(p.HazardIDs) > 0 {
		if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.SetPatrolHazards(p.ID, p.HazardIDs) }); err != nil {
			return p, err
		}
	}
	return s.db.Patrol(ctx, p.ID)
}

// planFor finds a plan u carries out whose region holds region and that has a task
// open at at; nil when there is none.
func (s *Service) planFor(ctx context.Context, tx *store.Tx, u domain.User, region string, at time.Time) (*domain.PatrolPlan, error) {
	plans, err := s.db.PatrolPlans(ctx, domain.PlanFilter{})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(plans, func(i, j int) bool { return len(plans[i].Region) > len(plans[j].Region) }) // nearest first
	for _, pl := range plans {
		if !domain.CanPatrol(u, pl) || !domain.Within(region, pl.Region) {
			continue
		}
		tasks, err := tx.TasksAt(pl.ID, at)
		if err != nil {
			return nil, err
		}
		if domain.MatchTask(tasks, at) >= 0 {
			return &pl, nil
		}
	}
	return nil, nil
}

// bindTask closes the named task or matches one for the patrol's time; a patrol done
// after its task was due is late.
func (s *Service) bindTask(tx *store.Tx, p *domain.Patrol) error {
	if p.TaskID != 0 {
		t, err := tx.PatrolTask(p.TaskID)
		if err != nil {
			return err
		}
		if t.DoneAt != nil {
			return domain.Errorf(domain.ECONFLICT, "task %d is already done (patrol %d)", t.ID, t.PatrolID)
		}
		if p.StartedAt.Before(t.Start) {
			return domain.Errorf(domain.EINVALID, "task %d starts at %s; a patrol before it cannot close it", t.ID, t.Start.Format("2006-01-02"))
		}
		p.Late = !p.StartedAt.Before(t.Due)
		return nil
	}
	tasks, err := tx.TasksAt(p.PlanID, p.StartedAt)
	if err != nil {
		return err
	}
	if i := domain.MatchTask(tasks, p.StartedAt); i >= 0 {
		p.TaskID = tasks[i].ID
	}
	return nil
}

// patrolScope narrows a filter to what u may see: a region in their scope (a
// patrolling user without such a scope sees their own patrols).
func patrolScope(u domain.User, f *domain.PatrolFilter) error {
	if domain.SeesPatrolsOf(u, f.Region, f.Org) {
		return nil
	}
	for _, g := range u.Grants {
		switch g.Role {
		case domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleGridWorker:
			if f.Region == "" || domain.Within(g.Region, f.Region) {
				f.Region = g.Region
				return nil
			}
		case domain.RoleOfficer:
			if f.Org == "" {
				f.Org = g.Org
				return nil
			}
		}
	}
	f.UserID = u.ID // everyone else: their own
	return nil
}

// Patrols lists the patrol records u may see that match f.
func (s *Service) Patrols(ctx context.Context, u domain.User, f domain.PatrolFilter) ([]domain.Patrol, error) {
	if err := patrolScope(u, &f); err != nil {
		return nil, err
	}
	return s.db.Patrols(ctx, f)
}

// Patrol reads one patrol record u may see.
func (s *Service) Patrol(ctx context.Context, u domain.User, id int64) (domain.Patrol, error) {
	p, err := s.db.Patrol(ctx, id)
	if err != nil {
		return p, err
	}
	if p.UserID != u.ID && !domain.SeesPatrolsOf(u, p.Region, p.Org) {
		return p, domain.Errorf(domain.ENOTFOUND, "patrol %d not found", id)
	}
	return p, nil
}

// Compliance reports how the plans under region were kept over the tasks due in
// (from, to]: by org, by community (region) or by person (plans of one user).
func (s *Service) Compliance(ctx context.Context, u domain.User, region, by string, from, to time.Time) ([]domain.PatrolCompliance, domain.PatrolCompliance, error) {
	var total domain.PatrolCompliance
	if !slices.Contains([]string{"org", "region", "user"}, by) {
		return nil, total, domain.Errorf(domain.EINVALID, "by must be org, region or user")
	}
	if !domain.SeesPatrolsOf(u, region, "") {
		return nil, total, domain.Errorf(domain.ENOTFOUND, "region %s not found", region)
	}
	tasks, err := s.db.PatrolTasks(ctx, store.TaskFilter{Region: region, From: from, To: to})
	if err != nil {
		return nil, total, err
	}
	now := s.now()
	groups := map[string]*domain.PatrolCompliance{}
	var keys []string
	for _, t := range tasks {
		key := ""
		switch by {
		case "org":
			key = t.Org
		case "region":
			key = t.Region[:min(len(t.Region), 12)]
		case "user":
			if t.UserID == 0 {
				continue
			}
			key = strconv.FormatInt(t.UserID, 10)
		}
		if key == "" {
			continue
		}
		g := groups[key]
		if g == nil {
			g = &domain.PatrolCompliance{Key: key}
			groups[key] = g
			keys = append(keys, key)
		}
		g.Add(t, now)
		total.Add(t, now)
	}
	sort.Strings(keys)
	out := []domain.PatrolCompliance{}
	names, err := s.groupNames(ctx, by, keys)
	if err != nil {
		return nil, total, err
	}
	for _, k := range keys {
		g := *groups[k]
		g.Name = names[k]
		out = append(out, g)
	}
	total.Key, total.Name = "total", "合计"
	return out, total, nil
}

// groupNames names the keys of a grouping: org names, region names, user names.
func (s *Service) groupNames(ctx context.Context, by string, keys []string) (map[string]string, error) {
	names := map[string]string{}
	switch by {
	case "region":
		return s.db.RegionNames(ctx, keys)
	case "org":
		orgs, err := s.db.Orgs(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			names[o.Code] = o.Name
		}
	case "user":
		for _, k := range keys {
			id, _ := strconv.ParseInt(k, 10, 64)
			if usr, err := s.db.User(ctx, id); err == nil {
				names[k] = usr.Name
			}
		}
	}
	return names, nil
}
