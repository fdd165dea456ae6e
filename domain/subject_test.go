package domain

import (
	"fmt"
	"strings"
	"testing"
)

// TestReadRegister reads registers of households, persons and organisations: the header
// is checked before any row, each row's mistakes are located by row and column, a
// household's members join it by 户编号, and the counts say what would be written.
func TestReadRegister(t *testing.T) {
	idn := func(n int) string {
		first17 := fmt.Sprintf("43138219800101%03d", n)
		return first17 + string(IDCheckDigit(first17))
	}
	const vil1, vil2, outside = "431382001205001", "431382001209001", "431382002001001"
	known := map[string]bool{vil1: true, vil2: true, outside: true}
	// a row of the fishermen's register: 户编号, 姓名, 与户主关系, 区划, 身份证号, 参保类型,
	// then 住房保障; the other fields are left blank
	hh := func(ref, name, relation, region, id, insurance, housing string) []string {
		r := make([]string, 15)
		r[0], r[1], r[2], r[3], r[4], r[6], r[12] = ref, name, relation, region, id, insurance, housing
		return r
	}
	header := RegisterHeader(fishermen())
	plus := func(cols ...string) []string { return append(append([]string{}, header...), cols...) }
	without := func(col string) []string {
		var out []string
		for _, h := range header {
			if h != col {
				out = append(out, h)
			}
		}
		return out
	}
	persons := &Group{ID: 2, Code: "p", Name: "人员", Kind: KindPerson, Region: "431382001", Fields: []Field{
		{Key: "id_number", Label: "身份证号", Type: FieldIDNumber, Required: true}}}
	orgs := &Group{ID: 3, Code: "o", Name: "企业", Kind: KindOrg, Region: "431382001"}
	housingRequired := func(g *Group) { g.Fields[8].Required = true }
	many := [][]string{header}
	for i := 0; i <= MaxRowErrors; i++ { // two mistakes a row: no name, no ID number
		many = append(many, hh("H1", "", "户主", vil1, "", "未参保", ""))
	}
	cases := []struct {
		name                   string
		group                  *Group
		change                 func(g *Group)
		table                  [][]string
		errors                 []string // parts of "row column: message", in order; "" for any
		rows, subjects, people int
	}{
		{name: "empty file", table: nil, errors: []string{"1 : the file is empty"}},
		{name: "header only", table: [][]string{header}, errors: []string{"2 : the register has no rows"}},
		{name: "unknown column", table: [][]string{plus("外号")}, errors: []string{`1 外号: unknown column "外号"`}},
		{name: "column twice", table: [][]string{plus("参保类型")}, errors: []string{`1 参保类型: column "参保类型" appears twice`}},
		{name: "fixed column missing", table: [][]string{without("区划")}, errors: []string{`1 区划: missing column "区划"`}},
		{name: "required field missing", table: [][]string{without("身份证号")}, errors: []string{"1 身份证号: missing column \"身份证号\" (required field)"}},
		{name: "two households, byte-order mark, blank column and row", table: [][]string{
			append([]string{"\ufeff" + header[0]}, plus(" ")[1:]...),
			hh("H1", "刘国兵", "户主", vil1, idn(1), "未参保", "自有住房"),
			hh("H1", "李秀兰", "配偶", vil1, idn(2), "未参保", ""),
			{"", " ", ""},
			hh("H2", "王芳", "子女", vil2, idn(3), "未参保", ""),
			hh("H2", "王建国", "户主", vil2, idn(4), "未参保", ""),
		}, rows: 4, subjects: 2, people: 4},
		{name: "mistakes of a member's own cells", table: [][]string{header,
			hh("H1", "", "户主", "431382001299999", idn(1), "打鱼", ""),
			hh("H1", "李秀兰", "配偶", outside, idn(1), "未参保", "洞穴"),
		}, errors: []string{"2 姓名: 姓名 is required", `2 区划: unknown region "431382001299999"`, "2 参保类型:",
			"3 区划: region 431382002001001 lies outside", "3 身份证号: the same ID number is on row 2", "3 住房保障:",
			"3 区划: household H1 is in region 431382001299999 on row 2"},
			rows: 2, subjects: 1, people: 2},
		{name: "mistakes joining a household", table: [][]string{header,
			hh("", "刘国兵", "户主", vil1, idn(1), "未参保", ""),
			hh("H1", "李秀兰", "户主", vil1, idn(2), "未参保", "自有住房"),
			hh("H1", "刘小龙", "子女", vil2, idn(3), "未参保", "住房租赁补贴"),
		}, errors: []string{"2 户编号: 户编号 is required", "4 区划: household H1 is in region 431382001205001 on row 3",
			`4 住房保障: household H1 already has 住房保障 "自有住房"`}, rows: 3, subjects: 1, people: 2},
		{name: "a required household field on none of its rows", change: housingRequired, table: [][]string{header,
			hh("H1", "刘国兵", "户主", vil1, idn(1), "未参保", ""),
			hh("H2", "王建国", "户主", vil2, idn(2), "未参保", "自有住房"),
		}, errors: []string{"2 住房保障: household H1: 住房保障 is required"}, rows: 2, subjects: 2, people: 2},
		{name: "at most MaxRowErrors mistakes", table: many, errors: make([]string, MaxRowErrors), rows: MaxRowErrors + 1, subjects: 1, people: MaxRowErrors + 1},
		{name: "persons, 编号 optional and unique", group: persons, table: [][]string{{"编号", "姓名", "区划", "身份证号"},
			{"P1", "刘国兵", vil1, idn(1)},
			{"", "李秀兰", vil1, idn(2)},
			{"P1", "王芳", vil2, idn(3)},
		}, errors: []string{`4 编号: number "P1" already on row 2`}, rows: 3, subjects: 3, people: 3},
		{name: "persons without 编号", group: persons, table: [][]string{{"姓名", "区划", "身份证号"}, {"刘国兵", vil1, idn(1)}},
			rows: 1, subjects: 1, people: 1},
		{name: "organisations", group: orgs, table: [][]string{{"编号", "名称", "区划"}, {"E1", "", vil1}, {"E2", "渔业合作社", vil2}},
			errors: []string{"2 名称: 名称 is required"}, rows: 2, subjects: 2, people: 0},
	}
	for _, c := range cases {
		g := c.group
		if g == nil {
			g = fishermen()
		}
		if c.change != nil {
			c.change(g)
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		reg := ReadRegister(g, c.table, "2026-03-01", func(code string) bool { return known[code] })
		var got []string
		for _, e := range reg.Errors {
			got = append(got, fmt.Sprintf("%d %s: %s", e.Row, e.Column, e.Message))
		}
		if len(got) != len(c.errors) {
			t.Errorf("%s: %d mistakes, want %d:\n%s", c.name, len(got), len(c.errors), strings.Join(got, "\n"))
			continue
		}
		for i, want := range c.errors {
			if !strings.Contains(got[i], want) {
				t.Errorf("%s: mistake %d is %q, want %q", c.name, i, got[i], want)
			}
		}
		if reg.Rows != c.rows || reg.Subjects != c.subjects || reg.People != c.people {
			t.Errorf("%s: rows %d subjects %d people %d, want %d %d %d", c.name, reg.Rows, reg.Subjects, reg.People, c.rows, c.subjects, c.people)
		}
	}
}

// TestReadRegisterHouseholds: members join their household by 户编号 in file order, the
// head names it, and household attributes given on any row are the household's.
func TestReadRegisterHouseholds(t *testing.T) {
	g := fishermen()
	g.Validate()
	header := RegisterHeader(g)
	row := func(cells ...string) []string { return append(cells, make([]string, len(header)-len(cells))...) }
	idn := func(first17 string) string { return first17 + string(IDCheckDigit(first17)) }
	table := [][]string{header,
		row("H1", "李秀兰", "配偶", "431382001205001", "43138219800101004X", "", "未参保"),
		row("H1", "刘国兵", "户主", "431382001205001", idn("43138219800101001"), "", "企业社保"),
		row("H1", "刘小龙", "子女", "431382001205001", idn("43138219800101003"), "", "未参保"),
	}
	table[3][12], table[3][13] = "住房租赁补贴", "36000"
	reg := ReadRegister(g, table, "2026-03-01", func(string) bool { return true })
	if len(reg.Errors) != 0 || len(reg.Units) != 1 {
		t.Fatalf("read: %+v", reg)
	}
	u := reg.Units[0]
	if u.Row != 2 || u.Subject.Kind != KindHousehold || u.Subject.Ref != "H1" || u.Subject.Name != "刘国兵" || u.Subject.From != "2026-03-01" || u.Subject.GroupID != 1 {
		t.Errorf("household: %+v", u)
	}
	if u.Values["housing"] != "住房租赁补贴" || u.Values["income"] != "3600000" || len(u.Values) != 2 {
		t.Errorf("household values: %v", u.Values)
	}
	if len(u.Members) != 3 || u.Members[0].Subject.Name != "李秀兰" || u.Members[0].Subject.Kind != KindPerson || u.Members[0].Subject.Relation != "配偶" ||
		u.Members[0].Values["id_number"] != "43138219800101004X" || u.Members[1].Row != 3 || u.Members[2].Values["insurance"] != "未参保" {
		t.Errorf("members: %+v", u.Members)
	}
}
