-- 混编培训's programme (issue 24, part 2): a class's sessions (lectures, discussions,
-- and study visits 调研 made by one group: grp > 0), each trainee's attendance of a
-- session, and the trainees' feedback on a session (entered by the school, anonymous).
CREATE TABLE training_sessions (
    id        {{ID}},
    class_id  BIGINT NOT NULL REFERENCES training_classes (id),
    kind      TEXT NOT NULL,
    title     TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place     TEXT NOT NULL DEFAULT '',
    speaker   TEXT NOT NULL DEFAULT '',
    grp       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX training_sessions_class ON training_sessions (class_id, starts_at, id);

CREATE TABLE training_attendance (
    session_id BIGINT NOT NULL REFERENCES training_sessions (id),
    trainee_id BIGINT NOT NULL REFERENCES training_trainees (id),
    status     TEXT NOT NULL,
    PRIMARY KEY (session_id, trainee_id)
);

CREATE TABLE training_feedback (
    id         {{ID}},
    session_id BIGINT NOT NULL REFERENCES training_sessions (id),
    rating     INTEGER NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX training_feedback_session ON training_feedback (session_id, id);
