-- 发回重办率 and 延期率 (issue 23): a case keeps how often it was sent back for rework
-- after its resolution (cases.reopens, the count of its reopen events), and the rollup
-- counts the resolved cases sent back before (reworked) and the cases whose current
-- dispatch was extended (extended), per domain.Tally. A case counts on the day it was
-- received, as every rollup counter does. The counts of the cases already there are
-- filled from their events here; their rollup cells are filled by store.backfill37 (a
-- cell's month is the China day of created_at, which the engines' SQL cannot share).
-- rollup_pending takes the same columns in the same order as case_rollup.
ALTER TABLE cases ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET reopens = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.id AND e.action = 'reopen')
    WHERE id IN (SELECT case_id FROM case_events WHERE action = 'reopen');
ALTER TABLE case_rollup ADD COLUMN reworked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN extended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN reworked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN extended BIGINT NOT NULL DEFAULT 0;
