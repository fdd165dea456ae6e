package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"whistle/domain"
	"whistle/store"
)

// channelMix is how cases reach a street office in a year (share in per mille).
var channelMix = []struct {
	ch    domain.Channel
	share int
}{{"grid_patrol", 400}, {"hotline", 250}, {"window", 90}, {"online", 100}, {"open311", 50}, {"cannot_do_window", 30}, {"liaison", 50}, {"inspection", 30}}

// sim walks one case through its life with the real domain rules and a simulated
// clock; nothing happens after now, so recent cases stay open.
type sim struct {
	rng    *rand.Rand
	cal    *domain.Calendar
	now    time.Time
	users  Users
	matter domain.Matter
	c      *domain.Case
	events []domain.Event
	into   *domain.Case
}

// do takes an action at time at, first marking the deadlines that passed before it as
// the sweeper would have. It reports false once the clock passes now.
func (s *sim) do(login string, at time.Time, cmd domain.Command) (bool, error) {
	s.sweepUntil(at)
	if at.After(s.now) {
		return false, nil
	}
	u, ok := s.users[login]
	if !ok {
		return false, fmt.Errorf("demo user %s missing", login)
	}
	cmd.Version = s.c.Version
	e, err := domain.Decide(u, s.c, cmd, domain.Env{Now: at, Cal: s.cal, Matter: s.matter, Into: s.into, OrgExists: func(string) bool { return true }})
	if err != nil {
		return false, fmt.Errorf("demo history %s %s: %w", s.c.Number, cmd.Action, err)
	}
	s.apply(e)
	return true, nil
}

func (s *sim) apply(e domain.Event) {
	s.c.Apply(e)
	s.events = append(s.events, e)
}

// sweepUntil marks each deadline that fell due before t, at its due time.
func (s *sim) sweepUntil(t time.Time) {
	if t.After(s.now) {
		t = s.now
	}
	for {
		p := s.c.Pending()
		if len(p) == 0 || !t.After(p[0].Due) {
			return
		}
		for _, e := range domain.Sweep(s.c, p[0].Due.Add(time.Second), domain.EscalateTo(s.c.Region)) {
			s.apply(e)
		}
	}
}

// after gives a time m working minutes after t.
func (s *sim) after(t time.Time, m int) time.Time { return s.cal.AddWorkingMinutes(t, m) }

// within gives a time inside (or, when late, past) a working window of d from t.
func (s *sim) within(t time.Time, d domain.Deadline, late bool) time.Time {
	window := s.cal.Minutes(d)
	f := 0.1 + 0.8*s.rng.Float64()
	if late {
		f = 1.1 + 1.5*s.rng.Float64()
	}
	return s.after(t, max(1, int(f*float64(window))))
}

func (s *sim) chance(p float64) bool { return s.rng.Float64() < p }

