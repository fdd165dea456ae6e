package domain

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// SubjectKind is what a key group follows (重点人群): households with their members,
// single persons, or organisations.
type SubjectKind string

const (
	KindHousehold SubjectKind = "household" // 户, with members
	KindPerson    SubjectKind = "person"    // 人
	KindOrg       SubjectKind = "org"       // 单位/组织
)

// Valid tells whether k is a known subject kind.
func (k SubjectKind) Valid() bool { return k == KindHousehold || k == KindPerson || k == KindOrg }

// FieldType is the type of one attribute in a group's schema; it fixes how a value is
// checked, stored and counted.
type FieldType string

const (
	FieldText     FieldType = "text"
	FieldNumber   FieldType = "number"
	FieldDate     FieldType = "date"      // YYYY-MM-DD
	FieldChoice   FieldType = "choice"    // one of Options
	FieldMulti    FieldType = "multi"     // some of Options, joined by ";"
	FieldBool     FieldType = "bool"      // 是 / 否
	FieldMoney    FieldType = "money"     // yuan in, integer fen stored
	FieldIDNumber FieldType = "id_number" // 公民身份号码, GB 11643; encrypted at rest
	FieldPhone    FieldType = "phone"     // encrypted at rest
)

// FieldTypes lists the field types in a stable order.
var FieldTypes = []FieldType{FieldText, FieldNumber, FieldDate, FieldChoice, FieldMulti, FieldBool, FieldMoney, FieldIDNumber, FieldPhone}

// Sensitive tells whether values of this type are personal data: encrypted at rest,
// searchable only by exact value, masked unless revealed.
func (t FieldType) Sensitive() bool { return t == FieldIDNumber || t == FieldPhone }

// Counted tells whether statistics count the values of this type (rates over choices).
func (t FieldType) Counted() bool { return t == FieldChoice || t == FieldMulti || t == FieldBool }

// Yes and No are the canonical values of a yes/no field.
const (
	Yes = "是"
	No  = "否"
)

// Field is one attribute of a group's schema.
type Field struct {
	Key      string      `json:"key"`   // machine name, a-z 0-9 _
	Label    string      `json:"label"` // the column header of the register, e.g. 参保类型
	Type     FieldType   `json:"type"`
	On       SubjectKind `json:"on,omitempty"` // household or person in household groups
	Required bool        `json:"required,omitempty"`
	Options  []string    `json:"options,omitempty"` // choice and multi
	Min      *float64    `json:"min,omitempty"`     // number
	Max      *float64    `json:"max,omitempty"`     // number; text: longest length
	// Roles may see the field at all; empty means everyone who sees the subject.
	Roles []Role `json:"roles,omitempty"`
	// Reveal may unmask a sensitive field (each reveal audited); empty means admin and helper.
	Reveal []Role `json:"reveal,omitempty"`
}

// Group is a key group a street follows (重点人群), e.g. 退捕渔民, with its register's
// schema. Region is the root of the area it covers.
type Group struct {
	ID          int64       `json:"id"`
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Kind        SubjectKind `json:"kind"`
	Region      string      `json:"region"`
	Description string      `json:"description,omitempty"`
	Fields      []Field     `json:"fields"`
	CreatedAt   time.Time   `json:"created_at"`
}

