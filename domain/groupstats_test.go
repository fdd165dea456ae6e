package domain

import "testing"

func TestSumAidCountsEachHouseholdAndPersonOnce(t *testing.T) {
	entries := []Aid{
		{Kind: AidTemporary, Household: 1, Person: 11, AmountFen: 100000},
		{Kind: AidTemporary, Household: 1, Person: 11, AmountFen: 50000}, // same person again
		{Kind: AidTemporary, Household: 1, Person: 12, AmountFen: 20000}, // same household, other person
		{Kind: AidRent, Household: 1, AmountFen: 300000},                 // to the household itself
		{Kind: AidMedical, Household: 2, Person: 21, AmountFen: 7},
		{Kind: AidTraining, Household: 3, Person: 31},
	}
	byKind, total := SumAid(entries)
	want := []AidTotal{
		{Kind: AidTemporary, Records: 3, AmountFen: 170000, Households: 1, Persons: 2},
		{Kind: AidRent, Records: 1, AmountFen: 300000, Households: 1, Persons: 0},
		{Kind: AidTraining, Records: 1, AmountFen: 0, Households: 1, Persons: 1},
		{Kind: AidMedical, Records: 1, AmountFen: 7, Households: 1, Persons: 1},
	}
	if len(byKind) != len(want) {
		t.Fatalf("by kind: %+v", byKind)
	}
	for i, w := range want {
		g := byKind[i]
		if g.Kind != w.Kind || g.Records != w.Records || g.AmountFen != w.AmountFen || g.Households != w.Households || g.Persons != w.Persons {
			t.Errorf("line %d = %+v, want %+v", i, g, w)
		}
	}
	if total.Records != 6 || total.AmountFen != 470007 || total.Amount != "4700.07" || total.Households != 3 || total.Persons != 4 {
		t.Errorf("total = %+v", total)
	}
}

func TestRoundProgressAsOfADay(t *testing.T) {
	visits := []Visit{
		{HelperID: 1, Due: "2026-06-30", Status: VisitDone, Day: "2026-06-01"},
		{HelperID: 1, Due: "2026-06-30", Status: VisitDone, Day: "2026-07-03"},
		{HelperID: 1, Due: "2026-06-30", Status: VisitOpen},
		{HelperID: 2, Due: "2026-06-30", Status: VisitOpen},
	}
	byHelper := func(v Visit) (string, string) { return map[int64]string{1: "a", 2: "b"}[v.HelperID], "" }
	cases := []struct {
		day  string
		want []Progress
	}{
		{"2026-06-15", []Progress{{Key: "a", Tasks: 3, Done: 1, Pending: 2}, {Key: "b", Tasks: 1, Pending: 1}}},
		{"2026-07-10", []Progress{{Key: "a", Tasks: 3, Done: 2, Late: 1, Missing: 1}, {Key: "b", Tasks: 1, Missing: 1}}},
	}
	for _, c := range cases {
		got := RoundProgress(visits, c.day, byHelper)
		if len(got) != len(c.want) {
			t.Fatalf("%s: %+v", c.day, got)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s line %d = %+v, want %+v", c.day, i, got[i], c.want[i])
			}
		}
	}
}

func TestVisitRecordValidate(t *testing.T) {
	g := fishermen()
	g.Validate()
	r := &Round{Starts: "2026-01-01", Due: "2026-06-30"}
	kinds := map[int64]SubjectKind{1: KindHousehold, 2: KindPerson}
	cases := []struct {
		name string
		rec  VisitRecord
		bad  bool
	}{
		{"household field on the household", VisitRecord{Day: "2026-03-01", Answers: []Answer{{Field: "housing", Value: "自有住房"}}}, false},
		{"person field by label on a member", VisitRecord{Day: "2026-03-01", Answers: []Answer{{Subject: 2, Field: "就业方式", Value: "灵活就业"}}, Risks: []RiskKind{RiskIllness}}, false},
		{"person field on the household", VisitRecord{Day: "2026-03-01", Answers: []Answer{{Field: "employment", Value: "灵活就业"}}}, true},
		{"a stranger", VisitRecord{Day: "2026-03-01", Answers: []Answer{{Subject: 9, Field: "employment", Value: "灵活就业"}}}, true},
		{"bad value", VisitRecord{Day: "2026-03-01", Answers: []Answer{{Subject: 2, Field: "employment", Value: "打鱼"}}}, true},
		{"future day", VisitRecord{Day: "2026-03-03"}, true},
		{"before the round", VisitRecord{Day: "2025-12-31"}, true},
		{"unknown risk", VisitRecord{Day: "2026-03-01", Risks: []RiskKind{"debt"}}, true},
	}
	for _, c := range cases {
		v := &Visit{ID: 1, Subject: 1, Status: VisitOpen}
		err := c.rec.Validate(g, r, v, kinds, "2026-03-02")
		if (err != nil) != c.bad {
			t.Errorf("%s: err %v, want bad=%v", c.name, err, c.bad)
		}
	}
	done := &Visit{ID: 1, Subject: 1, Status: VisitDone}
	rec := VisitRecord{Day: "2026-03-01"}
	if err := rec.Validate(g, r, done, kinds, "2026-03-02"); ErrorCode(err) != ECONFLICT {
		t.Errorf("second record of a visit: %v, want conflict", err)
	}
}

