-- 督查整改 (issue 23): rectification lists, their items, the items' stage milestones,
-- evidence and the dated events of each item (progress, 申请销号, 销号, 退回), so a past
-- day's figures read the same later: an item counts from created_at, is closed from
-- closed_at, a milestone is met on its done day.

CREATE TABLE rect_lists (
    id         {{ID}},
    title      TEXT NOT NULL,
    source     TEXT NOT NULL,
    source_ref TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL REFERENCES regions (code),
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX rect_lists_region ON rect_lists (region, id);

-- status: open, applied, closed, returned (domain.RectStatus); deadline a day
-- (YYYY-MM-DD); flagged_at: when the sweeper flagged it overdue, once
CREATE TABLE rect_items (
    id         {{ID}},
    list_id    BIGINT NOT NULL REFERENCES rect_lists (id),
    seq        INTEGER NOT NULL,
    problem    TEXT NOT NULL,
    measures   TEXT NOT NULL DEFAULT '',
    org        TEXT NOT NULL REFERENCES orgs (code),
    person     TEXT NOT NULL DEFAULT '',
    deadline   TEXT NOT NULL,
    status     TEXT NOT NULL,
    progress   TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    case_id    BIGINT REFERENCES cases (id),
    created_at BIGINT NOT NULL,
    applied_at BIGINT,
    closed_at  BIGINT,
    flagged_at BIGINT,
    UNIQUE (list_id, seq)
);
CREATE INDEX rect_items_org ON rect_items (org, id);
-- the sweeper's: items not closed nor flagged, by deadline
CREATE INDEX rect_items_due ON rect_items (deadline) WHERE closed_at IS NULL AND flagged_at IS NULL;

CREATE TABLE rect_milestones (
    id         {{ID}},
    item_id    BIGINT NOT NULL REFERENCES rect_items (id),
    name       TEXT NOT NULL,
    due        TEXT NOT NULL,
    done       TEXT NOT NULL DEFAULT '',
    flagged_at BIGINT
);
CREATE INDEX rect_milestones_item ON rect_milestones (item_id, id);
CREATE INDEX rect_milestones_due ON rect_milestones (due) WHERE done = '' AND flagged_at IS NULL;

-- documents and photos proving an item's work: the bytes in the file store (as case
-- attachments), the row describing them
CREATE TABLE rect_evidence (
    id           {{ID}},
    item_id      BIGINT NOT NULL REFERENCES rect_items (id),
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    thumb_sha256 TEXT NOT NULL DEFAULT '',
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX rect_evidence_item ON rect_evidence (item_id, id);

-- what was done to an item and when (domain.RectAction), with the note (a progress
-- account, a return's reason)
CREATE TABLE rect_events (
    id      {{ID}},
    item_id BIGINT NOT NULL REFERENCES rect_items (id),
    at      BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    action  TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rect_events_item ON rect_events (item_id, id);
