package pdf

import (
	"bytes"
)

// Table is an A4 sheet of one or more tables, each under its heading on a page of its
// own (a training class's roster, group lists, room list and sign-in sheets): the
// column heads repeat on every page a table runs onto; a cell too long for its column
// is cut to fit.
type Table struct {
	Title     string    // the document's title in its properties
	Widths    []float64 // of the columns, in mm, adding up to 180 at most
	Columns   []string
	Sections  []TableSection
	RowHeight float64 // mm; 8 if 0 (sign-in sheets take more)
}

// TableSection is one table of a Table, under its heading and note.
type TableSection struct {
	Heading string
	Note    string
	Rows    [][]string
}

// Render makes the PDF; ErrNoFont on a server without a Chinese font.
func (t Table) Render() ([]byte, error) {
	pdf, err := newPage("A4", t.Title, 15, 15)
	if err != nil {
		return nil, err
	}
	pdf.SetAutoPageBreak(false, 15)
	h := t.RowHeight
	if h == 0 {
		h = 8
	}
	head := func() {
		pdf.SetFont("cjk", "", 10)
		pdf.SetFillColor(235, 235, 235)
		for i, c := range t.Columns {
			pdf.CellFormat(t.Widths[i], 8, c, "1", 0, "C", true, 0, "")
		}
		pdf.Ln(-1)
	}
	for k, s := range t.Sections {
		if k > 0 {
			pdf.AddPage()
		}
		pdf.SetFont("cjk", "", 16)
		pdf.CellFormat(0, 10, s.Heading, "", 1, "C", false, 0, "")
		if s.Note != "" {
			pdf.SetFont("cjk", "", 10)
			pdf.MultiCell(0, 6, s.Note, "", "C", false)
		}
		pdf.Ln(2)
		head()
		for _, row := range s.Rows {
			if pdf.GetY()+h > 282 {
				pdf.AddPage()
				head()
			}
			for i, c := range row {
				if i < len(t.Widths) {
					pdf.CellFormat(t.Widths[i], h, fit(pdf.GetStringWidth, c, t.Widths[i]-2), "1", 0, "L", false, 0, "")
				}
			}
			pdf.Ln(-1)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fit cuts s to width (mm) as the font measures it, marking the cut with "…".
func fit(width func(string) float64, s string, w float64) string {
	if width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
