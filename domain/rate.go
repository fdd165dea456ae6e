package domain

import (
	"math"
	"math/bits"
	"strconv"
)

// Every rate Whistle gives (响应率, 解决率, 满意率, 整改率, compliance, coverage, a choice's
// share of a group, the liaison cadres' resolved and closed rates, the drop in
// inspections) follows one rule, so the API, the pages, the workbooks and the briefings
// show the same figure:
//
//   - In the API a rate is a fraction (0.529, not 52.9), rounded half-up to 3 decimals,
//     worked out in integers: thousandths = (n×1000 + total/2) ÷ total.
//   - A rate with nothing to divide by is null (nil), never 0: "no rate" is not 0%.
//   - Pages and briefings show it in percent with one decimal (52.9%), and workbooks
//     hold the same fraction under the number format 0.0%; since the fraction has three
//     decimals, ×100 with one decimal is exact and never rounds a second time.

// Ratio is n of total as a fraction rounded half-up to 3 decimals (half away from zero
// when n is negative, as in a rise where a drop was measured), or nil when total is not
// positive. It never overflows, whatever the counts.
func Ratio[T ~int | ~int32 | ~int64](n, total T) *float64 {
	if total <= 0 {
		return nil
	}
	neg := n < 0
	u, t := uint64(int64(n)), uint64(int64(total))
	if neg {
		u = -u // two's complement: right for the smallest int64 too
	}
	whole, rest := u/t, u%t
	// rest×1000 + t/2 < t×2⁶⁴, so its quotient by t fits in 64 bits.
	hi, lo := bits.Mul64(rest, 1000)
	lo, carry := bits.Add64(lo, t/2, 0)
	th, _ := bits.Div64(hi+carry, lo, t)
	r := (float64(whole)*1000 + float64(th)) / 1000
	if neg {
		r = -r
	}
	return &r
}

// Percent gives a rate in percent with one decimal (0.529 → 52.9, not
// 52.900000000000006), as charts plot it: the rate's whole thousandths over ten.
func Percent(r float64) float64 { return math.Round(r*1000) / 10 }

// PercentText writes a rate in percent with one decimal, "52.9%", or "—" when there is
// no rate: how every page and briefing shows one.
func PercentText(r *float64) string {
	if r == nil || math.IsNaN(*r) {
		return "—"
	}
	return strconv.FormatFloat(Percent(*r), 'f', 1, 64) + "%"
}
