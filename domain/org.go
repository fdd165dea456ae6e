package domain

import (
	"slices"
	"strings"
)

// Org is a department or office (单位/部门); Region is its home jurisdiction.
type Org struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Region string `json:"region,omitempty"`
	Kind   string `json:"kind,omitempty"` // one of OrgKinds, or ""
}

// OrgKinds are the kinds of org an administrator picks from (pages name them orgkind.*).
var OrgKinds = []string{"street_office", "township", "community", "department", "staffing_office", "police", "utility", "other"}

// Validate checks an org's own fields before it is stored; whether its region exists is
// the service's question.
func (o Org) Validate() error {
	if o.Code == "" || len(o.Code) > 32 {
		return Invalidf("org.code", "an org needs a code of at most 32 bytes")
	}
	if o.Name == "" || len(o.Name) > 200 {
		return Invalidf("org.name", "an org needs a name of at most 200 bytes")
	}
	if o.Kind != "" && !slices.Contains(OrgKinds, o.Kind) {
		return Invalidf("org.kind", "org kind %q is not one of %s", o.Kind, strings.Join(OrgKinds, ", "))
	}
	return nil
}

// Linkage records who answers for what (联点/联企/结对): a leader or department linked to
// a community, a cadre to an enterprise, a helper to a household. Dated, so history
// stays true after a handover.
type Linkage struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"` // community, enterprise, household
	UserID int64  `json:"user_id,omitempty"`
	Org    string `json:"org,omitempty"`
	Target string `json:"target"` // region code, enterprise or household id
	From   string `json:"from"`   // YYYY-MM-DD
	To     string `json:"to,omitempty"`
	Note   string `json:"note,omitempty"`
	// Place is the region the target lies in, as read (a community's own code, an
	// enterprise's region), "" where it is not known (a household); never written.
	Place string `json:"place,omitempty"`
}

// LinkageKinds are the linkages the core knows.
var LinkageKinds = map[string]bool{"community": true, "enterprise": true, "household": true}

// Validate checks a linkage before it is stored.
func (l Linkage) Validate() error {
	if !LinkageKinds[l.Kind] {
		return Errorf(EINVALID, "linkage kind must be community, enterprise or household")
	}
	if l.UserID == 0 && l.Org == "" {
		return Errorf(EINVALID, "a linkage needs a user or an org")
	}
	if l.Target == "" {
		return Errorf(EINVALID, "a linkage needs a target")
	}
	if !validDate(l.From) || (l.To != "" && (!validDate(l.To) || l.To < l.From)) {
		return Errorf(EINVALID, "linkage dates must be YYYY-MM-DD with to on or after from")
	}
	return nil
}
