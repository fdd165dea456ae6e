package domain

import (
	"fmt"
	"strings"
)

// Subject is one entry of a group's register: a household (with its members), a person
// or an organisation, placed in a region down to the grid. From and To are the days it
// entered and left the register; every statistic as of a day counts only those in it.
type Subject struct {
	ID        int64       `json:"id"`
	GroupID   int64       `json:"group_id"`
	Kind      SubjectKind `json:"kind"`
	Household int64       `json:"household,omitempty"` // a member's household
	Ref       string      `json:"ref,omitempty"`       // the register's own number (户编号)
	Name      string      `json:"name"`
	Relation  string      `json:"relation,omitempty"` // 与户主关系 of a member
	Region    string      `json:"region"`
	From      string      `json:"from"`
	To        string      `json:"to,omitempty"`
	// Values are the attributes as of the day read, display form; sensitive ones masked
	// unless revealed, fields the reader may not see left out.
	Values  map[string]string `json:"values"`
	Members []Subject         `json:"members,omitempty"`
	Helper  *Assignment       `json:"helper,omitempty"`
	Flags   []RiskFlag        `json:"flags,omitempty"`
}

// Value is one version of one attribute: valid from a day until the next version.
// Sensitive values travel in clear only inside the service; the store keeps them
// encrypted with a keyed hash beside them for exact search.
type Value struct {
	Subject int64  `json:"subject"`
	Field   string `json:"field"`
	From    string `json:"from"`
	Value   string `json:"value"`
	Source  string `json:"source,omitempty"` // import, visit, edit
	VisitID int64  `json:"visit_id,omitempty"`
}

// Assignment is a dated one-to-one pairing (结对) of a helper with a subject. A subject
// has at most one helper on any day; a handover ends one assignment and starts another.
type Assignment struct {
	ID         int64  `json:"id"`
	Subject    int64  `json:"subject"`
	UserID     int64  `json:"user_id"`
	HelperName string `json:"helper_name,omitempty"`
	From       string `json:"from"`
	To         string `json:"to,omitempty"` // last day, inclusive; "" while running
	Note       string `json:"note,omitempty"`
}

// ActiveOn tells whether the assignment runs on day.
func (a Assignment) ActiveOn(day string) bool {
	return a.From <= day && (a.To == "" || a.To >= day)
}

// InRegister tells whether a subject was in the register on day.
func (s Subject) InRegister(day string) bool { return s.From <= day && (s.To == "" || s.To >= day) }

// MaskValues turns clear values into what u may see: fields u may not see dropped,
// sensitive ones masked unless reveal names them and u may reveal them.
func MaskValues(u User, g *Group, clear map[string]string, reveal map[string]bool) map[string]string {
	out := make(map[string]string, len(clear))
	for k, v := range clear {
		f, ok := g.Field(k)
		if !ok || !SeesField(u, f) {
			continue
		}
		switch {
		case f.Type.Sensitive() && !(reveal[k] && CanReveal(u, f)):
			out[k] = f.Mask(v)
		default:
			out[k] = f.Display(v)
		}
	}
	return out
}

// ValidateSubject checks a subject's own fields (not its attributes).
func ValidateSubject(g *Group, s *Subject) error {
	s.Name, s.Ref, s.Relation = strings.TrimSpace(s.Name), strings.TrimSpace(s.Ref), strings.TrimSpace(s.Relation)
	if s.Name == "" || len([]rune(s.Name)) > 100 {
		return Errorf(EINVALID, "name is required, at most 100 characters")
	}
	if len([]rune(s.Ref)) > 40 || len([]rune(s.Relation)) > 20 {
		return Errorf(EINVALID, "number or relation too long")
	}
	if _, err := LevelOf(s.Region); err != nil {
		return err
	}
	if !Within(s.Region, g.Region) {
		return Errorf(EINVALID, "region %s lies outside the group's region %s", s.Region, g.Region)
	}
	if !validDate(s.From) || (s.To != "" && (!validDate(s.To) || s.To < s.From)) {
		return Errorf(EINVALID, "from and to must be YYYY-MM-DD with to on or after from")
	}
	return nil
}

// RegisterColumns are the register's fixed columns before the schema's fields, in the
// layout import reads and export writes.
func RegisterColumns(g *Group) []string {
	switch g.Kind {
	case KindHousehold:
		return []string{"户编号", "姓名", "与户主关系", "区划"}
	case KindOrg:
		return []string{"编号", "名称", "区划"}
	}
	return []string{"编号", "姓名", "区划"}
}

// RegisterHeader is the whole header row: fixed columns, then each field's label.
func RegisterHeader(g *Group) []string {
	h := RegisterColumns(g)
	for _, f := range g.Fields {
		h = append(h, f.Label)
	}
	return h
}

