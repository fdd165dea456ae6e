package domain

import (
	"strings"
	"time"
)

// PatrolPlan says who patrols what how often (巡查计划): an org's linked department
// twice a month in a community, a grid worker daily in a grid, a leader monthly in the
// street. It generates one PatrolTask per required patrol; patrol records close them.
type PatrolPlan struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"` // department, grid, leader
	Org    string `json:"org,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
	Region string `json:"region"` // where: a community, a grid, a street
	Times  int    `json:"times"`  // patrols required per period
	Period string `json:"period"` // day, week, month
	// Checklist is the patrol checklist answered on each patrol, 0 for none.
	Checklist int64  `json:"checklist,omitempty"`
	From      string `json:"from"` // YYYY-MM-DD
	To        string `json:"to"`   // YYYY-MM-DD, inclusive
	Linkage   int64  `json:"linkage,omitempty"`
}

// PatrolKinds are the kinds of plan, and who carries them out: a department (any of its
// officers), a grid worker, a leader (the named user).
var PatrolKinds = []string{"department", "grid", "leader"}

// PatrolPeriods are the periods a plan counts patrols in.
var PatrolPeriods = []string{"day", "week", "month"}

// MaxPlanDays bounds a plan's span, so the tasks one plan makes stay a few thousand.
const MaxPlanDays = 2 * 366

// Validate checks a plan's own fields; org, user and region existence is the caller's.
func (p *PatrolPlan) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || len([]rune(p.Name)) > 200 {
		return Errorf(EINVALID, "a patrol plan needs a name of at most 200 characters")
	}
	if !oneOf(p.Kind, PatrolKinds) {
		return Errorf(EINVALID, "kind must be department, grid or leader")
	}
	if p.Kind == "department" && p.Org == "" {
		return Errorf(EINVALID, "a department plan needs an org")
	}
	if p.Kind != "department" && p.UserID == 0 {
		return Errorf(EINVALID, "a %s plan needs a user_id", p.Kind)
	}
	if _, err := LevelOf(p.Region); err != nil || p.Region == "" {
		return Errorf(EINVALID, "plan region %q is not a region code", p.Region)
	}
	if !oneOf(p.Period, PatrolPeriods) {
		return Errorf(EINVALID, "period must be day, week or month")
	}
	if p.Times < 1 || p.Times > 31 {
		return Errorf(EINVALID, "times must be between 1 and 31")
	}
	from, err1 := time.ParseInLocation("2006-01-02", p.From, China)
	to, err2 := time.ParseInLocation("2006-01-02", p.To, China)
	if err1 != nil || err2 != nil || to.Before(from) {
		return Errorf(EINVALID, "from and to must be dates YYYY-MM-DD, to not before from")
	}
	if to.Sub(from) > MaxPlanDays*24*time.Hour {
		return Errorf(EINVALID, "a plan spans at most two years; make another for later")
	}
	return nil
}

// PatrolTask is one patrol a plan requires in one period: due by the period's end.
type PatrolTask struct {
	ID       int64      `json:"id"`
	PlanID   int64      `json:"plan_id"`
	Region   string     `json:"region"`
	Org      string     `json:"org,omitempty"`
	UserID   int64      `json:"user_id,omitempty"`
	Start    time.Time  `json:"start"`
	Due      time.Time  `json:"due"`
	Seq      int        `json:"seq"` // 1..Times within the period
	PatrolID int64      `json:"patrol_id,omitempty"`
	DoneAt   *time.Time `json:"done_at,omitempty"`
}

// Status tells where a task stands at now: open, done (on time), late (done after it
// was due) or missed (due and not done).
func (t PatrolTask) Status(now time.Time) string {
	switch {
	case t.DoneAt != nil && t.DoneAt.After(t.Due):
		return "late"
	case t.DoneAt != nil:
		return "done"
	case !now.Before(t.Due):
		return "missed"
	}
	return "open"
}

// periodStart gives the start of the period holding t.
func periodStart(period string, t time.Time) time.Time {
	y, m, d := t.In(China).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, China)
	switch period {
	case "week": // weeks start on Monday
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, China)
	}
	return day
}

func periodEnd(period string, start time.Time) time.Time {
	switch period {
	case "week":
		return start.AddDate(0, 0, 7)
	case "month":
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// Tasks makes the plan's tasks: Times for each period from From to To. A period cut by
// the plan's start or end is required in full only if the plan covers most of it.
func (p PatrolPlan) Tasks() []PatrolTask {
	from, _ := time.ParseInLocation("2006-01-02", p.From, China)
	to, _ := time.ParseInLocation("2006-01-02", p.To, China)
	end := to.AddDate(0, 0, 1)
	var out []PatrolTask
	for s := periodStart(p.Period, from); s.Before(end); s = periodEnd(p.Period, s) {
		e := periodEnd(p.Period, s)
		covered := Earlier(e, end).Sub(Later(s, from))
		if covered*2 < e.Sub(s) {
			continue
		}
		for i := 1; i <= p.Times; i++ {
			out = append(out, PatrolTask{PlanID: p.ID, Region: p.Region, Org: p.Org, UserID: p.UserID, Start: Later(s, from),
				Due: Earlier(e, end), Seq: i})
		}
	}
	return out
}

// Earlier is the earlier of two instants.
func Earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Later is the later of two instants.
func Later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Patrol is one patrol record (巡查记录): who went where and when, the route walked or
// the position, the checklist answers, photos, and the hazards found (as cases).
type Patrol struct {
	ID         int64             `json:"id"`
	TaskID     int64             `json:"task_id,omitempty"`
	PlanID     int64             `json:"plan_id,omitempty"`
	UserID     int64             `json:"user_id"`
	UserName   string            `json:"user_name,omitempty"`
	Org        string            `json:"org,omitempty"`
	Region     string            `json:"region"`
	StartedAt  time.Time         `json:"started_at"`
	EndedAt    time.Time         `json:"ended_at"`
	Lat        *float64          `json:"lat,omitempty"`
	Lon        *float64          `json:"lon,omitempty"`
	Route      []RoutePoint      `json:"route,omitempty"`
	Checklist  int64             `json:"checklist,omitempty"`
	Answers    []ChecklistAnswer `json:"answers"`
	Photos     []string          `json:"photos"`
	Note       string            `json:"note,omitempty"`
	Late       bool              `json:"late"`
	HazardIDs  []int64           `json:"hazard_case_ids"`
	RecordedAt time.Time         `json:"recorded_at"`
}

// RoutePoint is one position of a patrol route.
type RoutePoint struct {
	Lat float64   `json:"lat"`
	Lon float64   `json:"lon"`
	At  time.Time `json:"at,omitempty"`
}

// Limits of one patrol record: photos are small data URLs taken on a phone.
const (
	MaxPatrolPhotos   = 9
	MaxPhotoBytes     = 300 << 10
	MaxRoutePoints    = 2000
	MaxPatrolFindings = 20
)

// Validate checks a patrol's own fields; answers are checked against the checklist by
// the caller (Checklist.CheckAnswers).
func (p *Patrol) Validate(now time.Time) error {
	p.Note = strings.TrimSpace(p.Note)
	if _, err := LevelOf(p.Region); err != nil || p.Region == "" {
		return Errorf(EINVALID, "patrol region %q is not a region code", p.Region)
	}
	if p.StartedAt.IsZero() || p.EndedAt.IsZero() || p.EndedAt.Before(p.StartedAt) || p.EndedAt.Sub(p.StartedAt) > 24*time.Hour {
		return Errorf(EINVALID, "started_at and ended_at are required, ended_at within a day after started_at")
	}
	if p.EndedAt.After(now.Add(10 * time.Minute)) {
		return Errorf(EINVALID, "a patrol cannot end in the future")
	}
	if (p.Lat == nil) != (p.Lon == nil) || (p.Lat != nil && !validLatLon(*p.Lat, *p.Lon)) {
		return Errorf(EINVALID, "lat and lon go together and must be in range")
	}
	if len(p.Route) > MaxRoutePoints {
		return Errorf(EINVALID, "a route has at most %d points", MaxRoutePoints)
	}
	for _, pt := range p.Route {
		if !validLatLon(pt.Lat, pt.Lon) {
			return Errorf(EINVALID, "route point out of range")
		}
	}
	if p.Lat == nil && len(p.Route) > 0 { // the position is where the route began
		p.Lat, p.Lon = &p.Route[0].Lat, &p.Route[0].Lon
	}
	if len(p.Note) > 5000 {
		return Errorf(EINVALID, "note is longer than 5000 characters")
	}
	if p.Photos == nil {
		p.Photos = []string{}
	}
	return ValidPhotos(p.Photos)
}

// ValidPhotos checks photos sent inline: at most nine JPEG, PNG or WebP data URLs.
func ValidPhotos(photos []string) error {
	if len(photos) > MaxPatrolPhotos {
		return Errorf(EINVALID, "at most %d photos", MaxPatrolPhotos)
	}
	for _, ph := range photos {
		if len(ph) > MaxPhotoBytes*4/3+64 {
			return Errorf(EINVALID, "a photo is larger than %d KB", MaxPhotoBytes>>10)
		}
		ok := false
		for _, pre := range []string{"data:image/jpeg;base64,", "data:image/png;base64,", "data:image/webp;base64,"} {
			ok = ok || strings.HasPrefix(ph, pre)
		}
		if !ok {
			return Errorf(EINVALID, "photos must be JPEG, PNG or WebP data URLs")
		}
	}
	return nil
}

func validLatLon(lat, lon float64) bool { return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 }

// MatchTask picks the open task a patrol at time at closes: the open task of the period
// holding at (lowest seq first). It answers -1 when every task of that period is done.
func MatchTask(tasks []PatrolTask, at time.Time) int {
	best := -1
	for i, t := range tasks {
		if t.DoneAt != nil || at.Before(t.Start) || !at.Before(t.Due) {
			continue
		}
		if best < 0 || t.Due.Before(tasks[best].Due) || (t.Due.Equal(tasks[best].Due) && t.Seq < tasks[best].Seq) {
			best = i
		}
	}
	return best
}

// CanPatrol tells whether u carries out plan p: the plan's own user, or an officer of a
// department plan's org.
func CanPatrol(u User, p PatrolPlan) bool {
	if p.UserID != 0 && p.UserID == u.ID {
		return true
	}
	if p.Kind == "department" {
		for _, o := range UserOrgs(u) {
			if o == p.Org {
				return true
			}
		}
	}
	return false
}

// CanRecordPatrol tells whether u may record a patrol in region without a plan: the
// region-bound roles that patrol (grid workers, building heads, volunteers, leaders,
// dispatchers) within their region.
func CanRecordPatrol(u User, region string) bool {
	for _, g := range u.Grants {
		switch g.Role {
		case RoleGridWorker, RoleBuildingHead, RoleVolunteer, RoleLeader, RoleDispatcher, RoleAdmin:
			if Within(region, g.Region) {
				return true
			}
		}
	}
	return false
}

// CanFileFinding tells whether u may file a hazard found in region on a patrol of plan
// (nil for a patrol without a plan): whoever may record the patrol there may file what
// it found there (the plan's patroller within the plan's region, or a role that patrols
// region without a plan, leaders included), and so may whoever may report a patrol's
// case there on their own (MayFile by the grid_patrol channel: not an officer, a citizen
// or a helper, whom CanFile alone lets report anywhere). A refusal is EFORBIDDEN.
func CanFileFinding(u User, region string, plan *PatrolPlan) error {
	if plan != nil && CanPatrol(u, *plan) && Within(region, plan.Region) {
		return nil
	}
	if CanRecordPatrol(u, region) {
		return nil
	}
	return MayFile(u, "grid_patrol", region, OnOwn)
}

// SeesPatrolsOf tells whether u may see the patrols, plans and compliance of region
// and org: region-bound roles in their subtree, officers for their org.
func SeesPatrolsOf(u User, region, org string) bool {
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader, RoleDispatcher, RoleGridWorker:
			if Within(region, g.Region) {
				return true
			}
		case RoleOfficer:
			if org != "" && g.Org == org {
				return true
			}
		}
	}
	return false
}

// PatrolCompliance is how well a group (an org, a community, a person) kept its patrol
// plans over a period: tasks due, done on time, done late, missed, still open.
type PatrolCompliance struct {
	Key     string `json:"key"`
	Name    string `json:"name,omitempty"`
	Planned int    `json:"planned"`
	OnTime  int    `json:"on_time"`
	Late    int    `json:"late"`
	Missed  int    `json:"missed"`
	Open    int    `json:"open"`
	// Rate is (on time + late) / tasks no longer open (period ended or done), a Ratio;
	// null while none is.
	Rate *float64 `json:"rate"`
}

// Add counts one task at now.
func (c *PatrolCompliance) Add(t PatrolTask, now time.Time) {
	c.Planned++
	switch t.Status(now) {
	case "done":
		c.OnTime++
	case "late":
		c.Late++
	case "missed":
		c.Missed++
	default:
		c.Open++
	}
	c.Rate = Ratio(c.OnTime+c.Late, c.Planned-c.Open)
}

// PlanFilter selects patrol plans; empty fields do not filter.
type PlanFilter struct {
	Region string // plans whose region lies in this subtree
	Org    string
	UserID int64
}

// PatrolFilter selects patrol records: in a region subtree, of a user or org, started in
// [From, To), newest first, ids below After.
type PatrolFilter struct {
	Region   string
	UserID   int64
	Org      string
	From, To time.Time
	After    int64
	Limit    int
}
