package filestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSignV4Vectors holds the signer to AWS's published examples: the signature test
// suite's get-vanilla request and the S3 guide's GET Object example.
func TestSignV4Vectors(t *testing.T) {
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	h := http.Header{"X-Amz-Date": {"20150830T123600Z"}}
	got := signV4("GET", "example.amazonaws.com", "/", "", h, emptySHA256, "service", "us-east-1", at,
		"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	want := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	if got != want {
		t.Errorf("get-vanilla:\n got %s\nwant %s", got, want)
	}
	at = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	h = http.Header{"Range": {"bytes=0-9"}, "X-Amz-Content-Sha256": {emptySHA256}, "X-Amz-Date": {"20130524T000000Z"}}
	got = signV4("GET", "examplebucket.s3.amazonaws.com", "/test.txt", "", h, emptySHA256, "s3", "us-east-1", at,
		"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	if !strings.HasSuffix(got, "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") {
		t.Errorf("S3 GET Object: %s", got)
	}
}

// fakeS3 is an object store that checks each request's signature with the secret it
// knows and keeps objects in memory.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string][]byte
	secret  string
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	at, _ := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	h := http.Header{}
	for _, k := range []string{"X-Amz-Date", "X-Amz-Content-Sha256"} {
		h.Set(k, r.Header.Get(k))
	}
	want := signV4(r.Method, r.Host, r.URL.EscapedPath(), "", h, r.Header.Get("X-Amz-Content-Sha256"), "s3", "us-east-1", at, "AK", f.secret)
	if r.Header.Get("Authorization") != want {
		http.Error(w, "SignatureDoesNotMatch", http.StatusForbidden)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		f.objects[r.URL.Path] = body
	case http.MethodGet:
		data, ok := f.objects[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}
}

func TestS3(t *testing.T) {
	ctx := context.Background()
	fake := &fakeS3{objects: map[string][]byte{}, secret: "SECRET"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	st, err := NewS3(S3Config{Endpoint: srv.URL, Region: "us-east-1", Bucket: "whistle", AccessKey: "AK", SecretKey: "SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	photo := []byte("\x89PNG a photo's bytes")
	sum, err := st.Put(ctx, photo)
	if err != nil {
		t.Fatal(err)
	}
	if h := sha256.Sum256(photo); sum != hex.EncodeToString(h[:]) {
		t.Fatalf("named %s, not by its SHA-256", sum)
	}
	if len(fake.objects) != 1 || fake.objects["/whistle/"+sum[:2]+"/"+sum[2:4]+"/"+sum] == nil {
		t.Fatalf("objects stored: %v", fake.objects)
	}
	f, err := st.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, photo) {
		t.Fatal("the object read back differs")
	}
	if _, err := st.Open(ctx, strings.Repeat("0", 64)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a missing object: %v", err)
	}
	if _, err := st.Open(ctx, "../../etc/passwd"); err == nil {
		t.Fatal("a name that is not a SHA-256 was asked for")
	}
	fake.secret = "OTHER" // the store refuses a wrong signature, and so does the upload
	if _, err := st.Put(ctx, photo); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("a refused PUT: %v", err)
	}
	for _, bad := range []S3Config{{Endpoint: "ftp://x", Bucket: "b"}, {Endpoint: srv.URL + "/path", Region: "r", Bucket: "b", AccessKey: "a", SecretKey: "s"},
		{Endpoint: srv.URL, Region: "r", Bucket: "b/c", AccessKey: "a", SecretKey: "s"}, {Endpoint: srv.URL, Region: "r", Bucket: "b", AccessKey: "a"}} {
		if _, err := NewS3(bad); err == nil {
			t.Errorf("a bad configuration was taken: %+v", bad)
		}
	}
}

func TestDir(t *testing.T) {
	ctx := context.Background()
	d := Dir(t.TempDir())
	sum, err := d.Put(ctx, []byte("a document"))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := d.Put(ctx, []byte("a document")); err != nil || again != sum {
		t.Fatalf("the same bytes again: %s %v", again, err)
	}
	if _, err := os.Stat(filepath.Join(string(d), sum[:2], sum[2:4], sum)); err != nil {
		t.Fatal(err)
	}
	f, err := d.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != "a document" {
		t.Fatalf("read back %q", got)
	}
	if _, err := d.Open(ctx, strings.Repeat("0", 64)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a missing file: %v", err)
	}
	if _, err := d.Open(ctx, "../x"); err == nil || errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a bad name: %v", err)
	}
}
