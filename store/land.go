package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
)

// 土地承包经营权登记: offices, collectives, households, parcels, contracts,
// applications, the register book, certificates and consents. Members' personal data
// arrive sealed (the service seals and opens them).

func landUnique(err error, format string, args ...any) error {
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "unique") {
		return domain.Errorf(domain.ECONFLICT, format, args...)
	}
	return err
}

// InsertLandOffice adds a county's registration office.
func (tx *Tx) InsertLandOffice(o *domain.LandOffice) error {
	err := tx.queryRow(`INSERT INTO land_offices (org, region, abbr, name) VALUES (?, ?, ?, ?) RETURNING id`,
		o.Org, o.Region, o.Abbr, o.Name).Scan(&o.ID)
	return landUnique(err, "region %s already has a registration office", o.Region)
}

func landOffices(ctx context.Context, q querier, where string, args ...any) ([]domain.LandOffice, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, org, region, abbr, name FROM land_offices WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LandOffice{}
	for rows.Next() {
		var o domain.LandOffice
		if err := rows.Scan(&o.ID, &o.Org, &o.Region, &o.Abbr, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// LandOffices lists the offices.
func (db *DB) LandOffices(ctx context.Context) ([]domain.LandOffice, error) {
	return landOffices(ctx, db.read, `1 = 1`)
}

// LandOfficeOf reads the office registering in region's county.
func (db *DB) LandOfficeOf(ctx context.Context, region string) (domain.LandOffice, error) {
	return landOfficeOf(ctx, db.read, region)
}

// LandOfficeOf reads the office registering in region's county, in tx.
func (tx *Tx) LandOfficeOf(region string) (domain.LandOffice, error) {
	return landOfficeOf(tx.ctx, tx, region)
}

func landOfficeOf(ctx context.Context, q querier, region string) (domain.LandOffice, error) {
	if len(region) < 6 {
		return domain.LandOffice{}, domain.Errorf(domain.ENOTFOUND, "no registration office for region %s", region)
	}
	os, err := landOffices(ctx, q, `region = ?`, region[:6])
	if err == nil && len(os) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "no registration office for region %s", region)
	}
	if err != nil {
		return domain.LandOffice{}, err
	}
	return os[0], nil
}

// LandOffice reads one office.
func (db *DB) LandOffice(ctx context.Context, id int64) (domain.LandOffice, error) {
	os, err := landOffices(ctx, db.read, `id = ?`, id)
	if err == nil && len(os) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "registration office %d not found", id)
	}
	if err != nil {
		return domain.LandOffice{}, err
	}
	return os[0], nil
}

// InsertLandCollective adds a collective.
func (tx *Tx) InsertLandCollective(c *domain.LandCollective) error {
	err := tx.queryRow(`INSERT INTO land_collectives (village, grp, name, head) VALUES (?, ?, ?, ?) RETURNING id`,
		c.Village, c.Group, c.Name, c.Head).Scan(&c.ID)
	return landUnique(err, "collective %s already exists", c.Code())
}

func landCollectives(ctx context.Context, q querier, where string, args ...any) ([]domain.LandCollective, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, village, grp, name, head FROM land_collectives WHERE `+where+` ORDER BY village, grp`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LandCollective{}
	for rows.Next() {
		var c domain.LandCollective
		if err := rows.Scan(&c.ID, &c.Village, &c.Group, &c.Name, &c.Head); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LandCollectives lists the collectives of region's subtree.
func (db *DB) LandCollectives(ctx context.Context, region string) ([]domain.LandCollective, error) {
	lo, hi := domain.SubtreeRange(region)
	return landCollectives(ctx, db.read, `village >= ? AND village < ?`, lo, hi)
}

// LandCollective reads one collective in tx.
func (tx *Tx) LandCollective(id int64) (domain.LandCollective, error) {
	cs, err := landCollectives(tx.ctx, tx, `id = ?`, id)
	if err == nil && len(cs) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "collective %d not found", id)
	}
	if err != nil {
		return domain.LandCollective{}, err
	}
	return cs[0], nil
}

// LandMemberRow is a member as stored: ID number and phone sealed, the ID's hash.
type LandMemberRow struct {
	domain.LandMember
	IDHash string
}

// InsertLandHousehold adds a household numbered next in its village, with its members
// (sealed by the caller) and bank account (sealed).
func (tx *Tx) InsertLandHousehold(h *domain.LandHousehold, members []LandMemberRow) error {
	if err := tx.queryRow(`SELECT COALESCE(MAX(seq), 0) + 1 FROM land_households WHERE village = ?`, h.Village).Scan(&h.Seq); err != nil {
		return err
	}
	if h.Seq > 9999 {
		return domain.Errorf(domain.ECONFLICT, "village %s has 9999 households already", h.Village)
	}
	c, err := tx.LandCollective(h.CollectiveID)
	if err != nil {
		return err
	}
	h.Code, h.Unit = fmt.Sprintf("%s%04d", c.Code(), h.Seq), domain.LandUnitNo(h.Village, h.Seq)
	var user any
	if h.UserID != 0 {
		user = h.UserID
	}
	err = tx.queryRow(`INSERT INTO land_households (collective_id, village, seq, code, head, address, bank_sealed, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, h.CollectiveID, h.Village, h.Seq, h.Code, h.Head, h.Address, h.BankAccount,
		user, tx.now.Unix()).Scan(&h.ID)
	if err != nil {
		return err
	}
	return tx.putLandMembers(h.ID, members)
}

