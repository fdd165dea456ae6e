package domain

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// 事项推荐: from a caller's words, the matters of the catalogue ranked by how well they
// fit, each with the reasons it was suggested, for the 12345 seat. Three signals add up:
// a matter's own words (its name and keywords) found in the text, directly or through a
// synonym callers use for them (噪音 for 噪声, 路灯 for 照明); the characters the text
// shares with the matter's name, keywords and description; and how earlier cases with
// similar words were classified (Learn). Chinese is written without spaces, so words are
// found by substring and texts are compared by character pairs (bigrams).

// Synonyms are groups of words callers use for the same thing.
type Synonyms [][]string

// ParseSynonyms reads one group a line, its words separated by spaces, "、" or "，";
// blank lines and lines beginning with # are skipped. A group has two words or more.
func ParseSynonyms(text string) (Synonyms, error) {
	var out Synonyms
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words := strings.FieldsFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r == '、' || r == '，' || r == ',' })
		if len(words) < 2 {
			return nil, Invalidf("synonyms.line", "synonyms line %d: a group needs two words or more", i+1)
		}
		for _, w := range words {
			if len([]rune(w)) > 20 {
				return nil, Invalidf("synonyms.line", "synonyms line %d: words are at most 20 characters", i+1)
			}
		}
		out = append(out, words)
	}
	if len(out) > 2000 {
		return nil, Errorf(EINVALID, "at most 2000 synonym groups")
	}
	return out, nil
}

// String writes the groups back, a line each.
func (s Synonyms) String() string {
	lines := make([]string, len(s))
	for i, g := range s {
		lines[i] = strings.Join(g, " ")
	}
	return strings.Join(lines, "\n")
}

// Suggestion is a matter suggested for a text, with its score and why.
type Suggestion struct {
	Matter Matter   `json:"matter"`
	Score  float64  `json:"score"`
	Why    []string `json:"why"`
}

// Suggester ranks the matters of a catalogue for texts.
type Suggester struct {
	matters []Matter
	words   [][]string          // each matter's own words: its name, then its keywords
	grams   []map[string]bool   // each matter's character pairs (name, keywords, description)
	syn     map[string][]string // a word to the other words of its groups
	df      map[string]int      // how many matters hold a word among their own
	seen    map[string]map[int]int
}

// NewSuggester prepares the catalogue ms with synonyms syn.
func NewSuggester(ms []Matter, syn Synonyms) *Suggester {
	s := &Suggester{matters: ms, syn: map[string][]string{}, df: map[string]int{}, seen: map[string]map[int]int{}}
	for _, g := range syn {
		for _, w := range g {
			for _, o := range g {
				if o != w {
					s.syn[w] = append(s.syn[w], o)
				}
			}
		}
	}
	for _, m := range ms {
		words := append([]string{m.Name}, strings.Fields(m.Keywords)...)
		s.words = append(s.words, words)
		for _, w := range uniq(words) {
			s.df[w]++
		}
		g := map[string]bool{}
		for _, b := range bigrams(m.Name + " " + m.Keywords + " " + m.Description) {
			g[b] = true
		}
		s.grams = append(s.grams, g)
	}
	return s
}

// Learn records that text was classified under matter code (an earlier case).
func (s *Suggester) Learn(text, code string) {
	i := s.index(code)
	if i < 0 {
		return
	}
	for _, b := range uniq(bigrams(text)) {
		if s.seen[b] == nil {
			s.seen[b] = map[int]int{}
		}
		s.seen[b][i]++
	}
}

func (s *Suggester) index(code string) int {
	for i, m := range s.matters {
		if m.Code == code {
			return i
		}
	}
	return -1
}

// Suggest ranks the matters for text and gives the first n with a score above zero.
func (s *Suggester) Suggest(text string, n int) []Suggestion {
	text = strings.TrimSpace(text)
	if text == "" || n <= 0 {
		return []Suggestion{}
	}
	grams := uniq(bigrams(text))
	history := s.history(grams)
	out := []Suggestion{}
	for i, m := range s.matters {
		sg := Suggestion{Matter: m}
		s.byWords(&sg, i, text)
		var shared []string
		for _, b := range grams {
			if s.grams[i][b] {
				shared = append(shared, b)
			}
		}
		if len(shared) > 0 {
			sg.Score += 0.4 * float64(min(len(shared), 6))
			if len(sg.Why) == 0 { // said only when no word of its own was found
				sg.Why = append(sg.Why, "字面相近："+strings.Join(shared[:min(len(shared), 3)], "、"))
			}
		}
		if h := history[i]; h > 0.3 { // only where earlier texts clearly went one way
			sg.Score += h
			sg.Why = append(sg.Why, "history")
		}
		if sg.Score > 0 {
			out = append(out, sg)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	if len(out) > n {
		out = out[:n]
	}
	for i := range out {
		out[i].Score = float64(int(out[i].Score*100+0.5)) / 100
	}
	return out
}

// byWords scores matter i's own words found in text, directly (weight 1, the name 1.5)
// or through a synonym (0.8), by the length of the word matched and divided by the
// square root of how many matters share the word: 老鼠 tells more than 垃圾.
func (s *Suggester) byWords(sg *Suggestion, i int, text string) {
	used := map[string]bool{}
	for k, w := range s.words[i] {
		weight := 1.0
		if k == 0 {
			weight = 1.5
		}
		weight /= math.Sqrt(float64(max(s.df[w], 1)))
		if strings.Contains(text, w) && !used[w] {
			used[w] = true
			sg.Score += weight * float64(len([]rune(w)))
			sg.Why = append(sg.Why, "「"+w+"」")
			continue
		}
		for _, o := range s.syn[w] {
			if strings.Contains(text, o) && !used[o] {
				used[o] = true // the caller's word counts once for a matter, however many of its words it stands for
				sg.Score += 0.8 * weight * float64(len([]rune(w)))
				sg.Why = append(sg.Why, "「"+o+"」≈「"+w+"」")
				break
			}
		}
	}
}

// history is, per matter, the share of the text's character pairs that earlier cases
// of that matter held, averaged over the pairs seen before.
func (s *Suggester) history(grams []string) map[int]float64 {
	out := map[int]float64{}
	seen := 0
	for _, b := range grams {
		counts := s.seen[b]
		total := 0
		for _, c := range counts {
			total += c
		}
		if total == 0 {
			continue
		}
		seen++
		for i, c := range counts {
			out[i] += float64(c) / float64(total)
		}
	}
	for i := range out {
		out[i] /= float64(max(seen, 1))
	}
	return out
}

// bigrams are the pairs of neighbouring letters of text, across no space or punctuation.
func bigrams(text string) []string {
	var out []string
	var prev rune = -1
	for _, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			out = append(out, string([]rune{prev, r}))
		}
		prev = r
	}
	return out
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// PhoneDigits is a phone number as its digits alone, without the country code 86 of a
// Chinese mobile: the key a caller's earlier calls are found by.
func PhoneDigits(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		d = d[2:]
	}
	return d
}
