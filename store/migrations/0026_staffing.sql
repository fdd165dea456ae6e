-- 机构编制 (issue 24): the staffing office's units (a tree per region), the dated
-- changes of their approved figures (编制, 领导职数, 编外员额总量 with the method and
-- inputs that fixed it), the exceptions to "只减不增" the leading group decides, the
-- staff's dated movements (by person, ID number sealed, or by count) and the digestion
-- plans of what is over. Changes and movements are appended, never updated, so a past
-- day's figures are the fold of the rows up to that day.
CREATE TABLE staff_units (
    id         {{ID}},
    parent_id  BIGINT REFERENCES staff_units (id),
    region     TEXT NOT NULL REFERENCES regions (code),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    doc_no     TEXT NOT NULL,
    doc_date   TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_units_region ON staff_units (region, id);

CREATE TABLE staff_exceptions (
    id           {{ID}},
    unit_id      BIGINT NOT NULL REFERENCES staff_units (id),
    value        INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    doc_no       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    decided_by   BIGINT REFERENCES users (id),
    note         TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT
);
CREATE INDEX staff_exceptions_unit ON staff_exceptions (unit_id, id);

-- item: domain.StaffItem; inputs: JSON of the method's inputs
CREATE TABLE staff_quotas (
    id           {{ID}},
    unit_id      BIGINT NOT NULL REFERENCES staff_units (id),
    item         TEXT NOT NULL,
    value        INTEGER NOT NULL,
    day          TEXT NOT NULL,
    doc_no       TEXT NOT NULL,
    method       TEXT NOT NULL DEFAULT '',
    inputs       TEXT NOT NULL DEFAULT '',
    exception_id BIGINT REFERENCES staff_exceptions (id),
    note         TEXT NOT NULL DEFAULT '',
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX staff_quotas_unit ON staff_quotas (unit_id, item, day, id);

-- id_sealed: the ID number sealed (package secret); id_hash its keyed search hash
CREATE TABLE staff_people (
    id         {{ID}},
    unit_id    BIGINT NOT NULL REFERENCES staff_units (id),
    item       TEXT NOT NULL,
    name       TEXT NOT NULL,
    id_sealed  TEXT NOT NULL,
    id_masked  TEXT NOT NULL,
    id_hash    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_people_unit ON staff_people (unit_id, id);
CREATE INDEX staff_people_hash ON staff_people (id_hash);

CREATE TABLE staff_moves (
    id         {{ID}},
    unit_id    BIGINT NOT NULL REFERENCES staff_units (id),
    item       TEXT NOT NULL,
    day        TEXT NOT NULL,
    delta      INTEGER NOT NULL,
    person_id  BIGINT REFERENCES staff_people (id),
    doc_no     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_moves_unit ON staff_moves (unit_id, item, day, id);
CREATE INDEX staff_moves_person ON staff_moves (person_id);

CREATE TABLE staff_plans (
    id         {{ID}},
    unit_id    BIGINT NOT NULL REFERENCES staff_units (id),
    item       TEXT NOT NULL,
    outs       INTEGER NOT NULL,
    ins        INTEGER NOT NULL,
    from_day   TEXT NOT NULL,
    target_day TEXT NOT NULL,
    doc_no     TEXT NOT NULL,
    base_over  INTEGER NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_plans_unit ON staff_plans (unit_id, item, id);
