package domain

import (
	"math"
	"strconv"
	"testing"
)

// TestRatio holds the one rate rule: a fraction rounded half-up to 3 decimals, written
// in JSON as the short decimal, null with nothing to divide by, exact for any counts.
func TestRatio(t *testing.T) {
	const big = math.MaxInt64
	for _, c := range []struct {
		n, total int64
		want     string // the JSON number, "null" for nil
		pct      string
	}{
		{0, 0, "null", "—"},
		{5, 0, "null", "—"},
		{1, -3, "null", "—"},
		{0, 7, "0", "0.0%"},
		{7, 7, "1", "100.0%"},
		{1, 3, "0.333", "33.3%"},
		{2, 3, "0.667", "66.7%"},
		{1, 8, "0.125", "12.5%"},
		{9, 1000, "0.009", "0.9%"},
		{1, 2000, "0.001", "0.1%"}, // exactly half a thousandth: up
		{1, 2001, "0", "0.0%"},     // just under half: down
		{999, 1000, "0.999", "99.9%"},
		{1999, 2000, "1", "100.0%"}, // 0.9995 rounds up to 1
		{197, 200, "0.985", "98.5%"},
		{529, 1000, "0.529", "52.9%"},
		{9, 17, "0.529", "52.9%"},
		{3, 2, "1.5", "150.0%"},
		{-1, 8, "-0.125", "-12.5%"},
		{-1, 2000, "-0.001", "-0.1%"}, // half away from zero
		{big, big, "1", "100.0%"},
		{big - 1, big, "1", "100.0%"},
		{big / 3, big, "0.333", "33.3%"},
		{big / 2, big, "0.5", "50.0%"}, // 2⁶²-1 of 2⁶³-1 is just under a half
		{1, big, "0", "0.0%"},
		{math.MinInt64, big, "-1", "-100.0%"},
	} {
		r := Ratio(c.n, c.total)
		got := "null"
		if r != nil {
			got = strconv.FormatFloat(*r, 'f', -1, 64)
		}
		if got != c.want {
			t.Errorf("Ratio(%d, %d) = %s, want %s", c.n, c.total, got, c.want)
		}
		if p := PercentText(r); p != c.pct {
			t.Errorf("PercentText(Ratio(%d, %d)) = %s, want %s", c.n, c.total, p, c.pct)
		}
	}
}

// TestRatioTypes: counts kept as int give the same rate as int64.
func TestRatioTypes(t *testing.T) {
	if a, b := Ratio(2, 3), Ratio(int64(2), int64(3)); *a != *b {
		t.Fatalf("int %v, int64 %v", *a, *b)
	}
}

// TestPercentOfEveryThousandth: every fraction the rule can give shows as its own
// thousandths in percent, e.g. 0.529 as 52.9, never 52.900000000000006 or 52.8.
func TestPercentOfEveryThousandth(t *testing.T) {
	for k := int64(0); k <= 1000; k++ {
		r := Ratio(k, 1000)
		want := strconv.FormatInt(k/10, 10) + "." + strconv.FormatInt(k%10, 10)
		if got := strconv.FormatFloat(Percent(*r), 'f', -1, 64); got != want && got+".0" != want {
			t.Fatalf("Percent(%v) = %s, want %s", *r, got, want)
		}
		if got := PercentText(r); got != want+"%" {
			t.Fatalf("PercentText(%v) = %s", *r, got)
		}
	}
}
