package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"sync"
	"testing"
	"time"

	"whistle/domain"
)

var ctx = context.Background()

// pngHeader is the start of a PNG that claims w × h pixels of 8-bit colour type ct
// (6: RGBA, 0: grey) and holds none: what an attacker's small file looks like to
// DecodeConfig.
func pngHeader(w, h uint32, ct byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, ct, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	out := append([]byte("\x89PNG\r\n\x1a\n"), binary.BigEndian.AppendUint32(nil, 13)...)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

func encoded(t *testing.T, img image.Image, opt *jpeg.Options, progressive bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if opt == nil {
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if err := jpeg.Encode(&b, img, opt); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if progressive { // mark the frame progressive (SOF2); only the header is read
		i := bytes.Index(data, []byte{0xff, 0xc0})
		data[i+1] = 0xc2
	}
	return data
}

// TestDecodeBytes holds the memory estimate to what the decoders take: a pixel's bytes
// by colour model, a JPEG's by its subsampling, four more a sample when progressive.
func TestDecodeBytes(t *testing.T) {
	const mp = 1_000_000
	gray := image.NewGray(image.Rect(0, 0, 1000, 1000))
	ycc := func(r image.YCbCrSubsampleRatio) image.Image { return image.NewYCbCr(image.Rect(0, 0, 1000, 1000), r) }
	for _, c := range []struct {
		name string
		data []byte
		want int64 // bytes a pixel, times ten
	}{
		{"PNG RGBA 6000 × 6000", pngHeader(6000, 6000, 6), 40},
		{"PNG grey", pngHeader(1000, 1000, 0), 10},
		{"JPEG grey", encoded(t, gray, &jpeg.Options{Quality: 80}, false), 10},
		{"JPEG 4:2:0", encoded(t, ycc(image.YCbCrSubsampleRatio420), &jpeg.Options{Quality: 80}, false), 15},
		{"JPEG 4:2:0 progressive", encoded(t, ycc(image.YCbCrSubsampleRatio420), &jpeg.Options{Quality: 80}, true), 75},
	} {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(c.data))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		pixels := int64(cfg.Width) * int64(cfg.Height)
		if got := decodeBytes(pixels, cfg.ColorModel, format, c.data); got != pixels*c.want/10+1<<20 {
			t.Errorf("%s: %d bytes for %d MP, want %.1f a pixel", c.name, got, pixels/mp, float64(c.want)/10)
		}
	}
	if got := decodeBytes(mp, color.Palette{color.Black}, "gif", nil); got != mp+1<<20 {
		t.Errorf("paletted: %d", got)
	}
}

// TestPhotosMeasuredBeforeDecoding: a photo past the pixel limit, or needing more memory
// than the whole budget, is refused from its header (invalid, 400) without decoding.
func TestPhotosMeasuredBeforeDecoding(t *testing.T) {
	Limit(100<<20, time.Second)
	defer Limit(256<<20, 10*time.Second)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"50 megapixels", pngHeader(10000, 5000, 0)},
		{"6000 × 6000 RGBA: 145 MB, over a 100 MB budget", pngHeader(6000, 6000, 6)},
		{"no pixels", pngHeader(0, 10, 0)},
	} {
		began := time.Now()
		_, err := Thumbnail(ctx, c.data)
		if domain.ErrorCode(err) != domain.EINVALID || time.Since(began) > 100*time.Millisecond {
			t.Errorf("%s: %v after %s", c.name, err, time.Since(began))
		}
	}
}

// TestDecodesShareABudget: eight photos decoded at once never hold more memory together
// than the budget; one that cannot get its share within the wait is refused as
// unavailable (503), and one whose request ends stops waiting.
func TestDecodesShareABudget(t *testing.T) {
	Limit(40<<20, 30*time.Second)
	defer Limit(256<<20, 10*time.Second)
	photo := encoded(t, image.NewNRGBA(image.Rect(0, 0, 2000, 2000)), nil, false) // 17 MB to decode
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := Thumbnail(ctx, photo)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if decoding.peak > 40<<20 || decoding.peak < 17<<20 {
		t.Fatalf("peak %d MB of a 40 MB budget", decoding.peak>>20)
	}
	Limit(40<<20, 50*time.Millisecond)
	hold, err := reserve(ctx, pngHeader(4000, 2000, 6)) // 33 MB taken: 7 left
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Thumbnail(ctx, photo); domain.ErrorCode(err) != domain.EUNAVAILABLE {
		t.Fatalf("no room in the budget: %v", err)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Thumbnail(ended, photo); err != context.Canceled {
		t.Fatalf("ended request: %v", err)
	}
	hold()
	if _, err := Thumbnail(ctx, photo); err != nil {
		t.Fatalf("after the budget was given back: %v", err)
	}
}
