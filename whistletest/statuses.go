package whistletest

import (
	"fmt"
	"strings"

	"whistle/domain"
)

// The roles that see, in their place, what the tables' rows are called on.
const (
	// a case (domain.Visible): the roles of its place, the officers and inspectors of
	// the orgs it involves, its reporter
	SeesCase = "admin leader dispatcher officer grid_worker building_head inspector citizen"
	// an enterprise (domain.EnterpriseVisible): also its liaison cadre, its account, and
	// inspectors of any org
	SeesEnterprise = "admin leader dispatcher liaison inspector enterprise"
	// an inspection: also the inspector's org and the enterprise
	SeesInspection = "admin leader dispatcher inspector enterprise"
	// the reports, ledgers and halls of a place (domain.ReadScopes)
	ReadsPlace = "admin leader dispatcher"
)

// Statuses gives an HTTP status to each role, for the tables that say who may call what
// (the API's authorisation matrix, the web's page matrix): status → the roles, separated
// by spaces; "*" is every role not named.
type Statuses map[int]string

// Of gives the status for role. It is an error when the table gives a role two statuses
// or none, or names a role that does not exist.
func (s Statuses) Of(role domain.Role) (int, error) {
	got := map[domain.Role]int{}
	for status, roles := range s {
		for _, r := range strings.Fields(roles) {
			if r != "*" && !domain.Role(r).Valid() {
				return 0, fmt.Errorf("unknown role %q", r)
			}
			if _, twice := got[domain.Role(r)]; twice {
				return 0, fmt.Errorf("%s has two statuses", r)
			}
			got[domain.Role(r)] = status
		}
	}
	if status, ok := got[role]; ok {
		return status, nil
	}
	if status, ok := got["*"]; ok {
		return status, nil
	}
	return 0, fmt.Errorf("no status for role %s", role)
}
