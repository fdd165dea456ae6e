// Package service carries out what users ask: it authorises against the domain's rules,
// decides with the domain, and records with the store, one transaction per request.
// Transport calls it; it knows nothing of HTTP.
package service

import (
	"context"
	"fmt"
	"sync"
	"time"

	"whistle/domain"
	"whistle/passhash"
	"whistle/store"
)

// Service is Whistle's application layer over one database.
type Service struct {
	db       *store.DB
	TokenTTL time.Duration
	intake   groupCommit
	groups   struct {
		mu sync.Mutex
		gs *Groups
	}
	// SessionIdle ends a token before its TokenTTL when no request uses it for so long.
	SessionIdle time.Duration
	suggest     suggestCache // the 12345 seat's matter suggester (seat.go)
	// hub tells open pages of new notices (live.go), made at first use.
	hub     *noticeHub
	hubOnce sync.Once
	// qhub tells open queue pages of their queues' changes (live.go).
	qhub     *queueHub
	qhubOnce sync.Once
}

// New makes a service over db whose tokens live 12 hours (one working day and a bit) and
// end after 2 hours without a request.
func New(db *store.DB) *Service {
	return &Service{db: db, TokenTTL: 12 * time.Hour, SessionIdle: 2 * time.Hour}
}

func (s *Service) now() time.Time { return s.db.Now() }

// File files a new case: checked, numbered and recorded with its first event. Filings
// that arrive together share one commit (group commit); each is durable when answered.
// It is a report on its own: the channel rule decides who may (domain.MayFile).
func (s *Service) File(ctx context.Context, u domain.User, n domain.NewCase) (*domain.Case, error) {
	return s.file(ctx, u, n, domain.OnOwn)
}

// file files n as a report on its own or, for the service's own acts (a liaison visit,
// an inspection, a monitoring round), as part of the errand on that authorised u.
func (s *Service) file(ctx context.Context, u domain.User, n domain.NewCase, on domain.Errand) (*domain.Case, error) {
	if n.Region == "" && n.Lat != nil && n.Lon != nil { // a phone's position names the grid
		if r, err := s.db.Locate(ctx, *n.Lat, *n.Lon); err == nil {
			n.Region = r.Code
		}
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.db.Region(ctx, n.Region); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "unknown region %q", n.Region)
	}
	return s.fileChecked(ctx, u, n, time.Time{}, on)
}

// fileChecked files n, placed and checked by the caller, as found at found (zero: found
// when filed; see domain.Event.Found), as part of errand on.
func (s *Service) fileChecked(ctx context.Context, u domain.User, n domain.NewCase, found time.Time, on domain.Errand) (*domain.Case, error) {
	m, err := s.db.Matter(ctx, n.Matter)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "unknown matter %q", n.Matter)
	}
	dispatchers, err := s.db.Dispatchers(ctx, n.Region)
	if err != nil {
		return nil, err
	}
	var c *domain.Case
	err = s.intake.do(ctx, s.db, func(tx *store.Tx) error {
		filed, err := s.record(tx, u, n, m, found, on)
		if err != nil {
			return err
		}
		c = filed
		if err := tx.Notify(dispatchers, c.ID, "new_case", fmt.Sprintf("新工单 %s：%s", c.Number, c.Title)); err != nil {
			return err
		}
		return notifyAreaFollowers(tx, c, domain.Event{Action: domain.ActReport, ActorID: u.ID}) // follows.go
	})
	if err != nil {
		return nil, err
	}
	return s.view(u, c.AsStored())
}

// record files n as a new case in tx: its number (of the day it is entered), its intake
// event and its rows; found, when not zero, is when what it reports was found. Every
// case comes in here, whatever the door or the act, so here the one rule of who files
// by which channel is kept (domain.MayFile): a refusal writes nothing.
func (s *Service) record(tx *store.Tx, u domain.User, n domain.NewCase, m domain.Matter, found time.Time, on domain.Errand) (*domain.Case, error) {
	if err := domain.MayFile(u, n.Channel, n.Region, on); err != nil {
		return nil, err
	}
	now := s.now()
	number, err := tx.NextNumber(now)
	if err != nil {
		return nil, err
	}
	e := domain.Intake(u, n, number, m, now)
	e.Found(found)
	c := &domain.Case{}
	c.Apply(e)
	events := []domain.Event{e}
	if err := tx.Record(nil, c, events); err != nil {
		return nil, err
	}
	events[0].Seq = 1
	c.Events = events
	return c, nil
}

// Case reads a case the user may see, with events, personal data masked as their role
// requires; outside their scope it does not exist.
func (s *Service) Case(ctx context.Context, u domain.User, id int64) (*domain.Case, error) {
	c, err := s.db.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(u, c)
}

// view is c as u may see it: masked, or not found outside u's scope.
func (s *Service) view(u domain.User, c *domain.Case) (*domain.Case, error) {
	if !domain.Visible(u, c) {
		return nil, domain.Errorf(domain.ENOTFOUND, "case %d not found", c.ID)
	}
	c.MaskFor(u)
	return c, nil
}

