package domain

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// 土地承包经营权登记: collectives (发包方), contracting households (承包方) and their
// members, parcels (承包地块), contracts, registration applications, the register book
// (登记簿) and certificates (不动产权证书).

// Mu is an area in ten-thousandths of a 亩, exact; written "1.2345" in JSON.
type Mu int64

// SqM is an area in hundredths of a square metre, exact; written "823.45" in JSON.
type SqM int64

func (a Mu) String() string  { return formatFixed(int64(a), 4) }
func (a SqM) String() string { return formatFixed(int64(a), 2) }

// MarshalText writes the area as a decimal.
func (a Mu) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// MarshalText writes the area as a decimal.
func (a SqM) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads "1.2345" (at most four decimals).
func (a *Mu) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), 4)
	*a = Mu(v)
	return err
}

// UnmarshalText reads "823.45" (at most two decimals).
func (a *SqM) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), 2)
	*a = SqM(v)
	return err
}

// SqMOfMu converts an area in 亩 to square metres (1 亩 = 10000/15 m²), rounded to the
// hundredth: for display only, the stored figures are never converted.
func SqMOfMu(a Mu) SqM { return SqM((int64(a)*100 + 7) / 15) }

// MuOfSqM converts square metres to 亩, rounded down to the ten-thousandth: for display.
func MuOfSqM(a SqM) Mu { return Mu(int64(a) * 15 / 100) }

// parseFixed reads a non-negative decimal with at most places decimals into an integer
// of 10^-places units, exactly (no floating point).
func parseFixed(s string, places int) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !isDigits(whole) || len(frac) > places || (frac != "" && !isDigits(frac)) || len(whole) > 12 {
		return 0, Errorf(EINVALID, "%q is not an area with at most %d decimals", s, places)
	}
	v, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac+strings.Repeat("0", places-len(frac)), 10, 64)
	return v*int64(math.Pow10(places)) + f, nil
}

func formatFixed(v int64, places int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	p := int64(math.Pow10(places))
	return fmt.Sprintf("%s%d.%0*d", sign, v/p, places, v%p)
}

// LandCollective is a 发包方: a village (group "00") or one of its 村民小组.
type LandCollective struct {
	ID      int64  `json:"id"`
	Village string `json:"village"`
	Group   string `json:"group"`
	Name    string `json:"name"`
	Head    string `json:"head,omitempty"`
}

// Code is the 14-digit 发包方编码: the village code and the group.
func (c LandCollective) Code() string { return c.Village + c.Group }

