package service_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/messaging"
	"whistle/service"
	"whistle/store"
)

// mailbox is an in-process SMTP server: it takes every message, keeping its recipient
// and Message-ID; onMessage runs when a message has been taken, before the server
// answers 250.
type mailbox struct {
	ln        net.Listener
	mu        sync.Mutex
	got       []delivery
	onMessage func()
}

type delivery struct{ to, id, body string }

func newMailbox(t *testing.T) *mailbox {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &mailbox{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go m.serve(c)
		}
	}()
	return m
}

func (m *mailbox) port() int { return m.ln.Addr().(*net.TCPAddr).Port }

func (m *mailbox) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 test ESMTP")
	var to string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		switch verb {
		case "EHLO", "HELO":
			tp.PrintfLine("250-test\r\n250 8BITMIME")
		case "MAIL":
			tp.PrintfLine("250 ok")
		case "RCPT":
			to = strings.Trim(strings.TrimPrefix(line[len("RCPT TO:"):], " "), "<>")
			tp.PrintfLine("250 ok")
		case "DATA":
			tp.PrintfLine("354 go on")
			body, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			hdr, _ := textproto.NewReader(bufio.NewReader(strings.NewReader(string(body)))).ReadMIMEHeader()
			m.mu.Lock()
			m.got = append(m.got, delivery{to: to, id: hdr.Get("Message-Id"), body: string(body)})
			on := m.onMessage
			m.mu.Unlock()
			if on != nil {
				on()
			}
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("250 ok")
		}
	}
}

func (m *mailbox) deliveries() []delivery {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]delivery(nil), m.got...)
}

// gateway is a webhook receiver that checks the signature and drops a message id it has
// seen (the receiver's half of at-least-once delivery).
type gateway struct {
	srv    *httptest.Server
	mu     sync.Mutex
	posts  int
	bodies map[int64]messaging.Message
	status int
	secret []byte
}

func newGateway(t *testing.T, secret string) *gateway {
	g := &gateway{bodies: map[int64]messaging.Message{}, status: http.StatusOK, secret: []byte(secret)}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !messaging.Verify(g.secret, body, r.Header.Get(messaging.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var m messaging.Message
		if err := json.Unmarshal(body, &m); err != nil || strconv.FormatInt(m.ID, 10) != r.Header.Get("X-Whistle-Message-Id") {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		g.posts++
		if g.status != http.StatusOK {
			w.WriteHeader(g.status)
			return
		}
		g.bodies[m.ID] = m // a repeat replaces itself: de-duplicated by id
	}))
	t.Cleanup(g.srv.Close)
	return g
}

const hookSecret = "a-shared-secret-of-32-characters"

// messagesFixture is the demo with the test's SMTP server and gateway configured.
func messagesFixture(t *testing.T) (*fixture, *mailbox, *gateway) {
	t.Helper()
	f := newFixture(t)
	mb, gw := newMailbox(t), newGateway(t, hookSecret)
	err := f.svc.SetMessageSettings(ctx, f.user("demo.admin"), service.MessageSettings{SMTPHost: "127.0.0.1", SMTPPort: mb.port(),
		SMTPFrom: "whistle@example.cn", WebhookURL: gw.srv.URL, Secret: hookSecret})
	if err != nil {
		t.Fatal(err)
	}
	return f, mb, gw
}

// subscribe sets login's preferences.
func (f *fixture) subscribe(t *testing.T, login string, p domain.MessagePrefs) {
	t.Helper()
	if err := f.svc.SetMessagePrefs(ctx, f.user(login), p); err != nil {
		t.Fatal(err)
	}
}

// whistled files a case and whistles LY-YJJ to it.
func (f *fixture) whistled(t *testing.T) *domain.Case {
	t.Helper()
	c := f.file(t, "demo.dispatcher")
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept})
	return f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-YJJ"}, Hours: 4})
}

