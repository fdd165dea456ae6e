package domain

import "testing"

// A user's grants are checked each by its place in the list, and the refusal names the
// place and the field (the key the pages translate).
func TestValidateGrantsNamesTheRow(t *testing.T) {
	ok := Grant{Role: RoleVolunteer, Region: "431382001001"}
	for _, tc := range []struct {
		gs  []Grant
		key string
		row int
	}{
		{nil, "grant.none", 0},
		{[]Grant{ok}, "", 0},
		{[]Grant{ok, {Role: "mayor"}}, "grant.role", 2},
		{[]Grant{ok, ok, {Role: RoleGridWorker, Region: "4313820"}}, "grant.region_code", 3},
		{[]Grant{{Role: RoleOfficer}}, "grant.org_needed", 1},
		{[]Grant{ok, {Role: RoleDispatcher}}, "grant.region_needed", 2},
		{[]Grant{ok, {Role: RoleAuditor, Org: "X"}}, "grant.auditor", 2},
	} {
		err := ValidateGrants(tc.gs)
		e, _ := err.(*Error)
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("%+v: refused %v", tc.gs, err)
		case tc.key != "" && (e == nil || e.Code != EINVALID || e.Key != tc.key):
			t.Errorf("%+v: %v, want key %s", tc.gs, err, tc.key)
		case tc.row > 0 && e.Args[0] != tc.row:
			t.Errorf("%+v: names row %v, want %d", tc.gs, e.Args[0], tc.row)
		}
	}
}

func TestOrgValidate(t *testing.T) {
	for _, tc := range []struct {
		o   Org
		key string
	}{
		{Org{Code: "LY-X", Name: "某局", Kind: "department"}, ""},
		{Org{Code: "LY-X", Name: "某局"}, ""},
		{Org{Name: "某局"}, "org.code"},
		{Org{Code: "LY-X"}, "org.name"},
		{Org{Code: "LY-X", Name: "某局", Kind: "bakery"}, "org.kind"},
	} {
		err := tc.o.Validate()
		if e, _ := err.(*Error); tc.key == "" && err != nil || tc.key != "" && (e == nil || e.Key != tc.key) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.key)
		}
	}
}