func TestComputeGroupStatsAsOf(t *testing.T) {
	g := fishermen()
	g.Validate()
	in := StatsInput{Group: g, Region: "431382001", Subjects: []Subject{
		{ID: 1, Kind: KindHousehold, Region: "431382001205001", From: "2025-01-01"},
		{ID: 11, Kind: KindPerson, Household: 1, Region: "431382001205001", From: "2025-01-01"},
		{ID: 12, Kind: KindPerson, Household: 1, Region: "431382001205001", From: "2025-01-01"},
		{ID: 2, Kind: KindHousehold, Region: "431382001209001", From: "2025-01-01", To: "2025-12-31"}, // left the register
		{ID: 21, Kind: KindPerson, Household: 2, Region: "431382001209001", From: "2025-01-01"},
		{ID: 3, Kind: KindHousehold, Region: "431382001209002", From: "2026-02-01"}, // came later
		{ID: 31, Kind: KindPerson, Household: 3, Region: "431382001209002", From: "2026-02-01"},
	}, Values: []Value{
		{Subject: 11, Field: "insurance", From: "2025-01-01", Value: "未参保"},
		{Subject: 11, Field: "insurance", From: "2025-07-01", Value: "企业社保"},
		{Subject: 12, Field: "insurance", From: "2025-01-01", Value: "城乡居民社保"},
		{Subject: 21, Field: "insurance", From: "2025-01-01", Value: "企业社保"},
		{Subject: 31, Field: "insurance", From: "2026-02-01", Value: "企业社保"},
		{Subject: 11, Field: "work_intent", From: "2025-01-01", Value: Yes},
		{Subject: 12, Field: "work_intent", From: "2025-01-01", Value: No},
		{Subject: 11, Field: "employment", From: "2025-01-01", Value: "灵活就业"},
		{Subject: 1, Field: "income", From: "2025-01-01", Value: "3000000"},
		{Subject: 1, Field: "income", From: "2026-01-01", Value: "3500050"},
	}, Aid: []Aid{
		{Kind: AidTemporary, Household: 1, Person: 11, AmountFen: 200000, Day: "2025-03-01", Region: "431382001205001"},
		{Kind: AidTemporary, Household: 2, Person: 21, AmountFen: 100000, Day: "2025-05-01", Region: "431382001209001"},
		{Kind: AidRent, Household: 3, AmountFen: 500000, Day: "2026-02-10", Region: "431382001209002"},
	}, Flags: []RiskFlag{
		{Subject: 1, Kind: RiskIllness, Raised: "2025-06-01", Cleared: "2025-09-01"},
		{Subject: 3, Kind: RiskHousing, Raised: "2026-02-01"},
	}, Assignments: []Assignment{
		{Subject: 1, UserID: 7, From: "2025-01-01", To: "2025-12-31"},
		{Subject: 1, UserID: 8, From: "2026-01-01"},
		{Subject: 2, UserID: 7, From: "2025-01-01"},
	}}
	count := func(st GroupStats, key, value string) int {
		for _, f := range st.Fields {
			if f.Key == key {
				for _, c := range f.Counts {
					if c.Value == value {
						return c.N
					}
				}
			}
		}
		return -1
	}
	sum := func(st GroupStats, key string) string {
		for _, f := range st.Fields {
			if f.Key == key {
				return f.Sum
			}
		}
		return ""
	}
	// 2025-08-01: households 1 and 2 (3 persons); 11 insured by an enterprise since July
	in.AsOf = "2025-08-01"
	st := ComputeGroupStats(in)
	if st.Households != 2 || st.Persons != 3 || st.Subjects != 2 || st.Helped != 2 || st.Helpers != 1 || st.Unhelped != 0 {
		t.Errorf("2025-08-01 counts: %+v", st)
	}
	if count(st, "insurance", "企业社保") != 2 || count(st, "insurance", "城乡居民社保") != 1 || count(st, "insurance", "未参保") != 0 {
		t.Errorf("2025-08-01 insurance: %+v", st.Fields)
	}
	if st.AidTotal.AmountFen != 300000 || st.AidTotal.Households != 2 || st.AidTotal.Persons != 2 || st.OpenRisks != 1 || sum(st, "income") != "30000.00" {
		t.Errorf("2025-08-01 aid/risks: %+v %d %s", st.AidTotal, st.OpenRisks, sum(st, "income"))
	}
	// 2026-03-01: household 2 left, 3 came, helper 8 took over 1, 3 has no helper
	in.AsOf = "2026-03-01"
	st = ComputeGroupStats(in)
	if st.Households != 2 || st.Persons != 3 || st.Helped != 1 || st.Unhelped != 1 || st.Helpers != 1 {
		t.Errorf("2026-03-01 counts: %+v", st)
	}
	if count(st, "insurance", "企业社保") != 2 || count(st, "insurance", "城乡居民社保") != 1 {
		t.Errorf("2026-03-01 insurance: %+v", st.Fields)
	}
	if st.AidTotal.AmountFen != 800000 || st.AidTotal.Households != 3 || st.AidTotal.Persons != 2 || st.OpenRisks != 1 || st.Risks[2].Open != 1 {
		t.Errorf("2026-03-01 aid/risks: %+v %+v", st.AidTotal, st.Risks)
	}
	if sum(st, "income") != "35000.50" {
		t.Errorf("income sum %s", sum(st, "income"))
	}
	// among those who want work: 1 of 1 flexibly employed
	in.Among = []string{"work_intent", Yes}
	st = ComputeGroupStats(in)
	for _, f := range st.Fields {
		if f.Key == "employment" && (f.Total != 1 || f.Counts[1].N != 1 || *f.Counts[1].Rate != 1) {
			t.Errorf("employment among work_intent=是: %+v", f)
		}
	}
	// a region: 联兴村 only
	in.Among, in.Region = nil, "431382001205"
	st = ComputeGroupStats(in)
	if st.Households != 1 || st.Persons != 2 || st.AidTotal.AmountFen != 200000 {
		t.Errorf("联兴村: %+v", st)
	}
}