// A whistle to a department reaches, by e-mail, exactly its officer who subscribed
// whistles to e-mail, once, with the message id in Message-ID; a second send finds
// nothing due; the dispatcher, who subscribed nothing, gets no message.
func TestWhistleEmailsTheSubscribedOfficerOnce(t *testing.T) {
	t.Parallel()
	f, mb, _ := messagesFixture(t)
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{Email: "yjj@example.cn",
		Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanEmail}}})
	c := f.whistled(t)
	officer := f.user("officer.LY-YJJ").ID
	if n := f.count(t, `SELECT COUNT(*) FROM outbox`); n != 1 {
		t.Fatalf("outbox holds %d messages, want the officer's one", n)
	}
	var id int64
	if err := f.raw.QueryRowContext(ctx, `SELECT id FROM outbox WHERE user_id = ? AND channel = 'email' AND case_id = ? AND kind = 'whistle'`, officer, c.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.SendMessages(ctx)
	if err != nil || n != 1 {
		t.Fatalf("send: %d, %v; want 1", n, err)
	}
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 0 {
		t.Fatalf("second send: %d, %v; want nothing", n, err)
	}
	got := mb.deliveries()
	if len(got) != 1 || got[0].to != "yjj@example.cn" || got[0].id != "<whistle-"+strconv.FormatInt(id, 10)+"@example.cn>" {
		t.Fatalf("mailbox: %+v", got)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND sent_at IS NOT NULL`); n != 1 {
		t.Errorf("%d messages marked sent, want 1", n)
	}
}

// A sender killed between a send and its record (its context cancelled as the first
// e-mail is taken) leaves the rest, and the one it sent unrecorded, to a second sender
// once the lease has run out: every message is delivered, each id seen once after the
// receivers' de-duplication, and the only repeat is the one unrecorded send.
func TestSenderKilledMidBatchLosesNothing(t *testing.T) {
	t.Parallel()
	f, mb, gw := messagesFixture(t)
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{Email: "yjj@example.cn", Phone: "13900001234",
		Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanEmail}, {Kind: "whistle", Channel: domain.ChanSMS}}})
	for range 4 {
		f.whistled(t)
	}
	var ids []int64
	rows, err := f.raw.QueryContext(ctx, `SELECT id FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != 8 {
		t.Fatalf("outbox: %d messages, want 8 (4 whistles × e-mail and SMS)", len(ids))
	}
	first, kill := context.WithCancel(ctx)
	mb.onMessage = kill
	if _, err := f.svc.SendMessages(first); !errors.Is(err, context.Canceled) {
		t.Fatalf("the killed sender: %v", err)
	}
	mb.mu.Lock()
	mb.onMessage = nil
	mb.mu.Unlock()
	if n := f.count(t, `SELECT COUNT(*) FROM outbox WHERE state = 'sent'`); n == len(ids) {
		t.Fatal("the killed sender recorded every message")
	}
	// before the lease runs out a second sender finds nothing of the first's
	second := service.New(f.db)
	before := len(mb.deliveries())
	if _, err := second.SendMessages(ctx); err != nil {
		t.Fatal(err)
	}
	if len(mb.deliveries()) != before {
		t.Fatal("a second sender sent a message under the first's lease")
	}
	f.clock.Add(domain.MessageLease + time.Second)
	if _, err := second.SendMessages(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM outbox WHERE state = 'sent'`); n != len(ids) {
		t.Fatalf("%d of %d messages sent", n, len(ids))
	}
	seen := map[int64]int{}
	for _, d := range mb.deliveries() {
		id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(d.id, "<whistle-"), "@example.cn>"), 10, 64)
		seen[id]++
	}
	for id := range gw.bodies {
		seen[id]++
	}
	repeats := 0
	for _, id := range ids {
		if seen[id] == 0 {
			t.Errorf("message %d was never delivered", id)
		}
		repeats += seen[id] - 1
	}
	if len(seen) != len(ids) {
		t.Errorf("receivers saw %d ids, want %d", len(seen), len(ids))
	}
	if repeats != 1 {
		t.Errorf("%d repeated e-mails; want the one the killed sender did not record", repeats)
	}
	for _, m := range gw.bodies {
		if m.Channel != "sms" || m.To != "13900001234" || m.Event != "whistle" || m.CaseID == 0 {
			t.Errorf("webhook body %+v", m)
		}
	}
}

// A message due in the user's quiet hours waits until they end, without an attempt.
func TestQuietHoursPutMessagesOff(t *testing.T) {
	t.Parallel()
	f, mb, _ := messagesFixture(t)
	// the test clock starts at 09:00 China time
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{Email: "yjj@example.cn", QuietStart: 8 * 60, QuietEnd: 10*60 + 30,
		Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanEmail}}})
	f.whistled(t)
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 0 {
		t.Fatalf("send in quiet hours: %d, %v", n, err)
	}
	var due int64
	var attempts int
	if err := f.raw.QueryRowContext(ctx, `SELECT due_at, attempts FROM outbox`).Scan(&due, &attempts); err != nil {
		t.Fatal(err)
	}
	if end := time.Date(2026, 3, 2, 10, 30, 0, 0, domain.China).Unix(); due != end || attempts != 0 {
		t.Errorf("put off to %v with %d attempts; want 10:30 and none", time.Unix(due, 0).In(domain.China), attempts)
	}
	f.clock.Set(time.Date(2026, 3, 2, 10, 30, 0, 0, domain.China))
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 1 || len(mb.deliveries()) != 1 {
		t.Fatalf("send after quiet hours: %d, %v", n, err)
	}
}

// A gateway that refuses is retried with growing waits, then the message is marked
// failed after domain.MaxAttempts tries.
func TestFailedMessagesBackOffThenFail(t *testing.T) {
	t.Parallel()
	f, _, gw := messagesFixture(t)
	gw.status = http.StatusBadGateway
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{WeChat: "wx-yjj",
		Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanWeChat}}})
	f.whistled(t)
	for i := 1; i <= domain.MaxAttempts; i++ {
		if n, err := f.svc.SendMessages(ctx); err != nil || n != 0 {
			t.Fatalf("try %d: %d, %v", i, n, err)
		}
		var state string
		var attempts int
		var due int64
		if err := f.raw.QueryRowContext(ctx, `SELECT state, attempts, due_at FROM outbox`).Scan(&state, &attempts, &due); err != nil {
			t.Fatal(err)
		}
		if attempts != i {
			t.Fatalf("after try %d: %d attempts", i, attempts)
		}
		if i < domain.MaxAttempts {
			if want := f.clock.Now().Add(domain.Backoff(i)).Unix(); state != "pending" || due != want {
				t.Fatalf("after try %d: %s due %d, want pending due %d", i, state, due, want)
			}
			if n, _ := f.svc.SendMessages(ctx); n != 0 || gw.posts != i {
				t.Fatalf("retried before its wait: %d posts after %d tries", gw.posts, i)
			}
			f.clock.Add(domain.Backoff(i))
		} else if state != "failed" {
			t.Fatalf("after the last try: %s", state)
		}
	}
	if gw.posts != domain.MaxAttempts {
		t.Errorf("%d posts, want %d", gw.posts, domain.MaxAttempts)
	}
}

// Messages are written with their notices: a transaction rolled back leaves neither.
func TestMessagesCommitWithTheirNotices(t *testing.T) {
	t.Parallel()
	f, _, _ := messagesFixture(t)
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{Email: "yjj@example.cn",
		Subscriptions: []domain.Subscription{{Kind: "project_item", Channel: domain.ChanEmail}}})
	officer := f.user("officer.LY-YJJ").ID
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.NotifyUsers([]int64{officer}, "project_item", "项目审批事项"); err != nil {
			return err
		}
		return errors.New("changed its mind")
	})
	if err == nil || f.count(t, `SELECT COUNT(*) FROM outbox`) != 0 || f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'project_item'`) != 0 {
		t.Fatalf("rolled back: %v, outbox %d", err, f.count(t, `SELECT COUNT(*) FROM outbox`))
	}
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		tx.NotifyAbout([]int64{officer, f.user("demo.dispatcher").ID}, "project_item", "项目审批事项")
		return nil
	})
	if err != nil || f.count(t, `SELECT COUNT(*) FROM outbox WHERE user_id = ? AND kind = 'project_item'`, officer) != 1 || f.count(t, `SELECT COUNT(*) FROM outbox`) != 1 {
		t.Fatalf("committed: %v, outbox %d", err, f.count(t, `SELECT COUNT(*) FROM outbox`))
	}
}

