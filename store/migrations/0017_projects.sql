-- 项目全生命周期与极速审批 (issue 22): investment projects, their life stages, the
-- catalogue of approval items (审批事项) per stage and each project's items. Amounts
-- (万元) and land (亩) are integers of hundredths, never floats; times are Unix seconds.

-- the catalogue: one approval a stage needs, at one department, with its limits in
-- working days (statutory ≥ promised ≥ vip; vip 0 is half the promised, rounded up)
CREATE TABLE approval_items (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    stage      TEXT NOT NULL,
    org        TEXT NOT NULL REFERENCES orgs (code),
    statutory  INTEGER NOT NULL,
    promised   INTEGER NOT NULL,
    vip        INTEGER NOT NULL DEFAULT 0,
    commitment INTEGER NOT NULL DEFAULT 0,
    required   INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL DEFAULT 0
);

-- investor is the enterprise's unified social credit code (the registry may not hold
-- it yet when a project is signed in negotiation)
CREATE TABLE projects (
    id         {{ID}},
    name       TEXT NOT NULL,
    investor   TEXT NOT NULL,
    industry   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    total      BIGINT NOT NULL,
    year_plan  BIGINT NOT NULL,
    land       BIGINT NOT NULL,
    parcel     TEXT NOT NULL DEFAULT '',
    park       TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL REFERENCES regions (code),
    priority   TEXT NOT NULL DEFAULT '',
    tier       TEXT NOT NULL,
    leader_id  BIGINT REFERENCES users (id),
    agent_id   BIGINT REFERENCES users (id),
    status     TEXT NOT NULL,
    stage      TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX projects_region ON projects (region, id);
CREATE INDEX projects_investor ON projects (investor);
CREATE INDEX projects_agent ON projects (agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX projects_leader ON projects (leader_id) WHERE leader_id IS NOT NULL;

-- a stage's plan and record: days YYYY-MM-DD, facts a JSON object of names to values
CREATE TABLE project_stages (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    stage      TEXT NOT NULL,
    planned    TEXT NOT NULL DEFAULT '',
    actual     TEXT NOT NULL DEFAULT '',
    facts      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (project_id, stage)
);

-- a project's approval items; due_at is when the promised limit ends while the clock
-- runs (NULL while 补正 stops it and once decided), late_at when the sweeper flagged it:
-- the sweeper claims a row by setting late_at where it is NULL, so two servers never
-- flag one item twice; taken is the working minutes it used, set when decided
CREATE TABLE project_items (
    id          {{ID}},
    project_id  BIGINT NOT NULL REFERENCES projects (id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    stage       TEXT NOT NULL,
    org         TEXT NOT NULL,
    state       TEXT NOT NULL,
    statutory   INTEGER NOT NULL,
    limit_days  INTEGER NOT NULL,
    vip         INTEGER NOT NULL DEFAULT 0,
    applied_at  BIGINT NOT NULL,
    accepted_at BIGINT,
    gaps        TEXT NOT NULL DEFAULT '[]',
    gaps_due    TEXT NOT NULL DEFAULT '',
    supplement  TEXT NOT NULL DEFAULT '',
    paused_at   BIGINT,
    paused      INTEGER NOT NULL DEFAULT 0,
    due_at      BIGINT,
    decided_at  BIGINT,
    permit      TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    commitment  INTEGER NOT NULL DEFAULT 0,
    checked_at  BIGINT,
    late_at     BIGINT,
    taken       INTEGER,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX project_items_project ON project_items (project_id, id);
CREATE INDEX project_items_org ON project_items (org, state, id);
CREATE INDEX project_items_due ON project_items (due_at) WHERE due_at IS NOT NULL AND late_at IS NULL;

-- monthly progress (月度进展): investment completed in the month (万元, hundredths) and
-- physical progress in percent, reported by the agent or the leader
CREATE TABLE project_progress (
    project_id  BIGINT NOT NULL REFERENCES projects (id),
    month       TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    physical    INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    reported_by BIGINT REFERENCES users (id),
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, month)
);
