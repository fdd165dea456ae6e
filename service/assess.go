package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"whistle/domain"
	"whistle/store"
)

// 考核: indicator systems, the scores of a closed period read from the rollup (never
// the cases), exclusions, report-in ratings, publication (a frozen snapshot) and
// appeals. Scoring a period costs the rollup's rows of its assessees and months, the
// few excluded cases, the summons falling due and the ratings given in it, and, only
// for the sources a system names, the region's patrol tasks, hazards and monitoring
// visits falling due, liaison problems collected and 八个一 entries of that period
// (each counted by assessee in the database where it can be).

// CreateAssessSystem defines an indicator system over a region: its leaders and
// administrators define systems.
func (s *Service) CreateAssessSystem(ctx context.Context, u domain.User, sys domain.AssessSystem) (domain.AssessSystem, error) {
	if err := sys.Validate(); err != nil {
		return sys, err
	}
	if !domain.AssessManages(u, sys.Region) {
		return sys, domain.Errorf(domain.EFORBIDDEN, "only the region's leaders and administrators define indicator systems")
	}
	if _, err := s.db.Region(ctx, sys.Region); err != nil {
		return sys, domain.Invalidf("assess.region", "unknown region %q", sys.Region)
	}
	sys.CreatedBy = u.ID
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAssessSystem(&sys); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "assess.system", fmt.Sprintf("assess/%d", sys.ID), domain.Change{After: sys})
	})
	return sys, err
}

// AssessSystems lists the systems u reads.
func (s *Service) AssessSystems(ctx context.Context, u domain.User) ([]domain.AssessSystem, error) {
	scopes := domain.ReadScopes(u)
	if len(domain.UserOrgs(u)) > 0 {
		scopes = append(scopes, "") // the departments' systems, filtered below
	}
	all, err := s.db.AssessSystems(ctx, scopes)
	if err != nil {
		return nil, err
	}
	out := []domain.AssessSystem{}
	for _, sys := range all {
		if domain.AssessReads(u, sys) {
			out = append(out, sys)
		}
	}
	return out, nil
}

// AssessSystem reads one system u reads; another does not exist for u.
func (s *Service) AssessSystem(ctx context.Context, u domain.User, id int64) (domain.AssessSystem, error) {
	sys, err := s.db.AssessSystem(ctx, id)
	if err != nil {
		return sys, err
	}
	if !domain.AssessReads(u, sys) {
		return domain.AssessSystem{}, domain.Errorf(domain.ENOTFOUND, "indicator system %d not found", id)
	}
	return sys, nil
}

// AssessView is a period of a system: its table (frozen when published, computed
// otherwise), the exclusions it applied and its appeals.
type AssessView struct {
	System     domain.AssessSystem `json:"system"`
	From       string              `json:"from"` // first month
	To         string              `json:"to"`   // last month
	Result     domain.AssessResult `json:"result"`
	Exclusions []domain.Exclusion  `json:"exclusions"`
	Appeals    []domain.Appeal     `json:"appeals"`
}

// AssessPeriod reads a closed period of a system: the published table as frozen, or,
// before publication, the table computed now from the rollup. Drafts are for the
// system's managers; a published table for whoever reads the system.
func (s *Service) AssessPeriod(ctx context.Context, u domain.User, sysID int64, period string) (AssessView, error) {
	sys, err := s.AssessSystem(ctx, u, sysID)
	if err != nil {
		return AssessView{}, err
	}
	from, to, end, err := domain.AssessPeriod(sys.PeriodKind, period)
	if err != nil {
		return AssessView{}, err
	}
	v := AssessView{System: sys, From: from, To: to}
	v.Result, err = s.db.AssessResult(ctx, sysID, period)
	switch {
	case err == nil:
		v.Exclusions = v.Result.Exclusions
	case domain.ErrorCode(err) != domain.ENOTFOUND:
		return v, err
	case !domain.AssessManages(u, sys.Region):
		return v, domain.Errorf(domain.ENOTFOUND, "period %s is not published", period)
	default:
		if v.Result, err = s.computeAssess(ctx, sys, period, end); err != nil {
			return v, err
		}
		v.Exclusions = v.Result.Exclusions
	}
	if v.Appeals, err = s.db.Appeals(ctx, sysID, period); err != nil {
		return v, err
	}
	return v, nil
}

// computeAssess reads a closed period's values and scores them.
func (s *Service) computeAssess(ctx context.Context, sys domain.AssessSystem, period string, end time.Time) (domain.AssessResult, error) {
	if now := s.now(); end.After(now) {
		return domain.AssessResult{}, domain.Errorf(domain.ECONFLICT, "period %s is not over: it closes %s", period, end.Format("2006-01-02 15:04"))
	}
	vals, excl, err := s.assessValues(ctx, sys, period)
	if err != nil {
		return domain.AssessResult{}, err
	}
	return domain.AssessResult{SystemID: sys.ID, Period: period, Status: domain.PeriodDraft, AsOf: s.now().Truncate(time.Second),
		Scores: domain.Score(sys, vals), Exclusions: excl}, nil
}