// Cases lists the cases u may see that match f, masked for u.
func (s *Service) Cases(ctx context.Context, u domain.User, f domain.CaseFilter) ([]*domain.Case, int64, error) {
	cases, next, err := s.db.Cases(ctx, u, f)
	for _, c := range cases {
		c.MaskFor(u)
	}
	return cases, next, err
}

// Act carries out one action on a case: the case is read inside the write transaction,
// the domain decides, and the event, the new row, the deadlines, the rollup and the
// notices are written together or not at all.
func (s *Service) Act(ctx context.Context, u domain.User, id int64, cmd domain.Command) (*domain.Case, error) {
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(id)
		if err != nil {
			return err
		}
		env := domain.Env{Now: s.now(), OrgExists: tx.OrgExists}
		if env.Cal, err = tx.Calendar(); err != nil {
			return err
		}
		if env.Matter, err = tx.Matter(c.Matter); err != nil {
			return err
		}
		if cmd.Action == domain.ActMerge && cmd.Into != 0 {
			if into, err := tx.PeekCase(cmd.Into); err == nil {
				env.Into = into
			}
		}
		e, err := domain.Decide(u, c, cmd, env)
		if err != nil {
			return err
		}
		after := c.Clone()
		after.Apply(e)
		if err := tx.Record(c, after, []domain.Event{e}); err != nil {
			return err
		}
		if err := notifyAction(tx, after, e); err != nil {
			return err
		}
		if err := notifyFollowers(tx, after, e); err != nil { // follows.go
			return err
		}
		return notifyAreaFollowers(tx, after, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Case(ctx, u, id)
}

// notifyAction tells the orgs newly given work.
func notifyAction(tx *store.Tx, c *domain.Case, e domain.Event) error {
	var orgs []string
	var msg string
	switch e.Action {
	case domain.ActDispatch:
		orgs, msg = append([]string{e.Data.Org}, e.Data.CoOrgs...), fmt.Sprintf("派遣工单 %s：%s", c.Number, c.Title)
	case domain.ActWhistle:
		orgs, msg = e.Data.Orgs, fmt.Sprintf("吹哨报到 %s：%s", c.Number, c.Title)
	case domain.ActMerge: // both reporters learn where their report is handled
		into, err := tx.PeekCase(e.Data.Into)
		if err != nil {
			return err
		}
		var users []int64
		for _, id := range []int64{c.Reporter.UserID, into.Reporter.UserID} {
			if id != 0 {
				users = append(users, id)
			}
		}
		if err := tx.Notify(users, c.ID, "merged", fmt.Sprintf("工单 %s 与 %s 反映同一问题，已合并办理", c.Number, into.Number)); err != nil {
			return err
		}
		return tx.Notify(users, into.ID, "merged", fmt.Sprintf("工单 %s 已并入 %s 一并办理", c.Number, into.Number))
	case domain.ActSupervise, domain.ActInstruct:
		return notifyLeaderAction(tx, c, e)
	case domain.ActReturn, domain.ActExtendRequest:
		users, err := tx.Dispatchers(c.Region)
		if err != nil {
			return err
		}
		return tx.Notify(users, c.ID, string(e.Action), fmt.Sprintf("工单 %s %s：%s", c.Number, e.Action, e.Note))
	default:
		return nil
	}
	users, err := tx.Officers(orgs)
	if err != nil {
		return err
	}
	return tx.Notify(users, c.ID, string(e.Action), msg)
}

// AddUser creates or updates a user for the system (the command line, generated data);
// a non-empty password is hashed and replaces the old.
func (s *Service) AddUser(ctx context.Context, u domain.User, password string) (domain.User, error) {
	return s.putUser(ctx, domain.User{}, u, password, false)
}

// CreateUser creates a user whose login must be new, for the system.
func (s *Service) CreateUser(ctx context.Context, u domain.User, password string) (domain.User, error) {
	return s.putUser(ctx, domain.User{}, u, password, true)
}

// putUser creates or changes u for by, logged with what changed (a password only as
// set, a phone masked).
func (s *Service) putUser(ctx context.Context, by, u domain.User, password string, createOnly bool) (domain.User, error) {
	if createOnly && password == "" {
		return u, domain.Invalidf("user.password_needed", "a new user needs a password")
	}
	hash := ""
	if password != "" {
		if err := domain.ValidPassword(u.Login, password); err != nil {
			return u, err
		}
		var err error
		if hash, err = passhash.Hash(password); err != nil {
			return u, err
		}
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := prior(tx.UserByLogin(u.Login))
		if err != nil {
			return err
		}
		if err := tx.PutUser(&u, hash, createOnly); err != nil {
			return err
		}
		if u, err = tx.User(u.ID); err != nil {
			return err
		}
		c, action := domain.Change{Before: before, After: u}, "user.update"
		if before == nil {
			action = "user.create"
		}
		if hash != "" {
			c.Facts = map[string]any{"password": "set"}
		}
		return s.audit(ctx, tx, by, action, "user/"+u.Login, c)
	})
	return u, err
}
