package service

import (
	"context"
	"maps"
	"slices"
	"time"

	"whistle/domain"
	"whistle/store"
)

// finding checks a hazard finding and turns it into the case to file and the hazard row
// to keep beside it; nothing is written. may, when not nil, tells whether u may file in
// a region (domain.CanFileFinding on a patrol). The rectification term counts
// from now, the filing, even for a hazard found earlier (see domain.Event.Found).
func (s *Service) finding(ctx context.Context, q interface{ OrgExists(string) bool }, u domain.User, f *domain.HazardFinding, region string, now time.Time,
	may func(region string) error) (domain.NewCase, domain.Hazard, error) {
	if f.Category == "" {
		if m, err := s.db.Matter(ctx, f.Matter); err == nil {
			f.Category = domain.HazardCategoryOr(m.HazardCategory) // the installation's catalogue says
		}
	}
	deadline, err := f.Validate(now)
	if err != nil {
		return domain.NewCase{}, domain.Hazard{}, err
	}
	if f.Region == "" {
		f.Region = region
	}
	n := domain.NewCase{Matter: f.Matter, Title: f.Title, Description: f.Description, Region: f.Region, Lat: f.Lat, Lon: f.Lon,
		Address: f.Address, Channel: "grid_patrol", Kind: "hazard", Reporter: domain.Reporter{UserID: u.ID, Name: u.Name}}
	if n.Title == "" {
		n.Title = domain.HazardCategoryNames[f.Category] + "隐患"
	}
	if err := n.Validate(); err != nil {
		return n, domain.Hazard{}, err
	}
	m, err := s.db.Matter(ctx, n.Matter)
	if err != nil {
		return n, domain.Hazard{}, domain.Errorf(domain.EINVALID, "unknown matter %q", n.Matter)
	}
	if _, err := s.db.Region(ctx, n.Region); err != nil {
		return n, domain.Hazard{}, domain.Errorf(domain.EINVALID, "unknown region %q", n.Region)
	}
	if may != nil {
		if err := may(n.Region); err != nil {
			return n, domain.Hazard{}, err
		}
	}
	org := f.Org
	if org == "" {
		org = m.LeadOrgFor(n.Region)
	}
	if !q.OrgExists(org) {
		return n, domain.Hazard{}, domain.Errorf(domain.EINVALID, "unknown org %q", org)
	}
	return n, domain.Hazard{Level: f.Level, Category: f.Category, Measures: f.Measures, Deadline: deadline, Org: org, Evidence: f.Photos}, nil
}

// fileHazard files a hazard case, checked by finding, through the normal intake as
// found at found (zero: now), on its own or as part of errand on, and keeps its hazard
// row beside it.
func (s *Service) fileHazard(ctx context.Context, u domain.User, n domain.NewCase, h domain.Hazard, found time.Time, on domain.Errand) (*domain.Case, error) {
	c, err := s.fileChecked(ctx, u, n, found, on)
	if err != nil {
		return nil, err
	}
	h.CaseID = c.ID
	return c, s.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertHazard(h) })
}

// ReportHazard files a hazard found outside a patrol (on a walk, from a call): a report
// on its own by the grid_patrol channel, so the filing's channel rule decides who may.
func (s *Service) ReportHazard(ctx context.Context, u domain.User, f domain.HazardFinding) (domain.Hazard, error) {
	var n domain.NewCase
	var h domain.Hazard
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		n, h, err = s.finding(ctx, tx, u, &f, f.Region, s.now(), nil)
		return err
	})
	if err != nil {
		return h, err
	}
	c, err := s.fileHazard(ctx, u, n, h, time.Time{}, domain.OnOwn)
	if err != nil {
		return h, err
	}
	return s.Hazard(ctx, u, c.ID)
}

// Hazard reads a hazard case u may see, with its hazard terms and evidence.
func (s *Service) Hazard(ctx context.Context, u domain.User, caseID int64) (domain.Hazard, error) {
	c, err := s.Case(ctx, u, caseID)
	if err != nil {
		return domain.Hazard{}, err
	}
	if c.Kind != "hazard" {
		return domain.Hazard{}, domain.Errorf(domain.ENOTFOUND, "case %d is not a hazard", caseID)
	}
	return s.db.HazardOf(ctx, c)
}

// HazardTerms are the terms a dispatcher may set on a hazard.
type HazardTerms struct {
	Level    string `json:"level"`
	Category string `json:"category"`
	Measures string `json:"measures"`
	Deadline string `json:"deadline"` // YYYY-MM-DD
	Org      string `json:"org"`
}

