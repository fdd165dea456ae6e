package service

import (
	"context"
	"fmt"

	"whistle/domain"
	"whistle/store"
)

// 月度进展 missing: a project under construction reports every month, by the fifth
// working day of the next (domain.ProgressDeadline). The lists, the project's page and
// the leaders' figures show the projects whose last month due is missing; the sweeper
// flags each such month once and tells the project's 金牌代办员 and 首席服务官.

// dueMonth is the latest month whose report is missing if not kept now.
func (s *Service) dueMonth(ctx context.Context) (string, error) {
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return "", err
	}
	return domain.DueProgressMonth(s.now(), cal), nil
}

// projectsWithProgress lists the projects f chooses (those missing their report when
// f.ProgressDue), each with the month it misses.
func (s *Service) projectsWithProgress(ctx context.Context, f domain.ProjectFilter) ([]*domain.Project, error) {
	month, err := s.dueMonth(ctx)
	if err != nil {
		return nil, err
	}
	if f.ProgressDue {
		f.DueMonth = month
	}
	ps, err := s.db.Projects(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ps))
	for _, p := range ps {
		if domain.ReportsProgress(p) {
			ids = append(ids, p.ID)
		}
	}
	due, err := s.db.ProgressDueAmong(ctx, ids, month)
	for _, p := range ps {
		if due[p.ID] {
			p.ProgressDue = month
		}
	}
	return ps, err
}

// progressOf marks p with the month it misses and reads the months flagged missing.
func (s *Service) progressOf(ctx context.Context, p *domain.Project) ([]domain.ProgressFlag, error) {
	month, err := s.dueMonth(ctx)
	if err != nil {
		return nil, err
	}
	due, err := s.db.ProgressDueAmong(ctx, []int64{p.ID}, month)
	if err != nil {
		return nil, err
	}
	if due[p.ID] {
		p.ProgressDue = month
	}
	return s.db.ProgressFlags(ctx, p.ID)
}

// progressFigure counts the region's projects missing their last month due.
func (s *Service) progressFigure(ctx context.Context, f *ProjectFigures, cal *domain.Calendar, link func(...string) string) error {
	month := domain.DueProgressMonth(s.now(), cal)
	f.ProgressMonth, f.Links["progress_due"] = month, link("progress_due", "1")
	var err error
	f.ProgressDue, err = s.db.ProgressDueCount(ctx, f.Region, month)
	return err
}

// SweepProgress flags the projects whose last month due is missing, each month once
// however many servers sweep (store.Tx.FlagProgress claims it), and tells the
// project's 金牌代办员 and 首席服务官. It returns how many it flagged. A month is flagged
// while it is the last due: one the sweeper did not see then stays unflagged (the
// lists count it missing all the same until the next month falls due).
func (s *Service) SweepProgress(ctx context.Context) (int, error) {
	month, err := s.dueMonth(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		n, more := 0, false
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			due, err := tx.UnflaggedProgressDue(month, SweepBatch)
			if err != nil {
				return err
			}
			more = len(due) == SweepBatch
			for _, p := range due {
				claimed, err := tx.FlagProgress(p.ID, month, s.now())
				if err != nil {
					return err
				}
				if !claimed {
					continue
				}
				users := []int64{}
				for _, id := range []int64{p.AgentID, p.LeaderID} {
					if id != 0 {
						users = append(users, id)
					}
				}
				msg := fmt.Sprintf("项目「%s」%s 月度进展未按时填报（应于次月第%d个工作日前报送）", p.Name, month, domain.ProgressDueWorkday)
				if err := tx.NotifyUsers(users, "project_progress_missing", msg); err != nil {
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