// Preferences: validated, the phone read back masked and kept when sent back masked;
// the channel settings are the installation administrators', credentials never read.
func TestMessagePrefsAndSettings(t *testing.T) {
	t.Parallel()
	f, _, _ := messagesFixture(t)
	o := f.user("officer.LY-YJJ")
	for _, bad := range []domain.MessagePrefs{
		{Email: "not an address"},
		{Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanEmail}}}, // no address
		{Email: "a@b.cn", Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: "fax"}}},
		{QuietStart: 24 * 60},
	} {
		if err := f.svc.SetMessagePrefs(ctx, o, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{Phone: "13900001234", Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanSMS}}})
	p, err := f.svc.MessagePrefs(ctx, o)
	if err != nil || p.Phone == "13900001234" || p.Phone != domain.MaskPhone("13900001234") || len(p.Subscriptions) != 1 {
		t.Fatalf("read back: %+v, %v", p, err)
	}
	if err := f.svc.SetMessagePrefs(ctx, o, p); err != nil {
		t.Fatalf("sent back masked: %v", err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM message_prefs WHERE phone = '13900001234'`); n != 1 {
		t.Error("the masked phone sent back replaced the kept one")
	}
	if _, err := f.svc.MessageSettings(ctx, o); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an officer reads the channel settings: %v", err)
	}
	s, err := f.svc.MessageSettings(ctx, f.user("demo.admin"))
	if err != nil || !s.SecretSet || s.Secret != "" || s.WebhookURL == "" {
		t.Errorf("settings read back: %+v, %v", s, err)
	}
	if err := f.svc.SetMessageSettings(ctx, f.user("demo.admin"), service.MessageSettings{WebhookURL: "ftp://x"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a bad webhook URL: %v", err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE object = 'setting/messages_webhook'`); n != 1 {
		t.Errorf("%d audit entries of the webhook setting, want 1", n)
	}
}

