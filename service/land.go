package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"whistle/domain"
	"whistle/secret"
	"whistle/store"
)

// 土地承包经营权登记: town staff (the village's administrators and dispatchers) keep the
// collectives, households, parcels and contracts and accept applications; the county's
// registration office (its officers) reviews, books, prints and issues; holders read
// their certificates and give banks a consent code; banks check a certificate's state.

// landKeys are the personal-data keys (the key groups' own), opened on first use.
func (s *Service) landKeys(ctx context.Context) (*secret.Keys, error) {
	gs, err := s.KeyGroups(ctx)
	if err != nil {
		return nil, err
	}
	return gs.keys, nil
}

// CreateLandOffice sets up a county's registration office: the county's administrators.
func (s *Service) CreateLandOffice(ctx context.Context, u domain.User, o domain.LandOffice) (domain.LandOffice, error) {
	if lv, err := domain.LevelOf(o.Region); err != nil || lv != domain.LevelCounty {
		return o, domain.Invalidf("land.office.region", "an office's region %q must be a county code", o.Region)
	}
	if strings.TrimSpace(o.Abbr) == "" || strings.TrimSpace(o.Name) == "" {
		return o, domain.Invalidf("land.office.name", "an office needs abbr (湘) and name (洪江区)")
	}
	if !domain.Administers(u, o.Region) {
		return o, domain.Errorf(domain.EFORBIDDEN, "only the county's administrators set up its registration office")
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if !tx.OrgExists(o.Org) {
			return domain.Invalidf("land.office.org", "unknown org %q", o.Org)
		}
		if err := tx.InsertLandOffice(&o); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_office.create", objectID("land_office", o.ID), domain.Change{After: o})
	})
	return o, err
}

// CreateLandCollective adds a 发包方 under a real village: its clerks.
func (s *Service) CreateLandCollective(ctx context.Context, u domain.User, c domain.LandCollective) (domain.LandCollective, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	if !domain.LandClerk(u, c.Village) {
		return c, domain.Errorf(domain.EFORBIDDEN, "only the town's staff keep the collectives of village %s", c.Village)
	}
	if _, err := s.db.Region(ctx, c.Village); err != nil {
		return c, domain.Invalidf("land.village", "unknown village %q", c.Village)
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertLandCollective(&c); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_collective.create", objectID("land_collective", c.ID), domain.Change{After: c})
	})
	return c, err
}

// LandCollectives lists the collectives of region u reads.
func (s *Service) LandCollectives(ctx context.Context, u domain.User, region string) ([]domain.LandCollective, error) {
	if !s.landReadsVillage(ctx, u, region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "you do not read the land records of region %q", region)
	}
	return s.db.LandCollectives(ctx, region)
}

// sealMembers seals members' ID numbers and phones, refusing an ID number already in
// another household.
func (s *Service) sealMembers(tx *store.Tx, keys *secret.Keys, h *domain.LandHousehold) ([]store.LandMemberRow, error) {
	rows := make([]store.LandMemberRow, len(h.Members))
	for i, m := range h.Members {
		hash := keys.Hash(string(domain.FieldIDNumber), m.IDNumber)
		if other, err := tx.LandIDHashTaken(hash, h.ID); err != nil {
			return nil, err
		} else if other != 0 {
			return nil, domain.Errorf(domain.ECONFLICT, "member %d: this ID number is already in household %d", i+1, other)
		}
		var err error
		if m.IDNumber, err = keys.Seal(m.IDNumber); err != nil {
			return nil, err
		}
		if m.Phone != "" {
			if m.Phone, err = keys.Seal(m.Phone); err != nil {
				return nil, err
			}
		}
		rows[i] = store.LandMemberRow{LandMember: m, IDHash: hash}
	}
	return rows, nil
}

// openHousehold opens a stored household's sealed values, masked unless reveal.
func openHousehold(keys *secret.Keys, h *domain.LandHousehold, reveal bool) error {
	var err error
	for i := range h.Members {
		m := &h.Members[i]
		if m.IDNumber, err = keys.Open(m.IDNumber); err != nil {
			return err
		}
		if m.Phone != "" {
			if m.Phone, err = keys.Open(m.Phone); err != nil {
				return err
			}
		}
	}
	if h.BankAccount != "" {
		if h.BankAccount, err = keys.Open(h.BankAccount); err != nil {
			return err
		}
	}
	if !reveal {
		h.Mask()
	}
	return nil
}

