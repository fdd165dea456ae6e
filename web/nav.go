package web

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"whistle/domain"
)

// NavItem is an entry of the top navigation, shown to users holding one of Roles.
type NavItem struct {
	Key   string        // catalog key of its label
	Path  string        // where it goes; also the prefix that marks it current
	Roles []domain.Role // who sees it; none: every signed-in user
	Order int           // place from the left; the first a user sees is their home page
	// When, if set, further asks the service whether u is offered the entry (the
	// staffing pages: of the roles, only a staffing office's officers).
	When func(ctx context.Context, u domain.User) bool
}

// Nav adds a navigation entry.
func (a *App) Nav(item NavItem) {
	a.nav = append(a.nav, item)
	sort.SliceStable(a.nav, func(i, j int) bool { return a.nav[i].Order < a.nav[j].Order })
}

// navFor lists the entries u sees.
func (a *App) navFor(ctx context.Context, u domain.User) []NavItem {
	var out []NavItem
	for _, n := range a.nav {
		if hasAny(u, n.Roles) && (n.When == nil || n.When(ctx, u)) {
			out = append(out, n)
		}
	}
	return out
}

// Current tells whether a nav entry is the page being shown: the entry whose address
// matches this page most closely (so /m/patrol marks its own entry, not /m's).
func (q *Req) Current(n NavItem) bool {
	best, bestLen := "", -1
	for _, m := range q.Nav {
		if l := q.matches(m.Path); l > bestLen {
			best, bestLen = m.Path, l
		}
	}
	return bestLen >= 0 && best == n.Path
}

// matches tells how closely a nav address matches this page: -1 not at all, else the
// length of what matched. An address with a query matches only with that query.
func (q *Req) matches(navPath string) int {
	path, query, hasQuery := strings.Cut(navPath, "?")
	if hasQuery {
		if q.r == nil || q.r.URL.Path != path || !strings.Contains("&"+q.r.URL.RawQuery+"&", "&"+query+"&") {
			return -1
		}
		return len(navPath)
	}
	if q.Path == path || strings.HasPrefix(q.Path, strings.TrimSuffix(path, "/")+"/") {
		return len(path)
	}
	return -1
}

func init() {
	register(func(a *App) {
		a.Page("GET /{$}", nil, a.home)
	})
}

// homes are where each role works first, in the order a user holding several roles
// is sent: the queue of new work before the figures, the figures before the forms.
var homes = []struct {
	Role domain.Role
	Path string
}{
	{domain.RoleDispatcher, "/dispatch"},
	{domain.RoleOfficer, "/inbox"},
	{domain.RoleLeader, "/dashboard"},
	{domain.RoleGridWorker, "/m"},
	{domain.RoleBuildingHead, "/m"},
	{domain.RoleVolunteer, "/m"},
	{domain.RoleHelper, "/h"},
	{domain.RoleInspector, "/inspections"},
	{domain.RoleLiaison, "/intake/liaison"},
	{domain.RoleEnterprise, "/inspections"},
	{domain.RoleAdmin, "/admin"},
	{domain.RoleAuditor, "/audit"},
	{domain.RoleCitizen, "/me"},
}

// HomeOf is the page u lands on after signing in and at /.
func HomeOf(u domain.User) string {
	for _, h := range homes {
		if u.Has(h.Role) {
			return h.Path
		}
	}
	return "/cases"
}

// home sends a user to the page their roles work in first.
func (a *App) home(w http.ResponseWriter, r *http.Request, q *Req) error {
	http.Redirect(w, r, HomeOf(q.User), http.StatusSeeOther)
	return nil
}
