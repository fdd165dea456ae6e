package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"whistle/domain"
)

// A decoded photo takes memory in proportion to its pixels, whatever its file's size: a
// 105 KB PNG of 6000 × 6000 decodes to 144 MB. So a photo is measured from its header
// first and refused past domain.MaxPixels, and the decodes one process runs at once
// share a budget of memory: each takes the bytes its pixels will need before it starts,
// and one that finds too little waits its turn, for a while.

// decoding is the process's decode budget.
var decoding = struct {
	sync.Mutex
	sem    *semaphore.Weighted
	budget int64
	wait   time.Duration
	// inUse and peak are the bytes taken now and at most, for tests and the curious
	inUse, peak int64
}{sem: semaphore.NewWeighted(256 << 20), budget: 256 << 20, wait: 10 * time.Second}

// Limit sets the memory the decodes running at once may take together and how long a
// decode waits for its share before it is refused as unavailable; a photo that would
// need more than the whole budget is refused as too large. The serve command sizes the
// budget from the machine's memory.
func Limit(budget int64, wait time.Duration) {
	decoding.Lock()
	defer decoding.Unlock()
	decoding.sem, decoding.budget, decoding.wait, decoding.peak = semaphore.NewWeighted(budget), budget, wait, 0
}

// reserve checks a photo's header and takes the memory its decoding needs from the
// budget, waiting at most the set wait; it gives the function that gives it back.
func reserve(ctx context.Context, data []byte) (func(), error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "the photo cannot be read: %v", err)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 || pixels > domain.MaxPixels {
		return nil, domain.Errorf(domain.EINVALID, "photos are at most %d megapixels; this one is %d × %d", domain.MaxPixels/1_000_000, cfg.Width, cfg.Height)
	}
	need := decodeBytes(pixels, cfg.ColorModel, format, data)
	decoding.Lock()
	sem, budget, wait := decoding.sem, decoding.budget, decoding.wait
	decoding.Unlock()
	if need > budget {
		return nil, domain.Errorf(domain.EINVALID, "this photo (%d × %d) needs %d MB to decode, more than the server allows; send a smaller one", cfg.Width, cfg.Height, need>>20)
	}
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if err := sem.Acquire(waitCtx, need); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, domain.Errorf(domain.EUNAVAILABLE, "too many photos are being read at once; try again in a few seconds")
	}
	taken(need)
	return func() {
		taken(-need)
		if need >= bigDecode { // collect its pixels now: the next decode reuses the memory
			runtime.GC()
		}
		sem.Release(need)
	}, nil
}

// bigDecode is a decode whose pixels are collected as soon as it is done. Left to the
// collector's pace, the heap grows to twice what is live first, so a few large photos
// in a row would hold two or three times the budget.
const bigDecode = 32 << 20

// taken counts bytes taken from (or, negative, given back to) the budget.
func taken(n int64) {
	decoding.Lock()
	defer decoding.Unlock()
	decoding.inUse += n
	decoding.peak = max(decoding.peak, decoding.inUse)
}

// decodeBytes estimates, from above, the memory decoding a photo takes: its pixels
// times the bytes a pixel of its colour model holds, and for a JPEG the samples of its
// components (subsampled chroma is smaller) plus, when progressive, the 4-byte
// coefficients the decoder keeps of every sample until the last scan.
func decodeBytes(pixels int64, model color.Model, format string, data []byte) int64 {
	if format == "jpeg" {
		if samples, progressive, ok := jpegLayout(data); ok {
			perPixel := samples
			if progressive {
				perPixel += 4 * samples
			}
			return int64(float64(pixels)*perPixel) + 1<<20
		}
	}
	perPixel := int64(8) // 16-bit colour, or a model not named below
	switch model {
	case color.GrayModel, color.AlphaModel:
		perPixel = 1
	case color.Gray16Model, color.Alpha16Model:
		perPixel = 2
	case color.YCbCrModel:
		perPixel = 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		perPixel = 4
	}
	if _, ok := model.(color.Palette); ok {
		perPixel = 1
	}
	return pixels*perPixel + 1<<20
}

// jpegLayout reads a JPEG's frame header (SOF): the samples per pixel of its components
// together (3 for 4:4:4 colour, 1.5 for 4:2:0, 1 for grey) and whether it is
// progressive.
func jpegLayout(data []byte) (samples float64, progressive, ok bool) {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return 0, false, false
		}
		marker := data[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc {
			frame := data[i+4 : min(len(data), i+2+size)]
			if len(frame) < 6 || len(frame) < 6+3*int(frame[5]) {
				return 0, false, false
			}
			n := int(frame[5])
			var hmax, vmax, sum float64
			for c := range n {
				h, v := float64(frame[7+3*c]>>4), float64(frame[7+3*c]&15)
				hmax, vmax, sum = max(hmax, h), max(vmax, v), sum+h*v
			}
			if hmax == 0 || vmax == 0 {
				return 0, false, false
			}
			return sum / (hmax * vmax), marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce, true
		}
		i += 2 + size
	}
	return 0, false, false
}