func (tx *Tx) putLandMembers(household int64, members []LandMemberRow) error {
	if _, err := tx.exec(`DELETE FROM land_members WHERE household_id = ?`, household); err != nil {
		return err
	}
	for i, m := range members {
		if _, err := tx.exec(`INSERT INTO land_members (household_id, pos, name, relation, id_sealed, id_hash, phone_sealed) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			household, i, m.Name, m.Relation, m.IDNumber, m.IDHash, m.Phone); err != nil {
			return err
		}
	}
	return nil
}

// UpdateLandHousehold replaces a household's head, address, account, user and members.
func (tx *Tx) UpdateLandHousehold(h domain.LandHousehold, members []LandMemberRow) error {
	var user any
	if h.UserID != 0 {
		user = h.UserID
	}
	if _, err := tx.exec(`UPDATE land_households SET head = ?, address = ?, bank_sealed = ?, user_id = ? WHERE id = ?`,
		h.Head, h.Address, h.BankAccount, user, h.ID); err != nil {
		return err
	}
	return tx.putLandMembers(h.ID, members)
}

const landHouseholdCols = `h.id, h.collective_id, h.village, h.seq, h.code, h.head, h.address, h.bank_sealed, COALESCE(h.user_id, 0)`

func landHouseholds(ctx context.Context, q querier, where string, args ...any) ([]domain.LandHousehold, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+landHouseholdCols+` FROM land_households h WHERE `+where+` ORDER BY h.village, h.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, at := []domain.LandHousehold{}, map[int64]int{}
	for rows.Next() {
		var h domain.LandHousehold
		if err := rows.Scan(&h.ID, &h.CollectiveID, &h.Village, &h.Seq, &h.Code, &h.Head, &h.Address, &h.BankAccount, &h.UserID); err != nil {
			return nil, err
		}
		h.Unit, h.Members = domain.LandUnitNo(h.Village, h.Seq), []domain.LandMember{}
		at[h.ID] = len(out)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ms, err := q.QueryContext(ctx, `SELECT m.household_id, m.id, m.name, m.relation, m.id_sealed, m.phone_sealed FROM land_members m
		JOIN land_households h ON h.id = m.household_id WHERE `+where+` ORDER BY m.household_id, m.pos`, args...)
	if err != nil {
		return nil, err
	}
	defer ms.Close()
	for ms.Next() {
		var hid int64
		var m domain.LandMember
		if err := ms.Scan(&hid, &m.ID, &m.Name, &m.Relation, &m.IDNumber, &m.Phone); err != nil {
			return nil, err
		}
		if k, ok := at[hid]; ok {
			out[k].Members = append(out[k].Members, m)
		}
	}
	return out, ms.Err()
}

// LandHouseholdFilter picks households: of a region's subtree, of a user, by id.
type LandHouseholdFilter struct {
	Region string
	UserID int64
	ID     int64
	IDHash string
}

func (f LandHouseholdFilter) where() (string, []any) {
	w, args := `1 = 1`, []any{}
	if f.ID != 0 {
		w, args = w+` AND h.id = ?`, append(args, f.ID)
	}
	if f.UserID != 0 {
		w, args = w+` AND h.user_id = ?`, append(args, f.UserID)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		w, args = w+` AND h.village >= ? AND h.village < ?`, append(args, lo, hi)
	}
	if f.IDHash != "" {
		w, args = w+` AND h.id IN (SELECT household_id FROM land_members WHERE id_hash = ?)`, append(args, f.IDHash)
	}
	return w, args
}

// LandHouseholds reads the households f picks, with their (sealed) members.
func (db *DB) LandHouseholds(ctx context.Context, f LandHouseholdFilter) ([]domain.LandHousehold, error) {
	w, args := f.where()
	return landHouseholds(ctx, db.read, w, args...)
}

// LandHousehold reads one household in tx.
func (tx *Tx) LandHousehold(id int64) (domain.LandHousehold, error) {
	hs, err := landHouseholds(tx.ctx, tx, `h.id = ?`, id)
	if err == nil && len(hs) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "household %d not found", id)
	}
	if err != nil {
		return domain.LandHousehold{}, err
	}
	return hs[0], nil
}

// LandIDHashTaken tells which household (other than except) has a member with hash.
func (tx *Tx) LandIDHashTaken(hash string, except int64) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT household_id FROM land_members WHERE id_hash = ? AND household_id <> ?`, hash, except).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

const landParcelCols = `id, code, collective_id, name, contract_area, measured_area, east, south, west, north, land_use, land_class, basic_farmland,
	geometry, min_x, min_y, max_x, max_y`

func landParcelRow(p *domain.LandParcel, now int64) []any {
	return []any{p.Code, p.CollectiveID, p.Name, int64(p.ContractArea), int64(p.MeasuredArea), p.East, p.South, p.West, p.North, p.Use, p.Class,
		boolInt(p.BasicFarmland), p.Geometry, p.MinX, p.MinY, p.MaxX, p.MaxY, now}
}

// landParcelInsert are the columns a parcel is written with.
const landParcelInsert = `code, collective_id, name, contract_area, measured_area, east, south, west, north, land_use, land_class, basic_farmland,
	geometry, min_x, min_y, max_x, max_y, created_at`

// InsertLandParcel adds a parcel.
func (tx *Tx) InsertLandParcel(p *domain.LandParcel) error {
	row := landParcelRow(p, tx.now.Unix())
	err := tx.queryRow(`INSERT INTO land_parcels (`+landParcelInsert+`) VALUES (`+placeholders(len(row))+`) RETURNING id`, row...).Scan(&p.ID)
	return landUnique(err, "parcel code %s is taken", p.Code)
}

// InsertLandParcels adds many parcels in multi-row INSERTs (an import); their ids are
// not read back.
func (tx *Tx) InsertLandParcels(ps []domain.LandParcel) error {
	rows := make([][]any, len(ps))
	for i := range ps {
		rows[i] = landParcelRow(&ps[i], tx.now.Unix())
	}
	err := tx.insertRows(`land_parcels (`+strings.ReplaceAll(landParcelInsert, "\n\t", " ")+`)`, "", rows)
	return landUnique(err, "a parcel code of the import is taken")
}

// UpdateLandParcelArea corrects a parcel's areas (变更: area correction), keeping the
// areas it had until now dated in land_parcel_areas for the figures of past days.
func (tx *Tx) UpdateLandParcelArea(id int64, contract domain.Mu, measured domain.SqM) error {
	if _, err := tx.exec(`INSERT INTO land_parcel_areas (parcel_id, at, contract_area, measured_area)
		SELECT id, ?, contract_area, measured_area FROM land_parcels WHERE id = ?`, tx.now.Unix(), id); err != nil {
		return err
	}
	_, err := tx.exec(`UPDATE land_parcels SET contract_area = ?, measured_area = ? WHERE id = ?`, int64(contract), int64(measured), id)
	return err
}

// landAreaOn is the SQL of parcel p's contract area at the end of the Unix time bound
// to its one placeholder: the area kept by the first correction after it, else the
// current one.
const landAreaOn = `COALESCE((SELECT h.contract_area FROM land_parcel_areas h WHERE h.parcel_id = p.id AND h.at > ? ORDER BY h.at, h.id LIMIT 1), p.contract_area)`

func landParcels(ctx context.Context, q querier, where string, args ...any) ([]domain.LandParcel, error) {
	return landParcelsLimit(ctx, q, 100000, where, args...)
}

func landParcelsLimit(ctx context.Context, q querier, limit int, where string, args ...any) ([]domain.LandParcel, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+landParcelCols+` FROM land_parcels WHERE `+where+` ORDER BY code LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LandParcel{}
	for rows.Next() {
		var p domain.LandParcel
		var ca, ma int64
		var basic int
		if err := rows.Scan(&p.ID, &p.Code, &p.CollectiveID, &p.Name, &ca, &ma, &p.East, &p.South, &p.West, &p.North, &p.Use, &p.Class, &basic,
			&p.Geometry, &p.MinX, &p.MinY, &p.MaxX, &p.MaxY); err != nil {
			return nil, err
		}
		p.ContractArea, p.MeasuredArea, p.BasicFarmland = domain.Mu(ca), domain.SqM(ma), basic == 1
		out = append(out, p)
	}
	return out, rows.Err()
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// LandParcelsByID reads parcels by id in tx, in code order.
func (tx *Tx) LandParcelsByID(ids []int64) ([]domain.LandParcel, error) {
	if len(ids) == 0 {
		return []domain.LandParcel{}, nil
	}
	return landParcels(tx.ctx, tx, `id IN (`+idList(ids)+`)`)
}

// LandParcelsByID reads parcels by id, in code order.
func (db *DB) LandParcelsByID(ctx context.Context, ids []int64) ([]domain.LandParcel, error) {
	if len(ids) == 0 {
		return []domain.LandParcel{}, nil
	}
	return landParcels(ctx, db.read, `id IN (`+idList(ids)+`)`)
}

// LandParcelsOf reads a collective's (or, with region, a subtree's) parcels.
func (db *DB) LandParcelsOf(ctx context.Context, region string, limit int) ([]domain.LandParcel, error) {
	lo, hi := domain.SubtreeRange(region)
	return landParcelsLimit(ctx, db.read, limit, `code >= ? AND code < ?`, lo, hi)
}

// LandParcel reads one parcel.
func (db *DB) LandParcel(ctx context.Context, id int64) (domain.LandParcel, error) {
	ps, err := landParcels(ctx, db.read, `id = ?`, id)
	if err == nil && len(ps) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "parcel %d not found", id)
	}
	if err != nil {
		return domain.LandParcel{}, err
	}
	return ps[0], nil
}

