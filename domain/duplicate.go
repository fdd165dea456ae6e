package domain

import (
	"fmt"
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

// CellDegrees is the side of the square cells of the duplicate index, about 550 m north
// to south. Every located case carries the key of its cell; a lookup reads the few
// cells around a point instead of scanning cases.
const CellDegrees = 0.005

// CellKey names the index cell that holds a point.
func CellKey(lat, lon float64) string {
	return cellKey(int64(math.Floor(lat/CellDegrees)), int64(math.Floor(lon/CellDegrees)))
}

func cellKey(y, x int64) string { return fmt.Sprintf("%d:%d", y, x) }

// CellsAround lists the keys of the cells that may hold a point within dist metres of
// (lat, lon): the point's cell and enough rings around it.
func CellsAround(lat, lon, dist float64) []string {
	y, x := int64(math.Floor(lat/CellDegrees)), int64(math.Floor(lon/CellDegrees))
	ry := int64(math.Ceil(dist / (CellDegrees * metresPerDegree)))
	cos := math.Cos(lat * math.Pi / 180)
	rx := ry
	if cos > 0.01 {
		rx = int64(math.Ceil(dist / (CellDegrees * metresPerDegree * cos)))
	}
	rx, ry = min(rx, 20), min(ry, 20)
	var out []string
	for dy := -ry; dy <= ry; dy++ {
		for dx := -rx; dx <= rx; dx++ {
			out = append(out, cellKey(y+dy, x+dx))
		}
	}
	return out
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
