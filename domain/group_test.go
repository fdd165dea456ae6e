package domain

import (
	"strings"
	"testing"
)

func f64(v float64) *float64 { return &v }

// fishermen is a household group like 赫山区's register of retired fishermen.
func fishermen() *Group {
	return &Group{ID: 1, Code: "tuibu", Name: "退捕渔民", Kind: KindHousehold, Region: "431382001", Fields: []Field{
		{Key: "id_number", Label: "身份证号", Type: FieldIDNumber, Required: true},
		{Key: "phone", Label: "联系电话", Type: FieldPhone, Roles: []Role{RoleAdmin, RoleHelper, RoleLeader}},
		{Key: "insurance", Label: "参保类型", Type: FieldChoice, Options: []string{"企业社保", "城乡居民社保", "未参保"}, Required: true},
		{Key: "work_intent", Label: "就业意愿", Type: FieldBool},
		{Key: "employment", Label: "就业方式", Type: FieldChoice, Options: []string{"企业务工", "灵活就业", "公益岗位", "自主创业", "未就业"}},
		{Key: "skills", Label: "技能", Type: FieldMulti, Options: []string{"养殖", "驾驶", "电工"}},
		{Key: "birth", Label: "出生日期", Type: FieldDate},
		{Key: "age", Label: "年龄", Type: FieldNumber, Min: f64(0), Max: f64(120)},
		{Key: "housing", Label: "住房保障", Type: FieldChoice, On: KindHousehold, Options: []string{"已落实基本住房", "住房租赁补贴", "自有住房"}},
		{Key: "income", Label: "家庭年收入", Type: FieldMoney, On: KindHousehold},
		{Key: "boats", Label: "拆解船只数", Type: FieldText, On: KindHousehold},
	}}
}

func TestGroupValidate(t *testing.T) {
	ok := fishermen()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid group refused: %v", err)
	}
	if ok.Fields[0].On != KindPerson {
		t.Errorf("a household group's field defaults to the person, got %q", ok.Fields[0].On)
	}
	cases := []struct {
		name   string
		change func(g *Group)
		want   string
	}{
		{"bad code", func(g *Group) { g.Code = "退捕" }, "group code"},
		{"no name", func(g *Group) { g.Name = " " }, "name"},
		{"bad kind", func(g *Group) { g.Kind = "family" }, "kind"},
		{"bad region", func(g *Group) { g.Region = "43x" }, "region"},
		{"bad key", func(g *Group) { g.Fields[0].Key = "ID" }, "key"},
		{"duplicate key", func(g *Group) { g.Fields[1].Key = "id_number" }, "unique"},
		{"duplicate label", func(g *Group) { g.Fields[1].Label = "身份证号" }, "unique"},
		{"reserved label", func(g *Group) { g.Fields[1].Label = "姓名" }, "fixed column"},
		{"unknown type", func(g *Group) { g.Fields[1].Type = "email" }, "unknown type"},
		{"choice without options", func(g *Group) { g.Fields[2].Options = nil }, "options"},
		{"duplicate option", func(g *Group) { g.Fields[2].Options = []string{"a", "a"} }, "distinct"},
		{"options on text", func(g *Group) { g.Fields[10].Options = []string{"a"} }, "only choice"},
		{"min above max", func(g *Group) { g.Fields[7].Min = f64(200) }, "min"},
		{"unknown role", func(g *Group) { g.Fields[1].Roles = []Role{"boss"} }, "role"},
		{"reveal on text", func(g *Group) { g.Fields[10].Reveal = []Role{RoleAdmin} }, "revealed"},
		{"org field in person group", func(g *Group) { g.Kind = KindPerson; g.Fields[8].On = KindHousehold }, "fields are on"},
	}
	for _, c := range cases {
		g := fishermen()
		c.change(g)
		err := g.Validate()
		if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want invalid mentioning %q", c.name, err, c.want)
		}
	}
}

