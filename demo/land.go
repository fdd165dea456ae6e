package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"whistle/domain"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
)

// 土地承包经营权登记 in 洪江区 (怀化市洪江管理区, 431271): its real towns and villages,
// the county's registration centre, and households, parcels with polygons, contracts,
// first registrations, transfers and mortgages in 桂花园乡's villages.

const (
	LandCounty  = "431271"
	LandTown    = "431271220"    // 桂花园乡
	LandVillage = "431271220200" // 茅头园村
	LandOrg     = "HJ-BDC"       // 洪江区不动产登记中心
)

// The served demo (20,000 history cases by default) loads the land register of 洪江区
// with LandDemoHouseholds households; the tests' smaller demos leave it out (it takes
// about 3 s) and call LoadLand themselves.
const (
	LandDemoFrom       = 10000
	LandDemoHouseholds = 300
)

// landLogins are the land demo's people: the registration centre's registrar, the
// town's staff, a holder (the first household of 茅头园村) and a bank's loan officer.
var landLogins = []Login{
	{Login: "land.registrar", Role: "officer", Scope: LandOrg, Name: "洪江区不动产登记中心登记员"},
	{Login: "land.town", Role: "dispatcher", Scope: LandTown, Name: "桂花园乡经管站"},
	{Login: "land.holder", Role: "citizen", Name: "茅头园村承包户"},
	{Login: "land.bank", Role: "enterprise", Name: "洪江农商银行信贷员"},
}

// LandSetup puts 洪江区's divisions, the centre and its office, and the land demo's
// users (once).
func LandSetup(ctx context.Context, db *store.DB) (Users, error) {
	out := Users{}
	if u, err := db.UserByLogin(ctx, "land.registrar"); err == nil {
		out["land.registrar"] = u
		for _, l := range landLogins[1:] {
			if out[l.Login], err = db.UserByLogin(ctx, l.Login); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	rows, err := readCSV("hongjiang.csv")
	if err != nil {
		return nil, err
	}
	var regions []domain.Region
	for _, rec := range rows {
		level, err := domain.LevelOf(rec[0])
		if err != nil {
			return nil, err
		}
		regions = append(regions, domain.Region{Code: rec[0], Name: rec[1], Level: level, Parent: domain.ParentCode(rec[0])})
	}
	if err := db.PutRegions(ctx, regions); err != nil {
		return nil, err
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutOrg(domain.Org{Code: LandOrg, Name: "洪江区不动产登记中心", Kind: "department", Region: LandCounty}); err != nil {
			return err
		}
		return tx.InsertLandOffice(&domain.LandOffice{Org: LandOrg, Region: LandCounty, Abbr: "湘", Name: "洪江区"})
	})
	if err != nil {
		return nil, err
	}
	hash, err := passhash.Hash(Password)
	if err != nil {
		return nil, err
	}
	for i, l := range landLogins {
		g := domain.Grant{Role: domain.Role(l.Role)}
		switch g.Role {
		case domain.RoleOfficer:
			g.Org = l.Scope
		case domain.RoleDispatcher:
			g.Region = l.Scope
		}
		u, err := db.PutUser(ctx, domain.User{Login: l.Login, Name: l.Name, Phone: fmt.Sprintf("1357451%04d", 3000+i), Grants: []domain.Grant{g}}, hash)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", l.Login, err)
		}
		out[l.Login] = u
	}
	return out, nil
}

