package pdf

import (
	"bytes"
)

// Receipt is the receipt of a case as an A5 page: a heading, the issuer's name, a
// labelled line per field and notes under them.
type Receipt struct {
	Title   string // the document's title in its properties
	Heading string
	Issuer  string
	Fields  []Field
	Notes   []string
}

// Field is a labelled line of a receipt; a Large value (the number and secret a citizen
// copies) is printed bigger.
type Field struct {
	Label, Value string
	Large        bool
}

// Render makes the PDF; ErrNoFont on a server without a Chinese font.
func (r Receipt) Render() ([]byte, error) {
	pdf, err := newPage("A5", r.Title, 14, 14)
	if err != nil {
		return nil, err
	}
	pdf.SetFont("cjk", "", 18)
	pdf.CellFormat(0, 12, r.Heading, "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 10)
	pdf.CellFormat(0, 6, r.Issuer, "", 1, "C", false, 0, "")
	pdf.Ln(4)
	for _, f := range r.Fields {
		pdf.SetFont("cjk", "", 10)
		pdf.CellFormat(28, 9, f.Label, "", 0, "L", false, 0, "")
		size := 11.0
		if f.Large {
			size = 16
		}
		pdf.SetFont("cjk", "", size)
		pdf.MultiCell(0, 9, f.Value, "", "L", false)
	}
	pdf.Ln(4)
	pdf.SetFont("cjk", "", 10)
	for _, n := range r.Notes {
		pdf.MultiCell(0, 6, n, "", "L", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
