-- A matter carries the hazard-ledger category its hazard cases are counted under when
-- they have none of their own (issue 17): the installation's catalogue says it, not a
-- list of the demo's matter codes. '' files them under "other".
ALTER TABLE matters ADD COLUMN hazard_category TEXT NOT NULL DEFAULT '';
