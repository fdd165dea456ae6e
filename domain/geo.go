package domain

import (
	"encoding/json"
	"math"
)

// Polygon is a GeoJSON Polygon or MultiPolygon read into rings of [lon, lat] points.
type Polygon struct {
	polys [][][][2]float64 // polygon → ring → point
}

// ParsePolygon reads a GeoJSON geometry (Polygon or MultiPolygon).
func ParsePolygon(geojson string) (*Polygon, error) {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	bad := Errorf(EINVALID, "polygon must be a GeoJSON Polygon or MultiPolygon with closed rings of [lon, lat]")
	if err := json.Unmarshal([]byte(geojson), &g); err != nil {
		return nil, bad
	}
	p := &Polygon{}
	switch g.Type {
	case "Polygon":
		var rings [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return nil, bad
		}
		p.polys = [][][][2]float64{rings}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &p.polys); err != nil {
			return nil, bad
		}
	default:
		return nil, bad
	}
	if len(p.polys) == 0 {
		return nil, bad
	}
	for _, rings := range p.polys {
		if len(rings) == 0 {
			return nil, bad
		}
		for _, r := range rings {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				return nil, bad
			}
			for _, pt := range r {
				if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					return nil, bad
				}
			}
		}
	}
	return p, nil
}

// Rings gives every ring of the polygon, outer rings and holes alike, as [lon, lat]
// points: drawn with the even-odd rule they show the holes as holes.
func (p *Polygon) Rings() [][][2]float64 {
	var out [][][2]float64
	for _, rings := range p.polys {
		out = append(out, rings...)
	}
	return out
}

// Box gives the polygon's bounding box.
func (p *Polygon) Box() (minLat, maxLat, minLon, maxLon float64) {
	minLat, maxLat, minLon, maxLon = 90, -90, 180, -180
	for _, rings := range p.polys {
		for _, pt := range rings[0] {
			minLon, maxLon = min(minLon, pt[0]), max(maxLon, pt[0])
			minLat, maxLat = min(minLat, pt[1]), max(maxLat, pt[1])
		}
	}
	return
}

// Centroid gives the mean of the outer ring's vertices, good enough to place a label
// or a nearest-grid guess on small convex grids.
func (p *Polygon) Centroid() (lat, lon float64) {
	n := 0
	for _, rings := range p.polys {
		ring := rings[0]
		for _, pt := range ring[:len(ring)-1] {
			lon += pt[0]
			lat += pt[1]
			n++
		}
	}
	return lat / float64(n), lon / float64(n)
}

// Contains tells whether the point lies inside the polygon (outer ring in, holes out),
// by ray casting.
func (p *Polygon) Contains(lat, lon float64) bool {
	for _, rings := range p.polys {
		if inRing(rings[0], lat, lon) {
			inHole := false
			for _, h := range rings[1:] {
				if inRing(h, lat, lon) {
					inHole = true
					break
				}
			}
			if !inHole {
				return true
			}
		}
	}
	return false
}

func inRing(ring [][2]float64, lat, lon float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		xi, yi, xj, yj := ring[i][0], ring[i][1], ring[j][0], ring[j][1]
		if (yi > lat) != (yj > lat) && lon < (xj-xi)*(lat-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// ValidPosition tells whether lat and lon are a real WGS84 position (not NaN, lat within
// ±90, lon within ±180).
func ValidPosition(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// OutlineMaxVertices bounds the vertices of one ring a drawn outline may have (the
// self-intersection check is quadratic in them).
const OutlineMaxVertices = 2000

// CheckOutline checks what ParsePolygon lets pass and a drawn outline must not have:
// every ring at least three distinct vertices enclosing an area, at most
// OutlineMaxVertices, and no edge crossing another of its ring (a bow tie would hold
// points in no grid, or in two).
func (p *Polygon) CheckOutline() error {
	for _, rings := range p.polys {
		for _, r := range rings {
			distinct := map[[2]float64]bool{}
			for _, pt := range r[:len(r)-1] {
				distinct[pt] = true
			}
			if len(distinct) < 3 {
				return Invalidf("region.polygon_points", "polygon: a ring needs at least 3 distinct points")
			}
			if len(r)-1 > OutlineMaxVertices {
				return Invalidf("region.polygon_size", "polygon: a ring has at most %d points", OutlineMaxVertices)
			}
			if i, j, ok := selfCrossing(r); ok {
				return Invalidf("region.polygon_crossing", "polygon: edge %d crosses edge %d", i+1, j+1)
			}
			if math.Abs(ringArea(r)) < 1e-12 { // a line, not an area (1e-12 deg² is about 0.01 m²)
				return Invalidf("region.polygon_points", "polygon: a ring needs at least 3 distinct points")
			}
		}
	}
	return nil
}

// ringArea is twice a closed ring's signed area (the shoelace formula), in degrees².
func ringArea(r [][2]float64) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// selfCrossing finds two edges of a closed ring that cross or touch, other than
// neighbours at their shared vertex.
func selfCrossing(r [][2]float64) (int, int, bool) {
	n := len(r) - 1 // edges: r[i] → r[i+1]
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) { // neighbours share a vertex
				continue
			}
			if segmentsMeet(r[i], r[i+1], r[j], r[j+1]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// segmentsMeet tells whether segments ab and cd have a point in common.
func segmentsMeet(a, b, c, d [2]float64) bool {
	cross := func(o, p, q [2]float64) float64 { return (p[0]-o[0])*(q[1]-o[1]) - (p[1]-o[1])*(q[0]-o[0]) }
	on := func(o, p, q [2]float64) bool { // q on segment op, given collinear
		return min(o[0], p[0]) <= q[0] && q[0] <= max(o[0], p[0]) && min(o[1], p[1]) <= q[1] && q[1] <= max(o[1], p[1])
	}
	d1, d2, d3, d4 := cross(c, d, a), cross(c, d, b), cross(a, b, c), cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && on(c, d, a)) || (d2 == 0 && on(c, d, b)) || (d3 == 0 && on(a, b, c)) || (d4 == 0 && on(a, b, d))
}
