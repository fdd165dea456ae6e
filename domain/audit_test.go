package domain

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestChangeJSONKeepsOnlyWhatChangedRedacted(t *testing.T) {
	type acct struct {
		Name     string  `json:"name"`
		Phone    string  `json:"phone,omitempty"`
		Password string  `json:"password,omitempty"`
		APIKey   string  `json:"api_key,omitempty"`
		Grants   []Grant `json:"grants"`
	}
	for _, c := range []struct {
		name string
		c    Change
		want string
	}{
		{"unchanged", Change{Before: acct{Name: "a"}, After: acct{Name: "a"}}, `{}`},
		{"a field changed", Change{Before: acct{Name: "a"}, After: acct{Name: "b"}}, `{"after":{"name":"b"},"before":{"name":"a"}}`},
		{"created", Change{After: acct{Name: "a", Grants: []Grant{{Role: RoleAuditor}}}}, `{"after":{"grants":[{"role":"auditor"}],"name":"a"}}`},
		{"created from a typed nil", Change{Before: (*acct)(nil), After: acct{Name: "a"}}, `{"after":{"name":"a"}}`},
		{"ended", Change{Before: acct{Name: "a"}}, `{"before":{"name":"a"}}`},
		{"ended to a typed nil", Change{Before: acct{Name: "a"}, After: (*acct)(nil)}, `{"before":{"name":"a"}}`},
		{"a phone is masked", Change{Before: acct{Name: "a", Phone: "13873810001"}, After: acct{Name: "a", Phone: "13900001234"}},
			`{"after":{"phone":"139****1234"},"before":{"phone":"138****0001"}}`},
		{"a phone added", Change{Before: acct{Name: "a"}, After: acct{Name: "a", Phone: "13900001234"}}, `{"after":{"phone":"139****1234"}}`},
		{"secrets only as changed", Change{Before: acct{Password: "old-secret"}, After: acct{Password: "new-secret", APIKey: "k-123"}},
			`{"after":{"api_key":"******","password":"******"},"before":{"password":"******"}}`},
		{"facts", Change{Facts: map[string]any{"purpose": "核对", "subjects": 3, "id_number": "43138219700101001X", "token_hash": "abc"}},
			`{"id_number":"4313**********001X","purpose":"核对","subjects":3,"token_hash":"******"}`},
		{"a value that is no object", Change{Before: []int{1}, After: []int{1, 2}}, `{"after":{"value":[1,2]},"before":{"value":[1]}}`},
		{"a contact's name", Change{After: map[string]string{"contact": "张三丰"}}, `{"after":{"contact":"张**"}}`},
	} {
		got, err := c.c.JSON()
		if err != nil || got != c.want {
			t.Errorf("%s: %s %v, want %s", c.name, got, err, c.want)
		}
	}
}

