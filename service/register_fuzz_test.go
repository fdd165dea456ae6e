package service

import (
	"strings"
	"testing"
	"unicode/utf8"

	"whistle/domain"
	"whistle/sheets"
)

// FuzzReadTable holds the register reader (CSV, tab-separated or an XLSX workbook, up
// to MaxRegister) to being total: any file gives rows of clean text or an
// invalid-input error, never a panic.
func FuzzReadTable(f *testing.F) {
	book, err := sheets.Write("名册", [][]string{{"户编号", "姓名", "身份证号", "与户主关系"}, {"1", "张三", "430000199001011234", "户主"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(book)
	for _, s := range []string{"户编号,姓名,身份证号\n1,张三,430000199001011234\n", "\ufeffa\tb\tc\n1\t2\t3\n", "a,\"b\nc\",d\n", "\"open", "a,b\x00",
		"\xff\xfe", "PK\x03\x04garbage", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := ReadTable(body)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error %v is not invalid input", err)
			}
			return
		}
		for _, r := range rows {
			for _, c := range r {
				if !utf8.ValidString(c) || strings.ContainsRune(c, 0) {
					t.Fatalf("a cell that is not clean text: %q", c)
				}
			}
		}
	})
}