// PutLandHousehold adds (ID 0) or replaces a contracting household with its members:
// the village's clerks. Personal data are sealed; the answer is masked.
func (s *Service) PutLandHousehold(ctx context.Context, u domain.User, h domain.LandHousehold) (domain.LandHousehold, error) {
	if err := h.Validate(); err != nil {
		return h, err
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return h, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if h.ID != 0 {
			old, err := tx.LandHousehold(h.ID)
			if err != nil {
				return err
			}
			h.CollectiveID = old.CollectiveID
		}
		c, err := tx.LandCollective(h.CollectiveID)
		if err != nil {
			return domain.Invalidf("land.collective", "unknown collective %d", h.CollectiveID)
		}
		if h.Village = c.Village; !domain.LandClerk(u, c.Village) {
			return domain.Errorf(domain.EFORBIDDEN, "only the town's staff keep the households of village %s", c.Village)
		}
		if h.BankAccount != "" {
			if h.BankAccount, err = keys.Seal(h.BankAccount); err != nil {
				return err
			}
		}
		rows, err := s.sealMembers(tx, keys, &h)
		if err != nil {
			return err
		}
		action := "land_household.update"
		if h.ID == 0 {
			action = "land_household.create"
			err = tx.InsertLandHousehold(&h, rows)
		} else {
			err = tx.UpdateLandHousehold(h, rows)
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, u, action, objectID("land_household", h.ID), domain.Change{After: map[string]any{"code": h.Code, "members": len(h.Members)}})
	})
	if err != nil {
		return h, err
	}
	return s.LandHousehold(ctx, u, h.ID, "")
}

// LandHousehold reads a household u may read: masked, or in clear when purpose is given
// and u is its clerk or a registrar (the reveal is audited). Its holder reads it too.
func (s *Service) LandHousehold(ctx context.Context, u domain.User, id int64, purpose string) (domain.LandHousehold, error) {
	hs, err := s.db.LandHouseholds(ctx, store.LandHouseholdFilter{ID: id})
	if err != nil {
		return domain.LandHousehold{}, err
	}
	if len(hs) == 0 || !(s.landReadsVillage(ctx, u, hs[0].Village) || hs[0].UserID == u.ID && u.ID != 0) {
		return domain.LandHousehold{}, domain.Errorf(domain.ENOTFOUND, "household %d not found", id)
	}
	h := hs[0]
	reveal := strings.TrimSpace(purpose) != ""
	if reveal && !(domain.LandClerk(u, h.Village) || s.landRegistrarOf(ctx, u, h.Village)) {
		return h, domain.Errorf(domain.EFORBIDDEN, "only the town's staff and the registrars reveal a household's personal data")
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return h, err
	}
	if err := openHousehold(keys, &h, reveal || h.UserID == u.ID && u.ID != 0); err != nil {
		return h, err
	}
	if reveal {
		err = s.db.Update(ctx, func(tx *store.Tx) error {
			return s.audit(ctx, tx, u, "land_household.reveal", objectID("land_household", id), domain.Change{After: map[string]string{"purpose": purpose}})
		})
	}
	return h, err
}

// LandHouseholds lists the households of region (masked), or those with a member of
// the ID number idNumber (an exact search, audited, for clerks and registrars).
func (s *Service) LandHouseholds(ctx context.Context, u domain.User, region, idNumber string) ([]domain.LandHousehold, error) {
	if !s.landReadsVillage(ctx, u, region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "you do not read the land records of region %q", region)
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return nil, err
	}
	f := store.LandHouseholdFilter{Region: region}
	if idNumber != "" {
		id, err := domain.ValidIDNumber(idNumber)
		if err != nil {
			return nil, domain.Invalidf("land.id_number", "id_number: %s", domain.ErrorMessage(err))
		}
		if !(domain.LandClerk(u, region) || s.landRegistrarOf(ctx, u, region)) {
			return nil, domain.Errorf(domain.EFORBIDDEN, "only the town's staff and the registrars search by ID number")
		}
		f.IDHash = keys.Hash(string(domain.FieldIDNumber), id)
		if err := s.db.Update(ctx, func(tx *store.Tx) error {
			return s.audit(ctx, tx, u, "land_household.search", "land_household", domain.Change{After: map[string]string{"region": region}})
		}); err != nil {
			return nil, err
		}
	}
	hs, err := s.db.LandHouseholds(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range hs {
		if err := openHousehold(keys, &hs[i], false); err != nil {
			return nil, err
		}
	}
	return hs, nil
}

// landRegistrarOf tells whether u registers for the office of region's county.
func (s *Service) landRegistrarOf(ctx context.Context, u domain.User, region string) bool {
	o, err := s.db.LandOfficeOf(ctx, region)
	return err == nil && domain.LandRegistrar(u, o)
}

// landReadsVillage tells whether u reads the land records of region: its clerks and
// leaders, and the county's registrars.
func (s *Service) landReadsVillage(ctx context.Context, u domain.User, region string) bool {
	return region != "" && (domain.LandReads(u, region) || s.landRegistrarOf(ctx, u, region))
}

