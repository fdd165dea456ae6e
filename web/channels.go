package web

import (
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The installation's outbound channels in the browser (issue 21): a section of the
// admin pages calling the same service methods as /api/v1/settings/messages. The SMTP
// password and the webhook secret are write-only (an empty field keeps the one kept);
// a test message goes to the administrator's own address through the outbox and the
// senders, like any notice; the outbox's counts by state show whether messages leave.

func init() {
	register(func(a *App) {
		a.Page("GET /admin/channels", adminRoles, a.adminChannels)
		a.Action("POST /admin/channels", adminRoles, a.adminSaveChannels)
		a.Action("POST /admin/channels/test", adminRoles, a.adminTestChannel)
	})
}

// channelsAdmin is the section's data: the settings as read (no credentials), the
// form as posted when refused, the outbox's counts and the channels a test may use.
type channelsAdmin struct {
	Settings service.MessageSettings
	Counts   map[string]int
	States   []string
	Channels []string
}

func (a *App) adminChannels(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showChannels(w, r, q, http.StatusOK, nil)
}

func (a *App) showChannels(w http.ResponseWriter, r *http.Request, q *Req, status int, form map[string]string) error {
	ctx := r.Context()
	d := channelsAdmin{States: []string{domain.MsgPending, domain.MsgSent, domain.MsgFailed}, Channels: domain.MessageChannels}
	var err error
	if d.Settings, err = a.svc.MessageSettings(ctx, q.User); err != nil {
		return err
	}
	if d.Counts, err = a.svc.OutboxCounts(ctx, q.User); err != nil {
		return err
	}
	if form == nil {
		s := d.Settings
		form = map[string]string{"smtp_host": s.SMTPHost, "smtp_from": s.SMTPFrom, "smtp_user": s.SMTPUser, "webhook_url": s.WebhookURL}
		if s.SMTPPort > 0 {
			form["smtp_port"] = strconv.Itoa(s.SMTPPort)
		}
	}
	return a.admin(w, r, q, status, "channels", d, form)
}

func (a *App) adminSaveChannels(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "form")
	}
	in := service.MessageSettings{SMTPHost: r.PostFormValue("smtp_host"), SMTPFrom: r.PostFormValue("smtp_from"),
		SMTPUser: r.PostFormValue("smtp_user"), SMTPPassword: r.PostFormValue("smtp_password"),
		WebhookURL: r.PostFormValue("webhook_url"), Secret: r.PostFormValue("webhook_secret")}
	var err error
	if p := r.PostFormValue("smtp_port"); p != "" {
		if in.SMTPPort, err = strconv.Atoi(p); err != nil {
			err = domain.Invalidf("smtp_port", "smtp_port: 1 to 65535 (25, 465, 587)")
		}
	}
	if err == nil {
		err = a.svc.SetMessageSettings(r.Context(), q.User, in)
	}
	if err != nil {
		status, _ := transport.Status(err)
		form := formOf(r)
		delete(form, "smtp_password") // write-only: never shown back, even refused
		delete(form, "webhook_secret")
		return a.refused(w, r, q, err, func() error { return a.showChannels(w, r, q, status, form) })
	}
	http.Redirect(w, r, "/admin/channels?saved=1", http.StatusSeeOther)
	return nil
}

func (a *App) adminTestChannel(w http.ResponseWriter, r *http.Request, q *Req) error {
	ch := r.PostFormValue("channel")
	if _, err := a.svc.SendTestMessage(r.Context(), q.User, ch); err != nil {
		status, _ := transport.Status(err)
		return a.refused(w, r, q, err, func() error { return a.showChannels(w, r, q, status, nil) })
	}
	return a.done(w, r, "/admin/channels", q.L.T("channels.test_queued", q.L.T("messages.channel."+ch)))
}
