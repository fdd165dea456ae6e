package domain

import "strings"

// Role is what a user does; each grant binds one role to a scope.
type Role string

const (
	RoleAdmin        Role = "admin"         // 系统管理员
	RoleLeader       Role = "leader"        // 领导
	RoleDispatcher   Role = "dispatcher"    // 调度员
	RoleOfficer      Role = "officer"       // 部门承办人
	RoleGridWorker   Role = "grid_worker"   // 网格员
	RoleBuildingHead Role = "building_head" // 楼栋长
	RoleVolunteer    Role = "volunteer"     // 志愿者
	RoleLiaison      Role = "liaison"       // 联企干部
	RoleHelper       Role = "helper"        // 帮扶责任人
	RoleInspector    Role = "inspector"     // 执法检查人员
	RoleEnterprise   Role = "enterprise"    // 企业
	RoleCitizen      Role = "citizen"       // 群众
	RoleAuditor      Role = "auditor"       // 审计员: reads the audit log, nothing else
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleLeader, RoleDispatcher, RoleOfficer, RoleGridWorker, RoleBuildingHead,
	RoleVolunteer, RoleLiaison, RoleHelper, RoleInspector, RoleEnterprise, RoleCitizen, RoleAuditor}

// Valid tells whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Grant binds a role to a scope: a region subtree ("" is everywhere) and/or an org.
type Grant struct {
	Role   Role   `json:"role"`
	Region string `json:"region,omitempty"`
	Org    string `json:"org,omitempty"`
}

// Validate checks that a grant's scope fits its role.
func (g Grant) Validate() error { return g.ValidateAt(1) }

// ValidateAt checks the n-th of a user's grants (from 1), naming it in the error so a
// form of several role rows can say which row is wrong.
func (g Grant) ValidateAt(n int) error {
	if !g.Role.Valid() {
		return Invalidf("grant.role", "grant %d: unknown role %q; roles are %s", n, g.Role, roleList())
	}
	if g.Region != "" {
		if _, err := LevelOf(g.Region); err != nil {
			return Invalidf("grant.region_code", "grant %d: region code %q is not a region code", n, g.Region)
		}
	}
	switch g.Role {
	case RoleOfficer, RoleInspector:
		if g.Org == "" {
			return Invalidf("grant.org_needed", "grant %d: role %s needs an org", n, g.Role)
		}
	case RoleDispatcher, RoleLeader, RoleGridWorker, RoleBuildingHead, RoleVolunteer:
		if g.Region == "" {
			return Invalidf("grant.region_needed", "grant %d: role %s needs a region", n, g.Role)
		}
	case RoleAuditor: // the log is one trail across every region
		if g.Region != "" || g.Org != "" {
			return Invalidf("grant.auditor", "grant %d: role auditor reads the whole audit log: give it no region or org", n)
		}
	}
	return nil
}

// ValidateGrants checks a user's grants, each named by its place in the list.
func ValidateGrants(gs []Grant) error {
	if len(gs) == 0 {
		return Invalidf("grant.none", "a user needs at least one grant {role, region, org}")
	}
	for i, g := range gs {
		if err := g.ValidateAt(i + 1); err != nil {
			return err
		}
	}
	return nil
}

func roleList() string {
	s := make([]string, len(Roles))
	for i, r := range Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// User is one person with one or more grants. Phone is personal data.
type User struct {
	ID       int64   `json:"id"`
	Login    string  `json:"login"`
	Name     string  `json:"name"`
	Phone    string  `json:"phone,omitempty"`
	Grants   []Grant `json:"grants"`
	Disabled bool    `json:"disabled"`
	Lang     string  `json:"lang,omitempty"`
}

// ValidLogin tells whether a login name is acceptable.
func ValidLogin(login string) error {
	if len(login) < 2 || len(login) > 64 {
		return Invalidf("user.login", "login must be 2 to 64 characters")
	}
	for _, r := range login {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '@') {
			return Invalidf("user.login", "login may hold only letters, digits and . _ - @")
		}
	}
	return nil
}

// Has tells whether the user holds role anywhere.
func (u User) Has(role Role) bool {
	for _, g := range u.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// SeesPersonalData tells whether the user's work needs reporters' phones and names
// unmasked: the people who call reporters back.
func (u User) SeesPersonalData() bool {
	return u.Has(RoleDispatcher) || u.Has(RoleOfficer) || u.Has(RoleAdmin)
}

// MaskPhone keeps the first three and last four digits: 138****5678.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) <= 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// MaskName keeps the family name: 张**.
func MaskName(n string) string {
	r := []rune(n)
	if len(r) == 0 {
		return ""
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

// Client is an app registered to use the Open311 API with its own api_key.
type Client struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	Disabled  bool   `json:"disabled"`
}

// Notification is a notice in a user's inbox.
type Notification struct {
	ID        int64  `json:"id"`
	CaseID    int64  `json:"case_id,omitempty"`
	Kind      string `json:"kind"`
	Message   string `json:"message"`
	CreatedAt string `json:"created_at"`
	Read      bool   `json:"read"`
}
