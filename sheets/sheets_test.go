package sheets

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteAndRead(t *testing.T) {
	rows := [][]string{{"户号", "姓名", "金额"}, {"001", "黄小红", "1234.50"}, {"002", "", "7"}}
	book, err := Write("名册", rows)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadFirst(bytes.NewReader(book), true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Fatalf("read back %q", got)
	}
	if _, err := ReadFirst(bytes.NewReader([]byte("PK\x03\x04 not a zip")), false); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("not a workbook: %v", err)
	}
}

// TestReadRawOrShown holds raw to a date's serial number and shown to its display.
func TestReadRawOrShown(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", 45658)
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "A1", "A1", style)
	var buf bytes.Buffer
	f.Write(&buf)
	raw, err := ReadFirst(bytes.NewReader(buf.Bytes()), true)
	if err != nil || raw[0][0] != "45658" {
		t.Fatalf("raw %q %v", raw, err)
	}
	shown, err := ReadFirst(bytes.NewReader(buf.Bytes()), false)
	if err != nil || shown[0][0] == "45658" {
		t.Fatalf("shown %q %v", shown, err)
	}
}

// TestBook writes a small report and reads it back; a bad cell range is the error of
// the whole book, not lost.
func TestBook(t *testing.T) {
	b := NewBook()
	defer b.Close()
	s := b.Sheet("汇总")
	s.Merge(1, 1, 3, 1)
	s.Set(1, 1, "台账")
	s.Style(1, 1, 3, 1, Title)
	s.SetRow(1, 2, []any{"社区", 3})
	half, third := 0.5, 0.333
	s.Rate(3, 2, &half)
	s.Rate(4, 2, &third)
	s.Rate(5, 2, nil)
	s.ColWidths(10, 8, 8)
	s.LandscapeA4()
	d := b.Sheet("明细")
	d.SetRow(1, 1, []any{"序号", "编号"})
	d.SetRow(1, 2, []any{1, "YH-1"})
	d.FreezeRows(1)
	d.AutoFilter(1, 1, 2, 2)
	body, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if names := f.GetSheetList(); !reflect.DeepEqual(names, []string{"汇总", "明细"}) {
		t.Fatalf("sheets %v", names)
	}
	// a rate holds its fraction and shows it in percent with one decimal; none is a dash
	for cell, want := range map[string][2]string{"C2": {"0.5", "50.0%"}, "D2": {"0.333", "33.3%"}, "E2": {"—", "—"}} {
		raw, _ := f.GetCellValue("汇总", cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("汇总", cell)
		if raw != want[0] || shown != want[1] {
			t.Errorf("rate %s holds %q shown %q, want %q", cell, raw, shown, want)
		}
	}
	if v, _ := f.GetCellValue("明细", "B2"); v != "YH-1" {
		t.Errorf("B2 %q", v)
	}
	bad := NewBook()
	defer bad.Close()
	bad.Sheet("x").Set(0, 1, "no column 0")
	bad.Sheet("y").Set(1, 1, "after the error")
	if _, err := bad.Bytes(); err == nil {
		t.Fatal("a bad cell was not reported")
	}
}

// FuzzReadFirst holds the workbook reader to being total on any bytes: rows or an
// error, never a panic (the imports answer its errors as invalid input).
func FuzzReadFirst(f *testing.F) {
	book, err := Write("名册", [][]string{{"户号", "姓名"}, {"001", "黄小红"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(book, true)
	f.Add([]byte("PK\x03\x04"), false)
	f.Add([]byte{}, false)
	f.Fuzz(func(t *testing.T, body []byte, raw bool) {
		ReadFirst(bytes.NewReader(body), raw)
	})
}

// A workbook that unpacks to more than MaxUnpacked (a small file of highly compressed
// XML, a "zip bomb") is refused before it is unpacked, not read into memory or onto disk.
func TestReadFirstRefusesZipBomb(t *testing.T) {
	book, err := Write("名册", [][]string{{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	w, _ := zw.Create("xl/padding.xml")
	zeros := make([]byte, 1<<20)
	for written := int64(0); written <= MaxUnpacked; written += int64(len(zeros)) {
		w.Write(zeros)
	}
	zw.Close()
	if buf.Len() > 2<<20 {
		t.Fatalf("the bomb is %d bytes; it should be small", buf.Len())
	}
	if _, err := ReadFirst(bytes.NewReader(buf.Bytes()), true); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("a workbook unpacking to more than %d bytes: %v", MaxUnpacked, err)
	}
}
