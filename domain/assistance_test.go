package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestAidValidateCashAndInKind(t *testing.T) {
	cases := []struct {
		name     string
		aid      Aid
		bad      string // a part of the refusal; "" when accepted
		form     AidForm
		amount   string
		unvalued bool
	}{
		{"cash with an amount", Aid{Kind: AidTemporary, Amount: "2000"}, "", AidCash, "2000.00", false},
		{"housing subsidy without an amount", Aid{Kind: AidHousing}, "housing_subsidy needs an amount", "", "", false},
		{"training without an amount, as before", Aid{Kind: AidTraining}, "", AidCash, "0.00", false},
		{"job placement without an amount, as before", Aid{Kind: AidJob, Form: AidCash}, "", AidCash, "0.00", false},
		{"in kind without a value", Aid{Kind: AidHousing, Form: AidInKind, Item: " 落实基本住房 "}, "", AidInKind, "", true},
		{"in kind with a value", Aid{Kind: AidSubsistence, Form: AidInKind, Item: "发放米油", Amount: "180.5"}, "", AidInKind, "180.50", false},
		{"in kind with a value in fen", Aid{Kind: AidSubsistence, Form: AidInKind, Item: "发放米油", AmountFen: 18050}, "", AidInKind, "180.50", false},
		{"in kind without its item", Aid{Kind: AidHousing, Form: AidInKind, Amount: "100"}, "needs its item", "", "", false},
		{"in kind worth 0 yuan", Aid{Kind: AidHousing, Form: AidInKind, Item: "x", Amount: "0"}, "above 0", "", "", false},
		{"unknown form", Aid{Kind: AidHousing, Form: "voucher", Item: "x"}, `"voucher"`, "", "", false},
		{"unknown kind", Aid{Kind: "cash", Amount: "1"}, `unknown aid kind "cash"`, "", "", false},
		{"item too long", Aid{Kind: AidHousing, Form: AidInKind, Item: strings.Repeat("房", 201)}, "200", "", "", false},
		{"amounts disagree", Aid{Kind: AidMedical, Amount: "1", AmountFen: 200}, "disagree", "", "", false},
	}
	for _, c := range cases {
		a := c.aid
		a.Subject, a.Day, a.Org = 1, "2026-01-05", "LY-MZJ"
		err := a.Validate()
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) || ErrorCode(err) != EINVALID {
				t.Errorf("%s: %v, want a refusal saying %q", c.name, err, c.bad)
			}
			continue
		}
		if err != nil || a.Form != c.form || a.Amount != c.amount || a.Unvalued != c.unvalued {
			t.Errorf("%s: %v %+v, want form %s amount %q unvalued %v", c.name, err, a, c.form, c.amount, c.unvalued)
		}
	}
}

func TestAidJSONHasNoAmountWithoutAValue(t *testing.T) {
	cases := []struct {
		aid  Aid
		want string
	}{
		{Aid{Form: AidInKind, Item: "落实基本住房", Unvalued: true}, `"amount_fen":null,"amount":null`},
		{Aid{Form: AidInKind, Item: "发放米油", AmountFen: 18050, Amount: "180.50"}, `"amount_fen":18050,"amount":"180.50"`},
		{Aid{Form: AidCash, Amount: "0.00"}, `"amount_fen":0,"amount":"0.00"`},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.aid)
		if err != nil || !strings.Contains(string(b), c.want) || strings.Count(string(b), `"amount"`) != 1 || !strings.Contains(string(b), `"form":"`+string(c.aid.Form)+`"`) {
			t.Errorf("%+v: %s %v, want %s once", c.aid, b, err, c.want)
		}
	}
}

