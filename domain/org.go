package domain

// Org is a department or office (单位/部门); Region is its home jurisdiction.
type Org struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Region string `json:"region,omitempty"`
	Kind   string `json:"kind,omitempty"` // e.g. street_office, department, utility
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