// LandParcelsNear reads the parcels whose box holds the point (10^-7 degrees): the box
// index's range is bounded by domain.LandMaxSpan, the widest a box may be.
func (db *DB) LandParcelsNear(ctx context.Context, x, y int64) ([]domain.LandParcel, error) {
	span := domain.E7(domain.LandMaxSpan)
	return landParcels(ctx, db.read, `min_x >= ? AND min_x <= ? AND min_y >= ? AND min_y <= ? AND max_x >= ? AND max_y >= ?`,
		x-span, x, y-span, y, x, y)
}

// LiveLandParcels tells which of ids are in a live contract (other than except), by code.
func (tx *Tx) LiveLandParcels(ids []int64, except int64) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.query(`SELECT p.code FROM land_contract_parcels cp JOIN land_parcels p ON p.id = cp.parcel_id
		WHERE cp.live = 1 AND cp.contract_id <> ? AND cp.parcel_id IN (`+idList(ids)+`) ORDER BY p.code`, except)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertLandContract adds a live contract with its parcels; the partial unique index
// refuses a parcel already in a live contract.
func (tx *Tx) InsertLandContract(c *domain.LandContract) error {
	err := tx.queryRow(`INSERT INTO land_contracts (number, collective_id, household_id, from_day, to_day, live, created_at) VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id`,
		c.Number, c.CollectiveID, c.HouseholdID, c.From, c.To, tx.now.Unix()).Scan(&c.ID)
	if err != nil {
		return landUnique(err, "contract number %s is taken", c.Number)
	}
	c.Live = true
	return tx.AddLandContractParcels(c.ID, c.ParcelIDs)
}

