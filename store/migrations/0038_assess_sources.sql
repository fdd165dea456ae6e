-- 考核 (issue 23) reads a period's hazards by their rectification deadline and its
-- monitoring visits by their due day, under a region: without these, scoring a month
-- would read every hazard or visit of the installation.
CREATE INDEX hazards_deadline ON hazards (deadline);
CREATE INDEX visits_due ON visits (due, region);
