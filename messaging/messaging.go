// Package messaging sends Whistle's outbound messages: e-mail over SMTP, and SMS and
// WeChat through one HTTP webhook gateway that any provider's adapter can sit behind.
//
// Delivery is at least once. A sender marks a message sent after the channel accepted
// it; a sender that dies between the two leaves the message to be sent again once its
// lease runs out. Exactly once is impossible across a network in general, so every
// message carries its id as an idempotency key — the webhook body's "id" (and the
// X-Whistle-Message-Id header), the e-mail's Message-ID — and a receiver drops a
// repeat it has seen.
//
// The webhook's body is JSON:
//
//	{"id": 42, "channel": "sms", "to": "13800000000", "subject": "…", "text": "…",
//	 "case_id": 7, "event": "whistle", "at": "2026-12-06T15:04:05+08:00"}
//
// POSTed with Content-Type application/json and X-Whistle-Signature: sha256=<hex of
// HMAC-SHA256 of the exact body with the installation's webhook secret>. Any 2xx answer
// is delivery; any other answer or no answer is a failure to retry.
package messaging

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Message is one message to one address.
type Message struct {
	ID      int64     `json:"id"`
	Channel string    `json:"channel"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Text    string    `json:"text"`
	CaseID  int64     `json:"case_id,omitempty"`
	Event   string    `json:"event"`
	At      time.Time `json:"at"`
}

// Channel sends a message; an error means it may not have arrived, and is retried.
type Channel interface {
	Send(ctx context.Context, m Message) error
}

// Channels routes messages by their channel name (email, sms, wechat).
type Channels map[string]Channel

// Send sends m through its channel.
func (c Channels) Send(ctx context.Context, m Message) error {
	ch := c[m.Channel]
	if ch == nil {
		return fmt.Errorf("channel %s is not configured", m.Channel)
	}
	return ch.Send(ctx, m)
}

// SignatureHeader carries the body's HMAC.
const SignatureHeader = "X-Whistle-Signature"

// Sign is the signature header's value for body: "sha256=" and the hex HMAC-SHA256.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify tells whether sig is body's signature with secret (for a receiver).
func Verify(secret, body []byte, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(Sign(secret, body)))
}

// Webhook posts messages to a gateway.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client // nil: a client with a 15 s timeout
}

// Send posts m's JSON body, signed.
func (w Webhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(w.Secret, body))
	req.Header.Set("X-Whistle-Message-Id", fmt.Sprint(m.ID))
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}
