package domain

import (
	"slices"
	"strconv"
	"unicode"
)

// Word search (关键词检索) finds the cases whose number, title, description or address
// holds what was typed as one run of characters. Chinese puts no spaces between words,
// so a word index of whole words cannot serve it: the text index keys pieces of words
// instead (a WordPiece: every pair of neighbouring letters, a bigram 二元组, and every
// four neighbouring digits). Every piece of what was typed is then a piece of each case
// that holds it, so the cases holding all of them are the only ones the database must
// read to check the run itself. One letter alone, or three digits, has no piece: such a
// search reads its scope's rows as before.

// WordPiece is what the text index keys: two neighbouring letters or digits, not both
// digits, lower-cased (垃圾, 2号, ab); or four neighbouring ASCII digits (1206). Pairs
// of digits are left out: most cases hold 20 or 12 (a date, a house number), so the
// index would name nearly every case for them; four digits of a run (a case number's
// day or sequence, a year, a house number) name few.
type WordPiece string

// String is the piece as a token of SQLite's text index: letters and digits only, so
// its 'ascii' tokenizer keeps them one token; a pair is two characters, four digits
// four, so the two never meet.
func (p WordPiece) String() string { return string(p) }

// Key is the piece as one number, for PostgreSQL's array index: a pair's two runes of
// 21 bits each, or four digits' value above every pair's key.
func (p WordPiece) Key() int64 {
	r := []rune(p)
	if len(r) == 2 {
		return int64(r[0])<<21 | int64(r[1])
	}
	n, _ := strconv.Atoi(string(p))
	return digitsKey + int64(n)
}

// digitsKey is the first key of a piece of four digits: above any pair's (42 bits).
const digitsKey = 1 << 50

// digitsPiece is how many neighbouring digits make a piece.
const digitsPiece = 4

// WordPieces gives the distinct pieces of texts, pairs in the order first met, then
// four-digit pieces in the order met. A piece never spans two texts, a space or a mark:
// what was typed may stop at any of them. Letters are lower-cased so that a search
// finds "ABC" for "abc", as SQLite's LIKE does for ASCII; the pieces only narrow, the
// LIKE that follows decides.
func WordPieces(texts ...string) []WordPiece {
	var pairs, digits []WordPiece
	seen := map[WordPiece]bool{}
	add := func(to *[]WordPiece, p WordPiece) {
		if !seen[p] {
			seen[p] = true
			*to = append(*to, p)
		}
	}
	for _, t := range texts {
		wordPairs(t, func(a, b rune) { add(&pairs, WordPiece([]rune{a, b})) })
		for _, run := range digitRuns(t) {
			for i := 0; i+digitsPiece <= len(run); i++ {
				add(&digits, WordPiece(run[i:i+digitsPiece]))
			}
		}
	}
	return slices.Clip(append(pairs, digits...))
}

// wordPairs calls pair for each two neighbouring letters or digits of t, lower-cased,
// but two digits.
func wordPairs(t string, pair func(a, b rune)) {
	var prev rune = -1
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			prev = -1
			continue
		}
		r = unicode.ToLower(r)
		if prev >= 0 && !(unicode.IsDigit(prev) && unicode.IsDigit(r)) {
			pair(prev, r)
		}
		prev = r
	}
}

// digitRuns gives t's runs of ASCII digits of digitsPiece or more.
func digitRuns(t string) []string {
	var runs []string
	start := -1
	for i := 0; i <= len(t); i++ {
		if i < len(t) && t[i] >= '0' && t[i] <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= digitsPiece {
			runs = append(runs, t[start:i])
		}
		start = -1
	}
	return runs
}

// searchPiecesAt bounds the pieces a search asks the index for. Each piece asked costs
// the reading of its list of cases, and two narrow about as well as all: PostgreSQL
// took 600 ms to intersect a case number's pairs of digits at 1M.
const searchPiecesAt = 2

// SearchPieces gives the pieces of q a search asks the index for: at most
// searchPiecesAt, those likeliest to be rare first. Two Chinese characters come first;
// then four digits, the last of each run first and then those four before it, which
// share no digit with it (a case number's day and sequence: 1207 and 2758 of
// 20261207-002758, not 2026, which every case of the year holds); then pairs with a
// letter or digit of ASCII, in the order met.
func SearchPieces(q string) []WordPiece {
	type ranked struct {
		p          WordPiece
		kind, rank int
	}
	var all []ranked
	wordPairs(q, func(a, b rune) {
		kind := 2
		if a > unicode.MaxASCII && b > unicode.MaxASCII {
			kind = 0
		}
		all = append(all, ranked{WordPiece([]rune{a, b}), kind, 0})
	})
	for _, run := range digitRuns(q) {
		last := len(run) - digitsPiece
		for i := last; i >= 0; i-- {
			d := last - i // digits from the run's end
			all = append(all, ranked{WordPiece(run[i : i+digitsPiece]), 1, d%digitsPiece*100 + d/digitsPiece})
		}
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		if a.kind != b.kind {
			return a.kind - b.kind
		}
		return a.rank - b.rank
	})
	var out []WordPiece
	for _, r := range all {
		if !slices.Contains(out, r.p) {
			out = append(out, r.p)
		}
		if len(out) == searchPiecesAt {
			break
		}
	}
	return out
}