// assessValues reads every assessee's value of every indicator of sys for a period,
// with the approved exclusions applied (and listed).
func (s *Service) assessValues(ctx context.Context, sys domain.AssessSystem, period string) ([]domain.AssesseeValues, []domain.Exclusion, error) {
	from, to, end, err := domain.AssessPeriod(sys.PeriodKind, period)
	if err != nil {
		return nil, nil, err
	}
	start, _ := time.ParseInLocation("2006-01", from, domain.China)
	depth := sys.AssesseeKind.AssesseeDepth()
	var who []domain.Assessee
	var stats []domain.Stats
	if depth > 0 {
		regions, err := s.db.RegionsAt(ctx, sys.Region, depth)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range regions {
			who = append(who, domain.Assessee{Key: r.Code, Name: r.Name})
		}
		stats, err = s.db.AssessRegionStats(ctx, sys.Region, depth, from, to)
		if err != nil {
			return nil, nil, err
		}
	} else {
		orgs, err := s.db.Orgs(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range orgs {
			if domain.Within(o.Region, sys.Region) || domain.Within(sys.Region, o.Region) {
				who = append(who, domain.Assessee{Key: o.Code, Name: o.Name})
			}
		}
		stats, err = s.db.Stats(ctx, domain.StatsQuery{Region: sys.Region, From: from, To: to, By: "org"})
		if err != nil {
			return nil, nil, err
		}
	}
	byKey := map[string]domain.Stats{}
	for _, st := range stats {
		byKey[st.Group] = st
	}
	keyOf := func(region, org string) string {
		if depth == 0 {
			return org
		}
		if len(region) < depth {
			return ""
		}
		return region[:depth]
	}

	excl, tallies, err := s.excludedTallies(ctx, sys.Region, from, to, keyOf)
	if err != nil {
		return nil, nil, err
	}
	x, err := s.assessExtras(ctx, sys, period, start, end)
	if err != nil {
		return nil, nil, err
	}
	rect, summons, ratings, manual := x.rect, x.summons, x.ratings, x.manual

	out := make([]domain.AssesseeValues, len(who))
	for i, a := range who {
		vs := map[string]domain.AssessValue{}
		st := byKey[a.Key]
		for _, in := range sys.Indicators {
			var v domain.AssessValue
			switch src := in.Source; {
			case src.FromRollup():
				v = domain.ExcludedValue(src, st, tallies[a.Key][src])
			case src == domain.SrcRectClosed:
				f := rect[a.Key]
				v = domain.RateValue(float64(f.Closed), int64(f.Items))
			case src == domain.SrcRectStage:
				f := rect[a.Key]
				v = domain.RateValue(float64(f.MilestonesMet), int64(f.MilestonesDue))
			case src == domain.SrcReportIn:
				f := summons[a.Key]
				v = domain.RateValue(float64(f[1]), f[0])
			case src == domain.SrcRating:
				f := ratings[a.Key]
				v = domain.RateValue(f[0], int64(f[1]))
			case src == domain.SrcManual:
				v = manual[a.Key][in.Code]
			case src == domain.SrcEightOnes:
				v = domain.RateValue(float64(x.counts[src][a.Key][0]), x.eightOnes)
			default:
				f := x.counts[src][a.Key]
				v = domain.RateValue(float64(f[0]), f[1])
			}
			vs[in.Code] = v
		}
		out[i] = domain.AssesseeValues{Assessee: a, Values: vs}
	}
	return out, excl, nil
}

// excludedTallies reads the approved exclusions of cases received in the months from to
// to under region, and each case's tally now by assessee (keyOf) and source.
func (s *Service) excludedTallies(ctx context.Context, region, from, to string, keyOf func(region, org string) string) (
	[]domain.Exclusion, map[string]map[domain.AssessSource][]domain.Tally, error) {
	excl, err := s.db.Exclusions(ctx, store.ExclusionFilter{Region: region, From: from, To: to, Status: domain.ExclusionApproved})
	if err != nil {
		return nil, nil, err
	}
	tallies := map[string]map[domain.AssessSource][]domain.Tally{}
	for _, x := range excl {
		c, err := s.db.Case(ctx, x.CaseID)
		if err != nil {
			return nil, nil, err
		}
		k, t := c.Rollup()
		if m := k.Day[:7]; m < from || m > to {
			continue
		}
		key := keyOf(k.Region, k.Org)
		if tallies[key] == nil {
			tallies[key] = map[domain.AssessSource][]domain.Tally{}
		}
		for _, src := range x.Sources {
			tallies[key][src] = append(tallies[key][src], t)
		}
	}
	return excl, tallies, nil
}

// assessSources are the figures a period reads besides the rollup, by assessee key.
type assessSources struct {
	rect    map[string]domain.RectFigures
	summons map[string][2]int64                      // summons due, reported in on time
	ratings map[string][2]float64                    // rating points, ratings
	manual  map[string]map[string]domain.AssessValue // indicator code → the leader's score
	// the rates kept outside the rollup (patrols, hazards, 八个一, monitoring visits,
	// liaison problems): numerator and volume by source and assessee
	counts    map[domain.AssessSource]map[string][2]int64
	eightOnes int64 // the 八个一's items: every community's volume
}

// assessExtras reads the figures sys's indicators need besides the rollup: only those
// its sources name.
func (s *Service) assessExtras(ctx context.Context, sys domain.AssessSystem, period string, start, end time.Time) (assessSources, error) {
	x := assessSources{rect: map[string]domain.RectFigures{}, summons: map[string][2]int64{}, ratings: map[string][2]float64{},
		manual: map[string]map[string]domain.AssessValue{}}
	need := map[domain.AssessSource]bool{}
	for _, in := range sys.Indicators {
		need[in.Source] = true
	}
	var err error
	if need[domain.SrcRectClosed] || need[domain.SrcRectStage] {
		if x.rect, err = s.assessRect(ctx, sys.Region, sys.AssesseeKind.AssesseeDepth(), domain.RectDay(end.Add(-time.Second))); err != nil {
			return x, err
		}
	}
	if need[domain.SrcReportIn] {
		if x.summons, err = s.db.SummonsFigures(ctx, sys.Region, start, end, s.now()); err != nil {
			return x, err
		}
	}
	if need[domain.SrcRating] {
		rs, err := s.db.Ratings(ctx, sys.Region, start.Format("2006-01"), end.Add(-time.Second).In(domain.China).Format("2006-01"), 0)
		if err != nil {
			return x, err
		}
		for _, r := range rs {
			v := x.ratings[r.Org]
			x.ratings[r.Org] = [2]float64{v[0] + r.RatingPoints(), v[1] + 1}
		}
	}
	if need[domain.SrcManual] {
		if x.manual, err = s.db.AssessManual(ctx, sys.ID, period); err != nil {
			return x, err
		}
	}
	x.counts = map[domain.AssessSource]map[string][2]int64{}
	depth := sys.AssesseeKind.AssesseeDepth()
	last := end.Add(-time.Second).In(domain.China)
	for src, read := range map[domain.AssessSource]func() (map[string][2]int64, error){
		domain.SrcPatrolRate: func() (map[string][2]int64, error) { return s.assessPatrols(ctx, sys.Region, depth, start, end) },
		domain.SrcHazardRate: func() (map[string][2]int64, error) { return s.db.AssessHazards(ctx, sys.Region, depth, start, end) },
		domain.SrcRoundRate: func() (map[string][2]int64, error) {
			return s.db.AssessVisits(ctx, sys.Region, depth, start.In(domain.China).Format("2006-01-02"), last.Format("2006-01-02"))
		},
		domain.SrcLiaisonRate: func() (map[string][2]int64, error) { return s.db.AssessLiaison(ctx, sys.Region, depth, start, end) },
		domain.SrcEightOnes: func() (m map[string][2]int64, err error) {
			m, x.eightOnes, err = s.assessEightOnes(ctx, sys.Region, last.Year(), end)
			return m, err
		},
	} {
		if need[src] {
			if x.counts[src], err = read(); err != nil {
				return x, err
			}
		}
	}
	return x, nil
}

// assessPatrols counts the patrol tasks under region due in the period [start, end]
// (a task falls due at the end of its own period) as they stood at its end: done on
// time or late / due, by the task's region cut to depth or, depth 0, by the org whose
// plan it is (domain.PatrolCompliance).
func (s *Service) assessPatrols(ctx context.Context, region string, depth int, start, end time.Time) (map[string][2]int64, error) {
	tasks, err := s.db.PatrolTasks(ctx, store.TaskFilter{Region: region, From: start, To: end})
	if err != nil {
		return nil, err
	}
	by := map[string]*domain.PatrolCompliance{}
	for _, t := range tasks {
		key := t.Org
		if depth > 0 {
			if len(t.Region) < depth {
				continue
			}
			key = t.Region[:depth]
		}
		if key == "" {
			continue
		}
		if by[key] == nil {
			by[key] = &domain.PatrolCompliance{Key: key}
		}
		by[key].Add(t, end)
	}
	out := map[string][2]int64{}
	for k, c := range by {
		out[k] = [2]int64{int64(c.OnTime + c.Late), int64(c.Planned - c.Open)}
	}
	return out, nil
}

// assessEightOnes counts, per community under region, the items of the 八个一 with
// evidence recorded before end for year, and gives the number of its items (every
// community's volume; 0 when the installation keeps no 八个一).
func (s *Service) assessEightOnes(ctx context.Context, region string, year int, end time.Time) (map[string][2]int64, int64, error) {
	lists, err := s.db.Checklists(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := map[string][2]int64{}
	for _, c := range lists {
		if c.Code != domain.EightOnes.Code {
			continue
		}
		entries, err := s.db.ChecklistEntries(ctx, c.ID, year, region)
		if err != nil {
			return nil, 0, err
		}
		var before []domain.ChecklistEntry
		regions := map[string]bool{}
		for _, e := range entries {
			if e.At.Before(end) {
				before, regions[e.Region] = append(before, e), true
			}
		}
		for r := range regions {
			p := c.Progress(r, year, before)
			out[r] = [2]int64{int64(p.Done), int64(p.Total)}
		}
		return out, int64(len(c.Items)), nil
	}
	return out, 0, nil
}

// assessRect counts the rectification figures as of day of the items of region's lists
// by responsible org (departments) or by the street whose list holds them.
func (s *Service) assessRect(ctx context.Context, region string, depth int, day string) (map[string]domain.RectFigures, error) {
	out := map[string]domain.RectFigures{}
	if depth == 0 {
		rep, err := s.rectFigures(ctx, region, "org", day)
		if err != nil {
			return nil, err
		}
		for _, r := range rep.Rows {
			out[r.Key] = r
		}
		return out, nil
	}
	lists, err := s.db.RectLists(ctx, []string{region}, nil)
	if err != nil {
		return nil, err
	}
	listRegion := map[int64]string{}
	for _, l := range lists {
		listRegion[l.ID] = l.Region
	}
	its, err := s.db.RectItems(ctx, store.RectItemFilter{Region: region})
	if err != nil {
		return nil, err
	}
	for _, it := range its {
		r := listRegion[it.ListID]
		if len(r) < depth {
			continue
		}
		f := out[r[:depth]]
		f.Count(it, day)
		out[r[:depth]] = f
	}
	return out, nil
}

// PublishAssess publishes a closed period: its table is computed now and stored as it
// is (frozen: later events change nothing of it), appeals are open for the system's
// working days. A leader of the system's region publishes, once.
func (s *Service) PublishAssess(ctx context.Context, u domain.User, sysID int64, period string) (AssessView, error) {
	sys, err := s.AssessSystem(ctx, u, sysID)
	if err != nil {
		return AssessView{}, err
	}
	if !domain.AssessDecides(u, sys.Region) {
		return AssessView{}, domain.Errorf(domain.EFORBIDDEN, "only the region's leaders publish assessments")
	}
	_, _, end, err := domain.AssessPeriod(sys.PeriodKind, period)
	if err != nil {
		return AssessView{}, err
	}
	r, err := s.computeAssess(ctx, sys, period, end)
	if err != nil {
		return AssessView{}, err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return AssessView{}, err
	}
	now := s.now().Truncate(time.Second)
	r.Status, r.Version, r.PublishedBy, r.PublishedAt = domain.PeriodPublished, 1, u.ID, &now
	r.AppealUntil = domain.AppealDeadline(cal, now, sys.AppealDays)
	err = s.audited(ctx, u, "assess.publish", assessObject(sysID, period), func(tx *store.Tx) (domain.Change, error) {
		ok, err := tx.InsertAssessResult(r)
		if err == nil && !ok {
			err = domain.Errorf(domain.ECONFLICT, "period %s is published already", period)
		}
		return domain.Change{Facts: map[string]any{"version": 1, "scored": scoredCount(r.Scores), "appeal_until": r.AppealUntil}}, err
	})
	if err != nil {
		return AssessView{}, err
	}
	return s.AssessPeriod(ctx, u, sysID, period)
}

func assessObject(sysID int64, period string) string {
	return fmt.Sprintf("assess/%d/%s", sysID, period)
}

func scoredCount(scores []domain.AssessScore) int {
	n := 0
	for _, sc := range scores {
		if sc.Scored {
			n++
		}
	}
	return n
}

// SetManualScore records a leader's score (0–100) of an assessee on a manual
// indicator of a period not yet published, with its reason.
func (s *Service) SetManualScore(ctx context.Context, u domain.User, sysID int64, period, assessee, indicator string, points float64, reason string) error {
	sys, err := s.AssessSystem(ctx, u, sysID)
	if err != nil {
		return err
	}
	if !domain.AssessManages(u, sys.Region) {
		return domain.Errorf(domain.EFORBIDDEN, "only the region's leaders and administrators score manual items")
	}
	if _, _, _, err := domain.AssessPeriod(sys.PeriodKind, period); err != nil {
		return err
	}
	ok := false
	for _, in := range sys.Indicators {
		ok = ok || (in.Code == indicator && in.Source == domain.SrcManual)
	}
	if !ok {
		return domain.Invalidf("assess.indicator", "indicator %q is not a manual item of the system", indicator)
	}
	if points < 0 || points > 100 {
		return domain.Invalidf("assess.points", "points must be 0 to 100")
	}
	if strings.TrimSpace(reason) == "" || len([]rune(reason)) > 2000 {
		return domain.Invalidf("assess.reason", "reason is required, at most 2000 characters")
	}
	return s.audited(ctx, u, "assess.manual", assessObject(sysID, period)+"/"+assessee, func(tx *store.Tx) (domain.Change, error) {
		if _, err := tx.AssessResult(sysID, period); err == nil {
			return domain.Change{}, domain.Errorf(domain.ECONFLICT, "period %s is published: its scores change by appeal only", period)
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return domain.Change{}, err
		}
		return domain.Change{After: map[string]any{"indicator": indicator, "points": points, "reason": reason}},
			tx.PutAssessManual(sysID, period, assessee, indicator, points, reason, u.ID)
	})
}

// RequestExclusion asks to leave a case out of named indicators: a dispatcher who sees
// the case marks it 不合理诉求; an officer of its lead org applies for 免责.
func (s *Service) RequestExclusion(ctx context.Context, u domain.User, e domain.Exclusion) (domain.Exclusion, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	c, err := s.Case(ctx, u, e.CaseID)
	if err != nil {
		return e, err
	}
	may := false
	for _, g := range u.Grants {
		switch e.Kind {
		case domain.Unreasonable:
			may = may || (g.Role == domain.RoleDispatcher && domain.Within(c.Region, g.Region))
		case domain.Exempt:
			may = may || (g.Role == domain.RoleOfficer && g.Org == c.LeadOrg && c.LeadOrg != "")
		}
	}
	if !may {
		return e, domain.Errorf(domain.EFORBIDDEN, "a dispatcher marks 不合理诉求; the lead department applies for 免责")
	}
	k, _ := c.Rollup()
	e.Status, e.RequestedBy, e.Requester = domain.ExclusionPending, u.ID, u.Name
	e.Region, e.Org, e.Month, e.CaseNo, e.Title = k.Region, k.Org, k.Day[:7], c.Number, c.Title
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		open, err := tx.OpenExclusion(e.CaseID)
		if err != nil {
			return err
		}
		if open {
			return domain.Errorf(domain.ECONFLICT, "case %s has an exclusion pending or approved already", c.Number)
		}
		if err := tx.InsertExclusion(&e); err != nil {
			return err
		}
		leaders, err := tx.LeadersOf(c.Region)
		if err != nil {
			return err
		}
		tx.NotifyAbout(leaders, "assess_exclusion", fmt.Sprintf("案件 %s 申请%s，待审批", c.Number, exclusionName(e.Kind)))
		return nil
	})
	return e, err
}

