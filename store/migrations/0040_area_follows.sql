-- A leader (or a dispatcher, an administrator) follows a region in their scope, or one
-- matter in it (matter '' : every matter), and is given an "area" notice when a case
-- is filed there, first runs late, or is closed (service/follows.go). The intake path
-- reads the followers of a case's region and its ancestors with the index below, in
-- the transaction that files the case.
CREATE TABLE area_follows (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    region     TEXT NOT NULL,
    matter     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, region, matter)
);
CREATE INDEX area_follows_region ON area_follows (region, matter);
