package pdf

import (
	"bytes"
	"math"

	"github.com/go-pdf/fpdf"
)

// LandCertificate is a 不动产权证书 (土地承包经营权) as an A4 page in the certificate's
// layout: the number over a bordered table of the right's particulars, the parcels'
// list, and the 宗地图 — the parcels' polygons drawn to scale with a north arrow.
type LandCertificate struct {
	Title   string // the document's title in its properties
	Issuer  string // 洪江区不动产登记中心
	Number  string // 湘(2026)洪江区不动产权第0000001号
	Rows    []Field
	Parcels [][]string // code, name, area in 亩, measured m², use, basic farmland
	// Sketch holds each parcel's rings of [lon, lat] points and its label.
	Sketch []SketchParcel
	Void   bool // printed VOID across the page (a replaced certificate)
	Footer string
}

// SketchParcel is one parcel of the sketch.
type SketchParcel struct {
	Label string
	Rings [][][2]float64
}

// Render makes the PDF; ErrNoFont on a server without a Chinese font.
func (c LandCertificate) Render() ([]byte, error) {
	pdf, err := newPage("A4", c.Title, 15, 14)
	if err != nil {
		return nil, err
	}
	pdf.SetFont("cjk", "", 20)
	pdf.CellFormat(0, 12, "不动产权证书", "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 12)
	pdf.CellFormat(0, 8, c.Number, "", 1, "C", false, 0, "")
	pdf.Ln(2)
	for _, f := range c.Rows {
		pdf.SetFont("cjk", "", 10)
		pdf.CellFormat(40, 8, f.Label, "1", 0, "C", false, 0, "")
		pdf.MultiCell(0, 8, f.Value, "1", "L", false)
	}
	pdf.Ln(3)
	widths := []float64{44, 26, 24, 28, 22, 36}
	pdf.SetFont("cjk", "", 9)
	for i, h := range []string{"地块编码", "地块名称", "合同面积(亩)", "实测面积(m²)", "地类", "基本农田"} {
		pdf.CellFormat(widths[i], 7, h, "1", 0, "C", false, 0, "")
	}
	pdf.Ln(-1)
	for _, row := range c.Parcels {
		for i, v := range row {
			if i < len(widths) {
				pdf.CellFormat(widths[i], 6, v, "1", 0, "C", false, 0, "")
			}
		}
		pdf.Ln(-1)
	}
	pdf.Ln(3)
	pdf.SetFont("cjk", "", 11)
	pdf.CellFormat(0, 7, "宗地图", "", 1, "C", false, 0, "")
	x, y := pdf.GetXY()
	drawSketch(pdf, c.Sketch, x, y, 180, 85)
	pdf.SetXY(15, y+90)
	pdf.SetFont("cjk", "", 10)
	pdf.CellFormat(0, 6, c.Footer, "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 8, "登记机构（章）："+c.Issuer, "", 1, "R", false, 0, "")
	if c.Void {
		pdf.SetTextColor(200, 0, 0)
		pdf.SetFont("cjk", "", 60)
		pdf.SetXY(15, 120)
		pdf.CellFormat(180, 30, "已作废", "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawSketch draws the parcels' polygons fitted into the box at x, y of w × h mm, north
// up, metres alike both ways (a degree of longitude shortened by the latitude's cosine).
func drawSketch(pdf *fpdf.Fpdf, ps []SketchParcel, x, y, w, h float64) {
	pdf.Rect(x, y, w, h, "D")
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ps {
		for _, r := range p.Rings {
			for _, pt := range r {
				minX, maxX = math.Min(minX, pt[0]), math.Max(maxX, pt[0])
				minY, maxY = math.Min(minY, pt[1]), math.Max(maxY, pt[1])
			}
		}
	}
	if math.IsInf(minX, 1) {
		return
	}
	k := math.Cos((minY + maxY) / 2 * math.Pi / 180)
	spanX, spanY := math.Max((maxX-minX)*k, 1e-9), math.Max(maxY-minY, 1e-9)
	scale := math.Min((w-16)/spanX, (h-16)/spanY)
	ox, oy := x+(w-spanX*scale)/2, y+(h-spanY*scale)/2
	at := func(pt [2]float64) fpdf.PointType {
		return fpdf.PointType{X: ox + (pt[0]-minX)*k*scale, Y: oy + (maxY-pt[1])*scale}
	}
	pdf.SetFont("cjk", "", 8)
	for _, p := range ps {
		cx, cy, n := 0.0, 0.0, 0.0
		for _, r := range p.Rings {
			pts := make([]fpdf.PointType, len(r))
			for i, pt := range r {
				pts[i] = at(pt)
				cx, cy, n = cx+pts[i].X, cy+pts[i].Y, n+1
			}
			pdf.SetFillColor(230, 240, 220)
			pdf.Polygon(pts, "DF")
		}
		if n > 0 {
			pdf.Text(cx/n-4, cy/n+1, p.Label)
		}
	}
	// the north arrow in the box's top right corner
	ax, ay := x+w-8, y+4
	pdf.SetFillColor(0, 0, 0)
	pdf.Polygon([]fpdf.PointType{{X: ax, Y: ay}, {X: ax - 2, Y: ay + 6}, {X: ax + 2, Y: ay + 6}}, "F")
	pdf.Text(ax-1.2, ay+10, "北")
}
