package service

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"whistle/domain"
	"whistle/store"
)

// 项目全生命周期与极速审批. Administrators keep the catalogue of approval items;
// administrators and leaders of a region enter its projects; the project's 首席服务官 and
// 金牌代办员 advance its stages; the investor and the agent file its items, the
// departments act on theirs from their inbox; leaders read the figures of their region.
// A project exists only for who has a part in it (domain.RoleIn): others get 404.

// ApprovalCatalogue reads the catalogue of approval items, for every signed-in user.
func (s *Service) ApprovalCatalogue(ctx context.Context) ([]domain.ApprovalItem, error) {
	return s.db.ApprovalItems(ctx)
}

// PutApprovalItem adds or changes a catalogue entry, for administrators; logged.
func (s *Service) PutApprovalItem(ctx context.Context, u domain.User, a domain.ApprovalItem) (domain.ApprovalItem, error) {
	if err := adminOnly(u); err != nil {
		return a, err
	}
	if err := a.Validate(); err != nil {
		return a, err
	}
	if _, err := s.db.Org(ctx, a.Org); err != nil {
		return a, domain.Errorf(domain.EINVALID, "org: unknown department %q", a.Org)
	}
	read := func(tx *store.Tx) func() (domain.ApprovalItem, error) {
		return func() (domain.ApprovalItem, error) {
			all, err := tx.ApprovalItems()
			if i := slices.IndexFunc(all, func(x domain.ApprovalItem) bool { return x.Code == a.Code }); err == nil && i >= 0 {
				return all[i], nil
			}
			return domain.ApprovalItem{}, notFoundAs(err, "approval item %s not found", a.Code)
		}
	}
	return a, s.audited(ctx, u, "approval_item.put", "approval_item/"+a.Code, func(tx *store.Tx) (domain.Change, error) {
		return swap(read(tx), func() error { return tx.PutApprovalItem(a) })
	})
}

// PutProject enters a project (ID 0) or changes one at its version: administrators and
// leaders of its region, and for a change its 首席服务官 or 金牌代办员. The investor must be
// in the enterprise registry, the leader and agent existing users. Logged.
func (s *Service) PutProject(ctx context.Context, u domain.User, p domain.Project) (*domain.Project, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out *domain.Project
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if p.ID != 0 {
			old, err := tx.Project(p.ID)
			if err != nil || !domain.RoleIn(u, old).Sees() {
				return notFoundAs(err, "project %d not found", p.ID)
			}
			if !domain.RoleIn(u, old).Manages() {
				return domain.Errorf(domain.EFORBIDDEN, "only the project's 首席服务官, its 金牌代办员, or an administrator or leader of its region changes it")
			}
			p.Stage = old.Stage // stages move by AdvanceStage only
		}
		if p.ID == 0 && !domain.RoleIn(u, &domain.Project{Region: p.Region}).Admin {
			return domain.Errorf(domain.EFORBIDDEN, "projects of region %s are entered by its administrators and leaders", p.Region)
		}
		for _, id := range []int64{p.LeaderID, p.AgentID} {
			if _, err := tx.User(id); id != 0 && err != nil {
				return domain.Errorf(domain.EINVALID, "leader_id and agent_id name users: %d is none", id)
			}
		}
		err := logPut(ctx, s, tx, u, "project", &p.ID, tx.Project, func() error { return tx.PutProject(&p) })
		if err != nil {
			return err
		}
		if out, err = tx.Project(p.ID); err == nil && out.InvestorName == "" {
			return domain.Errorf(domain.EINVALID, "investor: %s is not in the enterprise registry", p.Investor)
		}
		return err
	})
	return out, err
}

// projectFor reads project id for u: 404 when u has no part in it.
func projectFor(tx *store.Tx, u domain.User, id int64) (*domain.Project, domain.ProjectRole, error) {
	p, err := tx.Project(id)
	if err != nil {
		return nil, domain.ProjectRole{}, err
	}
	r := domain.RoleIn(u, p)
	if !r.Sees() {
		return nil, r, domain.Errorf(domain.ENOTFOUND, "project %d not found", id)
	}
	return p, r, nil
}

