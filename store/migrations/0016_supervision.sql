-- A leader's supervision of a case (督办, domain.Supervision, issue 19): the latest one,
-- kept on the case row as the fold of its events like every other field. Its running
-- deadline is a deadlines row (kind supervise) the sweeper marks; the statistics of
-- supervisions read the supervised cases of a region and period through the partial
-- index, which holds only them.
ALTER TABLE cases ADD COLUMN sup_at BIGINT;
ALTER TABLE cases ADD COLUMN sup_by BIGINT;
ALTER TABLE cases ADD COLUMN sup_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN sup_text TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN sup_due BIGINT;
ALTER TABLE cases ADD COLUMN sup_overdue INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_supervised ON cases (sup_at, region) WHERE sup_at IS NOT NULL;
