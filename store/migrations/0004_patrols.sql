-- Patrols (巡查), checklists (八个一), the hazard ledger (隐患台账), the enterprise
-- registry with inspection codes (扫码入企), inspections and the liaison service (联企).
-- JSON lists are kept as TEXT; times are unix seconds.

CREATE TABLE checklists (
    id    {{ID}},
    code  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    kind  TEXT NOT NULL,
    items TEXT NOT NULL
);

CREATE TABLE checklist_entries (
    id        {{ID}},
    checklist BIGINT NOT NULL REFERENCES checklists (id),
    region    TEXT NOT NULL,
    year      INTEGER NOT NULL,
    item      TEXT NOT NULL,
    evidence  TEXT NOT NULL,
    photos    TEXT NOT NULL DEFAULT '[]',
    user_id   BIGINT NOT NULL,
    at        BIGINT NOT NULL
);
-- progress of the communities of a region: one checklist, one year, a range of regions
CREATE INDEX checklist_entries_region ON checklist_entries (checklist, year, region);

CREATE TABLE patrol_plans (
    id         {{ID}},
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    org        TEXT NOT NULL DEFAULT '',
    user_id    BIGINT,
    region     TEXT NOT NULL,
    times      INTEGER NOT NULL,
    period     TEXT NOT NULL,
    checklist  BIGINT,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    linkage    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX patrol_plans_region ON patrol_plans (region);

-- one row per patrol a plan requires; a patrol record closes one
CREATE TABLE patrol_tasks (
    id        {{ID}},
    plan_id   BIGINT NOT NULL REFERENCES patrol_plans (id),
    region    TEXT NOT NULL,
    org       TEXT NOT NULL DEFAULT '',
    user_id   BIGINT,
    start_at  BIGINT NOT NULL,
    due_at    BIGINT NOT NULL,
    seq       INTEGER NOT NULL,
    patrol_id BIGINT,
    done_at   BIGINT
);
CREATE INDEX patrol_tasks_plan ON patrol_tasks (plan_id, due_at);
-- compliance over a period reads the tasks due in it
CREATE INDEX patrol_tasks_due ON patrol_tasks (due_at, region);

CREATE TABLE patrols (
    id          {{ID}},
    task_id     BIGINT,
    plan_id     BIGINT,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    org         TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT NOT NULL,
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    route       TEXT NOT NULL DEFAULT '[]',
    checklist   BIGINT,
    answers     TEXT NOT NULL DEFAULT '[]',
    photos      TEXT NOT NULL DEFAULT '[]',
    note        TEXT NOT NULL DEFAULT '',
    late        INTEGER NOT NULL DEFAULT 0,
    hazards     TEXT NOT NULL DEFAULT '[]',
    recorded_at BIGINT NOT NULL
);
CREATE INDEX patrols_region ON patrols (region, started_at);
CREATE INDEX patrols_user ON patrols (user_id, started_at);

-- what a hazard case carries beyond the case
CREATE TABLE hazards (
    case_id   BIGINT PRIMARY KEY REFERENCES cases (id),
    level     TEXT NOT NULL,
    category  TEXT NOT NULL,
    measures  TEXT NOT NULL DEFAULT '',
    deadline  BIGINT NOT NULL,
    org       TEXT NOT NULL DEFAULT '',
    patrol_id BIGINT,
    evidence  TEXT NOT NULL DEFAULT '[]'
);
-- the ledger reads hazard cases of a period and region from this index alone (it holds
-- only hazard cases, so other cases pay nothing for it)
CREATE INDEX cases_hazard_ledger ON cases (created_at, region, status, matter, resolved_at, resolve_due) WHERE kind = 'hazard';

CREATE TABLE enterprises (
    id           {{ID}},
    uscc         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL,
    industry     TEXT NOT NULL,
    size         TEXT NOT NULL,
    contact      TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    account_id   BIGINT,
    code_version INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises (region);
CREATE INDEX enterprises_account ON enterprises (account_id);

CREATE TABLE inspection_plans (
    id            {{ID}},
    org           TEXT NOT NULL,
    year          INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    region        TEXT NOT NULL,
    industry      TEXT NOT NULL DEFAULT '',
    enterprise_id BIGINT,
    times         INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_plans_org ON inspection_plans (org, year);

CREATE TABLE inspections (
    id             {{ID}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    region         TEXT NOT NULL,
    org            TEXT NOT NULL,
    kind           TEXT NOT NULL,
    legal_basis    TEXT NOT NULL,
    items          TEXT NOT NULL,
    inspectors     TEXT NOT NULL,
    opened_by      BIGINT NOT NULL,
    opened_at      BIGINT NOT NULL,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    plan_id        BIGINT,
    flags          TEXT NOT NULL DEFAULT '[]',
    flagged        INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL,
    approved_by    BIGINT,
    approval_note  TEXT NOT NULL DEFAULT '',
    finished_at    BIGINT,
    result         TEXT NOT NULL DEFAULT '',
    case_ids       TEXT NOT NULL DEFAULT '[]',
    rating         INTEGER,
    rating_comment TEXT NOT NULL DEFAULT '',
    rated_at       BIGINT
);
-- 无事不扰: the last inspection of a kind of one enterprise
CREATE INDEX inspections_enterprise ON inspections (enterprise_id, kind, opened_at);
CREATE INDEX inspections_org ON inspections (org, opened_at);
CREATE INDEX inspections_opened ON inspections (opened_at);

-- cases about an enterprise: problems a liaison cadre collected, findings of inspections
CREATE TABLE enterprise_cases (
    case_id       BIGINT PRIMARY KEY REFERENCES cases (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    source        TEXT NOT NULL,
    user_id       BIGINT,
    visit_id      BIGINT,
    inspection_id BIGINT
);
CREATE INDEX enterprise_cases_enterprise ON enterprise_cases (enterprise_id);
CREATE INDEX enterprise_cases_user ON enterprise_cases (user_id);

CREATE TABLE liaison_visits (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    at            BIGINT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    problems      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX liaison_visits_user ON liaison_visits (user_id, at);
CREATE INDEX liaison_visits_enterprise ON liaison_visits (enterprise_id, at);
