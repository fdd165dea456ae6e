package demo_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/whistletest"
)

// TestREADMEPositionsAreInTheGridWorkersGrid: every position the README's examples
// file a case at ("lat":…,"lon":… and lat=…&long=…) lies in demo.grid's grid, so a
// reader who follows them as the demo's grid worker is not refused.
func TestREADMEPositionsAreInTheGridWorkersGrid(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	svc, users, _ := whistletest.Demo(t, 0)
	grid := users["demo.grid"].Grants[0].Region // 民光社区第1网格
	positions := regexp.MustCompile(`"?lat"?[:=]([0-9.]+)[,&]"?lon(?:g)?"?[:=]([0-9.]+)`).FindAllStringSubmatch(string(readme), -1)
	if len(positions) < 3 {
		t.Fatalf("found %d positions in the README, want the API walk's and Open311's", len(positions))
	}
	for _, p := range positions {
		lat, _ := strconv.ParseFloat(p[1], 64)
		lon, _ := strconv.ParseFloat(p[2], 64)
		r, err := svc.Locate(t.Context(), lat, lon)
		if err != nil || !strings.HasPrefix(r.Code, grid) {
			t.Errorf("%s lies in %s %s (%v), not in demo.grid's grid %s", p[0], r.Code, r.Name, err, grid)
		}
	}
}