// A watch of an officer's notices hears of a whistle to the officer's org as soon as it
// commits (the hub, no poll), and one of another user's does not.
func TestWatchNoticesHearsTheCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	ids, err := f.svc.WatchNotices(wctx, f.user("officer.LY-YJJ"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.WatchNotices(wctx, f.user("officer.LY-CGJ"))
	if err != nil {
		t.Fatal(err)
	}
	start, otherStart := <-ids, <-other
	f.whistled(t)
	var newest int64
	if err := f.raw.QueryRowContext(ctx, `SELECT MAX(id) FROM notifications WHERE user_id = ?`, f.user("officer.LY-YJJ").ID).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-ids:
		if id != newest || id <= start {
			t.Errorf("told %d, want the newest notice %d (was %d)", id, newest, start)
		}
	case <-time.After(service.LivePoll / 2): // the hub tells at commit; a poll would come later
		t.Fatal("the whistle's notice was not told before the first poll")
	}
	stop()
	for id := range other {
		if id != otherStart {
			t.Errorf("another officer was told of notice %d", id)
		}
	}
}

// The header's unread count and the live poll read a bounded part of the notices: the
// plans use the partial index of unread notices and the (user_id, id) index.
func TestUnreadCountPlanIsBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.user("officer.LY-YJJ").ID
	for _, c := range []struct{ q, index string }{
		{`SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS u`, "notifications_unread"},
		{`SELECT MAX(id) FROM notifications WHERE user_id = ?`, "notifications_u"},
	} {
		args := []any{u, 100}[:strings.Count(c.q, "?")]
		if plan := explain(t, f, c.q, args...); !strings.Contains(plan, c.index) || strings.Contains(plan, "SCAN notifications\n") {
			t.Errorf("%s:\n%s", c.q, plan)
		}
	}
	// the count is the one the service gives
	f.whistled(t)
	n, err := f.svc.UnreadNotices(ctx, f.user("officer.LY-YJJ"))
	if err != nil || n != f.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, u) || n == 0 {
		t.Errorf("unread: %d, %v", n, err)
	}
}

// explain gives the plan of q on the fixture's engine (PostgreSQL with sequential scans
// off: a demo's few notices would be read whole otherwise).
func explain(t *testing.T, f *fixture, q string, args ...any) string {
	t.Helper()
	plan := ""
	if f.db.Engine() == "sqlite" {
		rows, err := f.raw.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan += detail + "\n"
		}
		return plan
	}
	conn, err := f.raw.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, f.db.Rebind(`EXPLAIN `+q), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan += line + "\n"
	}
	return plan
}