// CreateLandParcel adds a parcel of a collective: the village's clerks.
func (s *Service) CreateLandParcel(ctx context.Context, u domain.User, p domain.LandParcel) (domain.LandParcel, error) {
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.LandCollective(p.CollectiveID)
		if err != nil {
			return domain.Invalidf("land.collective", "unknown collective %d", p.CollectiveID)
		}
		if !domain.LandClerk(u, c.Village) {
			return domain.Errorf(domain.EFORBIDDEN, "only the town's staff keep the parcels of village %s", c.Village)
		}
		if err := p.Validate(c); err != nil {
			return err
		}
		if err := tx.InsertLandParcel(&p); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_parcel.create", objectID("land_parcel", p.ID), domain.Change{After: map[string]any{"code": p.Code}})
	})
	return p, err
}

// LandParcels lists the parcels of region (a village or a collective's code prefix).
func (s *Service) LandParcels(ctx context.Context, u domain.User, region string) ([]domain.LandParcel, error) {
	if !s.landReadsVillage(ctx, u, region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "you do not read the land records of region %q", region)
	}
	return s.db.LandParcelsOf(ctx, region, 5000)
}

// LandHouseholdParcels lists the parcels of a household's live contract with their
// polygons, for who reads its village: its map.
func (s *Service) LandHouseholdParcels(ctx context.Context, u domain.User, household int64) ([]domain.LandParcel, error) {
	hs, err := s.db.LandHouseholds(ctx, store.LandHouseholdFilter{ID: household})
	if err != nil {
		return nil, err
	}
	if len(hs) == 0 || !s.landReadsVillage(ctx, u, hs[0].Village) {
		return nil, domain.Errorf(domain.ENOTFOUND, "household %d not found", household)
	}
	cs, err := s.db.LandContractsOf(ctx, household)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ParcelIDs...)
	}
	return s.db.LandParcelsByID(ctx, ids)
}

// LandCertificateParcels lists the parcels a certificate's right holds with their
// polygons, for its holder or who reads its village: the certificate's map.
func (s *Service) LandCertificateParcels(ctx context.Context, u domain.User, id int64) ([]domain.LandParcel, error) {
	c, err := s.LandCertificate(ctx, u, id)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(c.Right.Parcels))
	for i, p := range c.Right.Parcels {
		ids[i] = p.ID
	}
	return s.db.LandParcelsByID(ctx, ids)
}

// LandParcelAt finds the parcel holding the point (lon, lat) among those u reads.
func (s *Service) LandParcelAt(ctx context.Context, u domain.User, lon, lat float64) (domain.LandParcel, error) {
	if !domain.ValidPosition(lat, lon) {
		return domain.LandParcel{}, domain.Invalidf("land.point", "lon %v, lat %v is not a position", lon, lat)
	}
	ps, err := s.db.LandParcelsNear(ctx, domain.E7(lon), domain.E7(lat))
	if err != nil {
		return domain.LandParcel{}, err
	}
	for _, p := range ps {
		poly, err := domain.ParsePolygon(p.Geometry)
		if err == nil && poly.Contains(lat, lon) && s.landReadsVillage(ctx, u, p.Code[:12]) {
			return p, nil
		}
	}
	return domain.LandParcel{}, domain.Errorf(domain.ENOTFOUND, "no parcel at %v, %v", lon, lat)
}

// CreateLandContract contracts parcels of a collective to one of its households: the
// village's clerks. A parcel already in a live contract is refused (and the store's
// unique index refuses it whatever the door).
func (s *Service) CreateLandContract(ctx context.Context, u domain.User, c domain.LandContract) (domain.LandContract, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		h, err := tx.LandHousehold(c.HouseholdID)
		if err != nil {
			return domain.Invalidf("land.household", "unknown household %d", c.HouseholdID)
		}
		col, err := tx.LandCollective(h.CollectiveID)
		if err != nil {
			return err
		}
		if !domain.LandClerk(u, h.Village) {
			return domain.Errorf(domain.EFORBIDDEN, "only the town's staff make the contracts of village %s", h.Village)
		}
		c.CollectiveID = col.ID
		if err := s.landContractParcels(tx, c); err != nil {
			return err
		}
		if live, err := tx.LiveLandContractOf(h.ID); err != nil {
			return err
		} else if live.ID != 0 {
			return domain.Errorf(domain.ECONFLICT, "household %s already holds live contract %s", h.Code, live.Number)
		}
		c.Number = h.Code + "J"
		if err := tx.InsertLandContract(&c); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_contract.create", objectID("land_contract", c.ID), domain.Change{After: c})
	})
	return c, err
}

