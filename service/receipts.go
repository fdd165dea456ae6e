package service

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/secret"
	"whistle/store"
)

// Public-receipt holders ask for progress messages (issue 21, FixMyStreet's alerts):
// whoever holds a case's receipt number and secret — no account — gives an e-mail
// address or a phone on the public tracking page. The address is sealed with the
// installation's key and shown masked; a confirmation goes to it through the outbox,
// and only once its link is opened is the address messaged at each step of the case
// (the steps a case's followers hear of, service/follows.go), each message with a link
// that stops them. Asking is rate-limited per client address, and a case takes a few
// addresses at most. The links carry a token made from the subscription's id with the
// installation's key (no token is stored): one for confirming, one for stopping.

const (
	// ReceiptSubsPerHour bounds how many subscriptions one client address asks for.
	ReceiptSubsPerHour = 5
	// MaxReceiptSubs bounds a case's subscriptions not stopped.
	MaxReceiptSubs = 3
)

// Subscription actions a token allows.
const (
	SubConfirm = "confirm"
	SubStop    = "stop"
)

// ReceiptSubView is a subscription as its link's page shows it.
type ReceiptSubView struct {
	Number    string `json:"number"`
	Channel   string `json:"channel"`
	Masked    string `json:"masked"`
	Action    string `json:"action"`
	Confirmed bool   `json:"confirmed"`
	Ended     bool   `json:"ended"`
}

// subToken is the token of action on subscription id.
func subToken(keys *secret.Keys, action string, id int64) string {
	n := strconv.FormatInt(id, 10)
	return action[:1] + n + "." + keys.Hash("receipt_sub:"+action, n)
}

// parseSubToken reads a token: the subscription and the action it allows.
func parseSubToken(keys *secret.Keys, token string) (int64, string, bool) {
	head, _, ok := strings.Cut(token, ".")
	if !ok || len(head) < 2 || len(token) > 100 {
		return 0, "", false
	}
	action := map[byte]string{'c': SubConfirm, 's': SubStop}[head[0]]
	id, err := strconv.ParseInt(head[1:], 10, 64)
	if action == "" || err != nil || id <= 0 {
		return 0, "", false
	}
	return id, action, subtle.ConstantTimeCompare([]byte(subToken(keys, action, id)), []byte(token)) == 1
}

// maskAddress is an address as pages show it: 139****1234, z***@example.cn.
func maskAddress(channel, to string) string {
	if channel != domain.ChanEmail {
		return domain.MaskPhone(to)
	}
	local, host, _ := strings.Cut(to, "@")
	r := []rune(local)
	if len(r) == 0 {
		return "***@" + host
	}
	return string(r[0]) + "***@" + host
}