// A follower of a case — a staff member who sees it, the citizen who reported it — is
// given a progress notice at each step others take, and an e-mail when subscribed; the
// actor is not told of their own step; a user who does not see the case cannot follow
// it; one who stopped following hears no more.
func TestFollowersHearOfProgress(t *testing.T) {
	t.Parallel()
	f, mb, _ := messagesFixture(t)
	citizen := f.user("demo.citizen")
	c, err := f.svc.File(ctx, citizen, domain.NewCase{Matter: "SR-001", Title: "民光社区路灯不亮", Region: region, Channel: "online", Kind: "request"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.FollowCase(ctx, citizen, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.FollowCase(ctx, f.user("demo.dispatcher"), c.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.FollowCase(ctx, f.user("officer.LY-YJJ"), c.ID, true); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("an officer who does not see the case follows it: %v", err)
	}
	f.subscribe(t, "demo.citizen", domain.MessagePrefs{Email: "citizen@example.cn",
		Subscriptions: []domain.Subscription{{Kind: "progress", Channel: domain.ChanEmail}}})
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept})
	progress := func(login string) int {
		return f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'progress' AND case_id = ? AND user_id = ?`, c.ID, f.user(login).ID)
	}
	if progress("demo.citizen") != 1 || progress("demo.dispatcher") != 0 {
		t.Errorf("after the dispatcher's accept: citizen %d, dispatcher %d progress notices; want 1 and 0", progress("demo.citizen"), progress("demo.dispatcher"))
	}
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 1 || len(mb.deliveries()) != 1 || mb.deliveries()[0].to != "citizen@example.cn" {
		t.Errorf("the citizen's e-mail: %d, %v, %+v", n, err, mb.deliveries())
	}
	if on, err := f.svc.FollowingCase(ctx, citizen, c.ID); err != nil || !on {
		t.Errorf("following: %v, %v", on, err)
	}
	if err := f.svc.FollowCase(ctx, citizen, c.ID, false); err != nil {
		t.Fatal(err)
	}
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-YJJ"}, Hours: 4})
	if progress("demo.citizen") != 1 {
		t.Error("the citizen heard of a step after no longer following")
	}
}

// The channels' credentials are kept sealed with the installation's key: the settings
// rows hold neither the SMTP password nor the webhook secret in clear, nor does the
// audit log; the webhook still signs with the secret (the gateway checks it), and a
// change that leaves the credentials empty keeps them.
func TestMessageCredentialsSealed(t *testing.T) {
	t.Parallel()
	f, _, gw := messagesFixture(t)
	admin := f.user("demo.admin")
	const password = "smtp-password-in-clear"
	in := service.MessageSettings{SMTPHost: "127.0.0.1", SMTPPort: 2525, SMTPFrom: "whistle@example.cn", SMTPUser: "whistle",
		SMTPPassword: password, WebhookURL: gw.srv.URL}
	if err := f.svc.SetMessageSettings(ctx, admin, in); err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{password, hookSecret} {
		if n := f.count(t, `SELECT COUNT(*) FROM settings WHERE value LIKE ?`, "%"+clear+"%"); n != 0 {
			t.Errorf("a settings row holds %q in clear", clear)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE changes LIKE ?`, "%"+clear+"%"); n != 0 {
			t.Errorf("the audit log holds %q in clear", clear)
		}
	}
	if n := f.count(t, `SELECT COUNT(*) FROM settings WHERE value LIKE '%password_sealed%' OR value LIKE '%secret_sealed%'`); n != 2 {
		t.Errorf("%d settings rows with a sealed credential, want 2", n)
	}
	s, err := f.svc.MessageSettings(ctx, admin)
	if err != nil || !s.PasswordSet || !s.SecretSet || s.SMTPPassword != "" || s.Secret != "" {
		t.Fatalf("read back: %+v, %v", s, err)
	}
	f.subscribe(t, "officer.LY-YJJ", domain.MessagePrefs{Phone: "13900001234",
		Subscriptions: []domain.Subscription{{Kind: "whistle", Channel: domain.ChanSMS}}})
	f.whistled(t)
	// a second server (a new service over the same database) opens the secret and signs
	if n, err := service.New(f.db).SendMessages(ctx); err != nil || n != 1 || len(gw.bodies) != 1 {
		t.Fatalf("sent through the sealed secret: %d, %v, %d bodies", n, err, len(gw.bodies))
	}
}

