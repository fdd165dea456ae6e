package domain

import (
	"math"
	"testing"
	"time"
)

func TestCheckAnswers(t *testing.T) {
	attrs := []MatterAttribute{
		{Code: "size", Variable: true, Datatype: AttrSingleValueList, Required: true, Description: "d", Values: []AttrValue{{"s", "小"}, {"l", "大"}}},
		{Code: "kinds", Variable: true, Datatype: AttrMultiValueList, Description: "d", Values: []AttrValue{{"a", "A"}, {"b", "B"}}},
		{Code: "n", Variable: true, Datatype: AttrNumber, Description: "d"},
		{Code: "when", Variable: true, Datatype: AttrDatetime, Description: "d"},
		{Code: "pole", Variable: true, Datatype: AttrString, Description: "d"},
		{Code: "info", Variable: false, Datatype: AttrText, Description: "d"},
	}
	if err := ValidateAttributes(attrs); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		given map[string][]string
		ok    bool
	}{
		{"minimal", map[string][]string{"size": {"s"}}, true},
		{"all", map[string][]string{"size": {"l"}, "kinds": {"a", "b"}, "n": {"-3.5"}, "when": {"2026-03-02T09:00:00+08:00"}, "pole": {"LD-12"}}, true},
		{"required missing", map[string][]string{"n": {"1"}}, false},
		{"required blank", map[string][]string{"size": {"  "}}, false},
		{"not a value", map[string][]string{"size": {"m"}}, false},
		{"two for single", map[string][]string{"size": {"s", "l"}}, false},
		{"multi not a value", map[string][]string{"size": {"s"}, "kinds": {"a", "z"}}, false},
		{"number", map[string][]string{"size": {"s"}, "n": {"four"}}, false},
		{"hex number", map[string][]string{"size": {"s"}, "n": {"0x10"}}, false},
		{"inf", map[string][]string{"size": {"s"}, "n": {"Inf"}}, false},
		{"datetime without zone", map[string][]string{"size": {"s"}, "when": {"2026-03-02T09:00:00"}}, false},
		{"string with newline", map[string][]string{"size": {"s"}, "pole": {"a\nb"}}, false},
		{"info only", map[string][]string{"size": {"s"}, "info": {"x"}}, false},
		{"unknown", map[string][]string{"size": {"s"}, "colour": {"red"}}, false},
	} {
		_, err := CheckAnswers(attrs, c.given)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v", c.name, err)
		}
	}
	bad := [][]MatterAttribute{
		{{Code: "a b", Variable: true, Datatype: AttrString, Description: "d"}},
		{{Code: "a", Variable: true, Datatype: "color", Description: "d"}},
		{{Code: "a", Variable: true, Datatype: AttrSingleValueList, Description: "d"}},
		{{Code: "a", Variable: true, Datatype: AttrString, Description: "d", Values: []AttrValue{{"k", "n"}}}},
		{{Code: "a", Variable: false, Required: true, Datatype: AttrString, Description: "d"}},
		{{Code: "a", Variable: true, Datatype: AttrString, Description: "d"}, {Code: "a", Variable: true, Datatype: AttrString, Description: "d"}},
		{{Code: "a", Variable: true, Datatype: AttrString}},
	}
	for i, b := range bad {
		if ValidateAttributes(b) == nil {
			t.Errorf("bad attributes %d accepted", i)
		}
	}
}

