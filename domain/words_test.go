package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestWordPieces(t *testing.T) {
	for _, tc := range []struct {
		name  string
		texts []string
		want  []string
	}{
		{"chinese run", []string{"垃圾清运"}, []string{"垃圾", "圾清", "清运"}},
		{"one letter has no piece", []string{"水"}, nil},
		{"marks and spaces break a run", []string{"解放路 12号，噪音"}, []string{"解放", "放路", "2号", "噪音"}},
		{"texts are not joined", []string{"路口", "积水"}, []string{"路口", "积水"}},
		{"ascii lower-cased", []string{"ABc1"}, []string{"ab", "bc", "c1"}},
		{"a piece once", []string{"哈哈哈", "哈哈"}, []string{"哈哈"}},
		{"like's wildcards are marks", []string{"100%_a"}, nil},
		{"empty", []string{"", "  ,。"}, nil},
		{"full-width digits pair with letters only", []string{"１２号"}, []string{"２号"}},
		{"four digits of a run", []string{"编号20261207-002758"}, []string{"编号", "号2", "2026", "0261", "2612", "6120", "1207", "0027", "0275", "2758"}},
		{"three digits are no piece", []string{"128号"}, []string{"8号"}},
		{"digits pieces after every text's pairs", []string{"A1234", "路口"}, []string{"a1", "路口", "1234"}},
		{"full-width digits make no four", []string{"１２３４"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range WordPieces(tc.texts...) {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("WordPieces(%q) = %q, want %q", tc.texts, got, tc.want)
			}
		})
	}
}

// A run's pieces are among the pieces of any text holding it: the index never loses a
// case LIKE would find. SearchPieces asks only pieces of the run.
func TestWordPiecesOfARunAreTheTextsPieces(t *testing.T) {
	text := "Whistle 吹哨 东风路88号 路灯不亮，ABC-12 编号20261207-0027581 １２３４5"
	runes := []rune(text)
	all := map[WordPiece]bool{}
	for _, p := range WordPieces("编号", text) {
		all[p] = true
	}
	for i := range runes {
		for j := i + 1; j <= len(runes); j++ {
			run := string(runes[i:j])
			own := WordPieces(run)
			for _, p := range own {
				if !all[p] {
					t.Fatalf("piece %q of %q is not among the text's", p.String(), run)
				}
			}
			for _, p := range SearchPieces(run) {
				if !slices.Contains(own, p) {
					t.Fatalf("SearchPieces(%q) asks %q, not a piece of it", run, p.String())
				}
			}
		}
	}
}

func TestWordPieceKey(t *testing.T) {
	keys := map[int64]string{}
	for _, p := range []WordPiece{"垃圾", "圾垃", "ab", "a1", "1a", "0000", "0001", "1000", "9999", "\U0010FFFF\U0010FFFF"} {
		k := p.Key()
		if k <= 0 {
			t.Errorf("key of %q is %d", p, k)
		}
		if other, ok := keys[k]; ok {
			t.Errorf("%q and %q share key %d", p, other, k)
		}
		keys[k] = string(p)
	}
	if k := WordPiece("\U0010FFFF\U0010FFFF").Key(); k != 0x10FFFF<<21|0x10FFFF || k >= digitsKey {
		t.Errorf("largest pair's key %x", k)
	}
	if k := WordPiece("0000").Key(); k != digitsKey {
		t.Errorf("first digits' key %x", k)
	}
}

func TestSearchPieces(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"垃圾清运", "垃圾 圾清"},
		{"东风路88号", "东风 风路"},
		{"88号", "8号"},
		{"WS20261130001234", "1234 3000"},
		{"20261207-002758", "1207 2758"},
		{"2026", "2026"},
		{"12345", "2345 1234"},
		{"路口1234", "路口 1234"},
		{"128", ""},
		{"水", ""},
		{"ab", "ab"},
	} {
		var got []string
		for _, p := range SearchPieces(tc.q) {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("SearchPieces(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}