// A watch of an officer's queues hears, at the commit, of a case whistled to the
// officer's org, and not of a note added to a case (no change of its orgs or status);
// another org's officer does not hear of it. A dispatcher's watch hears of a case filed
// in the region, another street's dispatcher does not; nobody hears of their own act.
func TestWatchQueuesHearsCasesComeAndGo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	mine, err := f.svc.WatchQueues(wctx, f.user("officer.LY-YJJ"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.WatchQueues(wctx, f.user("officer.LY-CGJ"))
	if err != nil {
		t.Fatal(err)
	}
	heard := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		case <-time.After(300 * time.Millisecond):
			return false
		}
	}
	c := f.whistled(t)
	if !heard(mine) {
		t.Fatal("the whistle to LY-YJJ was not heard")
	}
	if heard(other) {
		t.Error("LY-CGJ's officer heard of a whistle to LY-YJJ")
	}
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActComment, Note: "补充说明"})
	if heard(mine) {
		t.Error("a note, which changes no queue, was heard")
	}
	// a dispatcher's queue is the region's: a case filed there is heard, one filed in
	// another street is not
	disp, err := f.svc.WatchQueues(wctx, f.user("demo.dispatcher"))
	if err != nil {
		t.Fatal(err)
	}
	away, err := f.svc.WatchQueues(wctx, f.user("demo.other"))
	if err != nil {
		t.Fatal(err)
	}
	g := f.fileAt(t, "demo.grid", demo.DemoGrid)
	if !heard(disp) {
		t.Error("a filing in the street was not heard by its dispatcher")
	}
	if heard(away) {
		t.Error("another street's dispatcher heard of the filing")
	}
	// the dispatcher's own act is not told to their own pages (they show it in place)
	f.act(t, "demo.dispatcher", g.ID, domain.Command{Action: domain.ActAccept})
	if heard(disp) {
		t.Error("the dispatcher's own accept was told to their own queue")
	}
	if _, err := f.svc.WatchQueues(ctx, domain.User{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an anonymous watch: %v", err)
	}
	stop()
	for range mine { // closed once the watch ends
	}
}

