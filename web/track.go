package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"

	"github.com/skip2/go-qrcode"

	"whistle/service"
)

// The receipt's way back to its case: the tracking address as a whole URL (this site's
// own, with the receipt's number and secret) and the same address as a QR code the
// reporter's phone camera opens.

// siteURL is this site's origin as the browser reached it: scheme and host.
func siteURL(r *http.Request) string {
	scheme := "http"
	if secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// trackURL is the tracking page's address for a receipt: opened, it shows the case.
func trackURL(r *http.Request, number, secret string) string {
	v := url.Values{"number": {number}}
	if secret != "" {
		v.Set("secret", secret)
	}
	return siteURL(r) + "/public/track?" + v.Encode()
}

// qrDataURL is text as a QR code in a data: address, for an <img> on the page (the
// page's content policy allows data: images).
func qrDataURL(text string, size int) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, size)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// Government is the installation's government name, heading the public pages and the
// receipt (an administrator's setting).
func (q *Req) Government() string {
	name, err := q.app.svc.Government(q.r.Context())
	if err != nil {
		q.app.log.Error("government name", "err", err)
		return service.DefaultGovernment
	}
	return name
}
