package domain

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Outbound message channels: where a notice goes besides the web inbox.
const (
	ChanEmail  = "email"
	ChanSMS    = "sms"
	ChanWeChat = "wechat"
)

// MessageChannels are the channels a user may subscribe to, in the order pages show them.
var MessageChannels = []string{ChanEmail, ChanSMS, ChanWeChat}

// MessageKinds are the notice kinds the preferences page offers: the kinds the
// service's notices are made with (store Notify, NotifyUsers, NotifyAbout). A
// subscription may name any kind of the same form (validKind).
var MessageKinds = []string{
	"new_case", "dispatch", "whistle", "acknowledge", "return", "resolve", "verify", "reject",
	"close", "reopen", "comment", "overdue_ack", "overdue_resolve", "overdue_report_in",
	"escalate", "supervise", "instruct", "overdue_supervise", "merged", "cannot_do",
	"project_item", "project_item_late", "rect_apply", "rect_approve", "rect_return", "rect_overdue",
	"land_overdue",
	"progress", // a step on a case the user follows (service/follows.go)
	"area",     // a case filed, late or closed in a region or matter the user follows
}

// validKind tells whether k has the form of a notice kind: 1 to 40 of a-z, 0-9, _ and -.
func validKind(k string) bool {
	return k != "" && len(k) <= 40 && strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_-") == ""
}

// Message states in the outbox.
const (
	MsgPending = "pending" // waiting, or claimed by a sender whose lease has not run out
	MsgSent    = "sent"
	MsgFailed  = "failed" // given up after MaxAttempts
)

// MaxAttempts is how many times a sender tries a message before marking it failed.
const MaxAttempts = 6

// MessageLease is how long a claimed message is a sender's alone; a sender that dies
// mid-send leaves it to be sent by another once the lease has run out.
const MessageLease = 2 * time.Minute

// Backoff is the wait after the attempt-th failed try (1-based): 30 s doubled each time,
// at most 4 hours.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < 4*time.Hour; i++ {
		d *= 2
	}
	return min(d, 4*time.Hour)
}

// Subscription is one notice kind sent to one channel.
type Subscription struct {
	Kind    string `json:"kind"`
	Channel string `json:"channel"`
}

// MessagePrefs are a user's outbound message preferences: addresses per channel, which
// notice kinds go to which channel, and quiet hours in China time (minutes after
// midnight; QuietStart == QuietEnd: none). A message due in quiet hours waits until
// they end.
type MessagePrefs struct {
	Email         string         `json:"email"`
	Phone         string         `json:"phone"`
	WeChat        string         `json:"wechat"`
	Subscriptions []Subscription `json:"subscriptions"`
	QuietStart    int            `json:"quiet_start"`
	QuietEnd      int            `json:"quiet_end"`
}

// Validate checks the preferences and puts them in a canonical form (trimmed, the
// subscriptions sorted and without repeats).
func (p *MessagePrefs) Validate() error {
	p.Email, p.Phone, p.WeChat = strings.TrimSpace(p.Email), strings.TrimSpace(p.Phone), strings.TrimSpace(p.WeChat)
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || len(p.Email) > 200 {
			return Invalidf("email", "email: an e-mail address such as name@example.cn")
		}
	}
	if p.Phone != "" && (len(p.Phone) < 5 || len(p.Phone) > 20 || strings.Trim(p.Phone, "+0123456789- ") != "") {
		return Invalidf("phone", "phone: a phone number of digits")
	}
	if len(p.WeChat) > 100 || strings.ContainsAny(p.WeChat, "\r\n\t") {
		return Invalidf("wechat", "wechat: an id of at most 100 characters on one line")
	}
	for _, q := range []int{p.QuietStart, p.QuietEnd} {
		if q < 0 || q >= 24*60 {
			return Invalidf("quiet_start", "quiet hours: minutes after midnight, 0 to 1439")
		}
	}
	seen := map[Subscription]bool{}
	var subs []Subscription
	for _, s := range p.Subscriptions {
		if !slices.Contains(MessageChannels, s.Channel) {
			return Invalidf("subscriptions", "subscriptions: channel %q is not one of email, sms, wechat", s.Channel)
		}
		if !validKind(s.Kind) {
			return Invalidf("subscriptions", "subscriptions: unknown notice kind %q", s.Kind)
		}
		if addr := p.Address(s.Channel); addr == "" {
			return Invalidf("subscriptions", "subscriptions: channel %s needs its address", s.Channel)
		}
		if !seen[s] {
			seen[s] = true
			subs = append(subs, s)
		}
	}
	slices.SortFunc(subs, func(a, b Subscription) int {
		return strings.Compare(a.Kind+"\x00"+a.Channel, b.Kind+"\x00"+b.Channel)
	})
	p.Subscriptions = subs
	return nil
}

