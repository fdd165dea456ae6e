-- 编外人员 by kind and 领导职数 by level (issue 24). A movement of non-establishment
-- staff, and a named such person, carry what kind of 编外 they are employed as
-- (domain.ExtraKind: dispatch 劳务派遣, contract 合同制, temporary 临聘, welfare 公益性岗位,
-- other); an approved figure, a movement and a named person on a leadership-post item
-- carry the post's level (domain.LeadLevel: ting 正厅 … gu 股级). '' is a row recorded
-- before kinds and levels were (未分类, 未定级).
ALTER TABLE staff_moves ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_people ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_quotas ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_moves ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_people ADD COLUMN level TEXT NOT NULL DEFAULT '';
