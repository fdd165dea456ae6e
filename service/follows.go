package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// Following a case (FixMyStreet's alerts, issue 21): anyone who sees a case — staff
// in its scope, the citizen who reported it — may follow it and is then given a
// "progress" notice at each step others take on it, which their message preferences
// may send on by e-mail, SMS or WeChat.

// progressSteps are the steps a follower hears of.
var progressSteps = map[domain.Action]string{
	domain.ActAccept: "已受理", domain.ActReject: "不予受理", domain.ActDispatch: "已派遣", domain.ActWhistle: "已吹哨",
	domain.ActAcknowledge: "已签收", domain.ActReturn: "已退回", domain.ActResolve: "已办结", domain.ActVerify: "已核查",
	domain.ActReopen: "重新办理", domain.ActClose: "已结案", domain.ActMerge: "已合并", domain.ActEscalate: "已升级",
	domain.ActSupervise: "领导督办", domain.ActSuspend: "已挂起", domain.ActResume: "已恢复办理",
}

// FollowingCase tells whether u follows case id (which u must see).
func (s *Service) FollowingCase(ctx context.Context, u domain.User, id int64) (bool, error) {
	if _, err := s.Case(ctx, u, id); err != nil {
		return false, err
	}
	return s.db.Follows(ctx, id, u.ID)
}

// FollowCase has u follow case id (on) or stop (u must see it).
func (s *Service) FollowCase(ctx context.Context, u domain.User, id int64, on bool) error {
	if _, err := s.Case(ctx, u, id); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.Follow(id, u.ID, on) })
}

// notifyFollowers gives the case's followers but the actor a progress notice of e.
func notifyFollowers(tx *store.Tx, c *domain.Case, e domain.Event) error {
	step, ok := progressSteps[e.Action]
	if !ok {
		return nil
	}
	if err := receiptProgress(tx, c, step); err != nil { // receipts.go
		return err
	}
	users, err := tx.Followers(c.ID)
	if err != nil || len(users) == 0 {
		return err
	}
	var to []int64
	for _, u := range users {
		if u != e.ActorID {
			to = append(to, u)
		}
	}
	return tx.Notify(to, c.ID, "progress", fmt.Sprintf("您关注的工单 %s %s：%s", c.Number, step, c.Title))
}

// Following a region or a matter (issue 21): a leader, dispatcher or administrator
// follows a region in their scope, or one matter in it, and is given an "area" notice
// when a case is filed there, first runs late (its first overdue mark) or is closed —
// three moments a leader acts on, not every step (a flood would be muted). The
// followers are read in the transaction that writes the case (tx.AreaFollowers: an
// indexed read per level of the region), and a follower who no longer holds the region
// hears nothing.

// areaMoments are the steps area followers hear of, by what they say.
var areaMoments = map[domain.Action]string{
	domain.ActReport: "新工单", domain.ActOverdueAck: "签收超时", domain.ActOverdueResolve: "办理超时", domain.ActClose: "已结案",
}

// AreaFollows lists what u follows (u's own).
func (s *Service) AreaFollows(ctx context.Context, u domain.User) ([]domain.AreaFollow, error) {
	if u.ID == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "follows are for signed-in users")
	}
	return s.db.AreaFollows(ctx, u.ID)
}

// FollowArea has u follow region f.Region, or matter f.Matter in it (on), or stop.
// Following needs a leader's, dispatcher's or administrator's grant over the region
// (403 area.scope otherwise); stopping is always allowed. Audited.
func (s *Service) FollowArea(ctx context.Context, u domain.User, f domain.AreaFollow, on bool) error {
	if u.ID == 0 {
		return domain.Errorf(domain.EFORBIDDEN, "follows are for signed-in users")
	}
	f = domain.AreaFollow{Region: strings.TrimSpace(f.Region), Matter: strings.TrimSpace(f.Matter)}
	if on {
		if _, err := s.db.Region(ctx, f.Region); err != nil {
			return domain.Invalidf("area.region", "unknown region %q", f.Region)
		}
		if f.Matter != "" {
			if _, err := s.db.Matter(ctx, f.Matter); err != nil {
				return domain.Invalidf("area.matter", "unknown matter %q", f.Matter)
			}
		}
		if !domain.MayFollowArea(u, f.Region) {
			return &domain.Error{Code: domain.EFORBIDDEN, Key: "area.scope", Message: fmt.Sprintf("region %s is not in your scope: leaders, dispatchers and administrators follow the regions they hold", f.Region)}
		}
	}
	action := "follow.area"
	if !on {
		action = "follow.area_stop"
	}
	return s.audited(ctx, u, action, "region/"+f.Region, func(tx *store.Tx) (domain.Change, error) {
		if on {
			n, err := tx.AreaFollowCount(u.ID)
			if err != nil {
				return domain.Change{}, err
			}
			if n >= domain.MaxAreaFollows {
				return domain.Change{}, domain.Invalidf("area.too_many", "at most %d regions and matters followed", domain.MaxAreaFollows)
			}
		}
		return domain.Change{After: map[string]string{"region": f.Region, "matter": f.Matter}}, tx.FollowArea(u.ID, f, on)
	})
}

// FollowingArea tells whether u follows region (all its matters).
func (s *Service) FollowingArea(ctx context.Context, u domain.User, region string) (bool, error) {
	fs, err := s.AreaFollows(ctx, u)
	for _, f := range fs {
		if f.Region == region && f.Matter == "" {
			return true, err
		}
	}
	return false, err
}

// notifyAreaFollowers gives the followers of c's region and matter but the actor an
// "area" notice of e, when e is one of the moments they hear of.
func notifyAreaFollowers(tx *store.Tx, c *domain.Case, e domain.Event) error {
	what, ok := areaMoments[e.Action]
	if !ok {
		return nil
	}
	users, err := tx.AreaFollowers(c.Region, c.Matter)
	if err != nil || len(users) == 0 {
		return err
	}
	to := slices.DeleteFunc(users, func(id int64) bool { return id == e.ActorID && id != 0 })
	return tx.Notify(to, c.ID, "area", fmt.Sprintf("您关注的区域%s %s：%s", what, c.Number, c.Title))
}

// notifyAreaLate tells the area's followers once of a sweep's marks on c: of its first
// missed signing or resolving deadline, whichever org missed it (the lead's and the
// co-orgs' marks of one sweep make one notice).
func notifyAreaLate(tx *store.Tx, c *domain.Case, events []domain.Event) error {
	for _, e := range events {
		if _, ok := areaMoments[e.Action]; ok {
			return notifyAreaFollowers(tx, c, e)
		}
	}
	return nil
}

// AreaFollowState tells whether u follows region (all its matters) and whether u may
// follow it: what a page's follow button shows.
func (s *Service) AreaFollowState(ctx context.Context, u domain.User, region string) (following, may bool, err error) {
	following, err = s.FollowingArea(ctx, u, region)
	return following, domain.MayFollowArea(u, region), err
}

// FollowsAreas tells whether u holds a grant that may follow some region (the
// preferences page offers its form of follows then).
func FollowsAreas(u domain.User) bool {
	for _, g := range u.Grants {
		if slices.Contains(domain.AreaFollowRoles, g.Role) {
			return true
		}
	}
	return false
}
