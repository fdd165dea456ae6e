package pdf

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"testing"
)

// TestRender makes a receipt and a poster where a Chinese font is installed, and
// answers ErrNoFont where none is; with WHISTLE_REQUIRE_FONT=1 (as .ci/run sets) a
// missing font fails it.
func TestRender(t *testing.T) {
	if _, err := Font(); err != nil && os.Getenv("WHISTLE_REQUIRE_FONT") == "1" {
		t.Fatalf("WHISTLE_REQUIRE_FONT=1: %v", err)
	}
	var qr bytes.Buffer
	png.Encode(&qr, image.NewGray(image.Rect(0, 0, 64, 64)))
	receipt := Receipt{Title: "受理回执 20260101001", Heading: "受理回执", Issuer: "吹哨",
		Fields: []Field{{Label: "编号", Value: "20260101001", Large: true}, {Label: "诉求", Value: "证明开不出来"}},
		Notes:  []string{"请妥善保管本回执。"}}
	poster := Poster{Title: "扫码入企", Heading: "扫码入企", Name: "涟源市某某有限公司", QR: qr.Bytes(), Code: "91431382MA4L000000",
		Rules: []string{"一、检查人员入企须扫码。"}, Footer: "码版本 1"}
	var rows [][]string
	for i := 0; i < 70; i++ { // past one page: the heads repeat
		rows = append(rows, []string{"1", "株洲学员", "株洲市委党校", "株洲市发展和改革委员会经济运行与产业协调处（长名称被截断）"})
	}
	table := Table{Title: "房间安排表", Widths: []float64{15, 30, 45, 90}, Columns: []string{"房间", "姓名", "来源", "单位"},
		Sections: []TableSection{{Heading: "株萍两地联合培训班 房间安排表", Rows: rows}, {Heading: "第 2 页", Note: "另起一页"}}}
	for name, render := range map[string]func() ([]byte, error){"receipt": receipt.Render, "poster": poster.Render, "table": table.Render} {
		doc, err := render()
		if _, ferr := Font(); ferr != nil {
			if !errors.Is(err, ErrNoFont) {
				t.Errorf("%s without a font: %v", name, err)
			}
			continue
		}
		if err != nil || !bytes.HasPrefix(doc, []byte("%PDF-")) {
			t.Errorf("%s: %v %.20q", name, err, doc)
		}
	}
}