var (
	fieldKeyRe  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	groupCodeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$`)
)

// reservedColumns are the register's fixed columns; no field may take their names.
var reservedColumns = map[string]bool{"id": true, "name": true, "region": true, "household": true, "relation": true,
	"from": true, "to": true, "姓名": true, "名称": true, "区划": true, "户编号": true, "与户主关系": true, "编号": true}

// Validate checks a group and its schema, filling defaults (a field's level).
func (g *Group) Validate() error {
	g.Code, g.Name = strings.TrimSpace(g.Code), strings.TrimSpace(g.Name)
	if !groupCodeRe.MatchString(g.Code) {
		return Errorf(EINVALID, "group code must be 1 to 40 letters, digits, - or _")
	}
	if g.Name == "" || len([]rune(g.Name)) > 100 {
		return Errorf(EINVALID, "group name is required, at most 100 characters")
	}
	if !g.Kind.Valid() {
		return Errorf(EINVALID, "group kind must be household, person or org")
	}
	if _, err := LevelOf(g.Region); err != nil {
		return Errorf(EINVALID, "group region: %s", ErrorMessage(err))
	}
	if len(g.Fields) > 100 {
		return Errorf(EINVALID, "a group has at most 100 fields")
	}
	keys, labels := map[string]bool{}, map[string]bool{}
	for i := range g.Fields {
		f := &g.Fields[i]
		if err := f.validate(g.Kind); err != nil {
			return err
		}
		if keys[f.Key] || labels[f.Label] || labels[f.Key] || keys[f.Label] {
			return Errorf(EINVALID, "field %s: key and label must be unique in the group", f.Key)
		}
		keys[f.Key], labels[f.Label] = true, true
	}
	return nil
}

func (f *Field) validate(kind SubjectKind) error {
	f.Key, f.Label = strings.TrimSpace(f.Key), strings.TrimSpace(f.Label)
	if !fieldKeyRe.MatchString(f.Key) {
		return Errorf(EINVALID, "field key %q must be lower-case letters, digits and _, starting with a letter", f.Key)
	}
	if f.Label == "" || len([]rune(f.Label)) > 40 {
		return Errorf(EINVALID, "field %s needs a label of at most 40 characters", f.Key)
	}
	if reservedColumns[f.Key] || reservedColumns[f.Label] {
		return Errorf(EINVALID, "field %s: %q is a fixed column of the register", f.Key, f.Label)
	}
	if !slices.Contains(FieldTypes, f.Type) {
		return Errorf(EINVALID, "field %s: unknown type %q", f.Key, f.Type)
	}
	switch {
	case f.On == "" && kind == KindHousehold:
		f.On = KindPerson
	case f.On == "":
		f.On = kind
	case kind == KindHousehold && (f.On == KindHousehold || f.On == KindPerson):
	case f.On != kind:
		return Errorf(EINVALID, "field %s: a %s group's fields are on the %s", f.Key, kind, kind)
	}
	if f.Type == FieldChoice || f.Type == FieldMulti {
		if len(f.Options) == 0 || len(f.Options) > 50 {
			return Errorf(EINVALID, "field %s: a choice needs 1 to 50 options", f.Key)
		}
		seen := map[string]bool{}
		for i, o := range f.Options {
			o = strings.TrimSpace(o)
			if o == "" || seen[o] || strings.ContainsAny(o, ";；、") {
				return Errorf(EINVALID, "field %s: options must be distinct, non-empty and without ;", f.Key)
			}
			seen[o], f.Options[i] = true, o
		}
	} else if len(f.Options) > 0 {
		return Errorf(EINVALID, "field %s: only choice fields have options", f.Key)
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		return Errorf(EINVALID, "field %s: min is above max", f.Key)
	}
	for _, r := range append(slices.Clone(f.Roles), f.Reveal...) {
		if !r.Valid() {
			return Errorf(EINVALID, "field %s: unknown role %q", f.Key, r)
		}
	}
	if len(f.Reveal) > 0 && !f.Type.Sensitive() {
		return Errorf(EINVALID, "field %s: only ID numbers and phones are revealed", f.Key)
	}
	return nil
}

// Field finds a field by key or by label (register headers use labels).
func (g *Group) Field(name string) (Field, bool) {
	name = strings.TrimSpace(name)
	for _, f := range g.Fields {
		if f.Key == name || f.Label == name {
			return f, true
		}
	}
	return Field{}, false
}

// FieldsOn lists the fields of one level (household or person).
func (g *Group) FieldsOn(kind SubjectKind) []Field {
	var out []Field
	for _, f := range g.Fields {
		if f.On == kind {
			out = append(out, f)
		}
	}
	return out
}

// SeesField tells whether u may see field f at all.
func SeesField(u User, f Field) bool {
	if len(f.Roles) == 0 || u.Has(RoleAdmin) {
		return true
	}
	for _, r := range f.Roles {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// CanReveal tells whether u may see a sensitive field unmasked (each time audited): the
// roles the field names, admin and helper by default.
func CanReveal(u User, f Field) bool {
	if !f.Type.Sensitive() || !SeesField(u, f) {
		return false
	}
	roles := f.Reveal
	if len(roles) == 0 {
		roles = []Role{RoleAdmin, RoleHelper}
	}
	for _, r := range roles {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// CanSearchBy tells whether u may find subjects of g by the exact value of a personal
// field of type t (the keyed hash answers for every field of that type): only when u
// may reveal each of them, since a search that finds someone confirms the value a mask
// hides. It refuses a type no field of g has.
func CanSearchBy(u User, g *Group, t FieldType) error {
	n := 0
	for _, f := range g.Fields {
		if f.Type != t {
			continue
		}
		if !CanReveal(u, f) {
			return Errorf(EFORBIDDEN, "your role may not see %s in clear, so it may not search by it", f.Label)
		}
		n++
	}
	if n == 0 {
		return Errorf(EINVALID, "the group has no %s field to search by", t)
	}
	return nil
}

// Mask hides a sensitive value for display: 4309**********123X, 138****5678.
func (f Field) Mask(v string) string {
	switch f.Type {
	case FieldIDNumber:
		r := []rune(v)
		if len(r) <= 8 {
			return strings.Repeat("*", len(r))
		}
		return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
	case FieldPhone:
		return MaskPhone(v)
	}
	return v
}

// groupRoles are the roles that see key-group registers in their region.
var groupRoles = []Role{RoleAdmin, RoleLeader, RoleDispatcher, RoleGridWorker, RoleHelper}

// SeesRegister tells whether u may see subjects placed in region (their helper sees
// their own subjects anywhere; that is checked against the assignment by the caller).
func SeesRegister(u User, region string) bool {
	for _, g := range u.Grants {
		if slices.Contains(groupRoles, g.Role) && Within(region, g.Region) {
			return true
		}
	}
	return false
}

// RegisterScopes lists the region roots under which u sees subjects; nil means none.
func RegisterScopes(u User) []string {
	var out []string
	for _, g := range u.Grants {
		if slices.Contains(groupRoles, g.Role) {
			if g.Region == "" {
				return []string{""}
			}
			out = append(out, g.Region)
		}
	}
	return out
}

// CanManageGroups tells whether u may define groups, import registers, start rounds and
// assign helpers in region: administrators of the place.
func CanManageGroups(u User, region string) bool { return Administers(u, region) }

// Administers tells whether u holds an administrator grant over region.
func Administers(u User, region string) bool {
	for _, g := range u.Grants {
		if g.Role == RoleAdmin && Within(region, g.Region) {
			return true
		}
	}
	return false
}

// CanRecordAid tells whether u may write the assistance ledger in region: the
// administrators and dispatchers (the street's 救助 desk) of the place.
func CanRecordAid(u User, region string) bool {
	for _, g := range u.Grants {
		if (g.Role == RoleAdmin || g.Role == RoleDispatcher) && Within(region, g.Region) {
			return true
		}
	}
	return false
}