// RowError is one mistake of an imported register, located for the person fixing it.
type RowError struct {
	Row     int    `json:"row"` // 1-based line of the file, the header being 1
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// ImportUnit is one household, person or organisation read from a register, with its
// members, its attributes in clear and the row it came from.
type ImportUnit struct {
	Row     int               `json:"row"`
	Subject Subject           `json:"subject"`
	Values  map[string]string `json:"-"`
	Members []ImportUnit      `json:"members,omitempty"`
}

// Register is a read register: what would be written, and every mistake found.
type Register struct {
	Units    []ImportUnit `json:"-"`
	Rows     int          `json:"rows"`     // non-blank data rows
	Subjects int          `json:"subjects"` // households, persons or organisations
	People   int          `json:"people"`   // persons, members included
	Errors   []RowError   `json:"errors"`
}

// MaxRowErrors is how many mistakes a register's report lists; past it the file is
// certainly not the one meant, and the first thousand are enough to see why.
const MaxRowErrors = 1000

// ReadRegister checks a whole register (header and rows, as cells) against the group's
// schema. regionOK tells whether a code is a known region. Nothing is written by it;
// the caller writes the units only when Errors is empty (all or nothing per file).
func ReadRegister(g *Group, table [][]string, day string, regionOK func(string) bool) Register {
	r := &registerReader{g: g, day: day, regionOK: regionOK, reg: Register{Errors: []RowError{}}, nameCol: "姓名",
		households: map[string]int{}, refs: map[string]int{}, ids: map[string]int{}}
	if g.Kind == KindOrg {
		r.nameCol = "名称"
	}
	if len(table) == 0 {
		r.fail(1, "", "the file is empty; the first row must be the header %s", strings.Join(RegisterHeader(g), ","))
		return r.reg
	}
	r.readHeader(table[0])
	if len(r.reg.Errors) > 0 {
		return r.reg
	}
	for n, rec := range table[1:] {
		if !blank(rec) {
			r.readRow(n+2, rec)
		}
	}
	if g.Kind == KindHousehold {
		r.checkHouseholds()
	}
	if r.reg.Rows == 0 && len(r.reg.Errors) == 0 {
		r.fail(2, "", "the register has no rows")
	}
	r.count()
	return r.reg
}

// registerReader is one reading of a register: where each column is, and what the rows
// read so far hold, to find what a later row repeats or contradicts.
type registerReader struct {
	g          *Group
	day        string
	regionOK   func(string) bool
	reg        Register
	col        map[string]int // fixed column or field key → index in a row
	nameCol    string
	households map[string]int // 户编号 → index in reg.Units
	refs       map[string]int // 编号 → first row
	ids        map[string]int // ID number → first row
}

func (r *registerReader) fail(row int, col, format string, args ...any) {
	if len(r.reg.Errors) < MaxRowErrors {
		r.reg.Errors = append(r.reg.Errors, RowError{Row: row, Column: col, Message: fmt.Sprintf(format, args...)})
	}
}

// readHeader places the columns, named by fixed column or field label, and finds the
// unknown, repeated and missing ones.
func (r *registerReader) readHeader(header []string) {
	fixed := RegisterColumns(r.g)
	r.col = map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			continue
		}
		name := h
		if f, ok := r.g.Field(h); ok {
			name = f.Key
		} else if !containsStr(fixed, h) {
			r.fail(1, h, "unknown column %q", h)
			continue
		}
		if _, dup := r.col[name]; dup {
			r.fail(1, h, "column %q appears twice", h)
		}
		r.col[name] = i
	}
	for _, c := range fixed {
		if c == "编号" {
			continue
		}
		if _, ok := r.col[c]; !ok {
			r.fail(1, c, "missing column %q", c)
		}
	}
	for _, f := range r.g.Fields {
		if _, ok := r.col[f.Key]; !ok && f.Required {
			r.fail(1, f.Label, "missing column %q (required field)", f.Label)
		}
	}
}