// AddLandContractParcels puts parcels in a live contract.
func (tx *Tx) AddLandContractParcels(contract int64, parcels []int64) error {
	for _, p := range parcels {
		if _, err := tx.exec(`INSERT INTO land_contract_parcels (contract_id, parcel_id, live, added_at) VALUES (?, ?, 1, ?)`, contract, p, tx.now.Unix()); err != nil {
			return landUnique(err, "parcel %d is already in a live contract", p)
		}
	}
	return nil
}

// EndLandContractParcels takes parcels out of a contract (all of them when parcels is
// nil), ending the contract when none is left.
func (tx *Tx) EndLandContractParcels(contract int64, parcels []int64) error {
	q, args := `UPDATE land_contract_parcels SET live = 0, ended_at = ? WHERE live = 1 AND contract_id = ?`, []any{tx.now.Unix(), contract}
	if parcels != nil {
		q += ` AND parcel_id IN (` + idList(parcels) + `)`
	}
	if _, err := tx.exec(q, args...); err != nil {
		return err
	}
	_, err := tx.exec(`UPDATE land_contracts SET live = 0, ended_at = ? WHERE id = ? AND live = 1
		AND NOT EXISTS (SELECT 1 FROM land_contract_parcels WHERE contract_id = ? AND live = 1)`, tx.now.Unix(), contract, contract)
	return err
}

func landContracts(ctx context.Context, q querier, where string, args ...any) ([]domain.LandContract, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, number, collective_id, household_id, from_day, to_day, live FROM land_contracts WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, at := []domain.LandContract{}, map[int64]int{}
	for rows.Next() {
		var c domain.LandContract
		var live int
		if err := rows.Scan(&c.ID, &c.Number, &c.CollectiveID, &c.HouseholdID, &c.From, &c.To, &live); err != nil {
			return nil, err
		}
		c.Live, c.ParcelIDs = live == 1, []int64{}
		at[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ps, err := q.QueryContext(ctx, `SELECT cp.contract_id, cp.parcel_id FROM land_contract_parcels cp JOIN land_parcels p ON p.id = cp.parcel_id
		WHERE cp.live = 1 AND cp.contract_id IN (SELECT id FROM land_contracts WHERE `+where+`) ORDER BY cp.contract_id, p.code`, args...)
	if err != nil {
		return nil, err
	}
	defer ps.Close()
	for ps.Next() {
		var c, p int64
		if err := ps.Scan(&c, &p); err != nil {
			return nil, err
		}
		if k, ok := at[c]; ok {
			out[k].ParcelIDs = append(out[k].ParcelIDs, p)
		}
	}
	return out, ps.Err()
}

// LandContract reads a contract with its live parcels in tx.
func (tx *Tx) LandContract(id int64) (domain.LandContract, error) {
	cs, err := landContracts(tx.ctx, tx, `id = ?`, id)
	if err == nil && len(cs) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "contract %d not found", id)
	}
	if err != nil {
		return domain.LandContract{}, err
	}
	return cs[0], nil
}

