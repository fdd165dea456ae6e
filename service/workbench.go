package service

import (
	"context"
	"time"

	"whistle/domain"
)

// What the web workbenches read besides plain lists; like Cases, each answers only
// what the user may see, masked for them.

// QueueCount counts the cases u may see in one of statuses (only overdue ones when
// overdue is set), as a list's total is counted (CountCases): from the rollup where it
// holds them, else up to limit.
func (s *Service) QueueCount(ctx context.Context, u domain.User, statuses []domain.Status, overdue bool, limit int) (CaseCount, error) {
	f := domain.CaseFilter{Status: statuses}
	if overdue {
		f.Overdue = &overdue
	}
	return s.CountCases(ctx, u, f, limit)
}

// ExtensionRequests lists the pending extension requests u may see, newest first.
func (s *Service) ExtensionRequests(ctx context.Context, u domain.User, after int64, limit int) ([]*domain.Case, error) {
	cases, err := s.db.ExtensionRequests(ctx, u, after, limit)
	return masked(u, cases), err
}

// ExtensionRequestCount counts, up to limit, the pending extension requests u may see.
func (s *Service) ExtensionRequestCount(ctx context.Context, u domain.User, limit int) (int, error) {
	return s.db.CountExtensionRequests(ctx, u, limit)
}

// DuplicateWindow is how far back a likely duplicate may have been received.
const DuplicateWindow = 7 * 24 * time.Hour

// LikelyDuplicates lists open cases of c's matter in c's community received in the
// last DuplicateWindow: what a dispatcher may merge c into. (A spatial duplicate index
// may replace this rule; its callers need not change.)
func (s *Service) LikelyDuplicates(ctx context.Context, u domain.User, c *domain.Case, limit int) ([]*domain.Case, error) {
	community := c.Region
	if len(community) > 12 {
		community = community[:12]
	}
	cases, err := s.db.SimilarOpenCases(ctx, u, c.Matter, community, s.now().Add(-DuplicateWindow), c.ID, limit)
	return masked(u, cases), err
}

func masked(u domain.User, cases []*domain.Case) []*domain.Case {
	for _, c := range cases {
		c.MaskFor(u)
	}
	return cases
}

// SummonedCases lists the cases org was whistled to and has not reported in to, among
// those u may see.
func (s *Service) SummonedCases(ctx context.Context, u domain.User, org string, after int64, limit int) ([]*domain.Case, error) {
	cases, err := s.db.SummonedCases(ctx, u, org, after, limit)
	return masked(u, cases), err
}

// MyReports lists the cases u reported, newest first (a reporter always sees their own).
func (s *Service) MyReports(ctx context.Context, u domain.User, after int64, limit int) ([]*domain.Case, error) {
	cases, err := s.db.ReportedBy(ctx, u.ID, after, limit)
	return masked(u, cases), err
}

// ReportKey gives the case an earlier phone report with this key filed (0: none).
func (s *Service) ReportKey(ctx context.Context, u domain.User, key string) (int64, error) {
	return s.db.ReportKey(ctx, u.ID, key)
}

// RememberReportKey records which case a phone report key filed.
func (s *Service) RememberReportKey(ctx context.Context, u domain.User, key string, caseID int64) error {
	return s.db.PutReportKey(ctx, u.ID, key, caseID)
}

// LeadCases lists the cases org leads that u may see, in one of statuses (none: any).
func (s *Service) LeadCases(ctx context.Context, u domain.User, org string, statuses []domain.Status, after int64, limit int) ([]*domain.Case, error) {
	cases, err := s.db.LeadCases(ctx, u, org, statuses, after, limit)
	return masked(u, cases), err
}

// LeadCount counts, up to limit, the cases org leads in one of statuses that u may see.
func (s *Service) LeadCount(ctx context.Context, u domain.User, org string, statuses []domain.Status, limit int) (int, error) {
	return s.db.CountLeadCases(ctx, u, org, statuses, limit)
}

// SummonedCount counts, up to limit, the cases org must still report in to that u may see.
func (s *Service) SummonedCount(ctx context.Context, u domain.User, org string, limit int) (int, error) {
	return s.db.CountSummoned(ctx, u, org, limit)
}

// CasesInPeriod lists, a bounded page at a time, the cases u may see that match f and
// were received in its period, newest first, masked for u.
func (s *Service) CasesInPeriod(ctx context.Context, u domain.User, f domain.CaseFilter, beforeAt, beforeID int64) ([]*domain.Case, int64, int64, error) {
	cases, at, id, err := s.db.CasesInPeriod(ctx, u, f, beforeAt, beforeID)
	return masked(u, cases), at, id, err
}

// CaseByNumber reads the case with this number if u may see it (else not found).
func (s *Service) CaseByNumber(ctx context.Context, u domain.User, number string) (*domain.Case, error) {
	id, err := s.db.CaseIDByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	return s.Case(ctx, u, id)
}

// CountLimit is the most cases a bounded count counts: a list past it reads "10,000+".
const CountLimit = domain.TotalCap