// landContractParcels checks that c's parcels are its collective's village's and in
// no live contract but c.
func (s *Service) landContractParcels(tx *store.Tx, c domain.LandContract) error {
	ps, err := tx.LandParcelsByID(c.ParcelIDs)
	if err != nil {
		return err
	}
	col, err := tx.LandCollective(c.CollectiveID)
	if err != nil {
		return err
	}
	if len(ps) != len(c.ParcelIDs) {
		return domain.Invalidf("land.contract.parcels", "a parcel of the contract does not exist")
	}
	for _, p := range ps {
		if p.Code[:12] != col.Village {
			return domain.Invalidf("land.contract.parcels", "parcel %s is not of village %s", p.Code, col.Village)
		}
	}
	live, err := tx.LiveLandParcels(c.ParcelIDs, c.ID)
	if err != nil {
		return err
	}
	if len(live) > 0 {
		return domain.Errorf(domain.ECONFLICT, "parcel %s is already in a live contract", strings.Join(live, ", "))
	}
	return nil
}

// ApplyLand accepts (受理) an application for a household's contract: the village's
// clerks or the county's registrars. Its working-day limit runs from now on the
// calendar; an application the register cannot take is refused here already.
func (s *Service) ApplyLand(ctx context.Context, u domain.User, a domain.LandApplication) (domain.LandApplication, error) {
	a.ID, a.Status, a.EntryID, a.CertID, a.Reason = 0, domain.LandAccepted, 0, 0, ""
	if a.Documents == nil {
		a.Documents = []string{}
	}
	if err := a.Validate(); err != nil {
		return a, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.LandContract(a.ContractID)
		if err != nil {
			return domain.Invalidf("land.contract", "unknown contract %d", a.ContractID)
		}
		h, err := tx.LandHousehold(c.HouseholdID)
		if err != nil {
			return err
		}
		o, err := tx.LandOfficeOf(h.Village)
		if err != nil {
			return err
		}
		if !domain.LandClerk(u, h.Village) && !domain.LandRegistrar(u, o) {
			return domain.Errorf(domain.EFORBIDDEN, "only the town's staff and the registrars accept applications for village %s", h.Village)
		}
		a.HouseholdID, a.Village, a.OfficeID = h.ID, h.Village, o.ID
		if err := s.landMayBook(tx, a, h, c); err != nil {
			return err
		}
		cal, err := tx.Calendar()
		if err != nil {
			return err
		}
		a.AcceptedAt, a.AcceptedBy = s.now().Truncate(time.Second), u.ID
		a.DueAt = cal.Due(a.AcceptedAt, domain.Deadline{N: domain.LandKinds[a.Kind], Unit: domain.UnitDay})
		if err := tx.InsertLandApplication(&a); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_application.accept", objectID("land_application", a.ID), domain.Change{After: a})
	})
	return a, err
}

// landMayBook checks the register can take a: checked at acceptance and again when
// booking.
func (s *Service) landMayBook(tx *store.Tx, a domain.LandApplication, h domain.LandHousehold, c domain.LandContract) error {
	cur, err := tx.LandRightOn(h.Unit, "9999-12-31")
	if err != nil {
		return err
	}
	registered := cur.ID != 0 && !cur.Right.Cancelled
	if a.Kind == domain.LandFirst {
		if registered {
			return domain.Errorf(domain.ECONFLICT, "unit %s is registered already: apply for a change", h.Unit)
		}
		if !c.Live {
			return domain.Errorf(domain.ECONFLICT, "contract %s is not live", c.Number)
		}
		return nil
	}
	if !registered {
		return domain.Errorf(domain.ECONFLICT, "unit %s has no registered right: apply for a first registration", h.Unit)
	}
	r := cur.Right
	switch a.Kind {
	case domain.LandTransfer, domain.LandCancel:
		if err := domain.LandTransferable(r, a.Terms.CreditorConsent); err != nil {
			return err
		}
	case domain.LandChange:
		if a.Terms.Sub == "split" && len(r.Mortgages) > 0 && !a.Terms.CreditorConsent {
			return domain.LandTransferable(r, false)
		}
	case domain.LandDischarge:
		return (&r).Discharge(a.Terms.Mortgage)
	}
	if a.Kind == domain.LandTransfer || a.Kind == domain.LandLease || a.Terms.Sub == "split" {
		if err := r.Holds(a.Terms.ParcelIDs); err != nil {
			return err
		}
	}
	if to := a.Terms.ToHousehold; to != 0 {
		th, err := tx.LandHousehold(to)
		if err != nil || to == h.ID {
			return domain.Invalidf("land.transfer", "terms.to_household %d is not another household", to)
		}
		if th.Village[:6] != h.Village[:6] {
			return domain.Invalidf("land.transfer", "a right moves within its county only")
		}
	}
	return nil
}

