package domain

import (
	"encoding/json"
	"testing"
)

func TestLandAreasExact(t *testing.T) {
	for _, c := range []struct {
		in   string
		mu   int64
		fail bool
	}{{"1.2345", 12345, false}, {"0.5", 5000, false}, {"3", 30000, false}, {"1.23456", 0, true}, {"-1", 0, true}, {"1e3", 0, true}, {"", 0, true}, {".5", 0, true}} {
		var a Mu
		err := a.UnmarshalText([]byte(c.in))
		if (err != nil) != c.fail || !c.fail && int64(a) != c.mu {
			t.Errorf("%q: %d %v", c.in, a, err)
		}
	}
	var p struct {
		A Mu  `json:"a"`
		B SqM `json:"b"`
	}
	if err := json.Unmarshal([]byte(`{"a":"0.1000","b":"666.67"}`), &p); err != nil || p.A != 1000 || p.B != 66667 {
		t.Fatalf("%+v %v", p, err)
	}
	if b, _ := json.Marshal(p); string(b) != `{"a":"0.1000","b":"666.67"}` {
		t.Errorf("%s", b)
	}
	if SqMOfMu(10000) != 66667 || MuOfSqM(66667) != 10000 {
		t.Errorf("1 亩 = %v m², 666.67 m² = %v 亩", SqMOfMu(10000), MuOfSqM(66667))
	}
}

func TestLandNumbers(t *testing.T) {
	o := LandOffice{Abbr: "湘", Name: "洪江区"}
	if got := o.CertificateNumber(2026, 1); got != "湘(2026)洪江区不动产权第0000001号" {
		t.Errorf("%s", got)
	}
	u := LandUnitNo("431271220200", 1)
	if len(u) != 28 || !ValidUnitNo(u) || u != "431271220200JC00001W00000000" {
		t.Errorf("%s", u)
	}
	if ValidUnitNo("431271220200JC00001W0000000") || ValidUnitNo("431271220200GB00001W00000000") {
		t.Error("bad unit numbers taken")
	}
	if LandParcelCode("431271220200", "01", 7) != "4312712202000100007" {
		t.Error(LandParcelCode("431271220200", "01", 7))
	}
}

func TestLandSteps(t *testing.T) {
	s := LandAccepted
	for _, a := range []LandAct{LandReview, LandBook, LandPrint, LandIssue} {
		next, err := a.Next(s)
		if err != nil {
			t.Fatalf("%s from %s: %v", a, s, err)
		}
		s = next
	}
	if s != LandIssued {
		t.Errorf("ends %s", s)
	}
	if _, err := LandRefuse.Next(LandBooked); ErrorCode(err) != ECONFLICT {
		t.Errorf("refused after booking: %v", err)
	}
	if _, err := LandBook.Next(LandAccepted); ErrorCode(err) != ECONFLICT {
		t.Errorf("booked before review: %v", err)
	}
	if got, err := LandRefuse.Next(LandReviewed); err != nil || got != LandRefused {
		t.Errorf("refuse: %s %v", got, err)
	}
}

func TestLandTransferable(t *testing.T) {
	r := LandRight{Unit: "u", Mortgages: []LandMortgageRight{{Application: 3, Creditor: "银行"}}}
	if ErrorCode(LandTransferable(r, false)) != ECONFLICT || LandTransferable(r, true) != nil {
		t.Error("mortgage consent rule")
	}
	if err := r.Discharge(4); ErrorCode(err) != ECONFLICT {
		t.Error(err)
	}
	if err := r.Discharge(3); err != nil || LandTransferable(r, false) != nil {
		t.Error(err)
	}
}

func TestLandParcelValidate(t *testing.T) {
	c := LandCollective{Village: "431271220200", Group: "01", Name: "一组"}
	p := LandParcel{Code: "4312712202000100001", Name: "大丘", ContractArea: 1, MeasuredArea: 1, Use: "水田", Class: 3,
		Geometry: `{"type":"Polygon","coordinates":[[[110,27],[110.001,27],[110.001,27.001],[110,27]]]}`}
	if err := p.Validate(c); err != nil || p.MinX != 1100000000 || p.MaxY != 270010000 {
		t.Fatalf("%v %+v", err, p)
	}
	bad := p
	bad.Code = "4312712202000200001"
	if err := bad.Validate(c); err == nil {
		t.Error("a code of another group")
	}
	bad = p
	bad.Geometry = `{"type":"Point","coordinates":[110,27]}`
	if err := bad.Validate(c); ErrorCode(err) != EINVALID {
		t.Error(err)
	}
}
