package domain

import "strings"

// RedactContacts hides the contacts a reporter typed into free text, for answers the
// public reads: mobile and fixed-line numbers however written (139 1234 5678,
// 139.1234.5678, 0738-12345678, +86 139…, full-width １３９…), identity card numbers (18
// characters, the last may be X, with or without separators), any other run of seven
// digits or more (a bank card, a QQ or local number) and e-mail addresses; each of their
// characters becomes *, separators stay. What is plainly not a contact stays as it was:
// short numbers (88号, 3栋2单元), dates (20260302, 2026-03-02), case numbers
// (20260302-000001) and amounts or sizes with their unit (1200000元).
func RedactContacts(s string) string {
	rs := []rune(s)
	out := make([]rune, len(rs))
	copy(out, rs)
	maskEmails(rs, out)
	for _, run := range numberRuns(rs) {
		maskRun(rs, out, run)
	}
	return string(out)
}

// span is a half-open range of runes.
type span struct{ from, to int }

// digitOf reads an ASCII or full-width digit.
func digitOf(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte(r-'０') + '0', true
	}
	return 0, false
}

// numberSeparators may stand between the groups of one number.
const numberSeparators = " -.\u00a0\u3000－．"

// numberRuns finds the numbers of rs as runs of digit groups, each group joined to the
// next by one separator; a group keeps an X right after it (an ID number's check digit).
func numberRuns(rs []rune) [][]span {
	var runs [][]span
	var run []span
	for i := 0; i < len(rs); {
		if _, ok := digitOf(rs[i]); !ok {
			i++
			continue
		}
		j := i
		for j < len(rs) {
			if _, ok := digitOf(rs[j]); !ok {
				break
			}
			j++
		}
		if j < len(rs) && (rs[j] == 'X' || rs[j] == 'x') && (j+1 == len(rs) || !isLatinLetter(rs[j+1])) {
			j++
		}
		if len(run) > 0 && (i-run[len(run)-1].to != 1 || !strings.ContainsRune(numberSeparators, rs[i-1])) {
			runs, run = append(runs, run), nil
		}
		run = append(run, span{i, j})
		i = j
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs
}

func isLatinLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// maskRun masks the contacts among a run's groups: the longest stretch of groups from
// each group on that reads as a phone or ID number (at most 18 characters, so a long
// list of numbers costs no more than a short one), else the group alone when it is a
// long number that is not plainly something else.
func maskRun(rs, out []rune, run []span) {
	group := func(g span) string { // its digits, ASCII, and its X
		var b strings.Builder
		for _, r := range rs[g.from:g.to] {
			if d, ok := digitOf(r); ok {
				b.WriteByte(d)
			} else {
				b.WriteByte('X')
			}
		}
		return b.String()
	}
	for i := 0; i < len(run); i++ {
		end, digits := -1, ""
		for j := i; j < len(run) && len(digits) <= 18; j++ {
			if digits += group(run[j]); isContactNumber(digits) {
				end = j
			}
		}
		if end < 0 {
			if d := group(run[i]); len(d) < 7 || plainNumber(d, rs, run[i].to) {
				continue
			}
			end = i
		}
		for k := run[i].from; k < run[end].to; k++ {
			if !strings.ContainsRune(numberSeparators, rs[k]) {
				out[k] = '*'
			}
		}
		i = end
	}
}

// isContactNumber tells whether digits read as a mobile number (with or without 86), a
// fixed line with its area code, or an 18-character ID number with a birth date.
func isContactNumber(d string) bool {
	mobile := func(d string) bool { return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d) }
	switch {
	case mobile(d), len(d) == 13 && strings.HasPrefix(d, "86") && mobile(d[2:]):
		return true
	case len(d) >= 10 && len(d) <= 12 && d[0] == '0' && d[1] != '0' && allDigits(d):
		return true
	case len(d) == 18 && d[0] != '0' && allDigits(d[:17]):
		return compactDate(d[6:14])
	}
	return false
}

// plainNumber tells whether a long group of digits is plainly no contact: a date
// (YYYYMMDD), or a figure with its unit right after it (at is where the group ends).
func plainNumber(d string, rs []rune, at int) bool {
	if compactDate(d) {
		return true
	}
	return at < len(rs) && strings.ContainsRune("元万亿米吨斤克升度平方亩户人次个件天年", rs[at])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compactDate tells whether YYYYMMDD is a calendar date from 1900 to 2099.
func compactDate(d string) bool {
	return len(d) == 8 && allDigits(d) && (d[:2] == "19" || d[:2] == "20") && validDate(d[:4]+"-"+d[4:6]+"-"+d[6:])
}

// maskEmails masks e-mail addresses in out: the name and the domain around an @ (or ＠).
func maskEmails(rs, out []rune) {
	local := func(r rune) bool { return isLatinLetter(r) || r >= '0' && r <= '9' || strings.ContainsRune("._%+-", r) }
	domain := func(r rune) bool { return isLatinLetter(r) || r >= '0' && r <= '9' || r == '.' || r == '-' }
	for at, r := range rs {
		if r != '@' && r != '＠' {
			continue
		}
		from := at
		for from > 0 && local(rs[from-1]) {
			from--
		}
		to := at + 1
		for to < len(rs) && domain(rs[to]) {
			to++
		}
		for to > at+1 && (rs[to-1] == '.' || rs[to-1] == '-') { // the sentence's full stop
			to--
		}
		if from == at || !strings.ContainsRune(string(rs[at+1:to]), '.') {
			continue
		}
		for k := from; k < to; k++ {
			if k != at {
				out[k] = '*'
			}
		}
	}
}
