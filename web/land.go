package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 土地承包经营权登记 in the browser: the registration centre's and the town's desk
// (figures, applications, accepting one), an application with the registrar's steps,
// a unit's register on a day, the certificate PDF, the holder's certificates with a
// consent code for a bank, and the bank's check; the same service methods as
// /api/v1/land.

// landStaff open the desk: the service decides what each reads (town staff, leaders,
// the registration centre's officers).
var (
	landStaff   = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleOfficer}
	landReaders = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleOfficer, domain.RoleCitizen}
	landHolders = []domain.Role{domain.RoleCitizen}
	landBanks   = []domain.Role{domain.RoleEnterprise}
)

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.land", Path: "/land", Roles: landStaff, Order: 58})
		a.Nav(NavItem{Key: "nav.land_mine", Path: "/land/mine", Roles: landHolders, Order: 58})
		a.Nav(NavItem{Key: "nav.land_check", Path: "/land/check", Roles: landBanks, Order: 58})
		a.Page("GET /land", landStaff, a.landDesk)
		a.Action("POST /land/applications", landStaff, a.landAccept)
		a.Page("GET /land/applications/{id}", landReaders, a.landApplication)
		a.Action("POST /land/applications/{id}/step", landStaff, a.landStep)
		a.Page("GET /land/register/{unit}", landReaders, a.landRegister)
		a.Page("GET /land/certificates/{id}/pdf", landReaders, a.landPDF)
		a.Page("GET /land/figures.xlsx", landStaff, a.landXLSX)
		a.Page("GET /land/mine", landHolders, a.landMine)
		a.Action("POST /land/certificates/{id}/consent", landHolders, a.landConsent)
		a.Page("GET /land/village/{code}", landStaff, a.landVillage)
		a.Action("POST /land/village/{code}/collectives", landStaff, a.landAddCollective)
		a.Action("POST /land/village/{code}/households", landStaff, a.landAddHousehold)
		a.Action("POST /land/village/{code}/parcels", landStaff, a.landAddParcel)
		a.Action("POST /land/village/{code}/contracts", landStaff, a.landAddContract)
		a.Page("GET /land/check", landBanks, a.landCheckForm)
		a.Action("POST /land/check", landBanks, a.landCheck)
	})
}

type landDeskData struct {
	Region  string
	Figures domain.LandFigures
	Apps    []domain.LandApplication
	Kinds   []domain.LandKind
	// the columns of 转移 and 流转 by kind
	MoveKinds []string
}

func (a *App) landDesk(w http.ResponseWriter, r *http.Request, q *Req) error {
	region := a.svc.LandDefaultRegion(r.Context(), q.User, r.URL.Query().Get("region"))
	d := landDeskData{Region: region, Kinds: []domain.LandKind{domain.LandFirst, domain.LandChange, domain.LandTransfer, domain.LandLease,
		domain.LandMortgage, domain.LandDischarge, domain.LandCancel}, MoveKinds: []string{"exchange", "sale", "rent", "subcontract", "share"}}
	if region == "" { // an officer of no registration office: nothing to show
		return a.Render(w, q, http.StatusOK, "land", d)
	}
	f, err := a.svc.LandFigures(r.Context(), q.User, region, "")
	if err != nil {
		return err
	}
	apps, err := a.svc.LandApplications(r.Context(), q.User, region, true)
	if err != nil {
		return err
	}
	d.Figures, d.Apps = f, apps
	return a.Render(w, q, http.StatusOK, "land", d)
}