// CaseCount is how many cases match a filter: N exactly, or at least N when More is set
// (the count stopped at its bound). Rollup tells the total came from the rollup.
type CaseCount struct {
	N      int
	More   bool
	Rollup bool
}

// CountCases counts the cases u may see that match f (its period included): the total
// a case list shows above its first page, to check a dashboard figure against. When f's
// filters are all rollup dimensions and u sees every case of f's region, the rollup
// holds the total (a few rows a month, never the cases); else it counts in the database
// what the list lists, under the same scope and conditions, and stops at limit (at most
// CountLimit), saying "at least" beyond it.
func (s *Service) CountCases(ctx context.Context, u domain.User, f domain.CaseFilter, limit int) (CaseCount, error) {
	if t, ok := f.RollupTotal(); ok && domain.SeesAll(u, f.Region) {
		n, err := s.db.RollupTotal(ctx, t)
		return CaseCount{N: int(n), Rollup: true}, err
	}
	if limit <= 0 || limit > CountLimit {
		limit = CountLimit
	}
	if n, ok, err := s.scopeTotal(ctx, u, f, limit); ok || err != nil {
		return n, err
	}
	n, err := s.db.CountCases(ctx, u, f, limit+1)
	if err != nil {
		return CaseCount{}, err
	}
	return CaseCount{N: min(n, limit), More: n > limit}, nil
}

// scopeTotal is a list's total over u's scope, or the part of it in f.Region, where the
// rollup holds it: the regions u sees whole (domain.WholeRegions) read from the rollup,
// plus u's own reports outside them counted (a few, by their own index). A county
// dispatcher's first page, listed without a region, counted up to 10,001 cases before
// (SQLite 5.8 ms at 1M). False where the rollup cannot answer, or u's own reports are
// past limit.
func (s *Service) scopeTotal(ctx context.Context, u domain.User, f domain.CaseFilter, limit int) (CaseCount, bool, error) {
	regions, ok := domain.WholeRegions(u)
	if !ok {
		return CaseCount{}, false, nil
	}
	var n int64
	var inside []domain.CaseFilter
	for _, r := range regions {
		if !domain.Within(r, f.Region) {
			continue
		}
		in := f
		in.Region = r
		t, ok := in.RollupTotal()
		if !ok {
			return CaseCount{}, false, nil
		}
		m, err := s.db.RollupTotal(ctx, t)
		if err != nil {
			return CaseCount{}, false, err
		}
		n += m
		inside = append(inside, in)
	}
	if len(inside) == 0 {
		return CaseCount{}, false, nil
	}
	own, ok, err := s.ownOutside(ctx, u, f, inside, limit)
	if !ok || err != nil {
		return CaseCount{}, false, err
	}
	return CaseCount{N: int(n) + own, Rollup: true}, true, nil
}

// ownOutside counts u's own reports that match f but none of inside (f narrowed to each
// region u sees whole): the cases u's list holds only as their reporter. False when
// they are past limit.
func (s *Service) ownOutside(ctx context.Context, u domain.User, f domain.CaseFilter, inside []domain.CaseFilter, limit int) (int, bool, error) {
	if u.ID == 0 {
		return 0, true, nil
	}
	reporter := domain.User{ID: u.ID} // no grants: its scope is its own reports
	all, err := s.db.CountCases(ctx, reporter, f, limit+1)
	if err != nil || all == 0 || all > limit {
		return 0, err == nil && all == 0, err
	}
	for _, in := range inside {
		n, err := s.db.CountCases(ctx, reporter, in, limit+1)
		if err != nil {
			return 0, false, err
		}
		all -= n
	}
	return all, true, nil
}

// ActTarget is one case of a bulk action, at the version its row showed.
type ActTarget struct {
	ID      int64
	Version int
}

// ActResult is what a bulk action came to on one case: the case as it is now (nil when
// u may not see it), and why it was refused (nil when done).
type ActResult struct {
	ID   int64
	Case *domain.Case
	Err  error
}

// BulkMax is the most cases one bulk action takes.
const BulkMax = 100

// ActOnMany carries out one action, accept or dispatch, on each of many cases of a
// dispatcher's queue: each through Act in its own transaction, so a case refused (taken
// meanwhile, changed since its row was shown, outside u's scope) stops none of the
// others and is reported with its reason.
func (s *Service) ActOnMany(ctx context.Context, u domain.User, targets []ActTarget, cmd domain.Command) ([]ActResult, error) {
	if cmd.Action != domain.ActAccept && cmd.Action != domain.ActDispatch {
		return nil, domain.Errorf(domain.EINVALID, "action: only accept and dispatch are taken in bulk")
	}
	if len(targets) == 0 || len(targets) > BulkMax {
		return nil, domain.Errorf(domain.EINVALID, "id: choose 1 to %d cases", BulkMax)
	}
	out := make([]ActResult, 0, len(targets))
	for _, t := range targets {
		one := cmd
		one.Version = t.Version
		c, err := s.Act(ctx, u, t.ID, one)
		if err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				return out, err // not a refusal: the database failed
			}
			c, _ = s.Case(ctx, u, t.ID)
		}
		out = append(out, ActResult{ID: t.ID, Case: c, Err: err})
	}
	return out, nil
}
