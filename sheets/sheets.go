// Package sheets reads and writes XLSX workbooks (Excel's format) over excelize: the
// rows of a workbook's first sheet, a plain one-sheet table, and Book, a formatted
// report of the kind street offices print and sign.
package sheets

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// ErrUnreadable is the error, wrapped with the reason, of bytes that are not a
// workbook; ErrNoSheet that of a workbook without a sheet.
var (
	ErrUnreadable = errors.New("not a readable XLSX workbook")
	ErrNoSheet    = errors.New("the workbook has no sheet")
)

// MaxUnpacked bounds what a workbook read may unpack to: a register of the largest file
// accepted (8 MB) unpacks to about 80 MB, and a small file of highly compressed XML (a
// "zip bomb") must not fill the memory or the disk.
const MaxUnpacked = 256 << 20

// ReadFirst reads the first sheet of a workbook as rows of cells. With raw, a cell
// reads as it is stored (a date as its serial number, an amount without its display
// format); without, as the sheet shows it.
func ReadFirst(r io.Reader, raw bool) ([][]string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: MaxUnpacked})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) == 0 {
		return nil, ErrNoSheet
	}
	rows, err := f.GetRows(names[0], excelize.Options{RawCellValue: raw})
	if err != nil {
		return nil, fmt.Errorf("could not read sheet %s: %w", names[0], err)
	}
	return rows, nil
}

// Write writes rows of text as a one-sheet workbook named sheet, streaming the rows so
// a large table does not hold every cell's structure in memory.
func Write(sheet string, rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		if err := sw.SetRow(cell(1, i+1), cells); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cell names the cell at column col and row row, both from 1: cell(2, 3) is "B3".
func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}
