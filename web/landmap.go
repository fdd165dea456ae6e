package web

import (
	"html/template"
	"math"

	"whistle/domain"
)

// landMapMax is the most parcels a map draws (a village's few hundred).
const landMapMax = 1500

// landMapLabels is the most parcels labelled on a map of no household (more would
// overlap).
const landMapLabels = 80

// landParcelMap draws parcels with drawMap, each outlined and labelled by its number
// (the code's last five digits). With own, the household's parcels are drawn labelled
// and, of the others, only those near them, unlabelled; "" when none has a polygon.
func landParcelMap(parcels []domain.LandParcel, own map[int64]bool) template.HTML {
	if len(parcels) > landMapMax {
		return ""
	}
	type drawn struct {
		shape mapShape
		box   [4]float64 // min lon, min lat, max lon, max lat
		id    int64
	}
	var all []drawn
	near := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range parcels {
		poly, err := domain.ParsePolygon(p.Geometry)
		if err != nil {
			continue
		}
		d := drawn{shape: mapShape{name: landParcelNo(p.Code), rings: poly.Rings(), class: "parcel", title: p.Code + " " + p.Name + " " + p.ContractArea.String() + " 亩"},
			box: [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}, id: p.ID}
		for _, pt := range d.shape.rings[0] {
			d.box = [4]float64{min(d.box[0], pt[0]), min(d.box[1], pt[1]), max(d.box[2], pt[0]), max(d.box[3], pt[1])}
		}
		if own[p.ID] {
			near = [4]float64{min(near[0], d.box[0]), min(near[1], d.box[1]), max(near[2], d.box[2]), max(near[3], d.box[3])}
		}
		all = append(all, d)
	}
	var shapes []mapShape
	if len(own) > 0 {
		if math.IsInf(near[0], 1) {
			return ""
		}
		// the household's box grown by its size, and by 0.001° (about 100 m) at least
		gx, gy := max(near[2]-near[0], 0.001), max(near[3]-near[1], 0.001)
		near = [4]float64{near[0] - gx, near[1] - gy, near[2] + gx, near[3] + gy}
		var mine []mapShape
		for _, d := range all {
			if own[d.id] {
				mine = append(mine, d.shape)
			} else if d.box[2] >= near[0] && d.box[0] <= near[2] && d.box[3] >= near[1] && d.box[1] <= near[3] {
				d.shape.class = "parcel-other"
				shapes = append(shapes, d.shape)
			}
		}
		shapes = append(shapes, mine...) // on top
	} else {
		for _, d := range all {
			if len(all) > landMapLabels {
				d.shape.class = "parcel-other"
			}
			shapes = append(shapes, d.shape)
		}
	}
	if len(shapes) == 0 {
		return ""
	}
	return drawMap(shapes, nil)
}

// landParcelNo is a parcel's number in its group: the code's last five digits.
func landParcelNo(code string) string {
	if len(code) == 19 {
		return code[14:]
	}
	return code
}
