package domain

import "testing"

func TestReplyTemplateValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    ReplyTemplate
		key  string // "" when valid
	}{
		{"answer", ReplyTemplate{Use: "answer", Title: "社保咨询", Body: "{来电人}您好，您反映的{事项}问题已于{日期}答复。"}, ""},
		{"result of an org", ReplyTemplate{Org: "LY-CGJ", Use: "result", Title: "已清理", Body: "经现场核实，{地址}的垃圾已清运完毕。"}, ""},
		{"unknown use", ReplyTemplate{Use: "note", Title: "x", Body: "y"}, "template.use"},
		{"no title", ReplyTemplate{Use: "answer", Body: "y"}, "template.title"},
		{"no body", ReplyTemplate{Use: "answer", Title: "x", Body: "  "}, "template.body"},
		{"unknown placeholder", ReplyTemplate{Use: "answer", Title: "x", Body: "{姓名}您好"}, "template.body"},
		{"long title", ReplyTemplate{Use: "answer", Title: string(make([]rune, 61)), Body: "y"}, "template.title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.t.Validate()
			if tc.key == "" && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if e, ok := err.(*Error); tc.key != "" && (!ok || e.Key != tc.key) {
				t.Fatalf("want a refusal naming %s, got %v", tc.key, err)
			}
		})
	}
}

func TestReplyTemplateExpand(t *testing.T) {
	tpl := ReplyTemplate{Body: "{来电人}您好，{编号}号诉求（{事项}）已办结。{其它}"}
	for _, tc := range []struct {
		vals map[string]string
		want string
	}{
		{map[string]string{"来电人": "张先生", "编号": "20261206-000001", "事项": "噪声扰民"}, "张先生您好，20261206-000001号诉求（噪声扰民）已办结。{其它}"},
		{map[string]string{"来电人": "张先生"}, "张先生您好，号诉求（）已办结。{其它}"},
	} {
		if got := tpl.Expand(tc.vals); got != tc.want {
			t.Errorf("Expand(%v) = %q, want %q", tc.vals, got, tc.want)
		}
	}
}

func TestReplyTemplateWho(t *testing.T) {
	admin := User{Grants: []Grant{{Role: RoleAdmin}}}
	disp := User{Grants: []Grant{{Role: RoleDispatcher, Region: "431382"}}}
	off := User{Grants: []Grant{{Role: RoleOfficer, Region: "431382", Org: "LY-CGJ"}}}
	grid := User{Grants: []Grant{{Role: RoleGridWorker, Region: "431382001001001"}}}
	shared, own, other := ReplyTemplate{}, ReplyTemplate{Org: "LY-CGJ"}, ReplyTemplate{Org: "LY-ZJJ"}
	for _, tc := range []struct {
		name       string
		u          User
		t          ReplyTemplate
		sees, keep bool
	}{
		{"admin, an org's", admin, other, true, true},
		{"dispatcher, shared", disp, shared, true, true},
		{"dispatcher, an org's", disp, own, false, false},
		{"officer, shared", off, shared, true, false},
		{"officer, own org's", off, own, true, true},
		{"officer, another org's", off, other, false, false},
		{"grid worker, shared", grid, shared, false, false},
	} {
		if got := SeesReplyTemplate(tc.u, tc.t); got != tc.sees {
			t.Errorf("%s: sees %v, want %v", tc.name, got, tc.sees)
		}
		if got := MayKeepReplyTemplate(tc.u, tc.t.Org); got != tc.keep {
			t.Errorf("%s: may keep %v, want %v", tc.name, got, tc.keep)
		}
	}
}
