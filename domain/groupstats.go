package domain

import (
	"sort"
	"strconv"
	"strings"
)

// StatsInput is everything a group's statistics as of a day are computed from: the
// subjects in the area, every attribute version that had begun by the day, the ledger,
// the risk flags and the helper assignments. The store reads it; the rules are here.
type StatsInput struct {
	Group       *Group
	AsOf        string
	Region      string
	Subjects    []Subject // households, members, persons or organisations, without values
	Values      []Value   // versions with From <= AsOf, any order
	Aid         []Aid     // entries with Day <= AsOf (and on or after AidFrom when a period is asked)
	AidFrom     string    // the first day of aid counted; "" the beginning of the ledger
	AidKinds    []AidKind // kinds totalled together in AidSelected; nil when none are chosen
	Flags       []RiskFlag
	Assignments []Assignment
	// Among restricts the field counts to subjects whose field Among[0] holds Among[1]
	// on the day, e.g. {"work_intent", "是"}: the employed among those who want work.
	Among []string
}

// Count is how many subjects hold one value of a field, and their share of the total.
type Count struct {
	Value string   `json:"value"`
	N     int      `json:"n"`
	Rate  *float64 `json:"rate"` // N / the field's total, a Ratio; null when the total is 0
}

// FieldStats counts one counted field (choice, multi-choice, yes/no) over the subjects
// of its level; Unset is how many had no value. Money and number fields are summed.
type FieldStats struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	On     string  `json:"on"`
	Total  int     `json:"total"`
	Counts []Count `json:"counts,omitempty"`
	Unset  int     `json:"unset"`
	Sum    string  `json:"sum,omitempty"` // money in yuan, numbers as written
}

// RiskCount is how many flags of a kind were open on the day.
type RiskCount struct {
	Kind RiskKind `json:"kind"`
	Open int      `json:"open"`
}

// GroupStats are a group's figures in a region as of a day.
type GroupStats struct {
	GroupID    int64  `json:"group_id"`
	Group      string `json:"group"`
	AsOf       string `json:"as_of"`
	Region     string `json:"region"`
	Among      string `json:"among,omitempty"`
	Households int    `json:"households"`
	Persons    int    `json:"persons"`
	Orgs       int    `json:"orgs"`
	// Subjects are the visited, helped units: households, persons or organisations.
	Subjects  int          `json:"subjects"`
	Helped    int          `json:"helped"`
	Unhelped  int          `json:"unhelped"`
	Helpers   int          `json:"helpers"`
	Fields    []FieldStats `json:"fields"`
	Aid       []AidTotal   `json:"aid"`
	AidTotal  AidTotal     `json:"aid_total"`
	Risks     []RiskCount  `json:"risks"`
	OpenRisks int          `json:"open_risks"`
	ByRegion  []RegionLine `json:"by_region"`
	// AidFrom is the first day of the aid counted ("" the whole ledger to AsOf), and
	// AidSelected the kinds chosen in StatsInput.AidKinds totalled as one line, each
	// household and person once across them; absent when no kinds were chosen.
	AidFrom     string    `json:"aid_from,omitempty"`
	AidSelected *AidTotal `json:"aid_selected,omitempty"`
}

// RegionLine is a child region's share of the figures.
type RegionLine struct {
	Region     string `json:"region"`
	Subjects   int    `json:"subjects"`
	Persons    int    `json:"persons"`
	Unhelped   int    `json:"unhelped"`
	OpenRisks  int    `json:"open_risks"`
	AidFen     int64  `json:"aid_fen"`
	AidAmount  string `json:"aid_amount"`
	Households int    `json:"households"`
}

