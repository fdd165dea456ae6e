package domain

import (
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

// Aid is one entry of the ledger: what was given to a household or a person, when, and
// which org approved it. Household and Person are derived from the subject: aid to a
// member counts for the member and their household; aid to a household counts for the
// household alone. Amounts are integer fen.
type Aid struct {
	ID        int64     `json:"id"`
	GroupID   int64     `json:"group_id"`
	Subject   int64     `json:"subject"`
	Household int64     `json:"household,omitempty"`
	Person    int64     `json:"person,omitempty"`
	Region    string    `json:"region"`
	Kind      AidKind   `json:"kind"`
	AmountFen int64     `json:"amount_fen"`
	Amount    string    `json:"amount"` // yuan, two decimals; what people type and read
	Day       string    `json:"day"`
	Org       string    `json:"org"` // approving org (审批单位)
	Note      string    `json:"note,omitempty"`
	CreatedBy int64     `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks an aid entry's own fields, reading Amount (yuan) into AmountFen.
func (a *Aid) Validate() error {
	if !slices.Contains(AidKinds, a.Kind) {
		return Errorf(EINVALID, "unknown aid kind %q", a.Kind)
	}
	if a.Amount != "" {
		fen, err := ParseYuan(a.Amount)
		if err != nil {
			return err
		}
		if a.AmountFen != 0 && a.AmountFen != fen {
			return Errorf(EINVALID, "amount and amount_fen disagree")
		}
		a.AmountFen = fen
	}
	if a.AmountFen < 0 || a.AmountFen > 1e11 {
		return Errorf(EINVALID, "amount out of range")
	}
	if a.AmountFen == 0 && a.Kind != AidTraining && a.Kind != AidJob {
		return Errorf(EINVALID, "%s needs an amount", a.Kind)
	}
	a.Amount = FormatYuan(a.AmountFen)
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

// AidTotal sums ledger entries: records, yuan, and how many distinct households and
// persons they reached, each counted once however many entries they had.
type AidTotal struct {
	Kind       AidKind `json:"kind,omitempty"`
	Label      string  `json:"label,omitempty"`
	Records    int     `json:"records"`
	AmountFen  int64   `json:"amount_fen"`
	Amount     string  `json:"amount"`
	Households int     `json:"households"`
	Persons    int     `json:"persons"`
}

// SumAid totals entries by kind and overall, counting each household and person once
// per line.
func SumAid(entries []Aid) (byKind []AidTotal, total AidTotal) {
	type acc struct {
		t   AidTotal
		hh  map[int64]bool
		per map[int64]bool
	}
	newAcc := func(k AidKind) *acc {
		return &acc{t: AidTotal{Kind: k, Label: AidLabels[k]}, hh: map[int64]bool{}, per: map[int64]bool{}}
	}
	add := func(a *acc, e Aid) {
		a.t.Records++
		a.t.AmountFen += e.AmountFen
		if e.Household != 0 {
			a.hh[e.Household] = true
		}
		if e.Person != 0 {
			a.per[e.Person] = true
		}
	}
	all := newAcc("")
	kinds := map[AidKind]*acc{}
	for _, e := range entries {
		if kinds[e.Kind] == nil {
			kinds[e.Kind] = newAcc(e.Kind)
		}
		add(kinds[e.Kind], e)
		add(all, e)
	}
	finish := func(a *acc) AidTotal {
		a.t.Households, a.t.Persons, a.t.Amount = len(a.hh), len(a.per), FormatYuan(a.t.AmountFen)
		return a.t
	}
	for _, k := range AidKinds {
		if a := kinds[k]; a != nil {
			byKind = append(byKind, finish(a))
		}
	}
	return byKind, finish(all)
}
