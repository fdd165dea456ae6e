-- Rollup changes waiting to be folded into case_rollup (issue 20). A lone filing's
-- upserts touched some seventeen cells on as many B-tree pages, which SQLite writes whole
-- to the WAL at every commit: half of the pages a lone filing wrote. A small
-- transaction now appends its summed changes here (one or two pages), and a commit folds
-- them into case_rollup once enough wait (store.foldRollup), so a cell's page is written
-- once for many filings. Statistics read both tables in one statement (store.rollupRead),
-- so they never miss a committed case. No key and no index: rows are only appended,
-- read whole and deleted whole, and there are at most a few hundred. A column added to
-- case_rollup is added here too.
CREATE TABLE rollup_pending AS SELECT * FROM case_rollup WHERE 1 = 0;
