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