func exclusionName(k domain.ExclusionKind) string {
	if k == domain.Exempt {
		return "免责"
	}
	return "认定不合理诉求"
}

// DecideExclusion approves or rejects a pending exclusion: a leader over the case's
// region decides, and the decision is audited.
func (s *Service) DecideExclusion(ctx context.Context, u domain.User, id int64, approve bool, note string) (domain.Exclusion, error) {
	if len([]rune(note)) > 2000 {
		return domain.Exclusion{}, domain.Invalidf("assess.reason", "note is longer than 2000 characters")
	}
	status := domain.ExclusionApproved
	if !approve {
		status = domain.ExclusionRejected
	}
	var out domain.Exclusion
	err := s.audited(ctx, u, "assess.exclusion", fmt.Sprintf("exclusion/%d", id), func(tx *store.Tx) (domain.Change, error) {
		e, err := tx.Exclusion(id)
		if err != nil {
			return domain.Change{}, err
		}
		if !domain.ReadsPlace(u, e.Region) {
			return domain.Change{}, domain.Errorf(domain.ENOTFOUND, "exclusion %d not found", id)
		}
		if !domain.AssessDecides(u, e.Region) {
			return domain.Change{}, domain.Errorf(domain.EFORBIDDEN, "only the region's leaders decide exclusions")
		}
		ok, err := tx.DecideExclusion(id, status, u.ID, note)
		if err != nil {
			return domain.Change{}, err
		}
		if !ok {
			return domain.Change{}, domain.Errorf(domain.ECONFLICT, "exclusion %d is decided already", id)
		}
		out, err = tx.Exclusion(id)
		return domain.Change{Before: map[string]any{"status": e.Status}, After: map[string]any{"status": status, "note": note},
			Facts: map[string]any{"case": e.CaseNo, "kind": e.Kind}}, err
	})
	return out, err
}

