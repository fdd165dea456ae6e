package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// 机构编制: the staffing office (编办: officers of an org of kind staffing_office, and the
// region's administrators) keeps the units and their figures; the leading group (the
// region's leaders) decides the exceptions to "只减不增" and reads everything. Every
// change is a dated row citing its document, audited.

// staffOrgs reads the org catalogue for the staffing rules.
func (s *Service) staffOrgs(ctx context.Context) (func(string) (domain.Org, bool), error) {
	orgs, err := s.db.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]domain.Org, len(orgs))
	for _, o := range orgs {
		m[o.Code] = o
	}
	return func(code string) (domain.Org, bool) { o, ok := m[code]; return o, ok }, nil
}

// staffUnit reads unit id for u: 404 to who does not read its region, 403 (with the
// reason) when act is set and u reads but may not act as the office.
func (s *Service) staffUnit(ctx context.Context, u domain.User, id int64, office bool) (domain.StaffUnit, error) {
	unit, err := s.db.StaffUnit(ctx, id)
	if err != nil {
		return unit, err
	}
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return unit, err
	}
	if !domain.StaffReads(u, unit.Region, orgOf) {
		return unit, domain.Errorf(domain.ENOTFOUND, "unit %d not found", id)
	}
	if office && !domain.StaffOffice(u, unit.Region, orgOf) {
		return unit, domain.Errorf(domain.EFORBIDDEN, "only the staffing office (编办) of the region changes a unit's establishment")
	}
	return unit, nil
}

func (s *Service) staffToday() string { return domain.RectDay(s.now()) }

// CreateStaffUnit registers a unit (机构) in its region's tree: the office of the region does.
func (s *Service) CreateStaffUnit(ctx context.Context, u domain.User, unit domain.StaffUnit) (domain.StaffUnit, error) {
	if err := unit.Validate(); err != nil {
		return unit, err
	}
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return unit, err
	}
	if !domain.StaffOffice(u, unit.Region, orgOf) {
		return unit, domain.Errorf(domain.EFORBIDDEN, "only the staffing office (编办) of the region registers units")
	}
	if _, err := s.db.Region(ctx, unit.Region); err != nil {
		return unit, domain.Errorf(domain.EINVALID, "region: unknown region %q", unit.Region)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if unit.ParentID != 0 {
			p, err := tx.StaffUnit(unit.ParentID)
			if err != nil || p.Region != unit.Region {
				return domain.Errorf(domain.EINVALID, "parent_id: unit %d is not a unit of region %s", unit.ParentID, unit.Region)
			}
		}
		if err := tx.InsertStaffUnit(&unit, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_unit.create", objectID("staff_unit", unit.ID), domain.Change{After: unit})
	})
	return unit, err
}

// StaffUnitFigures is one unit with its figures on a day and its plans' progress.
type StaffUnitFigures struct {
	Unit    domain.StaffUnit    `json:"unit"`
	Figures domain.StaffFigures `json:"figures"`
	Plans   []domain.StaffPlan  `json:"plans"`
	Over    bool                `json:"over"` // over on some establishment kind
}

// StaffRegionFigures sums the units of one region.
type StaffRegionFigures struct {
	Region  string              `json:"region"`
	Name    string              `json:"name"`
	Units   int                 `json:"units"`
	Over    int                 `json:"units_over"`
	Figures domain.StaffFigures `json:"figures"`
}

// StaffReport is the establishment of a region's units as of a day, with the change
// of each total since From.
type StaffReport struct {
	Region  string               `json:"region"`
	Day     string               `json:"day"`
	From    string               `json:"from,omitempty"`
	MayAct  bool                 `json:"may_act"` // the caller acts as the office over the region
	Units   []StaffUnitFigures   `json:"units"`
	Regions []StaffRegionFigures `json:"regions"`
	Totals  domain.StaffFigures  `json:"totals"`
	// Change is each total's approved and actual figure on Day less those on From.
	Change domain.StaffFigures `json:"change,omitempty"`
}

