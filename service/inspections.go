package service

import (
	"context"
	"strings"
	"time"

	"whistle/domain"
	"whistle/store"
)

// ScanIn opens an inspection from the token of an enterprise's code (扫码入企): the
// signature and version are checked, the declaration is held to the org's annual plan,
// the industry's frequency limit and the two-certified-inspectors rule, and any broken
// rule flags the inspection so that it waits for approval.
func (s *Service) ScanIn(ctx context.Context, u domain.User, in domain.ScanIn) (*domain.Inspection, error) {
	orgs := domain.InspectorOrgs(u)
	if len(orgs) == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "only inspectors scan enterprise codes")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	org := in.Org
	if org == "" {
		org = orgs[0]
	}
	if !contains(orgs, org) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "you do not inspect for org %s", org)
	}
	key, err := s.db.CodeKey(ctx)
	if err != nil {
		return nil, err
	}
	id, version, err := domain.ParseCodeToken(key, in.Token)
	if err != nil {
		return nil, err
	}
	var out domain.Inspection
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		e, err := tx.Enterprise(id)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "this is not a valid enterprise inspection code")
		}
		if version != e.CodeVersion {
			return domain.Errorf(domain.EINVALID, "this inspection code of %s was revoked; ask the enterprise for its current code", e.Name)
		}
		inScope := false
		for _, g := range u.Grants {
			inScope = inScope || (g.Role == domain.RoleInspector && g.Org == org && domain.Within(e.Region, g.Region))
		}
		if !inScope {
			return domain.Errorf(domain.EFORBIDDEN, "enterprise %s lies outside your inspection scope", e.Name)
		}
		now := s.now()
		yearStart := time.Date(now.In(domain.China).Year(), 1, 1, 0, 0, 0, 0, domain.China)
		plans, err := tx.InspectionPlans(org, yearStart.Year())
		if err != nil {
			return err
		}
		done, err := tx.InspectionsByPlan(org, e.ID, yearStart)
		if err != nil {
			return err
		}
		last, err := tx.LastInspection(e.ID, in.Kind)
		if err != nil {
			return err
		}
		flags, planID := domain.InspectionFlags(e, in, now, plans, done, last)
		out = domain.Inspection{EnterpriseID: e.ID, Enterprise: e.Name, Region: e.Region, Org: org, Kind: in.Kind, LegalBasis: in.LegalBasis,
			Items: in.Items, Inspectors: in.Inspectors, OpenedBy: u.ID, OpenedAt: now.Truncate(time.Second), Lat: in.Lat, Lon: in.Lon,
			PlanID: planID, Flags: flags, Status: domain.InspectionOpen, CaseIDs: []int64{}}
		if len(flags) > 0 {
			out.Status = domain.InspectionHeld
		}
		return tx.InsertInspection(&out)
	})
	if err != nil {
		return nil, err
	}
	return s.db.Inspection(ctx, out.ID)
}

// Inspection reads an inspection u may see.
func (s *Service) Inspection(ctx context.Context, u domain.User, id int64) (*domain.Inspection, error) {
	in, err := s.db.Inspection(ctx, id)
	if err != nil {
		return nil, err
	}
	e, err := s.db.Enterprise(ctx, in.EnterpriseID)
	if err != nil {
		return nil, err
	}
	if !domain.InspectionVisible(u, in, e) {
		return nil, domain.Errorf(domain.ENOTFOUND, "inspection %d not found", id)
	}
	return in, nil
}

// Inspections lists the inspections u may see that match f: an inspector's org's, an
// enterprise's own, a region's for leaders, dispatchers and administrators.
func (s *Service) Inspections(ctx context.Context, u domain.User, f domain.InspectionFilter) ([]*domain.Inspection, error) {
	for _, g := range u.Grants {
		switch g.Role {
		case domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher:
			if domain.Within(f.Region, g.Region) {
				return s.db.Inspections(ctx, f)
			}
			if f.Region == "" || domain.Within(g.Region, f.Region) {
				f.Region = g.Region
				return s.db.Inspections(ctx, f)
			}
		}
	}
	if orgs := domain.InspectorOrgs(u); len(orgs) > 0 {
		if f.Org == "" {
			f.Org = orgs[0]
		}
		if !contains(orgs, f.Org) {
			return []*domain.Inspection{}, nil
		}
		return s.db.Inspections(ctx, f)
	}
	if u.Has(domain.RoleEnterprise) {
		f.AccountID = u.ID
		return s.db.Inspections(ctx, f)
	}
	return nil, domain.Errorf(domain.EFORBIDDEN, "your role does not see inspections")
}

