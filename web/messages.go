package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The message settings page: which notices reach the user by e-mail, SMS or WeChat, at
// which addresses, and the quiet hours they wait through (issue 21). Every signed-in
// user keeps their own.

func init() {
	register(func(a *App) {
		a.Page("GET /notices/settings", nil, a.messagePrefs)
		a.Action("POST /notices/settings", nil, a.saveMessagePrefs)
	})
}

// messagePrefsData is the page's form: prefs as kept (or as posted when refused), the
// kinds and channels offered, and the quiet hours as HH:MM.
type messagePrefsData struct {
	Prefs              domain.MessagePrefs
	Kinds, Channels    []string
	On                 map[string]bool // "kind:channel" subscribed
	QuietFrom, QuietTo string
	// the regions and matters followed, and the form to follow one (leaders,
	// dispatchers and administrators: CanFollow)
	Follows   []domain.AreaFollow
	CanFollow bool
	Matters   []domain.Matter
	Regions   []string // the regions of the user's grants, offered first
	Form      map[string]string
}

func (a *App) messagePrefs(w http.ResponseWriter, r *http.Request, q *Req) error {
	p, err := a.svc.MessagePrefs(r.Context(), q.User)
	if err != nil {
		return err
	}
	return a.showMessagePrefs(w, r, q, http.StatusOK, p, nil)
}

func (a *App) showMessagePrefs(w http.ResponseWriter, r *http.Request, q *Req, status int, p domain.MessagePrefs, form map[string]string) error {
	d := messagePrefsData{Prefs: p, Kinds: domain.MessageKinds, Channels: domain.MessageChannels, On: map[string]bool{},
		QuietFrom: hhmm(p.QuietStart), QuietTo: hhmm(p.QuietEnd), CanFollow: service.FollowsAreas(q.User), Form: form}
	for _, s := range p.Subscriptions {
		d.On[s.Kind+":"+s.Channel] = true
	}
	var err error
	if d.Follows, err = a.svc.AreaFollows(r.Context(), q.User); err != nil {
		return err
	}
	if d.CanFollow {
		if d.Matters, err = a.svc.Matters(r.Context()); err != nil {
			return err
		}
		for _, g := range q.User.Grants {
			if g.Region != "" && !slices.Contains(d.Regions, g.Region) {
				d.Regions = append(d.Regions, g.Region)
			}
		}
	}
	return a.Render(w, q, status, "messages", d)
}

func (a *App) saveMessagePrefs(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "form")
	}
	p := domain.MessagePrefs{Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"), WeChat: r.PostFormValue("wechat")}
	var err error
	if p.QuietStart, err = minutesOf(r.PostFormValue("quiet_from")); err == nil {
		p.QuietEnd, err = minutesOf(r.PostFormValue("quiet_to"))
	}
	for _, v := range r.PostForm["sub"] {
		kind, ch, _ := strings.Cut(v, ":")
		p.Subscriptions = append(p.Subscriptions, domain.Subscription{Kind: kind, Channel: ch})
	}
	if err == nil {
		err = a.svc.SetMessagePrefs(r.Context(), q.User, p)
	}
	if err != nil {
		status, _ := transport.Status(err)
		return a.refused(w, r, q, err, func() error { return a.showMessagePrefs(w, r, q, status, p, nil) })
	}
	return a.done(w, r, "/notices/settings", q.L.T("messages.saved"))
}

// hhmm writes minutes after midnight as HH:MM.
func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// minutesOf reads HH:MM ("" is 00:00) as minutes after midnight.
func minutesOf(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, domain.Invalidf("quiet_start", "quiet hours: a time such as 22:00")
	}
	return t.Hour()*60 + t.Minute(), nil
}