// staffRegion picks the region a staffing report covers: the one asked for if u reads
// it, else u's first.
func (s *Service) staffRegion(ctx context.Context, u domain.User, asked string) (string, func(string) (domain.Org, bool), error) {
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return "", nil, err
	}
	roots := domain.StaffOfficeRegions(u, orgOf)
	if len(roots) == 0 {
		return "", nil, domain.Errorf(domain.EFORBIDDEN, "the establishment is the staffing office's and the leading group's")
	}
	if asked == "" {
		return roots[0], orgOf, nil
	}
	if !domain.StaffReads(u, asked, orgOf) {
		return "", nil, domain.Errorf(domain.ENOTFOUND, "region %s not found", asked)
	}
	return asked, orgOf, nil
}

// StaffFigures reads the establishment of region's units as of day ("" today), with
// the change since from ("" none).
func (s *Service) StaffFigures(ctx context.Context, u domain.User, region, day, from string) (StaffReport, error) {
	region, orgOf, err := s.staffRegion(ctx, u, region)
	if err != nil {
		return StaffReport{}, err
	}
	if day, err = dayOrToday(day, s.staffToday()); err != nil {
		return StaffReport{}, err
	}
	if from != "" {
		if from, err = domain.ParseDay(from); err != nil || from > day {
			return StaffReport{}, domain.Errorf(domain.EINVALID, "from must be a date YYYY-MM-DD on or before the day")
		}
	}
	rep := StaffReport{Region: region, Day: day, From: from, Totals: domain.StaffFigures{}, Units: []StaffUnitFigures{}, Regions: []StaffRegionFigures{},
		MayAct: domain.StaffOffice(u, region, orgOf)}
	units, err := s.db.StaffUnits(ctx, region)
	if err != nil {
		return rep, err
	}
	quotas, err := s.db.StaffQuotas(ctx, region, day)
	if err != nil {
		return rep, err
	}
	moves, err := s.db.StaffMoves(ctx, region, day)
	if err != nil {
		return rep, err
	}
	plans, err := s.db.StaffPlans(ctx, region)
	if err != nil {
		return rep, err
	}
	figs := domain.StaffFold(day, quotas, moves)
	byRegion := map[string]*StaffRegionFigures{}
	for _, unit := range units {
		if unit.DocDate > day { // not yet approved that day
			continue
		}
		row := StaffUnitFigures{Unit: unit, Figures: figs[unit.ID], Plans: []domain.StaffPlan{}}
		if row.Figures == nil {
			row.Figures = domain.StaffFigures{}
		}
		for item, f := range row.Figures {
			row.Over = row.Over || (item.Establishment() && f.Over > 0)
		}
		for _, p := range plans {
			if p.UnitID == unit.ID && p.From <= day {
				pr := p.ProgressOn(day, row.Figures[p.Item], moves)
				p.Progress = &pr
				row.Plans = append(row.Plans, p)
			}
		}
		rep.Units = append(rep.Units, row)
		rf := byRegion[unit.Region]
		if rf == nil {
			rf = &StaffRegionFigures{Region: unit.Region, Figures: domain.StaffFigures{}}
			if r, err := s.db.Region(ctx, unit.Region); err == nil {
				rf.Name = r.Name
			}
			byRegion[unit.Region] = rf
		}
		rf.Units++
		if row.Over {
			rf.Over++
		}
		for item, f := range row.Figures {
			t, r := rep.Totals[item], rf.Figures[item]
			t.Add(f)
			r.Add(f)
			rep.Totals[item], rf.Figures[item] = t, r
		}
	}
	for _, rf := range byRegion {
		rep.Regions = append(rep.Regions, *rf)
	}
	slices.SortFunc(rep.Regions, func(a, b StaffRegionFigures) int { return strings.Compare(a.Region, b.Region) })
	if from != "" {
		rep.Change = staffChange(rep.Totals, domain.StaffFold(from, quotas, moves), units, from)
	}
	return rep, nil
}