// Address is where the channel reaches the user, "" when unset.
func (p MessagePrefs) Address(channel string) string {
	switch channel {
	case ChanEmail:
		return p.Email
	case ChanSMS:
		return p.Phone
	case ChanWeChat:
		return p.WeChat
	}
	return ""
}

// QuietUntil tells whether t falls in the quiet hours start–end (minutes after midnight,
// China time; start == end: none; start > end spans midnight), and when they end.
func QuietUntil(t time.Time, start, end int) (time.Time, bool) {
	if start == end {
		return time.Time{}, false
	}
	c := t.In(China)
	m := c.Hour()*60 + c.Minute()
	midnight := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, China)
	in := func(lo, hi int) bool { return m >= lo && m < hi }
	switch {
	case start < end && in(start, end):
		return midnight.Add(time.Duration(end) * time.Minute), true
	case start > end && m >= start:
		return midnight.AddDate(0, 0, 1).Add(time.Duration(end) * time.Minute), true
	case start > end && m < end:
		return midnight.Add(time.Duration(end) * time.Minute), true
	}
	return time.Time{}, false
}

// OutMessage is one message in the outbox: a notice for one user on one channel. Its id
// is the idempotency key every channel carries (the webhook's "id", the e-mail's
// Message-ID), so a receiver can drop a repeat: delivery is at least once.
type OutMessage struct {
	ID        int64
	UserID    int64
	Channel   string
	To        string
	CaseID    int64
	Kind      string
	Text      string
	CreatedAt time.Time
	Attempts  int
	// QuietStart, QuietEnd are the user's quiet hours when claimed.
	QuietStart, QuietEnd int
	// Sealed says To is sealed (a message to a public-receipt holder's address, not a
	// user's): the sender opens it. Sub is that holder's subscription, Site the origin
	// its links start with, Ended whether it was stopped since the message was put.
	Sealed bool
	Sub    int64
	Site   string
	Ended  bool
}

// AreaFollow is a region a user follows, or one matter in it (Matter ""): the user is
// given an "area" notice when a case is filed there, first runs late, or is closed —
// not at every step, which a case's own followers hear of (FollowsArea).
type AreaFollow struct {
	Region     string `json:"region"`
	Matter     string `json:"matter"`
	RegionName string `json:"region_name,omitempty"`
	MatterName string `json:"matter_name,omitempty"`
}

// MaxAreaFollows bounds the regions and matters one user follows.
const MaxAreaFollows = 50

// MayFollowArea tells whether u may follow region: a leader, dispatcher or
// administrator whose grant holds the region (staff who see every case there by region;
// officers see by org and follow cases one by one).
func MayFollowArea(u User, region string) bool {
	for _, g := range u.Grants {
		switch g.Role {
		case RoleLeader, RoleDispatcher, RoleAdmin:
			if Within(region, g.Region) {
				return true
			}
		}
	}
	return false
}

// AreaFollowRoles are the roles MayFollowArea lets follow an area, for the store's
// check at notice time that a follower still holds one over the case's region.
var AreaFollowRoles = []Role{RoleLeader, RoleDispatcher, RoleAdmin}
