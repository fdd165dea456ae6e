-- Key groups (重点人群动态监测): groups with their attribute schema, registers of
-- households, persons and organisations, versioned attributes, one-to-one helpers,
-- monitoring rounds and their visits, risk flags, the assistance ledger and the audit of
-- every reveal of personal data.

CREATE TABLE key_groups (
    id          {{ID}},
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    fields      TEXT NOT NULL, -- the schema, JSON (domain.Field list)
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- households, their members (household set), persons and organisations
CREATE TABLE subjects (
    id         {{ID}},
    group_id   BIGINT NOT NULL REFERENCES key_groups (id),
    kind       TEXT NOT NULL,
    household  BIGINT REFERENCES subjects (id),
    ref        TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL,
    relation   TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
-- a group's register in a region subtree
CREATE INDEX subjects_group_region ON subjects (group_id, region, id);
CREATE INDEX subjects_household ON subjects (household, id);
-- a register's own numbers are unique among its top-level subjects
CREATE UNIQUE INDEX subjects_ref ON subjects (group_id, ref) WHERE ref <> '' AND household IS NULL;

-- every version of every attribute, valid from a day; personal data (ID numbers,
-- phones) is stored sealed (AES-GCM) with a keyed hash for exact search
CREATE TABLE subject_values (
    subject_id  BIGINT NOT NULL REFERENCES subjects (id),
    field       TEXT NOT NULL,
    from_day    TEXT NOT NULL,
    value       TEXT NOT NULL,
    hash        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    visit_id    BIGINT,
    recorded_by BIGINT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (subject_id, field, from_day)
);
CREATE INDEX subject_values_hash ON subject_values (hash) WHERE hash <> '';

-- one-to-one helpers (结对帮扶), dated; to_day is the last day, '' while running
CREATE TABLE helper_assignments (
    id         {{ID}},
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX helper_assignments_subject ON helper_assignments (subject_id, from_day);
CREATE INDEX helper_assignments_user ON helper_assignments (user_id, to_day);

CREATE TABLE monitoring_rounds (
    id         {{ID}},
    group_id   BIGINT NOT NULL REFERENCES key_groups (id),
    name       TEXT NOT NULL,
    region     TEXT NOT NULL,
    starts     TEXT NOT NULL,
    due        TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX monitoring_rounds_group ON monitoring_rounds (group_id, id);

-- a round's task per subject, and the visit that closes it
CREATE TABLE visits (
    id         {{ID}},
    round_id   BIGINT NOT NULL REFERENCES monitoring_rounds (id),
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    region     TEXT NOT NULL,
    helper_id  BIGINT REFERENCES users (id),
    due        TEXT NOT NULL,
    status     TEXT NOT NULL,
    day        TEXT NOT NULL DEFAULT '',
    done_at    BIGINT,
    done_by    BIGINT,
    answers    TEXT NOT NULL DEFAULT '[]',
    risks      TEXT NOT NULL DEFAULT '[]',
    note       TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, subject_id)
);
-- a helper's list on the phone
CREATE INDEX visits_helper ON visits (helper_id, status, due);
CREATE INDEX visits_subject ON visits (subject_id);

CREATE TABLE visit_photos (
    id           {{ID}},
    visit_id     BIGINT NOT NULL REFERENCES visits (id),
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos (visit_id, id);

-- risks found on visits (lost job, illness, housing), open until cleared
CREATE TABLE risk_flags (
    id         {{ID}},
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    kind       TEXT NOT NULL,
    raised     TEXT NOT NULL,
    cleared    TEXT NOT NULL DEFAULT '',
    visit_id   BIGINT,
    note       TEXT NOT NULL DEFAULT '',
    case_id    BIGINT REFERENCES cases (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX risk_flags_subject ON risk_flags (subject_id, id);

-- the assistance ledger; household and person are derived from the subject so totals
-- count each of them once
CREATE TABLE assistance (
    id         {{ID}},
    group_id   BIGINT NOT NULL REFERENCES key_groups (id),
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    household  BIGINT,
    person     BIGINT,
    region     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    day        TEXT NOT NULL,
    org        TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX assistance_group ON assistance (group_id, day);
CREATE INDEX assistance_subject ON assistance (subject_id, id);

-- who saw personal data in clear, when, for what
CREATE TABLE reveal_audit (
    id         {{ID}},
    user_id    BIGINT NOT NULL,
    login      TEXT NOT NULL,
    group_id   BIGINT NOT NULL,
    subject_id BIGINT,
    fields     TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    subjects   INTEGER NOT NULL DEFAULT 1,
    at         BIGINT NOT NULL
);
CREATE INDEX reveal_audit_group ON reveal_audit (group_id, id);
