-- 大综窗 (issue 17): service halls and their windows as things of their own, so a
-- district can count the windows it has set up (one that took no case included) and
-- what each received. A window case names its window by id on its intake record.

-- 政务服务中心 (a district's) and 便民服务中心 (a street's or a community's)
CREATE TABLE halls (
    id     {{ID}},
    code   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    region TEXT NOT NULL REFERENCES regions (code),
    kind   TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX halls_region ON halls (region, id);

-- a hall's windows: 综合窗口, 办不成事反映窗口, 专业窗口; set_up and closed are days
-- (YYYY-MM-DD): a window counts as set up on a day between them
CREATE TABLE windows (
    id      {{ID}},
    hall_id BIGINT NOT NULL REFERENCES halls (id),
    code    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    region  TEXT NOT NULL REFERENCES regions (code),
    active  INTEGER NOT NULL DEFAULT 1,
    set_up  TEXT NOT NULL,
    closed  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX windows_hall ON windows (hall_id, id);
CREATE INDEX windows_region ON windows (region);

-- who sits at a window (dispatchers, window staff)
CREATE TABLE window_staff (
    window_id BIGINT NOT NULL REFERENCES windows (id),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (window_id, user_id)
);

-- the matters a specialised window (专业窗口) accepts
CREATE TABLE window_matters (
    window_id BIGINT NOT NULL REFERENCES windows (id),
    matter    TEXT NOT NULL REFERENCES matters (code),
    PRIMARY KEY (window_id, matter)
);

-- 无差别综合受理: a matter every comprehensive window accepts
ALTER TABLE matters ADD COLUMN comprehensive INTEGER NOT NULL DEFAULT 0;

-- The window a case came through, and when it was received (the case's created_at,
-- written with it and never changed): the statistics by window read one index range
-- per window and period, not every case the window ever took. No foreign key: the copy
-- moves tables in migration order, and case_intake comes before windows; the service
-- writes only ids of windows it has read. Rows filed before this migration keep their
-- free-text window_no and no window_id (nothing is copied: the text named no window).
ALTER TABLE case_intake ADD COLUMN window_id BIGINT;
ALTER TABLE case_intake ADD COLUMN received_at BIGINT;
CREATE INDEX case_intake_window ON case_intake (window_id, received_at) WHERE window_id IS NOT NULL;
