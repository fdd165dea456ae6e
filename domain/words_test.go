package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestWordPairs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		texts []string
		want  []string
	}{
		{"chinese run", []string{"垃圾清运"}, []string{"垃圾", "圾清", "清运"}},
		{"one letter has no pair", []string{"水"}, nil},
		{"marks and spaces break a run", []string{"解放路 12号，噪音"}, []string{"解放", "放路", "12", "2号", "噪音"}},
		{"texts are not joined", []string{"路口", "积水"}, []string{"路口", "积水"}},
		{"ascii lower-cased", []string{"ABc1"}, []string{"ab", "bc", "c1"}},
		{"a pair once", []string{"哈哈哈", "哈哈"}, []string{"哈哈"}},
		{"like's wildcards are marks", []string{"100%_a"}, []string{"10", "00"}},
		{"empty", []string{"", "  ,。"}, nil},
		{"full-width digits", []string{"１２号"}, []string{"１２", "２号"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range WordPairs(tc.texts...) {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("WordPairs(%q) = %q, want %q", tc.texts, got, tc.want)
			}
		})
	}
}

// A run's pairs are among the pairs of any text holding it: the index never loses a case
// LIKE would find.
func TestWordPairsOfARunAreTheTextsPairs(t *testing.T) {
	text := "Whistle 吹哨 东风路88号 路灯不亮，ABC-12"
	runes := []rune(text)
	all := map[WordPair]bool{}
	for _, p := range WordPairs("编号", text) {
		all[p] = true
	}
	for i := range runes {
		for j := i + 1; j <= len(runes); j++ {
			for _, p := range WordPairs(string(runes[i:j])) {
				if !all[p] {
					t.Fatalf("pair %q of %q is not among the text's", p.String(), string(runes[i:j]))
				}
			}
		}
	}
}

func TestWordPairKey(t *testing.T) {
	a, b := WordPair{'垃', '圾'}, WordPair{'圾', '垃'}
	if a.Key() == b.Key() || a.Key() <= 0 {
		t.Errorf("keys %d %d", a.Key(), b.Key())
	}
	if k := (WordPair{0x10FFFF, 0x10FFFF}).Key(); k != 0x10FFFF<<21|0x10FFFF {
		t.Errorf("largest key %x", k)
	}
}

func TestSearchPairs(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"垃圾清运", "垃圾 圾清"},
		{"东风路88号", "东风 风路"},
		{"88号", "8号"},
		{"WS20261130001234", "ws s2"},
		{"20261207-002758", ""},
		{"水", ""},
	} {
		var got []string
		for _, p := range SearchPairs(tc.q) {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("SearchPairs(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}
