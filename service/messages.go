package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"whistle/domain"
	"whistle/messaging"
	"whistle/store"
)

// The installation's outbound channels (issue 21): settings holding JSON, changed by
// the installation's administrators, audited with their credentials kept out of the log.
const (
	MessageSMTPSetting    = "messages_smtp"
	MessageWebhookSetting = "messages_webhook"
)

// MessageSettings are the installation's outbound channels. Password and Secret are
// never read back: PasswordSet and SecretSet say whether one is kept, and an empty one
// in a change keeps the one there is.
type MessageSettings struct {
	SMTPHost     string `json:"smtp_host"`
	SMTPPort     int    `json:"smtp_port"`
	SMTPFrom     string `json:"smtp_from"`
	SMTPUser     string `json:"smtp_user"`
	SMTPPassword string `json:"smtp_password,omitempty"`
	PasswordSet  bool   `json:"smtp_password_set"`
	WebhookURL   string `json:"webhook_url"`
	Secret       string `json:"webhook_secret,omitempty"`
	SecretSet    bool   `json:"webhook_secret_set"`
}

// smtpSetting and webhookSetting are the settings as kept: the credentials sealed with
// the installation's personal-data key (PasswordSealed, SecretSealed; secret.Keys), so
// the settings table, a backup of it or the audit log's secret hash never holds them
// in clear. Password and Secret are the opened credentials, never stored: a setting
// from before sealing (a clear "password" or "secret") still opens, and is sealed
// at its next change.
type smtpSetting struct {
	Host           string `json:"host"`
	Port           int    `json:"port"`
	From           string `json:"from"`
	User           string `json:"user,omitempty"`
	Password       string `json:"password,omitempty"`
	PasswordSealed string `json:"password_sealed,omitempty"`
}

type webhookSetting struct {
	URL          string `json:"url"`
	Secret       string `json:"secret,omitempty"`
	SecretSealed string `json:"secret_sealed,omitempty"`
}

// messageSettings reads the settings with their credentials opened.
func (s *Service) messageSettings(ctx context.Context) (smtpSetting, webhookSetting, error) {
	var m smtpSetting
	var w webhookSetting
	for key, into := range map[string]any{MessageSMTPSetting: &m, MessageWebhookSetting: &w} {
		v, err := s.db.Setting(ctx, key)
		if err != nil {
			return m, w, err
		}
		if v != "" {
			if err := json.Unmarshal([]byte(v), into); err != nil {
				return m, w, fmt.Errorf("setting %s: %w", key, err)
			}
		}
	}
	if m.PasswordSealed == "" && w.SecretSealed == "" {
		return m, w, nil
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return m, w, err
	}
	for _, c := range []struct{ sealed, into *string }{{&m.PasswordSealed, &m.Password}, {&w.SecretSealed, &w.Secret}} {
		if *c.sealed == "" {
			continue
		}
		if *c.into, err = keys.Open(*c.sealed); err != nil {
			return m, w, fmt.Errorf("message channel credentials: %w", err)
		}
	}
	return m, w, nil
}

// sealCredentials seals the settings' credentials for storing, leaving no clear copy.
func (s *Service) sealCredentials(ctx context.Context, m *smtpSetting, w *webhookSetting) error {
	m.PasswordSealed, w.SecretSealed = "", ""
	if m.Password == "" && w.Secret == "" {
		return nil
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return err
	}
	if m.Password != "" {
		if m.PasswordSealed, err = keys.Seal(m.Password); err != nil {
			return err
		}
	}
	if w.Secret != "" {
		if w.SecretSealed, err = keys.Seal(w.Secret); err != nil {
			return err
		}
	}
	m.Password, w.Secret = "", ""
	return nil
}

// MessageSettings reads the installation's outbound channels, without credentials
// (its administrators).
func (s *Service) MessageSettings(ctx context.Context, u domain.User) (MessageSettings, error) {
	if err := s.installationAdmin(ctx, u); err != nil {
		return MessageSettings{}, err
	}
	m, w, err := s.messageSettings(ctx)
	return MessageSettings{SMTPHost: m.Host, SMTPPort: m.Port, SMTPFrom: m.From, SMTPUser: m.User, PasswordSet: m.Password != "",
		WebhookURL: w.URL, SecretSet: w.Secret != ""}, err
}

