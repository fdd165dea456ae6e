-- Core schema: regions, orgs, users, matters, calendar, cases and their events,
-- deadlines, notifications and the statistics rollup.
-- {{ID}} is the one place the engines differ here: an auto-numbered primary key.

CREATE TABLE regions (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    level   TEXT NOT NULL,
    parent  TEXT NOT NULL DEFAULT '',
    kind    TEXT NOT NULL DEFAULT '',
    lat     DOUBLE PRECISION,
    lon     DOUBLE PRECISION,
    polygon TEXT,
    min_lat DOUBLE PRECISION,
    max_lat DOUBLE PRECISION,
    min_lon DOUBLE PRECISION,
    max_lon DOUBLE PRECISION
);
-- children of a node: WHERE parent = ? ORDER BY code
CREATE INDEX regions_parent ON regions (parent, code);
-- point lookup: candidate polygons whose box holds the point
CREATE INDEX regions_box ON regions (min_lat, max_lat) WHERE polygon IS NOT NULL;

CREATE TABLE orgs (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id            {{ID}},
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    lang          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE TABLE grants (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    region  TEXT NOT NULL DEFAULT '',
    org     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role, region, org)
);
-- who to notify: dispatchers of a region, officers of an org
CREATE INDEX grants_role_region ON grants (role, region);
CREATE INDEX grants_role_org ON grants (role, org);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE login_failures (
    login        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    first_at     BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE linkages (
    id       {{ID}},
    kind     TEXT NOT NULL,
    user_id  BIGINT REFERENCES users (id),
    org      TEXT NOT NULL DEFAULT '',
    target   TEXT NOT NULL,
    from_day TEXT NOT NULL,
    to_day   TEXT NOT NULL DEFAULT '',
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX linkages_target ON linkages (kind, target);

CREATE TABLE matters (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    class        TEXT NOT NULL,
    category     TEXT NOT NULL,
    lead_org     TEXT NOT NULL REFERENCES orgs (code),
    ack_n        INTEGER NOT NULL,
    ack_unit     TEXT NOT NULL,
    resolve_n    INTEGER NOT NULL,
    resolve_unit TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    public       INTEGER NOT NULL DEFAULT 1,
    keywords     TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE matter_routes (
    matter TEXT NOT NULL REFERENCES matters (code) ON DELETE CASCADE,
    region TEXT NOT NULL,
    org    TEXT NOT NULL REFERENCES orgs (code),
    PRIMARY KEY (matter, region)
);

CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE cases (
    id               {{ID}},
    number           TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL,
    resume_status    TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL,
    matter           TEXT NOT NULL REFERENCES matters (code),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    region           TEXT NOT NULL REFERENCES regions (code),
    lat              DOUBLE PRECISION,
    lon              DOUBLE PRECISION,
    address          TEXT NOT NULL DEFAULT '',
    channel          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    reporter_name    TEXT NOT NULL DEFAULT '',
    reporter_phone   TEXT NOT NULL DEFAULT '',
    reporter_user_id BIGINT,
    lead_org         TEXT NOT NULL DEFAULT '',
    ack_due          BIGINT,
    resolve_due      BIGINT,
    dispatched_at    BIGINT,
    acked_at         BIGINT,
    resolved_at      BIGINT,
    closed_at        BIGINT,
    suspended_at     BIGINT,
    overdue_ack      INTEGER NOT NULL DEFAULT 0,
    overdue_resolve  INTEGER NOT NULL DEFAULT 0,
    overdue          INTEGER NOT NULL DEFAULT 0,
    extended         INTEGER NOT NULL DEFAULT 0,
    ext_days         INTEGER,
    ext_until        BIGINT,
    ext_reason       TEXT,
    ext_at           BIGINT,
    escalated        TEXT NOT NULL DEFAULT '',
    returns          INTEGER NOT NULL DEFAULT 0,
    result           TEXT NOT NULL DEFAULT '',
    satisfaction     TEXT NOT NULL DEFAULT '',
    merged_into      BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
-- lists are newest first (ORDER BY id DESC) within a scope or a filter
CREATE INDEX cases_region ON cases (region, id);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_lead_org ON cases (lead_org, id);
CREATE INDEX cases_reporter ON cases (reporter_user_id, id);
CREATE INDEX cases_created ON cases (created_at);

-- the orgs a case involves: lead, co-handlers and those whistled to (吹哨)
CREATE TABLE case_orgs (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    org         TEXT NOT NULL,
    role        TEXT NOT NULL, -- lead, co, summoned
    pos         INTEGER NOT NULL,
    due         BIGINT,
    reported_at BIGINT,
    overdue     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, role, org)
);
-- an officer's inbox: the cases of their org
CREATE INDEX case_orgs_org ON case_orgs (org, case_id);

CREATE TABLE case_events (
    id          {{ID}},
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    UNIQUE (case_id, seq)
);

-- running deadlines, one row each; the sweeper reads only the ones falling due
CREATE TABLE deadlines (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind    TEXT NOT NULL,
    org     TEXT NOT NULL DEFAULT '',
    due_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, kind, org)
);
CREATE INDEX deadlines_due ON deadlines (due_at);

CREATE TABLE notifications (
    id         {{ID}},
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id    BIGINT REFERENCES cases (id),
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- statistics rollup (domain.RollupCell): per month, region at one level of the tree and
-- dimension, the sum of the tallies of the cases counted there (domain.Tally); ack_hN /
-- res_hN are duration histogram buckets
CREATE TABLE case_rollup (
    dim                 TEXT NOT NULL,
    depth               INTEGER NOT NULL,
    region              TEXT NOT NULL,
    month               TEXT NOT NULL,
    value               TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    accepted BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    merged BIGINT NOT NULL DEFAULT 0,
    dispatched BIGINT NOT NULL DEFAULT 0,
    acked BIGINT NOT NULL DEFAULT 0,
    acked_on_time BIGINT NOT NULL DEFAULT 0,
    resolved BIGINT NOT NULL DEFAULT 0,
    resolved_on_time BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    visited BIGINT NOT NULL DEFAULT 0,
    satisfied BIGINT NOT NULL DEFAULT 0,
    basically_satisfied BIGINT NOT NULL DEFAULT 0,
    dissatisfied BIGINT NOT NULL DEFAULT 0,
    returned BIGINT NOT NULL DEFAULT 0,
    overdue BIGINT NOT NULL DEFAULT 0,
    cannot_do BIGINT NOT NULL DEFAULT 0,
    hazards BIGINT NOT NULL DEFAULT 0,
    ack_h0 BIGINT NOT NULL DEFAULT 0,
    ack_h1 BIGINT NOT NULL DEFAULT 0,
    ack_h2 BIGINT NOT NULL DEFAULT 0,
    ack_h3 BIGINT NOT NULL DEFAULT 0,
    ack_h4 BIGINT NOT NULL DEFAULT 0,
    ack_h5 BIGINT NOT NULL DEFAULT 0,
    ack_h6 BIGINT NOT NULL DEFAULT 0,
    ack_h7 BIGINT NOT NULL DEFAULT 0,
    ack_h8 BIGINT NOT NULL DEFAULT 0,
    ack_h9 BIGINT NOT NULL DEFAULT 0,
    ack_h10 BIGINT NOT NULL DEFAULT 0,
    ack_h11 BIGINT NOT NULL DEFAULT 0,
    ack_h12 BIGINT NOT NULL DEFAULT 0,
    ack_h13 BIGINT NOT NULL DEFAULT 0,
    ack_h14 BIGINT NOT NULL DEFAULT 0,
    ack_h15 BIGINT NOT NULL DEFAULT 0,
    ack_h16 BIGINT NOT NULL DEFAULT 0,
    res_h0 BIGINT NOT NULL DEFAULT 0,
    res_h1 BIGINT NOT NULL DEFAULT 0,
    res_h2 BIGINT NOT NULL DEFAULT 0,
    res_h3 BIGINT NOT NULL DEFAULT 0,
    res_h4 BIGINT NOT NULL DEFAULT 0,
    res_h5 BIGINT NOT NULL DEFAULT 0,
    res_h6 BIGINT NOT NULL DEFAULT 0,
    res_h7 BIGINT NOT NULL DEFAULT 0,
    res_h8 BIGINT NOT NULL DEFAULT 0,
    res_h9 BIGINT NOT NULL DEFAULT 0,
    res_h10 BIGINT NOT NULL DEFAULT 0,
    res_h11 BIGINT NOT NULL DEFAULT 0,
    res_h12 BIGINT NOT NULL DEFAULT 0,
    res_h13 BIGINT NOT NULL DEFAULT 0,
    res_h14 BIGINT NOT NULL DEFAULT 0,
    res_h15 BIGINT NOT NULL DEFAULT 0,
    res_h16 BIGINT NOT NULL DEFAULT 0,
    -- every statistic is a range of this key: one dimension, one depth, one region (or
    -- the children of one), a range of months
    PRIMARY KEY (dim, depth, region, month, value)
);