// LandContractsOf reads a household's contracts.
func (db *DB) LandContractsOf(ctx context.Context, household int64) ([]domain.LandContract, error) {
	return landContracts(ctx, db.read, `household_id = ?`, household)
}

// LiveLandContractOf reads a household's live contract, if any (ID 0 when none).
func (tx *Tx) LiveLandContractOf(household int64) (domain.LandContract, error) {
	cs, err := landContracts(tx.ctx, tx, `household_id = ? AND live = 1`, household)
	if err != nil || len(cs) == 0 {
		return domain.LandContract{}, err
	}
	return cs[0], nil
}

// InsertLandApplication adds an accepted application and its first step.
func (tx *Tx) InsertLandApplication(a *domain.LandApplication) error {
	terms, _ := json.Marshal(a.Terms)
	docs, _ := json.Marshal(a.Documents)
	err := tx.queryRow(`INSERT INTO land_applications (kind, status, office_id, household_id, contract_id, village, terms, documents, accepted_at, accepted_by, due_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`, a.Kind, a.Status, a.OfficeID, a.HouseholdID, a.ContractID, a.Village, string(terms),
		string(docs), a.AcceptedAt.Unix(), a.AcceptedBy, a.DueAt.Unix()).Scan(&a.ID)
	if err != nil {
		return err
	}
	a.Version = 1
	return tx.AddLandStep(a.ID, domain.LandStep{Act: "accept", At: a.AcceptedAt, By: a.AcceptedBy})
}

// AddLandStep records a step of an application.
func (tx *Tx) AddLandStep(app int64, s domain.LandStep) error {
	_, err := tx.exec(`INSERT INTO land_steps (application_id, act, at, user_id, note) VALUES (?, ?, ?, ?, ?)`, app, s.Act, s.At.Unix(), s.By, s.Note)
	return err
}

// UpdateLandApplication writes an application's new status, reason, entry and
// certificate if it is still at before's version.
func (tx *Tx) UpdateLandApplication(a domain.LandApplication, version int) error {
	var entry, cert any
	if a.EntryID != 0 {
		entry = a.EntryID
	}
	if a.CertID != 0 {
		cert = a.CertID
	}
	var done any
	if a.Status == domain.LandIssued || a.Status == domain.LandRefused {
		done = tx.now.Unix()
	}
	res, err := tx.exec(`UPDATE land_applications SET status = ?, reason = ?, entry_id = ?, cert_id = ?, done_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		a.Status, a.Reason, entry, cert, done, a.ID, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ESTALE, "application %d changed meanwhile; reload and try again", a.ID)
	}
	return nil
}

// LandApplicationFilter picks applications.
type LandApplicationFilter struct {
	ID        int64
	Region    string
	Household int64
	Open      bool
	Limit     int
}

const landApplicationCols = `id, kind, status, office_id, household_id, contract_id, village, terms, documents, reason, accepted_at, accepted_by, due_at,
	COALESCE(entry_id, 0), COALESCE(cert_id, 0), version`

func landApplications(ctx context.Context, q querier, f LandApplicationFilter) ([]domain.LandApplication, error) {
	w, args := `1 = 1`, []any{}
	if f.ID != 0 {
		w, args = w+` AND id = ?`, append(args, f.ID)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		w, args = w+` AND village >= ? AND village < ?`, append(args, lo, hi)
	}
	if f.Household != 0 {
		w, args = w+` AND household_id = ?`, append(args, f.Household)
	}
	if f.Open {
		w += ` AND status IN ('accepted', 'reviewed', 'booked', 'printed')`
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := q.QueryContext(ctx, `SELECT `+landApplicationCols+` FROM land_applications WHERE `+w+` ORDER BY id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LandApplication{}
	for rows.Next() {
		var a domain.LandApplication
		var terms, docs string
		var acc, due int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Status, &a.OfficeID, &a.HouseholdID, &a.ContractID, &a.Village, &terms, &docs, &a.Reason, &acc, &a.AcceptedBy,
			&due, &a.EntryID, &a.CertID, &a.Version); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(terms), &a.Terms); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(docs), &a.Documents); err != nil {
			return nil, err
		}
		a.AcceptedAt, a.DueAt, a.Steps = fromUnix(acc), fromUnix(due), []domain.LandStep{}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LandApplications lists applications f picks, newest first.