// Exclusions lists the exclusions of cases received in the months from to to in a
// region u reads statistics of, with who asked and who decided.
func (s *Service) Exclusions(ctx context.Context, u domain.User, region, from, to, status string) ([]domain.Exclusion, error) {
	region, err := domain.ReportRegion(u, region, "exclusions")
	if err != nil {
		return nil, err
	}
	if from, to, err = domain.StatsMonths(from, to, s.now()); err != nil {
		return nil, err
	}
	return s.db.Exclusions(ctx, store.ExclusionFilter{Region: region, From: from[:7], To: to[:7], Status: status})
}

// RateReportIn records the street's rating of a department's report-in on a whistled
// case: a leader or dispatcher over the case's street rates an org that reported in,
// once.
func (s *Service) RateReportIn(ctx context.Context, u domain.User, r domain.ReportInRating) (domain.ReportInRating, error) {
	if _, ok := r.Grade.Score(); !ok {
		return r, domain.Invalidf("assess.grade", "grade must be satisfied, basic or dissatisfied")
	}
	if len([]rune(r.Note)) > 2000 {
		return r, domain.Invalidf("assess.reason", "note is longer than 2000 characters")
	}
	c, err := s.Case(ctx, u, r.CaseID)
	if err != nil {
		return r, err
	}
	may := false
	for _, g := range u.Grants {
		may = may || ((g.Role == domain.RoleLeader || g.Role == domain.RoleDispatcher) && domain.Within(c.Region, g.Region))
	}
	if !may {
		return r, domain.Errorf(domain.EFORBIDDEN, "the street's leaders and dispatchers rate report-ins")
	}
	r.Month = ""
	for _, sm := range c.Summons {
		if sm.Org == r.Org && sm.ReportedAt != nil {
			r.Month = domain.RectDay(*sm.ReportedAt)[:7]
		}
	}
	if r.Month == "" {
		return r, domain.Errorf(domain.ECONFLICT, "org %s has not reported in on case %s", r.Org, c.Number)
	}
	r.RatedBy, r.Region = u.ID, c.Region
	err = s.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertRating(&r) })
	return r, err
}