// staffChange is each total's approved and actual figure now less those on from.
func staffChange(now domain.StaffFigures, then map[int64]domain.StaffFigures, units []domain.StaffUnit, from string) domain.StaffFigures {
	before := domain.StaffFigures{}
	for _, unit := range units {
		if unit.DocDate > from {
			continue
		}
		for item, f := range then[unit.ID] {
			b := before[item]
			b.Add(f)
			before[item] = b
		}
	}
	out := domain.StaffFigures{}
	for _, item := range domain.StaffItems {
		n, b := now[item], before[item]
		if n.Set || b.Set {
			out[item] = domain.StaffFigure{Approved: n.Approved - b.Approved, Actual: n.Actual - b.Actual, Set: true}
		}
	}
	return out
}

// StaffUnitView is a unit with its figures on a day and its whole history.
type StaffUnitView struct {
	StaffUnitFigures
	Day        string                  `json:"day"`
	Today      string                  `json:"today"`
	MayAct     bool                    `json:"may_act"`    // u acts as the office over it
	MayDecide  bool                    `json:"may_decide"` // u decides exceptions for the leading group
	Quotas     []domain.StaffQuota     `json:"quotas"`
	Moves      []domain.StaffMove      `json:"moves"`
	People     []domain.StaffPerson    `json:"people"`
	Exceptions []domain.StaffException `json:"exceptions"`
}

// StaffUnitOn reads a unit u reads, with its figures as of day ("" today) and its history.
func (s *Service) StaffUnitOn(ctx context.Context, u domain.User, id int64, day string) (StaffUnitView, error) {
	unit, err := s.staffUnit(ctx, u, id, false)
	if err != nil {
		return StaffUnitView{}, err
	}
	if day, err = dayOrToday(day, s.staffToday()); err != nil {
		return StaffUnitView{}, err
	}
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return StaffUnitView{}, err
	}
	v := StaffUnitView{Exceptions: []domain.StaffException{}, Day: day, Today: s.staffToday(), MayAct: domain.StaffOffice(u, unit.Region, orgOf), MayDecide: domain.StaffLeadingGroup(u, unit.Region)}
	v.Unit = unit
	all, moves, plans, err := s.db.StaffUnitHistory(ctx, id)
	if err != nil {
		return v, err
	}
	v.Figures = domain.StaffFold(day, all, moves)[id]
	if v.Figures == nil {
		v.Figures = domain.StaffFigures{}
	}
	for item, f := range v.Figures {
		v.Over = v.Over || (item.Establishment() && f.Over > 0)
	}
	v.Plans = []domain.StaffPlan{}
	for _, p := range plans {
		if p.From <= day {
			pr := p.ProgressOn(day, v.Figures[p.Item], moves)
			p.Progress = &pr
			v.Plans = append(v.Plans, p)
		}
	}
	v.Quotas, v.Moves = all, moves
	if v.People, err = s.db.StaffPeople(ctx, id); err != nil {
		return v, err
	}
	exc, err := s.db.StaffExceptions(ctx, unit.Region)
	for _, e := range exc {
		if e.UnitID == id {
			v.Exceptions = append(v.Exceptions, e)
		}
	}
	return v, err
}

// lastDay is the day of the last row of unit's item among days (rows in recording order).
func lastDay[T any](rows []T, of func(T) (domain.StaffItem, string), item domain.StaffItem) string {
	last := ""
	for _, r := range rows {
		if i, d := of(r); i == item && d > last {
			last = d
		}
	}
	return last
}

