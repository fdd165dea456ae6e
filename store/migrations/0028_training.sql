-- 混编培训 (issue 24, part 2): a party school's joint classes, their trainees from
-- several sources, the hand rules of the mixing (keep together, keep apart), and each
-- trainee's group and room (0 until the class is mixed). A school's staff are the
-- officers of its org; a class is held in a region.
CREATE TABLE training_classes (
    id         {{ID}},
    name       TEXT NOT NULL,
    org        TEXT NOT NULL REFERENCES orgs (code),
    region     TEXT NOT NULL REFERENCES regions (code),
    starts_on  TEXT NOT NULL DEFAULT '',
    ends_on    TEXT NOT NULL DEFAULT '',
    group_size INTEGER NOT NULL,
    room_size  INTEGER NOT NULL,
    seed       BIGINT NOT NULL DEFAULT 0,
    mixed_at   BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_classes_org ON training_classes (org, id);
CREATE INDEX training_classes_region ON training_classes (region, id);

CREATE TABLE training_trainees (
    id       {{ID}},
    class_id BIGINT NOT NULL REFERENCES training_classes (id),
    name     TEXT NOT NULL,
    source   TEXT NOT NULL,
    unit     TEXT NOT NULL,
    rank     TEXT NOT NULL DEFAULT '',
    gender   TEXT NOT NULL,
    age      INTEGER NOT NULL,
    field    TEXT NOT NULL DEFAULT '',
    grp      INTEGER NOT NULL DEFAULT 0,
    room     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX training_trainees_class ON training_trainees (class_id, id);

-- kind together/apart; a and b are trainees of the class
CREATE TABLE training_rules (
    id       {{ID}},
    class_id BIGINT NOT NULL REFERENCES training_classes (id),
    kind     TEXT NOT NULL,
    a        BIGINT NOT NULL REFERENCES training_trainees (id),
    b        BIGINT NOT NULL REFERENCES training_trainees (id)
);
CREATE INDEX training_rules_class ON training_rules (class_id, id);