func TestFieldNormalize(t *testing.T) {
	g := fishermen()
	g.Validate()
	field := func(k string) Field { f, _ := g.Field(k); return f }
	cases := []struct {
		field, in, want string
		bad             bool
	}{
		{"id_number", "43138219800101004x", "43138219800101004X", false}, // lower-case x accepted
		{"id_number", "431382198001010011", "", true},                    // wrong check character
		{"id_number", "431382198002300014", "", true},                    // 30 February
		{"id_number", "43138219800101001", "", true},                     // 17 characters
		{"id_number", "", "", true},                                      // required
		{"phone", "138 7381 0001", "13873810001", false},
		{"phone", "+8613873810001", "13873810001", false},
		{"phone", "0738-4321234", "0738-4321234", false},
		{"phone", "12873810001", "", true},
		{"phone", "", "", false},
		{"insurance", "企业社保", "企业社保", false},
		{"insurance", "商业保险", "", true},
		{"work_intent", "Y", Yes, false},
		{"work_intent", "否", No, false},
		{"work_intent", "maybe", "", true},
		{"skills", "电工；养殖、电工", "养殖;电工", false},
		{"skills", "养殖;捕鱼", "", true},
		{"birth", "1980/1/2", "1980-01-02", false},
		{"birth", "1980年12月31日", "1980-12-31", false},
		{"birth", "1980-13-01", "", true},
		{"birth", "43617", "2019-06-01", false}, // an XLSX date serial
		{"age", "45", "45", false},
		{"age", "130", "", true},
		{"age", "四十", "", true},
		{"income", "¥12,345.6", "1234560", false},
		{"income", "0.01", "1", false},
		{"income", "1.234", "", true},
		{"income", "-5", "", true},
		{"boats", strings.Repeat("船", 501), "", true},
	}
	for _, c := range cases {
		got, err := field(c.field).Normalize(c.in)
		if c.bad {
			if err == nil || ErrorCode(err) != EINVALID {
				t.Errorf("%s %q: got %q, %v; want invalid", c.field, c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s %q = %q, %v; want %q", c.field, c.in, got, err, c.want)
		}
	}
	if got := field("income").Display("23178800"); got != "231788.00" {
		t.Errorf("money display = %q", got)
	}
}

func TestIDCheckDigit(t *testing.T) {
	// the standard's worked example: 11010519491231002X
	if c := IDCheckDigit("11010519491231002"); c != 'X' {
		t.Errorf("check of 11010519491231002 = %c, want X", c)
	}
	if _, err := ValidIDNumber("110105194912310021"); err == nil {
		t.Error("a wrong check digit passed")
	}
	if id, err := ValidIDNumber("11010519491231002x"); err != nil || id != "11010519491231002X" {
		t.Errorf("ValidIDNumber = %q, %v", id, err)
	}
}

func TestMaskingAndVisibility(t *testing.T) {
	g := fishermen()
	g.Validate()
	clear := map[string]string{"id_number": "11010519491231002X", "phone": "13873810001", "insurance": "企业社保", "income": "150000"}
	helper := User{ID: 1, Grants: []Grant{{Role: RoleHelper, Region: "431382001205"}}}
	leader := User{ID: 2, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}
	grid := User{ID: 3, Grants: []Grant{{Role: RoleGridWorker, Region: "431382001205001"}}}
	cases := []struct {
		who    string
		u      User
		reveal map[string]bool
		want   map[string]string
	}{
		{"helper masked", helper, nil, map[string]string{"id_number": "1101**********002X", "phone": "138****0001", "insurance": "企业社保", "income": "1500.00"}},
		{"helper revealed", helper, map[string]bool{"id_number": true, "phone": true}, map[string]string{"id_number": "11010519491231002X", "phone": "13873810001", "insurance": "企业社保", "income": "1500.00"}},
		{"leader may not reveal", leader, map[string]bool{"id_number": true}, map[string]string{"id_number": "1101**********002X", "phone": "138****0001", "insurance": "企业社保", "income": "1500.00"}},
		{"grid worker does not see the phone", grid, map[string]bool{"phone": true}, map[string]string{"id_number": "1101**********002X", "insurance": "企业社保", "income": "1500.00"}},
	}
	for _, c := range cases {
		got := MaskValues(c.u, g, clear, c.reveal)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.who, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.who, k, got[k], v)
			}
		}
	}
	if !SeesRegister(helper, "431382001205001") || SeesRegister(helper, "431382001209001") {
		t.Error("a helper sees the register of their village only")
	}
	if CanManageGroups(leader, "431382001") || !CanManageGroups(User{Grants: []Grant{{Role: RoleAdmin, Region: "431382"}}}, "431382001") {
		t.Error("only administrators of the place manage groups")
	}
}

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"231788": 23178800, "231,788.00": 23178800, "0.5": 50, "1元": 100, "￥3.07": 307} {
		if got, err := ParseYuan(in); err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1.2.3", "1.999", "-1", "123456789012"} {
		if _, err := ParseYuan(in); err == nil {
			t.Errorf("ParseYuan(%q) accepted", in)
		}
	}
	if FormatYuan(23178800) != "231788.00" || FormatYuan(5) != "0.05" {
		t.Error("FormatYuan")
	}
}
