package domain

import (
	"reflect"
	"testing"
)

func TestLevelOf(t *testing.T) {
	cases := []struct {
		code string
		want Level
		err  bool
	}{
		{"43", LevelProvince, false},
		{"4313", LevelCity, false},
		{"431382", LevelCounty, false},
		{"431382001", LevelTown, false}, // 蓝田街道
		{"431382001001", LevelVillage, false},
		{"431382001001001", LevelGrid, false},
		{"431382001001001001", LevelMicroGrid, false},
		{"", "", true},
		{"4", "", true},
		{"431", "", true},
		{"43138", "", true},
		{"4313820", "", true},
		{"43138200", "", true},
		{"4313820010", "", true},
		{"43138200100", "", true},
		{"4313820010011", "", true},
		{"4313820010010010011", "", true}, // 19 digits
		{"4a", "", true},
		{"43138200100X", "", true},
		{"43 382", "", true},
		{"-43138", "", true},
		{"四三", "", true}, // 6 bytes, not digits
	}
	for _, tc := range cases {
		got, err := LevelOf(tc.code)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("LevelOf(%q) = %q, %v; want %q (error %v)", tc.code, got, err, tc.want, tc.err)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("LevelOf(%q) error code %q", tc.code, ErrorCode(err))
		}
	}
}

func TestParentCode(t *testing.T) {
	cases := map[string]string{
		"43":                  "",
		"4313":                "43",
		"431382":              "4313",
		"431382001":           "431382",
		"431382001001":        "431382001",
		"431382001001001":     "431382001001",
		"431382001001001001":  "431382001001001",
		"":                    "",
		"431":                 "", // not a code
		"4313820010010010011": "",
	}
	for code, want := range cases {
		if got := ParentCode(code); got != want {
			t.Errorf("ParentCode(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestAncestors(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"43", nil},
		{"4313", []string{"43"}},
		{"431382001", []string{"43", "4313", "431382"}},
		{"431382001001", []string{"43", "4313", "431382", "431382001"}},
		{"431382001001001001", []string{"43", "4313", "431382", "431382001", "431382001001", "431382001001001"}},
		{"", nil},
	}
	for _, tc := range cases {
		got := Ancestors(tc.code)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Ancestors(%q) = %v, want %v", tc.code, got, tc.want)
		}
		// the nearest ancestor is the parent
		if len(got) > 0 && got[len(got)-1] != ParentCode(tc.code) {
			t.Errorf("Ancestors(%q) ends in %q, parent is %q", tc.code, got[len(got)-1], ParentCode(tc.code))
		}
		for _, a := range got {
			if !Within(tc.code, a) {
				t.Errorf("%q not within its ancestor %q", tc.code, a)
			}
		}
	}
}

func TestChildCodeLength(t *testing.T) {
	cases := map[string]int{
		"":                   2,
		"43":                 4,
		"4313":               6,
		"431382":             9,
		"431382001":          12,
		"431382001001":       15,
		"431382001001001":    18,
		"431382001001001001": 0, // micro-grids have no children
		"431":                0,
		"43138200100":        0,
	}
	for code, want := range cases {
		if got := ChildCodeLength(code); got != want {
			t.Errorf("ChildCodeLength(%q) = %d, want %d", code, got, want)
		}
		// a child of that length has code as its parent
		if want > 0 && code != "" {
			child := code + "000000000"[:want-len(code)]
			child = child[:want-1] + "1"
			if ParentCode(child) != code {
				t.Errorf("child %q of %q has parent %q", child, code, ParentCode(child))
			}
		}
	}
}

func TestWithin(t *testing.T) {
	cases := []struct {
		code, root string
		want       bool
	}{
		{"431382001001", "431382001", true},
		{"431382001", "431382001", true}, // a node is in its own subtree
		{"431382001001001001", "43", true},
		{"431382001", "", true}, // "" is the whole country
		{"", "", true},
		{"431382002", "431382001", false}, // the neighbouring street
		{"431382002001", "431382001", false},
		{"431382", "431382001", false}, // the parent is not inside the child
		{"", "43", false},
		{"44", "43", false},
	}
	for _, tc := range cases {
		if got := Within(tc.code, tc.root); got != tc.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tc.code, tc.root, got, tc.want)
		}
	}
	// SubtreeRange holds exactly the codes Within the root
	lo, hi := SubtreeRange("431382001")
	for _, tc := range cases {
		if tc.root != "431382001" {
			continue
		}
		if in := tc.code >= lo && tc.code < hi; in != tc.want {
			t.Errorf("SubtreeRange(431382001) holds %q: %v", tc.code, in)
		}
	}
}