func (db *DB) LandApplications(ctx context.Context, f LandApplicationFilter) ([]domain.LandApplication, error) {
	return landApplications(ctx, db.read, f)
}

// LandApplication reads one application with its steps, in tx.
func (tx *Tx) LandApplication(id int64) (domain.LandApplication, error) {
	return landApplication(tx.ctx, tx, id)
}

// LandApplication reads one application with its steps.
func (db *DB) LandApplication(ctx context.Context, id int64) (domain.LandApplication, error) {
	return landApplication(ctx, db.read, id)
}

func landApplication(ctx context.Context, q querier, id int64) (domain.LandApplication, error) {
	as, err := landApplications(ctx, q, LandApplicationFilter{ID: id})
	if err == nil && len(as) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "application %d not found", id)
	}
	if err != nil {
		return domain.LandApplication{}, err
	}
	a := as[0]
	rows, err := q.QueryContext(ctx, `SELECT act, at, user_id, note FROM land_steps WHERE application_id = ? ORDER BY id`, id)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var s domain.LandStep
		var at int64
		if err := rows.Scan(&s.Act, &at, &s.By, &s.Note); err != nil {
			return a, err
		}
		s.At = fromUnix(at)
		a.Steps = append(a.Steps, s)
	}
	return a, rows.Err()
}

