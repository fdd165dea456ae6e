package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/pdf"
	"whistle/sheets"
	"whistle/store"
)

// The land register's documents and figures: offices, the survey's import, the
// certificate as a PDF, the figures and their workbook.

// LandOffices lists the registration offices (any signed-in user: the number names them).
func (s *Service) LandOffices(ctx context.Context, _ domain.User) ([]domain.LandOffice, error) {
	return s.db.LandOffices(ctx)
}

// landFeature is one parcel of a survey's GeoJSON.
type landFeature struct {
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties struct {
		Code          string          `json:"code"`
		Name          string          `json:"name"`
		ContractArea  json.RawMessage `json:"contract_area_mu"`
		MeasuredArea  json.RawMessage `json:"measured_area_m2"`
		East          string          `json:"east"`
		South         string          `json:"south"`
		West          string          `json:"west"`
		North         string          `json:"north"`
		Use           string          `json:"use"`
		Class         int             `json:"class"`
		BasicFarmland bool            `json:"basic_farmland"`
	} `json:"properties"`
}

// area reads a number or a string as an exact area.
func area(raw json.RawMessage, into interface{ UnmarshalText([]byte) error }) error {
	return into.UnmarshalText([]byte(strings.Trim(string(raw), `"`)))
}

// ImportLandParcels loads a survey's parcels (a GeoJSON FeatureCollection of Polygons
// with their properties) into the collectives of region, all or nothing: the region's
// clerks. A bad feature is refused by its number and field.
func (s *Service) ImportLandParcels(ctx context.Context, u domain.User, region string, body []byte) (int, error) {
	if region == "" || !domain.LandClerk(u, region) {
		return 0, domain.Errorf(domain.EFORBIDDEN, "only the town's and county's staff import the parcels of region %q", region)
	}
	var fc struct {
		Type     string        `json:"type"`
		Features []landFeature `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil || fc.Type != "FeatureCollection" {
		return 0, domain.Invalidf("land.import", "the body must be a GeoJSON FeatureCollection")
	}
	cols, err := s.db.LandCollectives(ctx, region)
	if err != nil {
		return 0, err
	}
	byCode := map[string]domain.LandCollective{}
	for _, c := range cols {
		byCode[c.Code()] = c
	}
	ps := make([]domain.LandParcel, len(fc.Features))
	seen := make(map[string]bool, len(ps))
	for i, f := range fc.Features {
		pr := f.Properties
		p := domain.LandParcel{Code: pr.Code, Name: pr.Name, East: pr.East, South: pr.South, West: pr.West, North: pr.North, Use: pr.Use,
			Class: pr.Class, BasicFarmland: pr.BasicFarmland, Geometry: string(f.Geometry)}
		bad := func(err error) (int, error) {
			return 0, domain.Invalidf("land.import", "feature %d (%s): %s", i+1, pr.Code, domain.ErrorMessage(err))
		}
		if err := area(pr.ContractArea, &p.ContractArea); err != nil {
			return bad(err)
		}
		if err := area(pr.MeasuredArea, &p.MeasuredArea); err != nil {
			return bad(err)
		}
		c, ok := byCode[pr.Code[:min(14, len(pr.Code))]]
		if !ok {
			return bad(domain.Errorf(domain.EINVALID, "no collective %q in region %s", pr.Code[:min(14, len(pr.Code))], region))
		}
		p.CollectiveID = c.ID
		if err := p.Validate(c); err != nil {
			return bad(err)
		}
		if seen[p.Code] {
			return bad(domain.Errorf(domain.EINVALID, "code given twice"))
		}
		seen[p.Code], ps[i] = true, p
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertLandParcels(ps); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "land_parcel.import", "land_parcel", domain.Change{After: map[string]any{"region": region, "parcels": len(ps)}})
	})
	if err == nil && len(ps) >= 1000 { // a survey: the planner's statistics of the box index, as after a bulk load
		err = s.db.Analyze(ctx, "land_parcels")
	}
	return len(ps), err
}

// LandCertificatePDF prints a certificate in its layout with the 宗地图 drawn from its
// parcels' polygons; a voided one is printed marked 已作废.
func (s *Service) LandCertificatePDF(ctx context.Context, u domain.User, id int64) ([]byte, string, error) {
	c, err := s.LandCertificate(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	o, err := s.db.LandOffice(ctx, c.OfficeID)
	if err != nil {
		return nil, "", err
	}
	org, err := s.db.Org(ctx, o.Org)
	if err != nil {
		return nil, "", err
	}
	village, err := s.db.Region(ctx, c.Right.Village)
	if err != nil {
		return nil, "", err
	}
	r := c.Right
	doc := pdf.LandCertificate{Title: c.Number, Issuer: org.Name, Number: c.Number, Void: !c.Valid,
		Rows: []pdf.Field{
			{Label: "权利人", Value: r.Holder}, {Label: "共有情况", Value: "家庭承包"},
			{Label: "坐落", Value: village.Name + "（" + r.Village + "）"}, {Label: "不动产单元号", Value: c.Unit},
			{Label: "权利类型", Value: "土地承包经营权"}, {Label: "权利性质", Value: "家庭承包"},
			{Label: "用途", Value: "农业用地"},
			{Label: "面积", Value: fmt.Sprintf("合同面积 %s 亩，实测面积 %s 平方米，共 %d 块", r.ContractArea, r.MeasuredArea, len(r.Parcels))},
			{Label: "使用期限", Value: r.From + " 起 " + r.To + " 止"},
			{Label: "承包合同编号", Value: r.ContractNo},
			{Label: "权利其他状况", Value: landOtherState(r)},
		},
		Footer: fmt.Sprintf("登簿日期：%s    发证日期：%s", c.IssuedAt.In(domain.China).Format("2006年01月02日"), c.IssuedAt.In(domain.China).Format("2006年01月02日")),
	}
	for _, p := range r.Parcels {
		basic := "否"
		if p.Basic {
			basic = "是"
		}
		doc.Parcels = append(doc.Parcels, []string{p.Code, p.Name, p.ContractArea.String(), p.MeasuredArea.String(), p.Use, basic})
		lp, err := s.db.LandParcel(ctx, p.ID)
		if err != nil {
			return nil, "", err
		}
		if poly, err := domain.ParsePolygon(lp.Geometry); err == nil {
			doc.Sketch = append(doc.Sketch, pdf.SketchParcel{Label: p.Code[14:], Rings: poly.Rings()})
		}
	}
	body, err := doc.Render()
	return body, "certificate-" + strconv.FormatInt(c.ID, 10) + ".pdf", err
}

func landOtherState(r domain.LandRight) string {
	var parts []string
	for _, m := range r.Mortgages {
		parts = append(parts, fmt.Sprintf("抵押：%s，%s 元，%s 至 %s", m.Creditor, domain.FormatYuan(m.AmountFen), m.From, m.To))
	}
	for _, l := range r.Leases {
		parts = append(parts, fmt.Sprintf("流转（%s）：%s，%s 亩，%s 至 %s", landLeaseName[l.Sub], l.Lessee, l.Area, l.From, l.To))
	}
	if len(parts) == 0 {
		return "无"
	}
	return strings.Join(parts, "；")
}

var landLeaseName = map[string]string{"rent": "出租", "subcontract": "转包", "share": "入股"}

// LandFigures are region's figures as of day (today when ""), with a row per child
// region (towns of a county, villages of a town): households, parcels and area,
// (each parcel's area as it was that day), contracts, registered rights and
// certificates, pending applications, 转移 and 流转 by kind and area, mortgages and
// amounts, and the progress of registration: registered households of all, and the
// unified registration's certified households, parcels and area of those contracted.
func (s *Service) LandFigures(ctx context.Context, u domain.User, region, day string) (domain.LandFigures, error) {
	if region == "" {
		if scopes := domain.ReadScopes(u); len(scopes) > 0 {
			region = scopes[0]
		}
	}
	if !s.landReadsVillage(ctx, u, region) {
		return domain.LandFigures{}, domain.Errorf(domain.EFORBIDDEN, "you do not read the land figures of region %q", region)
	}
	if day == "" {
		day = domain.LandDay(s.now())
	}
	d, _ := time.ParseInLocation("2006-01-02", day, domain.China)
	counts, err := s.db.LandCountsByVillage(ctx, region, d.AddDate(0, 0, 1).Add(-time.Second))
	if err != nil {
		return domain.LandFigures{}, err
	}
	rights, err := s.db.LandVillageRights(ctx, region, day)
	if err != nil {
		return domain.LandFigures{}, err
	}
	child := domain.ChildCodeLength(region)
	total := newLandFigures(region, day)
	rows := map[string]*domain.LandFigures{}
	row := func(village string) *domain.LandFigures {
		code := village
		if child > 0 && child <= len(village) {
			code = village[:child]
		}
		if rows[code] == nil {
			f := newLandFigures(code, day)
			rows[code] = &f
		}
		return rows[code]
	}
	for v, c := range counts {
		for _, f := range []*domain.LandFigures{&total, row(v)} {
			f.Households += c.Households
			f.Parcels += c.Parcels
			f.ContractArea += domain.Mu(c.ContractArea)
			f.Contracts += c.Contracts
			f.Certificates += c.Certificates
			f.Pending += c.Pending
			f.ContractedParcels += c.ContractedParcels
			f.ContractedArea += domain.Mu(c.ContractedArea)
		}
	}
	transfers, err := s.db.LandTransfers(ctx, region, day)
	if err != nil {
		return domain.LandFigures{}, err
	}
	for _, t := range transfers {
		total.AddTransfer(t.Terms.Sub, t.Terms.ParcelIDs, t.Right)
		row(t.Village).AddTransfer(t.Terms.Sub, t.Terms.ParcelIDs, t.Right)
	}
	for _, e := range rights {
		total.AddRight(e.Right)
		row(e.Right.Village).AddRight(e.Right)
	}
	total.Finish()
	if child > 0 && child <= 12 {
		for _, code := range sortedKeys(rows) {
			rows[code].Finish()
			total.Rows = append(total.Rows, *rows[code])
		}
	}
	return total, nil
}

func newLandFigures(region, day string) domain.LandFigures {
	return domain.LandFigures{Region: region, Day: day, Leases: map[string]int{}, LeaseArea: map[string]domain.Mu{},
		Transfers: map[string]int{}, TransferArea: map[string]domain.Mu{}}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// LandFiguresXLSX writes the figures as a workbook named for them: a row per child
// region and the total.
func LandFiguresXLSX(f domain.LandFigures) (string, []byte, error) {
	book := sheets.NewBook()
	defer book.Close()
	sh := book.Sheet("土地承包经营权登记统计")
	head := []any{"区域代码", "承包户", "地块", "合同面积(亩)", "有效合同", "已登簿", "登簿面积(亩)", "有效证书", "在办申请",
		"互换", "转让", "转移面积(亩)", "出租", "转包", "入股", "流转面积(亩)", "抵押", "抵押金额(元)",
		"承包地块", "承包面积(亩)", "颁证户", "颁证地块", "颁证面积(亩)", "登记进度", "颁证户进度", "颁证地块进度", "颁证面积进度"}
	rates := 4 // the last columns are rates
	sh.Set(1, 1, "土地承包经营权登记统计 "+f.Region+" 截至 "+f.Day)
	sh.Merge(1, 1, len(head), 1)
	sh.Style(1, 1, len(head), 1, sheets.Title)
	sh.SetRow(1, 2, head)
	sh.Style(1, 2, len(head), 2, sheets.Header)
	rows := append(append([]domain.LandFigures{}, f.Rows...), f)
	for i, r := range rows {
		n := i + 3
		name := r.Region
		if i == len(rows)-1 {
			name = "合计"
		}
		lease := r.LeaseArea["rent"] + r.LeaseArea["subcontract"] + r.LeaseArea["share"]
		moved := r.TransferArea["exchange"] + r.TransferArea["sale"]
		sh.SetRow(1, n, []any{name, r.Households, r.Parcels, r.ContractArea.String(), r.Contracts, r.Registered, r.RegisteredArea.String(),
			r.Certificates, r.Pending, r.Transfers["exchange"], r.Transfers["sale"], moved.String(),
			r.Leases["rent"], r.Leases["subcontract"], r.Leases["share"], lease.String(), r.Mortgages, domain.FormatYuan(r.MortgageFen),
			r.ContractedParcels, r.ContractedArea.String(), r.CertifiedHouseholds, r.CertifiedParcels, r.CertifiedArea.String()})
		for j, rate := range []*float64{r.Progress, r.HouseholdProgress, r.ParcelProgress, r.AreaProgress} {
			sh.Rate(len(head)-rates+1+j, n, rate)
		}
		sh.Style(1, n, len(head)-rates, n, sheets.Cell)
	}
	body, err := book.Bytes()
	return "land_" + f.Region + "_" + f.Day + ".xlsx", body, err
}

// LandDefaultRegion is the region a desk page shows: the one asked for, else the first
// of u's read scopes, town-staff grants or registration offices ("" when none).
func (s *Service) LandDefaultRegion(ctx context.Context, u domain.User, asked string) string {
	if asked != "" {
		return asked
	}
	for _, g := range u.Grants {
		if g.Region != "" && (g.Role == domain.RoleAdmin || g.Role == domain.RoleDispatcher || g.Role == domain.RoleLeader) {
			return g.Region
		}
	}
	os, err := s.db.LandOffices(ctx)
	if err != nil {
		return ""
	}
	for _, o := range os {
		if domain.LandRegistrar(u, o) {
			return o.Region
		}
	}
	return ""
}

// SweepLand flags the applications past their working-day limit, once each, and tells
// their office's registrars; idempotent, so two sweepers never tell twice.
func (s *Service) SweepLand(ctx context.Context) (int, error) {
	n := 0
	for {
		found := 0
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			due, err := tx.DueLand(s.now(), SweepBatch)
			if err != nil {
				return err
			}
			found = len(due)
			for _, d := range due {
				mine, err := tx.FlagLand(d.ID)
				if err != nil || !mine {
					if err != nil {
						return err
					}
					continue // another sweeper flagged it
				}
				registrars, err := tx.Officers([]string{d.Org})
				if err != nil {
					return err
				}
				tx.NotifyAbout(registrars, "land_overdue", fmt.Sprintf("土地承包经营权登记申请第 %d 号（%s）已超过办理时限", d.ID, d.Village))
				n++
			}
			return nil
		})
		if err != nil || found < SweepBatch {
			return n, err
		}
	}
}
