package domain

import (
	"math"
	"time"
)

// DuplicateRule says when a new case is likely a duplicate of an open one: the same
// matter, within Distance metres and within Window of its filing.
type DuplicateRule struct {
	Distance float64       `json:"distance_m"`
	Window   time.Duration `json:"window"`
}

// DefaultDuplicateRule is 150 metres and 72 hours: one pothole reported by three
// passers-by over a weekend.
var DefaultDuplicateRule = DuplicateRule{Distance: 150, Window: 72 * time.Hour}

// Validate checks a rule set by an administrator.
func (r DuplicateRule) Validate() error {
	if r.Distance <= 0 || r.Distance > 5000 || r.Window <= 0 || r.Window > 90*24*time.Hour {
		return Errorf(EINVALID, "duplicate distance must be 1-5000 m and window up to 90 days")
	}
	return nil
}

// CellsPerDegree sets the duplicate index's cells: a case with a point is indexed
// under (matter, lat·200, lon·200, filing time) as whole numbers, cells about 550 m
// north to south, so a lookup reads the few cells around a point for one matter and
// period instead of scanning cases. (The engines turn lat·200 into a whole number
// differently, truncating or rounding; either way each cell is at least 1/200 degree
// wide, which is all the rings below rely on.)
const CellsPerDegree = 200

// CellRings tells how many cells around a point's own cell, north-south and east-west,
// may hold points within dist metres of it.
func CellRings(lat, dist float64) (dy, dx int64) {
	side := metresPerDegree / CellsPerDegree
	dy = int64(math.Ceil(dist / side))
	cos := math.Cos(lat * math.Pi / 180)
	dx = dy
	if cos > 0.01 {
		dx = int64(math.Ceil(dist / (side * cos)))
	}
	return min(dy, 50), min(dx, 50)
}

const metresPerDegree = 111_320.0

// Distance is the great-circle distance in metres between two points.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6_371_000.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Duplicate is an open case that a case likely repeats.
type Duplicate struct {
	CaseID    int64     `json:"case_id"`
	Number    string    `json:"number"`
	Title     string    `json:"title"`
	Status    Status    `json:"status"`
	Distance  float64   `json:"distance_m"`
	CreatedAt time.Time `json:"created_at"`
}

// LikelyDuplicate tells whether other is an open case that c likely repeats under rule,
// and how far apart they are.
func LikelyDuplicate(c, other *Case, rule DuplicateRule) (float64, bool) {
	if c.ID == other.ID || c.Matter != other.Matter || other.Status.Terminal() || c.Lat == nil || other.Lat == nil {
		return 0, false
	}
	gap := c.CreatedAt.Sub(other.CreatedAt)
	if gap < 0 {
		gap = -gap
	}
	if gap > rule.Window {
		return 0, false
	}
	d := Distance(*c.Lat, *c.Lon, *other.Lat, *other.Lon)
	return d, d <= rule.Distance
}