// change runs fn on an inspection u may see, inside one transaction.
func (s *Service) changeInspection(ctx context.Context, u domain.User, id int64, fn func(tx *store.Tx, in *domain.Inspection, e *domain.Enterprise) error) (*domain.Inspection, error) {
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		in, err := tx.Inspection(id)
		if err != nil {
			return err
		}
		e, err := tx.Enterprise(in.EnterpriseID)
		if err != nil {
			return err
		}
		if !domain.InspectionVisible(u, in, e) {
			return domain.Errorf(domain.ENOTFOUND, "inspection %d not found", id)
		}
		if err := fn(tx, in, e); err != nil {
			return err
		}
		return tx.UpdateInspection(in)
	})
	if err != nil {
		return nil, err
	}
	return s.db.Inspection(ctx, id)
}

// DecideInspection approves a flagged inspection (it may go on) or refuses it (the
// inspectors leave): a leader or administrator of the enterprise's region, with a note.
func (s *Service) DecideInspection(ctx context.Context, u domain.User, id int64, approve bool, note string) (*domain.Inspection, error) {
	note = strings.TrimSpace(note)
	return s.changeInspection(ctx, u, id, func(tx *store.Tx, in *domain.Inspection, _ *domain.Enterprise) error {
		if !domain.CanApproveInspection(u, in) {
			return domain.Errorf(domain.EFORBIDDEN, "flagged inspections are approved by leaders of the region")
		}
		if in.Status != domain.InspectionHeld {
			return domain.Errorf(domain.ECONFLICT, "inspection %d is %s, not waiting for approval", in.ID, in.Status)
		}
		if note == "" || len(note) > 2000 {
			return domain.Errorf(domain.EINVALID, "a decision needs a note (at most 2000 characters) saying why")
		}
		in.Status, in.ApprovedBy, in.ApprovalNote = domain.InspectionNo, u.ID, note
		if approve {
			in.Status = domain.InspectionOpen
		}
		return nil
	})
}