// AppendLandEntry adds an entry to the register book. The book has no other writer:
// entries are never updated nor deleted.
func (tx *Tx) AppendLandEntry(e *domain.LandEntry) error {
	data, err := json.Marshal(e.Right)
	if err != nil {
		return err
	}
	e.At = tx.now.Truncate(time.Second)
	e.Day = domain.LandDay(e.At)
	return tx.queryRow(`INSERT INTO land_register (unit, village, kind, at, day, application_id, user_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Unit, e.Right.Village, e.Kind, e.At.Unix(), e.Day, e.ApplicationID, e.By, string(data)).Scan(&e.ID)
}

func landEntries(ctx context.Context, q querier, where string, args ...any) ([]domain.LandEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, unit, kind, at, day, application_id, user_id, data FROM land_register WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LandEntry{}
	for rows.Next() {
		var e domain.LandEntry
		var at int64
		var data string
		if err := rows.Scan(&e.ID, &e.Unit, &e.Kind, &at, &e.Day, &e.ApplicationID, &e.By, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &e.Right); err != nil {
			return nil, err
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LandEntries reads a unit's register entries in order.
func (db *DB) LandEntries(ctx context.Context, unit string) ([]domain.LandEntry, error) {
	return landEntries(ctx, db.read, `unit = ? ORDER BY id`, unit)
}

// LandRightOn reads a unit's last entry of day or before (ID 0 when none).
func (db *DB) LandRightOn(ctx context.Context, unit, day string) (domain.LandEntry, error) {
	return landRightOn(ctx, db.read, unit, day)
}

// LandRightOn reads a unit's last entry of day or before, in tx.
func (tx *Tx) LandRightOn(unit, day string) (domain.LandEntry, error) {
	return landRightOn(tx.ctx, tx, unit, day)
}

func landRightOn(ctx context.Context, q querier, unit, day string) (domain.LandEntry, error) {
	es, err := landEntries(ctx, q, `unit = ? AND day <= ? ORDER BY day DESC, id DESC LIMIT 1`, unit, day)
	if err != nil || len(es) == 0 {
		return domain.LandEntry{}, err
	}
	return es[0], nil
}

// LandVillageRights reads each unit's last entry of day or before in a region's subtree.
func (db *DB) LandVillageRights(ctx context.Context, region, day string) ([]domain.LandEntry, error) {
	lo, hi := domain.SubtreeRange(region)
	return landEntries(ctx, db.read, `id IN (SELECT MAX(id) FROM land_register WHERE village >= ? AND village < ? AND day <= ? GROUP BY unit) ORDER BY unit`,
		lo, hi, day)
}

// LandTransferRow is a booked 转移 with the right its parcels went into, as entered.
type LandTransferRow struct {
	Village string // the transferor's, where it was applied for
	Terms   domain.LandTerms
	Right   domain.LandRight // the recipient's right after it: the moved parcels' areas as booked
}

// LandTransfers reads the transfers booked on day or before whose transferor is in a
// region's subtree: each application's first entry (the recipient's right).
func (db *DB) LandTransfers(ctx context.Context, region, day string) ([]LandTransferRow, error) {
	lo, hi := domain.SubtreeRange(region)
	rows, err := db.read.QueryContext(ctx, `SELECT a.village, a.terms, r.data FROM land_register r JOIN land_applications a ON a.id = r.application_id
		WHERE r.kind = ? AND a.village >= ? AND a.village < ? AND r.day <= ?
		AND NOT EXISTS (SELECT 1 FROM land_register r2 WHERE r2.application_id = r.application_id AND r2.id < r.id) ORDER BY r.id`,
		domain.LandTransfer, lo, hi, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []LandTransferRow{}
	for rows.Next() {
		var t LandTransferRow
		var terms, data string
		if err := rows.Scan(&t.Village, &terms, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(terms), &t.Terms); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &t.Right); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// NextLandCertificate numbers the next certificate of an office's year: the counter is
// taken in the caller's (the booking's) transaction, so numbers are unique and gapless.
func (tx *Tx) NextLandCertificate(o domain.LandOffice, year int) (int64, string, error) {
	seq, err := tx.count(fmt.Sprintf("land_cert:%d:%d", o.ID, year))
	return seq, o.CertificateNumber(year, seq), err
}

// InsertLandCertificate adds a numbered certificate, voiding the unit's earlier ones.
func (tx *Tx) InsertLandCertificate(c *domain.LandCertificate) error {
	c.IssuedAt, c.Valid = tx.now.Truncate(time.Second), true
	if err := tx.VoidLandCertificates(c.Unit); err != nil {
		return err
	}
	err := tx.queryRow(`INSERT INTO land_certificates (office_id, year, seq, number, unit, household_id, entry_id, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.OfficeID, c.Year, c.Seq, c.Number, c.Unit, c.HouseholdID, c.EntryID, c.IssuedAt.Unix()).Scan(&c.ID)
	return landUnique(err, "certificate number %s is taken", c.Number)
}

// LandContractCount counts a household's contracts, live or ended.
func (tx *Tx) LandContractCount(household int64) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM land_contracts WHERE household_id = ?`, household).Scan(&n)
	return n, err
}

// VoidLandCertificates voids a unit's valid certificates (注销).
func (tx *Tx) VoidLandCertificates(unit string) error {
	_, err := tx.exec(`UPDATE land_certificates SET voided_at = ? WHERE unit = ? AND voided_at IS NULL`, tx.now.Unix(), unit)
	return err
}

// LandCertFilter picks certificates.
type LandCertFilter struct {
	ID        int64
	Number    string
	Unit      string
	Household int64
	Region    string
	ConsentOf string // a consent code's hash, not expired at Now
	Now       time.Time
}

func landCertificates(ctx context.Context, q querier, f LandCertFilter) ([]domain.LandCertificate, error) {
	w, args := `1 = 1`, []any{}
	if f.ID != 0 {
		w, args = w+` AND c.id = ?`, append(args, f.ID)
	}
	if f.Number != "" {
		w, args = w+` AND c.number = ?`, append(args, f.Number)
	}
	if f.Unit != "" {
		w, args = w+` AND c.unit = ?`, append(args, f.Unit)
	}
	if f.Household != 0 {
		w, args = w+` AND c.household_id = ?`, append(args, f.Household)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		w, args = w+` AND c.unit >= ? AND c.unit < ?`, append(args, lo, hi)
	}
	if f.ConsentOf != "" {
		w, args = w+` AND c.id IN (SELECT certificate_id FROM land_consents WHERE code_hash = ? AND expires_at > ?)`, append(args, f.ConsentOf, f.Now.Unix())
	}
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.office_id, c.year, c.seq, c.number, c.unit, c.household_id, c.entry_id, c.issued_at, c.voided_at, r.data
		FROM land_certificates c JOIN land_register r ON r.id = c.entry_id WHERE `+w+` ORDER BY c.id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LandCertificate{}
	for rows.Next() {
		var c domain.LandCertificate
		var issued int64
		var voided sql.NullInt64
		var data string
		if err := rows.Scan(&c.ID, &c.OfficeID, &c.Year, &c.Seq, &c.Number, &c.Unit, &c.HouseholdID, &c.EntryID, &issued, &voided, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &c.Right); err != nil {
			return nil, err
		}
		c.IssuedAt, c.VoidedAt, c.Valid = fromUnix(issued), timeOrNil(voided), !voided.Valid
		out = append(out, c)
	}
	return out, rows.Err()
}

// LandCertificates reads the certificates f picks, newest first.
func (db *DB) LandCertificates(ctx context.Context, f LandCertFilter) ([]domain.LandCertificate, error) {
	return landCertificates(ctx, db.read, f)
}

// LandCertificate reads one certificate in tx.
func (tx *Tx) LandCertificate(id int64) (domain.LandCertificate, error) {
	cs, err := landCertificates(tx.ctx, tx, LandCertFilter{ID: id})
	if err == nil && len(cs) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "certificate %d not found", id)
	}
	if err != nil {
		return domain.LandCertificate{}, err
	}
	return cs[0], nil
}

// InsertLandConsent records a holder's consent code (its hash) for a certificate.
func (tx *Tx) InsertLandConsent(cert int64, hash string, expires time.Time, by int64) error {
	_, err := tx.exec(`INSERT INTO land_consents (certificate_id, code_hash, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		cert, hash, expires.Unix(), by, tx.now.Unix())
	return landUnique(err, "the consent code is taken; make another")
}