// Ratings lists the ratings of report-ins made in the months from to to in a region u
// reads.
func (s *Service) Ratings(ctx context.Context, u domain.User, region, from, to string) ([]domain.ReportInRating, error) {
	region, err := domain.ReportRegion(u, region, "ratings")
	if err != nil {
		return nil, err
	}
	if from, to, err = domain.StatsMonths(from, to, s.now()); err != nil {
		return nil, err
	}
	return s.db.Ratings(ctx, region, from[:7], to[:7], 0)
}

// FileAppeal is an assessee's appeal of one indicator of a published period, within
// the system's working days after publication.
func (s *Service) FileAppeal(ctx context.Context, u domain.User, a domain.Appeal) (domain.Appeal, error) {
	sys, err := s.AssessSystem(ctx, u, a.SystemID)
	if err != nil {
		return a, err
	}
	if !domain.AssessSpeaksFor(u, sys.AssesseeKind, a.Assessee) {
		return a, domain.Errorf(domain.EFORBIDDEN, "only the assessee appeals its score")
	}
	if strings.TrimSpace(a.Reason) == "" || len([]rune(a.Reason)) > 2000 {
		return a, domain.Invalidf("assess.reason", "reason is required, at most 2000 characters")
	}
	r, err := s.db.AssessResult(ctx, a.SystemID, a.Period)
	if err != nil {
		return a, err
	}
	sc, ok := r.Score(a.Assessee)
	if !ok {
		return a, domain.Errorf(domain.ENOTFOUND, "%s is not assessed in %s", a.Assessee, a.Period)
	}
	found := false
	for _, is := range sc.Indicators {
		found = found || is.Code == a.Indicator
	}
	if !found {
		return a, domain.Invalidf("assess.indicator", "indicator %q is not in the system", a.Indicator)
	}
	if today := domain.RectDay(s.now()); today > r.AppealUntil {
		return a, domain.Errorf(domain.ECONFLICT, "appeals closed on %s", r.AppealUntil)
	}
	a.Status, a.FiledBy = domain.AppealPending, u.ID
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAppeal(&a); err != nil {
			return err
		}
		leaders, err := tx.LeadersOf(sys.Region)
		if err != nil {
			return err
		}
		tx.NotifyAbout(leaders, "assess_appeal", fmt.Sprintf("「%s」%s 收到申诉（%s）", sys.Name, a.Period, sc.Name))
		return nil
	})
	return a, err
}

