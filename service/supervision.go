package service

import (
	"context"
	"fmt"
	"time"

	"whistle/domain"
	"whistle/store"
)

// notifyLeaderAction tells the lead org's officers of a leader's supervision (督办, with
// its deadline) or instruction (批示); a case not yet dispatched has no lead org, and
// its dispatchers are told instead.
func notifyLeaderAction(tx *store.Tx, c *domain.Case, e domain.Event) error {
	var users []int64
	var err error
	if c.LeadOrg != "" {
		users, err = tx.Officers([]string{c.LeadOrg})
	} else {
		users, err = tx.Dispatchers(c.Region)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("领导批示 %s：%s", c.Number, e.Note)
	if e.Action == domain.ActSupervise {
		msg = fmt.Sprintf("领导督办 %s（%s前）：%s", c.Number, e.Data.SuperviseDue.In(domain.China).Format("2006-01-02 15:04"), e.Note)
	}
	return tx.Notify(users, c.ID, string(e.Action), msg)
}

// SupervisionReport is how the supervisions given in a period to a region's cases
// stand: in all, by the region one level down and by lead org, each row named.
type SupervisionReport struct {
	Region   string                    `json:"region"`
	From     string                    `json:"from"` // the first day of the first month
	To       string                    `json:"to"`   // the last day of the last month
	All      domain.SupervisionCount   `json:"all"`
	ByRegion []domain.SupervisionCount `json:"by_region"`
	ByOrg    []domain.SupervisionCount `json:"by_org"`
}

// SupervisionStats counts the supervisions given in whole months (the last twelve when
// not given) to the cases of a region u reads statistics of, as Stats does: how many
// cases were supervised, how many resolved within the supervision's deadline, how many
// passed it (marked by the sweeper, or resolved late) and how many still run.
func (s *Service) SupervisionStats(ctx context.Context, u domain.User, region, from, to string) (SupervisionReport, error) {
	region, err := domain.ReportRegion(u, region, "statistics")
	if err != nil {
		return SupervisionReport{}, err
	}
	if from, to, err = domain.StatsMonths(from, to, s.now()); err != nil {
		return SupervisionReport{}, err
	}
	first, _ := time.ParseInLocation("2006-01-02", from, domain.China)
	last, _ := time.ParseInLocation("2006-01-02", to, domain.China)
	rows, err := s.db.Supervisions(ctx, region, first, last.AddDate(0, 0, 1))
	if err != nil {
		return SupervisionReport{}, err
	}
	rep := SupervisionReport{Region: region, From: from, To: to}
	rep.All, rep.ByRegion, rep.ByOrg = domain.TallySupervisions(region, rows)
	if err := s.nameSupervisions(ctx, rep.ByRegion, "region"); err != nil {
		return rep, err
	}
	return rep, s.nameSupervisions(ctx, rep.ByOrg, "org")
}

// nameSupervisions names the rows' regions or orgs, as nameGroups names statistics.
func (s *Service) nameSupervisions(ctx context.Context, rows []domain.SupervisionCount, by string) error {
	stats := make([]domain.Stats, len(rows))
	for i, r := range rows {
		stats[i].Group = r.Group
	}
	if err := s.nameGroups(ctx, by, stats); err != nil {
		return err
	}
	for i := range rows {
		rows[i].Name = stats[i].Name
	}
	return nil
}
