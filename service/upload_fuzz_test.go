package service

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"whistle/domain"
)

// FuzzReadUpload holds the upload decoder to being total: any bytes give a checked
// attachment or an invalid-input error, never a panic, and an accepted photo always
// has its size and a thumbnail.
func FuzzReadUpload(f *testing.F) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(3, 3, color.RGBA{255, 0, 0, 255})
	var j, p bytes.Buffer
	jpeg.Encode(&j, img, nil)
	png.Encode(&p, img)
	for _, seed := range [][]byte{j.Bytes(), p.Bytes(), []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []byte("GIF89a\x01\x00\x01\x00"),
		[]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), []byte("<html>"), {}, {0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0},
		// a PNG header claiming 100000 x 100000 pixels
		append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x02\x00\x00\x00"), make([]byte, 16)...)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, body, thumb, err := ReadUpload(context.Background(), "x.jpg", bytes.NewReader(data))
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error %v is not invalid input", err)
			}
			return
		}
		if !bytes.Equal(body, data) || a.Size != int64(len(data)) {
			t.Fatal("the stored bytes differ from the upload")
		}
		if domain.IsImage(a.ContentType) && (a.Width <= 0 || a.Height <= 0 || len(thumb) == 0) {
			t.Fatalf("an accepted photo without size or thumbnail: %+v", a)
		}
	})
}
