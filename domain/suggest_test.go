package domain

import (
	"strings"
	"testing"
)

func TestParseSynonyms(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
		ok   bool
	}{
		{"噪音 噪声\n# 注释\n\n路灯、照明，街灯", 2, true},
		{"孤单", 0, false},
		{"一 " + strings.Repeat("长", 21), 0, false},
	} {
		s, err := ParseSynonyms(tc.text)
		if (err == nil) != tc.ok || len(s) != tc.n {
			t.Errorf("%q: %v %v", tc.text, s, err)
		}
	}
	if s, err := ParseSynonyms(DefaultSynonyms); err != nil || len(s) < 50 {
		t.Errorf("the shipped synonyms: %d groups, %v", len(s), err)
	}
}

// TestSuggest: a matter's own word ranks it first; a synonym finds it where its own
// words are absent, and says so; a word many matters share weighs less than one of
// its own; a text with nothing in common finds nothing; history leans a tie.
func TestSuggest(t *testing.T) {
	ms := []Matter{
		{Code: "N", Name: "社会生活噪声", Keywords: "噪声 广场舞 扰民"},
		{Code: "L", Name: "路灯不亮", Keywords: "路灯 不亮 照明"},
		{Code: "G1", Name: "暴露垃圾", Keywords: "垃圾 卫生"},
		{Code: "G2", Name: "垃圾满溢", Keywords: "垃圾桶 垃圾 满溢"},
		{Code: "R", Name: "病媒生物滋生", Keywords: "老鼠 蚊虫"},
	}
	syn, _ := ParseSynonyms("噪声 噪音\n路灯 街灯")
	s := NewSuggester(ms, syn)
	first := func(text string) Suggestion {
		got := s.Suggest(text, 3)
		if len(got) == 0 {
			return Suggestion{}
		}
		return got[0]
	}
	for _, tc := range []struct{ text, want, why string }{
		{"广场舞太吵，噪声大", "N", "「噪声」"},
		{"楼下噪音扰民", "N", "「噪音」≈「噪声」"},
		{"街灯坏了", "L", "「街灯」≈「路灯」"},
		{"垃圾站老鼠乱跑", "R", "「老鼠」"},
		{"垃圾桶满了", "G2", "「垃圾桶」"},
	} {
		got := first(tc.text)
		if got.Matter.Code != tc.want || !strings.Contains(strings.Join(got.Why, ""), tc.why) {
			t.Errorf("%s: %s %v, want %s with %s", tc.text, got.Matter.Code, got.Why, tc.want, tc.why)
		}
	}
	if got := s.Suggest("天气很好", 3); len(got) != 0 {
		t.Errorf("an unrelated text: %v", got)
	}
	if got := s.Suggest("  ", 3); len(got) != 0 {
		t.Errorf("an empty text: %v", got)
	}
	// 垃圾 alone ties 暴露垃圾 and 垃圾满溢 but for the name; earlier cases lean it
	for range 5 {
		s.Learn("小区门口一堆垃圾", "G2")
	}
	if got := first("门口一堆垃圾"); got.Matter.Code != "G2" || !strings.Contains(strings.Join(got.Why, " "), "history") {
		t.Errorf("after learning: %s %v", got.Matter.Code, got.Why)
	}
}
