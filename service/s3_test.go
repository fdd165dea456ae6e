package service

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/domain"
	"whistle/store"
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

func TestAttachmentsInS3(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir()+"/s3.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fake := &fakeS3{objects: map[string][]byte{}, secret: "SECRET"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg, _ := json.Marshal(s3Config{Endpoint: srv.URL, Region: "us-east-1", Bucket: "whistle", AccessKey: "AK", SecretKey: "SECRET"})
	if err := db.PutSetting(ctx, S3Setting, string(cfg)); err != nil {
		t.Fatal(err)
	}
	svc := New(db)
	var photo bytes.Buffer
	png.Encode(&photo, image.NewRGBA(image.Rect(0, 0, 500, 300)))
	as, err := svc.storeUploads(ctx, []Upload{{Name: "p.png", Body: bytes.NewReader(photo.Bytes())}})
	if err != nil {
		t.Fatal(err)
	}
	a := as[0]
	if len(fake.objects) != 2 || fake.objects["/whistle/"+a.SHA256[:2]+"/"+a.SHA256[2:4]+"/"+a.SHA256] == nil {
		t.Fatalf("objects stored: %d", len(fake.objects))
	}
	a.ID = 1
	_, f, err := svc.openBlob(ctx, a, false)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, photo.Bytes()) {
		t.Fatal("the object read back differs")
	}
	if _, _, err := svc.openBlob(ctx, domain.Attachment{ID: 2, SHA256: strings.Repeat("0", 64)}, false); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a missing object: %v", err)
	}
	fake.secret = "OTHER" // the store refuses a wrong signature, and so does the upload
	if _, err := svc.storeUploads(ctx, []Upload{{Name: "p.png", Body: bytes.NewReader(photo.Bytes())}}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("a refused PUT: %v", err)
	}
	if err := db.PutSetting(ctx, S3Setting, `{"endpoint":"ftp://x","bucket":"b"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.storeUploads(ctx, []Upload{{Name: "p.png", Body: bytes.NewReader(photo.Bytes())}}); err == nil {
		t.Fatal("a bad S3 setting was used")
	}
}