// LandApplicationView is an application with its household and office.
type LandApplicationView struct {
	Application domain.LandApplication `json:"application"`
	Household   string                 `json:"household"`
	Unit        string                 `json:"unit"`
	Office      domain.LandOffice      `json:"office"`
	MayAct      []domain.LandAct       `json:"may_act"`
}

// LandApplication reads an application u may read.
func (s *Service) LandApplication(ctx context.Context, u domain.User, id int64) (LandApplicationView, error) {
	a, err := s.db.LandApplication(ctx, id)
	if err != nil {
		return LandApplicationView{}, err
	}
	hs, err := s.db.LandHouseholds(ctx, store.LandHouseholdFilter{ID: a.HouseholdID})
	if err != nil || len(hs) == 0 {
		return LandApplicationView{}, domain.Errorf(domain.ENOTFOUND, "application %d not found", id)
	}
	h := hs[0]
	if !s.landReadsVillage(ctx, u, a.Village) && !(h.UserID == u.ID && u.ID != 0) {
		return LandApplicationView{}, domain.Errorf(domain.ENOTFOUND, "application %d not found", id)
	}
	a.Overdue = s.landOverdue(a)
	v := LandApplicationView{Application: a, Household: h.Head, Unit: h.Unit, MayAct: []domain.LandAct{}}
	if v.Office, err = s.db.LandOffice(ctx, a.OfficeID); err != nil {
		return v, err
	}
	if domain.LandRegistrar(u, v.Office) {
		for _, act := range []domain.LandAct{domain.LandReview, domain.LandBook, domain.LandPrint, domain.LandIssue, domain.LandRefuse} {
			if _, err := act.Next(a.Status); err == nil {
				v.MayAct = append(v.MayAct, act)
			}
		}
	}
	return v, nil
}

func (s *Service) landOverdue(a domain.LandApplication) bool {
	return a.Status != domain.LandIssued && a.Status != domain.LandRefused && s.now().After(a.DueAt)
}

// LandApplications lists the applications of region u reads, newest first; open
// keeps those not yet issued nor refused.
func (s *Service) LandApplications(ctx context.Context, u domain.User, region string, open bool) ([]domain.LandApplication, error) {
	if !s.landReadsVillage(ctx, u, region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "you do not read the land records of region %q", region)
	}
	as, err := s.db.LandApplications(ctx, store.LandApplicationFilter{Region: region, Open: open})
	for i := range as {
		as[i].Overdue = s.landOverdue(as[i])
	}
	return as, err
}

// LandStepInput is a registrar's step on an application.
type LandStepInput struct {
	Act     domain.LandAct `json:"act"`
	Note    string         `json:"note"`
	Version int            `json:"version"`
}

// ActOnLand takes a registrar's step: 审核, 登簿 (the register entry and, for a kind
// that issues one, the certificate and its number, in the same transaction), 缮证,
// 发证, or a refusal with its reason.
func (s *Service) ActOnLand(ctx context.Context, u domain.User, id int64, in LandStepInput) (LandApplicationView, error) {
	if _, err := s.LandApplication(ctx, u, id); err != nil {
		return LandApplicationView{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if in.Act == domain.LandRefuse && in.Note == "" {
		return LandApplicationView{}, domain.Invalidf("land.reason", "a refusal needs its reason in note")
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		a, err := tx.LandApplication(id)
		if err != nil {
			return err
		}
		o, err := s.db.LandOffice(ctx, a.OfficeID)
		if err != nil {
			return err
		}
		if !domain.LandRegistrar(u, o) {
			return domain.Errorf(domain.EFORBIDDEN, "only the registrars of %s take an application's steps", o.Name)
		}
		if in.Version != 0 && in.Version != a.Version {
			return domain.Errorf(domain.ESTALE, "application %d changed meanwhile; reload and try again", id)
		}
		next, err := in.Act.Next(a.Status)
		if err != nil {
			return err
		}
		version := a.Version
		a.Status = next
		if in.Act == domain.LandRefuse {
			a.Reason = in.Note
		}
		if in.Act == domain.LandBook {
			if err := s.bookLand(tx, u, o, &a); err != nil {
				return err
			}
		}
		if err := tx.UpdateLandApplication(a, version); err != nil {
			return err
		}
		if err := tx.AddLandStep(id, domain.LandStep{Act: in.Act, At: s.now(), By: u.ID, Note: in.Note}); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_application."+string(in.Act), objectID("land_application", id),
			domain.Change{After: map[string]any{"status": a.Status, "note": in.Note, "entry": a.EntryID, "certificate": a.CertID}})
	})
	if err != nil {
		return LandApplicationView{}, err
	}
	return s.LandApplication(ctx, u, id)
}

