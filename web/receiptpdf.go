package web

import (
	"errors"
	"net/http"
	"strings"

	"whistle/domain"
	"whistle/pdf"
	"whistle/transport"
)

// The receipt as a PDF (受理回执). The form on the printed receipt posts its number and
// secret back; the pair is checked like the public page's look-up (and rate-limited
// the same way), so the PDF carries the secret without the server keeping it.

func init() {
	register(func(a *App) {
		a.Public("POST /receipt.pdf", a.receiptPDF)
	})
}

// receiptPDF answers the receipt of a case as an A5 PDF to whoever holds its number and
// secret.
func (a *App) receiptPDF(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) && !a.sessionCSRF(w, r, q) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	number, secret := strings.TrimSpace(r.PostFormValue("number")), strings.TrimSpace(r.PostFormValue("secret"))
	v, err := a.svc.Follow(r.Context(), transport.ClientAddr(r), number, secret)
	if err != nil {
		return err
	}
	rc := pdf.Receipt{Title: "受理回执 " + v.Number, Heading: q.L.T("receipt.heading"), Issuer: q.L.T("app.name"),
		Fields: []pdf.Field{{Label: q.L.T("receipt.number"), Value: v.Number, Large: true},
			{Label: q.L.T("receipt.secret"), Value: secret, Large: true},
			{Label: q.L.T("receipt.channel"), Value: q.L.Label("channel", v.Channel)}}}
	if v.Service != "" {
		rc.Fields = append(rc.Fields, pdf.Field{Label: q.L.T("receipt.matter"), Value: v.Service})
	}
	rc.Fields = append(rc.Fields, pdf.Field{Label: q.L.T("receipt.title_field"), Value: v.Title},
		pdf.Field{Label: q.L.T("receipt.at"), Value: q.L.DateTime(v.Created)})
	if v.Expected != nil {
		rc.Fields = append(rc.Fields, pdf.Field{Label: q.L.T("track.expected"), Value: q.L.DateTime(*v.Expected)})
	}
	if v.Channel == domain.CannotDo {
		rc.Notes = append(rc.Notes, q.L.T("receipt.supervised"))
	}
	rc.Notes = append(rc.Notes, q.L.T("receipt.follow")+" /public/track", q.L.T("receipt.keep"))
	doc, err := rc.Render()
	if errors.Is(err, pdf.ErrNoFont) {
		a.log.Error("receipt pdf", "err", err)
		return domain.Errorf(domain.ENOTFOUND, "the PDF receipt is not available on this server; print the page instead")
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="receipt-`+v.Number+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}

// sessionCSRF accepts the form of a signed-in user (the window clerk's receipt page).
func (a *App) sessionCSRF(w http.ResponseWriter, r *http.Request, q *Req) bool {
	r, ok := a.signIn(w, r, q)
	return ok && q.checkCSRF(r)
}
