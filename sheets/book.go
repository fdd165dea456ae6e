package sheets

import (
	"bytes"

	"github.com/xuri/excelize/v2"
)

// Style is a cell style of a Book: the look of the printed ledgers street offices keep,
// in 宋体 with thin borders and a shaded header.
type Style int

const (
	Title    Style = iota // the sheet's heading: 16 pt bold, centred
	Subtitle              // the line under it: unit, period, date
	Header                // column heads: bold 黑体, centred, bordered, shaded
	Cell                  // a figure: centred, bordered
	Text                  // a long text: 10 pt, left, wrapped, bordered
	Percent               // a rate: as Cell, shown as 0.0% (write rates with Sheet.Rate)
	Note                  // notes and signature lines: plain 11 pt
	nStyles
)

// Book is a workbook being written cell by cell. Its methods keep the first error and do
// nothing after it; Bytes reports it, so a report is written without a check per cell.
type Book struct {
	f      *excelize.File
	styles [nStyles]int
	sheets int
	err    error
}

// Sheet is one sheet of a Book; columns and rows count from 1.
type Sheet struct {
	b    *Book
	name string
}

// NewBook starts an empty workbook; Close it when done.
func NewBook() *Book {
	b := &Book{f: excelize.NewFile()}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	pctFmt := "0.0%"
	for st, s := range [nStyles]*excelize.Style{
		Title:    {Font: &excelize.Font{Bold: true, Size: 16, Family: "宋体"}, Alignment: center},
		Subtitle: {Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: &excelize.Alignment{Vertical: "center"}},
		Header: {Font: &excelize.Font{Bold: true, Size: 11, Family: "黑体"}, Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}},
		Cell:    {Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: center, Border: border},
		Text:    {Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border},
		Percent: {Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: center, Border: border, CustomNumFmt: &pctFmt},
		Note:    {Font: &excelize.Font{Size: 11, Family: "宋体"}},
	} {
		id, err := b.f.NewStyle(s)
		b.check(err)
		b.styles[st] = id
	}
	return b
}

func (b *Book) check(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Close releases the workbook.
func (b *Book) Close() error { return b.f.Close() }

// Sheet adds a sheet named name after the others.
func (b *Book) Sheet(name string) *Sheet {
	if b.err == nil {
		if b.sheets == 0 { // a new workbook holds one empty sheet already
			b.check(b.f.SetSheetName("Sheet1", name))
		} else {
			_, err := b.f.NewSheet(name)
			b.check(err)
		}
		b.sheets++
	}
	return &Sheet{b: b, name: name}
}

// Bytes gives the workbook as an XLSX file, or the first error met in writing it.
func (b *Book) Bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *Sheet) do(f func() error) {
	if s.b.err == nil {
		s.b.check(f())
	}
}

// Set writes v into a cell.
func (s *Sheet) Set(col, row int, v any) {
	s.do(func() error { return s.b.f.SetCellValue(s.name, cell(col, row), v) })
}

// Rate writes a rate, a fraction as domain.Ratio gives it, under the number format 0.0%:
// the cell holds 0.529 and shows 52.9%, as the pages do. No rate is a dash, as on the
// pages, not a 0.0% that would read as none done.
func (s *Sheet) Rate(col, row int, r *float64) {
	if r == nil {
		s.Set(col, row, "—")
		s.Style(col, row, col, row, Cell)
		return
	}
	s.Set(col, row, *r)
	s.Style(col, row, col, row, Percent)
}

// SetRow writes vals into a row from column col on.
func (s *Sheet) SetRow(col, row int, vals []any) {
	s.do(func() error { return s.b.f.SetSheetRow(s.name, cell(col, row), &vals) })
}

// Merge makes the cells from (col1, row1) to (col2, row2) one.
func (s *Sheet) Merge(col1, row1, col2, row2 int) {
	s.do(func() error { return s.b.f.MergeCell(s.name, cell(col1, row1), cell(col2, row2)) })
}

// Style gives the cells from (col1, row1) to (col2, row2) a style.
func (s *Sheet) Style(col1, row1, col2, row2 int, st Style) {
	s.do(func() error { return s.b.f.SetCellStyle(s.name, cell(col1, row1), cell(col2, row2), s.b.styles[st]) })
}

// RowHeight sets a row's height in points.
func (s *Sheet) RowHeight(row int, height float64) {
	s.do(func() error { return s.b.f.SetRowHeight(s.name, row, height) })
}

// ColWidths sets the widths of the first columns, in characters.
func (s *Sheet) ColWidths(widths ...float64) {
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		s.do(func() error { return s.b.f.SetColWidth(s.name, col, col, w) })
	}
}

// LandscapeA4 prints the sheet across an A4 page.
func (s *Sheet) LandscapeA4() {
	orientation, a4 := "landscape", 9
	s.do(func() error {
		return s.b.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &orientation, Size: &a4})
	})
}

// FreezeRows keeps the first n rows in view while the rest scroll.
func (s *Sheet) FreezeRows(n int) {
	s.do(func() error {
		return s.b.f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: n, TopLeftCell: cell(1, n+1), ActivePane: "bottomLeft"})
	})
}

// AutoFilter puts filter buttons on the head row of the range from (col1, row1) to
// (col2, row2).
func (s *Sheet) AutoFilter(col1, row1, col2, row2 int) {
	s.do(func() error { return s.b.f.AutoFilter(s.name, cell(col1, row1)+":"+cell(col2, row2), nil) })
}
