package domain

import (
	"math"
	"testing"
)

func TestValidPosition(t *testing.T) {
	for _, tc := range []struct {
		lat, lon float64
		ok       bool
	}{
		{27.7, 111.6, true}, {90, 180, true}, {-90, -180, true}, {0, 0, true},
		{90.01, 0, false}, {0, -180.01, false}, {math.NaN(), 0, false}, {0, math.NaN(), false},
	} {
		if got := ValidPosition(tc.lat, tc.lon); got != tc.ok {
			t.Errorf("ValidPosition(%v, %v) = %v", tc.lat, tc.lon, got)
		}
	}
}

func TestTitleFrom(t *testing.T) {
	long := "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多出来"
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"  \n  ", ""}, {" 路灯不亮 \n第二行", "路灯不亮"},
		{long, string([]rune(long)[:60]) + "…"},
	} {
		if got := TitleFrom(tc.in); got != tc.want {
			t.Errorf("TitleFrom(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