func TestCellsAndDuplicates(t *testing.T) {
	lat, lon := 27.7015, 111.6515
	if dy, dx := CellRings(lat, 150); dy != 1 || dx != 1 {
		t.Fatalf("150 m needs one ring of cells, got %d x %d", dy, dx)
	}
	// every point within the distance falls within the rings, whichever way an engine
	// turns lat·200 into a whole number
	for _, whole := range []func(float64) int64{func(v float64) int64 { return int64(v) }, func(v float64) int64 { return int64(math.Round(v)) }} {
		cy, cx := whole(lat*CellsPerDegree), whole(lon*CellsPerDegree)
		for _, d := range []struct{ dlat, dlon float64 }{{0.00134, 0}, {-0.00134, 0}, {0, 0.0015}, {0, -0.0015}, {0.0009, 0.001}} {
			y, x := whole((lat+d.dlat)*CellsPerDegree), whole((lon+d.dlon)*CellsPerDegree)
			if Distance(lat, lon, lat+d.dlat, lon+d.dlon) <= 150 && (y < cy-1 || y > cy+1 || x < cx-1 || x > cx+1) {
				t.Errorf("point %+v within 150 m is in cell %d,%d, outside the rings of %d,%d", d, y, x, cy, cx)
			}
		}
	}
	if dy, dx := CellRings(lat, 1200); dy != 3 || dx != 3 {
		t.Errorf("1200 m: %d x %d rings", dy, dx)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, China)
	p := func(v float64) *float64 { return &v }
	c := &Case{ID: 2, Matter: "SR-001", Lat: p(lat), Lon: p(lon), CreatedAt: at}
	for _, x := range []struct {
		name  string
		other Case
		want  bool
	}{
		{"near and open", Case{ID: 1, Matter: "SR-001", Status: StatusDispatched, Lat: p(lat + 0.0005), Lon: p(lon), CreatedAt: at.Add(-time.Hour)}, true},
		{"other matter", Case{ID: 1, Matter: "SR-002", Status: StatusReported, Lat: p(lat), Lon: p(lon), CreatedAt: at}, false},
		{"closed", Case{ID: 1, Matter: "SR-001", Status: StatusClosed, Lat: p(lat), Lon: p(lon), CreatedAt: at}, false},
		{"too far", Case{ID: 1, Matter: "SR-001", Status: StatusReported, Lat: p(lat + 0.002), Lon: p(lon), CreatedAt: at}, false},
		{"too old", Case{ID: 1, Matter: "SR-001", Status: StatusReported, Lat: p(lat), Lon: p(lon), CreatedAt: at.Add(-73 * time.Hour)}, false},
		{"itself", Case{ID: 2, Matter: "SR-001", Status: StatusReported, Lat: p(lat), Lon: p(lon), CreatedAt: at}, false},
		{"no point", Case{ID: 1, Matter: "SR-001", Status: StatusReported, CreatedAt: at}, false},
	} {
		if _, got := LikelyDuplicate(c, &x.other, DefaultDuplicateRule); got != x.want {
			t.Errorf("%s: %v", x.name, got)
		}
	}
}

func TestIntakeRules(t *testing.T) {
	disp := User{ID: 1, Grants: []Grant{{Role: RoleDispatcher, Region: "431382001"}}}
	grid := User{ID: 2, Grants: []Grant{{Role: RoleGridWorker, Region: "431382001001001"}}}
	cit := User{ID: 3, Grants: []Grant{{Role: RoleCitizen}}}
	for _, c := range []struct {
		u      User
		ch     Channel
		region string
		ok     bool
	}{
		{disp, "hotline", "431382001001", true}, {disp, "hotline", "431382002", false}, {grid, "hotline", "431382001001001", false},
		{disp, CannotDo, "431382001", true}, {grid, "grid_patrol", "431382001001001", true}, {grid, "grid_patrol", "431382001002", false},
		{cit, "online", "431382001", true}, {cit, "window", "431382001", false}, {cit, "liaison", "431382001", false},
		{cit, "nope", "431382001", false}, {cit, "open311", "431382001", false}, {User{Name: "Open311 app"}, "open311", "431382001", true},
	} {
		if err := ChannelAllowed(c.u, c.ch, c.region); (err == nil) != c.ok {
			t.Errorf("%d %s %s: %v", c.u.ID, c.ch, c.region, err)
		}
	}
	d := IntakeDetails{}
	if d.Validate("hotline") == nil {
		t.Error("a hotline case without the caller's number")
	}
	d = IntakeDetails{CallerPhone: "0738-12345678"}
	if err := d.Validate(CannotDo); err != nil || !d.Supervised {
		t.Errorf("cannot_do: %v %v", err, d.Supervised)
	}
	if (&IntakeDetails{CallerPhone: "call me"}).Validate("hotline") == nil {
		t.Error("a phone number of words")
	}
	links := []Linkage{{Kind: "enterprise", UserID: 7, Target: "E1", From: "2025-01-01", To: "2025-12-31"}}
	if !LinkedTo(links, 7, "E1", "2025-06-01") || LinkedTo(links, 7, "E1", "2026-01-01") || LinkedTo(links, 8, "E1", "2025-06-01") {
		t.Error("LinkedTo")
	}
	if got := RedactContacts("电话13907381234，身份证43138219900101123X，3号楼"); got != "电话***********，身份证******************，3号楼" {
		t.Errorf("RedactContacts: %s", got)
	}
	if got := CleanFileName(`..\..\etc/"pass"` + "\x00wd.jpg"); got != "passwd.jpg" {
		t.Errorf("CleanFileName: %q", got)
	}
}
