package transport

import (
	"net/url"
	"strconv"

	"whistle/domain"
)

// AuditFilter reads the audit log's filters of a query string, strictly: from and to
// (a day YYYY-MM-DD, a month YYYY-MM or an RFC 3339 time, China time, to including its
// whole day or month), actor (a login), action (an action or its family: user is
// user.*), object (an object or everything under it: group/1 is group/1/…), cursor (the
// next_cursor of the page before) and limit (1 to 1000). The API and the page read it
// alike.
func AuditFilter(v url.Values) (domain.AuditFilter, error) {
	f := domain.AuditFilter{Actor: v.Get("actor"), Action: v.Get("action"), Object: v.Get("object")}
	var err error
	if f.From, err = domain.ParseBound(v.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = domain.ParseBound(v.Get("to"), true); err != nil {
		return f, err
	}
	if s := v.Get("cursor"); s != "" {
		if f.Before, err = strconv.ParseInt(s, 10, 64); err != nil || f.Before <= 0 {
			return f, domain.Errorf(domain.EINVALID, "bad cursor")
		}
	}
	if s := v.Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 1 || f.Limit > 1000 {
			return f, domain.Errorf(domain.EINVALID, "limit must be 1 to 1000")
		}
	}
	return f, f.Validate()
}
