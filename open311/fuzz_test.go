package open311

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
)

// FuzzDecodePost holds the POST requests decoder to being total: any form gives a
// request or an invalid-input error, and what it accepts is well formed.
func FuzzDecodePost(f *testing.F) {
	for _, s := range []string{
		"api_key=k&service_code=SR-001&lat=27.7&long=111.65",
		"service_code=SR-001&address_string=%E8%93%9D%E7%94%B0&attribute[size]=large&attribute[kinds][]=a&attribute[kinds][]=b",
		"service_code=x&lat=NaN&long=1", "service_code=x&lat=1e400&long=1", "attribute[]=x", "attribute[a][b]=1",
		"service_code=x&address_id=1&email=a%40b.c&phone=%2B86+139", "service_code=x&lat=1&long=2&media_url=ftp://x",
		"service_code=%00&lat=1&long=1", "description=%ff%fe", "lat=&long=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := DecodePost(v)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("%q: error %v is not invalid input", raw, err)
			}
			return
		}
		if p.ServiceCode == "" || (p.Lat == nil && p.Address == "" && p.AddressID == "") {
			t.Fatalf("%q: accepted without a service or a location: %+v", raw, p)
		}
		if p.Lat != nil && !domain.ValidPosition(*p.Lat, *p.Long) {
			t.Fatalf("%q: accepted a point out of range", raw)
		}
	})
}

// FuzzDecodeQuery holds the GET requests decoder to being total and to the
// specification's limits on what it accepts.
func FuzzDecodeQuery(f *testing.F) {
	for _, s := range []string{"", "status=open", "status=open,closed&service_code=a,b", "service_request_id=1,2,3",
		"start_date=2026-01-01T00:00:00Z&end_date=2026-03-01T00:00:00+08:00", "start_date=2026-01-01", "end_date=x",
		"service_request_id=-1", "status=open&status=closed", "start_date=9999-12-31T23:59:59Z"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := DecodeQuery(v, now)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("%q: error %v is not invalid input", raw, err)
			}
			return
		}
		if len(q.IDs) == 0 && (q.To.Before(q.From) || q.To.Sub(q.From) > MaxSpan) {
			t.Fatalf("%q: accepted a period of %s", raw, q.To.Sub(q.From))
		}
		if q.Limit != MaxResults || len(q.IDs) > MaxResults {
			t.Fatalf("%q: limit %d, %d ids", raw, q.Limit, len(q.IDs))
		}
	})
}

// FuzzReadForm holds the POST body reader to being total: an urlencoded form, or a
// multipart one whose only file is one photo named media (read as a checked upload),
// gives the form's values or an invalid-input error.
func FuzzReadForm(f *testing.F) {
	media := "--B\r\nContent-Disposition: form-data; name=\"media\"; filename=\"m.jpg\"\r\n\r\n\xff\xd8\xff\xe0\r\n"
	field := "--B\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nSR-001\r\n"
	for _, s := range []struct {
		ct, body string
	}{
		{"application/x-www-form-urlencoded", "api_key=k&service_code=SR-001&lat=27.7&long=111.65"},
		{"", "service_code=%zz"},
		{"multipart/form-data; boundary=B", field + media + "--B--\r\n"},
		{"multipart/form-data; boundary=B", field + media + media + "--B--\r\n"},
		{"multipart/form-data", field},
		{"text/plain", "x"},
		{"multipart/form-data; boundary=B", "--B\r\n\r\n"},
	} {
		f.Add(s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest("POST", "/open311/v2/requests.json", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		_, files, err := readForm(httptest.NewRecorder(), r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("%q %q: error %v is not invalid input", contentType, body, err)
			}
			return
		}
		if len(files) > 1 {
			t.Fatalf("%q: %d media files accepted", body, len(files))
		}
		for _, up := range files {
			if _, _, _, err := service.ReadUpload(context.Background(), up.Name, up.Body); err != nil && domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("%q: the media part: %v", body, err)
			}
		}
	})
}

// A photo larger than the form's memory (a temporary file) is still there to read when
// the request is filed: it was read while open, not closed under the caller.
func TestReadFormKeepsLargeMedia(t *testing.T) {
	photo := strings.Repeat("x", 2*maxForm)
	body := "--B\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nSR-001\r\n" +
		"--B\r\nContent-Disposition: form-data; name=\"media\"; filename=\"m.jpg\"\r\n\r\n" + photo + "\r\n--B--\r\n"
	r := httptest.NewRequest("POST", "/open311/v2/requests.json", strings.NewReader(body))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
	_, files, err := readForm(httptest.NewRecorder(), r)
	if err != nil || len(files) != 1 {
		t.Fatalf("%d files, %v", len(files), err)
	}
	defer r.MultipartForm.RemoveAll()
	if got, err := io.ReadAll(files[0].Body); err != nil || string(got) != photo {
		t.Fatalf("the media part reads %d bytes, %v; want %d", len(got), err, len(photo))
	}
}