// LandCounts are a village's counts for the figures.
type LandCounts struct {
	Households, Parcels, Contracts, Certificates, Pending int
	ContractArea                                          int64
	// parcels in a contract then (distinct: a moved parcel counts once) and their area
	ContractedParcels int
	ContractedArea    int64
}

// LandCountsByVillage counts, per village of region's subtree and as things stood at end:
// households and parcels (with their contract area as it was then) made by then,
// contracts live then and the parcels in them, certificates valid then, and applications
// accepted and not yet issued nor refused then.
func (db *DB) LandCountsByVillage(ctx context.Context, region string, end time.Time) (map[string]*LandCounts, error) {
	lo, hi := domain.SubtreeRange(region)
	out := map[string]*LandCounts{}
	at := func(v string) *LandCounts {
		if out[v] == nil {
			out[v] = &LandCounts{}
		}
		return out[v]
	}
	e := end.Unix()
	queries := []struct {
		q    string
		args []any
		put  func(c *LandCounts, n int, area int64)
	}{
		{`SELECT village, COUNT(*), 0 FROM land_households WHERE village >= ? AND village < ? AND created_at <= ? GROUP BY village`,
			[]any{lo, hi, e}, func(c *LandCounts, n int, _ int64) { c.Households = n }},
		{`SELECT SUBSTR(p.code, 1, 12), COUNT(*), SUM(` + landAreaOn + `) FROM land_parcels p WHERE p.code >= ? AND p.code < ? AND p.created_at <= ?
			GROUP BY SUBSTR(p.code, 1, 12)`, []any{e, lo, hi, e}, func(c *LandCounts, n int, a int64) { c.Parcels, c.ContractArea = n, a }},
		{`SELECT SUBSTR(p.code, 1, 12), COUNT(*), SUM(` + landAreaOn + `) FROM land_parcels p WHERE p.code >= ? AND p.code < ?
			AND EXISTS (SELECT 1 FROM land_contract_parcels cp WHERE cp.parcel_id = p.id AND cp.added_at <= ? AND (cp.ended_at IS NULL OR cp.ended_at > ?))
			GROUP BY SUBSTR(p.code, 1, 12)`, []any{e, lo, hi, e, e}, func(c *LandCounts, n int, a int64) { c.ContractedParcels, c.ContractedArea = n, a }},
		{`SELECT h.village, COUNT(*), 0 FROM land_contracts c JOIN land_households h ON h.id = c.household_id
			WHERE h.village >= ? AND h.village < ? AND c.created_at <= ? AND (c.ended_at IS NULL OR c.ended_at > ?) GROUP BY h.village`,
			[]any{lo, hi, e, e}, func(c *LandCounts, n int, _ int64) { c.Contracts = n }},
		{`SELECT SUBSTR(unit, 1, 12), COUNT(*), 0 FROM land_certificates WHERE unit >= ? AND unit < ? AND issued_at <= ? AND (voided_at IS NULL OR voided_at > ?)
			GROUP BY SUBSTR(unit, 1, 12)`, []any{lo, hi, e, e}, func(c *LandCounts, n int, _ int64) { c.Certificates = n }},
		{`SELECT village, COUNT(*), 0 FROM land_applications WHERE village >= ? AND village < ? AND accepted_at <= ?
			AND (done_at IS NULL OR done_at > ?) GROUP BY village`, []any{lo, hi, e, e}, func(c *LandCounts, n int, _ int64) { c.Pending = n }},
	}
	for _, q := range queries {
		rows, err := db.read.QueryContext(ctx, q.q, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v string
			var n int
			var a int64
			if err := rows.Scan(&v, &n, &a); err != nil {
				rows.Close()
				return nil, err
			}
			q.put(at(v), n, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LandDue is an application past its limit, with the org whose registrars are told.
type LandDue struct {
	ID      int64
	Kind    domain.LandKind
	Village string
	Org     string
}

// DueLand reads up to limit applications neither done nor flagged whose limit passed
// before now.
func (tx *Tx) DueLand(now time.Time, limit int) ([]LandDue, error) {
	rows, err := tx.query(`SELECT a.id, a.kind, a.village, o.org FROM land_applications a JOIN land_offices o ON o.id = a.office_id
		WHERE a.due_at < ? AND a.done_at IS NULL AND a.flagged_at IS NULL ORDER BY a.due_at LIMIT ?`, now.Unix(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LandDue
	for rows.Next() {
		var d LandDue
		if err := rows.Scan(&d.ID, &d.Kind, &d.Village, &d.Org); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FlagLand claims a due application for flagging: true when this call flagged it, false
// when another sweeper had (the conditional UPDATE is the claim).
func (tx *Tx) FlagLand(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE land_applications SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL`, tx.now.Unix(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