// life plays out a case after intake.
func (s *sim) life(t time.Time) error {
	disp := "demo.dispatcher"
	step := func(login string, at time.Time, cmd domain.Command) (bool, error) { return s.do(login, at, cmd) }
	t = s.after(t, 5+s.rng.IntN(60))
	switch r := s.rng.Float64(); {
	case r < 0.03:
		_, err := step(disp, t, domain.Command{Action: domain.ActReject, Reason: "不属于受理范围，已告知来电人通过司法途径解决"})
		return err
	case r < 0.05 && s.into != nil:
		_, err := step(disp, t, domain.Command{Action: domain.ActMerge, Into: s.into.ID, Note: "同一地点同一问题重复反映"})
		return err
	}
	if ok, err := step(disp, t, domain.Command{Action: domain.ActAccept}); !ok || err != nil {
		return err
	}
	lead := s.matter.LeadOrgFor(s.c.Region)
	t = s.after(t, 2+s.rng.IntN(20))
	if ok, err := step(disp, t, domain.Command{Action: domain.ActDispatch, Org: lead}); !ok || err != nil {
		return err
	}
	if s.chance(0.08) { // the department sends it back: not ours
		t = s.within(t, s.matter.AckDeadline, false)
		if ok, err := step("officer."+lead, t, domain.Command{Action: domain.ActReturn, Reason: "该事项不属于本单位职责范围"}); !ok || err != nil {
			return err
		}
		lead = otherOrg(s.rng, lead)
		t = s.after(t, 10+s.rng.IntN(60))
		if ok, err := step(disp, t, domain.Command{Action: domain.ActDispatch, Org: lead}); !ok || err != nil {
			return err
		}
	}
	officer := "officer." + lead
	type move struct {
		login string
		at    time.Time
		cmd   domain.Command
	}
	moves := []move{{officer, s.within(t, s.matter.AckDeadline, s.chance(0.08)), domain.Command{Action: domain.ActAcknowledge}}}
	if s.chance(0.06) { // 吹哨: several departments must report in
		orgs := []string{otherOrg(s.rng, lead), otherOrg(s.rng, lead)}
		if orgs[0] == orgs[1] {
			orgs = orgs[:1]
		}
		if ok, err := step(disp, t, domain.Command{Action: domain.ActWhistle, Orgs: orgs, Hours: 4}); !ok || err != nil {
			return err
		}
		for _, o := range orgs {
			if !s.chance(0.05) { // a few never report in
				moves = append(moves, move{"officer." + o, s.within(t, domain.Deadline{N: 4, Unit: domain.UnitHour}, s.chance(0.12)), domain.Command{Action: domain.ActReportIn, Org: o}})
			}
		}
	}
	slices.SortStableFunc(moves, func(a, b move) int { return a.at.Compare(b.at) })
	for _, mv := range moves {
		if ok, err := step(mv.login, mv.at, mv.cmd); !ok || err != nil {
			return err
		}
		t = mv.at
	}
	t = s.after(t, 10+s.rng.IntN(120))
	if ok, err := step(officer, t, domain.Command{Action: domain.ActStart}); !ok || err != nil {
		return err
	}
	if s.chance(0.04) {
		t = s.after(t, 60)
		if ok, err := step(officer, t, domain.Command{Action: domain.ActExtend, WorkingDays: 3, Reason: "需协调产权单位，申请延期"}); !ok || err != nil {
			return err
		}
		t = s.after(t, 30)
		if ok, err := step(disp, t, domain.Command{Action: domain.ActExtend}); !ok || err != nil {
			return err
		}
	}
	late := s.chance(0.13)
	for round := 0; ; round++ {
		t = s.within(t, s.matter.Deadline, late)
		if ok, err := step(officer, t, domain.Command{Action: domain.ActResolve, Result: "已现场处置完毕，问题已解决，并向反映人反馈"}); !ok || err != nil {
			return err
		}
		t = s.after(t, 60+s.rng.IntN(8*60))
		if round == 0 && s.chance(0.04) {
			if ok, err := step(disp, t, domain.Command{Action: domain.ActReopen, Note: "现场核查问题仍存在"}); !ok || err != nil {
				return err
			}
			late = false
			continue
		}
		break
	}
	if ok, err := step(disp, t, domain.Command{Action: domain.ActVerify, Note: "现场核查属实"}); !ok || err != nil {
		return err
	}
	sat := domain.Satisfied
	if r := s.rng.Float64(); r < 0.06 {
		sat = domain.Dissatisfied
	} else if r < 0.20 {
		sat = domain.BasicallySatisfied
	}
	t = s.after(t, 30+s.rng.IntN(7*60))
	if ok, err := step(disp, t, domain.Command{Action: domain.ActVisit, Satisfaction: sat}); !ok || err != nil {
		return err
	}
	_, err := step(disp, s.after(t, 5), domain.Command{Action: domain.ActClose})
	return err
}

// residents are the reporters' names in the generated history.
var residents = []string{"王秀英", "李建华", "张桂兰", "刘志强", "陈淑芬", "杨国平", "赵丽娟", "黄建军", "周红梅", "吴德明",
	"徐晓燕", "孙伟", "胡春生", "朱海燕", "高志勇", "林小梅", "何建国", "郭玉兰", "马俊", "罗美华"}

var allOrgs = []string{"LT-JDB", "LT-ZFDD", "LT-SJS", "LT-PCS", "LY-YJJ", "LY-ZJJ", "LY-XFJY", "LY-SJJ", "LY-CGJ", "LY-ZRJ", "LY-HBJ", "LY-JTJ", "LY-GDGS", "LY-ZLS", "LY-RQGS"}

func otherOrg(rng *rand.Rand, not string) string {
	for {
		if o := allOrgs[rng.IntN(len(allOrgs))]; o != not {
			return o
		}
	}
}

// History generates n cases received over the year before the database's now in the
// demo street's grids (see Generate), and refreshes the case tables' statistics.
func History(ctx context.Context, db *store.DB, matters []domain.Matter, users Users, n int) error {
	places, err := db.RegionsAt(ctx, Street, 15)
	if err != nil {
		return err
	}
	if err := Generate(ctx, db, Spec{Cases: n, Places: places, Matters: matters, Users: users}); err != nil || n == 0 {
		return err
	}
	// as after gen: on PostgreSQL the vacuum marks the new pages all-visible, which the
	// lists' index-only reads need, and the planner learns the demo's distributions
	return db.Analyze(ctx, append(slices.Clip(store.RecordNewTables), "case_rollup")...)
}

func pickChannel(rng *rand.Rand) domain.Channel {
	r := rng.IntN(1000)
	for _, c := range channelMix {
		if r < c.share {
			return c.ch
		}
		r -= c.share
	}
	return "online"
}

// subtree lists the regions under root whose codes are at least minLen long.
func subtree(ctx context.Context, db *store.DB, root string, minLen int) ([]domain.Region, error) {
	var out []domain.Region
	queue := []string{root}
	for len(queue) > 0 {
		kids, err := db.Children(ctx, queue[0])
		if err != nil {
			return nil, err
		}
		queue = queue[1:]
		for _, k := range kids {
			if len(k.Code) >= minLen {
				out = append(out, k)
			}
			queue = append(queue, k.Code)
		}
	}
	return out, nil
}
