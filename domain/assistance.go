package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// AidKind is a kind of assistance in the ledger (帮扶救助台账).
type AidKind string

const (
	AidSubsistence AidKind = "subsistence"      // 最低生活保障
	AidTemporary   AidKind = "temporary_relief" // 临时救助
	AidHousing     AidKind = "housing_subsidy"  // 住房保障
	AidRent        AidKind = "rent_subsidy"     // 住房租赁补贴
	AidTraining    AidKind = "training"         // 技能培训
	AidJob         AidKind = "job_placement"    // 就业安置
	AidMedical     AidKind = "medical"          // 医疗救助
)

// AidKinds lists the kinds in a stable order.
var AidKinds = []AidKind{AidSubsistence, AidTemporary, AidHousing, AidRent, AidTraining, AidJob, AidMedical}

// AidLabels are the kinds' Chinese names, for registers and briefings.
var AidLabels = map[AidKind]string{AidSubsistence: "最低生活保障", AidTemporary: "临时救助", AidHousing: "住房保障",
	AidRent: "住房租赁补贴", AidTraining: "技能培训", AidJob: "就业安置", AidMedical: "医疗救助"}

// AidForm is how aid was given: money, or goods and services in kind (实物).
type AidForm string

const (
	AidCash   AidForm = "cash"    // 资金
	AidInKind AidForm = "in_kind" // 实物或服务：落实基本住房、发放米油……
)

