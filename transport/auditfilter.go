package transport

import (
	"net/url"

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
	if f.From, f.To, f.Before, f.Limit, err = periodPage(v, 1000); err != nil {
		return f, err
	}
	return f, f.Validate()
}
