package domain

import "strings"

// NearestRegion picks the region whose centroid is closest to the point, within max
// metres; ok false when none is that close.
func NearestRegion(rs []Region, lat, lon, max float64) (Region, bool) {
	best, bestD := Region{}, max
	for _, r := range rs {
		if r.Lat == nil || r.Lon == nil {
			continue
		}
		if d := Distance(lat, lon, *r.Lat, *r.Lon); d <= bestD {
			best, bestD = r, d
		}
	}
	return best, best.Code != ""
}

// committeeSuffixes are left off a community's name when an address is matched.
var committeeSuffixes = []string{"居民委员会", "村民委员会", "居委会", "村委会"}

// ShortName is a region's name as addresses write it.
func ShortName(name string) string {
	for _, suf := range committeeSuffixes {
		name = strings.ReplaceAll(name, suf, "")
	}
	return name
}

// BestNamed picks, among the regions an address names, the one at the end of the
// strongest chain: each candidate scores the length of its own name and of every named
// region above it, so "民光社区3栋" prefers 民光社区's 3栋 to another community's, and a
// community named in full to a building number that several communities share.
func BestNamed(named []Region) (Region, bool) {
	best, bestScore := Region{}, -1
	for _, r := range named {
		score := 0
		for _, a := range named {
			if Within(r.Code, a.Code) {
				score += len([]rune(ShortName(a.Name)))
			}
		}
		if score > bestScore || (score == bestScore && len(r.Code) > len(best.Code)) {
			best, bestScore = r, score
		}
	}
	return best, bestScore >= 0
}