// SetStaffQuota records a dated change of a unit's approved figure (编制, 领导职数, or the
// 编外 total with its method and inputs): the office does. "只减不增": a raise of the
// 编外 total is refused unless it cites an exception the leading group approved, which
// it uses up.
func (s *Service) SetStaffQuota(ctx context.Context, u domain.User, unitID int64, q domain.StaffQuota) (domain.StaffQuota, error) {
	if _, err := s.staffUnit(ctx, u, unitID, true); err != nil {
		return q, err
	}
	q.UnitID, q.UserID = unitID, u.ID
	today := s.staffToday()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		all, err := tx.StaffQuotasOf(unitID)
		if err != nil {
			return err
		}
		cur := domain.StaffFold(today, all, nil)[unitID][q.Item]
		st := domain.StaffQuotaState{Has: cur.Set, Current: cur.Approved, Today: today,
			LastDay: lastDay(all, func(x domain.StaffQuota) (domain.StaffItem, string) { return x.Item, x.Day }, q.Item)}
		var e domain.StaffException
		if q.ExceptionID != 0 {
			if e, err = tx.StaffException(q.ExceptionID); err != nil {
				return domain.Errorf(domain.EINVALID, "exception_id: exception %d not found", q.ExceptionID)
			}
			st.Exception = &e
		}
		if err := domain.DecideQuota(&q, st); err != nil {
			return err
		}
		if err := tx.InsertStaffQuota(&q); err != nil {
			return err
		}
		if q.ExceptionID != 0 {
			e.Status = domain.ExceptionUsed
			if err := tx.SetStaffException(&e, domain.ExceptionApproved); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, u, "staff_quota.set", objectID("staff_unit", unitID),
			domain.Change{Before: map[string]any{"item": q.Item, "value": cur.Approved}, After: q})
	})
	return q, err
}

// RequestStaffException asks the leading group to let a unit's 编外 total be raised to
// value: the office does, for a raise only.
func (s *Service) RequestStaffException(ctx context.Context, u domain.User, unitID int64, e domain.StaffException) (domain.StaffException, error) {
	if _, err := s.staffUnit(ctx, u, unitID, true); err != nil {
		return e, err
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	e.UnitID, e.RequestedBy, e.Status = unitID, u.ID, domain.ExceptionPending
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		all, err := tx.StaffQuotasOf(unitID)
		if err != nil {
			return err
		}
		cur := domain.StaffFold(s.staffToday(), all, nil)[unitID][domain.StaffExtra]
		if !cur.Set || e.Value <= cur.Approved {
			return domain.Errorf(domain.EINVALID, "value: an exception is for raising the approved 编外 total (now %d); lowering needs none", cur.Approved)
		}
		if err := tx.InsertStaffException(&e); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_exception.request", objectID("staff_exception", e.ID), domain.Change{After: e})
	})
	return e, err
}

// DecideStaffException approves or refuses a pending exception with the leading
// group's document: the region's leaders do.
func (s *Service) DecideStaffException(ctx context.Context, u domain.User, id int64, approve bool, docNo, note string) (domain.StaffException, error) {
	docNo, note = strings.TrimSpace(docNo), strings.TrimSpace(note)
	var e domain.StaffException
	orgOf, err := s.staffOrgs(ctx)
	if err != nil {
		return e, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if e, err = tx.StaffException(id); err != nil {
			return err
		}
		unit, err := tx.StaffUnit(e.UnitID)
		if err != nil {
			return err
		}
		if !domain.StaffLeadingGroup(u, unit.Region) {
			if !domain.StaffReads(u, unit.Region, orgOf) {
				return domain.Errorf(domain.ENOTFOUND, "exception %d not found", id)
			}
			return domain.Errorf(domain.EFORBIDDEN, "only the leading group (the region's leaders) decides an exception to 只减不增")
		}
		if e.Status != domain.ExceptionPending {
			return domain.Errorf(domain.ECONFLICT, "exception %d is %s, not pending", id, e.Status)
		}
		if docNo == "" || len([]rune(docNo)) > 100 || len([]rune(note)) > 500 {
			return domain.Errorf(domain.EINVALID, "doc_no (the leading group's decision) is required, at most 100 characters; note at most 500")
		}
		before := e
		at := s.now()
		e.Status, e.DocNo, e.Note, e.DecidedBy, e.DecidedAt = domain.ExceptionRefused, docNo, note, u.ID, &at
		if approve {
			e.Status = domain.ExceptionApproved
		}
		if err := tx.SetStaffException(&e, domain.ExceptionPending); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_exception.decide", objectID("staff_exception", id), domain.Change{Before: before, After: e})
	})
	return e, err
}

