package transport

import (
	"net/url"
	"strconv"

	"whistle/domain"
)

// ProjectFilter reads a project list's filter from a query, as the API and the pages
// (and the figures' links) write it: region, stage, tier, kind, park, status,
// late_org, and the flags late, signed, started, operating, progress_due (1 or true),
// limit.
func ProjectFilter(q url.Values) (domain.ProjectFilter, error) {
	f := domain.ProjectFilter{Region: q.Get("region"), Stage: domain.Stage(q.Get("stage")), Tier: domain.Tier(q.Get("tier")),
		Kind: domain.ProjectKind(q.Get("kind")), Park: q.Get("park"), Status: domain.ProjectStatus(q.Get("status")), LateOrg: q.Get("late_org")}
	for name, flag := range map[string]*bool{"late": &f.Late, "signed": &f.Signed, "started": &f.Started, "operating": &f.Operating, "progress_due": &f.ProgressDue} {
		switch q.Get(name) {
		case "", "0", "false":
		case "1", "true":
			*flag = true
		default:
			return f, domain.Errorf(domain.EINVALID, "%s is 1 or true when given", name)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return f, domain.Errorf(domain.EINVALID, "limit is 1 to 10000")
		}
		f.Limit = n
	}
	return f, f.Validate()
}