// TestComputeGroupStatsFieldKinds: multi-choice fields count each option held, number
// fields are summed, a household field selects members by their household's value, an
// unknown field selects nobody, no aid is an empty list and organisations are counted.
func TestComputeGroupStatsFieldKinds(t *testing.T) {
	g := fishermen()
	g.Validate()
	household := func(id int64, region string) Subject {
		return Subject{ID: id, Kind: KindHousehold, Region: region, From: "2025-01-01"}
	}
	member := func(id int64, of Subject) Subject {
		return Subject{ID: id, Kind: KindPerson, Household: of.ID, Region: of.Region, From: "2025-01-01"}
	}
	value := func(s int64, field, v string) Value {
		return Value{Subject: s, Field: field, From: "2025-01-01", Value: v}
	}
	h1, h2 := household(1, "431382001205001"), household(2, "431382001209001")
	in := StatsInput{Group: g, Region: "431382001", AsOf: "2026-03-01",
		Subjects: []Subject{h1, member(11, h1), member(12, h1), h2, member(21, h2)},
		Values: []Value{value(1, "housing", "自有住房"), value(2, "housing", "住房租赁补贴"),
			value(11, "skills", "养殖;驾驶"), value(12, "skills", "驾驶"),
			value(11, "age", "50"), value(12, "age", "47.5"), value(21, "age", "30")}}
	field := func(st GroupStats, key string) FieldStats {
		for _, f := range st.Fields {
			if f.Key == key {
				return f
			}
		}
		t.Fatalf("no field %s in %+v", key, st.Fields)
		return FieldStats{}
	}
	cases := []struct {
		name                     string
		among                    []string
		skills                   []int // 养殖, 驾驶, 电工
		skillsTotal, skillsUnset int
		age                      string
		housingTotal             int
	}{
		{"everyone", nil, []int{1, 2, 0}, 3, 1, "127.5", 2},
		{"members of households in their own house", []string{"housing", "自有住房"}, []int{1, 2, 0}, 2, 0, "97.5", 1},
		{"an unknown field", []string{"nosuch", "x"}, []int{0, 0, 0}, 0, 0, "0", 0},
	}
	for _, c := range cases {
		in.Among = c.among
		st := ComputeGroupStats(in)
		skills := field(st, "skills")
		for i, n := range c.skills {
			if skills.Counts[i].N != n {
				t.Errorf("%s: skills %+v, want %v", c.name, skills.Counts, c.skills)
			}
		}
		if skills.Total != c.skillsTotal || skills.Unset != c.skillsUnset {
			t.Errorf("%s: skills total %d unset %d", c.name, skills.Total, skills.Unset)
		}
		if age := field(st, "age"); age.Sum != c.age {
			t.Errorf("%s: age sum %q, want %q", c.name, age.Sum, c.age)
		}
		if h := field(st, "housing"); h.Total != c.housingTotal {
			t.Errorf("%s: housing total %d, want %d", c.name, h.Total, c.housingTotal)
		}
		if st.Aid == nil || len(st.Aid) != 0 || st.AidTotal.Records != 0 {
			t.Errorf("%s: aid %+v", c.name, st.Aid)
		}
	}
	org := func(id int64, region string) Subject {
		return Subject{ID: id, Kind: KindOrg, Region: region, From: "2025-01-01"}
	}
	orgs := StatsInput{Group: &Group{ID: 2, Name: "规上企业", Kind: KindOrg, Region: "431382001"}, Region: "431382001", AsOf: "2026-03-01",
		Subjects: []Subject{org(5, "431382001205001"), org(6, "431382001209001")}}
	if st := ComputeGroupStats(orgs); st.Orgs != 2 || st.Subjects != 2 || st.Unhelped != 2 || len(st.ByRegion) != 2 {
		t.Errorf("organisations: %+v", st)
	}
}