// landIDs reads a list of ids written 1, 2 3.
func landIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '，' }) {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (a *App) landAccept(w http.ResponseWriter, r *http.Request, q *Req) error {
	f, n := landForm(r)
	app := domain.LandApplication{Kind: domain.LandKind(f("kind")), ContractID: n("contract_id"), Terms: domain.LandTerms{Sub: f("sub"),
		ParcelIDs: landIDs(f("parcel_ids")), ToHousehold: n("to_household"), Creditor: f("creditor"), Lessee: f("lessee"), From: f("from"), To: f("to"),
		Mortgage: n("mortgage"), CreditorConsent: f("creditor_consent") == "1"}}
	if y := f("amount_yuan"); y != "" {
		fen, err := domain.ParseYuan(y)
		if err != nil {
			return domain.Invalidf("land.amount", "amount: %s", domain.ErrorMessage(err))
		}
		app.Terms.AmountFen = fen
	}
	for _, d := range strings.Split(f("documents"), "、") {
		if d = strings.TrimSpace(d); d != "" {
			app.Documents = append(app.Documents, d)
		}
	}
	got, err := a.svc.ApplyLand(r.Context(), q.User, app)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/land/applications/"+strconv.FormatInt(got.ID, 10), http.StatusSeeOther)
	return nil
}

func (a *App) landApplication(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "application")
	if err != nil {
		return err
	}
	v, err := a.svc.LandApplication(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "landapp", v)
}

func (a *App) landStep(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "application")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := a.svc.ActOnLand(r.Context(), q.User, id, service.LandStepInput{Act: domain.LandAct(r.PostFormValue("act")),
		Note: r.PostFormValue("note"), Version: version}); err != nil {
		return err
	}
	http.Redirect(w, r, "/land/applications/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (a *App) landRegister(w http.ResponseWriter, r *http.Request, q *Req) error {
	v, err := a.svc.LandRegister(r.Context(), q.User, r.PathValue("unit"), r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "landregister", v)
}

func (a *App) landPDF(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "certificate")
	if err != nil {
		return err
	}
	body, name, err := a.svc.LandCertificatePDF(r.Context(), q.User, id)
	return transport.WriteDocument(w, transport.PDF, name, true, body, err)
}

func (a *App) landXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	region := a.svc.LandDefaultRegion(r.Context(), q.User, r.URL.Query().Get("region"))
	f, err := a.svc.LandFigures(r.Context(), q.User, region, r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	name, body, err := service.LandFiguresXLSX(f)
	return transport.WriteDocument(w, transport.XLSX, name, false, body, err)
}

type landMineData struct {
	Certificates []domain.LandCertificate
	Consent      *service.LandConsent
	Maps         map[int64]template.HTML // a valid certificate's parcels drawn, by its id
}

// landMineOf reads the holder's certificates and draws each valid one's parcels.
func (a *App) landMineOf(r *http.Request, q *Req) (landMineData, error) {
	cs, err := a.svc.LandCertificates(r.Context(), q.User, "")
	if err != nil {
		return landMineData{}, err
	}
	d := landMineData{Certificates: cs, Maps: map[int64]template.HTML{}}
	for _, c := range cs {
		if !c.Valid {
			continue
		}
		ps, err := a.svc.LandCertificateParcels(r.Context(), q.User, c.ID)
		if err != nil {
			return landMineData{}, err
		}
		own := map[int64]bool{}
		for _, p := range ps {
			own[p.ID] = true
		}
		d.Maps[c.ID] = landParcelMap(ps, own)
	}
	return d, nil
}

func (a *App) landMine(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.landMineOf(r, q)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "landmine", d)
}

func (a *App) landConsent(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "certificate")
	if err != nil {
		return err
	}
	c, err := a.svc.CreateLandConsent(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	d, err := a.landMineOf(r, q)
	if err != nil {
		return err
	}
	d.Consent = &c
	return a.Render(w, q, http.StatusOK, "landmine", d)
}

type landCheckData struct {
	Number, Code string
	Check        *service.LandCheck
}

func (a *App) landCheckForm(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.Render(w, q, http.StatusOK, "landcheck", landCheckData{})
}

func (a *App) landCheck(w http.ResponseWriter, r *http.Request, q *Req) error {
	d := landCheckData{Number: strings.TrimSpace(r.PostFormValue("number")), Code: strings.TrimSpace(r.PostFormValue("code"))}
	c, err := a.svc.CheckLandCertificate(r.Context(), q.User, d.Number, d.Code)
	if err != nil {
		return err
	}
	d.Check = &c
	return a.Render(w, q, http.StatusOK, "landcheck", d)
}

// The town's records of a village: its collectives, households (masked) and parcels,
// and the forms that add them and contract parcels to a household.

