package web

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"

	"whistle/domain"
)

// The receipt as a PDF (受理回执). The form on the printed receipt posts its number and
// secret back; the pair is checked like the public page's look-up (and rate-limited
// the same way), so the PDF carries the secret without the server keeping it.

func init() {
	register(func(a *App) {
		a.Public("POST /receipt.pdf", a.receiptPDF)
	})
}

// cjkFonts are system fonts with Chinese glyphs, in order of preference; TrueType
// collections give their first font. Debian: fonts-wqy-microhei.
var cjkFonts = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
}

var cjk struct {
	once sync.Once
	ttf  []byte
	err  error
}

// cjkFont loads the first Chinese font found, once.
func cjkFont() ([]byte, error) {
	cjk.once.Do(func() {
		cjk.err = errors.New("no Chinese TrueType font installed (e.g. apt-get install fonts-wqy-microhei)")
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

// receiptPDF answers the receipt of a case as an A5 PDF to whoever holds its number and
// secret.
func (a *App) receiptPDF(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) && !a.sessionCSRF(w, r, q) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	number, secret := strings.TrimSpace(r.PostFormValue("number")), strings.TrimSpace(r.PostFormValue("secret"))
	v, err := a.svc.Follow(r.Context(), peerAddr(r), number, secret)
	if err != nil {
		return err
	}
	font, err := cjkFont()
	if err != nil {
		a.log.Error("receipt pdf", "err", err)
		return domain.Errorf(domain.ENOTFOUND, "the PDF receipt is not available on this server; print the page instead")
	}
	pdf := fpdf.New("P", "mm", "A5", "")
	pdf.SetTitle("受理回执 "+v.Number, true)
	pdf.AddUTF8FontFromBytes("cjk", "", font)
	pdf.SetMargins(14, 14, 14)
	pdf.AddPage()
	pdf.SetFont("cjk", "", 18)
	pdf.CellFormat(0, 12, q.L.T("receipt.heading"), "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 10)
	pdf.CellFormat(0, 6, q.L.T("app.name"), "", 1, "C", false, 0, "")
	pdf.Ln(4)
	row := func(label, value string, size float64) {
		pdf.SetFont("cjk", "", 10)
		pdf.CellFormat(28, 9, label, "", 0, "L", false, 0, "")
		pdf.SetFont("cjk", "", size)
		pdf.MultiCell(0, 9, value, "", "L", false)
	}
	row(q.L.T("receipt.number"), v.Number, 16)
	row(q.L.T("receipt.secret"), secret, 16)
	row(q.L.T("receipt.channel"), q.L.Label("channel", v.Channel), 11)
	if v.Service != "" {
		row(q.L.T("receipt.matter"), v.Service, 11)
	}
	row(q.L.T("receipt.title_field"), v.Title, 11)
	row(q.L.T("receipt.at"), q.L.DateTime(v.Created), 11)
	if v.Expected != nil {
		row(q.L.T("track.expected"), q.L.DateTime(*v.Expected), 11)
	}
	pdf.Ln(4)
	pdf.SetFont("cjk", "", 10)
	if v.Channel == domain.CannotDo {
		pdf.MultiCell(0, 6, q.L.T("receipt.supervised"), "", "L", false)
	}
	pdf.MultiCell(0, 6, q.L.T("receipt.follow")+" /public/track", "", "L", false)
	pdf.MultiCell(0, 6, q.L.T("receipt.keep"), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="receipt-`+v.Number+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// sessionCSRF accepts the form of a signed-in user (the window clerk's receipt page).
func (a *App) sessionCSRF(w http.ResponseWriter, r *http.Request, q *Req) bool {
	r, ok := a.signIn(w, r, q)
	return ok && q.checkCSRF(r)
}
