-- Intake: Open311 client apps, matters' extra attributes, what each door records beside
-- the case, attachments, the duplicate index and rate-limit windows for the public page.

-- client apps of the Open311 API; only the SHA-256 of an api_key is kept
CREATE TABLE open311_clients (
    id         {{ID}},
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0
);

-- a matter's extra fields (Open311 service definition attributes)
CREATE TABLE matter_attributes (
    matter               TEXT NOT NULL REFERENCES matters (code) ON DELETE CASCADE,
    code                 TEXT NOT NULL,
    variable             INTEGER NOT NULL DEFAULT 1,
    datatype             TEXT NOT NULL,
    required             INTEGER NOT NULL DEFAULT 0,
    datatype_description TEXT NOT NULL DEFAULT '',
    ord                  INTEGER NOT NULL DEFAULT 0,
    description          TEXT NOT NULL,
    vals                 TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (matter, code)
);

-- what a door records beside the case (personal data: caller phone, email)
CREATE TABLE case_intake (
    case_id      BIGINT PRIMARY KEY REFERENCES cases (id),
    caller_phone TEXT NOT NULL DEFAULT '',
    recording    TEXT NOT NULL DEFAULT '',
    window_no    TEXT NOT NULL DEFAULT '',
    enterprise   TEXT NOT NULL DEFAULT '',
    supervised   INTEGER NOT NULL DEFAULT 0,
    client_id    BIGINT REFERENCES open311_clients (id),
    email        TEXT NOT NULL DEFAULT '',
    device_id    TEXT NOT NULL DEFAULT '',
    account_id   TEXT NOT NULL DEFAULT '',
    media_url    TEXT NOT NULL DEFAULT '',
    token        TEXT UNIQUE,
    secret_hash  TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '{}'
);
-- 办不成事 cases a leader supervises
CREATE INDEX case_intake_supervised ON case_intake (supervised, case_id);
CREATE INDEX case_intake_enterprise ON case_intake (enterprise, case_id);

CREATE TABLE attachments (
    id           {{ID}},
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    event_seq    INTEGER NOT NULL DEFAULT 0,
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    thumb_sha256 TEXT NOT NULL DEFAULT '',
    lat          DOUBLE PRECISION,
    lon          DOUBLE PRECISION,
    uploaded_by  BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id, id);

-- the duplicate index (domain.CellsPerDegree): located cases by matter, cell of
-- 1/200 degree and filing time; a lookup reads the cells around a point, not the cases
CREATE INDEX cases_cell ON cases (matter, (CAST(lat * 200 AS BIGINT)), (CAST(lon * 200 AS BIGINT)), created_at)
    WHERE lat IS NOT NULL;

-- likely duplicates found when a case was filed, for the dispatcher's queue
CREATE TABLE case_duplicates (
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    of_case    BIGINT NOT NULL REFERENCES cases (id),
    distance_m DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (case_id, of_case)
);
CREATE INDEX case_duplicates_of ON case_duplicates (of_case);

-- fixed-window counters that rate-limit the public page, shared by every server
CREATE TABLE rate_limits (
    key       TEXT NOT NULL,
    win       BIGINT NOT NULL,
    hits      INTEGER NOT NULL,
    PRIMARY KEY (key, win)
);
