-- The rollup keeps org, matter and channel cells down to towns only (domain.DimDepth):
-- a village's statistics by those are folded from its cases. Its cells were most of the
-- rollup's rows, and nothing updates them any more.
DELETE FROM case_rollup WHERE depth > 9 AND dim <> '';