// StaffExceptions lists the exceptions asked in region ("" u's first), newest first.
func (s *Service) StaffExceptions(ctx context.Context, u domain.User, region string) ([]domain.StaffException, error) {
	region, _, err := s.staffRegion(ctx, u, region)
	if err != nil {
		return nil, err
	}
	return s.db.StaffExceptions(ctx, region)
}

// NewStaffPerson names the person a movement of one brings in.
type NewStaffPerson struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

// StaffMoveRequest is a movement with, when it brings in a named person, who.
type StaffMoveRequest struct {
	domain.StaffMove
	Person *NewStaffPerson `json:"person,omitempty"`
}

// RecordStaffMove records staff coming in or leaving a unit: by count, or one named
// person (in: a new person with a sealed ID number; out: person_id). Hiring past the
// approved figure is refused, except while over under a digestion plan as its rule allows.
func (s *Service) RecordStaffMove(ctx context.Context, u domain.User, unitID int64, r StaffMoveRequest) (domain.StaffMove, error) {
	m := r.StaffMove
	if _, err := s.staffUnit(ctx, u, unitID, true); err != nil {
		return m, err
	}
	m.UnitID, m.UserID = unitID, u.ID
	var person domain.StaffPerson
	var sealed, hash string
	if r.Person != nil {
		if m.Delta != 1 || m.PersonID != 0 {
			return m, domain.Errorf(domain.EINVALID, "person: a named person comes in one at a time (delta 1, no person_id)")
		}
		name := strings.TrimSpace(r.Person.Name)
		if name == "" || len([]rune(name)) > 50 {
			return m, domain.Errorf(domain.EINVALID, "person.name is required, at most 50 characters")
		}
		id, err := domain.ValidIDNumber(r.Person.IDNumber)
		if err != nil {
			return m, domain.Errorf(domain.EINVALID, "person.id_number: %s", domain.ErrorMessage(err))
		}
		gs, err := s.KeyGroups(ctx)
		if err != nil {
			return m, err
		}
		if sealed, err = gs.keys.Seal(id); err != nil {
			return m, err
		}
		hash = gs.keys.Hash(string(domain.FieldIDNumber), id)
		person = domain.StaffPerson{UnitID: unitID, Item: m.Item, Kind: m.Kind, Level: m.Level, Name: name, IDMasked: domain.Field{Type: domain.FieldIDNumber}.Mask(id)}
	} else if m.PersonID != 0 && m.Delta != -1 {
		return m, domain.Errorf(domain.EINVALID, "person_id: a named person leaves one at a time (delta -1)")
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.decideMove(tx, &m); err != nil {
			return err
		}
		if r.Person != nil {
			if other, err := tx.StaffPersonOnStaff(hash); err != nil {
				return err
			} else if other != 0 {
				return domain.Errorf(domain.ECONFLICT, "person.id_number: this person is already on staff (person %d)", other)
			}
			if err := tx.InsertStaffPerson(&person, sealed, hash); err != nil {
				return err
			}
			m.PersonID = person.ID
		}
		if err := tx.InsertStaffMove(&m); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_move.record", objectID("staff_unit", unitID), domain.Change{After: m})
	})
	return m, err
}

