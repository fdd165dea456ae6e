package store_test

import (
	"context"
	"testing"

	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// TestGroupRegisterStorage holds the key-group tables on both engines: a group's schema
// round trip, unique register numbers, attribute versions (a second version on the same
// day replaces the first; reads by day), helper assignments ended and replaced, and the
// ledger's derived household and person.
func TestGroupRegisterStorage(t *testing.T) {
	gctx := context.Background()
	db, _ := whistletest.DB(t)
	if err := db.PutRegions(gctx, []domain.Region{{Code: "43", Name: "湖南省", Level: domain.LevelProvince}}); err != nil {
		t.Fatal(err)
	}
	helper, err := db.PutUser(gctx, domain.User{Login: "h1", Name: "帮扶人", Grants: []domain.Grant{{Role: domain.RoleHelper, Region: "43"}}}, "x")
	if err != nil {
		t.Fatal(err)
	}
	g := &domain.Group{Code: "g1", Name: "测试", Kind: domain.KindHousehold, Region: "43", Fields: []domain.Field{
		{Key: "insurance", Label: "参保", Type: domain.FieldChoice, Options: []string{"有", "无"}, On: domain.KindPerson}}}
	var hh, p1 domain.Subject
	err = db.Update(gctx, func(tx *store.Tx) error {
		if err := tx.PutGroup(g); err != nil {
			return err
		}
		hh = domain.Subject{GroupID: g.ID, Kind: domain.KindHousehold, Ref: "H1", Name: "甲", Region: "43", From: "2025-01-01"}
		if err := tx.AddSubject(&hh); err != nil {
			return err
		}
		p1 = domain.Subject{GroupID: g.ID, Kind: domain.KindPerson, Household: hh.ID, Ref: "H1", Name: "甲", Region: "43", From: "2025-01-01"}
		if err := tx.AddSubject(&p1); err != nil { // members share the household's number
			return err
		}
		for _, v := range []domain.Value{
			{Subject: p1.ID, Field: "insurance", From: "2025-01-01", Value: "无", Source: "import"},
			{Subject: p1.ID, Field: "insurance", From: "2025-06-01", Value: "无", Source: "visit"},
			{Subject: p1.ID, Field: "insurance", From: "2025-06-01", Value: "有", Source: "edit"}, // same day: replaces
		} {
			if err := tx.PutValue(v, "", helper.ID); err != nil {
				return err
			}
		}
		a := domain.Assignment{Subject: hh.ID, UserID: helper.ID, From: "2025-01-01"}
		if err := tx.AddAssignment(&a); err != nil {
			return err
		}
		if err := tx.EndAssignment(a.ID, "2025-05-31"); err != nil {
			return err
		}
		aid := domain.Aid{GroupID: g.ID, Subject: p1.ID, Household: hh.ID, Person: p1.ID, Region: "43", Kind: domain.AidMedical, AmountFen: 12345, Day: "2025-03-01", Org: "X"}
		return tx.AddAid(&aid)
	})
	if err != nil {
		t.Fatal(err)
	}
	back, err := db.Group(gctx, g.ID)
	if err != nil || back.Code != "g1" || len(back.Fields) != 1 || back.Fields[0].Options[1] != "无" {
		t.Fatalf("group round trip: %+v %v", back, err)
	}
	err = db.Update(gctx, func(tx *store.Tx) error {
		dup := domain.Subject{GroupID: g.ID, Kind: domain.KindHousehold, Ref: "H1", Name: "乙", Region: "43", From: "2025-01-01"}
		return tx.AddSubject(&dup)
	})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a second household H1: %v, want conflict", err)
	}
	for day, want := range map[string]string{"2025-05-31": "无", "2025-06-01": "有"} {
		vs, err := db.Values(gctx, store.ValueFilter{Group: g.ID, AsOf: day})
		if err != nil || len(vs) == 0 || vs[len(vs)-1].Value != want {
			t.Errorf("values as of %s: %+v %v, want last %s", day, vs, err, want)
		}
	}
	if vs, _ := db.Values(gctx, store.ValueFilter{Subjects: []int64{p1.ID}}); len(vs) != 2 || vs[1].Source != "edit" {
		t.Errorf("versions: %+v", vs)
	}
	if as, err := db.Assignments(gctx, store.AssignmentFilter{Group: g.ID, On: "2025-06-01"}); err != nil || len(as) != 0 {
		t.Errorf("an ended assignment still runs: %+v (%v)", as, err)
	}
	if as, _ := db.Assignments(gctx, store.AssignmentFilter{Subjects: []int64{hh.ID}, On: "2025-05-31"}); len(as) != 1 || as[0].HelperName != "帮扶人" {
		t.Errorf("assignment on its last day: %+v", as)
	}
	aid, err := db.AidEntries(gctx, store.AidFilter{Household: hh.ID})
	if err != nil || len(aid) != 1 || aid[0].Person != p1.ID || aid[0].Amount != "123.45" {
		t.Errorf("ledger: %+v %v", aid, err)
	}
	top, _ := db.Subjects(gctx, store.SubjectFilter{Group: g.ID, Top: true, AsOf: "2025-02-01"})
	if len(top) != 1 || top[0].ID != hh.ID {
		t.Errorf("top-level subjects: %+v", top)
	}
}
