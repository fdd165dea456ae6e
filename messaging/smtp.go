package messaging

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// SMTP sends e-mail through a relay. With a user it authenticates (PLAIN, which
// net/smtp allows only over TLS or to localhost); STARTTLS is used when offered.
type SMTP struct {
	Host     string
	Port     int
	From     string
	User     string
	Password string
	// Domain ends each Message-ID (<whistle-ID@Domain>); "" is the From address's domain.
	Domain string
}

// MessageID is the Message-ID header's value for message id: the idempotency key.
func (s SMTP) MessageID(id int64) string {
	d := s.Domain
	if d == "" {
		if i := strings.LastIndex(s.From, "@"); i >= 0 {
			d = s.From[i+1:]
		}
	}
	return fmt.Sprintf("<whistle-%d@%s>", id, d)
}

// Send sends m as a plain-text UTF-8 e-mail.
func (s SMTP) Send(ctx context.Context, m Message) error {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.Host}); err != nil {
			return err
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, s.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.From); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(s.compose(m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose writes m's headers and base64 body.
func (s SMTP) compose(m Message) []byte {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", s.From)
	h("To", m.To)
	h("Subject", mime.BEncoding.Encode("utf-8", m.Subject))
	h("Date", m.At.Format(time.RFC1123Z))
	h("Message-ID", s.MessageID(m.ID))
	h("X-Whistle-Event", m.Event)
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Text))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return []byte(b.String())
}
