-- A status tab's total from the rollup (issue 20): the rollup counts each case in its
-- status while it is in it, one counter for each open status (closed, rejected and
-- merged had theirs), per domain.Tally.InStatus, and the cases flagged overdue now
-- (cases.overdue, Tally.OverdueNow). The cases already there are counted
-- by store.backfill44 (a cell's month is the China day of created_at, which the
-- engines' SQL cannot share). rollup_pending takes the same columns in the same order
-- as case_rollup.
ALTER TABLE case_rollup ADD COLUMN st_reported BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_accepted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_dispatched BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_acknowledged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_in_progress BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_resolved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_verified BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_returned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN st_suspended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_reported BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_accepted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_dispatched BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_acknowledged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_in_progress BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_resolved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_verified BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_returned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN st_suspended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollup ADD COLUMN overdue_now BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending ADD COLUMN overdue_now BIGINT NOT NULL DEFAULT 0;
