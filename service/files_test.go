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

	"whistle/domain"
	"whistle/filestore"
	"whistle/store"
)

// memS3 keeps objects in memory by path; filestore's tests check the signatures.
type memS3 struct {
	mu      sync.Mutex
	objects map[string][]byte
}

func (m *memS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		m.objects[r.URL.Path] = body
	case http.MethodGet:
		data, ok := m.objects[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}
}

// TestAttachmentsInS3 holds the S3 setting to moving uploads, their thumbnails and
// their reading to the bucket, and a missing object to "not found".
func TestAttachmentsInS3(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir()+"/s3.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fake := &memS3{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg, _ := json.Marshal(filestore.S3Config{Endpoint: srv.URL, Region: "us-east-1", Bucket: "whistle", AccessKey: "AK", SecretKey: "SECRET"})
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
	if err := db.PutSetting(ctx, S3Setting, `{"endpoint":"ftp://x","bucket":"b"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.storeUploads(ctx, []Upload{{Name: "p.png", Body: bytes.NewReader(photo.Bytes())}}); err == nil || !strings.Contains(err.Error(), S3Setting) {
		t.Fatalf("a bad S3 setting was used: %v", err)
	}
}