// AppealDecision is a leader's answer to an appeal: accepted with the corrected value
// of the indicator (its numerator and volume), or rejected; the decision's reason.
type AppealDecision struct {
	Accept   bool    `json:"accept"`
	Decision string  `json:"decision"`
	Num      float64 `json:"num"`
	Volume   int64   `json:"volume"`
}

// DecideAppeal accepts or rejects a pending appeal. An accepted one sets the corrected
// value in the frozen table and republishes it (version + 1): the other values stay
// as frozen, the scores and ranks are computed again, and the log holds the changed
// scores before and after.
func (s *Service) DecideAppeal(ctx context.Context, u domain.User, id int64, d AppealDecision) (domain.Appeal, error) {
	if strings.TrimSpace(d.Decision) == "" || len([]rune(d.Decision)) > 2000 {
		return domain.Appeal{}, domain.Invalidf("assess.reason", "decision is required, at most 2000 characters")
	}
	if d.Volume < 0 {
		return domain.Appeal{}, domain.Invalidf("assess.volume", "volume must not be negative")
	}
	var out domain.Appeal
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		a, err := tx.Appeal(id)
		if err != nil {
			return err
		}
		sys, err := s.AssessSystem(ctx, u, a.SystemID)
		if err != nil {
			return err
		}
		if !domain.AssessDecides(u, sys.Region) {
			return domain.Errorf(domain.EFORBIDDEN, "only the region's leaders decide appeals")
		}
		a.Status, a.DecidedBy, a.Decision = domain.AppealRejected, u.ID, d.Decision
		change := domain.Change{Facts: map[string]any{"assessee": a.Assessee, "indicator": a.Indicator}}
		if d.Accept {
			r, err := tx.AssessResult(a.SystemID, a.Period)
			if err != nil {
				return err
			}
			var in domain.Indicator
			for _, x := range sys.Indicators {
				if x.Code == a.Indicator {
					in = x
				}
			}
			v := in.ValueOf(d.Num, d.Volume)
			v.Note = "申诉更正：" + d.Decision
			r2, err := r.Correct(sys, a.Assessee, a.Indicator, v)
			if err != nil {
				return err
			}
			if ok, err := tx.RepublishAssessResult(r2); err != nil || !ok {
				if err == nil {
					err = domain.Errorf(domain.ECONFLICT, "the table changed meanwhile: decide again")
				}
				return err
			}
			a.Status, a.Corrected = domain.AppealAccepted, &v
			change.Before, change.After = scoreLines(r.Scores), scoreLines(r2.Scores)
			change.Facts["version"] = r2.Version
		}
		ok, err := tx.DecideAppeal(a)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.ECONFLICT, "appeal %d is decided already", id)
		}
		out, err = tx.Appeal(id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "assess.appeal."+a.Status, assessObject(a.SystemID, a.Period)+fmt.Sprintf("/appeal/%d", id), change)
	})
	return out, err
}