// SubscribeReceipt has the holder of a case's receipt (number and secret) ask for its
// progress messages at to, by channel (email or sms), and sends the confirmation there
// through the outbox; site is the origin the links start with. It answers the address
// masked. Asking again for the same address starts it over (a new confirmation).
func (s *Service) SubscribeReceipt(ctx context.Context, addr, site, number, secret, channel, to string) (string, error) {
	if err := s.limit(ctx, "receipt_sub", addr, time.Hour, ReceiptSubsPerHour); err != nil {
		return "", err
	}
	number, secret, to = strings.TrimSpace(number), strings.ToUpper(strings.TrimSpace(secret)), strings.TrimSpace(to)
	if number == "" || secret == "" || len(number) > 40 || len(secret) > 40 {
		return "", domain.Errorf(domain.EINVALID, "give the receipt number and its secret")
	}
	var p domain.MessagePrefs
	kind := "phone"
	switch channel {
	case domain.ChanEmail:
		p.Email, kind = to, "email"
	case domain.ChanSMS:
		p.Phone = to
	default:
		return "", domain.Invalidf("receipt.channel", "channel: email or sms")
	}
	if err := p.Validate(); err != nil || to == "" {
		return "", domain.Invalidf("receipt.address", "address: an e-mail address or a phone number, as the channel asks")
	}
	id, err := s.db.CaseByReceipt(ctx, number, secret)
	if err != nil {
		return "", err
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return "", err
	}
	sub := store.ReceiptSub{CaseID: id, Channel: channel, Masked: maskAddress(channel, to), Site: site}
	if sub.Address, err = keys.Seal(to); err != nil {
		return "", err
	}
	hash := keys.Hash(kind, to)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		n, err := tx.ReceiptSubs(id, hash)
		if err != nil {
			return err
		}
		if n >= MaxReceiptSubs {
			return domain.Invalidf("receipt.too_many", "this case already sends its progress to %d addresses", MaxReceiptSubs)
		}
		if sub.ID, err = tx.PutReceiptSub(sub, hash); err != nil {
			return err
		}
		link := site + "/public/subscription?t=" + subToken(keys, SubConfirm, sub.ID)
		return tx.EnqueueToSub(sub, "receipt_confirm", fmt.Sprintf("您申请接收工单 %s 的办理进展通知。确认请打开：%s 。如非本人申请，请忽略本消息。", number, link))
	})
	return sub.Masked, err
}

// ReceiptSubscription reads the subscription a link's token names, and the action it
// allows (a wrong token: not found).
func (s *Service) ReceiptSubscription(ctx context.Context, token string) (ReceiptSubView, error) {
	keys, err := s.landKeys(ctx)
	if err != nil {
		return ReceiptSubView{}, err
	}
	id, action, ok := parseSubToken(keys, token)
	if !ok {
		return ReceiptSubView{}, domain.Errorf(domain.ENOTFOUND, "no such subscription link")
	}
	sub, err := s.db.ReceiptSub(ctx, id)
	if err != nil {
		return ReceiptSubView{}, err
	}
	c, err := s.db.Case(ctx, sub.CaseID)
	if err != nil {
		return ReceiptSubView{}, err
	}
	return ReceiptSubView{Number: c.Number, Channel: sub.Channel, Masked: sub.Masked, Action: action, Confirmed: sub.Confirmed, Ended: sub.Ended}, nil
}

// ActOnReceiptSubscription does what a link's token allows: confirms the subscription
// (a stopped one stays stopped) or stops it.
func (s *Service) ActOnReceiptSubscription(ctx context.Context, token string) (ReceiptSubView, error) {
	v, err := s.ReceiptSubscription(ctx, token)
	if err != nil {
		return v, err
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return v, err
	}
	id, _, _ := parseSubToken(keys, token)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if v.Action == SubStop {
			return tx.EndReceiptSub(id)
		}
		_, err := tx.ConfirmReceiptSub(id)
		return err
	})
	if err != nil {
		return v, err
	}
	return s.ReceiptSubscription(ctx, token)
}

// openSealed makes a message to a public-receipt holder sendable: its address opened
// and, on a progress message, the link that stops them added.
func (s *Service) openSealed(ctx context.Context, m domain.OutMessage) (domain.OutMessage, error) {
	if !m.Sealed {
		return m, nil
	}
	keys, err := s.landKeys(ctx)
	if err != nil {
		return m, err
	}
	if m.To, err = keys.Open(m.To); err != nil {
		return m, err
	}
	if m.Sub != 0 && m.Kind != "receipt_confirm" {
		m.Text += fmt.Sprintf(" 退订：%s/public/subscription?t=%s", m.Site, subToken(keys, SubStop, m.Sub))
	}
	return m, nil
}

// receiptProgress puts a progress message for the live subscriptions of c in the
// outbox: the case's number and the step, nothing of what it reports.
func receiptProgress(tx *store.Tx, c *domain.Case, step string) error {
	return tx.EnqueueReceiptProgress(c.ID, "progress", fmt.Sprintf("您关注的工单 %s %s。", c.Number, step))
}