// decideMove checks m against the unit's figures today and the plan in force on its item.
func (s *Service) decideMove(tx *store.Tx, m *domain.StaffMove) error {
	if m.PersonID != 0 {
		p, err := tx.StaffPerson(m.PersonID)
		if err != nil || p.UnitID != m.UnitID || p.Item != m.Item || !p.OnStaff {
			return domain.Errorf(domain.EINVALID, "person_id: person %d is not on this unit's %s staff", m.PersonID, m.Item)
		}
		if m.Kind == "" {
			m.Kind = p.Kind // a named person leaves as the kind they came in as
		} else if m.Kind != p.Kind {
			return domain.Errorf(domain.EINVALID, "kind: person %d is employed as %s, not %s", m.PersonID, p.Kind.Key(), m.Kind.Key())
		}
		if m.Level == "" {
			m.Level = p.Level // and leaves the post at the level they held
		} else if m.Level != p.Level {
			return domain.Errorf(domain.EINVALID, "level: person %d holds a post at %s, not %s", m.PersonID, p.Level.Key(), m.Level.Key())
		}
	}
	today := s.staffToday()
	quotas, err := tx.StaffQuotasOf(m.UnitID)
	if err != nil {
		return err
	}
	moves, err := tx.StaffMovesOf(m.UnitID)
	if err != nil {
		return err
	}
	plans, err := tx.StaffPlansOf(m.UnitID)
	if err != nil {
		return err
	}
	f := domain.StaffFold(today, quotas, moves)[m.UnitID][m.Item]
	st := domain.StaffMoveState{Figure: f, Today: today,
		LastDay: lastDay(moves, func(x domain.StaffMove) (domain.StaffItem, string) { return x.Item, x.Day }, m.Item)}
	if p := planInForce(plans, m.Item, today); p != nil {
		pr := p.ProgressOn(today, f, moves)
		p.Progress = &pr
		st.Plan = p
	}
	return domain.DecideMove(m, st)
}

// planInForce is the latest plan on item begun by day, or nil.
func planInForce(plans []domain.StaffPlan, item domain.StaffItem, day string) *domain.StaffPlan {
	for i := len(plans) - 1; i >= 0; i-- {
		if plans[i].Item == item && plans[i].From <= day {
			p := plans[i]
			return &p
		}
	}
	return nil
}

// CreateStaffPlan makes a digestion plan for what a unit is over on an establishment
// kind, from a day it is over on: the office does; one plan in force at a time.
func (s *Service) CreateStaffPlan(ctx context.Context, u domain.User, unitID int64, p domain.StaffPlan) (domain.StaffPlan, error) {
	if _, err := s.staffUnit(ctx, u, unitID, true); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	p.UnitID = unitID
	today := s.staffToday()
	if p.From > today {
		return p, domain.Errorf(domain.EINVALID, "from %s is after today (%s)", p.From, today)
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		quotas, err := tx.StaffQuotasOf(unitID)
		if err != nil {
			return err
		}
		moves, err := tx.StaffMovesOf(unitID)
		if err != nil {
			return err
		}
		plans, err := tx.StaffPlansOf(unitID)
		if err != nil {
			return err
		}
		if old := planInForce(plans, p.Item, today); old != nil {
			if pr := old.ProgressOn(today, domain.StaffFold(today, quotas, moves)[unitID][p.Item], moves); !pr.Done {
				return domain.Errorf(domain.ECONFLICT, "plan %d (%s) is still in force on %s", old.ID, old.DocNo, p.Item)
			}
			if p.From < old.From {
				return domain.Errorf(domain.EINVALID, "from must be on or after the last plan's (%s)", old.From)
			}
		}
		over := domain.StaffFold(p.From, quotas, moves)[unitID][p.Item].Over
		if over == 0 {
			return domain.Errorf(domain.ECONFLICT, "the unit is not over its %s on %s: no plan is needed", domain.StaffItemNames[p.Item], p.From)
		}
		p.BaseOver = over
		if err := tx.InsertStaffPlan(&p, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "staff_plan.create", objectID("staff_plan", p.ID), domain.Change{After: p})
	})
	return p, err
}

// RevealStaffID shows a named person's ID number in clear to the office, for a
// purpose; every reveal is audited.
func (s *Service) RevealStaffID(ctx context.Context, u domain.User, personID int64, purpose string) (string, error) {
	p, sealed, err := s.db.StaffPersonSealed(ctx, personID)
	if err != nil {
		return "", err
	}
	if _, err := s.staffUnit(ctx, u, p.UnitID, true); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", domain.Errorf(domain.ENOTFOUND, "person %d not found", personID)
		}
		return "", err
	}
	if len([]rune(strings.TrimSpace(purpose))) < 2 {
		return "", domain.Errorf(domain.EINVALID, "purpose: say why you need to see the ID number")
	}
	gs, err := s.KeyGroups(ctx)
	if err != nil {
		return "", err
	}
	clear, err := gs.keys.Open(sealed)
	if err != nil {
		return "", err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		return s.audit(ctx, tx, u, "staff_person.reveal", objectID("staff_person", personID), domain.Change{After: map[string]string{"purpose": purpose}})
	})
	return clear, err
}

