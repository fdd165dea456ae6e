package domain

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// The audit log (审计日志): every administrative action (users, roles, passwords,
// settings, the catalogue, key-group schemas) and every sight of personal data (a
// reveal, a revealed export, a search by a phone or ID number) is one entry, appended
// in the transaction of the change it records. Entries form a hash chain: each stores
// the SHA-256 of the entry before it and its own canonical content, so an entry edited
// or deleted in the database breaks the chain at that place (AuditChain finds it).

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	ID     int64     `json:"id"` // its place in the chain: 1 first, no gaps
	At     time.Time `json:"at"`
	UserID int64     `json:"user_id"` // 0: the system (a command, the demo loader)
	Login  string    `json:"login"`
	Addr   string    `json:"addr"`   // the client's address; "cli" for a command
	Action string    `json:"action"` // family.verb, e.g. user.update, subject.reveal
	Object string    `json:"object"` // a path from the outermost thing, e.g. group/1/subject/70
	Change string    `json:"change"` // JSON: before and after of the changed fields, and facts; redacted
	Hash   string    `json:"hash"`   // hex SHA-256 of the previous entry's hash and this entry's content
}

// SystemLogin names the actor of an entry no signed-in user made.
const SystemLogin = "system"

// canonical is the entry's content as the hash covers it: every field but the hash, in
// a fixed order, in JSON (which escapes every separator a value could hold).
func (e AuditEntry) canonical() []byte {
	b, _ := json.Marshal([]any{e.ID, e.At.Unix(), e.UserID, e.Login, e.Addr, e.Action, e.Object, e.Change})
	return b
}

