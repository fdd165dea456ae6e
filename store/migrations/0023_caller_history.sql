-- The 12345 seat's repeat-caller check (来电历史): a caller's number as its digits alone
-- (no spaces, dashes or +86), so "138-0000 0001" and "13800000001" are one caller, and
-- an index to find their earlier calls. Only the hotline and the windows write
-- case_intake, so the index costs the case table nothing.
ALTER TABLE case_intake ADD COLUMN caller_digits TEXT NOT NULL DEFAULT '';
UPDATE case_intake SET caller_digits = REPLACE(REPLACE(REPLACE(caller_phone, ' ', ''), '-', ''), '+', '') WHERE caller_phone <> '';
UPDATE case_intake SET caller_digits = SUBSTR(caller_digits, 3) WHERE LENGTH(caller_digits) = 13 AND SUBSTR(caller_digits, 1, 2) = '86';
CREATE INDEX case_intake_caller ON case_intake (caller_digits, case_id) WHERE caller_digits <> '';