// A leader follows the street, a county dispatcher one matter in the county: each is
// given an "area" notice (and the leader an e-mail, once) when a case is filed there in
// the transaction that files it, and once when it first runs late; a matter followed
// is heard of only for its cases; a region outside the follower's scope, or a follower
// who is an officer, is refused (403); a follow stopped is heard no more; follows are
// audited.
func TestAreaFollowersHearOfNewAndLateCases(t *testing.T) {
	t.Parallel()
	f, mb, _ := messagesFixture(t)
	leader, county := f.user("demo.leader"), f.user("demo.county")
	if err := f.svc.FollowArea(ctx, leader, domain.AreaFollow{Region: demo.Street}, true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.FollowArea(ctx, county, domain.AreaFollow{Region: demo.County, Matter: "SR-002"}, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		login string
		f     domain.AreaFollow
		code  string
	}{
		{"demo.other", domain.AreaFollow{Region: demo.Street}, domain.EFORBIDDEN},
		{"officer.LY-YJJ", domain.AreaFollow{Region: demo.Street}, domain.EFORBIDDEN},
		{"demo.leader", domain.AreaFollow{Region: "999999"}, domain.EINVALID},
		{"demo.leader", domain.AreaFollow{Region: demo.Street, Matter: "NO-SUCH"}, domain.EINVALID},
	} {
		if err := f.svc.FollowArea(ctx, f.user(c.login), c.f, true); domain.ErrorCode(err) != c.code {
			t.Errorf("%s follows %+v: %v, want %s", c.login, c.f, err, c.code)
		}
	}
	f.subscribe(t, "demo.leader", domain.MessagePrefs{Email: "leader@example.cn",
		Subscriptions: []domain.Subscription{{Kind: "area", Channel: domain.ChanEmail}}})
	area := func(u domain.User) int {
		return f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'area' AND user_id = ?`, u.ID)
	}
	c := f.file(t, "demo.dispatcher") // SR-001 in 民光社区
	if area(leader) != 1 || area(county) != 0 {
		t.Fatalf("after a filing: leader %d, county %d area notices; want 1 and 0", area(leader), area(county))
	}
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 1 || len(mb.deliveries()) != 1 || mb.deliveries()[0].to != "leader@example.cn" {
		t.Errorf("the leader's e-mail: %d, %v, %+v", n, err, mb.deliveries())
	}
	if n, _ := f.svc.SendMessages(ctx); n != 0 || len(mb.deliveries()) != 1 {
		t.Errorf("the leader's e-mail sent again: %d", n)
	}
	if err := f.svc.FollowArea(ctx, county, domain.AreaFollow{Region: demo.County, Matter: "SR-001"}, true); err != nil {
		t.Fatal(err)
	}
	f.file(t, "demo.dispatcher")
	if area(leader) != 2 || area(county) != 1 {
		t.Fatalf("after a second filing: leader %d, county %d; want 2 and 1", area(leader), area(county))
	}
	// a report through a door (the public page: FileIntake, group commit) is heard too
	if _, err := f.svc.PublicReport(ctx, "203.0.113.5", service.Intake{Case: domain.NewCase{Matter: "SR-001", Title: "路灯不亮",
		Region: region, Kind: "request"}}); err != nil {
		t.Fatal(err)
	}
	if area(leader) != 3 || area(county) != 2 {
		t.Fatalf("after a public report: leader %d, county %d; want 3 and 2", area(leader), area(county))
	}
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept})
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ"})
	if area(leader) != 3 {
		t.Errorf("an accept and a dispatch gave the leader area notices: %d", area(leader))
	}
	f.clock.Add(30 * 24 * time.Hour)
	if _, err := f.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = 'area' AND user_id = ? AND case_id = ? AND message LIKE '%超时%'`, leader.ID, c.ID); n != 1 {
		t.Errorf("the leader heard %d times of the case running late, want once", n)
	}
	fs, err := f.svc.AreaFollows(ctx, county)
	if err != nil || len(fs) != 2 || fs[0].MatterName == "" || fs[0].RegionName == "" {
		t.Errorf("the county's follows: %+v, %v", fs, err)
	}
	if err := f.svc.FollowArea(ctx, leader, domain.AreaFollow{Region: demo.Street}, false); err != nil {
		t.Fatal(err)
	}
	before := area(leader)
	f.file(t, "demo.dispatcher")
	if area(leader) != before {
		t.Error("the leader heard of a filing after no longer following")
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE action IN ('follow.area', 'follow.area_stop')`); n != 4 {
		t.Errorf("%d audit entries of follows, want 4", n)
	}
}

// The intake path's read of a case's area followers is bounded: it probes the index on
// (region, matter), never scanning the follows.
func TestAreaFollowersPlanIsBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	q := `SELECT DISTINCT f.user_id FROM area_follows f WHERE f.region IN (?, ?, ?) AND f.matter IN ('', ?)`
	if plan := explain(t, f, q, "431382", "431382001", "431382001001", "SR-001"); !strings.Contains(plan, "area_follows_region") {
		t.Errorf("%s:\n%s", q, plan)
	}
}

// A public-receipt holder asks for progress messages by e-mail: the address is kept
// sealed and read back masked, a confirmation goes to it through the outbox, and only
// once confirmed is it sent a message at each step, exactly once each, with a link that
// stops them; a stopped subscription hears no more; a wrong receipt or token finds
// nothing; asking is rate-limited per client address.
func TestReceiptHolderGetsProgressByEmail(t *testing.T) {
	t.Parallel()
	f, mb, _ := messagesFixture(t)
	r, err := f.svc.PublicReport(ctx, "203.0.113.9", service.Intake{Case: domain.NewCase{Matter: "SR-001", Title: "民光社区路灯不亮",
		Region: region, Kind: "request", Reporter: domain.Reporter{Name: "张三", Phone: "13800001111"}}})
	if err != nil {
		t.Fatal(err)
	}
	const to = "zhang.san@example.cn"
	if _, err := f.svc.SubscribeReceipt(ctx, "203.0.113.9", "https://whistle.example.cn", r.Number, "WRONG", domain.ChanEmail, to); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a wrong secret: %v", err)
	}
	if _, err := f.svc.SubscribeReceipt(ctx, "203.0.113.9", "https://whistle.example.cn", r.Number, r.Secret, domain.ChanEmail, "not-an-address"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a bad address: %v", err)
	}
	masked, err := f.svc.SubscribeReceipt(ctx, "203.0.113.9", "https://whistle.example.cn", r.Number, r.Secret, domain.ChanEmail, to)
	if err != nil || masked != "z***@example.cn" {
		t.Fatalf("subscribe: %q, %v", masked, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM receipt_subs WHERE address LIKE '%zhang%'`) + f.count(t, `SELECT COUNT(*) FROM outbox WHERE address LIKE '%zhang%'`); n != 0 {
		t.Error("the address is kept in clear")
	}
	c := r.Case
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActAccept}) // before confirming: no message
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 1 {
		t.Fatalf("the confirmation: %d, %v", n, err)
	}
	got := mb.deliveries()
	if len(got) != 1 || got[0].to != to || !strings.Contains(got[0].text(), "https://whistle.example.cn/public/subscription?t=c") {
		t.Fatalf("confirmation: %+v", got)
	}
	confirm := between(got[0].text(), "?t=", " ")
	if _, err := f.svc.ActOnReceiptSubscription(ctx, confirm+"x"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a changed token: %v", err)
	}
	v, err := f.svc.ActOnReceiptSubscription(ctx, confirm)
	if err != nil || !v.Confirmed || v.Number != r.Number || v.Masked != masked {
		t.Fatalf("confirm: %+v, %v", v, err)
	}
	f.act(t, "demo.dispatcher", c.ID, domain.Command{Action: domain.ActDispatch, Org: "LY-CGJ"})
	f.act(t, "officer.LY-CGJ", c.ID, domain.Command{Action: domain.ActAcknowledge})
	if n, err := f.svc.SendMessages(ctx); err != nil || n != 2 {
		t.Fatalf("the two steps: %d, %v", n, err)
	}
	if n, _ := f.svc.SendMessages(ctx); n != 0 {
		t.Errorf("a second send sent %d", n)
	}
	got = mb.deliveries()
	steps := map[string]int{}
	for _, d := range got[1:] {
		if d.to != to || !strings.Contains(d.text(), "/public/subscription?t=s") || strings.Contains(d.text(), "路灯") {
			t.Errorf("progress message: %s", d.text())
		}
		for _, s := range []string{"已派遣", "已签收", "已受理"} {
			if strings.Contains(d.text(), s) {
				steps[s]++
			}
		}
	}
	if len(got) != 3 || steps["已派遣"] != 1 || steps["已签收"] != 1 || steps["已受理"] != 0 {
		t.Fatalf("messages per step: %v (%d deliveries)", steps, len(got))
	}
	stop := between(got[2].text(), "?t=", " ")
	if v, err := f.svc.ActOnReceiptSubscription(ctx, stop); err != nil || !v.Ended {
		t.Fatalf("stop: %+v, %v", v, err)
	}
	f.act(t, "officer.LY-CGJ", c.ID, domain.Command{Action: domain.ActStart})
	f.act(t, "officer.LY-CGJ", c.ID, domain.Command{Action: domain.ActResolve, Result: "已修复"})
	if n, _ := f.svc.SendMessages(ctx); n != 0 || len(mb.deliveries()) != 3 {
		t.Errorf("after stopping: %d sent", n)
	}
	for range service.ReceiptSubsPerHour {
		f.svc.SubscribeReceipt(ctx, "198.51.100.1", "https://whistle.example.cn", r.Number, "WRONG", domain.ChanEmail, to)
	}
	if _, err := f.svc.SubscribeReceipt(ctx, "198.51.100.1", "https://whistle.example.cn", r.Number, r.Secret, domain.ChanEmail, to); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Errorf("past the hour's limit: %v", err)
	}
}

// text decodes a delivered e-mail's base64 body.
func (d delivery) text() string {
	_, body, _ := strings.Cut(strings.ReplaceAll(d.body, "\r\n", "\n"), "\n\n")
	b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.TrimSpace(body), "\n", ""))
	if err != nil {
		return "undecodable: " + err.Error()
	}
	return string(b)
}

// between gives the text of s after from up to the first of to (or the end).
func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	out, _, _ := strings.Cut(rest, to)
	return strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
}
