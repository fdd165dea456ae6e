-- Public-receipt holders ask for progress messages (issue 21): whoever holds a case's
-- receipt number and secret gives an e-mail address or a phone, confirms it by the link
-- sent there, and is messaged at each step of the case through the same outbox as
-- staff, until they stop by the link every message carries (service/receipts.go).
--
-- The outbox is rebuilt so a message may go to an address instead of a user: user_id
-- may be NULL, address holds the address sealed with the installation's key, and
-- receipt_sub names the subscription (its stop link, and a stop that comes before the
-- send). Every row keeps its id, the messages' idempotency key; PostgreSQL's id
-- sequence is moved past them after this migration (store/backfill.go migrationSteps).
CREATE TABLE outbox_new (
    id            {{ID}},
    user_id       BIGINT REFERENCES users (id) ON DELETE CASCADE,
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
    last_error    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    receipt_sub   BIGINT
);
INSERT INTO outbox_new (id, user_id, channel, case_id, kind, message, created_at, due_at, claimed_until, attempts, state, sent_at, last_error)
    SELECT id, user_id, channel, case_id, kind, message, created_at, due_at, claimed_until, attempts, state, sent_at, last_error FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (due_at) WHERE state = 'pending';
CREATE INDEX outbox_user ON outbox (user_id, id);

-- address: sealed (secret.Keys.Seal); address_hash: its keyed hash, so one case has one
-- subscription per address; masked: as pages show it. site: the origin the holder
-- used, for the links in the messages. A subscription is live once confirmed and
-- until ended; only live ones are messaged, read by the partial index.
CREATE TABLE receipt_subs (
    id           {{ID}},
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    channel      TEXT NOT NULL,
    address      TEXT NOT NULL,
    address_hash TEXT NOT NULL,
    masked       TEXT NOT NULL,
    site         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    ended_at     BIGINT
);
CREATE UNIQUE INDEX receipt_subs_address ON receipt_subs (case_id, address_hash);
CREATE INDEX receipt_subs_live ON receipt_subs (case_id) WHERE confirmed_at IS NOT NULL AND ended_at IS NULL;
