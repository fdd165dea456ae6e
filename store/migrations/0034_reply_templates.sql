-- 常用语: reply templates for the seat's direct answers and the departments' results,
-- shared (org '') or an org's own (issue 21).
CREATE TABLE reply_templates (
    id         {{ID}},
    org        TEXT NOT NULL DEFAULT '',
    use        TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reply_templates_org ON reply_templates (org, use, id);
