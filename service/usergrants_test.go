package service_test

import (
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// An administrator gives only what they administer: a street's administrator makes a
// grid worker of one of its grids, but neither a leader of the county, nor an officer of
// a county bureau, nor an administrator or auditor of the whole installation, and may not
// change a user who holds a grant beyond the street (no way up by editing the county's
// dispatcher). The installation's administrator may all of it.
func TestAdministratorGivesOnlyWhatTheyAdminister(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	ctx := t.Context()
	street := domain.User{ID: users["demo.admin"].ID, Login: "street.admin", Grants: []domain.Grant{{Role: domain.RoleAdmin, Region: "431382001"}}}
	for _, tc := range []struct {
		name  string
		grant domain.Grant
		code  string
	}{
		{"a grid worker of the street", domain.Grant{Role: domain.RoleGridWorker, Region: "431382001001001"}, ""},
		{"a citizen", domain.Grant{Role: domain.RoleCitizen}, ""},
		{"a leader of the county", domain.Grant{Role: domain.RoleLeader, Region: "431382"}, domain.EFORBIDDEN},
		{"an administrator of the county", domain.Grant{Role: domain.RoleAdmin, Region: "431382"}, domain.EFORBIDDEN},
		{"an officer of a county bureau", domain.Grant{Role: domain.RoleOfficer, Org: "LY-CGJ"}, domain.EFORBIDDEN},
		{"an auditor", domain.Grant{Role: domain.RoleAuditor}, domain.EFORBIDDEN},
		{"a dispatcher of another street", domain.Grant{Role: domain.RoleDispatcher, Region: "431382002"}, domain.EFORBIDDEN},
	} {
		u := domain.User{Login: "new." + tc.grant.Region + string(tc.grant.Role) + tc.grant.Org, Name: tc.name, Grants: []domain.Grant{tc.grant}}
		if _, err := svc.SaveUser(ctx, street, 0, u, "Whistle-Test-2026!"); domain.ErrorCode(err) != tc.code {
			t.Errorf("the street's administrator makes %s: %v, want %q", tc.name, err, tc.code)
		}
	}
	county := users["demo.county"]
	if _, err := svc.SaveUser(ctx, street, county.ID, domain.User{Name: county.Name, Grants: []domain.Grant{{Role: domain.RoleGridWorker, Region: "431382001001001"}}}, "Street-Admin-Took-2026!"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the street's administrator changes the county's dispatcher: %v", err)
	}
	if _, err := svc.SaveUser(ctx, users["demo.admin"], 0, domain.User{Login: "new.auditor", Name: "审计员", Grants: []domain.Grant{{Role: domain.RoleAuditor}}}, "Whistle-Test-2026!"); err != nil {
		t.Errorf("the installation's administrator makes an auditor: %v", err)
	}
}