// InspectionFinding is a problem an inspection found: it becomes a case.
type InspectionFinding struct {
	Matter      string `json:"matter"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// FinishInspection ends an open inspection with its result; each finding is filed as a
// case about the enterprise (a hazard for safety matters), through the normal intake.
func (s *Service) FinishInspection(ctx context.Context, u domain.User, id int64, result string, findings []InspectionFinding) (*domain.Inspection, error) {
	result = strings.TrimSpace(result)
	if result == "" || len(result) > 10000 {
		return nil, domain.Errorf(domain.EINVALID, "finish needs a result of at most 10000 characters")
	}
	if len(findings) > 20 {
		return nil, domain.Errorf(domain.EINVALID, "at most 20 findings")
	}
	in, err := s.Inspection(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !contains(domain.InspectorOrgs(u), in.Org) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "only inspectors of %s finish this inspection", in.Org)
	}
	if in.Status != domain.InspectionOpen {
		return nil, domain.Errorf(domain.ECONFLICT, "inspection %d is %s; only an open inspection is finished", in.ID, in.Status)
	}
	e, err := s.db.Enterprise(ctx, in.EnterpriseID)
	if err != nil {
		return nil, err
	}
	var cases []domain.NewCase
	for i, f := range findings {
		m, err := s.db.Matter(ctx, f.Matter)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "finding %d: unknown matter %q", i+1, f.Matter)
		}
		kind := domain.Kind("request")
		if m.Class == "安全隐患" {
			kind = "hazard"
		}
		n := domain.NewCase{Matter: f.Matter, Title: f.Title, Description: f.Description, Region: e.Region, Address: e.Address + " " + e.Name,
			Channel: "inspection", Kind: kind, Reporter: domain.Reporter{UserID: u.ID, Name: u.Name}}
		if err := n.Validate(); err != nil {
			return nil, domain.Errorf(domain.EINVALID, "finding %d: %s", i+1, domain.ErrorMessage(err))
		}
		cases = append(cases, n)
	}
	var ids []int64
	for _, n := range cases {
		c, err := s.file(ctx, u, n, domain.OnInspection)
		if err != nil {
			return nil, err
		}
		ids = append(ids, c.ID)
		if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.LinkEnterpriseCase(c.ID, e.ID, "inspection", u.ID, 0, in.ID) }); err != nil {
			return nil, err
		}
	}
	return s.changeInspection(ctx, u, id, func(tx *store.Tx, in *domain.Inspection, _ *domain.Enterprise) error {
		if in.Status != domain.InspectionOpen {
			return domain.Errorf(domain.ECONFLICT, "inspection %d is %s", in.ID, in.Status)
		}
		now := s.now().Truncate(time.Second)
		in.Status, in.Result, in.FinishedAt = domain.InspectionDone, result, &now
		in.CaseIDs = append(in.CaseIDs, ids...)
		return nil
	})
}

// RateInspection records the enterprise's rating of a finished inspection (1 to 5, with
// a comment): only the account of the enterprise inspected, once.
func (s *Service) RateInspection(ctx context.Context, u domain.User, id int64, score int, comment string) (*domain.Inspection, error) {
	comment = strings.TrimSpace(comment)
	if err := domain.ValidRating(score, comment); err != nil {
		return nil, err
	}
	return s.changeInspection(ctx, u, id, func(tx *store.Tx, in *domain.Inspection, e *domain.Enterprise) error {
		if e.AccountID == 0 || e.AccountID != u.ID {
			return domain.Errorf(domain.EFORBIDDEN, "only the enterprise inspected rates an inspection")
		}
		if in.Status != domain.InspectionDone {
			return domain.Errorf(domain.ECONFLICT, "inspection %d is %s; it is rated once finished", in.ID, in.Status)
		}
		if in.Rating != 0 {
			return domain.Errorf(domain.ECONFLICT, "inspection %d is rated already", in.ID)
		}
		now := s.now().Truncate(time.Second)
		in.Rating, in.RatingComment, in.RatedAt = score, comment, &now
		return nil
	})
}

// PutInspectionPlan adds or changes an entry of an org's annual inspection plan: its
// officers or an administrator.
func (s *Service) PutInspectionPlan(ctx context.Context, u domain.User, p domain.InspectionPlan) (domain.InspectionPlan, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	if !u.Has(domain.RoleAdmin) && !contains(domain.UserOrgs(u), p.Org) {
		return p, domain.Errorf(domain.EFORBIDDEN, "an org's inspection plan is kept by its officers")
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		return logPut(ctx, s, tx, u, "inspection_plan", &p.ID, tx.InspectionPlan, func() error { return tx.PutInspectionPlan(&p) })
	})
	return p, err
}

// InspectionPlans lists the plan entries of a year u may see: their own org's for
// officers and inspectors; for leaders, dispatchers and administrators those whose
// region and the scope of one of their grants hold one another (the county's plan
// concerns its streets; another street's plan is not theirs).
func (s *Service) InspectionPlans(ctx context.Context, u domain.User, org string, year int) ([]domain.InspectionPlan, error) {
	mine := append(domain.UserOrgs(u), domain.InspectorOrgs(u)...)
	reads := len(domain.ReadScopes(u)) > 0
	if !reads && len(mine) == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "your role does not see inspection plans")
	}
	if !reads && org == "" {
		org = mine[0]
	}
	all, err := s.db.InspectionPlans(ctx, org, year)
	if err != nil {
		return nil, err
	}
	out := []domain.InspectionPlan{}
	for _, p := range all {
		if contains(mine, p.Org) || domain.ReadsAround(u, p.Region) {
			out = append(out, p)
		}
	}
	return out, nil
}

// InspectionStats reports inspections under region in [from, to) by org or enterprise,
// with flags, ratings and the drop against the year before.
func (s *Service) InspectionStats(ctx context.Context, u domain.User, region, by string, from, to time.Time) ([]store.InspectionTally, store.InspectionTally, error) {
	var total store.InspectionTally
	region, err := LedgerRegion(u, region)
	if err != nil {
		return nil, total, err
	}
	if by == "" {
		by = "org"
	}
	if by != "org" && by != "enterprise" {
		return nil, total, domain.Errorf(domain.EINVALID, "by must be org or enterprise")
	}
	rows, err := s.db.InspectionStats(ctx, region, by, from, to)
	if err != nil {
		return nil, total, err
	}
	ratingSum := 0.0
	for _, r := range rows {
		total.Count, total.Flagged, total.Refused, total.Rated, total.LastYear = total.Count+r.Count, total.Flagged+r.Flagged, total.Refused+r.Refused, total.Rated+r.Rated, total.LastYear+r.LastYear
		ratingSum += r.Rating * float64(r.Rated)
	}
	if total.Rated > 0 {
		total.Rating = ratingSum / float64(total.Rated)
	}
	total.Drop = domain.Ratio(total.LastYear-total.Count, total.LastYear)
	total.Key, total.Name = "total", "合计"
	return rows, total, nil
}
