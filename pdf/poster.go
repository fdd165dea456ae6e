package pdf

import (
	"bytes"

	"github.com/go-pdf/fpdf"
)

// Poster is the A4 poster of an enterprise's inspection code, framed in red: a heading,
// the enterprise's name, its QR code, the code and address, the rules of the scan, and
// a small footer.
type Poster struct {
	Title   string // the document's title in its properties
	Heading string
	Name    string
	QR      []byte // PNG
	Code    string
	Address string // left out when empty
	Rules   []string
	Footer  string
}

// Render makes the PDF; ErrNoFont on a server without a Chinese font.
func (p Poster) Render() ([]byte, error) {
	pdf, err := newPage("A4", p.Title, 20, 18)
	if err != nil {
		return nil, err
	}
	pdf.SetDrawColor(200, 22, 29)
	pdf.SetLineWidth(2)
	pdf.Rect(12, 12, 186, 273, "D")
	pdf.SetTextColor(200, 22, 29)
	pdf.SetFont("cjk", "", 32)
	pdf.CellFormat(0, 20, p.Heading, "", 1, "C", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("cjk", "", 18)
	pdf.MultiCell(0, 10, p.Name, "", "C", false)
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(p.QR))
	pdf.ImageOptions("qr", 45, pdf.GetY()+4, 120, 120, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetY(pdf.GetY() + 128)
	pdf.SetFont("cjk", "", 12)
	pdf.CellFormat(0, 8, p.Code, "", 1, "C", false, 0, "")
	if p.Address != "" {
		pdf.MultiCell(0, 8, p.Address, "", "C", false)
	}
	pdf.Ln(4)
	pdf.SetFont("cjk", "", 11)
	for _, r := range p.Rules {
		pdf.MultiCell(0, 7, r, "", "L", false)
	}
	pdf.Ln(3)
	pdf.SetFont("cjk", "", 9)
	pdf.SetTextColor(100, 100, 100)
	pdf.MultiCell(0, 6, p.Footer, "", "C", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
