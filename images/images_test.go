package images

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestSniff(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"\xff\xd8\xff\xe0", "image/jpeg"}, {"\x89PNG\r\n\x1a\n", "image/png"}, {"GIF89a", "image/gif"},
		{"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"}, {"%PDF-1.4", "application/pdf"},
		{"plain words", "text/plain"}, {"", "text/plain"},
	} {
		if got := Sniff([]byte(c.data)); got != c.want {
			t.Errorf("%q: %s, want %s", c.data, got, c.want)
		}
	}
}

// TestThumbnail holds a thumbnail to ThumbSize on its longest side, the shape kept, and
// transparent parts to white.
func TestThumbnail(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 500, 300)) // transparent
	var p bytes.Buffer
	png.Encode(&p, img)
	if w, h, err := Size(p.Bytes()); err != nil || w != 500 || h != 300 {
		t.Fatalf("size %d×%d %v", w, h, err)
	}
	th, err := Thumbnail(context.Background(), p.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(bytes.NewReader(th))
	if err != nil {
		t.Fatal(err)
	}
	if b := out.Bounds(); b.Dx() != ThumbSize || b.Dy() != 192 {
		t.Fatalf("thumbnail %v", b)
	}
	if r, g, b, _ := out.At(10, 10).RGBA(); r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
		t.Fatalf("transparent became %v", color.RGBA64{uint16(r), uint16(g), uint16(b), 0xffff})
	}
	small := image.NewRGBA(image.Rect(0, 0, 40, 30))
	p.Reset()
	png.Encode(&p, small)
	if th, err = Thumbnail(context.Background(), p.Bytes()); err != nil {
		t.Fatal(err)
	}
	if w, h, _ := Size(th); w != 40 || h != 30 {
		t.Fatalf("a small photo is not enlarged: %d×%d", w, h)
	}
	if _, err := Thumbnail(context.Background(), []byte("\x89PNG\r\n\x1a\n broken")); err == nil {
		t.Fatal("a broken photo made a thumbnail")
	}
}
