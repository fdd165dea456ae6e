-- 编外人员 by kind (issue 24): a movement of non-establishment staff, and a named such
-- person, carry what kind of 编外 they are employed as (domain.ExtraKind: dispatch
-- 劳务派遣, contract 合同制, temporary 临聘, welfare 公益性岗位, other); '' is a row
-- recorded before kinds were (未分类).
ALTER TABLE staff_moves ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_people ADD COLUMN kind TEXT NOT NULL DEFAULT '';