func TestParseAidKinds(t *testing.T) {
	cases := []struct {
		in   []string
		want []AidKind
		bad  string
	}{
		{nil, nil, ""},
		{[]string{""}, nil, ""},
		{[]string{"temporary_relief,subsistence, medical"}, []AidKind{AidSubsistence, AidTemporary, AidMedical}, ""},
		{[]string{"medical", "temporary_relief", "medical"}, []AidKind{AidTemporary, AidMedical}, ""},
		{[]string{"temporary_relief,cash"}, nil, `"cash"`},
	}
	for _, c := range cases {
		got, err := ParseAidKinds(c.in...)
		if c.bad != "" {
			if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("%q: %v, want a refusal naming %s", c.in, err, c.bad)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%q = %v %v, want %v", c.in, got, err, c.want)
		}
	}
}

// aidLedger is a small ledger: household 1 with member 11, household 2 with member 21,
// household 3 with member 33, and person 31 with no household.
var aidLedger = []Aid{
	{Kind: AidTemporary, Household: 1, Person: 11, AmountFen: 100000, Day: "2025-03-01", Region: "430101"},
	{Kind: AidSubsistence, Household: 1, Person: 11, AmountFen: 50000, Day: "2025-06-01", Region: "430101"}, // the same person under a second kind
	{Kind: AidMedical, Household: 1, AmountFen: 30000, Day: "2025-07-01", Region: "430101"},                 // the member's household itself
	{Kind: AidMedical, Person: 31, AmountFen: 20000, Day: "2025-08-01", Region: "430102"},                   // a person without household
	{Kind: AidHousing, Form: AidInKind, Item: "落实基本住房", Household: 2, Unvalued: true, Day: "2025-09-01", Region: "430102"},
	{Kind: AidHousing, Form: AidInKind, Item: "危房改造", Household: 3, Person: 33, AmountFen: 800000, Day: "2025-10-01", Region: "430102"},
	{Kind: AidTemporary, Household: 2, Person: 21, AmountFen: 10000, Day: "2026-01-10", Region: "430102"},
}

func TestSumAidOverChosenKinds(t *testing.T) {
	all := []AidKind(nil)
	cases := []struct {
		name   string
		sel    AidSelection
		want   AidTotal // Records, AmountFen, Households, Persons, InKindRecords, UnvaluedRecords
		label  string
		amount string
	}{
		{"one household and person under two kinds counted once", AidSelection{Kinds: []AidKind{AidTemporary, AidSubsistence}},
			AidTotal{Records: 3, AmountFen: 160000, Households: 2, Persons: 2}, "临时救助、最低生活保障", "1600.00"},
		{"a member and their household", AidSelection{Kinds: []AidKind{AidSubsistence, AidMedical}},
			AidTotal{Records: 3, AmountFen: 100000, Households: 1, Persons: 2}, "最低生活保障、医疗救助", "1000.00"},
		{"a person without household counts no household", AidSelection{Kinds: []AidKind{AidMedical}},
			AidTotal{Records: 2, AmountFen: 50000, Households: 1, Persons: 1}, "医疗救助", "500.00"},
		{"in kind with and without a value", AidSelection{Kinds: []AidKind{AidHousing}},
			AidTotal{Records: 2, AmountFen: 800000, Households: 2, Persons: 1, InKindRecords: 2, UnvaluedRecords: 1}, "住房保障", "8000.00"},
		{"in kind and cash together", AidSelection{Kinds: []AidKind{AidTemporary, AidHousing}},
			AidTotal{Records: 4, AmountFen: 910000, Households: 3, Persons: 3, InKindRecords: 2, UnvaluedRecords: 1}, "临时救助、住房保障", "9100.00"},
		{"every kind over a period", AidSelection{Kinds: all, From: "2025-06-01", To: "2025-12-31"},
			AidTotal{Records: 5, AmountFen: 900000, Households: 3, Persons: 3, InKindRecords: 2, UnvaluedRecords: 1}, "", "9000.00"},
		{"both ends of the period are inside", AidSelection{From: "2025-03-01", To: "2025-03-01"},
			AidTotal{Records: 1, AmountFen: 100000, Households: 1, Persons: 1}, "", "1000.00"},
		{"a kind from a day", AidSelection{Kinds: []AidKind{AidTemporary}, From: "2025-03-02"},
			AidTotal{Records: 1, AmountFen: 10000, Households: 1, Persons: 1}, "临时救助", "100.00"},
		{"nothing in the period", AidSelection{Kinds: []AidKind{AidTemporary}, To: "2025-02-28"},
			AidTotal{}, "临时救助", "0.00"},
	}
	for _, c := range cases {
		got := SumAidOver(aidLedger, c.sel)
		w := c.want
		if got.Records != w.Records || got.AmountFen != w.AmountFen || got.Households != w.Households || got.Persons != w.Persons ||
			got.InKindRecords != w.InKindRecords || got.UnvaluedRecords != w.UnvaluedRecords || got.Amount != c.amount || got.Label != c.label ||
			!slices.Equal(got.Kinds, c.sel.Kinds) {
			t.Errorf("%s: %+v, want %+v amount %s label %q", c.name, got, w, c.amount, c.label)
		}
	}
}