// StaffTable is the report as the office files it (统计年报-style): a row per unit with
// approved, actual, vacant and over of each item and the 编外 actual by kind, then a row
// per region and the total.
func StaffTable(rep StaffReport) [][]string {
	head := []string{"单位", "区划", "机构类别", "批准文号"}
	for _, item := range domain.StaffItems {
		n := domain.StaffItemNames[item]
		head = append(head, n+"核定", n+"实有", n+"空缺", n+"超出")
	}
	for _, k := range domain.ExtraKinds {
		head = append(head, "编外员额实有（"+domain.ExtraKindNames[k]+"）")
	}
	head = append(head, "领导职数按级别（实有/核定）")
	head = append(head, "消化计划")
	rows := [][]string{{"机构编制统计表（截至 " + rep.Day + "）"}, head}
	figs := func(fs domain.StaffFigures) []string {
		var out []string
		for _, item := range domain.StaffItems {
			f := fs[item]
			out = append(out, strconv.Itoa(f.Approved), strconv.Itoa(f.Actual), strconv.Itoa(f.Vacant), strconv.Itoa(f.Over))
		}
		for _, n := range fs[domain.StaffExtra].ByKind {
			out = append(out, strconv.Itoa(n))
		}
		return append(out, staffLevels(fs))
	}
	for _, u := range rep.Units {
		var plans []string
		for _, p := range u.Plans {
			if p.Progress != nil {
				plans = append(plans, p.RuleName()+" "+domain.StaffItemNames[p.Item]+" 已消化"+strconv.Itoa(p.Progress.Digested)+"/"+strconv.Itoa(p.BaseOver))
			}
		}
		row := append([]string{u.Unit.Name, u.Unit.Region, domain.StaffUnitKindNames[u.Unit.Kind], u.Unit.DocNo}, figs(u.Figures)...)
		rows = append(rows, append(row, strings.Join(plans, "；")))
	}
	for _, r := range rep.Regions {
		row := append([]string{"小计（" + r.Name + "，" + strconv.Itoa(r.Units) + "个单位，超编" + strconv.Itoa(r.Over) + "个）", r.Region, "", ""}, figs(r.Figures)...)
		rows = append(rows, append(row, ""))
	}
	return append(rows, append(append([]string{"合计", rep.Region, "", ""}, figs(rep.Totals)...), ""))
}

// staffLevels words the leadership posts by level as the table shows them:
// "正职：正科级 1/1；副职：副科级 2/3" (filled/approved), the levels set or filled.
func staffLevels(fs domain.StaffFigures) string {
	var items []string
	for _, item := range []domain.StaffItem{domain.StaffLeadChief, domain.StaffLeadDep} {
		var ls []string
		for _, l := range domain.LeadLevels {
			if f := fs[item].ByLevel.Of(l); f.Set || f.Actual != 0 {
				ls = append(ls, domain.LeadLevelNames[l]+" "+strconv.Itoa(f.Actual)+"/"+strconv.Itoa(f.Approved))
			}
		}
		if ls != nil {
			items = append(items, map[domain.StaffItem]string{domain.StaffLeadChief: "正职", domain.StaffLeadDep: "副职"}[item]+"："+strings.Join(ls, "，"))
		}
	}
	return strings.Join(items, "；")
}

// StaffingReader tells whether u reads some region's establishment (the office or the
// leading group): who is offered the staffing pages.
func (s *Service) StaffingReader(ctx context.Context, u domain.User) bool {
	orgOf, err := s.staffOrgs(ctx)
	return err == nil && len(domain.StaffOfficeRegions(u, orgOf)) > 0
}