// AdvanceStage moves a project into its next stage on day (today when ""), recording
// the stage's facts: its 首席服务官, its 金牌代办员, or an administrator or leader of its
// region, once the stage's items are approved (domain.CanEnter). Logged.
func (s *Service) AdvanceStage(ctx context.Context, u domain.User, id int64, rec domain.StageRecord, version int) (*domain.Project, error) {
	if rec.Actual == "" {
		rec.Actual = s.now().In(domain.China).Format("2006-01-02")
	}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	var p *domain.Project
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var r domain.ProjectRole
		var err error
		if p, r, err = projectFor(tx, u, id); err != nil {
			return err
		}
		if !r.Manages() {
			return domain.Errorf(domain.EFORBIDDEN, "only the project's 首席服务官, its 金牌代办员, or an administrator or leader of its region advances it")
		}
		if version != 0 && version != p.Version {
			return domain.Errorf(domain.ESTALE, "project %d is at version %d, not %d", id, p.Version, version)
		}
		items, err := tx.ProjectItems(id)
		if err != nil {
			return err
		}
		cat, err := tx.ApprovalItems()
		if err != nil {
			return err
		}
		if err := domain.CanEnter(p, rec.Stage, items, cat); err != nil {
			return err
		}
		old, err := tx.Stage(id, rec.Stage)
		if err != nil {
			return err
		}
		rec.Planned = old.Planned
		p.Stage = rec.Stage
		if err := tx.PutProject(p); err != nil {
			return err
		}
		if err := tx.PutStage(id, rec); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "project.stage", objectID("project", id), domain.Change{After: rec})
	})
	return p, err
}

// PlanStage sets a stage's planned day and facts without moving the project, for who
// manages it.
func (s *Service) PlanStage(ctx context.Context, u domain.User, id int64, rec domain.StageRecord) error {
	if err := rec.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		_, r, err := projectFor(tx, u, id)
		if err != nil {
			return err
		}
		if !r.Manages() {
			return domain.Errorf(domain.EFORBIDDEN, "only who manages the project plans its stages")
		}
		old, err := tx.Stage(id, rec.Stage)
		if err != nil {
			return err
		}
		if rec.Actual == "" {
			rec.Actual = old.Actual
		}
		if err := tx.PutStage(id, rec); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "project.plan", objectID("project", id), domain.Change{Before: old, After: rec})
	})
}

// ApplyItem files catalogue item code for project id: its investor, its 金牌代办员 or its
// 首席服务官, for a stage the project has not reached, once (an item refused may be
// filed again).
func (s *Service) ApplyItem(ctx context.Context, u domain.User, id int64, code string) (domain.ProjectItem, error) {
	var it domain.ProjectItem
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		p, r, err := projectFor(tx, u, id)
		if err != nil {
			return err
		}
		if err := r.MayAct(domain.ItemApply, nil); err != nil {
			return err
		}
		cat, err := tx.ApprovalItems()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cat, func(a domain.ApprovalItem) bool { return a.Code == code })
		if i < 0 {
			return domain.Errorf(domain.EINVALID, "code: %q is no approval item of the catalogue", code)
		}
		if cat[i].Stage.Index() <= p.Stage.Index() || p.Status != "active" {
			return domain.Errorf(domain.ECONFLICT, "project %d is at %s (%s): item %s is for %s", id, domain.StageNames[p.Stage], p.Status, code, domain.StageNames[cat[i].Stage])
		}
		items, err := tx.ProjectItems(id)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(items, func(x domain.ProjectItem) bool { return x.Code == code && x.State != domain.ItemRefused }) {
			return domain.Errorf(domain.ECONFLICT, "item %s of project %d is filed already", code, id)
		}
		it = domain.NewProjectItem(id, cat[i], p.Tier, s.now())
		if err := tx.PutProjectItem(&it); err != nil {
			return err
		}
		officers, err := tx.Officers([]string{it.Org})
		if err != nil {
			return err
		}
		return tx.NotifyUsers(officers, "project_item", fmt.Sprintf("项目「%s」申报审批事项：%s", p.Name, it.Name))
	})
	return it, err
}

