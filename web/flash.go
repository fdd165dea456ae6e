package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"whistle/domain"
)

// Signs that work was done and that new work came: a success message after every
// action that redirects (a flash, carried to the next page in a short-lived cookie and
// shown once), and the unread count beside 通知 in the header, read when a page loads
// and again every half minute.

const flashCookie = "whistle_flash"

// done answers a successful action: to path, with msg shown once at the top of the
// page it lands on.
func (a *App) done(w http.ResponseWriter, r *http.Request, path, msg string) error {
	setCookie(w, r, flashCookie, url.QueryEscape(msg), time.Minute)
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// takeFlash reads the message an action left for this page and clears it, so a
// reload does not show it again.
func (q *Req) takeFlash(w http.ResponseWriter) {
	if q.r == nil {
		return
	}
	c, err := q.r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return
	}
	clearCookie(w, q.r, flashCookie)
	if msg, err := url.QueryUnescape(c.Value); err == nil && len(msg) <= 500 {
		q.Flash = msg
	}
}

func init() {
	register(func(a *App) {
		a.Page("GET /notices/count", nil, a.unreadCount)
	})
}

// unreadCount answers the badge's text: the user's unread notices, "" for none and
// "99+" past 99.
func (a *App) unreadCount(w http.ResponseWriter, r *http.Request, q *Req) error {
	n, err := a.svc.UnreadNotices(r.Context(), q.User)
	if err != nil {
		return err
	}
	text := ""
	switch {
	case n > 99:
		text = "99+"
	case n > 0:
		text = strconv.Itoa(n)
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(text))
	return err
}

// actedMessage is the flash after a case action: "已派遣：工单 LT…".
func actedMessage(q *Req, action domain.Action, number string) string {
	return q.L.T("flash.acted", q.L.Label("action", action), number)
}
