package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"whistle/domain"
)

// outboxRow is one pending notice's columns as enqueueMessages reads them: user_id,
// case_id, kind, message, created_at (pendingTargets' notifications).
const outboxValue = `(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT))`

// enqueueMessages writes, part of the flush that writes notices, a message to the
// outbox for each channel the notice's user subscribed its kind to: one INSERT ... SELECT
// over the notices joined to message_subs by its primary key, so the messages commit
// (or roll back) with their notices and a transaction without notices costs nothing.
func (tx *Tx) enqueueMessages(notices [][]any) error {
	for _, row := range notices {
		tx.notified = append(tx.notified, row[0].(int64))
	}
	per := maxParams / 5
	for len(notices) > 0 {
		n := min(per, len(notices))
		args := make([]any, 0, n*5)
		for _, row := range notices[:n] {
			args = append(args, row...)
		}
		q := `INSERT INTO outbox (user_id, channel, case_id, kind, message, created_at, due_at)
			SELECT s.user_id, s.channel, v.column2, v.column3, v.column4, v.column5, v.column5
			FROM (VALUES ` + outboxValue + strings.Repeat(", "+outboxValue, n-1) + `) AS v
			JOIN message_subs s ON s.user_id = v.column1 AND s.kind = v.column3`
		if err := tx.flushWrite(q, args...); err != nil {
			return err
		}
		notices = notices[n:]
	}
	return nil
}

