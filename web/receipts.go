package web

import (
	"net/http"

	"whistle/domain"
	"whistle/transport"
)

// Progress messages for a public receipt's holder (issue 21): the tracking page, once
// it shows a case, offers a form for an e-mail address or a phone (POST
// /public/track/subscribe, with the receipt's number and secret again); the link the
// confirmation and every message carry opens /public/subscription, which confirms or
// stops by a button (a POST: a mail scanner's GET changes nothing).

func init() {
	register(func(a *App) {
		a.Public("POST /public/track/subscribe", a.subscribeReceipt)
		a.Public("GET /public/subscription", a.receiptSubscription)
		a.Public("POST /public/subscription", a.actOnReceiptSubscription)
	})
}

func (a *App) subscribeReceipt(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	number, secret := r.PostFormValue("number"), r.PostFormValue("secret")
	masked, err := a.svc.SubscribeReceipt(r.Context(), transport.ClientAddr(r), siteURL(r), number, secret, r.PostFormValue("channel"), r.PostFormValue("address"))
	status := http.StatusOK
	form := map[string]string{}
	if err != nil {
		var ok bool
		if status, ok = transport.Status(err); !ok {
			return err
		}
		q.Error = q.ErrorMessage(err)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			q.Error = q.L.T("track.notfound")
		}
		form = formOf(r)
	} else {
		q.Flash = q.L.T("subscription.sent", masked)
	}
	// the case again, as the tracking page showed it (not counted as a second look-up
	// when the receipt was wrong: nothing is shown then)
	d := trackData{Number: number, Token: loginToken(w, r), Secret: secret, Form: form}
	if domain.ErrorCode(err) != domain.ENOTFOUND && domain.ErrorCode(err) != domain.ETOOMANY {
		if d.View, err = a.svc.Follow(r.Context(), transport.ClientAddr(r), number, secret); err != nil {
			d.View = nil
		}
	}
	q.LoginToken = d.Token
	return a.Render(w, q, status, "track", d)
}

// subscriptionData is the link's page: the subscription, the token its button posts.
type subscriptionData struct {
	View  any
	T     string
	Token string
	Done  bool
}

func (a *App) receiptSubscription(w http.ResponseWriter, r *http.Request, q *Req) error {
	t := r.URL.Query().Get("t")
	v, err := a.svc.ReceiptSubscription(r.Context(), t)
	if err != nil {
		return err
	}
	q.LoginToken = loginToken(w, r)
	return a.Render(w, q, http.StatusOK, "subscription", subscriptionData{View: v, T: t, Token: q.LoginToken})
}

func (a *App) actOnReceiptSubscription(w http.ResponseWriter, r *http.Request, q *Req) error {
	if !a.checkLoginCSRF(r) {
		return domain.Errorf(domain.EFORBIDDEN, "csrf")
	}
	t := r.PostFormValue("t")
	v, err := a.svc.ActOnReceiptSubscription(r.Context(), t)
	if err != nil {
		return err
	}
	q.LoginToken = loginToken(w, r)
	return a.Render(w, q, http.StatusOK, "subscription", subscriptionData{View: v, T: t, Token: q.LoginToken, Done: true})
}