// SetMessageSettings changes the installation's outbound channels (its administrators;
// audited, credentials logged as secrets). An empty host turns e-mail off, an empty URL
// the webhook.
func (s *Service) SetMessageSettings(ctx context.Context, u domain.User, in MessageSettings) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	old, oldHook, err := s.messageSettings(ctx)
	if err != nil {
		return err
	}
	m := smtpSetting{Host: strings.TrimSpace(in.SMTPHost), Port: in.SMTPPort, From: strings.TrimSpace(in.SMTPFrom), User: strings.TrimSpace(in.SMTPUser), Password: in.SMTPPassword}
	if m.Password == "" {
		m.Password = old.Password
	}
	if m.Host != "" {
		if strings.ContainsAny(m.Host, " /:\r\n") || len(m.Host) > 200 {
			return domain.Invalidf("smtp_host", "smtp_host: a host name or address")
		}
		if m.Port < 1 || m.Port > 65535 {
			return domain.Invalidf("smtp_port", "smtp_port: 1 to 65535 (25, 465, 587)")
		}
		if !strings.Contains(m.From, "@") || (&domain.MessagePrefs{Email: m.From}).Validate() != nil {
			return domain.Invalidf("smtp_from", "smtp_from: the sender's e-mail address")
		}
	}
	w := webhookSetting{URL: strings.TrimSpace(in.WebhookURL), Secret: in.Secret}
	if w.Secret == "" {
		w.Secret = oldHook.Secret
	}
	if w.URL != "" {
		p, err := url.Parse(w.URL)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return domain.Invalidf("webhook_url", "webhook_url: an http or https address")
		}
		if len(w.Secret) < 16 {
			return domain.Invalidf("webhook_secret", "webhook_secret: at least 16 characters, shared with the gateway")
		}
	}
	if err := s.sealCredentials(ctx, &m, &w); err != nil {
		return err
	}
	for key, v := range map[string]any{MessageSMTPSetting: m, MessageWebhookSetting: w} {
		b, _ := json.Marshal(v)
		if err := s.putSetting(ctx, u, key, string(b)); err != nil {
			return err
		}
	}
	return nil
}

// messageChannels are the channels the settings configure now.
func (s *Service) messageChannels(ctx context.Context) (messaging.Channels, error) {
	m, w, err := s.messageSettings(ctx)
	if err != nil {
		return nil, err
	}
	ch := messaging.Channels{}
	if m.Host != "" {
		ch[domain.ChanEmail] = messaging.SMTP{Host: m.Host, Port: m.Port, From: m.From, User: m.User, Password: m.Password}
	}
	if w.URL != "" {
		hook := messaging.Webhook{URL: w.URL, Secret: []byte(w.Secret)}
		ch[domain.ChanSMS], ch[domain.ChanWeChat] = hook, hook
	}
	return ch, nil
}

// MessagePrefs reads u's own outbound message preferences, the phone masked.
func (s *Service) MessagePrefs(ctx context.Context, u domain.User) (domain.MessagePrefs, error) {
	p, err := s.db.MessagePrefs(ctx, u.ID)
	p.Phone = domain.MaskPhone(p.Phone)
	return p, err
}

// SetMessagePrefs replaces u's own preferences. A phone given masked as read back (or
// empty while an SMS subscription stays) keeps the one kept.
func (s *Service) SetMessagePrefs(ctx context.Context, u domain.User, p domain.MessagePrefs) error {
	if u.ID == 0 {
		return domain.Errorf(domain.EFORBIDDEN, "messages are for logged-in users")
	}
	old, err := s.db.MessagePrefs(ctx, u.ID)
	if err != nil {
		return err
	}
	if p.Phone != "" && p.Phone == domain.MaskPhone(old.Phone) {
		p.Phone = old.Phone
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.PutMessagePrefs(u.ID, p) })
}

// SendBatch is how many due messages one claim takes.
const SendBatch = 50

