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
	Aid         []Aid     // entries with Day <= AsOf (and on or after From when a period is asked)
	Flags       []RiskFlag
	Assignments []Assignment
	// Among restricts the field counts to subjects whose field Among[0] holds Among[1]
	// on the day, e.g. {"work_intent", "是"}: the employed among those who want work.
	Among []string
}

// Count is how many subjects hold one value of a field, and their share of the total.
type Count struct {
	Value string  `json:"value"`
	N     int     `json:"n"`
	Rate  float64 `json:"rate"` // percent, one decimal
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

// Rate is n of total in percent with one decimal, 0 when total is 0.
func Rate(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64((n*1000+total/2)/total) / 10
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
	// the register on the day
	active := map[int64]Subject{}
	for _, s := range in.Subjects {
		if s.InRegister(in.AsOf) && Within(s.Region, in.Region) {
			active[s.ID] = s
		}
	}
	for id, s := range active { // a member counts only while its household does
		if s.Household != 0 {
			if _, ok := active[s.Household]; !ok {
				delete(active, id)
			}
		}
	}
	// each attribute's version of the day
	type key struct {
		s int64
		f string
	}
	latest := map[key]Value{}
	for _, v := range in.Values {
		if v.From > in.AsOf {
			continue
		}
		k := key{v.Subject, v.Field}
		if old, ok := latest[k]; !ok || v.From > old.From {
			latest[k] = v
		}
	}
	valueOf := func(s int64, f string) string { return latest[key{s, f}].Value }
	among := func(s Subject) bool {
		if len(in.Among) != 2 {
			return true
		}
		f, ok := g.Field(in.Among[0])
		if !ok {
			return false
		}
		owner := s.ID
		if f.On == KindHousehold && s.Kind == KindPerson {
			owner = s.Household
		} else if f.On == KindPerson && s.Kind == KindHousehold {
			return false
		}
		return valueOf(owner, f.Key) == in.Among[1]
	}
	lines := map[string]*RegionLine{}
	line := func(region string) *RegionLine {
		code := childOf(in.Region, region)
		if lines[code] == nil {
			lines[code] = &RegionLine{Region: code}
		}
		return lines[code]
	}
	top := g.Kind
	for _, s := range active {
		switch s.Kind {
		case KindHousehold:
			st.Households++
			line(s.Region).Households++
		case KindPerson:
			st.Persons++
			line(s.Region).Persons++
		case KindOrg:
			st.Orgs++
		}
		if s.Kind == top {
			st.Subjects++
			line(s.Region).Subjects++
		}
	}
	// helpers on the day
	helperOf := map[int64]int64{}
	for _, a := range in.Assignments {
		if a.ActiveOn(in.AsOf) {
			if _, ok := active[a.Subject]; ok {
				helperOf[a.Subject] = a.UserID
			}
		}
	}
	helpers := map[int64]bool{}
	for _, s := range active {
		if s.Kind != top {
			continue
		}
		if h, ok := helperOf[s.ID]; ok {
			st.Helped++
			helpers[h] = true
		} else {
			st.Unhelped++
			line(s.Region).Unhelped++
		}
	}
	st.Helpers = len(helpers)
	// counted fields
	for _, f := range g.Fields {
		fs := FieldStats{Key: f.Key, Label: f.Label, On: string(f.On)}
		counts := map[string]int{}
		var sum int64
		var fsum float64
		for _, s := range active {
			if s.Kind != f.On || !among(s) {
				continue
			}
			fs.Total++
			v := valueOf(s.ID, f.Key)
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
			for _, o := range f.Options {
				fs.Counts = append(fs.Counts, Count{Value: o, N: counts[o], Rate: Rate(counts[o], fs.Total)})
			}
		case FieldBool:
			for _, o := range []string{Yes, No} {
				fs.Counts = append(fs.Counts, Count{Value: o, N: counts[o], Rate: Rate(counts[o], fs.Total)})
			}
		case FieldMoney:
			fs.Sum = FormatYuan(sum)
		case FieldNumber:
			fs.Sum = strconv.FormatFloat(fsum, 'f', -1, 64)
		default:
			continue // text, dates and personal data are not counted
		}
		st.Fields = append(st.Fields, fs)
	}
	// aid given by the day to subjects in the area
	var aid []Aid
	for _, a := range in.Aid {
		if a.Day > in.AsOf || !Within(a.Region, in.Region) {
			continue
		}
		aid = append(aid, a)
		l := line(a.Region)
		l.AidFen += a.AmountFen
	}
	st.Aid, st.AidTotal = SumAid(aid)
	if st.Aid == nil {
		st.Aid = []AidTotal{}
	}
	// risks open on the day
	open := map[RiskKind]int{}
	for _, f := range in.Flags {
		s, ok := active[f.Subject]
		if ok && f.OpenOn(in.AsOf) {
			open[f.Kind]++
			st.OpenRisks++
			line(s.Region).OpenRisks++
		}
	}
	for _, k := range RiskKinds {
		st.Risks = append(st.Risks, RiskCount{Kind: k, Open: open[k]})
	}
	st.ByRegion = []RegionLine{}
	for _, l := range lines {
		l.AidAmount = FormatYuan(l.AidFen)
		st.ByRegion = append(st.ByRegion, *l)
	}
	sort.Slice(st.ByRegion, func(i, j int) bool { return st.ByRegion[i].Region < st.ByRegion[j].Region })
	return st
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
