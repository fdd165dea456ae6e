-- The audit log (issue 18): every administrative and personal-data action, appended in
-- the transaction of the change it records, never updated or deleted by the
-- application. id is the entry's place in the chain (1 first, no gaps), taken by the
-- writer under the chain's lock (store/audit.go); hash is the SHA-256 of the entry
-- before it and this entry's content (domain.AuditEntry.ChainHash). changes is JSON of
-- the fields changed and the facts, redacted (no password, hash or clear personal data).
CREATE TABLE audit_log (
    id      BIGINT PRIMARY KEY,
    at      BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    login   TEXT NOT NULL,
    addr    TEXT NOT NULL,
    action  TEXT NOT NULL,
    object  TEXT NOT NULL,
    changes TEXT NOT NULL,
    hash    TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_login ON audit_log (login, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_object ON audit_log (object, id);

-- The chain's head: its last entry's id and hash, moved with every entry, so entries cut
-- from the end are found too. One row (id 1), made with the first entry: a copy of an
-- installation brings its own.
CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY,
    last_id BIGINT NOT NULL,
    hash    TEXT NOT NULL
);