// ComputeGroupStats computes a group's statistics as of in.AsOf. Every count is of
// distinct subjects in the register on that day, with each attribute at its version of
// that day; aid counts each household and person once.
func ComputeGroupStats(in StatsInput) GroupStats {
	g := in.Group
	st := GroupStats{GroupID: g.ID, Group: g.Name, AsOf: in.AsOf, Region: in.Region, Fields: []FieldStats{}, Risks: []RiskCount{}}
	if len(in.Among) == 2 {
		st.Among = in.Among[0] + "=" + in.Among[1]
	}
	d := &statsDay{in: in, active: registerOn(in), versions: versionsOn(in.Values, in.AsOf), lines: map[string]*RegionLine{}}
	d.countSubjects(&st)
	d.countHelped(&st)
	for _, f := range g.Fields {
		if fs, ok := d.fieldStats(f); ok {
			st.Fields = append(st.Fields, fs)
		}
	}
	d.sumAid(&st)
	d.countRisks(&st)
	st.ByRegion = d.byRegion()
	return st
}

// statsDay is one computation of a group's statistics: the register and the attribute
// versions of the day, and the child regions' lines as they fill.
type statsDay struct {
	in       StatsInput
	active   map[int64]Subject
	versions map[valueKey]Value
	lines    map[string]*RegionLine
}

// valueKey names one attribute of one subject.
type valueKey struct {
	subject int64
	field   string
}

// registerOn gives the subjects in the register on the day within the region; a member
// counts only while its household does.
func registerOn(in StatsInput) map[int64]Subject {
	active := map[int64]Subject{}
	for _, s := range in.Subjects {
		if s.InRegister(in.AsOf) && Within(s.Region, in.Region) {
			active[s.ID] = s
		}
	}
	for id, s := range active {
		if s.Household != 0 {
			if _, ok := active[s.Household]; !ok {
				delete(active, id)
			}
		}
	}
	return active
}

// versionsOn gives each attribute's version of the day: the latest begun by then.
func versionsOn(values []Value, day string) map[valueKey]Value {
	latest := map[valueKey]Value{}
	for _, v := range values {
		if v.From > day {
			continue
		}
		k := valueKey{v.Subject, v.Field}
		if old, ok := latest[k]; !ok || v.From > old.From {
			latest[k] = v
		}
	}
	return latest
}

func (d *statsDay) valueOf(s int64, f string) string { return d.versions[valueKey{s, f}].Value }

// among tells whether s is counted under in.Among: a household field is read on a
// member's household; a person field never holds for a household.
func (d *statsDay) among(s Subject) bool {
	if len(d.in.Among) != 2 {
		return true
	}
	f, ok := d.in.Group.Field(d.in.Among[0])
	if !ok {
		return false
	}
	owner := s.ID
	if f.On == KindHousehold && s.Kind == KindPerson {
		owner = s.Household
	} else if f.On == KindPerson && s.Kind == KindHousehold {
		return false
	}
	return d.valueOf(owner, f.Key) == d.in.Among[1]
}

// line is the line of the child region on the way to region, made on first use.
func (d *statsDay) line(region string) *RegionLine {
	code := childOf(d.in.Region, region)
	if d.lines[code] == nil {
		d.lines[code] = &RegionLine{Region: code}
	}
	return d.lines[code]
}

// countSubjects counts households, persons and organisations, and the subjects of the
// group's own kind.
func (d *statsDay) countSubjects(st *GroupStats) {
	for _, s := range d.active {
		switch s.Kind {
		case KindHousehold:
			st.Households++
			d.line(s.Region).Households++
		case KindPerson:
			st.Persons++
			d.line(s.Region).Persons++
		case KindOrg:
			st.Orgs++
		}
		if s.Kind == d.in.Group.Kind {
			st.Subjects++
			d.line(s.Region).Subjects++
		}
	}
}

// countHelped counts the group's subjects with a helper on the day, those without, and
// the distinct helpers.
func (d *statsDay) countHelped(st *GroupStats) {
	helperOf := map[int64]int64{}
	for _, a := range d.in.Assignments {
		if a.ActiveOn(d.in.AsOf) {
			if _, ok := d.active[a.Subject]; ok {
				helperOf[a.Subject] = a.UserID
			}
		}
	}
	helpers := map[int64]bool{}
	for _, s := range d.active {
		if s.Kind != d.in.Group.Kind {
			continue
		}
		if h, ok := helperOf[s.ID]; ok {
			st.Helped++
			helpers[h] = true
		} else {
			st.Unhelped++
			d.line(s.Region).Unhelped++
		}
	}
	st.Helpers = len(helpers)
}

