package service

import (
	"context"
	"sync"
	"time"

	"whistle/domain"
	"whistle/store"
)

// Live updates (issue 21): a page open in a browser is told when its user is given a
// notice. A commit that gives notices tells this process's hub at once (store
// OnNotices); notices given by another server are found by a short poll of the
// user's newest notice id, one index probe.

// noticeHub fans commits' notices out to the watchers of each user.
type noticeHub struct {
	mu       sync.Mutex
	watchers map[int64]map[chan struct{}]bool
}

func (h *noticeHub) publish(users []int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range users {
		for ch := range h.watchers[u] {
			select {
			case ch <- struct{}{}:
			default: // a wake-up is already waiting
			}
		}
	}
}

// hub is the service's hub, made and joined to the database's commits at first use.
func (s *Service) noticeHub() *noticeHub {
	s.hubOnce.Do(func() {
		s.hub = &noticeHub{watchers: map[int64]map[chan struct{}]bool{}}
		s.db.OnNotices(s.hub.publish)
	})
	return s.hub
}

// LivePoll is how often a watch also polls the user's newest notice, for notices given
// by another server.
const LivePoll = 5 * time.Second

// WatchNotices tells, on the channel it gives, the ids of u's newest notice each time
// it changes (first the newest at the start), until ctx ends. Every signed-in user
// may watch their own.
func (s *Service) WatchNotices(ctx context.Context, u domain.User) (<-chan int64, error) {
	if u.ID == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "notices are for signed-in users")
	}
	last, err := s.db.LatestNotice(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	h := s.noticeHub()
	wake := make(chan struct{}, 1)
	h.mu.Lock()
	if h.watchers[u.ID] == nil {
		h.watchers[u.ID] = map[chan struct{}]bool{}
	}
	h.watchers[u.ID][wake] = true
	h.mu.Unlock()
	out := make(chan int64, 1)
	out <- last
	go func() {
		defer func() {
			h.mu.Lock()
			delete(h.watchers[u.ID], wake)
			if len(h.watchers[u.ID]) == 0 {
				delete(h.watchers, u.ID)
			}
			h.mu.Unlock()
			close(out)
		}()
		poll := time.NewTicker(LivePoll)
		defer poll.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-poll.C:
			}
			id, err := s.db.LatestNotice(ctx, u.ID)
			if err != nil || id == last {
				continue
			}
			last = id
			select {
			case out <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// queueHub fans commits' queue changes out to the watchers of each queue (keys
// "org:CODE", "region:CODE", store.queueChanges), each watcher with its user: a change
// is not told to the pages of the user who made it (the page shows the act's outcome
// in place; a reload would take the row away under them).
type queueHub struct {
	mu       sync.Mutex
	watchers map[string]map[chan struct{}]int64
}

func (h *queueHub) publish(changes []store.QueueChange) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range changes {
		for ch, user := range h.watchers[c.Key] {
			if user == c.Actor {
				continue
			}
			select {
			case ch <- struct{}{}:
			default: // a wake-up is already waiting
			}
		}
	}
}

// queueHub is the service's hub of queue changes, made and joined to the database's
// commits at first use.
func (s *Service) queueHub() *queueHub {
	s.qhubOnce.Do(func() {
		s.qhub = &queueHub{watchers: map[string]map[chan struct{}]int64{}}
		s.db.OnQueues(s.qhub.publish)
	})
	return s.qhub
}

// WatchQueues tells, on the channel it gives, each time one of u's queues changes in
// this process, until ctx ends; the channel is closed then. An officer's queues are
// their orgs' (a case coming into or leaving one, or changing status there), a
// dispatcher's the regions they hold (a case filed, changing status, running late or
// asking for more time there or below). Changes made by another server reach the page
// by its own poll. A user of neither watches nothing (the channel stays silent).
func (s *Service) WatchQueues(ctx context.Context, u domain.User) (<-chan struct{}, error) {
	if u.ID == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "queues are for signed-in users")
	}
	var keys []string
	for _, o := range domain.UserOrgs(u) {
		keys = append(keys, "org:"+o)
	}
	for _, g := range u.Grants {
		if g.Role == domain.RoleDispatcher && g.Region != "" {
			keys = append(keys, "region:"+g.Region)
		}
	}
	h := s.queueHub()
	wake := make(chan struct{}, 1)
	h.mu.Lock()
	for _, k := range keys {
		if h.watchers[k] == nil {
			h.watchers[k] = map[chan struct{}]int64{}
		}
		h.watchers[k][wake] = u.ID
	}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		for _, k := range keys {
			delete(h.watchers[k], wake)
			if len(h.watchers[k]) == 0 {
				delete(h.watchers, k)
			}
		}
		h.mu.Unlock()
		close(wake) // no publish sends to it any more
	}()
	return wake, nil
}