// SetHazardTerms sets a hazard's level, category, measures, deadline and responsible
// org: the dispatcher's (or administrator's) assessment after the report.
func (s *Service) SetHazardTerms(ctx context.Context, u domain.User, caseID int64, t HazardTerms) (domain.Hazard, error) {
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(caseID)
		if err != nil {
			return err
		}
		if !domain.Visible(u, c) || c.Kind != "hazard" {
			return domain.Errorf(domain.ENOTFOUND, "hazard %d not found", caseID)
		}
		if !managesRegion(u, c.Region) {
			return domain.Errorf(domain.EFORBIDDEN, "only the dispatchers of the region set a hazard's terms")
		}
		if c.Status.Terminal() || domain.HazardRectified(c.Status) {
			return domain.Errorf(domain.ECONFLICT, "hazard %s is %s; its terms are settled", c.Number, c.Status)
		}
		h, ok, err := tx.HazardOf(c)
		if err != nil {
			return err
		}
		f := domain.HazardFinding{Matter: c.Matter, Level: t.Level, Category: t.Category, Measures: t.Measures, Deadline: t.Deadline}
		if f.Level == "" {
			f.Level = h.Level
		}
		if f.Category == "" {
			f.Category = h.Category
		}
		if f.Measures == "" {
			f.Measures = h.Measures
		}
		deadline, err := f.Validate(s.now())
		if err != nil {
			return err
		}
		if t.Deadline == "" && !h.Deadline.IsZero() {
			deadline = h.Deadline
		}
		h.Level, h.Category, h.Measures, h.Deadline = f.Level, f.Category, f.Measures, deadline
		if t.Org != "" {
			if !tx.OrgExists(t.Org) {
				return domain.Errorf(domain.EINVALID, "unknown org %q", t.Org)
			}
			h.Org = t.Org
		}
		if !ok {
			return tx.InsertHazard(h)
		}
		return tx.UpdateHazard(h)
	})
	if err != nil {
		return domain.Hazard{}, err
	}
	return s.Hazard(ctx, u, caseID)
}

// AddHazardEvidence adds photos of the rectification: by the responsible org's
// officers while the hazard is being rectified, or by who verifies it on site.
func (s *Service) AddHazardEvidence(ctx context.Context, u domain.User, caseID int64, photos []string) (domain.Hazard, error) {
	if len(photos) == 0 {
		return domain.Hazard{}, domain.Errorf(domain.EINVALID, "send photos: JPEG, PNG or WebP data URLs")
	}
	if err := domain.ValidPhotos(photos); err != nil {
		return domain.Hazard{}, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(caseID)
		if err != nil {
			return err
		}
		if !domain.Visible(u, c) || c.Kind != "hazard" {
			return domain.Errorf(domain.ENOTFOUND, "hazard %d not found", caseID)
		}
		if c.Status.Terminal() {
			return domain.Errorf(domain.ECONFLICT, "hazard %s is %s", c.Number, c.Status)
		}
		allowed := managesRegion(u, c.Region)
		for _, o := range domain.UserOrgs(u) {
			allowed = allowed || c.Involves(o)
		}
		for _, g := range u.Grants {
			allowed = allowed || ((g.Role == domain.RoleGridWorker || g.Role == domain.RoleBuildingHead) && domain.Within(c.Region, g.Region))
		}
		if !allowed {
			return domain.Errorf(domain.EFORBIDDEN, "only the responsible org, the grid or the dispatcher add rectification evidence")
		}
		h, ok, err := tx.HazardOf(c)
		if err != nil {
			return err
		}
		if !ok {
			if err := tx.InsertHazard(h); err != nil {
				return err
			}
		}
		return tx.AddHazardEvidence(caseID, photos)
	})
	if err != nil {
		return domain.Hazard{}, err
	}
	return s.Hazard(ctx, u, caseID)
}

// Ledger is a hazard ledger (隐患台账) of a region over a period.
type Ledger struct {
	Region string             `json:"region"`
	Name   string             `json:"name"`
	From   string             `json:"from"`
	To     string             `json:"to"`
	By     string             `json:"by"`
	Rows   []domain.LedgerRow `json:"rows"`
	Total  domain.LedgerRow   `json:"total"`
}

// LedgerRegion picks the region a ledger or report is about (domain.ReportRegion).
func LedgerRegion(u domain.User, asked string) (string, error) {
	return domain.ReportRegion(u, asked, "ledgers and reports")
}

