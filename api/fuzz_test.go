package api

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	"whistle/service"
	"whistle/sheets"
	"whistle/transport"
)

// refused holds an error of a decoder of untrusted input to the client's fault.
func refused(t *testing.T, input []byte, err error) {
	t.Helper()
	if st, known := transport.Status(err); !known || st < 400 || st >= 500 {
		t.Fatalf("%q: error %v answers %d, want a 4xx domain error", input, err, st)
	}
}

// FuzzReadIntake holds the filing decoder of the REST doors to being total: a JSON
// body or a multipart one (the filing in "intake", photos in "files") gives a filing
// whose files each read as a checked upload, or a 4xx refusal.
func FuzzReadIntake(f *testing.F) {
	filing := `{"case":{"matter":"SR-001","title":"路灯","region":"431382001001001","channel":"grid_patrol"},"attributes":{"a":["b"]}}`
	part := func(name, file, body string) string {
		d := "form-data; name=\"" + name + "\""
		if file != "" {
			d += "; filename=\"" + file + "\""
		}
		return "--B\r\nContent-Disposition: " + d + "\r\n\r\n" + body + "\r\n"
	}
	f.Add(false, []byte(filing))
	f.Add(false, []byte(`{"case":{"lat":1e999}}`))
	f.Add(true, []byte(part("intake", "", filing)+part("files", "a.jpg", "\xff\xd8\xff\xe0")+"--B--\r\n"))
	f.Add(true, []byte(part("intake", "", filing)+part("intake", "", "{}")+"--B--\r\n"))
	f.Add(true, []byte(part("other", "", "x")+"--B--\r\n"))
	f.Add(true, []byte(part("photos", "b.png", "\x89PNG")+"--B--\r\n"))
	f.Fuzz(func(t *testing.T, multipart bool, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/intake", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if multipart {
			r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		}
		var b intakeBody
		files, cleanup, err := readIntake(httptest.NewRecorder(), r, &b)
		defer cleanup()
		if err != nil {
			refused(t, body, err)
			return
		}
		for _, up := range files {
			if _, _, _, err := service.ReadUpload(context.Background(), up.Name, up.Body); err != nil {
				refused(t, body, err)
			}
		}
	})
}

// FuzzEnterpriseTable holds the enterprise import's reader (CSV, or the first sheet of
// an XLSX workbook) to being total: rows of clean text or a 4xx refusal.
func FuzzEnterpriseTable(f *testing.F) {
	book, err := sheets.Write("企业", [][]string{{"统一社会信用代码", "企业名称", "区划", "行业"}, {"91431382MA4L1234X5", "蓝田机械", "431382001", "制造业"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", book)
	for _, s := range []string{"uscc,name,region,industry\n91431382MA4L1234X5,蓝田机械,431382001,制造业\n", "a,\"b", "a\x00", "\xff", "PK\x03\x04", ""} {
		f.Add("text/csv", []byte(s))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		rows, err := readTable(contentType, body)
		if err != nil {
			refused(t, body, err)
			return
		}
		for _, row := range rows {
			for _, c := range row {
				if !transport.CleanText(c) {
					t.Fatalf("a cell that is not clean text: %q", c)
				}
			}
		}
	})
}