type landVillageData struct {
	Village     string
	Collectives []domain.LandCollective
	Households  []domain.LandHousehold
	Parcels     []domain.LandParcel
	Uses        []string
	// the map: the household's (?household=) parcels among their neighbours, else the
	// village's
	Household int64
	Map       template.HTML
}

func (a *App) landVillage(w http.ResponseWriter, r *http.Request, q *Req) error {
	v := r.PathValue("code")
	d := landVillageData{Village: v, Uses: domain.LandUses}
	var err error
	if d.Collectives, err = a.svc.LandCollectives(r.Context(), q.User, v); err != nil {
		return err
	}
	if d.Households, err = a.svc.LandHouseholds(r.Context(), q.User, v, ""); err != nil {
		return err
	}
	if d.Parcels, err = a.svc.LandParcels(r.Context(), q.User, v); err != nil {
		return err
	}
	own := map[int64]bool{}
	if h := r.URL.Query().Get("household"); h != "" {
		if d.Household, err = strconv.ParseInt(h, 10, 64); err != nil || d.Household <= 0 {
			return domain.Invalidf("land.household", "household must be a household's id")
		}
		ps, err := a.svc.LandHouseholdParcels(r.Context(), q.User, d.Household)
		if err != nil {
			return err
		}
		for _, p := range ps {
			own[p.ID] = true
		}
	}
	d.Map = landParcelMap(d.Parcels, own)
	return a.Render(w, q, http.StatusOK, "landvillage", d)
}

// landBack answers a village form: back to the village's page.
func landBack(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/land/village/"+r.PathValue("code"), http.StatusSeeOther)
	return nil
}

func landForm(r *http.Request) (func(string) string, func(string) int64) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return f, func(k string) int64 { n, _ := strconv.ParseInt(f(k), 10, 64); return n }
}

func (a *App) landAddCollective(w http.ResponseWriter, r *http.Request, q *Req) error {
	f, _ := landForm(r)
	_, err := a.svc.CreateLandCollective(r.Context(), q.User, domain.LandCollective{Village: r.PathValue("code"), Group: f("group"), Name: f("name"), Head: f("head")})
	return landBack(w, r, err)
}

func (a *App) landAddHousehold(w http.ResponseWriter, r *http.Request, q *Req) error {
	f, n := landForm(r)
	h := domain.LandHousehold{CollectiveID: n("collective_id"), Address: f("address"), BankAccount: f("bank_account")}
	for i := range 4 {
		k := strconv.Itoa(i)
		if f("name"+k) != "" || f("id"+k) != "" {
			h.Members = append(h.Members, domain.LandMember{Name: f("name" + k), Relation: f("relation" + k), IDNumber: f("id" + k), Phone: f("phone" + k)})
		}
	}
	_, err := a.svc.PutLandHousehold(r.Context(), q.User, h)
	return landBack(w, r, err)
}

func (a *App) landAddParcel(w http.ResponseWriter, r *http.Request, q *Req) error {
	f, n := landForm(r)
	p := domain.LandParcel{Code: f("code"), CollectiveID: n("collective_id"), Name: f("name"), East: f("east"), South: f("south"), West: f("west"),
		North: f("north"), Use: f("use"), BasicFarmland: f("basic") == "1", Geometry: f("geometry")}
	p.Class = int(n("class"))
	if err := p.ContractArea.UnmarshalText([]byte(f("contract_area"))); err != nil {
		return domain.Invalidf("land.parcel.area", "contract area: %s", domain.ErrorMessage(err))
	}
	if err := p.MeasuredArea.UnmarshalText([]byte(f("measured_area"))); err != nil {
		return domain.Invalidf("land.parcel.area", "measured area: %s", domain.ErrorMessage(err))
	}
	_, err := a.svc.CreateLandParcel(r.Context(), q.User, p)
	return landBack(w, r, err)
}

func (a *App) landAddContract(w http.ResponseWriter, r *http.Request, q *Req) error {
	f, n := landForm(r)
	_, err := a.svc.CreateLandContract(r.Context(), q.User, domain.LandContract{HouseholdID: n("household_id"), ParcelIDs: landIDs(f("parcel_ids")), From: f("from"), To: f("to")})
	return landBack(w, r, err)
}
