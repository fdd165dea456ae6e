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

-- overdue lists, newest first, however rare or common overdue cases are
CREATE INDEX cases_overdue ON cases (overdue, id);

-- a department's inbox: the cases it leads in one status, newest first
CREATE INDEX cases_lead_status ON cases (lead_org, status, id);

-- the orgs whistled to a case that have not reported in yet
CREATE INDEX case_orgs_pending ON case_orgs (org, case_id) WHERE role = 'summoned' AND reported_at IS NULL;

-- the dispatcher's queue of extension requests waiting for approval
CREATE INDEX cases_ext_pending ON cases (id) WHERE ext_at IS NOT NULL;

-- likely duplicates: cases of one matter in one community, recent first
CREATE INDEX cases_matter_region ON cases (matter, region, created_at);
