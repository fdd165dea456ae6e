// Package pdf makes the documents Whistle prints: the receipt of a case (受理回执) and
// the poster of an enterprise's inspection code. The Chinese font comes from the system
// (Debian: fonts-wqy-microhei), so the binary does not carry its megabytes; each
// document embeds only the glyphs it uses. The caller gives the words, already in the
// reader's language.
package pdf

import (
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
)

// cjkFonts are system fonts with Chinese glyphs, in order of preference; TrueType
// collections give their first font. Debian: fonts-wqy-microhei.
var cjkFonts = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
}

// ErrNoFont is the error of a server without a Chinese font, on which no PDF is made.
var ErrNoFont = errors.New("no Chinese TrueType font installed (e.g. apt-get install fonts-wqy-microhei)")

var cjk struct {
	once sync.Once
	ttf  []byte
	err  error
}

// Font gives the first Chinese font found, loaded once; ErrNoFont when there is none.
func Font() ([]byte, error) {
	cjk.once.Do(func() {
		cjk.err = ErrNoFont
		for _, p := range cjkFonts {
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			if strings.HasSuffix(p, ".ttc") {
				if b, err = firstFontOfCollection(b); err != nil {
					continue
				}
			}
			cjk.ttf, cjk.err = b, nil
			return
		}
	})
	return cjk.ttf, cjk.err
}

// firstFontOfCollection writes the first font of a TrueType collection (.ttc) as a
// stand-alone TrueType file: its table directory with the tables copied after it and
// the offsets rewritten. Every offset is checked against the data.
func firstFontOfCollection(b []byte) ([]byte, error) {
	bad := errors.New("not a TrueType collection")
	be := binary.BigEndian
	if len(b) < 16 || string(b[:4]) != "ttcf" || be.Uint32(b[8:]) < 1 {
		return nil, bad
	}
	off := int(be.Uint32(b[12:]))
	if off < 0 || off+12 > len(b) {
		return nil, bad
	}
	n := int(be.Uint16(b[off+4:]))
	dir := off + 12
	if n == 0 || n > 100 || dir+16*n > len(b) {
		return nil, bad
	}
	out := make([]byte, 12+16*n)
	copy(out, b[off:off+12])
	for i := 0; i < n; i++ {
		rec := b[dir+16*i : dir+16*i+16]
		start, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if start < 0 || length < 0 || start+length > len(b) {
			return nil, bad
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		copy(out[12+16*i:], rec[:8]) // tag and checksum
		be.PutUint32(out[12+16*i+8:], uint32(len(out)))
		be.PutUint32(out[12+16*i+12:], uint32(length))
		out = append(out, b[start:start+length]...)
	}
	return out, nil
}

// newPage starts a portrait document of the size ("A4", "A5") with its title, the
// Chinese font as "cjk", side margins side and a top margin top, on its first page;
// ErrNoFont on a server without a Chinese font.
func newPage(size, title string, side, top float64) (*fpdf.Fpdf, error) {
	font, err := Font()
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetTitle(title, true)
	pdf.AddUTF8FontFromBytes("cjk", "", font)
	pdf.SetMargins(side, top, side)
	pdf.AddPage()
	return pdf, nil
}