// bookLand writes a's entries to the register and issues its certificates.
func (s *Service) bookLand(tx *store.Tx, u domain.User, o domain.LandOffice, a *domain.LandApplication) error {
	c, err := tx.LandContract(a.ContractID)
	if err != nil {
		return err
	}
	h, err := tx.LandHousehold(a.HouseholdID)
	if err != nil {
		return err
	}
	if err := s.landMayBook(tx, *a, h, c); err != nil {
		return err
	}
	cur, err := tx.LandRightOn(h.Unit, "9999-12-31")
	if err != nil {
		return err
	}
	r := cur.Right
	t := a.Terms
	switch a.Kind {
	case domain.LandFirst, domain.LandChange:
		for _, fix := range t.Areas {
			if !slices.Contains(c.ParcelIDs, fix.Parcel) || fix.ContractArea <= 0 || fix.MeasuredArea <= 0 {
				return domain.Invalidf("land.area", "area correction of parcel %d: not the contract's, or not above zero", fix.Parcel)
			}
			if err := tx.UpdateLandParcelArea(fix.Parcel, fix.ContractArea, fix.MeasuredArea); err != nil {
				return err
			}
		}
		if t.Sub == "split" {
			return s.moveLand(tx, u, o, a, h, c, r)
		}
		next, err := s.landRightOf(tx, h, c)
		if err != nil {
			return err
		}
		next.Mortgages, next.Leases = r.Mortgages, r.Leases
		if next.Mortgages == nil {
			next.Mortgages, next.Leases = []domain.LandMortgageRight{}, []domain.LandLeaseRecord{}
		}
		return s.enterLand(tx, u, o, a, next, true)
	case domain.LandTransfer:
		return s.moveLand(tx, u, o, a, h, c, r)
	case domain.LandLease:
		r.Leases = append(r.Leases, domain.LandLeaseRecord{Application: a.ID, Sub: t.Sub, Lessee: t.Lessee, Parcels: t.ParcelIDs, Area: r.LeaseArea(t.ParcelIDs), From: t.From, To: t.To})
		return s.enterLand(tx, u, o, a, r, false)
	case domain.LandMortgage:
		r.Mortgages = append(r.Mortgages, domain.LandMortgageRight{Application: a.ID, Creditor: t.Creditor, AmountFen: t.AmountFen, From: t.From, To: t.To})
		return s.enterLand(tx, u, o, a, r, false)
	case domain.LandDischarge:
		if err := r.Discharge(t.Mortgage); err != nil {
			return err
		}
		return s.enterLand(tx, u, o, a, r, false)
	default: // cancel
		if err := tx.EndLandContractParcels(c.ID, nil); err != nil {
			return err
		}
		r.Cancelled, r.Certificate = true, ""
		if err := tx.VoidLandCertificates(h.Unit); err != nil {
			return err
		}
		return s.enterLand(tx, u, o, a, r, false)
	}
}

// landRightOf is h's right under c's live parcels as they are now.
func (s *Service) landRightOf(tx *store.Tx, h domain.LandHousehold, c domain.LandContract) (domain.LandRight, error) {
	ps, err := tx.LandParcelsByID(c.ParcelIDs)
	if err != nil {
		return domain.LandRight{}, err
	}
	return domain.NewLandRight(h, c, ps), nil
}

// enterLand appends r to the register for a, numbering and adding its certificate
// first when issue is set (the entry records the certificate that proves it).
func (s *Service) enterLand(tx *store.Tx, u domain.User, o domain.LandOffice, a *domain.LandApplication, r domain.LandRight, issue bool) error {
	cert := domain.LandCertificate{OfficeID: o.ID, Year: s.now().In(domain.China).Year(), Unit: r.Unit, HouseholdID: r.HouseholdID}
	if issue {
		var err error
		if cert.Seq, cert.Number, err = tx.NextLandCertificate(o, cert.Year); err != nil {
			return err
		}
		r.Certificate = cert.Number
	}
	e := domain.LandEntry{Unit: r.Unit, Kind: a.Kind, ApplicationID: a.ID, By: u.ID, Right: r}
	if err := tx.AppendLandEntry(&e); err != nil {
		return err
	}
	a.EntryID = e.ID
	if !issue {
		return nil
	}
	cert.EntryID = e.ID
	if err := tx.InsertLandCertificate(&cert); err != nil {
		return err
	}
	a.CertID = cert.ID
	return nil
}

