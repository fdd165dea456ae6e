package domain

import (
	"regexp"
	"slices"
	"strings"
)

// ReplyTemplate is a 常用语: a sentence a call-taker or an officer writes again and
// again, kept once with placeholders filled in where it is used. Org "" is shared by
// the hotline and the windows; an org's own are its officers' (and shown to no other
// org). Use says where it is offered: a direct answer at the seat or on a case
// (answer), or a department's result (result).
type ReplyTemplate struct {
	ID      int64  `json:"id"`
	Org     string `json:"org,omitempty"`
	Use     string `json:"use"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	Version int    `json:"version"`
}

// The uses of a reply template.
const (
	ReplyAnswer = "answer"
	ReplyResult = "result"
)

// ReplyPlaceholders are the names a template's body may hold in braces, each filled in
// from the case (or the call) where the template is used; a name not known here is
// refused when the template is saved, so no text ever goes out with a stray "{…}".
var ReplyPlaceholders = []string{"来电人", "编号", "事项", "地址", "部门", "日期"}

var placeholderRE = regexp.MustCompile(`\{([^{}]{1,20})\}`)

// Validate checks a template.
func (t *ReplyTemplate) Validate() error {
	t.Org, t.Use = strings.TrimSpace(t.Org), strings.TrimSpace(t.Use)
	t.Title, t.Body = strings.TrimSpace(t.Title), strings.TrimSpace(t.Body)
	switch {
	case t.Use != ReplyAnswer && t.Use != ReplyResult:
		return Invalidf("template.use", "use is answer or result")
	case t.Title == "" || len([]rune(t.Title)) > 60:
		return Invalidf("template.title", "a template needs a title of at most 60 characters")
	case t.Body == "" || len([]rune(t.Body)) > 2000:
		return Invalidf("template.body", "a template needs its text, at most 2000 characters")
	case len(t.Org) > 32:
		return Invalidf("template.org", "unknown org %q", t.Org)
	}
	for _, m := range placeholderRE.FindAllStringSubmatch(t.Body, -1) {
		if !slices.Contains(ReplyPlaceholders, m[1]) {
			return Invalidf("template.body", "unknown placeholder {%s}: the known ones are {%s}", m[1], strings.Join(ReplyPlaceholders, "} {"))
		}
	}
	return nil
}

// Expand fills the template's placeholders from vals (by name); a placeholder without a
// value is left out, so a template used before the case exists reads without it.
func (t ReplyTemplate) Expand(vals map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(t.Body, func(m string) string {
		name := m[1 : len(m)-1]
		if !slices.Contains(ReplyPlaceholders, name) {
			return m
		}
		return vals[name]
	})
}

// MayKeepReplyTemplate tells whether u may add, change or remove a template of org:
// administrators any, dispatchers the shared ones, an officer its own org's.
func MayKeepReplyTemplate(u User, org string) bool {
	if u.Has(RoleAdmin) {
		return true
	}
	if org == "" {
		return u.Has(RoleDispatcher)
	}
	return hasOfficerGrant(u, org)
}

// SeesReplyTemplate tells whether u is offered t: administrators every template, the
// shared ones whoever answers calls or cases (dispatchers and officers), an org's own
// its officers.
func SeesReplyTemplate(u User, t ReplyTemplate) bool {
	switch {
	case u.Has(RoleAdmin):
		return true
	case t.Org == "":
		return u.Has(RoleDispatcher) || u.Has(RoleOfficer)
	}
	return hasOfficerGrant(u, t.Org)
}

func hasOfficerGrant(u User, org string) bool {
	for _, g := range u.Grants {
		if g.Role == RoleOfficer && g.Org == org {
			return true
		}
	}
	return false
}
