package domain

// Visible tells whether u may see c at all. Outside this a case does not exist for the
// user: reads answer 404 and lists leave it out. The store's list filter is the same
// rule in SQL, and a test holds the two together.
func Visible(u User, c *Case) bool {
	if c.Reporter.UserID == u.ID && u.ID != 0 {
		return true
	}
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader, RoleDispatcher, RoleGridWorker, RoleBuildingHead:
			if Within(c.Region, g.Region) {
				return true
			}
		case RoleOfficer, RoleInspector:
			if c.Involves(g.Org) && Within(c.Region, g.Region) {
				return true
			}
		}
	}
	return false
}

// dispatcherOf tells whether u dispatches in c's region.
func dispatcherOf(u User, c *Case) bool {
	for _, g := range u.Grants {
		if g.Role == RoleDispatcher && Within(c.Region, g.Region) {
			return true
		}
	}
	return false
}

// officerOf tells whether u works for org (as an officer) on c.
func officerOf(u User, c *Case, org string) bool {
	for _, g := range u.Grants {
		if g.Role == RoleOfficer && g.Org == org && org != "" && Within(c.Region, g.Region) {
			return true
		}
	}
	return false
}

// verifierOf tells whether u may confirm a resolution on site: the dispatcher, the
// grid worker or building head of the place, or the reporter.
func verifierOf(u User, c *Case) bool {
	if dispatcherOf(u, c) || (c.Reporter.UserID == u.ID && u.ID != 0) {
		return true
	}
	for _, g := range u.Grants {
		if (g.Role == RoleGridWorker || g.Role == RoleBuildingHead) && Within(c.Region, g.Region) {
			return true
		}
	}
	return false
}

// UserOrgs lists the orgs u is an officer of.
func UserOrgs(u User) []string {
	var out []string
	for _, g := range u.Grants {
		if g.Role == RoleOfficer && g.Org != "" {
			out = append(out, g.Org)
		}
	}
	return out
}

// CanFile tells whether u may report a case in region: region-bound roles report inside
// their region; the public and cadres report anywhere.
func CanFile(u User, region string) error {
	for _, g := range u.Grants {
		switch g.Role {
		case RoleLeader, RoleAuditor:
			continue
		case RoleAdmin, RoleDispatcher, RoleGridWorker, RoleBuildingHead, RoleVolunteer:
			if Within(region, g.Region) {
				return nil
			}
		default:
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "you may not report a case in region %s", region)
}

// MaskFor hides the reporter's contact data from users whose work does not need it; the
// reporter always sees their own.
func (c *Case) MaskFor(u User) {
	if u.SeesPersonalData() || (c.Reporter.UserID == u.ID && u.ID != 0) {
		return
	}
	c.Reporter.Name, c.Reporter.Phone = MaskName(c.Reporter.Name), MaskPhone(c.Reporter.Phone)
	for i, e := range c.Events {
		if e.Data.Intake != nil { // the first event repeats the reporter
			in := *e.Data.Intake
			in.Reporter = c.Reporter
			c.Events[i].Data.Intake = &in
		}
	}
}

// ReportRegion picks the region a report (statistics, a ledger) is about: the one asked
// for if it lies in the scope of one of u's leader, dispatcher or administrator grants,
// else the first such scope. what names the report in the refusal.
func ReportRegion(u User, asked, what string) (string, error) {
	scopes := ReadScopes(u)
	if len(scopes) == 0 {
		return "", Errorf(EFORBIDDEN, "%s are for leaders, dispatchers and administrators", what)
	}
	if asked == "" {
		return scopes[0], nil
	}
	for _, sc := range scopes {
		if Within(asked, sc) {
			return asked, nil
		}
	}
	return "", Errorf(ENOTFOUND, "region %s not found", asked)
}

// ReadScopes are the regions u reads as a leader, dispatcher or administrator: the
// subtrees of those grants ("" is everywhere).
func ReadScopes(u User) []string {
	var scopes []string
	for _, g := range u.Grants {
		if g.Role == RoleLeader || g.Role == RoleDispatcher || g.Role == RoleAdmin {
			scopes = append(scopes, g.Region)
		}
	}
	return scopes
}

// ReadsPlace tells whether place lies in one of u's read scopes; an unknown place ("")
// only for who reads everywhere.
func ReadsPlace(u User, place string) bool {
	for _, sc := range ReadScopes(u) {
		if Within(place, sc) {
			return true
		}
	}
	return false
}

// ReadsAround tells whether area (a subtree, never "") and one of u's read scopes hold
// one another: what covers a whole county concerns each of its streets too.
func ReadsAround(u User, area string) bool {
	for _, sc := range ReadScopes(u) {
		if Within(area, sc) || area != "" && Within(sc, area) {
			return true
		}
	}
	return false
}