func TestSumAidCountsInKindApart(t *testing.T) {
	byKind, total := SumAid(aidLedger)
	if len(byKind) != 4 || byKind[2].Kind != AidHousing || byKind[2].InKindRecords != 2 || byKind[2].UnvaluedRecords != 1 || byKind[2].Amount != "8000.00" {
		t.Errorf("by kind: %+v", byKind)
	}
	if total.Records != 7 || total.AmountFen != 1010000 || total.Households != 3 || total.Persons != 4 || total.InKindRecords != 2 || total.UnvaluedRecords != 1 {
		t.Errorf("total: %+v", total)
	}
}

func TestGroupStatsAidSelectedOverThePeriod(t *testing.T) {
	g := &Group{ID: 1, Name: "退捕渔民", Kind: KindHousehold}
	cases := []struct {
		name     string
		from     string
		asOf     string
		kinds    []AidKind
		total    [3]int // records, households, persons
		amount   string
		selected *[3]int
		selAmt   string
	}{
		{"the whole ledger, no kinds chosen", "", "2026-02-01", nil, [3]int{7, 3, 4}, "10100.00", nil, ""},
		{"as of a day ends the period", "", "2025-08-31", []AidKind{AidTemporary, AidSubsistence, AidMedical}, [3]int{4, 1, 2}, "2000.00", &[3]int{4, 1, 2}, "2000.00"},
		{"aid_from starts it", "2025-06-01", "2026-02-01", []AidKind{AidTemporary, AidSubsistence, AidMedical}, [3]int{6, 3, 4}, "9100.00", &[3]int{4, 2, 3}, "1100.00"},
	}
	for _, c := range cases {
		st := ComputeGroupStats(StatsInput{Group: g, AsOf: c.asOf, Region: "4301", Aid: aidLedger, AidFrom: c.from, AidKinds: c.kinds})
		if got := [3]int{st.AidTotal.Records, st.AidTotal.Households, st.AidTotal.Persons}; got != c.total || st.AidTotal.Amount != c.amount || st.AidFrom != c.from {
			t.Errorf("%s: total %+v from %q, want %v %s", c.name, st.AidTotal, st.AidFrom, c.total, c.amount)
		}
		switch {
		case c.selected == nil && st.AidSelected != nil:
			t.Errorf("%s: selected %+v without kinds chosen", c.name, st.AidSelected)
		case c.selected != nil && (st.AidSelected == nil || [3]int{st.AidSelected.Records, st.AidSelected.Households, st.AidSelected.Persons} != *c.selected || st.AidSelected.Amount != c.selAmt):
			t.Errorf("%s: selected %+v, want %v %s", c.name, st.AidSelected, *c.selected, c.selAmt)
		}
	}
	st := ComputeGroupStats(StatsInput{Group: g, AsOf: "2026-02-01", Region: "4301", Aid: aidLedger})
	if len(st.ByRegion) != 2 || st.ByRegion[0].AidAmount != "1800.00" || st.ByRegion[1].AidAmount != "8300.00" {
		t.Errorf("by region, the unvalued entry adding nothing: %+v", st.ByRegion)
	}
}
