-- 知识库: the answers the 12345 seat gives (policy, where to go, phone numbers, links),
-- each under a matter or the whole catalogue (matter ''), searched from the seat and
-- inserted into a direct answer.
CREATE TABLE knowledge (
    id         {{ID}},
    matter     TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    phones     TEXT NOT NULL DEFAULT '',
    links      TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX knowledge_matter ON knowledge (matter, id);
