-- Messages that reach people (issue 21, part 3): each user's outbound preferences
-- (addresses, which notice kinds go to which channel, quiet hours) and the durable
-- outbox. An outbox row is written in the same transaction as its notice (store
-- writeRows), one per (notice, user, channel) the user subscribed; senders claim due
-- rows with a lease (due_at moved to claimed_until), send, and mark them sent, so a
-- sender that dies leaves its rows to another once the lease runs out.

-- quiet_start, quiet_end: minutes after midnight, China time; equal: no quiet hours.
-- phone is personal data: read back masked (domain.MaskPhone), like users.phone.
CREATE TABLE message_prefs (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    wechat      TEXT NOT NULL DEFAULT '',
    quiet_start INTEGER NOT NULL DEFAULT 0,
    quiet_end   INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL
);

-- one notice kind sent to one channel; the primary key serves the lookup by user and
-- kind made when notices are written
CREATE TABLE message_subs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);

-- state: pending, sent, failed (domain.MsgPending...); due_at: when a sender may take it
-- next (a claim moves it to the lease's end, claimed_until); the id is the message's
-- idempotency key, carried by every channel
CREATE TABLE outbox (
    id            {{ID}},
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel       TEXT NOT NULL,
    case_id       BIGINT,
    kind          TEXT NOT NULL,
    message       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'pending',
    sent_at       BIGINT,
    last_error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE state = 'pending';
CREATE INDEX outbox_user ON outbox (user_id, id);

-- the unread count in every page's header reads only a user's unread notices
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- followers of a case (FixMyStreet's alerts): staff who see it and the citizen who
-- reported it hear of its progress
CREATE TABLE case_follows (
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
