package domain

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Normalize checks one raw value (as typed in a form or a spreadsheet cell) against the
// field and gives its canonical stored form; "" means no value, refused when required.
func (f Field) Normalize(raw string) (string, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		if f.Required {
			return "", Errorf(EINVALID, "%s is required", f.Label)
		}
		return "", nil
	}
	bad := func(format string, args ...any) (string, error) {
		return "", Errorf(EINVALID, "%s: %s", f.Label, fmt.Sprintf(format, args...))
	}
	switch f.Type {
	case FieldText:
		max := 500
		if f.Max != nil && *f.Max >= 1 {
			max = int(*f.Max)
		}
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
			return bad("at most %d characters", max)
		}
		return v, nil
	case FieldNumber:
		n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return bad("%q is not a number", v)
		}
		if (f.Min != nil && n < *f.Min) || (f.Max != nil && n > *f.Max) {
			return bad("%v is out of range", n)
		}
		return strconv.FormatFloat(n, 'f', -1, 64), nil
	case FieldDate:
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n < 100000 && len(v) >= 4 {
			// a spreadsheet's date serial (days since 1899-12-30), as XLSX cells keep them
			return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format("2006-01-02"), nil
		}
		d, err := ParseDay(v)
		if err != nil {
			return bad("%q is not a date (YYYY-MM-DD)", v)
		}
		return d, nil
	case FieldChoice:
		for _, o := range f.Options {
			if o == v {
				return v, nil
			}
		}
		return bad("%q is not one of %s", v, strings.Join(f.Options, "/"))
	case FieldMulti:
		chosen := map[string]bool{}
		for _, part := range multiSep.Split(v, -1) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			found := false
			for _, o := range f.Options {
				found = found || o == part
			}
			if !found {
				return bad("%q is not one of %s", part, strings.Join(f.Options, "/"))
			}
			chosen[part] = true
		}
		var out []string
		for _, o := range f.Options {
			if chosen[o] {
				out = append(out, o)
			}
		}
		return strings.Join(out, ";"), nil
	case FieldBool:
		switch strings.ToLower(v) {
		case "是", "yes", "y", "true", "1", "有":
			return Yes, nil
		case "否", "no", "n", "false", "0", "无":
			return No, nil
		}
		return bad("%q is not 是 or 否", v)
	case FieldMoney:
		fen, err := ParseYuan(v)
		if err != nil {
			return bad("%s", ErrorMessage(err))
		}
		return strconv.FormatInt(fen, 10), nil
	case FieldIDNumber:
		id, err := ValidIDNumber(v)
		if err != nil {
			return bad("%s", ErrorMessage(err))
		}
		return id, nil
	case FieldPhone:
		p, err := ValidPersonPhone(v)
		if err != nil {
			return bad("%s", ErrorMessage(err))
		}
		return p, nil
	}
	return bad("unknown type")
}

// Display renders a stored value for people: money as yuan with two decimals.
func (f Field) Display(stored string) string {
	if f.Type == FieldMoney && stored != "" {
		if fen, err := strconv.ParseInt(stored, 10, 64); err == nil {
			return FormatYuan(fen)
		}
	}
	return stored
}

var multiSep = regexp.MustCompile(`[;；、,，]`)

// ParseDay reads a day as people type it (2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日)
// and gives YYYY-MM-DD.
func ParseDay(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return "", Errorf(EINVALID, "%q is not a date", s)
	}
	y, e1 := strconv.Atoi(parts[0])
	m, e2 := strconv.Atoi(parts[1])
	d, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil || y < 1900 || y > 2200 {
		return "", Errorf(EINVALID, "%q is not a date", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", Errorf(EINVALID, "%q is not a date", s)
	}
	return t.Format("2006-01-02"), nil
}

// Today is the China day of t as YYYY-MM-DD, the unit of every dated record here.
func Today(t time.Time) string { return t.In(China).Format("2006-01-02") }

// ParseYuan reads an amount of yuan (1234.5, ¥1,234.50, 1234元) as integer fen, so sums
// are exact to the fen.
func ParseYuan(s string) (int64, error) {
	v := strings.NewReplacer(",", "", "，", "", "¥", "", "￥", "", "元", "", " ", "").Replace(strings.TrimSpace(s))
	neg := strings.HasPrefix(v, "-")
	if neg {
		return 0, Errorf(EINVALID, "amount %q must not be negative", s)
	}
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" || len(whole) > 11 || len(frac) > 2 || !isDigits(whole) || (frac != "" && !isDigits(frac)) {
		return 0, Errorf(EINVALID, "amount %q must be yuan with at most two decimals", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + c, nil
}

// FormatYuan writes fen as yuan with two decimals: 23178800 → "231788.00".
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// idWeights and idCheck are GB 11643-1999's checksum (ISO 7064 MOD 11-2).
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// IDCheckDigit computes the 18th character of a resident ID number from the first 17.
func IDCheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheck[sum%11]
}

// ValidIDNumber checks an 18-character resident ID number (公民身份号码, GB 11643): 17
// digits, a valid birth date and the check character; gives it with X in upper case.
func ValidIDNumber(s string) (string, error) {
	id := strings.ToUpper(strings.TrimSpace(s))
	if len(id) != 18 || !isDigits(id[:17]) || !(isDigits(id[17:]) || id[17] == 'X') {
		return "", Errorf(EINVALID, "ID number must be 17 digits and a digit or X")
	}
	if _, err := ParseDay(id[6:10] + "-" + id[10:12] + "-" + id[12:14]); err != nil {
		return "", Errorf(EINVALID, "ID number holds no valid birth date")
	}
	if IDCheckDigit(id) != id[17] {
		return "", Errorf(EINVALID, "ID number check character is wrong")
	}
	return id, nil
}

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)
)

// ValidPersonPhone checks a person's phone: an 11-digit mobile (13x to 19x) or a
// landline with its area code (0738-8321234); spaces and a +86 prefix are dropped.
func ValidPersonPhone(s string) (string, error) {
	p := strings.NewReplacer(" ", "", "　", "").Replace(strings.TrimSpace(s))
	p = strings.TrimPrefix(strings.TrimPrefix(p, "+86"), "86-")
	if len(p) == 13 && strings.HasPrefix(p, "86") {
		p = p[2:]
	}
	if mobileRe.MatchString(p) || landlineRe.MatchString(p) {
		return p, nil
	}
	return "", Errorf(EINVALID, "phone %q must be an 11-digit mobile or an area code and number", s)
}