// cell is a row's trimmed cell of a column, "" when the column or the cell is absent.
func (r *registerReader) cell(rec []string, name string) string {
	i, ok := r.col[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// readRow reads one non-blank row: a household's member in a household register, a
// unit of its own otherwise.
func (r *registerReader) readRow(row int, rec []string) {
	g := r.g
	r.reg.Rows++
	s := Subject{GroupID: g.ID, Kind: g.Kind, Name: r.cell(rec, r.nameCol), Region: r.cell(rec, "区划"), From: r.day}
	if s.Name == "" {
		r.fail(row, r.nameCol, "%s is required", r.nameCol)
	}
	if _, err := LevelOf(s.Region); err != nil || !r.regionOK(s.Region) {
		r.fail(row, "区划", "unknown region %q", s.Region)
	} else if !Within(s.Region, g.Region) {
		r.fail(row, "区划", "region %s lies outside the group's region %s", s.Region, g.Region)
	}
	values, hhValues := r.readValues(row, rec)
	if g.Kind != KindHousehold {
		s.Ref = r.cell(rec, "编号")
		if s.Ref != "" {
			if first, dup := r.refs[s.Ref]; dup {
				r.fail(row, "编号", "number %q already on row %d", s.Ref, first)
			}
			r.refs[s.Ref] = row
		}
		r.reg.Units = append(r.reg.Units, ImportUnit{Row: row, Subject: s, Values: values})
		return
	}
	s.Kind, s.Relation = KindPerson, r.cell(rec, "与户主关系")
	r.joinHousehold(row, r.cell(rec, "户编号"), s, values, hhValues)
}

// readValues normalises a row's fields: the row's own, and in a household register the
// household's, which are not required on every row. An ID number may stand on one row
// only.
func (r *registerReader) readValues(row int, rec []string) (values, hhValues map[string]string) {
	values, hhValues = map[string]string{}, map[string]string{}
	for _, f := range r.g.Fields {
		raw := r.cell(rec, f.Key)
		if r.g.Kind == KindHousehold && f.On == KindHousehold {
			ff := f
			ff.Required = false // household attributes may be given on any one of its rows
			v, err := ff.Normalize(raw)
			if err != nil {
				r.fail(row, f.Label, "%s", ErrorMessage(err))
			} else if v != "" {
				hhValues[f.Key] = v
			}
			continue
		}
		v, err := f.Normalize(raw)
		if err != nil {
			r.fail(row, f.Label, "%s", ErrorMessage(err))
		} else if v != "" {
			values[f.Key] = v
		}
		if f.Type == FieldIDNumber && v != "" {
			if first, dup := r.ids[v]; dup {
				r.fail(row, f.Label, "the same ID number is on row %d", first)
			} else {
				r.ids[v] = row
			}
		}
	}
	return values, hhValues
}

// joinHousehold adds member s to the household of 户编号 ref, made at its first row;
// the head names it, and its members agree on its region and attributes.
func (r *registerReader) joinHousehold(row int, ref string, s Subject, values, hhValues map[string]string) {
	if ref == "" {
		r.fail(row, "户编号", "户编号 is required: it joins a household's members")
		return
	}
	i, seen := r.households[ref]
	if !seen {
		i = len(r.reg.Units)
		r.households[ref] = i
		r.reg.Units = append(r.reg.Units, ImportUnit{Row: row, Values: map[string]string{},
			Subject: Subject{GroupID: r.g.ID, Kind: KindHousehold, Ref: ref, Region: s.Region, From: r.day}})
	}
	hh := &r.reg.Units[i]
	if s.Relation == "户主" || hh.Subject.Name == "" {
		hh.Subject.Name = s.Name
	}
	if seen && s.Region != hh.Subject.Region {
		r.fail(row, "区划", "household %s is in region %s on row %d", ref, hh.Subject.Region, hh.Row)
	}
	for k, v := range hhValues {
		if old, ok := hh.Values[k]; ok && old != v {
			f, _ := r.g.Field(k)
			r.fail(row, f.Label, "household %s already has %s %q", ref, f.Label, old)
		}
		hh.Values[k] = v
	}
	// kept even with mistakes, so the check against the stored register sees it too;
	// nothing is written while any mistake stands
	hh.Members = append(hh.Members, ImportUnit{Row: row, Subject: s, Values: values})
}

// checkHouseholds finds required household attributes given on none of its rows.
func (r *registerReader) checkHouseholds() {
	for _, u := range r.reg.Units {
		for _, f := range r.g.FieldsOn(KindHousehold) {
			if _, ok := u.Values[f.Key]; f.Required && !ok {
				r.fail(u.Row, f.Label, "household %s: %s is required", u.Subject.Ref, f.Label)
			}
		}
	}
}

// count sets how many subjects and persons the register holds.
func (r *registerReader) count() {
	r.reg.Subjects = len(r.reg.Units)
	for _, u := range r.reg.Units {
		if r.g.Kind == KindHousehold {
			r.reg.People += len(u.Members)
		} else if r.g.Kind == KindPerson {
			r.reg.People++
		}
	}
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Reveal is one audited sight of personal data in clear.
type Reveal struct {
	ID       int64    `json:"id"`
	Action   string   `json:"action"` // subject.reveal, register.export or subject.search
	UserID   int64    `json:"user_id"`
	Login    string   `json:"login"`
	GroupID  int64    `json:"group_id"`
	Subject  int64    `json:"subject,omitempty"` // 0 for an export of many
	Fields   []string `json:"fields"`
	Purpose  string   `json:"purpose"`
	Subjects int      `json:"subjects"`
	At       int64    `json:"at"`
}