// chain makes n entries chained from the first.
func chain(n int) []AuditEntry {
	var out []AuditEntry
	prev := ""
	for i := 1; i <= n; i++ {
		e := AuditEntry{ID: int64(i), At: time.Unix(int64(1750000000+i), 0), UserID: 1, Login: "demo.admin", Addr: "10.0.0.1",
			Action: "org.put", Object: "org/X", Change: `{"after":{"name":"x"}}`}
		e.Hash = e.ChainHash(prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestAuditChainFindsTheFirstBreak(t *testing.T) {
	edit := func(f func(es []AuditEntry) []AuditEntry) []AuditEntry { return f(chain(5)) }
	for _, c := range []struct {
		name    string
		entries []AuditEntry
		head    int64
		want    string // "" intact; else "id: words of the reason"
	}{
		{"intact", chain(5), 5, ""},
		{"empty", nil, 0, ""},
		{"an edited change", edit(func(es []AuditEntry) []AuditEntry { es[2].Change = `{}`; return es }), 5, "3: hash does not match"},
		{"an edited login", edit(func(es []AuditEntry) []AuditEntry { es[0].Login = "x"; return es }), 5, "1: hash does not match"},
		{"an edited time", edit(func(es []AuditEntry) []AuditEntry { es[4].At = es[4].At.Add(time.Second); return es }), 5, "5: hash does not match"},
		{"an entry rehashed after an edit", edit(func(es []AuditEntry) []AuditEntry {
			es[1].Addr = "x"
			es[1].Hash = es[1].ChainHash(es[0].Hash)
			return es
		}), 5, "3: hash does not match"},
		{"a deleted entry", edit(func(es []AuditEntry) []AuditEntry { return append(es[:1], es[2:]...) }), 5, "2: missing"},
		{"the last entry cut", chain(4), 5, "5: the chain ends at entry 4"},
		{"the head moved back", chain(5), 4, "5: the chain ends at entry 5"},
		{"twice the same entry", edit(func(es []AuditEntry) []AuditEntry { return append(es[:3], es[2:]...) }), 5, "3: out of order"},
	} {
		var ch AuditChain
		var broken *AuditBreak
		for _, e := range c.entries {
			if broken = ch.Next(e); broken != nil {
				break
			}
		}
		if broken == nil {
			head := ""
			if c.head > 0 {
				head = chain(int(c.head))[c.head-1].Hash
			}
			broken = ch.End(c.head, head)
		}
		switch {
		case c.want == "" && broken != nil:
			t.Errorf("%s: broken at %v", c.name, broken)
		case c.want != "" && (broken == nil || !strings.HasPrefix(c.want, strconv.FormatInt(broken.ID, 10)+":") || !strings.Contains(broken.Reason, strings.SplitN(c.want, ": ", 2)[1])):
			t.Errorf("%s: %v, want %s", c.name, broken, c.want)
		}
	}
}

func TestCanSearchBy(t *testing.T) {
	g := &Group{Fields: []Field{
		{Key: "id_number", Type: FieldIDNumber},
		{Key: "phone", Type: FieldPhone},
		{Key: "phone2", Type: FieldPhone, Reveal: []Role{RoleHelper}},
	}}
	for _, c := range []struct {
		u    User
		t    FieldType
		want string
	}{
		{uAdmin, FieldIDNumber, ""},
		{uHelper, FieldPhone, ""},
		{uAdmin, FieldPhone, EFORBIDDEN}, // phone2 may be revealed by helpers only
		{uDispatcher, FieldIDNumber, EFORBIDDEN},
		{uLeader, FieldPhone, EFORBIDDEN},
		{uAuditor, FieldIDNumber, EFORBIDDEN},
		{uAdmin, FieldText, EINVALID}, // no such field to search by
	} {
		if got := ErrorCode(CanSearchBy(c.u, g, c.t)); got != c.want {
			t.Errorf("%s by %s: %q, want %q", c.u.Login, c.t, got, c.want)
		}
	}
}

func TestAuditorRole(t *testing.T) {
	for _, c := range []struct {
		g    Grant
		want string
	}{
		{Grant{Role: RoleAuditor}, ""},
		{Grant{Role: RoleAuditor, Region: "431382"}, EINVALID},
		{Grant{Role: RoleAuditor, Org: "LY-CGJ"}, EINVALID},
	} {
		if got := ErrorCode(c.g.Validate()); got != c.want {
			t.Errorf("%+v: %q, want %q", c.g, got, c.want)
		}
	}
	if CanFile(uAuditor, tGrid) == nil {
		t.Error("an auditor files cases")
	}
	if !CanReadAudit(uAuditor) || !CanReadAudit(uAdmin) || CanReadAudit(uLeader) || CanReadAudit(uDispatcher) {
		t.Error("who reads the audit log")
	}
}

func TestRevealEntryRoundTrip(t *testing.T) {
	for _, r := range []Reveal{
		{UserID: 7, Login: "helper.a", GroupID: 3, Subject: 70, Fields: []string{"phone"}, Purpose: "回访", Subjects: 1, At: 1750000000},
		{UserID: 8, Login: "demo.admin", GroupID: 3, Fields: []string{"id_number", "phone"}, Purpose: "export", Subjects: 12, At: 1750000060},
	} {
		e, err := r.Entry()
		if err != nil {
			t.Fatal(err)
		}
		e.ID = 9
		got := RevealOf(e)
		r.ID, r.Action = 9, e.Action
		if got.ID != r.ID || got.Login != r.Login || got.UserID != r.UserID || got.GroupID != r.GroupID || got.Subject != r.Subject ||
			strings.Join(got.Fields, ",") != strings.Join(r.Fields, ",") || got.Purpose != r.Purpose || got.Subjects != r.Subjects || got.At != r.At {
			t.Errorf("%+v came back as %+v", r, got)
		}
	}
	s := RevealOf(AuditEntry{ID: 4, Action: ActSearch, Object: "group/3", Change: `{"field":"phone","results":2,"value":"138****0001"}`})
	if s.GroupID != 3 || s.Subject != 0 || s.Fields[0] != "phone" || s.Purpose != "search" || s.Subjects != 2 {
		t.Errorf("a search: %+v", s)
	}
}

func TestAuditFilterValidate(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, China)
	f := AuditFilter{Actor: " Demo.Admin ", Object: "/group/1/"}
	if err := f.Validate(); err != nil || f.Actor != "demo.admin" || f.Object != "group/1" || f.Limit != 100 {
		t.Errorf("%+v %v", f, err)
	}
	f = AuditFilter{From: &day, To: &day}
	if ErrorCode(f.Validate()) != EINVALID {
		t.Error("an empty period")
	}
	f = AuditFilter{Action: strings.Repeat("x", 201)}
	if ErrorCode(f.Validate()) != EINVALID {
		t.Error("a long action")
	}
}