// fieldStats counts a choice, multi-choice or yes/no field, or sums a money or number
// field, over the subjects of its level; ok is false for the fields that are neither
// (text, dates and personal data).
func (d *statsDay) fieldStats(f Field) (fs FieldStats, ok bool) {
	fs = FieldStats{Key: f.Key, Label: f.Label, On: string(f.On)}
	counts := map[string]int{}
	var sum int64
	var fsum float64
	for _, s := range d.active {
		if s.Kind != f.On || !d.among(s) {
			continue
		}
		fs.Total++
		v := d.valueOf(s.ID, f.Key)
		if v == "" {
			fs.Unset++
			continue
		}
		switch f.Type {
		case FieldMulti:
			for _, part := range strings.Split(v, ";") {
				counts[part]++
			}
		case FieldMoney:
			n, _ := strconv.ParseInt(v, 10, 64)
			sum += n
		case FieldNumber:
			n, _ := strconv.ParseFloat(v, 64)
			fsum += n
		default:
			counts[v]++
		}
	}
	switch f.Type {
	case FieldChoice, FieldMulti:
		fs.Counts = countsOf(f.Options, counts, fs.Total)
	case FieldBool:
		fs.Counts = countsOf([]string{Yes, No}, counts, fs.Total)
	case FieldMoney:
		fs.Sum = FormatYuan(sum)
	case FieldNumber:
		fs.Sum = strconv.FormatFloat(fsum, 'f', -1, 64)
	default:
		return fs, false
	}
	return fs, true
}

// countsOf lists each option's count and share of total, in the options' order.
func countsOf(options []string, counts map[string]int, total int) []Count {
	var out []Count
	for _, o := range options {
		out = append(out, Count{Value: o, N: counts[o], Rate: Ratio(counts[o], total)})
	}
	return out
}

// sumAid sums the aid given over the period to subjects in the area, by kind, overall
// and over the chosen kinds together.
func (d *statsDay) sumAid(st *GroupStats) {
	period := AidSelection{From: d.in.AidFrom, To: d.in.AsOf}
	var aid []Aid
	for _, a := range d.in.Aid {
		if !period.Holds(a) || !Within(a.Region, d.in.Region) {
			continue
		}
		aid = append(aid, a)
		if !a.Unvalued {
			d.line(a.Region).AidFen += a.AmountFen
		}
	}
	st.Aid, st.AidTotal = SumAid(aid)
	if st.Aid == nil {
		st.Aid = []AidTotal{}
	}
	st.AidFrom = d.in.AidFrom
	if len(d.in.AidKinds) > 0 {
		sel := SumAidOver(aid, AidSelection{Kinds: d.in.AidKinds})
		st.AidSelected = &sel
	}
}

// countRisks counts the flags of subjects in the register that were open on the day.
func (d *statsDay) countRisks(st *GroupStats) {
	open := map[RiskKind]int{}
	for _, f := range d.in.Flags {
		s, ok := d.active[f.Subject]
		if ok && f.OpenOn(d.in.AsOf) {
			open[f.Kind]++
			st.OpenRisks++
			d.line(s.Region).OpenRisks++
		}
	}
	for _, k := range RiskKinds {
		st.Risks = append(st.Risks, RiskCount{Kind: k, Open: open[k]})
	}
}

// byRegion gives the child regions' lines in code order.
func (d *statsDay) byRegion() []RegionLine {
	out := []RegionLine{}
	for _, l := range d.lines {
		l.AidAmount = FormatYuan(l.AidFen)
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Region < out[j].Region })
	return out
}

// childOf gives the code of root's child on the way to code (code itself when it is
// one level below root or at root).
func childOf(root, code string) string {
	n := ChildCodeLength(root)
	if n == 0 || len(code) <= n {
		return code
	}
	return code[:n]
}
