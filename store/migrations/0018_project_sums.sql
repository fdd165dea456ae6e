-- The projects dashboard's sums (issue 22: 10,000 projects and 300,000 approval items
-- within 20 ms), kept in the same transaction as the rows they sum by store's writers of
-- projects, project_items and project_progress (store/projectsums.go: a writer takes a
-- row's share away before changing it and adds it back after). Keyed by the project's
-- own region; a figure of a subtree sums a range of keys. Rows whose sums fell to zero
-- stay and are left out by the readers.

-- the projects that are not stopped, with their yearly plans (万元, hundredths)
CREATE TABLE project_sums (
    region    TEXT NOT NULL,
    park      TEXT NOT NULL,
    stage     TEXT NOT NULL,
    tier      TEXT NOT NULL,
    projects  BIGINT NOT NULL,
    year_plan BIGINT NOT NULL,
    PRIMARY KEY (region, park, stage, tier)
);
INSERT INTO project_sums (region, park, stage, tier, projects, year_plan)
    SELECT region, park, stage, tier, COUNT(*), SUM(year_plan) FROM projects WHERE status <> 'stopped'
    GROUP BY region, park, stage, tier;

-- approval items by department and stage: open (undecided), decided, flagged late, and
-- of those with their working minutes set (taken_n), the sums of those minutes and of
-- their statutory and promised limits in days
CREATE TABLE project_item_sums (
    region     TEXT NOT NULL,
    org        TEXT NOT NULL,
    stage      TEXT NOT NULL,
    open_n     BIGINT NOT NULL,
    decided_n  BIGINT NOT NULL,
    late_n     BIGINT NOT NULL,
    taken_n    BIGINT NOT NULL,
    minutes    BIGINT NOT NULL,
    statutory  BIGINT NOT NULL,
    limit_days BIGINT NOT NULL,
    PRIMARY KEY (region, org, stage)
);
INSERT INTO project_item_sums (region, org, stage, open_n, decided_n, late_n, taken_n, minutes, statutory, limit_days)
    SELECT p.region, i.org, i.stage, SUM(CASE WHEN i.decided_at IS NULL THEN 1 ELSE 0 END),
        SUM(CASE WHEN i.decided_at IS NULL THEN 0 ELSE 1 END), SUM(CASE WHEN i.late_at IS NULL THEN 0 ELSE 1 END),
        SUM(CASE WHEN i.taken IS NULL THEN 0 ELSE 1 END), COALESCE(SUM(i.taken), 0),
        SUM(CASE WHEN i.taken IS NULL THEN 0 ELSE i.statutory END), SUM(CASE WHEN i.taken IS NULL THEN 0 ELSE i.limit_days END)
    FROM project_items i JOIN projects p ON p.id = i.project_id GROUP BY p.region, i.org, i.stage;

-- monthly reports by park and month, those of stopped projects apart (stopped 1)
CREATE TABLE project_month_sums (
    region  TEXT NOT NULL,
    park    TEXT NOT NULL,
    month   TEXT NOT NULL,
    stopped INTEGER NOT NULL,
    reports BIGINT NOT NULL,
    amount  BIGINT NOT NULL,
    PRIMARY KEY (region, park, month, stopped)
);
INSERT INTO project_month_sums (region, park, month, stopped, reports, amount)
    SELECT p.region, p.park, g.month, CASE WHEN p.status = 'stopped' THEN 1 ELSE 0 END, COUNT(*), SUM(g.amount)
    FROM project_progress g JOIN projects p ON p.id = g.project_id
    GROUP BY p.region, p.park, g.month, CASE WHEN p.status = 'stopped' THEN 1 ELSE 0 END;

-- 月度进展 missing (domain.ProgressDeadline): a project's month whose report was missing
-- at its deadline, flagged by the sweeper. The sweeper claims a month by inserting its
-- row (ON CONFLICT DO NOTHING), so however many servers sweep, the agent and the leader
-- are told once.
CREATE TABLE project_progress_flags (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    month      TEXT NOT NULL,
    flagged_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, month)
);
-- the projects owing reports are found by stage and status, then region, without
-- reading the other projects' rows
CREATE INDEX projects_stage ON projects (stage, status, region);