// LandSquare is a parcel's polygon: a square of side metres (about) whose south-west
// corner is at lon, lat, as GeoJSON.
func LandSquare(lon, lat, side float64) string {
	d := side / 111000
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]}`,
		lon, lat, lon+d, lat, lon+d, lat+d, lon, lat+d, lon, lat)
}

// landIDNumber is a valid (checksummed) ID number of someone born in 洪江.
func landIDNumber(rng *rand.Rand) string {
	s := fmt.Sprintf("431271%04d%02d%02d%03d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1000))
	return s + string(domain.IDCheckDigit(s))
}

var (
	landSurnames = []rune("杨刘张王李陈周吴黄唐蒋向舒")
	landGiven    = []string{"建国", "秀英", "德明", "桂花", "志强", "玉兰", "长生", "春梅", "国平", "小红"}
	landFields   = []string{"大丘", "塘边", "坳上", "冲里", "屋背", "长田", "垅头", "溪边"}
)

// LoadLand makes the land demo in 桂花园乡's first villages through the service, as the
// town's staff and the centre would: per household its members, two to four parcels of
// squares on a grid, a contract and a first registration to 发证 (but for 楠木田村's last
// fifth, contracted and not yet registered: the unified registration's progress); then a
// few transfers and mortgages. households is the number of households (a few hundred in the demo).
func LoadLand(ctx context.Context, db *store.DB, households int) error {
	users, err := LandSetup(ctx, db)
	if err != nil {
		return err
	}
	svc := service.New(db)
	town, reg := users["land.town"], users["land.registrar"]
	if cs, err := svc.LandCollectives(ctx, town, LandTown); err != nil || len(cs) > 0 {
		return err
	}
	rng := rand.New(rand.NewPCG(25, 431271))
	villages := []string{LandVillage, "431271220201", "431271220203"}
	var contracts []domain.LandContract
	var holders []domain.LandHousehold
	for vi, v := range villages {
		col, err := svc.CreateLandCollective(ctx, town, domain.LandCollective{Village: v, Group: "01", Name: "第一村民小组", Head: "组长"})
		if err != nil {
			return err
		}
		n := households / len(villages)
		parcel := 0
		for i := 0; i < n; i++ {
			h := domain.LandHousehold{CollectiveID: col.ID, Address: fmt.Sprintf("桂花园乡%d组%d号", 1, i+1)}
			if vi == 0 && i == 0 {
				h.UserID = users["land.holder"].ID
			}
			surname := string(landSurnames[rng.IntN(len(landSurnames))])
			for m := 0; m < 1+rng.IntN(4); m++ {
				rel := []string{"户主", "配偶", "子女", "子女"}[m]
				h.Members = append(h.Members, domain.LandMember{Name: surname + landGiven[rng.IntN(len(landGiven))], Relation: rel,
					IDNumber: landIDNumber(rng), Phone: fmt.Sprintf("139%08d", rng.IntN(1e8))})
			}
			h, err := svc.PutLandHousehold(ctx, town, h)
			if err != nil {
				return err
			}
			c := domain.LandContract{HouseholdID: h.ID, From: "1998-01-01", To: "2057-12-31"}
			for k := 0; k < 2+rng.IntN(3); k++ {
				parcel++
				side := 25 + rng.Float64()*30
				m2 := int64(side * side * 100)
				lon, lat := 110.0+float64(vi)*0.02+float64(parcel%40)*0.0005, 27.2+float64(parcel/40)*0.0005
				p, err := svc.CreateLandParcel(ctx, town, domain.LandParcel{Code: domain.LandParcelCode(v, "01", parcel), CollectiveID: col.ID,
					Name: landFields[rng.IntN(len(landFields))], ContractArea: domain.MuOfSqM(domain.SqM(m2)), MeasuredArea: domain.SqM(m2),
					East: "田埂", South: "水渠", West: "山脚", North: "机耕道", Use: domain.LandUses[rng.IntN(3)], Class: 3 + rng.IntN(5),
					BasicFarmland: rng.IntN(4) > 0, Geometry: LandSquare(lon, lat, side)})
				if err != nil {
					return err
				}
				c.ParcelIDs = append(c.ParcelIDs, p.ID)
			}
			if c, err = svc.CreateLandContract(ctx, town, c); err != nil {
				return err
			}
			contracts, holders = append(contracts, c), append(holders, h)
		}
	}
	per := households / len(villages)
	for i, c := range contracts { // the first is 茅头园村's first certificate
		if i >= 2*per && i-2*per >= per*4/5 {
			continue // 楠木田村's last fifth is still being brought into unified registration
		}
		if err := landThrough(ctx, svc, town, reg, domain.LandApplication{Kind: domain.LandFirst, ContractID: c.ID,
			Documents: []string{"承包合同", "身份证明", "地块示意图"}}); err != nil {
			return fmt.Errorf("first registration of %s: %w", holders[i].Code, err)
		}
	}
	return landChanges(ctx, svc, town, reg, contracts)
}

// landChanges books the demo's mortgages, leases and transfers.
func landChanges(ctx context.Context, svc *service.Service, town, reg domain.User, contracts []domain.LandContract) error {
	for i := 1; i < len(contracts) && i <= 24; i++ {
		c := contracts[i]
		a := domain.LandApplication{ContractID: c.ID, Documents: []string{"申请书"}}
		switch i % 3 {
		case 0:
			a.Kind, a.Terms = domain.LandMortgage, domain.LandTerms{Creditor: "洪江农商银行", AmountFen: int64(50000+i*1000) * 100, From: "2026-01-05", To: "2029-01-04"}
		case 1:
			a.Kind, a.Terms = domain.LandLease, domain.LandTerms{Sub: []string{"rent", "subcontract", "share"}[(i/3)%3], Lessee: "洪江区桂花园种养专业合作社",
				ParcelIDs: c.ParcelIDs[:1], From: "2026-01-01", To: "2030-12-31"}
		default:
			a.Kind, a.Terms = domain.LandTransfer, domain.LandTerms{Sub: "exchange", ToHousehold: contracts[i+1].HouseholdID, ParcelIDs: c.ParcelIDs[:1]}
		}
		if err := landThrough(ctx, svc, town, reg, a); err != nil && !strings.Contains(err.Error(), "conflict") {
			return err
		}
	}
	return nil
}

// landThrough accepts an application and takes it through to 发证.
func landThrough(ctx context.Context, svc *service.Service, town, reg domain.User, a domain.LandApplication) error {
	a, err := svc.ApplyLand(ctx, town, a)
	if err != nil {
		return err
	}
	for _, act := range []domain.LandAct{domain.LandReview, domain.LandBook, domain.LandPrint, domain.LandIssue} {
		if _, err := svc.ActOnLand(ctx, reg, a.ID, service.LandStepInput{Act: act, Note: "符合登记条件"}); err != nil {
			return err
		}
	}
	return nil
}
