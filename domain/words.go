package domain

import (
	"slices"
	"unicode"
)

// Word search (关键词检索) finds the cases whose number, title, description or address
// holds what was typed as one run of characters. Chinese puts no spaces between words,
// so a word index of whole words cannot serve it: the text index keys every pair of
// neighbouring letters or digits (a bigram, 二元组) instead. Every pair of what was typed
// is then a pair of each case that holds it, so the cases holding all of them are the
// only ones the database must read to check the run itself. One letter alone has no
// pair: such a search reads its scope's rows as before.

// WordPair is two neighbouring letters or digits, lower-cased.
type WordPair [2]rune

// String is the pair as a token of SQLite's text index: two characters that are all
// letters or digits, so its 'ascii' tokenizer keeps them one token.
func (p WordPair) String() string { return string(p[:]) }

// Key is the pair as one number, for PostgreSQL's array index: a rune needs 21 bits.
func (p WordPair) Key() int64 { return int64(p[0])<<21 | int64(p[1]) }

// WordPairs gives the distinct pairs of neighbouring letters or digits in texts, in the
// order first met. A pair never spans two texts, a space or a mark: what was typed may
// stop at any of them. Letters are lower-cased so that a search finds "ABC" for "abc",
// as SQLite's LIKE does for ASCII; the pairs only narrow, the LIKE that follows decides.
func WordPairs(texts ...string) []WordPair {
	var out []WordPair
	seen := map[WordPair]bool{}
	for _, t := range texts {
		var prev rune = -1
		for _, r := range t {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				prev = -1
				continue
			}
			r = unicode.ToLower(r)
			if prev >= 0 {
				p := WordPair{prev, r}
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
			prev = r
		}
	}
	return slices.Clip(out)
}

// searchPairsAt bounds the pairs a search asks the index for. Each pair asked costs
// the reading of its list of cases, and two narrow about as well as all: PostgreSQL
// took 600 ms to intersect a case number's digit pairs at 1M.
const searchPairsAt = 2

// SearchPairs gives the pairs of q a search asks the index for: at most searchPairsAt,
// those likeliest to be rare first (two Chinese characters before a pair with a
// letter), in the order met within each kind. Pairs of digits are never asked: most
// cases hold "20" or "12" (a date, a house number), so a search of digits alone (a case
// number, part of an address) reads its scope's rows as before.
func SearchPairs(q string) []WordPair {
	var pairs []WordPair
	for _, p := range WordPairs(q) {
		if !unicode.IsDigit(p[0]) || !unicode.IsDigit(p[1]) {
			pairs = append(pairs, p)
		}
	}
	slices.SortStableFunc(pairs, func(a, b WordPair) int { return pairKind(a) - pairKind(b) })
	return pairs[:min(len(pairs), searchPairsAt)]
}

// pairKind orders pairs by how many cases are likely to hold them: 0 for two
// characters beyond ASCII, 1 for a pair with a letter or digit of ASCII.
func pairKind(p WordPair) int {
	if p[0] > unicode.MaxASCII && p[1] > unicode.MaxASCII {
		return 0
	}
	return 1
}