// ActItem does action a to item id: the department's officers accept, ask for 补正,
// approve, refuse and check; the applicant's side resubmits and supplies the 容缺
// documents (ApplyItem files).
func (s *Service) ActItem(ctx context.Context, u domain.User, id int64, a domain.ItemAction, in domain.ItemInput) (domain.ProjectItem, error) {
	if !slices.Contains(domain.ItemActions, a) || a == domain.ItemApply {
		return domain.ProjectItem{}, domain.Errorf(domain.EINVALID, "action %q is not an item action", a)
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return domain.ProjectItem{}, err
	}
	var it domain.ProjectItem
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if it, err = tx.ProjectItem(id); err != nil {
			return err
		}
		p, r, err := projectFor(tx, u, it.ProjectID)
		if err != nil {
			return notFoundAs(nil, "item %d not found", id)
		}
		if err := r.MayAct(a, &it); err != nil {
			return err
		}
		if err := commitmentAllowed(tx, a, it); err != nil {
			return err
		}
		if err := it.Act(a, in, s.now(), cal); err != nil {
			return err
		}
		if err := tx.PutProjectItem(&it); err != nil {
			return err
		}
		return notifyItem(tx, p, &it, a)
	})
	return it, err
}

// commitmentAllowed refuses an approval on commitment (告知承诺制) of an item the
// catalogue does not mark for it.
func commitmentAllowed(tx *store.Tx, a domain.ItemAction, it domain.ProjectItem) error {
	if a != domain.ItemCommit {
		return nil
	}
	cat, err := tx.ApprovalItems()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(cat, func(c domain.ApprovalItem) bool { return c.Code == it.Code && c.Commitment }) {
		return domain.Errorf(domain.ECONFLICT, "item %s is not approved on commitment (告知承诺制)", it.Code)
	}
	return nil
}

// notifyItem tells the applicant's side what a department did, and the department what
// the applicant did.
func notifyItem(tx *store.Tx, p *domain.Project, it *domain.ProjectItem, a domain.ItemAction) error {
	msg := fmt.Sprintf("项目「%s」审批事项「%s」：%s", p.Name, it.Name, domain.ItemStateNames[it.State])
	if a.ByApplicant() {
		officers, err := tx.Officers([]string{it.Org})
		if err != nil {
			return err
		}
		return tx.NotifyUsers(officers, "project_item", msg)
	}
	users := []int64{}
	for _, id := range []int64{p.AgentID, p.InvestorAccount} {
		if id != 0 {
			users = append(users, id)
		}
	}
	return tx.NotifyUsers(users, "project_item", msg)
}

// ItemView is an item with its clock worked out at the time of reading.
type ItemView struct {
	domain.ProjectItem
	ProjectName string `json:"project_name,omitempty"`
	Taken       int    `json:"taken_minutes_so_far"` // working minutes used so far
	Left        *int   `json:"left_minutes"`         // of the promised limit, while the clock runs (negative: late)
	Late        bool   `json:"late"`
	DayMinutes  int    `json:"day_minutes"` // one working day, to turn minutes into days
}

func viewItem(it domain.ProjectItem, now time.Time, cal *domain.Calendar) ItemView {
	v := ItemView{ProjectItem: it, Taken: it.Taken(now, cal), Late: it.LateAt != nil || it.Late(now, cal), DayMinutes: cal.DayMinutes()}
	if it.Running() || it.State == domain.ItemSupplementing {
		left := it.Limit*cal.DayMinutes() - v.Taken
		v.Left = &left
	}
	return v
}

// ProjectPage is what a project's page shows.
type ProjectPage struct {
	Project  *domain.Project          `json:"project"`
	Stages   []domain.StageRecord     `json:"stages"`
	Items    []ItemView               `json:"items"`
	Missing  []domain.ApprovalItem    `json:"missing"` // required items of the stages ahead not yet filed
	Progress []domain.ProjectProgress `json:"progress"`
	Problems []domain.ProblemRow      `json:"problems"` // enterprise_problem cases raised for it
	Files    []domain.ProjectFile     `json:"files"`    // stages' documents and progress photos
	// ProgressFlags are the months flagged missing (the month missing now is
	// Project.ProgressDue).
	ProgressFlags []domain.ProgressFlag `json:"progress_flags"`
	Role          domain.ProjectRole    `json:"-"`
}