// HazardLedger counts the patrols made and the hazards found under region in [from, to)
// by child region, category or level.
func (s *Service) HazardLedger(ctx context.Context, u domain.User, region, by string, from, to time.Time) (Ledger, error) {
	region, err := LedgerRegion(u, region)
	if err != nil {
		return Ledger{}, err
	}
	if by == "" {
		by = "region"
	}
	if by != "region" && by != "category" && by != "level" {
		return Ledger{}, domain.Errorf(domain.EINVALID, "by must be region, category or level")
	}
	depth := len(region)
	if by == "region" {
		if depth = domain.ChildCodeLength(region); depth == 0 {
			depth = len(region)
		}
	}
	cells, err := s.db.HazardLedger(ctx, region, depth, from, to, s.now())
	if err != nil {
		return Ledger{}, err
	}
	patrols, err := s.db.PatrolCounts(ctx, region, depth, from, to)
	if err != nil {
		return Ledger{}, err
	}
	l := Ledger{Region: region, From: from.In(domain.China).Format("2006-01-02"), To: to.In(domain.China).Add(-time.Second).Format("2006-01-02"), By: by, Rows: []domain.LedgerRow{}}
	names, err := s.db.RegionNames(ctx, []string{region})
	if err != nil {
		return l, err
	}
	l.Name = names[region]
	order, err := s.ledgerOrder(ctx, region, by)
	if err != nil {
		return l, err
	}
	rows, order := ledgerCount(cells, patrols, by, order)
	keys := []string{}
	for _, k := range order {
		if rows[k] != nil || by != "region" || len(k) == domain.ChildCodeLength(region) {
			keys = append(keys, k)
		}
	}
	regionNames, err := s.db.RegionNames(ctx, keys)
	if err != nil {
		return l, err
	}
	for _, k := range keys {
		r := domain.LedgerRow{Key: k}
		if rows[k] != nil {
			r = *rows[k]
		}
		switch by {
		case "category":
			r.Name = domain.HazardCategoryNames[k]
		case "level":
			r.Name = domain.HazardLevelNames[k]
		default:
			r.Name = regionNames[k]
		}
		l.Rows = append(l.Rows, r)
		l.Total.Sum(r)
	}
	if by != "region" { // patrols have no category or level: the total alone holds them
		for _, n := range patrols {
			l.Total.Patrols += n
		}
	}
	l.Total.Key, l.Total.Name = "total", "合计"
	return l, nil
}

// ledgerOrder is the order of a ledger's lines before any is counted: the categories,
// the levels, or the region's children.
func (s *Service) ledgerOrder(ctx context.Context, region, by string) ([]string, error) {
	switch by {
	case "category":
		return slices.Clone(domain.HazardCategories), nil
	case "level":
		return []string{domain.HazardGeneral, domain.HazardMajor}, nil
	}
	kids, err := s.db.Children(ctx, region)
	if err != nil {
		return nil, err
	}
	order := make([]string, 0, len(kids))
	for _, k := range kids {
		order = append(order, k.Code)
	}
	return order, nil
}

// ledgerCount counts the cells into a ledger's lines (and, by region, each line's
// patrols), adding a line for any key the order does not list (a hazard or a patrol
// recorded on the region itself, or a category the installation added).
func ledgerCount(cells []store.LedgerCell, patrols map[string]int, by string, order []string) (map[string]*domain.LedgerRow, []string) {
	rows := map[string]*domain.LedgerRow{}
	row := func(key string) *domain.LedgerRow {
		r := rows[key]
		if r == nil {
			r = &domain.LedgerRow{Key: key}
			rows[key] = r
			if !contains(order, key) {
				order = append(order, key)
			}
		}
		return r
	}
	for _, c := range cells {
		key := map[string]string{"region": c.Region, "category": c.Category, "level": c.Level}[by]
		row(key).Count(c.Status, c.Level == domain.HazardMajor, c.Overdue, c.N)
	}
	if by == "region" {
		for _, key := range slices.Sorted(maps.Keys(patrols)) {
			row(key).Patrols += patrols[key]
		}
	}
	return rows, order
}

// HazardDetails lists the hazards of a ledger for its detail sheet (at most limit).
func (s *Service) HazardDetails(ctx context.Context, u domain.User, region string, from, to time.Time, limit int) ([]domain.Hazard, error) {
	region, err := LedgerRegion(u, region)
	if err != nil {
		return nil, err
	}
	return s.db.HazardDetails(ctx, region, from, to, limit)
}
