-- 直接答复办结: a consultation answered on the call and closed there is counted apart in
-- the rollup (domain.Tally.Answered); none was before this column.
ALTER TABLE case_rollup ADD COLUMN answered BIGINT NOT NULL DEFAULT 0;