// scoreLines is a table's scores as the log shows them: assessee → "total #rank".
func scoreLines(scores []domain.AssessScore) map[string]string {
	out := map[string]string{}
	for _, sc := range scores {
		if sc.Scored {
			out[sc.Key] = fmt.Sprintf("%.2f #%d", sc.Total, sc.Rank)
		}
	}
	return out
}

// Ranking is the 红黑榜 of a published period and each assessee's trend over the
// system's published periods up to it.
type Ranking struct {
	System  domain.AssessSystem   `json:"system"`
	Period  string                `json:"period"`
	Red     []domain.AssessScore  `json:"red"`
	Black   []domain.AssessScore  `json:"black"`
	Periods []string              `json:"periods"` // the trend's periods, oldest first
	Trend   map[string][]TrendDot `json:"trend"`   // assessee → one dot per period
	Scores  []domain.AssessScore  `json:"scores"`
}

// TrendDot is an assessee's total and rank in one period (rank 0: unscored or absent).
type TrendDot struct {
	Total float64 `json:"total"`
	Rank  int     `json:"rank"`
}

// AssessRanking reads the 红黑榜 (top and bottom n) of a published period with the
// trend of the published periods up to it.
func (s *Service) AssessRanking(ctx context.Context, u domain.User, sysID int64, period string, n int) (Ranking, error) {
	if n <= 0 || n > 100 {
		n = 3
	}
	sys, err := s.AssessSystem(ctx, u, sysID)
	if err != nil {
		return Ranking{}, err
	}
	r, err := s.db.AssessResult(ctx, sysID, period)
	if err != nil {
		return Ranking{}, err
	}
	rk := Ranking{System: sys, Period: period, Scores: r.Scores, Trend: map[string][]TrendDot{}}
	rk.Red, rk.Black = domain.RedBlack(r.Scores, n)
	all, err := s.db.AssessPublished(ctx, sysID)
	if err != nil {
		return rk, err
	}
	for _, p := range all {
		if p.Period > period {
			continue
		}
		rk.Periods = append(rk.Periods, p.Period)
		for _, sc := range r.Scores {
			dot := TrendDot{}
			if x, ok := p.Score(sc.Key); ok {
				dot = TrendDot{x.Total, x.Rank}
			}
			rk.Trend[sc.Key] = append(rk.Trend[sc.Key], dot)
		}
	}
	return rk, nil
}

