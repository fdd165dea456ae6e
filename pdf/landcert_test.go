package pdf

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

func TestLandCertificateRenders(t *testing.T) {
	sq := func(x, y float64) [][][2]float64 {
		d := 0.0003
		return [][][2]float64{{{x, y}, {x + d, y}, {x + d, y + d*1.4}, {x, y + d}, {x, y}}}
	}
	c := LandCertificate{Title: "t", Issuer: "洪江区不动产登记中心", Number: "湘(2026)洪江区不动产权第0000001号",
		Rows:    []Field{{Label: "权利人", Value: "杨建国"}, {Label: "不动产单元号", Value: "431271220200JC00001W00000000"}},
		Parcels: [][]string{{"4312712202000100001", "大丘", "1.2345", "823.45", "水田", "是"}},
		Sketch:  []SketchParcel{{Label: "00001", Rings: sq(110, 27.2)}, {Label: "00002", Rings: sq(110.0005, 27.2)}},
		Footer:  "登簿日期"}
	b, err := c.Render()
	if _, ferr := Font(); ferr != nil {
		if !errors.Is(err, ErrNoFont) {
			t.Errorf("without a font: %v", err)
		}
		return
	}
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("%v %.10s", err, b)
	}
	if dir := os.Getenv("WHISTLE_PDF_OUT"); dir != "" {
		if err := os.WriteFile(dir+"/landcert.pdf", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
