package service

import (
	"context"
	"strings"
	"time"

	"whistle/domain"
	"whistle/store"
)

// ProblemMatterSetting names the setting that holds the code of the matter a liaison
// problem filed without one goes under (the installation's 联企 matter).
const ProblemMatterSetting = "liaison_problem_matter"

// ProblemMatter reads the matter a liaison problem without one goes under, "" when the
// installation has not chosen one.
func (s *Service) ProblemMatter(ctx context.Context) (string, error) {
	return s.db.Setting(ctx, ProblemMatterSetting)
}

// SetProblemMatter chooses the matter a liaison problem without one goes under
// (administrators only); the matter must be in the catalogue.
func (s *Service) SetProblemMatter(ctx context.Context, u domain.User, code string) error {
	if err := adminOnly(u); err != nil {
		return err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return domain.Errorf(domain.EINVALID, "problem_matter is required")
	}
	if _, err := s.db.Matter(ctx, code); err != nil {
		return domain.Errorf(domain.EINVALID, "unknown matter %q", code)
	}
	return s.putSetting(ctx, u, ProblemMatterSetting, code)
}

// VisitInput is a liaison cadre's visit to an enterprise with the problems collected.
type VisitInput struct {
	At       *time.Time          `json:"at"`
	Note     string              `json:"note"`
	Problems []InspectionFinding `json:"problems"`
}

// RecordVisit records a cadre's visit (走访) to an enterprise they are linked to; each
// problem collected is filed as an enterprise_problem case that runs the normal lifecycle.
func (s *Service) RecordVisit(ctx context.Context, u domain.User, enterpriseID int64, in VisitInput) (store.Visit, error) {
	e, err := s.Enterprise(ctx, u, enterpriseID)
	if err != nil {
		return store.Visit{}, err
	}
	linked := false
	for _, id := range e.Liaisons {
		linked = linked || id == u.ID
	}
	if !linked || !u.Has(domain.RoleLiaison) {
		return store.Visit{}, domain.Errorf(domain.EFORBIDDEN, "visits are recorded by the enterprise's liaison cadres")
	}
	in.Note = strings.TrimSpace(in.Note)
	if len(in.Note) > 5000 || len(in.Problems) > 20 {
		return store.Visit{}, domain.Errorf(domain.EINVALID, "a note of at most 5000 characters and at most 20 problems")
	}
	now := s.now()
	at := now
	if in.At != nil {
		if in.At.After(now.Add(10*time.Minute)) || now.Sub(*in.At) > 31*24*time.Hour {
			return store.Visit{}, domain.Errorf(domain.EINVALID, "at must be within the last month, not in the future")
		}
		at = *in.At
	}
	fallback, err := s.ProblemMatter(ctx)
	if err != nil {
		return store.Visit{}, err
	}
	var cases []domain.NewCase
	for i, p := range in.Problems {
		if p.Matter == "" && fallback == "" {
			return store.Visit{}, domain.Errorf(domain.EINVALID,
				"problem %d: no matter given and none chosen for liaison problems: name one, or an administrator sets problem_matter (PUT /api/v1/settings/liaison)", i+1)
		}
		if p.Matter == "" {
			p.Matter = fallback
		}
		if _, err := s.db.Matter(ctx, p.Matter); err != nil {
			return store.Visit{}, domain.Errorf(domain.EINVALID, "problem %d: unknown matter %q", i+1, p.Matter)
		}
		n := domain.NewCase{Matter: p.Matter, Title: p.Title, Description: p.Description, Region: e.Region, Address: e.Address + " " + e.Name,
			Channel: "liaison", Kind: "enterprise_problem", Reporter: domain.Reporter{UserID: u.ID, Name: u.Name}}
		if err := n.Validate(); err != nil {
			return store.Visit{}, domain.Errorf(domain.EINVALID, "problem %d: %s", i+1, domain.ErrorMessage(err))
		}
		cases = append(cases, n)
	}
	v := store.Visit{EnterpriseID: e.ID, UserID: u.ID, UserName: u.Name, At: at.Unix(), When: at.In(domain.China).Format(time.RFC3339),
		Note: in.Note, Problems: []int64{}}
	for range cases {
		v.Problems = append(v.Problems, 0) // counted in the row; ids follow
	}
	if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertVisit(&v) }); err != nil {
		return v, err
	}
	v.Problems = []int64{}
	for _, n := range cases {
		c, err := s.file(ctx, u, n, domain.OnVisit)
		if err != nil {
			return v, err
		}
		if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.LinkEnterpriseCase(c.ID, e.ID, "liaison", u.ID, v.ID, 0) }); err != nil {
			return v, err
		}
		v.Problems = append(v.Problems, c.ID)
	}
	return v, nil
}

