package service

import (
	"context"
	"fmt"

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
