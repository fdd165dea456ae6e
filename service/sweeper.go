package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"whistle/domain"
	"whistle/store"
)

// SweepBatch is how many falling-due cases one sweep transaction takes.
const SweepBatch = 200

// Sweep marks the deadlines passed by now, writes their events, notifies and escalates.
// It reads only the deadlines falling due (an index on due time), so its cost follows
// them, not the number of cases. Each case is re-read and re-decided inside the write
// transaction, and a marked deadline leaves the index, so sweeping twice, or from two
// processes at once, marks and escalates each deadline once. It returns the number of
// events written.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	total := 0
	if due, err := s.db.AnyDue(ctx, s.now().Unix()); err != nil || !due {
		return 0, err
	}
	for {
		n, more := 0, false
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			now := s.now()
			due, err := tx.DueCases(now.Unix(), SweepBatch)
			if err != nil {
				return err
			}
			// the batch limits deadline rows, not cases: a case with two due deadlines
			// makes a full batch name fewer cases, so go on while cases were found
			more = len(due) > 0
			for _, c := range due {
				events := domain.Sweep(c, now, domain.EscalateTo(c.Region))
				if len(events) == 0 {
					continue
				}
				after := c.Clone()
				for _, e := range events {
					after.Apply(e)
				}
				if err := tx.Record(c, after, events); err != nil {
					return err
				}
				if err := notifyOverdue(tx, after, events); err != nil {
					return err
				}
				if err := notifyAreaLate(tx, after, events); err != nil { // follows.go
					return err
				}
				n += len(events)
			}
			return nil
		})
		total += n
		if err != nil || !more || n == 0 {
			return total, err
		}
	}
}

// notifyOverdue tells who answers for the missed deadlines, read in the sweep's own
// transaction: the case's dispatchers and the org's officers, or for an escalation the
// dispatchers of the region it goes to.
func notifyOverdue(tx *store.Tx, c *domain.Case, events []domain.Event) error {
	for _, e := range events {
		var users []int64
		var err error
		msg := map[domain.Action]string{
			domain.ActOverdueAck:       "签收超时",
			domain.ActOverdueResolve:   "办理超时",
			domain.ActOverdueReportIn:  "报到超时",
			domain.ActEscalate:         "超时升级督办",
			domain.ActOverdueSupervise: "领导督办超期",
		}[e.Action]
		switch {
		case e.Action == domain.ActEscalate:
			users, err = tx.EscalationDispatchers(e.Data.Region)
		case e.Action == domain.ActOverdueSupervise: // the lead org, and the leader who supervised
			if users, err = tx.Officers([]string{c.LeadOrg}); err == nil && c.Supervision != nil && c.Supervision.ByID != 0 {
				users = append(users, c.Supervision.ByID)
			}
		default:
			var officers []int64
			if users, err = tx.Dispatchers(c.Region); err == nil {
				officers, err = tx.Officers([]string{e.Data.Org})
				users = append(users, officers...)
			}
		}
		if err != nil {
			return err
		}
		if err := tx.Notify(users, c.ID, string(e.Action), fmt.Sprintf("工单 %s %s：%s", c.Number, msg, c.Title)); err != nil {
			return err
		}
	}
	return nil
}

// RunSweeper sweeps every interval until ctx ends: the named background job of serve.
// The cases' deadlines first, then the projects' late approval items (SweepProjects)
// and missing monthly reports (SweepProgress).
func (s *Service) RunSweeper(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.Error("sweeper", "err", err)
		} else if n > 0 {
			log.Info("sweeper marked deadlines", "events", n)
		}
		if _, err := s.SweepRect(ctx); err != nil && ctx.Err() == nil { // 督查整改: what fell due
			log.Error("rectification sweeper", "err", err)
		}
		if _, err := s.SweepLand(ctx); err != nil && ctx.Err() == nil { // 土地承包经营权登记: applications past their limit
			log.Error("land sweeper", "err", err)
		}
		if n, err := s.SweepProjects(ctx); err != nil && ctx.Err() == nil {
			log.Error("sweeper: projects", "err", err)
		} else if n > 0 {
			log.Info("sweeper flagged late approval items", "items", n)
		}
		if n, err := s.SweepProgress(ctx); err != nil && ctx.Err() == nil { // 月度进展 missing
			log.Error("sweeper: project progress", "err", err)
		} else if n > 0 {
			log.Info("sweeper flagged missing monthly progress", "projects", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