// Validate checks a collective's own fields; that the village exists is the service's.
func (c *LandCollective) Validate() error {
	c.Name, c.Group = strings.TrimSpace(c.Name), strings.TrimSpace(c.Group)
	if lv, err := LevelOf(c.Village); err != nil || lv != LevelVillage {
		return Invalidf("land.village", "village %q is not a 12-digit village code", c.Village)
	}
	if len(c.Group) != 2 || !isDigits(c.Group) {
		return Invalidf("land.group", "group %q must be two digits (00 for the village itself)", c.Group)
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 100 {
		return Invalidf("land.name", "a collective needs a name of at most 100 characters")
	}
	return nil
}

// LandMember is one member of a contracting household. IDNumber and Phone are personal
// data: sealed at rest and masked for whoever may not reveal them.
type LandMember struct {
	ID       int64  `json:"id,omitempty"`
	Name     string `json:"name"`
	Relation string `json:"relation"`
	IDNumber string `json:"id_number,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// LandHousehold is a 承包方: its head is the first member.
type LandHousehold struct {
	ID           int64        `json:"id"`
	CollectiveID int64        `json:"collective_id"`
	Village      string       `json:"village"`
	Code         string       `json:"code"` // 18 digits: the collective's 14 and a 4-digit number
	Seq          int          `json:"seq"`  // the household's number in its village
	Unit         string       `json:"unit"` // its right's 不动产单元号
	Head         string       `json:"head"`
	Address      string       `json:"address,omitempty"`
	BankAccount  string       `json:"bank_account,omitempty"`
	UserID       int64        `json:"user_id,omitempty"`
	Members      []LandMember `json:"members"`
	Masked       bool         `json:"masked"`
}

// Validate checks a household and normalises its members' ID numbers and phones.
func (h *LandHousehold) Validate() error {
	if len(h.Members) == 0 {
		return Invalidf("land.members", "a household needs at least its head as a member")
	}
	if len(h.Members) > 30 {
		return Invalidf("land.members", "a household has at most 30 members")
	}
	seen := map[string]bool{}
	for i := range h.Members {
		m := &h.Members[i]
		m.Name, m.Relation = strings.TrimSpace(m.Name), strings.TrimSpace(m.Relation)
		if m.Name == "" || utf8.RuneCountInString(m.Name) > 50 {
			return Invalidf("land.member.name", "member %d needs a name of at most 50 characters", i+1)
		}
		if m.Relation == "" {
			m.Relation = "户主"
		}
		id, err := ValidIDNumber(m.IDNumber)
		if err != nil {
			return Invalidf("land.member.id_number", "member %d: %s", i+1, ErrorMessage(err))
		}
		if seen[id] {
			return Invalidf("land.member.id_number", "member %d: the ID number is given twice", i+1)
		}
		seen[id], m.IDNumber = true, id
		if m.Phone != "" {
			if m.Phone, err = ValidPersonPhone(m.Phone); err != nil {
				return Invalidf("land.member.phone", "member %d: %s", i+1, ErrorMessage(err))
			}
		}
	}
	h.Head = h.Members[0].Name
	if utf8.RuneCountInString(h.Address) > 200 || len(h.BankAccount) > 40 {
		return Invalidf("land.address", "address at most 200 characters, bank account at most 40")
	}
	return nil
}

// Mask hides members' ID numbers and phones and the bank account.
func (h *LandHousehold) Mask() {
	id, ph := Field{Type: FieldIDNumber}, Field{Type: FieldPhone}
	for i := range h.Members {
		h.Members[i].IDNumber, h.Members[i].Phone = id.Mask(h.Members[i].IDNumber), ph.Mask(h.Members[i].Phone)
	}
	if n := len(h.BankAccount); n > 4 {
		h.BankAccount = strings.Repeat("*", n-4) + h.BankAccount[n-4:]
	}
	h.Masked = true
}

// Land uses (地类) and whether a use is farmland.
var LandUses = []string{"水田", "旱地", "水浇地", "园地", "林地", "草地", "其他"}

// LandMaxSpan is the widest a parcel's bounding box may be, in degrees either way (about
// 1 km): a contracted parcel is far smaller, and the point lookup scans the parcels whose
// box begins within this of the point.
const LandMaxSpan = 0.01

// LandParcel is a 承包地块.
type LandParcel struct {
	ID            int64  `json:"id"`
	Code          string `json:"code"` // 19 digits: village 12, group 2, number 5
	CollectiveID  int64  `json:"collective_id"`
	Name          string `json:"name"`
	ContractArea  Mu     `json:"contract_area_mu"`
	MeasuredArea  SqM    `json:"measured_area_m2"`
	East          string `json:"east"`
	South         string `json:"south"`
	West          string `json:"west"`
	North         string `json:"north"`
	Use           string `json:"use"`
	Class         int    `json:"class"` // 地力等级 1–10
	BasicFarmland bool   `json:"basic_farmland"`
	Geometry      string `json:"geometry"` // GeoJSON Polygon, [lon, lat]
	// the polygon's bounding box in 10^-7 degrees, for the point lookup
	MinX, MinY, MaxX, MaxY int64 `json:"-"`
}

// LandParcelCode builds a parcel's code.
func LandParcelCode(village, group string, n int) string {
	return fmt.Sprintf("%s%s%05d", village, group, n)
}

// Validate checks a parcel's fields and polygon against its collective and sets its box.
func (p *LandParcel) Validate(c LandCollective) error {
	p.Name = strings.TrimSpace(p.Name)
	if len(p.Code) != 19 || !isDigits(p.Code) || p.Code[:14] != c.Code() || p.Code[14:] == "00000" {
		return Invalidf("land.parcel.code", "parcel code %q must be the collective's code %s and a 5-digit number", p.Code, c.Code())
	}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 50 {
		return Invalidf("land.parcel.name", "a parcel needs a name of at most 50 characters")
	}
	if p.ContractArea <= 0 || p.MeasuredArea <= 0 {
		return Invalidf("land.parcel.area", "parcel %s: contract and measured areas must be above zero", p.Code)
	}
	for _, b := range []string{p.East, p.South, p.West, p.North} {
		if utf8.RuneCountInString(b) > 50 {
			return Invalidf("land.parcel.boundary", "a boundary (四至) has at most 50 characters")
		}
	}
	if !slices.Contains(LandUses, p.Use) {
		return Invalidf("land.parcel.use", "land use %q is not one of %s", p.Use, strings.Join(LandUses, "、"))
	}
	if p.Class < 1 || p.Class > 10 {
		return Invalidf("land.parcel.class", "land class %d must be 1 to 10", p.Class)
	}
	return p.SetGeometry(p.Geometry)
}

// SetGeometry reads a GeoJSON polygon and keeps its bounding box; a parcel's polygon
// is one Polygon no wider than LandMaxSpan.
func (p *LandParcel) SetGeometry(g string) error {
	poly, err := ParsePolygon(g)
	if err != nil {
		return Invalidf("land.parcel.geometry", "parcel %s: %s", p.Code, ErrorMessage(err))
	}
	minLat, maxLat, minLon, maxLon := poly.Box()
	if maxLat-minLat > LandMaxSpan || maxLon-minLon > LandMaxSpan {
		return Invalidf("land.parcel.geometry", "parcel %s: the polygon spans more than %.2f degrees", p.Code, LandMaxSpan)
	}
	p.Geometry = g
	p.MinX, p.MaxX, p.MinY, p.MaxY = E7(minLon), E7(maxLon), E7(minLat), E7(maxLat)
	return nil
}

// E7 writes degrees as integer 10^-7 degrees (about 1 cm).
func E7(deg float64) int64 { return int64(math.Round(deg * 1e7)) }

// LandContract is a 承包合同: a collective contracts parcels to a household.
type LandContract struct {
	ID           int64   `json:"id"`
	Number       string  `json:"number"`
	CollectiveID int64   `json:"collective_id"`
	HouseholdID  int64   `json:"household_id"`
	ParcelIDs    []int64 `json:"parcel_ids"`
	From         string  `json:"from"`
	To           string  `json:"to"`
	Live         bool    `json:"live"`
}

// Validate checks a contract's term and parcels.
func (c *LandContract) Validate() error {
	if !validDay(c.From) || !validDay(c.To) || c.To <= c.From {
		return Invalidf("land.contract.term", "a contract's term needs from and to (YYYY-MM-DD), to after from")
	}
	if len(c.ParcelIDs) == 0 || len(c.ParcelIDs) > 200 {
		return Invalidf("land.contract.parcels", "a contract holds 1 to 200 parcels")
	}
	seen := map[int64]bool{}
	for _, id := range c.ParcelIDs {
		if seen[id] {
			return Invalidf("land.contract.parcels", "parcel %d is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// LandKind is what a registration does.
type LandKind string

const (
	LandFirst     LandKind = "first"     // 首次登记
	LandChange    LandKind = "change"    // 变更登记: split, members, area correction
	LandTransfer  LandKind = "transfer"  // 转移登记: 互换, 转让
	LandLease     LandKind = "lease"     // 流转: 出租, 转包, 入股 (recorded, the right stays)
	LandMortgage  LandKind = "mortgage"  // 抵押登记
	LandDischarge LandKind = "discharge" // 抵押注销
	LandCancel    LandKind = "cancel"    // 注销登记
)

// LandKinds lists the kinds with their working-day limits.
var LandKinds = map[LandKind]int{LandFirst: 20, LandChange: 10, LandTransfer: 10, LandLease: 5, LandMortgage: 5, LandDischarge: 5, LandCancel: 10}

// Issues tells whether booking the kind issues a new certificate (the holder's right or
// its terms change); leases and mortgages are recorded in the book and proved by it.
func (k LandKind) Issues() bool { return k == LandFirst || k == LandChange || k == LandTransfer }

// LandStatus is where an application is: 受理 → 审核 → 登簿 → 缮证 → 发证, or refused.
type LandStatus string

const (
	LandAccepted LandStatus = "accepted" // 受理
	LandReviewed LandStatus = "reviewed" // 审核
	LandBooked   LandStatus = "booked"   // 登簿
	LandPrinted  LandStatus = "printed"  // 缮证
	LandIssued   LandStatus = "issued"   // 发证
	LandRefused  LandStatus = "refused"
)

// LandAct is a registrar's step.
type LandAct string

const (
	LandReview LandAct = "review"
	LandBook   LandAct = "book"
	LandPrint  LandAct = "print"
	LandIssue  LandAct = "issue"
	LandRefuse LandAct = "refuse"
)

// Next is the status act leads to from s, or a conflict.
func (a LandAct) Next(s LandStatus) (LandStatus, error) {
	from := map[LandAct]LandStatus{LandReview: LandAccepted, LandBook: LandReviewed, LandPrint: LandBooked, LandIssue: LandPrinted}
	to := map[LandAct]LandStatus{LandReview: LandReviewed, LandBook: LandBooked, LandPrint: LandPrinted, LandIssue: LandIssued, LandRefuse: LandRefused}
	if a == LandRefuse {
		if s == LandAccepted || s == LandReviewed {
			return LandRefused, nil
		}
		return s, Errorf(ECONFLICT, "only an application not yet booked can be refused (it is %s)", s)
	}
	want, ok := from[a]
	if !ok {
		return s, Invalidf("land.act", "unknown step %q", a)
	}
	if s != want {
		return s, Errorf(ECONFLICT, "step %s needs an application %s; it is %s", a, want, s)
	}
	return to[a], nil
}

// LandTerms are a kind's own terms.
type LandTerms struct {
	Sub         string        `json:"sub,omitempty"` // change: split, members, area; transfer: exchange, sale; lease: rent, subcontract, share
	ParcelIDs   []int64       `json:"parcel_ids,omitempty"`
	ToHousehold int64         `json:"to_household,omitempty"`
	Creditor    string        `json:"creditor,omitempty"`
	AmountFen   int64         `json:"amount_fen,omitempty"`
	Lessee      string        `json:"lessee,omitempty"`
	From        string        `json:"from,omitempty"`
	To          string        `json:"to,omitempty"`
	Mortgage    int64         `json:"mortgage,omitempty"` // discharge: the application that registered it
	Areas       []LandAreaFix `json:"areas,omitempty"`    // change (area): the corrected areas
	// transfer: the mortgage creditors agreed (抵押权人同意), as the application's documents show
	CreditorConsent bool `json:"creditor_consent,omitempty"`
}

// LandStep is one recorded step of an application with the registrar's note.
type LandStep struct {
	Act  LandAct   `json:"act"`
	At   time.Time `json:"at"`
	By   int64     `json:"by"`
	Note string    `json:"note,omitempty"`
}

// LandApplication is a registration application.
type LandApplication struct {
	ID          int64      `json:"id"`
	Kind        LandKind   `json:"kind"`
	Status      LandStatus `json:"status"`
	OfficeID    int64      `json:"office_id"`
	HouseholdID int64      `json:"household_id"`
	ContractID  int64      `json:"contract_id"`
	Village     string     `json:"village"`
	Terms       LandTerms  `json:"terms"`
	Documents   []string   `json:"documents"`
	Reason      string     `json:"reason,omitempty"`
	AcceptedAt  time.Time  `json:"accepted_at"`
	AcceptedBy  int64      `json:"accepted_by"`
	DueAt       time.Time  `json:"due_at"`
	EntryID     int64      `json:"entry_id,omitempty"`
	CertID      int64      `json:"certificate_id,omitempty"`
	Version     int        `json:"version"`
	Steps       []LandStep `json:"steps"`
	Overdue     bool       `json:"overdue"`
}

var landSubs = map[LandKind][]string{
	LandChange: {"split", "members", "area"}, LandTransfer: {"exchange", "sale"}, LandLease: {"rent", "subcontract", "share"},
}

// Validate checks an application's kind and terms.
func (a *LandApplication) Validate() error {
	if _, ok := LandKinds[a.Kind]; !ok {
		return Invalidf("land.kind", "kind %q is not one of first, change, transfer, lease, mortgage, discharge, cancel", a.Kind)
	}
	if subs := landSubs[a.Kind]; subs != nil && !slices.Contains(subs, a.Terms.Sub) {
		return Invalidf("land.sub", "a %s needs terms.sub, one of %s", a.Kind, strings.Join(subs, ", "))
	}
	if a.ContractID == 0 {
		return Invalidf("land.contract", "an application needs contract_id")
	}
	t := a.Terms
	switch a.Kind {
	case LandTransfer:
		if t.ToHousehold == 0 || len(t.ParcelIDs) == 0 {
			return Invalidf("land.transfer", "a transfer needs terms.to_household and terms.parcel_ids")
		}
	case LandLease:
		if strings.TrimSpace(t.Lessee) == "" || len(t.ParcelIDs) == 0 || !validDay(t.From) || !validDay(t.To) || t.To <= t.From {
			return Invalidf("land.lease", "a lease needs terms.lessee, terms.parcel_ids and a term (from, to)")
		}
	case LandMortgage:
		if strings.TrimSpace(t.Creditor) == "" || t.AmountFen <= 0 || !validDay(t.From) || !validDay(t.To) || t.To <= t.From {
			return Invalidf("land.mortgage", "a mortgage needs terms.creditor, terms.amount_fen above zero and a term (from, to)")
		}
	case LandDischarge:
		if t.Mortgage == 0 {
			return Invalidf("land.discharge", "a discharge needs terms.mortgage, the application that registered it")
		}
	}
	for i, d := range a.Documents {
		if strings.TrimSpace(d) == "" || utf8.RuneCountInString(d) > 100 {
			return Invalidf("land.documents", "document %d needs a name of at most 100 characters", i+1)
		}
	}
	return nil
}

// LandRightParcel is a parcel as the register records it.
type LandRightParcel struct {
	ID           int64  `json:"id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	ContractArea Mu     `json:"contract_area_mu"`
	MeasuredArea SqM    `json:"measured_area_m2"`
	Use          string `json:"use"`
	Basic        bool   `json:"basic_farmland"`
}

// LandMortgageRight is a live mortgage on a right.
type LandMortgageRight struct {
	Application int64  `json:"application"` // the application that registered it
	Creditor    string `json:"creditor"`
	AmountFen   int64  `json:"amount_fen"`
	From        string `json:"from"`
	To          string `json:"to"`
}

// LandLeaseRecord is a recorded 流转.
type LandLeaseRecord struct {
	Application int64   `json:"application"`
	Sub         string  `json:"sub"`
	Lessee      string  `json:"lessee"`
	Parcels     []int64 `json:"parcels"`
	Area        Mu      `json:"area_mu"`
	From        string  `json:"from"`
	To          string  `json:"to"`
}

// LandRight is the state of one property unit's right after a register entry: each
// entry keeps the whole state, so a past day reads the last entry up to it.
type LandRight struct {
	Unit         string              `json:"unit"`
	Village      string              `json:"village"`
	HouseholdID  int64               `json:"household_id"`
	Holder       string              `json:"holder"`
	ContractID   int64               `json:"contract_id"`
	ContractNo   string              `json:"contract_no"`
	From         string              `json:"from"`
	To           string              `json:"to"`
	Parcels      []LandRightParcel   `json:"parcels"`
	ContractArea Mu                  `json:"contract_area_mu"`
	MeasuredArea SqM                 `json:"measured_area_m2"`
	Mortgages    []LandMortgageRight `json:"mortgages"`
	Leases       []LandLeaseRecord   `json:"leases"`
	Certificate  string              `json:"certificate,omitempty"`
	Cancelled    bool                `json:"cancelled"`
}

// Sum totals the right's parcels' areas.
func (r *LandRight) Sum() {
	r.ContractArea, r.MeasuredArea = 0, 0
	for _, p := range r.Parcels {
		r.ContractArea += p.ContractArea
		r.MeasuredArea += p.MeasuredArea
	}
}

// LandEntry is one entry of the register book: append-only, dated.
type LandEntry struct {
	ID            int64     `json:"id"`
	Unit          string    `json:"unit"`
	Kind          LandKind  `json:"kind"`
	At            time.Time `json:"at"`
	Day           string    `json:"day"`
	ApplicationID int64     `json:"application_id"`
	By            int64     `json:"by"`
	Right         LandRight `json:"right"`
}

// LandTransferable refuses to move a mortgaged right without its creditors' consent.
func LandTransferable(r LandRight, consent bool) error {
	if r.Cancelled {
		return Errorf(ECONFLICT, "the right of unit %s is cancelled", r.Unit)
	}
	if len(r.Mortgages) > 0 && !consent {
		return Errorf(ECONFLICT, "the right of unit %s is mortgaged to %s: a transfer needs the creditor's consent", r.Unit, r.Mortgages[0].Creditor)
	}
	return nil
}

// LandOffice is a registration office (不动产登记机构) of a county: its officers register.
type LandOffice struct {
	ID     int64  `json:"id"`
	Org    string `json:"org"`
	Region string `json:"region"`
	Abbr   string `json:"abbr"` // the province's one-character name: 湘
	Name   string `json:"name"` // the county as the number names it: 洪江区
}

// CertificateNumber writes a certificate's number: 湘(2026)洪江区不动产权第0000001号.
func (o LandOffice) CertificateNumber(year int, seq int64) string {
	return fmt.Sprintf("%s(%d)%s不动产权第%07d号", o.Abbr, year, o.Name, seq)
}

// LandUnitNo builds the 28-character 不动产单元号 of a household's contracted right: the
// village as 地籍区/子区 (12), 宗地特征码 JC (集体土地, 承包经营) and the household's number
// in the village (5), 定着物 W00000000 (none).
func LandUnitNo(village string, n int) string {
	return fmt.Sprintf("%sJC%05dW00000000", village, n)
}

// ValidUnitNo checks a unit number's shape.
func ValidUnitNo(s string) bool {
	return len(s) == 28 && isDigits(s[:12]) && s[12:14] == "JC" && isDigits(s[14:19]) && s[19] == 'W' && isDigits(s[20:])
}

// LandCertificate is a 不动产权证书.
type LandCertificate struct {
	ID          int64      `json:"id"`
	OfficeID    int64      `json:"office_id"`
	Year        int        `json:"year"`
	Seq         int64      `json:"seq"`
	Number      string     `json:"number"`
	Unit        string     `json:"unit"`
	HouseholdID int64      `json:"household_id"`
	EntryID     int64      `json:"entry_id"`
	Valid       bool       `json:"valid"`
	IssuedAt    time.Time  `json:"issued_at"`
	VoidedAt    *time.Time `json:"voided_at,omitempty"`
	Right       LandRight  `json:"right"`
}

// LandClerk tells whether u handles land records in village: the village's or its
// town's or county's administrators and dispatchers (乡镇经管站 staff).
func LandClerk(u User, village string) bool {
	for _, g := range u.Grants {
		if (g.Role == RoleAdmin || g.Role == RoleDispatcher) && Within(village, g.Region) {
			return true
		}
	}
	return false
}

// LandRegistrar tells whether u registers for office: its officers (登记中心).
func LandRegistrar(u User, o LandOffice) bool {
	for _, g := range u.Grants {
		if g.Role == RoleOfficer && g.Org == o.Org {
			return true
		}
	}
	return false
}

// LandReads tells whether u reads land records of region: clerks, leaders of it.
func LandReads(u User, region string) bool {
	return LandClerk(u, region) || ReadsPlace(u, region)
}

// LandBank tells whether u checks certificates for a lender (a bank's staff, role
// enterprise).
func LandBank(u User) bool { return u.Has(RoleEnterprise) }

// LandDay is the day of t in China.
func LandDay(t time.Time) string { return t.In(China).Format("2006-01-02") }

// LandAreaFix corrects a parcel's areas (变更: area correction).
type LandAreaFix struct {
	Parcel       int64 `json:"parcel"`
	ContractArea Mu    `json:"contract_area_mu"`
	MeasuredArea SqM   `json:"measured_area_m2"`
}

// NewLandRight is a household's right under its contract over parcels, as the register
// records it; mortgages and leases are carried by the caller.
func NewLandRight(h LandHousehold, c LandContract, ps []LandParcel) LandRight {
	r := LandRight{Unit: h.Unit, Village: h.Village, HouseholdID: h.ID, Holder: h.Head, ContractID: c.ID, ContractNo: c.Number,
		From: c.From, To: c.To, Parcels: []LandRightParcel{}, Mortgages: []LandMortgageRight{}, Leases: []LandLeaseRecord{}}
	for _, p := range ps {
		r.Parcels = append(r.Parcels, LandRightParcel{ID: p.ID, Code: p.Code, Name: p.Name, ContractArea: p.ContractArea, MeasuredArea: p.MeasuredArea,
			Use: p.Use, Basic: p.BasicFarmland})
	}
	r.Sum()
	return r
}

// Holds tells whether every one of ids is a parcel of the right.
func (r LandRight) Holds(ids []int64) error {
	for _, id := range ids {
		if !slices.ContainsFunc(r.Parcels, func(p LandRightParcel) bool { return p.ID == id }) {
			return Errorf(ECONFLICT, "parcel %d is not in the right of unit %s", id, r.Unit)
		}
	}
	return nil
}

// LeaseArea totals the contract area of ids among the right's parcels.
func (r LandRight) LeaseArea(ids []int64) Mu {
	var a Mu
	for _, p := range r.Parcels {
		if slices.Contains(ids, p.ID) {
			a += p.ContractArea
		}
	}
	return a
}

// Discharge takes off the mortgage application app registered.
func (r *LandRight) Discharge(app int64) error {
	i := slices.IndexFunc(r.Mortgages, func(m LandMortgageRight) bool { return m.Application == app })
	if i < 0 {
		return Errorf(ECONFLICT, "the right of unit %s has no live mortgage registered by application %d", r.Unit, app)
	}
	r.Mortgages = slices.Delete(r.Mortgages, i, i+1)
	return nil
}

// LandFigures are a region's figures on a day.
type LandFigures struct {
	Region         string         `json:"region"`
	Day            string         `json:"day"`
	Households     int            `json:"households"`
	Parcels        int            `json:"parcels"`
	ContractArea   Mu             `json:"contract_area_mu"`
	Contracts      int            `json:"contracts"`
	Registered     int            `json:"registered"` // units with a live right in the book
	RegisteredArea Mu             `json:"registered_area_mu"`
	Certificates   int            `json:"certificates"`     // valid
	Pending        int            `json:"pending"`          // applications not yet issued nor refused
	Leases         map[string]int `json:"leases"`           // by kind
	LeaseArea      map[string]Mu  `json:"lease_area_mu"`    // by kind
	Transfers      map[string]int `json:"transfers"`        // 转移 booked by then, by kind (exchange, sale)
	TransferArea   map[string]Mu  `json:"transfer_area_mu"` // the moved parcels' contract area as booked, by kind
	Mortgages      int            `json:"mortgages"`
	MortgageFen    int64          `json:"mortgage_amount_fen"`
	Progress       *float64       `json:"progress"` // registered households of households (a fraction)
	// unified registration (确权登记颁证): households (live contracts), parcels and area
	// under contract on the day, against those whose right in the book is certified
	ContractedParcels   int           `json:"contracted_parcels"`
	ContractedArea      Mu            `json:"contracted_area_mu"`
	CertifiedHouseholds int           `json:"certified_households"`
	CertifiedParcels    int           `json:"certified_parcels"`
	CertifiedArea       Mu            `json:"certified_area_mu"`
	HouseholdProgress   *float64      `json:"household_progress"` // certified of contracted (fractions)
	ParcelProgress      *float64      `json:"parcel_progress"`
	AreaProgress        *float64      `json:"area_progress"`
	Rows                []LandFigures `json:"rows,omitempty"`
}

// AddTransfer counts a booked 转移 of kind sub whose recipient's right r holds the moved
// parcels (their area as booked).
func (f *LandFigures) AddTransfer(sub string, parcels []int64, r LandRight) {
	f.Transfers[sub]++
	f.TransferArea[sub] += r.LeaseArea(parcels)
}

// AddRight counts a unit's right as the register holds it.
func (f *LandFigures) AddRight(r LandRight) {
	if r.Cancelled {
		return
	}
	f.Registered++
	f.RegisteredArea += r.ContractArea
	if r.Certificate != "" {
		f.CertifiedHouseholds++
		f.CertifiedParcels += len(r.Parcels)
		f.CertifiedArea += r.ContractArea
	}
	for _, l := range r.Leases {
		f.Leases[l.Sub]++
		f.LeaseArea[l.Sub] += l.Area
	}
	for _, m := range r.Mortgages {
		f.Mortgages++
		f.MortgageFen += m.AmountFen
	}
}

// Finish writes the progress of registration.
func (f *LandFigures) Finish() {
	f.Progress = Ratio(f.Registered, f.Households)
	f.HouseholdProgress = Ratio(f.CertifiedHouseholds, f.Contracts)
	f.ParcelProgress = Ratio(f.CertifiedParcels, f.ContractedParcels)
	f.AreaProgress = Ratio(f.CertifiedArea, f.ContractedArea)
}
