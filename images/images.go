// Package images reads what a photo's bytes say: the type sniffed from its content, its
// size from its header, its EXIF position, and a small JPEG thumbnail. JPEG, PNG, GIF
// and WebP are decoded.
package images

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"strings"

	_ "image/gif" // decoders for thumbnails
	_ "image/png"

	_ "golang.org/x/image/webp"

	"golang.org/x/image/draw"

	"whistle/domain"
)

// ThumbSize is the longest side of a thumbnail in pixels.
const ThumbSize = 320

// Sniff tells the media type of a file from its first bytes (at most 512 are read), by
// the WHATWG sniffing rules, without parameters: "image/jpeg", "application/pdf",
// "text/plain". It never looks at a name or a type the sender claims.
func Sniff(data []byte) string {
	t := http.DetectContentType(data[:min(len(data), 512)])
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}

// Size reads a photo's width and height from its header without decoding its pixels,
// so a small file that claims a huge size can be refused before it is decoded.
func Size(data []byte) (width, height int, err error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	return cfg.Width, cfg.Height, err
}

// Thumbnail decodes a photo and scales it to fit ThumbSize, as JPEG; transparent parts
// become white. The photo's header is read first: past domain.MaxPixels, or needing
// more memory than the decode budget, it is refused (invalid) without being decoded,
// and it waits for its share of the budget (see Limit) with ctx.
func Thumbnail(ctx context.Context, data []byte) ([]byte, error) {
	release, err := reserve(ctx, data)
	if err != nil {
		return nil, err
	}
	defer release()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "the photo cannot be read: %v", err)
	}
	return thumbnail(img)
}

func thumbnail(img image.Image) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > ThumbSize || h > ThumbSize {
		if w >= h {
			w, h = ThumbSize, max(1, h*ThumbSize/w)
		} else {
			w, h = max(1, w*ThumbSize/h), ThumbSize
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src) // transparent parts on white
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