// Visits lists an enterprise's visits for who may see the enterprise.
func (s *Service) Visits(ctx context.Context, u domain.User, enterpriseID int64) ([]store.Visit, error) {
	if _, err := s.Enterprise(ctx, u, enterpriseID); err != nil {
		return nil, err
	}
	return s.db.Visits(ctx, enterpriseID)
}

// LiaisonReport is the liaison service report (联企服务): cadres, enterprises linked,
// visits, problems collected, resolved and closed, the resolved and closed rates, per
// cadre and overall.
type LiaisonReport struct {
	Region      string             `json:"region"`
	From        string             `json:"from"`
	To          string             `json:"to"`
	Cadres      int                `json:"cadres"`
	Enterprises int                `json:"enterprises"`
	Rows        []store.LiaisonRow `json:"rows"`
	Total       store.LiaisonRow   `json:"total"`
}

// Liaison reports on the cadres linked to enterprises under region in [from, to): for
// leaders, dispatchers and administrators; a cadre sees their own line.
func (s *Service) Liaison(ctx context.Context, u domain.User, region string, from, to time.Time) (LiaisonReport, error) {
	own := false
	scoped, err := LedgerRegion(u, region)
	if err != nil {
		if !u.Has(domain.RoleLiaison) {
			return LiaisonReport{}, err
		}
		own, scoped = true, region
	}
	rep := LiaisonReport{Region: scoped, From: from.In(domain.China).Format("2006-01-02"), To: to.In(domain.China).Add(-time.Second).Format("2006-01-02"), Rows: []store.LiaisonRow{}}
	rows, err := s.db.LiaisonReport(ctx, scoped, s.now().In(domain.China).Format("2006-01-02"), from.Unix(), to.Unix())
	if err != nil {
		return rep, err
	}
	for _, r := range rows {
		if !own || r.UserID == u.ID {
			rep.Rows = append(rep.Rows, r)
		}
	}
	count, err := s.db.LinkedEnterprises(ctx, scoped, s.now().In(domain.China).Format("2006-01-02"), own, u.ID)
	if err != nil {
		return rep, err
	}
	rep.Cadres, rep.Enterprises = len(rep.Rows), count
	for _, r := range rep.Rows {
		rep.Total.Visits += r.Visits
		rep.Total.Collected += r.Collected
		rep.Total.Resolved += r.Resolved
		rep.Total.Closed += r.Closed
	}
	rep.Total.Name, rep.Total.Enterprises = "合计", count
	rep.Total.SetRates()
	return rep, nil
}

// LinkedEnterprises lists the enterprise linkages (联企) u answers for today: the
// enterprises a liaison cadre may file for.
func (s *Service) LinkedEnterprises(ctx context.Context, u domain.User) ([]domain.Linkage, error) {
	all, err := s.db.Linkages(ctx, "enterprise", "")
	if err != nil {
		return nil, err
	}
	today := domain.Today(s.now())
	out := []domain.Linkage{}
	for _, l := range all {
		if domain.LinkedTo([]domain.Linkage{l}, u.ID, l.Target, today) {
			out = append(out, l)
		}
	}
	return out, nil
}