// Project reads a project's page for whoever has a part in it.
func (s *Service) Project(ctx context.Context, u domain.User, id int64) (ProjectPage, error) {
	pg := ProjectPage{}
	p, err := s.db.Project(ctx, id)
	if err != nil {
		return pg, err
	}
	if pg.Role = domain.RoleIn(u, p); !pg.Role.Sees() {
		return pg, domain.Errorf(domain.ENOTFOUND, "project %d not found", id)
	}
	pg.Project = p
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return pg, err
	}
	items, err := s.db.ProjectItems(ctx, id)
	if err != nil {
		return pg, err
	}
	cat, err := s.db.ApprovalItems(ctx)
	if err != nil {
		return pg, err
	}
	now, filed := s.now(), map[string]bool{}
	for _, it := range items {
		pg.Items = append(pg.Items, viewItem(it, now, cal))
		filed[it.Code] = it.State != domain.ItemRefused
	}
	for _, a := range cat {
		if a.Required && !filed[a.Code] && a.Stage.Index() > p.Stage.Index() {
			pg.Missing = append(pg.Missing, a)
		}
	}
	if pg.Stages, err = s.db.Stages(ctx, id); err != nil {
		return pg, err
	}
	if pg.Progress, err = s.db.Progress(ctx, id); err != nil {
		return pg, err
	}
	if pg.Problems, err = s.db.ProjectProblems(ctx, id); err != nil {
		return pg, err
	}
	if pg.Files, err = s.db.ProjectFiles(ctx, id, 0); err != nil {
		return pg, err
	}
	pg.ProgressFlags, err = s.progressOf(ctx, p)
	return pg, err
}

// Projects lists the projects f chooses among those u sees: a reader's (leader,
// dispatcher, administrator) of the region asked for, or else those u invests in,
// serves or has items of at their department.
func (s *Service) Projects(ctx context.Context, u domain.User, f domain.ProjectFilter) ([]*domain.Project, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if len(domain.ReadScopes(u)) > 0 {
		region, err := domain.ReportRegion(u, f.Region, "project lists")
		if err != nil {
			return nil, err
		}
		f.Region = region
	} else {
		f.Own, f.Orgs = u.ID, domain.UserOrgs(u)
	}
	return s.projectsWithProgress(ctx, f)
}

// ItemInbox is a department officer's inbox: the open items of their departments,
// VIP first, then the soonest due, with their countdowns.
func (s *Service) ItemInbox(ctx context.Context, u domain.User) ([]ItemView, error) {
	orgs := domain.UserOrgs(u)
	if len(orgs) == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "the approval inbox is for department officers")
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.db.OrgItems(ctx, orgs, 500)
	if err != nil {
		return nil, err
	}
	out, now, names := make([]ItemView, 0, len(items)), s.now(), map[int64]string{}
	for _, it := range items {
		if _, ok := names[it.ProjectID]; !ok {
			p, err := s.db.Project(ctx, it.ProjectID)
			if err != nil {
				return nil, err
			}
			names[it.ProjectID] = p.Name
		}
		v := viewItem(it, now, cal)
		v.ProjectName = names[it.ProjectID]
		out = append(out, v)
	}
	return out, nil
}

// ReportProgress records a project's month: its agent, its leader, its investor or
// who manages it.
func (s *Service) ReportProgress(ctx context.Context, u domain.User, g domain.ProjectProgress) error {
	if err := g.Validate(); err != nil {
		return err
	}
	g.ReportedBy = u.ID
	return s.db.Update(ctx, func(tx *store.Tx) error {
		_, r, err := projectFor(tx, u, g.ProjectID)
		if err != nil {
			return err
		}
		if !r.Manages() && !r.Applicant() {
			return domain.Errorf(domain.EFORBIDDEN, "a project's progress is reported by its agent, leader or investor")
		}
		return tx.PutProgress(g)
	})
}