// SendMessages sends the outbox's due messages through the configured channels until
// none is due, and returns how many it sent. Each batch is claimed in one transaction
// (a lease of domain.MessageLease: due_at moves past it, so no other sender reads
// them), then each message is sent outside any transaction and its outcome recorded in
// one of its own. A sender that dies between a send and its record leaves the message
// to be sent again after the lease: at least once, the message id the receiver's key.
// A message due in its user's quiet hours is put off to their end, without an attempt.
func (s *Service) SendMessages(ctx context.Context) (int, error) {
	sent := 0
	if due, err := s.db.AnyMessageDue(ctx, s.now().Unix()); err != nil || !due {
		return 0, err
	}
	ch, err := s.messageChannels(ctx)
	if err != nil {
		return 0, err
	}
	for {
		var claimed []domain.OutMessage
		var lease time.Time
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			claimed = claimed[:0]
			now := s.now()
			lease = now.Add(domain.MessageLease)
			due, err := tx.DueMessages(now.Unix(), SendBatch)
			if err != nil {
				return err
			}
			for _, m := range due {
				if until, quiet := domain.QuietUntil(now, m.QuietStart, m.QuietEnd); quiet {
					if err := tx.PutOffMessage(m.ID, until); err != nil {
						return err
					}
					continue
				}
				if err := tx.ClaimMessage(m.ID, lease); err != nil {
					return err
				}
				m.Attempts++
				claimed = append(claimed, m)
			}
			return nil
		})
		if err != nil || len(claimed) == 0 {
			return sent, err
		}
		for _, m := range claimed {
			if err := ctx.Err(); err != nil {
				return sent, err
			}
			var serr error
			if m.Ended { // stopped since it was put: never sent
				serr = errors.New("the subscription was stopped")
				m.Attempts = domain.MaxAttempts
			} else if m, serr = s.openSealed(ctx, m); serr == nil { // receipts.go
				serr = s.sendOne(ctx, ch, m)
			}
			err := s.db.Update(ctx, func(tx *store.Tx) error {
				if serr == nil {
					return tx.MessageSent(m.ID)
				}
				var retry time.Time
				if m.Attempts < domain.MaxAttempts {
					retry = s.now().Add(domain.Backoff(m.Attempts))
				}
				return tx.MessageFailed(m.ID, lease, retry, serr.Error())
			})
			if err != nil {
				return sent, err
			}
			if serr == nil {
				sent++
			}
		}
	}
}

// sendOne sends one message, refusing one with no address or channel.
func (s *Service) sendOne(ctx context.Context, ch messaging.Channels, m domain.OutMessage) error {
	if m.To == "" {
		return fmt.Errorf("no %s address", m.Channel)
	}
	subject := m.Text
	if r := []rune(subject); len(r) > 40 {
		subject = string(r[:40]) + "…"
	}
	return ch.Send(ctx, messaging.Message{ID: m.ID, Channel: m.Channel, To: m.To, Subject: "[Whistle] " + subject, Text: m.Text,
		CaseID: m.CaseID, Event: m.Kind, At: m.CreatedAt.In(domain.China)})
}

// RunSender sends due messages every interval until ctx ends (whistle serve starts
// it beside the sweeper); every server may run one.
func (s *Service) RunSender(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.SendMessages(ctx); err != nil && ctx.Err() == nil {
			log.Error("messages", "err", err)
		} else if n > 0 {
			log.Info("messages", "sent", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// OutboxCounts counts the outbox's messages by state (administrators).
func (s *Service) OutboxCounts(ctx context.Context, u domain.User) (map[string]int, error) {
	if err := adminOnly(u); err != nil {
		return nil, err
	}
	return s.db.OutboxCounts(ctx)
}

// SendTestMessage puts a test message on channel to u's own address (their message
// preferences) in the outbox, so the installation's administrators see the channel
// work end to end, through the senders; audited. It refuses a channel not configured
// or one u has no address on.
func (s *Service) SendTestMessage(ctx context.Context, u domain.User, channel string) (int64, error) {
	if err := s.installationAdmin(ctx, u); err != nil {
		return 0, err
	}
	ch, err := s.messageChannels(ctx)
	if err != nil {
		return 0, err
	}
	if _, ok := ch[channel]; !ok {
		return 0, domain.Invalidf("messages.test_channel", "channel %q is not configured: set its server above first", channel)
	}
	p, err := s.db.MessagePrefs(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	if p.Address(channel) == "" {
		return 0, domain.Invalidf("messages.test_address", "you have no %s address: set it in your message settings (/notices/settings) first", channel)
	}
	var id int64
	err = s.audited(ctx, u, "messages.test", "outbox/"+channel, func(tx *store.Tx) (domain.Change, error) {
		var err error
		id, err = tx.EnqueueMessage(u.ID, channel, "test", fmt.Sprintf("Whistle 测试消息：%s 渠道可用（%s）。", channel, s.now().In(domain.China).Format("2006-01-02 15:04")))
		return domain.Change{After: map[string]string{"channel": channel}}, err
	})
	return id, err
}
