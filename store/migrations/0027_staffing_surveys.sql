-- 机构编制调研 (issue 24): a survey round of the staffing office over chosen units, with
-- its form (the questions), a finding per unit, and the rectification list (issue 15)
-- its findings' follow-up items go to.
CREATE TABLE staff_surveys (
    id           {{ID}},
    region       TEXT NOT NULL REFERENCES regions (code),
    title        TEXT NOT NULL,
    form         TEXT NOT NULL,
    rect_list_id BIGINT NOT NULL REFERENCES rect_lists (id),
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX staff_surveys_region ON staff_surveys (region, id);

CREATE TABLE staff_survey_units (
    survey_id BIGINT NOT NULL REFERENCES staff_surveys (id),
    unit_id   BIGINT NOT NULL REFERENCES staff_units (id),
    PRIMARY KEY (survey_id, unit_id)
);

CREATE TABLE staff_findings (
    id           {{ID}},
    survey_id    BIGINT NOT NULL REFERENCES staff_surveys (id),
    unit_id      BIGINT NOT NULL REFERENCES staff_units (id),
    finding      TEXT NOT NULL,
    answers      TEXT NOT NULL DEFAULT '',
    rect_item_id BIGINT REFERENCES rect_items (id),
    recorded_by  BIGINT NOT NULL REFERENCES users (id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX staff_findings_survey ON staff_findings (survey_id, id);
