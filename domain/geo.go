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