// moveLand moves parcels of h's right to another household (转让, 互换, or a split):
// both rights are entered again and certified anew, h's cancelled if nothing is left.
func (s *Service) moveLand(tx *store.Tx, u domain.User, o domain.LandOffice, a *domain.LandApplication, h domain.LandHousehold, c domain.LandContract, r domain.LandRight) error {
	t := a.Terms
	to, err := tx.LandHousehold(t.ToHousehold)
	if err != nil {
		return err
	}
	if err := tx.EndLandContractParcels(c.ID, t.ParcelIDs); err != nil {
		return err
	}
	tc, err := tx.LiveLandContractOf(to.ID)
	if err != nil {
		return err
	}
	if tc.ID == 0 {
		n, err := tx.LandContractCount(to.ID)
		if err != nil {
			return err
		}
		n++
		tc = domain.LandContract{CollectiveID: to.CollectiveID, HouseholdID: to.ID, From: c.From, To: c.To, ParcelIDs: t.ParcelIDs,
			Number: fmt.Sprintf("%sJ%d", to.Code, n)}
		if n == 1 {
			tc.Number = to.Code + "J"
		}
		if err := tx.InsertLandContract(&tc); err != nil {
			return err
		}
	} else {
		if err := tx.AddLandContractParcels(tc.ID, t.ParcelIDs); err != nil {
			return err
		}
		tc.ParcelIDs = append(tc.ParcelIDs, t.ParcelIDs...)
	}
	// the recipient's right: its own mortgages and leases stay; with every parcel
	// moved, the holder's mortgages (their creditors consenting) follow the land
	recv, err := tx.LandRightOn(to.Unit, "9999-12-31")
	if err != nil {
		return err
	}
	next, err := s.landRightOf(tx, to, tc)
	if err != nil {
		return err
	}
	next.Mortgages, next.Leases = []domain.LandMortgageRight{}, []domain.LandLeaseRecord{}
	if recv.ID != 0 && !recv.Right.Cancelled {
		next.Mortgages, next.Leases = recv.Right.Mortgages, recv.Right.Leases
	}
	left, err := tx.LandContract(c.ID)
	if err != nil {
		return err
	}
	if len(left.ParcelIDs) == 0 {
		next.Mortgages = append(next.Mortgages, r.Mortgages...)
	}
	first := *a
	if err := s.enterLand(tx, u, o, &first, next, true); err != nil {
		return err
	}
	if len(left.ParcelIDs) == 0 {
		r.Cancelled, r.Certificate = true, ""
		if err := tx.VoidLandCertificates(h.Unit); err != nil {
			return err
		}
		if err := s.enterLand(tx, u, o, a, r, false); err != nil {
			return err
		}
	} else {
		rest, err := s.landRightOf(tx, h, left)
		if err != nil {
			return err
		}
		rest.Mortgages, rest.Leases = r.Mortgages, r.Leases
		if err := s.enterLand(tx, u, o, a, rest, true); err != nil {
			return err
		}
	}
	a.CertID = first.CertID
	return nil
}

// LandRegisterView is a unit's right on a day with the book's entries up to it.
type LandRegisterView struct {
	Unit    string             `json:"unit"`
	Day     string             `json:"day"`
	Right   *domain.LandRight  `json:"right"`
	Entries []domain.LandEntry `json:"entries"`
}

// LandRegister reads a unit's register as of day (today when ""): the right it held at
// the end of that day and the entries up to it.
func (s *Service) LandRegister(ctx context.Context, u domain.User, unit, day string) (LandRegisterView, error) {
	if !domain.ValidUnitNo(unit) {
		return LandRegisterView{}, domain.Errorf(domain.ENOTFOUND, "unit %q not found (a 不动产单元号 has 28 characters)", unit)
	}
	if day == "" {
		day = domain.LandDay(s.now())
	} else if d, err := domain.ParseDay(day); err != nil {
		return LandRegisterView{}, domain.Invalidf("land.day", "day %q is not a date (YYYY-MM-DD)", day)
	} else {
		day = d
	}
	if !s.landReadsVillage(ctx, u, unit[:12]) && !s.holds(ctx, u, unit) {
		return LandRegisterView{}, domain.Errorf(domain.ENOTFOUND, "unit %s not found", unit)
	}
	v := LandRegisterView{Unit: unit, Day: day, Entries: []domain.LandEntry{}}
	es, err := s.db.LandEntries(ctx, unit)
	if err != nil {
		return v, err
	}
	for _, e := range es {
		if e.Day <= day {
			v.Entries = append(v.Entries, e)
		}
	}
	if at, err := s.db.LandRightOn(ctx, unit, day); err != nil {
		return v, err
	} else if at.ID != 0 {
		v.Right = &at.Right
	}
	return v, nil
}

// holds tells whether u is the holder (the household's user) of unit.
func (s *Service) holds(ctx context.Context, u domain.User, unit string) bool {
	if u.ID == 0 {
		return false
	}
	hs, err := s.db.LandHouseholds(ctx, store.LandHouseholdFilter{UserID: u.ID})
	return err == nil && slices.ContainsFunc(hs, func(h domain.LandHousehold) bool { return h.Unit == unit })
}

