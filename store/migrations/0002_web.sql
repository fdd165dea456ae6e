-- web sessions: the browser's session is an API token (tokens); this adds when it was
-- last used, so an idle session ends before its token expires
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    last_seen  BIGINT NOT NULL
);

-- reports filed from the phone page carry a key the phone made, so a retried upload
-- whose first answer was lost files nothing twice
CREATE TABLE web_report_keys (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (user_id, key)
);

-- queue and inbox pages: open cases that are overdue, newest first, without walking
-- every case of a region
CREATE INDEX cases_overdue_open ON cases (overdue, status, id) WHERE overdue = 1;

-- the dispatcher's queue of extension requests waiting for approval
CREATE INDEX cases_ext_pending ON cases (id) WHERE ext_at IS NOT NULL;

-- likely duplicates: cases of one matter in one community, recent first
CREATE INDEX cases_matter_region ON cases (matter, region, created_at);
