-- 考核 (issue 23): indicator systems, the published (frozen) tables of their periods,
-- the leaders' manual scores, exclusions of cases (不合理诉求, 免责), the streets'
-- ratings of departments' report-ins (吹哨报到评价) and appeals (申诉).

-- indicators: JSON (domain.Indicator list); period_kind month/quarter/year;
-- assessee_kind street/community/department/grid_worker
CREATE TABLE assess_systems (
    id            {{ID}},
    name          TEXT NOT NULL,
    region        TEXT NOT NULL REFERENCES regions (code),
    period_kind   TEXT NOT NULL,
    assessee_kind TEXT NOT NULL,
    appeal_days   INTEGER NOT NULL,
    indicators    TEXT NOT NULL,
    created_by    BIGINT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX assess_systems_region ON assess_systems (region, id);

-- a published period: the frozen snapshot of its values and scores (JSON,
-- domain.AssessResult); a draft period is computed, never stored
CREATE TABLE assess_results (
    system_id    BIGINT NOT NULL REFERENCES assess_systems (id),
    period       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    result       TEXT NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users (id),
    published_at BIGINT NOT NULL,
    appeal_until TEXT NOT NULL,
    PRIMARY KEY (system_id, period)
);

-- a leader's score (0–100) of one assessee on one manual indicator, with its reason
CREATE TABLE assess_manual (
    system_id BIGINT NOT NULL REFERENCES assess_systems (id),
    period    TEXT NOT NULL,
    assessee  TEXT NOT NULL,
    indicator TEXT NOT NULL,
    points    DOUBLE PRECISION NOT NULL,
    reason    TEXT NOT NULL,
    user_id   BIGINT NOT NULL REFERENCES users (id),
    at        BIGINT NOT NULL,
    PRIMARY KEY (system_id, period, assessee, indicator)
);

-- a case left out of named indicators (sources: comma-separated domain.AssessSource);
-- region, org and month are the case's rollup key when asked (they do not change)
CREATE TABLE assess_exclusions (
    id           {{ID}},
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL,
    sources      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    decided_by   BIGINT REFERENCES users (id),
    decided_at   BIGINT,
    note         TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL,
    org          TEXT NOT NULL DEFAULT '',
    month        TEXT NOT NULL
);
CREATE INDEX assess_exclusions_month ON assess_exclusions (month, region);
CREATE INDEX assess_exclusions_case ON assess_exclusions (case_id);

-- a street's rating of one org's report-in on a whistled case; month: the report-in's,
-- the period the rating counts in however late it is given
CREATE TABLE assess_ratings (
    id       {{ID}},
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    org      TEXT NOT NULL,
    grade    TEXT NOT NULL,
    timely   INTEGER NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    rated_by BIGINT NOT NULL REFERENCES users (id),
    rated_at BIGINT NOT NULL,
    region   TEXT NOT NULL,
    month    TEXT NOT NULL,
    UNIQUE (case_id, org)
);
CREATE INDEX assess_ratings_month ON assess_ratings (month, region);

-- an assessee's appeal of one indicator of a published period; corrected: the value
-- (JSON domain.AssessValue) an accepted appeal set
CREATE TABLE assess_appeals (
    id         {{ID}},
    system_id  BIGINT NOT NULL REFERENCES assess_systems (id),
    period     TEXT NOT NULL,
    assessee   TEXT NOT NULL,
    indicator  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL,
    filed_by   BIGINT NOT NULL REFERENCES users (id),
    filed_at   BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decision   TEXT NOT NULL DEFAULT '',
    corrected  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assess_appeals_period ON assess_appeals (system_id, period, id);

-- 报到率 reads the summons falling due in a period
CREATE INDEX case_orgs_summoned_due ON case_orgs (due) WHERE role = 'summoned';