// LandCertificates lists certificates: of region for who reads it, or u's own as a
// holder when region is "".
func (s *Service) LandCertificates(ctx context.Context, u domain.User, region string) ([]domain.LandCertificate, error) {
	if region == "" {
		hs, err := s.db.LandHouseholds(ctx, store.LandHouseholdFilter{UserID: u.ID})
		if err != nil || u.ID == 0 {
			return []domain.LandCertificate{}, err
		}
		out := []domain.LandCertificate{}
		for _, h := range hs {
			cs, err := s.db.LandCertificates(ctx, store.LandCertFilter{Household: h.ID})
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
		return out, nil
	}
	if !s.landReadsVillage(ctx, u, region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "you do not read the land records of region %q", region)
	}
	return s.db.LandCertificates(ctx, store.LandCertFilter{Region: region})
}

// LandCertificate reads a certificate for its holder or who reads its village.
func (s *Service) LandCertificate(ctx context.Context, u domain.User, id int64) (domain.LandCertificate, error) {
	cs, err := s.db.LandCertificates(ctx, store.LandCertFilter{ID: id})
	if err != nil {
		return domain.LandCertificate{}, err
	}
	if len(cs) == 0 || !(s.landReadsVillage(ctx, u, cs[0].Unit[:12]) || s.holds(ctx, u, cs[0].Unit)) {
		return domain.LandCertificate{}, domain.Errorf(domain.ENOTFOUND, "certificate %d not found", id)
	}
	return cs[0], nil
}

// LandConsent is a code a holder gives a bank to check one certificate, until Expires.
type LandConsent struct {
	Certificate string    `json:"certificate"`
	Code        string    `json:"code"`
	Expires     time.Time `json:"expires"`
}

const consentAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// CreateLandConsent makes a consent code for the holder's certificate, valid 7 days;
// only its hash is kept.
func (s *Service) CreateLandConsent(ctx context.Context, u domain.User, certID int64) (LandConsent, error) {
	c, err := s.LandCertificate(ctx, u, certID)
	if err != nil {
		return LandConsent{}, err
	}
	if !s.holds(ctx, u, c.Unit) {
		return LandConsent{}, domain.Errorf(domain.EFORBIDDEN, "only the certificate's holder gives consent to check it")
	}
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return LandConsent{}, err
	}
	for i := range b {
		b[i] = consentAlphabet[int(b[i])%len(consentAlphabet)]
	}
	out := LandConsent{Certificate: c.Number, Code: string(b), Expires: s.now().Add(7 * 24 * time.Hour).Truncate(time.Second)}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertLandConsent(c.ID, consentHash(out.Code), out.Expires, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_consent.create", objectID("land_certificate", c.ID), domain.Change{After: map[string]any{"expires": out.Expires}})
	})
	return out, err
}

func consentHash(code string) string {
	sum := sha256.Sum256([]byte("land-consent:" + strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// LandCheck is what a bank learns of a certificate: whether it is the current one, and
// the right's holder, areas, term, mortgages and leases now.
type LandCheck struct {
	Number  string           `json:"number"`
	Valid   bool             `json:"valid"`
	Current bool             `json:"current"` // the unit's right stands and this certificate proves it
	Right   domain.LandRight `json:"right"`
	AsOf    time.Time        `json:"as_of"`
}

// CheckLandCertificate answers a bank's check of a certificate with the holder's
// consent code; the check is audited. A wrong number or code is 404 alike.
func (s *Service) CheckLandCertificate(ctx context.Context, u domain.User, number, code string) (LandCheck, error) {
	if !domain.LandBank(u) {
		return LandCheck{}, domain.Errorf(domain.EFORBIDDEN, "only banks (role enterprise) check certificates")
	}
	number, code = strings.TrimSpace(number), strings.TrimSpace(code)
	if number == "" || code == "" {
		return LandCheck{}, domain.Invalidf("land.check", "a check needs the certificate's number and the holder's consent code")
	}
	cs, err := s.db.LandCertificates(ctx, store.LandCertFilter{Number: number, ConsentOf: consentHash(code), Now: s.now()})
	if err != nil {
		return LandCheck{}, err
	}
	if len(cs) == 0 {
		return LandCheck{}, domain.Errorf(domain.ENOTFOUND, "no certificate %s with that consent code (or the consent expired)", number)
	}
	c := cs[0]
	cur, err := s.db.LandRightOn(ctx, c.Unit, "9999-12-31")
	if err != nil {
		return LandCheck{}, err
	}
	out := LandCheck{Number: c.Number, Valid: c.Valid, Right: cur.Right, AsOf: s.now()}
	out.Current = c.Valid && !cur.Right.Cancelled && cur.Right.Certificate == c.Number
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		return s.audit(ctx, tx, u, "land_certificate.check", objectID("land_certificate", c.ID), domain.Change{After: map[string]any{"current": out.Current}})
	})
	return out, err
}