// ChainHash is the hash the entry must carry after an entry whose hash is prev ("" for
// the first entry).
func (e AuditEntry) ChainHash(prev string) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(e.canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// AuditBreak is the first place the chain does not hold.
type AuditBreak struct {
	ID     int64  `json:"id"` // the entry (or, for a missing one, the id expected)
	Reason string `json:"reason"`
}

func (b *AuditBreak) Error() string { return fmt.Sprintf("audit entry %d: %s", b.ID, b.Reason) }

// AuditChain checks entries read in chain order, one at a time, and at the end the
// chain's recorded head (its last id and hash), so a removed last entry is found too.
type AuditChain struct {
	last  int64
	hash  string
	Count int64
}

// Next checks the next entry; nil while the chain holds.
func (c *AuditChain) Next(e AuditEntry) *AuditBreak {
	switch {
	case e.ID != c.last+1 && e.ID > c.last:
		return &AuditBreak{ID: c.last + 1, Reason: fmt.Sprintf("missing: the chain goes from entry %d to %d", c.last, e.ID)}
	case e.ID != c.last+1:
		return &AuditBreak{ID: e.ID, Reason: "out of order"}
	case e.Hash != e.ChainHash(c.hash):
		return &AuditBreak{ID: e.ID, Reason: "its hash does not match its content and the entry before it: edited, or an entry before it was"}
	}
	c.last, c.hash = e.ID, e.Hash
	c.Count++
	return nil
}

// End checks the head recorded with the chain: its last id and hash. A log with no
// head has never been written, and must be empty.
func (c *AuditChain) End(headID int64, headHash string) *AuditBreak {
	if headID != c.last || headHash != c.hash {
		return &AuditBreak{ID: max(headID, c.last), Reason: fmt.Sprintf("the chain ends at entry %d but its head records entry %d: entries removed from the end, or the head edited", c.last, headID)}
	}
	return nil
}

// Change is what an audited action did: the object as it was and as it is (nil where
// it did not exist, or no longer does) and facts that are no field of it (a purpose,
// a count, a masked search value). The log keeps only the fields that differ.
type Change struct {
	Before, After any
	Facts         map[string]any
}

// JSON renders the change for the log: {"before":{…},"after":{…}, facts…}, with only
// the fields that differ, secrets replaced by ****** and personal data masked
// (AuditValue). Keys are sorted, so the same change always gives the same text.
func (c Change) JSON() (string, error) {
	before, err := fieldsOf(c.Before)
	if err != nil {
		return "", err
	}
	after, err := fieldsOf(c.After)
	if err != nil {
		return "", err
	}
	out := map[string]any{}
	was, is := map[string]any{}, map[string]any{}
	all := maps.Clone(after)
	for k := range before {
		all[k] = after[k]
	}
	for k := range all {
		b, bok := before[k]
		a, aok := after[k]
		if bok && aok && bytes.Equal(b, a) || isNull(b) && isNull(a) {
			continue
		}
		if bok && !isNull(b) {
			was[k] = AuditValue(k, b)
		}
		if aok && !isNull(a) {
			is[k] = AuditValue(k, a)
		}
	}
	if c.Before != nil && len(was) > 0 {
		out["before"] = was
	}
	if c.After != nil && len(is) > 0 {
		out["after"] = is
	}
	for k, v := range c.Facts {
		raw, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		out[k] = AuditValue(k, raw)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// fieldsOf gives v's JSON fields; nil gives none, a value that is no object one field
// "value".
func fieldsOf(v any) (map[string]json.RawMessage, error) {
	if v == nil {
		return map[string]json.RawMessage{}, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	switch {
	case json.Unmarshal(raw, &m) != nil:
		m = map[string]json.RawMessage{"value": raw}
	case m == nil: // a nil pointer: nothing
		m = map[string]json.RawMessage{}
	}
	return m, nil
}

func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// secretKeys are fields whose value never enters the log, only that it changed.
var secretKeys = []string{"password", "hash", "secret", "token", "key"}

// AuditValue is a field's value as the log may keep it: a secret (a password, a hash,
// a key, a token) as ******; a phone or an ID number masked (138****0001); a contact's
// name by its family name; anything else as it is.
func AuditValue(key string, raw json.RawMessage) any {
	k := strings.ToLower(key)
	for _, s := range secretKeys {
		if k == s || strings.HasSuffix(k, "_"+s) || strings.HasPrefix(k, s+"_") {
			return "******"
		}
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	str, ok := v.(string)
	switch {
	case !ok:
		return v
	case strings.Contains(k, "phone") || k == "mobile":
		return MaskPhone(str)
	case strings.Contains(k, "id_number"):
		return Field{Type: FieldIDNumber}.Mask(str)
	case k == "contact" || strings.HasSuffix(k, "_contact"):
		return MaskName(str)
	}
	return v
}

// AuditFilter is what a reading of the audit log asks for; entries come newest first.
type AuditFilter struct {
	From, To *time.Time // at in [From, To)
	Actor    string     // a login
	Action   string     // an action, or its family: "user" is user.*
	Object   string     // an object, or everything under it: "group/1" is group/1/…
	Before   int64      // keyset cursor: entries below this id
	Limit    int
}

// Validate checks the filter's fields.
func (f *AuditFilter) Validate() error {
	f.Actor, f.Action, f.Object = strings.ToLower(strings.TrimSpace(f.Actor)), strings.TrimSpace(f.Action), strings.Trim(strings.TrimSpace(f.Object), "/")
	for _, v := range []string{f.Actor, f.Action, f.Object} {
		if len(v) > 200 || !utf8.ValidString(v) {
			return Errorf(EINVALID, "actor, action and object are at most 200 bytes of UTF-8")
		}
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return Errorf(EINVALID, "from must be before to")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	return nil
}

// CanReadAudit tells whether u may read the audit log: auditors and administrators.
func CanReadAudit(u User) bool { return u.Has(RoleAuditor) || u.Has(RoleAdmin) }

// AuditActions lists the actions the log records, sorted, for filters to offer.
var AuditActions = sortedStrings(
	"user.create", "user.update", "region.put", "org.put", "matter.put", "matter.attributes", "calendar.put",
	"linkage.create", "linkage.update", "client.create", "client.disable", "client.enable", "setting.put",
	"checklist.create", "checklist.update", "enterprise.create", "enterprise.update", "enterprise.import",
	"enterprise.revoke_code", "inspection_plan.create", "inspection_plan.update", "patrol_plan.create",
	"group.create", "group.update", "group.handover", "register.import", ActExport, "round.start", ActReveal,
	ActSearch, "subject.search_refused", "subject.values", "subject.helper", "subject.end", "aid.add",
	"hall.create", "hall.update", "window.create", "window.update", ActCallerSearch,
	"project.create", "project.update", "project.stage", "project.plan", "approval_item.put",
	"rect_list.create", "rect_item.create", "rect_item.edit", "rect_item.approve", "rect_item.return",
	"knowledge.create", "knowledge.update",
	"staff_unit.create", "staff_quota.set", "staff_exception.request", "staff_exception.decide", "staff_move.record", "staff_plan.create", "staff_person.reveal", "staff_survey.create", "staff_survey.finding",
	"land_office.create", "land_collective.create", "land_household.create", "land_household.update", "land_household.reveal",
	"land_household.search", "land_parcel.create", "land_parcel.import", "land_contract.create", "land_application.accept",
	"land_application.review", "land_application.book", "land_application.print", "land_application.issue",
	"land_application.refuse", "land_consent.create", "land_certificate.check")

func sortedStrings(s ...string) []string {
	sort.Strings(s)
	return s
}

// Objects of the key groups' entries: a group, and a subject under its group, so that
// reading everything under group/1 finds the group's every sight of personal data.
func GroupObject(group int64) string { return fmt.Sprintf("group/%d", group) }

// SubjectObject names a subject of a group in the log.
func SubjectObject(group, subject int64) string {
	return fmt.Sprintf("group/%d/subject/%d", group, subject)
}

// Actions of personal-data sights, the entries a group's reveal list shows.
const (
	ActReveal = "subject.reveal"  // one subject's fields in clear, with a purpose
	ActExport = "register.export" // a register exported with its fields in clear
	ActSearch = "subject.search"  // subjects found by an exact phone or ID number
	// ActCallerSearch is the seat's look-up of a caller's earlier calls by their number
	ActCallerSearch = "caller.search"
)

// Change gives the facts a reveal or a revealed export is logged with.
func (r Reveal) Change() Change {
	return Change{Facts: map[string]any{"fields": r.Fields, "purpose": r.Purpose, "subjects": r.Subjects}}
}

// Entry is the log entry of a reveal written before the log existed (the rows of
// reveal_audit, folded into the chain): its action, object and facts.
func (r Reveal) Entry() (AuditEntry, error) {
	e := AuditEntry{UserID: r.UserID, Login: r.Login, At: time.Unix(r.At, 0).In(China), Action: ActReveal,
		Object: SubjectObject(r.GroupID, r.Subject)}
	if r.Subject == 0 {
		e.Action, e.Object = ActExport, GroupObject(r.GroupID)
	}
	var err error
	e.Change, err = r.Change().JSON()
	return e, err
}

// RevealOf reads a personal-data sight back from its log entry.
func RevealOf(e AuditEntry) Reveal {
	r := Reveal{ID: e.ID, Action: e.Action, UserID: e.UserID, Login: e.Login, At: e.At.Unix(), Fields: []string{}}
	fmt.Sscanf(e.Object, "group/%d/subject/%d", &r.GroupID, &r.Subject)
	var facts struct {
		Fields   []string `json:"fields"`
		Field    string   `json:"field"`
		Purpose  string   `json:"purpose"`
		Subjects int      `json:"subjects"`
		Results  int      `json:"results"`
	}
	json.Unmarshal([]byte(e.Change), &facts)
	r.Purpose, r.Subjects = facts.Purpose, facts.Subjects
	if facts.Fields != nil {
		r.Fields = facts.Fields
	}
	if e.Action == ActSearch {
		r.Fields, r.Purpose, r.Subjects = []string{facts.Field}, "search", facts.Results
	}
	return r
}
