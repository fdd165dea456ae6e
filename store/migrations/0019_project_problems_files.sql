-- A project's problems (项目问题: land, power, financing, permits...) are enterprise_problem
-- cases its service officer files; this row ties each case to its project and says what
-- kind of problem it is. The case itself runs the normal lifecycle.
CREATE TABLE project_problems (
    case_id    BIGINT PRIMARY KEY REFERENCES cases (id),
    project_id BIGINT NOT NULL REFERENCES projects (id),
    category   TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX project_problems_project ON project_problems (project_id, case_id);

-- a project's documents and photos: a stage's proof (contract, land certificate, permit:
-- stage set) or a monthly report's site photos (month set); the bytes in the file store
-- (as case attachments), the row describing them
CREATE TABLE project_files (
    id           {{ID}},
    project_id   BIGINT NOT NULL REFERENCES projects (id),
    stage        TEXT NOT NULL DEFAULT '',
    month        TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    thumb_sha256 TEXT NOT NULL DEFAULT '',
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX project_files_project ON project_files (project_id, id);

-- the weekly bulletin reads the items decided in a week
CREATE INDEX project_items_decided ON project_items (decided_at) WHERE decided_at IS NOT NULL;