func TestStatCode(t *testing.T) {
	cases := map[string]string{
		"43":                 "430000000000",
		"4313":               "431300000000",
		"431382":             "431382000000",
		"431382001":          "431382001000",
		"431382001001":       "431382001001",
		"431382001001001":    "431382001001001", // grids keep their own code
		"431382001001001001": "431382001001001001",
	}
	for code, want := range cases {
		if got := (Region{Code: code}).StatCode(); got != want {
			t.Errorf("StatCode(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestNewChildCode(t *testing.T) {
	cases := []struct {
		parent string
		n      int
		want   string
		err    bool
	}{
		{"431382001001", 1, "431382001001001", false},
		{"431382001001", 999, "431382001001999", false},
		{"431382001001", 42, "431382001001042", false},
		{"431382001001001", 7, "431382001001001007", false},
		{"431382001001", 0, "", true},
		{"431382001001", 1000, "", true},
		{"431382001001", -1, "", true},
		{"431382001", 1, "", true},          // a street: its children are statistical villages
		{"431382001001001001", 1, "", true}, // below micro-grids nothing
		{"", 1, "", true},
		{"43138200100A", 1, "", true}, // not digits
		{"abcdefghijkl", 1, "", true},
	}
	for _, tc := range cases {
		got, err := NewChildCode(tc.parent, tc.n)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("NewChildCode(%q, %d) = %q, %v; want %q (error %v)", tc.parent, tc.n, got, err, tc.want, tc.err)
			continue
		}
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Errorf("NewChildCode(%q, %d) error code %q", tc.parent, tc.n, ErrorCode(err))
			}
			continue
		}
		// the new code is a valid code one level down, under its parent
		lvl, lerr := LevelOf(got)
		plvl, _ := LevelOf(tc.parent)
		if lerr != nil || ParentCode(got) != tc.parent || len(got) != ChildCodeLength(tc.parent) ||
			(plvl == LevelVillage) != (lvl == LevelGrid) {
			t.Errorf("NewChildCode(%q, %d) = %q: level %q, parent %q", tc.parent, tc.n, got, lvl, ParentCode(got))
		}
	}
}

func TestGrantValidate(t *testing.T) {
	cases := []struct {
		g    Grant
		want string
	}{
		{Grant{Role: RoleDispatcher, Region: "431382001"}, ""},
		{Grant{Role: RoleOfficer, Org: "ORG_A"}, ""},
		{Grant{Role: RoleAdmin}, ""},
		{Grant{Role: RoleCitizen}, ""},
		{Grant{Role: "mayor", Region: "43"}, EINVALID},
		{Grant{Role: RoleDispatcher}, EINVALID},
		{Grant{Role: RoleGridWorker, Region: "43138"}, EINVALID}, // not a code
		{Grant{Role: RoleOfficer, Region: "431382"}, EINVALID},
		{Grant{Role: RoleInspector}, EINVALID},
	}
	for _, tc := range cases {
		if got := ErrorCode(tc.g.Validate()); got != tc.want {
			t.Errorf("%+v.Validate() = %q, want %q", tc.g, got, tc.want)
		}
	}
}