// AssessTable is a period's table for a spreadsheet: rank, assessee, total, then each
// indicator's value and points ("—" where not scored).
func AssessTable(v AssessView) [][]string {
	head := []string{"排名", "代码", "名称", "总分"}
	for _, in := range v.System.Indicators {
		head = append(head, in.Name+" 值", in.Name+" 得分")
	}
	rows := [][]string{head}
	for _, sc := range v.Result.Scores {
		rank, total := "未计分", "—"
		if sc.Scored {
			rank, total = fmt.Sprint(sc.Rank), fmt.Sprintf("%.2f", sc.Total)
		}
		row := []string{rank, sc.Key, sc.Name, total}
		for i, is := range sc.Indicators {
			val, pts := "—", "—"
			if is.Value.Value != nil {
				val = FormatAssessValue(v.System.Indicators[i], is.Value)
			}
			if is.Scored {
				pts = fmt.Sprintf("%.2f", is.Points)
			}
			row = append(row, val, pts)
		}
		rows = append(rows, row)
	}
	return rows
}

// FormatAssessValue writes a value as a person reads it: a rate as a percentage with
// its fraction, a count or a manual score as itself.
func FormatAssessValue(in domain.Indicator, v domain.AssessValue) string {
	if v.Value == nil {
		return "—"
	}
	switch {
	case in.Source == domain.SrcManual:
		return fmt.Sprintf("%g", *v.Value)
	case in.Source.IsCount():
		return fmt.Sprintf("%g（%d 件中）", *v.Value, v.Volume)
	}
	return fmt.Sprintf("%.1f%%（%g/%d）", *v.Value*100, v.Num, v.Volume)
}

// PeriodStatus is a closed period of a system and whether it is published.
type PeriodStatus struct {
	Period    string `json:"period"`
	Published bool   `json:"published"`
	Version   int    `json:"version"`
	Scored    int    `json:"scored"`
}

// AssessPeriods lists a system's closed periods, newest first: the last twelve months,
// four quarters or three years, each published or not, and any older published ones.
func (s *Service) AssessPeriods(ctx context.Context, u domain.User, sysID int64) ([]PeriodStatus, error) {
	sys, err := s.AssessSystem(ctx, u, sysID)
	if err != nil {
		return nil, err
	}
	pub, err := s.db.AssessPublished(ctx, sysID)
	if err != nil {
		return nil, err
	}
	byPeriod := map[string]domain.AssessResult{}
	for _, r := range pub {
		byPeriod[r.Period] = r
	}
	now := s.now().In(domain.China)
	var recent []string
	for i := 1; len(recent) < map[domain.AssessPeriodKind]int{domain.PeriodMonth: 12, domain.PeriodQuarter: 4, domain.PeriodYear: 3}[sys.PeriodKind]; i++ {
		var p string
		switch sys.PeriodKind {
		case domain.PeriodMonth:
			p = time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, domain.China).Format("2006-01")
		case domain.PeriodQuarter:
			q := time.Date(now.Year(), now.Month()-time.Month(3*i), 1, 0, 0, 0, 0, domain.China)
			p = fmt.Sprintf("%d-Q%d", q.Year(), (int(q.Month())+2)/3)
		default:
			p = fmt.Sprint(now.Year() - i)
		}
		if _, _, end, err := domain.AssessPeriod(sys.PeriodKind, p); err == nil && !end.After(now) {
			recent = append(recent, p)
		}
		if i > 40 {
			break
		}
	}
	seen := map[string]bool{}
	var out []PeriodStatus
	add := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		st := PeriodStatus{Period: p}
		if r, ok := byPeriod[p]; ok {
			st.Published, st.Version, st.Scored = true, r.Version, scoredCount(r.Scores)
		}
		out = append(out, st)
	}
	for _, p := range recent {
		add(p)
	}
	for i := len(pub) - 1; i >= 0; i-- {
		add(pub[i].Period)
	}
	return out, nil
}