// MessagePrefs reads a user's outbound message preferences (zero when never set).
func (db *DB) MessagePrefs(ctx context.Context, userID int64) (domain.MessagePrefs, error) {
	p := domain.MessagePrefs{Subscriptions: []domain.Subscription{}}
	err := db.read.QueryRowContext(ctx, `SELECT email, phone, wechat, quiet_start, quiet_end FROM message_prefs WHERE user_id = ?`, userID).
		Scan(&p.Email, &p.Phone, &p.WeChat, &p.QuietStart, &p.QuietEnd)
	if err != nil && err != sql.ErrNoRows {
		return p, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT kind, channel FROM message_subs WHERE user_id = ? ORDER BY kind, channel`, userID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var s domain.Subscription
		if err := rows.Scan(&s.Kind, &s.Channel); err != nil {
			return p, err
		}
		p.Subscriptions = append(p.Subscriptions, s)
	}
	return p, rows.Err()
}

// PutMessagePrefs replaces a user's preferences (validated by the caller).
func (tx *Tx) PutMessagePrefs(userID int64, p domain.MessagePrefs) error {
	if _, err := tx.exec(`INSERT INTO message_prefs (user_id, email, phone, wechat, quiet_start, quiet_end, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, phone = excluded.phone, wechat = excluded.wechat,
		quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, updated_at = excluded.updated_at`,
		userID, p.Email, p.Phone, p.WeChat, p.QuietStart, p.QuietEnd, tx.now.Unix()); err != nil {
		return err
	}
	if _, err := tx.exec(`DELETE FROM message_subs WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, s := range p.Subscriptions {
		if _, err := tx.exec(`INSERT INTO message_subs (user_id, kind, channel) VALUES (?, ?, ?)`, userID, s.Kind, s.Channel); err != nil {
			return err
		}
	}
	return nil
}

// DueMessages reads up to limit outbox messages due by now, earliest first, with their
// user's address on the channel and quiet hours, or, for a message to a public-receipt
// holder, the sealed address and its subscription. On PostgreSQL the rows are locked
// and those another sender is claiming are skipped; SQLite has one writer at a time.
func (tx *Tx) DueMessages(now int64, limit int) ([]domain.OutMessage, error) {
	rows, err := tx.query(`SELECT id, COALESCE(user_id, 0), channel, COALESCE(case_id, 0), kind, message, created_at, attempts, address, COALESCE(receipt_sub, 0)
		FROM outbox WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?`+tx.db.eng.claimRows, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.OutMessage
	users, subs := map[int64]bool{}, map[int64]bool{}
	for rows.Next() {
		var m domain.OutMessage
		var created int64
		if err := rows.Scan(&m.ID, &m.UserID, &m.Channel, &m.CaseID, &m.Kind, &m.Text, &created, &m.Attempts, &m.To, &m.Sub); err != nil {
			return nil, err
		}
		m.CreatedAt, m.Sealed = fromUnix(created), m.To != ""
		if m.UserID != 0 {
			users[m.UserID] = true
		}
		if m.Sub != 0 {
			subs[m.Sub] = true
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := tx.messageUsers(out, users); err != nil {
		return nil, err
	}
	return out, tx.messageSubs(out, subs)
}

// messageUsers fills in the addresses and quiet hours of the users of messages.
func (tx *Tx) messageUsers(out []domain.OutMessage, users map[int64]bool) error {
	if len(users) == 0 {
		return nil
	}
	ids := make([]any, 0, len(users))
	for u := range users {
		ids = append(ids, u)
	}
	prefs := map[int64]domain.MessagePrefs{}
	prows, err := tx.query(`SELECT user_id, email, phone, wechat, quiet_start, quiet_end FROM message_prefs WHERE user_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return err
	}
	defer prows.Close()
	for prows.Next() {
		var u int64
		var p domain.MessagePrefs
		if err := prows.Scan(&u, &p.Email, &p.Phone, &p.WeChat, &p.QuietStart, &p.QuietEnd); err != nil {
			return err
		}
		prefs[u] = p
	}
	for i := range out {
		if out[i].UserID == 0 || out[i].Sealed {
			continue
		}
		p := prefs[out[i].UserID]
		out[i].To, out[i].QuietStart, out[i].QuietEnd = p.Address(out[i].Channel), p.QuietStart, p.QuietEnd
	}
	return prows.Err()
}

// messageSubs fills in the site and state of the subscriptions of messages.
func (tx *Tx) messageSubs(out []domain.OutMessage, subs map[int64]bool) error {
	if len(subs) == 0 {
		return nil
	}
	ids := make([]any, 0, len(subs))
	for id := range subs {
		ids = append(ids, id)
	}
	type sub struct {
		site  string
		ended bool
	}
	got := map[int64]sub{}
	rows, err := tx.query(`SELECT id, site, ended_at IS NOT NULL FROM receipt_subs WHERE id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s sub
		if err := rows.Scan(&id, &s.site, &s.ended); err != nil {
			return err
		}
		got[id] = s
	}
	for i := range out {
		if s, ok := got[out[i].Sub]; ok {
			out[i].Site, out[i].Ended = s.site, s.ended
		}
	}
	return rows.Err()
}

// ClaimMessage takes message id for a sender until until (its lease), counting the
// attempt: no other sender reads it as due before then.
func (tx *Tx) ClaimMessage(id int64, until time.Time) error {
	_, err := tx.exec(`UPDATE outbox SET due_at = ?, claimed_until = ?, attempts = attempts + 1 WHERE id = ?`, until.Unix(), until.Unix(), id)
	return err
}

// PutOffMessage moves a message's due time to at, not counting an attempt (quiet hours).
func (tx *Tx) PutOffMessage(id int64, at time.Time) error {
	_, err := tx.exec(`UPDATE outbox SET due_at = ? WHERE id = ? AND state = 'pending'`, at.Unix(), id)
	return err
}

// MessageSent marks a message sent.
func (tx *Tx) MessageSent(id int64) error {
	_, err := tx.exec(`UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ? AND state = 'pending'`, tx.now.Unix(), id)
	return err
}

// MessageFailed records a failed try of a message claimed until lease: it is due again
// at retry, or given up (failed) when retry is zero. A sender whose lease was taken
// over meanwhile changes nothing.
func (tx *Tx) MessageFailed(id int64, lease, retry time.Time, reason string) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	if retry.IsZero() {
		_, err := tx.exec(`UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ? AND state = 'pending' AND claimed_until = ?`, reason, id, lease.Unix())
		return err
	}
	_, err := tx.exec(`UPDATE outbox SET due_at = ?, last_error = ? WHERE id = ? AND state = 'pending' AND claimed_until = ?`, retry.Unix(), reason, id, lease.Unix())
	return err
}

// OutboxCounts counts the outbox's messages by state.
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// AnyMessageDue tells, from a reader, whether some outbox message is due by now, so an
// idle sender never takes the write lock.
func (db *DB) AnyMessageDue(ctx context.Context, now int64) (bool, error) {
	var first sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MIN(due_at) FROM outbox WHERE state = 'pending'`).Scan(&first)
	return first.Valid && first.Int64 <= now, err
}

// listeners are the functions told, after each commit, what it changed: the users it
// gave notices (noticeListeners) and the queues it changed (queueListeners, keys
// "org:CODE", "region:CODE": store.queueChanges), for the live updates of this process's
// open pages. Other processes' pages learn of them by polling (LatestNotice, a queue
// page's own refresh).
type listeners[T any] struct {
	mu sync.Mutex
	fs []func([]T)
}

type (
	noticeListeners = listeners[int64]
	queueListeners  = listeners[QueueChange]
)

func (l *listeners[T]) add(f func([]T)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fs = append(l.fs, f)
}

func (l *listeners[T]) tell(changes []T) {
	if len(changes) == 0 {
		return
	}
	l.mu.Lock()
	fs := l.fs
	l.mu.Unlock()
	for _, f := range fs {
		f(changes)
	}
}

// OnNotices has f told, after every commit that gave notices, the users given them (a
// user may come more than once; a savepoint rolled back may leave one told in vain).
// f must not block.
func (db *DB) OnNotices(f func(users []int64)) { db.listeners.add(f) }

// OnQueues has f told, after every commit that changed a queue, the changes (a key
// may come more than once). f must not block.
func (db *DB) OnQueues(f func(changes []QueueChange)) { db.queueListeners.add(f) }

// LatestNotice is the id of a user's newest notice (0: none): one probe of the end of
// the index on (user_id, id), whatever the number of notices.
func (db *DB) LatestNotice(ctx context.Context, userID int64) (int64, error) {
	var id sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MAX(id) FROM notifications WHERE user_id = ?`, userID).Scan(&id)
	return id.Int64, err
}

// UnreadCount counts a user's unread notices, at most limit: read from the partial
// index of unread notices (0020_outbox.sql), so its cost is bounded by limit.
func (db *DB) UnreadCount(ctx context.Context, userID int64, limit int) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, unreadCountQuery, userID, limit).Scan(&n)
	return n, err
}

// unreadCountQuery counts at most a limit of a user's unread notices.
const unreadCountQuery = `SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS u`

// EnqueueMessage puts one message for user userID on channel in the outbox, due now,
// with no notice (an administrator's test message), and gives its id.
func (tx *Tx) EnqueueMessage(userID int64, channel, kind, text string) (int64, error) {
	var id int64
	err := tx.queryRow(`INSERT INTO outbox (user_id, channel, kind, message, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		userID, channel, kind, text, tx.now.Unix(), tx.now.Unix()).Scan(&id)
	return id, err
}
