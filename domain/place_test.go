package domain

import "testing"

func TestBestNamed(t *testing.T) {
	street := Region{Code: "431382001", Name: "蓝田街道"}
	minguang := Region{Code: "431382001001", Name: "民光社区居委会"}
	mgBuilding := Region{Code: "431382001001003003", Name: "3栋"}
	other := Region{Code: "431382001002003003", Name: "3栋"}
	for _, c := range []struct {
		name  string
		named []Region
		want  string
	}{
		{"community beats another community's building", []Region{other, minguang, street}, "431382001001"},
		{"the building in the named community", []Region{other, mgBuilding, minguang, street}, "431382001001003003"},
		{"street alone", []Region{street}, "431382001"},
		{"nothing", nil, ""},
	} {
		got, ok := BestNamed(c.named)
		if got.Code != c.want || ok != (c.want != "") {
			t.Errorf("%s: %q %v", c.name, got.Code, ok)
		}
	}
	if ShortName("民光社区居委会") != "民光社区" || ShortName("联兴村村民委员会") != "联兴村" {
		t.Error("ShortName")
	}
	f := func(v float64) *float64 { return &v }
	grids := []Region{{Code: "a", Lat: f(27.70), Lon: f(111.65)}, {Code: "b", Lat: f(27.71), Lon: f(111.65)}, {Code: "c"}}
	if r, ok := NearestRegion(grids, 27.708, 111.65, 3000); !ok || r.Code != "b" {
		t.Errorf("nearest: %v %v", r.Code, ok)
	}
	if _, ok := NearestRegion(grids, 28.5, 111.65, 3000); ok {
		t.Error("a centroid 90 km away is near")
	}
}

func TestSearchMatters(t *testing.T) {
	all := []Matter{{Code: "SR-001", Name: "暴露垃圾", Class: "市容环境", Keywords: "垃圾 卫生", Public: true},
		{Code: "SR-002", Name: "垃圾满溢", Class: "市容环境", Public: true}, {Code: "IN-001", Name: "内部垃圾台账", Class: "内部"}}
	got := SearchMatters(all, "垃圾", 10)
	if len(got) != 3 || got[2].Code != "IN-001" {
		t.Errorf("public matters first: %v", got)
	}
	if got := SearchMatters(all, "垃圾 满溢", 10); len(got) != 1 || got[0].Code != "SR-002" {
		t.Errorf("every word: %v", got)
	}
	if got := SearchMatters(all, "sr-00", 1); len(got) != 1 {
		t.Errorf("limit: %v", got)
	}
}