// SweepProjects flags the items whose promised limit has passed, each once however
// many servers sweep (store.Tx.FlagLate claims the row), and tells the department and
// the project's 首席服务官. It returns how many it flagged.
func (s *Service) SweepProjects(ctx context.Context) (int, error) {
	total := 0
	for {
		n, more := 0, false
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			now := s.now()
			due, err := tx.DueItems(now, SweepBatch)
			if err != nil {
				return err
			}
			more = len(due) == SweepBatch
			for _, it := range due {
				claimed, err := tx.FlagLate(it.ID, now)
				if err != nil {
					return err
				}
				if !claimed {
					continue
				}
				if err := notifyLate(tx, it); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

func notifyLate(tx *store.Tx, it domain.ProjectItem) error {
	p, err := tx.Project(it.ProjectID)
	if err != nil {
		return err
	}
	users, err := tx.Officers([]string{it.Org})
	if err != nil {
		return err
	}
	if p.LeaderID != 0 {
		users = append(users, p.LeaderID)
	}
	return tx.NotifyUsers(users, "project_item_late", fmt.Sprintf("项目「%s」审批事项「%s」超过承诺时限", p.Name, it.Name))
}

// ProjectFigures are the leaders' figures of a region's projects; every figure carries
// the query of its projects (Link), for the project list and GET /api/v1/projects.
type ProjectFigures struct {
	Region    string            `json:"region"`
	Year      string            `json:"year"`
	Stages    []StageFigure     `json:"stages"`
	Tiers     []TierFigure      `json:"tiers"`
	Orgs      []OrgFigure       `json:"orgs"`
	Signed    int               `json:"signed"`
	Started   int               `json:"started"`
	Operating int               `json:"operating"`
	StartRate *float64          `json:"start_rate"`   // 开工率: started of signed
	OpRate    *float64          `json:"operate_rate"` // 投产率: operating of signed
	Parks     []ParkFigure      `json:"parks"`
	Months    []MonthFigure     `json:"months"`
	Links     map[string]string `json:"links"` // signed, started, operating, late, progress_due
	// ProgressDue counts the projects missing their report of ProgressMonth, the last
	// month due (domain.DueProgressMonth).
	ProgressDue   int    `json:"progress_due"`
	ProgressMonth string `json:"progress_month"`
}

// StageFigure is one stage: its projects by tier, and the working days its decided
// items took on average against their statutory and promised limits.
type StageFigure struct {
	Stage        domain.Stage        `json:"stage"`
	Name         string              `json:"name"`
	Projects     int                 `json:"projects"`
	ByTier       map[domain.Tier]int `json:"by_tier"`
	Link         string              `json:"link"`
	Items        int                 `json:"items_decided"`
	AvgDays      *float64            `json:"avg_days"`
	AvgStatutory *float64            `json:"avg_statutory_days"`
	AvgPromised  *float64            `json:"avg_promised_days"`
}

// TierFigure counts the projects of one tier.
type TierFigure struct {
	Tier     domain.Tier `json:"tier"`
	Name     string      `json:"name"`
	Projects int         `json:"projects"`
	Link     string      `json:"link"`
}

// OrgFigure is one department's items and how many ran past the promised limit.
type OrgFigure struct {
	Org      string   `json:"org"`
	Open     int      `json:"open"`
	Decided  int      `json:"decided"`
	Late     int      `json:"late"`
	LateRate *float64 `json:"late_rate"`
	Link     string   `json:"link"`
}

// ParkFigure is a park's yearly plan and the investment reported in the year.
type ParkFigure struct {
	Park string        `json:"park"`
	Plan domain.Amount `json:"plan"`
	Done domain.Amount `json:"done"`
	Rate *float64      `json:"rate"`
	Link string        `json:"link"`
}

// MonthFigure is the investment reported in one month.
type MonthFigure struct {
	Month string        `json:"month"`
	Done  domain.Amount `json:"done"`
}

// ProjectFigures reads the figures of region (u's first scope when "") for leaders,
// dispatchers and administrators of it; year is YYYY (this year when "").
func (s *Service) ProjectFigures(ctx context.Context, u domain.User, region, year string) (ProjectFigures, error) {
	region, err := domain.ReportRegion(u, region, "project figures")
	if err != nil {
		return ProjectFigures{}, err
	}
	if year == "" {
		year = s.now().In(domain.China).Format("2006")
	}
	if _, err := time.Parse("2006", year); err != nil {
		return ProjectFigures{}, domain.Errorf(domain.EINVALID, "year must be YYYY")
	}
	raw, err := s.db.ProjectFigures(ctx, region, year)
	if err != nil {
		return ProjectFigures{}, err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return ProjectFigures{}, err
	}
	f := ProjectFigures{Region: region, Year: year, Links: map[string]string{}}
	link := func(kv ...string) string {
		q := "region=" + region
		for i := 0; i+1 < len(kv); i += 2 {
			q += "&" + kv[i] + "=" + url.QueryEscape(kv[i+1])
		}
		return q
	}
	f.stageFigures(raw, cal.DayMinutes(), link)
	for _, o := range raw.Orgs {
		f.Orgs = append(f.Orgs, OrgFigure{Org: o.Org, Open: o.Open, Decided: o.Decided, Late: o.Late,
			LateRate: domain.Ratio(o.Late, o.Open+o.Decided), Link: link("late_org", o.Org)})
	}
	f.StartRate, f.OpRate = domain.Ratio(f.Started, f.Signed), domain.Ratio(f.Operating, f.Signed)
	f.Links["signed"], f.Links["started"], f.Links["operating"], f.Links["late"] = link("signed", "1"), link("started", "1"), link("operating", "1"), link("late", "1")
	for _, p := range raw.Parks {
		f.Parks = append(f.Parks, ParkFigure{Park: p.Park, Plan: p.Plan, Done: p.Done, Rate: domain.Ratio(p.Done, p.Plan), Link: link("park", p.Park)})
	}
	for _, m := range raw.Months {
		f.Months = append(f.Months, MonthFigure{Month: m.Month, Done: m.Done})
	}
	return f, s.progressFigure(ctx, &f, cal, link)
}

// stageFigures fills the stages, the tiers and the counts of signed, started and
// operating projects.
func (f *ProjectFigures) stageFigures(raw store.ProjectFigures, dayMinutes int, link func(...string) string) {
	tiers := map[domain.Tier]int{}
	for i, st := range domain.Stages {
		sf := StageFigure{Stage: st, Name: domain.StageNames[st], ByTier: map[domain.Tier]int{}, Link: link("stage", string(st))}
		for t, n := range raw.ByStageTier[st] {
			sf.ByTier[t], sf.Projects, tiers[t] = n, sf.Projects+n, tiers[t]+n
		}
		for _, d := range raw.Stages {
			if d.Stage == st && d.Items > 0 {
				sf.Items = d.Items
				sf.AvgDays = avg(d.Minutes, int64(d.Items)*int64(dayMinutes))
				sf.AvgStatutory, sf.AvgPromised = avg(d.Statutory, int64(d.Items)), avg(d.Limit, int64(d.Items))
			}
		}
		if i >= domain.Stage("signed").Index() {
			f.Signed += sf.Projects
		}
		if i >= domain.Stage("started").Index() {
			f.Started += sf.Projects
		}
		if i >= domain.Stage("operating").Index() {
			f.Operating += sf.Projects
		}
		f.Stages = append(f.Stages, sf)
	}
	for _, t := range domain.Tiers {
		f.Tiers = append(f.Tiers, TierFigure{Tier: t, Name: domain.TierNames[t], Projects: tiers[t], Link: link("tier", string(t))})
	}
}

// avg is n/d with one decimal, rounded half up; nil when d is 0.
func avg(n, d int64) *float64 {
	if d <= 0 {
		return nil
	}
	v := float64((n*10+d/2)/d) / 10
	return &v
}

// ProjectTable is a project list as a table to download (XLSX or CSV).
func ProjectTable(ps []*domain.Project) [][]string {
	rows := [][]string{{"编号", "项目名称", "投资主体", "统一社会信用代码", "类型", "总投资（万元）", "年度计划（万元）", "用地（亩）",
		"园区", "区域", "重点级别", "服务等级", "阶段", "状态"}}
	for _, p := range ps {
		rows = append(rows, []string{fmt.Sprint(p.ID), p.Name, p.InvestorName, p.Investor, domain.ProjectKindNames[p.Kind], p.Total.String(),
			p.YearPlan.String(), p.Land.String(), p.Park, p.Region, domain.PriorityNames[p.Priority], domain.TierNames[p.Tier],
			domain.StageNames[p.Stage], string(p.Status)})
	}
	return rows
}