// Aid is one entry of the ledger: what was given to a household or a person, when, and
// which org approved it. Household and Person are derived from the subject: aid to a
// member counts for the member and their household; aid to a household counts for the
// household alone. Amounts are integer fen. Aid in kind says what was given (Item) and
// has a value in yuan only where someone knows it: without one it is Unvalued, and its
// amount is answered as null, never as a known 0 yuan.
type Aid struct {
	ID        int64     `json:"id"`
	GroupID   int64     `json:"group_id"`
	Subject   int64     `json:"subject"`
	Household int64     `json:"household,omitempty"`
	Person    int64     `json:"person,omitempty"`
	Region    string    `json:"region"`
	Kind      AidKind   `json:"kind"`
	Form      AidForm   `json:"form"`
	Item      string    `json:"item,omitempty"` // what was given (发放米油); required in kind
	AmountFen int64     `json:"amount_fen"`
	Amount    string    `json:"amount"` // yuan, two decimals; what people type and read
	Unvalued  bool      `json:"-"`      // in kind without a value: AmountFen means nothing
	Day       string    `json:"day"`
	Org       string    `json:"org"` // approving org (审批单位)
	Note      string    `json:"note,omitempty"`
	CreatedBy int64     `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// MarshalJSON answers an unvalued entry's amount_fen and amount as null.
func (a Aid) MarshalJSON() ([]byte, error) {
	type plain Aid // without this method
	out := struct {
		plain
		AmountFen *int64  `json:"amount_fen"`
		Amount    *string `json:"amount"`
	}{plain: plain(a)}
	if !a.Unvalued {
		out.AmountFen, out.Amount = &a.AmountFen, &a.Amount
	}
	return json.Marshal(out)
}

// Validate checks an aid entry's own fields, reading Amount (yuan) into AmountFen.
// Cash needs an amount, except training and job placement, which may be given without
// one (0 yuan paid to the person); aid in kind needs its item, its value is optional.
func (a *Aid) Validate() error {
	if err := checkAidKind(a.Kind); err != nil {
		return err
	}
	if a.Form == "" {
		a.Form = AidCash
	}
	if a.Form != AidCash && a.Form != AidInKind {
		return Errorf(EINVALID, "aid form is cash or in_kind, not %q", a.Form)
	}
	given, err := a.readAmount()
	if err != nil {
		return err
	}
	a.Item = strings.TrimSpace(a.Item)
	switch {
	case len([]rune(a.Item)) > 200:
		return Errorf(EINVALID, "item longer than 200 characters")
	case a.Form == AidInKind && a.Item == "":
		return Errorf(EINVALID, "aid in kind needs its item: what was given (e.g. 落实基本住房)")
	case a.Form == AidInKind && given && a.AmountFen == 0:
		return Errorf(EINVALID, "the value of aid in kind is above 0 yuan, or left out when it is not known")
	case a.Form == AidCash && a.AmountFen == 0 && a.Kind != AidTraining && a.Kind != AidJob:
		return Errorf(EINVALID, "%s needs an amount (or form in_kind with its item)", a.Kind)
	}
	a.Unvalued = a.Form == AidInKind && !given
	a.Amount = FormatYuan(a.AmountFen)
	if a.Unvalued {
		a.Amount = ""
	}
	day, err := ParseDay(a.Day)
	if err != nil {
		return Errorf(EINVALID, "aid day must be YYYY-MM-DD")
	}
	a.Day = day
	a.Org, a.Note = strings.TrimSpace(a.Org), strings.TrimSpace(a.Note)
	if a.Org == "" {
		return Errorf(EINVALID, "aid needs its approving org")
	}
	if len([]rune(a.Note)) > 1000 {
		return Errorf(EINVALID, "note longer than 1000 characters")
	}
	if a.Subject == 0 {
		return Errorf(EINVALID, "aid needs a subject")
	}
	return nil
}

// readAmount reads Amount (yuan) into AmountFen and tells whether an amount was given.
func (a *Aid) readAmount() (given bool, err error) {
	if a.Amount != "" {
		fen, err := ParseYuan(a.Amount)
		if err != nil {
			return false, err
		}
		if a.AmountFen != 0 && a.AmountFen != fen {
			return false, Errorf(EINVALID, "amount and amount_fen disagree")
		}
		a.AmountFen = fen
	}
	if a.AmountFen < 0 || a.AmountFen > 1e11 {
		return false, Errorf(EINVALID, "amount out of range")
	}
	return a.Amount != "" || a.AmountFen != 0, nil
}

func checkAidKind(k AidKind) error {
	if !slices.Contains(AidKinds, k) {
		return Errorf(EINVALID, "unknown aid kind %q (the kinds: %s)", k, joinKinds(AidKinds, ", ", func(k AidKind) string { return string(k) }))
	}
	return nil
}

// joinKinds writes kinds with sep, each as name gives it.
func joinKinds(kinds []AidKind, sep string, name func(AidKind) string) string {
	var out []string
	for _, k := range kinds {
		out = append(out, name(k))
	}
	return strings.Join(out, sep)
}

// ParseAidKinds reads a chosen set of kinds as sent (aid_kinds=temporary_relief,medical,
// or the parameter repeated), in the kinds' order and each once; an unknown kind is
// refused by name. None chosen is nil.
func ParseAidKinds(values ...string) ([]AidKind, error) {
	chosen := map[AidKind]bool{}
	for _, v := range values {
		for _, part := range multiSep.Split(v, -1) {
			if k := AidKind(strings.TrimSpace(part)); k != "" {
				if err := checkAidKind(k); err != nil {
					return nil, err
				}
				chosen[k] = true
			}
		}
	}
	var out []AidKind
	for _, k := range AidKinds {
		if chosen[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// AidTotal sums ledger entries: records, yuan, and how many distinct households and
// persons they reached, each counted once however many entries they had. Amount sums
// only the entries with a value: InKindRecords says how many were given in kind, and
// UnvaluedRecords how many of those have no value, so are not in the amount.
type AidTotal struct {
	Kind            AidKind   `json:"kind,omitempty"`
	Kinds           []AidKind `json:"kinds,omitempty"` // a total over a chosen set of kinds
	Label           string    `json:"label,omitempty"`
	Records         int       `json:"records"`
	AmountFen       int64     `json:"amount_fen"`
	Amount          string    `json:"amount"`
	Households      int       `json:"households"`
	Persons         int       `json:"persons"`
	InKindRecords   int       `json:"in_kind_records"`
	UnvaluedRecords int       `json:"unvalued_records"`
}

// aidSum accumulates one line of totals with the households and persons it has seen.
type aidSum struct {
	t   AidTotal
	hh  map[int64]bool
	per map[int64]bool
}

func newAidSum(t AidTotal) *aidSum {
	return &aidSum{t: t, hh: map[int64]bool{}, per: map[int64]bool{}}
}

func (s *aidSum) add(e Aid) {
	s.t.Records++
	if e.Form == AidInKind {
		s.t.InKindRecords++
	}
	if e.Unvalued {
		s.t.UnvaluedRecords++
	} else {
		s.t.AmountFen += e.AmountFen
	}
	if e.Household != 0 {
		s.hh[e.Household] = true
	}
	if e.Person != 0 {
		s.per[e.Person] = true
	}
}

func (s *aidSum) total() AidTotal {
	s.t.Households, s.t.Persons, s.t.Amount = len(s.hh), len(s.per), FormatYuan(s.t.AmountFen)
	return s.t
}

// SumAid totals entries by kind and overall, counting each household and person once
// per line.
func SumAid(entries []Aid) (byKind []AidTotal, total AidTotal) {
	all := newAidSum(AidTotal{})
	kinds := map[AidKind]*aidSum{}
	for _, e := range entries {
		if kinds[e.Kind] == nil {
			kinds[e.Kind] = newAidSum(AidTotal{Kind: e.Kind, Label: AidLabels[e.Kind]})
		}
		kinds[e.Kind].add(e)
		all.add(e)
	}
	for _, k := range AidKinds {
		if s := kinds[k]; s != nil {
			byKind = append(byKind, s.total())
		}
	}
	return byKind, all.total()
}

// AidSelection picks the ledger entries of one total: some kinds (none: every kind)
// given over a period of days, both ends inclusive ("" leaves an end open).
type AidSelection struct {
	Kinds    []AidKind
	From, To string
}

// Holds tells whether the selection takes a.
func (s AidSelection) Holds(a Aid) bool {
	return (len(s.Kinds) == 0 || slices.Contains(s.Kinds, a.Kind)) && (s.From == "" || a.Day >= s.From) && (s.To == "" || a.Day <= s.To)
}

// SumAidOver totals the entries sel holds as one line, "救助 N户M人 X元" over several
// kinds: a household or person helped under two of them counts once.
func SumAidOver(entries []Aid, sel AidSelection) AidTotal {
	s := newAidSum(AidTotal{Kinds: sel.Kinds, Label: joinKinds(sel.Kinds, "、", func(k AidKind) string { return AidLabels[k] })})
	for _, e := range entries {
		if sel.Holds(e) {
			s.add(e)
		}
	}
	return s.total()
}
