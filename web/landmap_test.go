package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestLandParcelMap: a household's parcels are outlined and labelled by number among
// their unlabelled neighbours, far parcels left out; a village of many parcels is drawn
// unlabelled.
func TestLandParcelMap(t *testing.T) {
	var ps []domain.LandParcel
	for i := range 100 {
		ps = append(ps, domain.LandParcel{ID: int64(i + 1), Code: domain.LandParcelCode(demo.LandVillage, "01", i+1), Name: "田",
			Geometry: demo.LandSquare(110+float64(i%10)*0.001, 27.2+float64(i/10)*0.001, 30)})
	}
	m := string(landParcelMap(ps, map[int64]bool{1: true, 2: true}))
	if !strings.HasPrefix(m, "<svg") || strings.Count(m, `class="parcel-label"`) != 2 || !strings.Contains(m, ">00001</text>") || !strings.Contains(m, ">00002</text>") {
		t.Errorf("the household's map: %s", m)
	}
	if n := strings.Count(m, `class="parcel-other"`); n == 0 || n > 10 {
		t.Errorf("%d neighbours drawn (want the few near, not the village's 98)", n)
	}
	if all := string(landParcelMap(ps, nil)); strings.Count(all, `<path class="parcel-other"`) != 100 || strings.Contains(all, "parcel-label") {
		t.Errorf("a village of 100 parcels: %d outlines", strings.Count(all, "<path"))
	}
	if few := string(landParcelMap(ps[:5], nil)); strings.Count(few, `class="parcel-label"`) != 5 {
		t.Errorf("a village of 5 parcels is not labelled: %s", few)
	}
	if landParcelMap(ps, map[int64]bool{999: true}) != "" {
		t.Error("a household of no parcel drawn")
	}
}

// TestLandMapsAndProgressPages: the village page draws a household's parcels, the
// holder's page their certificate's, and the desk shows the unified registration's
// progress and the transfers and leases by kind.
func TestLandMapsAndProgressPages(t *testing.T) {
	s := newSite(t, 0)
	ctx := context.Background()
	users, err := demo.LandSetup(ctx, whistletest.StoreOf(s.svc))
	if err != nil {
		t.Fatal(err)
	}
	town, reg := users["land.town"], users["land.registrar"]
	col, err := s.svc.CreateLandCollective(ctx, town, domain.LandCollective{Village: demo.LandVillage, Group: "01", Name: "第一村民小组"})
	if err != nil {
		t.Fatal(err)
	}
	var cs []domain.LandContract
	for n, user := range []int64{users["land.holder"].ID, 0} {
		id := fmt.Sprintf("4312711962031500%d", n)
		h, err := s.svc.PutLandHousehold(ctx, town, domain.LandHousehold{CollectiveID: col.ID, UserID: user,
			Members: []domain.LandMember{{Name: "杨德明", IDNumber: id + string(domain.IDCheckDigit(id))}}})
		if err != nil {
			t.Fatal(err)
		}
		c := domain.LandContract{HouseholdID: h.ID, From: "1998-01-01", To: "2057-12-31"}
		for i := range 3 - 2*n {
			k := n*3 + i + 1
			p, err := s.svc.CreateLandParcel(ctx, town, domain.LandParcel{Code: domain.LandParcelCode(demo.LandVillage, "01", k), CollectiveID: col.ID,
				Name: "大丘", ContractArea: 10000, MeasuredArea: 666667, Use: "水田", Class: 4, Geometry: demo.LandSquare(110.0+float64(k)*0.0004, 27.2, 30)})
			if err != nil {
				t.Fatal(err)
			}
			c.ParcelIDs = append(c.ParcelIDs, p.ID)
		}
		if c, err = s.svc.CreateLandContract(ctx, town, c); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	a, err := s.svc.ApplyLand(ctx, town, domain.LandApplication{Kind: domain.LandFirst, ContractID: cs[0].ID, Documents: []string{"承包合同"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []domain.LandAct{domain.LandReview, domain.LandBook, domain.LandPrint, domain.LandIssue} {
		if _, err := s.svc.ActOnLand(ctx, reg, a.ID, service.LandStepInput{Act: act}); err != nil {
			t.Fatal(err)
		}
	}

	c := s.client()
	c.login("land.town")
	status, body := c.get(fmt.Sprintf("/land/village/%s?household=%d", demo.LandVillage, cs[0].HouseholdID))
	if status != 200 || !strings.Contains(body, `id="land-map"`) || strings.Count(body, `class="parcel-label"`) != 3 || !strings.Contains(body, ">00003</text>") ||
		!strings.Contains(body, `<path class="parcel-other"`) {
		t.Errorf("the household's map on the village page: %d %s", status, body)
	}
	if status, body = c.get("/land/village/" + demo.LandVillage); status != 200 || strings.Count(body, `class="parcel-label"`) != 4 {
		t.Errorf("the village's map: %d", status)
	}
	if status, _ = c.get("/land/village/" + demo.LandVillage + "?household=x"); status != 400 {
		t.Errorf("?household=x: %d", status)
	}
	status, body = c.get("/land?region=" + demo.LandTown)
	if status != 200 || !strings.Contains(body, `id="land-progress"`) || !strings.Contains(body, `id="land-moves"`) || !strings.Contains(body, "50.0%") {
		t.Errorf("the desk's progress: %d %s", status, body)
	}

	h := s.client()
	h.login("land.holder")
	if status, body = h.get("/land/mine"); status != 200 || !strings.Contains(body, "<svg") || strings.Count(body, `class="parcel-label"`) != 3 {
		t.Errorf("the holder's map: %d %s", status, body)
	}
}
